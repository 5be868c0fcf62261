"""§1.3: the committee for the work of the elderly, women and children.

Both organic laws as revised on 2025-10-28 (in force 2026-01-01) add to a residents' or
villagers' committee a committee for the work of the elderly, women and children
(老年人、妇女、儿童工作委员会). Whether it is required is the dated flag
``committee.setup.elderly_women_children.required`` of the ``cn-laws`` layer; the check reads
``Committee.elderly_women_children_committee``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import pendulum

from sqfw._args import expect
from sqfw.calculators._result import Reader, Result, Status
from sqfw.entities import Committee, Community
from sqfw.standards import Standards, Unit

__all__ = ["elderly_women_children_committee"]

_PARAMETER = "committee.setup.elderly_women_children.required"


def elderly_women_children_committee(
    subject: Committee | Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Whether a committee has its committee for the elderly, women and children.

    Args:
        subject: a committee, or a community whose committee is read.
        on: the evaluation date (default 2020-12-31; required from 2026-01-01).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result`: pass with it, fail without it, unknown when not recorded (or
        when the community has no committee recorded), not applicable before the
        requirement is in force.
    """
    expect("subject", subject, (Committee, Community))
    read = Reader(standards, on)
    required = read.flag(_PARAMETER)
    clause = read.lookup(_PARAMETER).citation.clause
    code = subject.code if isinstance(subject, Community) else "committee"
    committee = subject.committee if isinstance(subject, Community) else subject
    has = None if committee is None else committee.elderly_women_children_committee
    if not required:
        status = Status.NOT_APPLICABLE
        zh = "此日期尚无设立老年人、妇女、儿童工作委员会的要求"
        en = "no committee for the elderly, women and children is required on this date"
    elif has is None:
        status = Status.UNKNOWN
        zh = "未记录是否设立老年人、妇女、儿童工作委员会"
        en = "whether the committee for the elderly, women and children exists is not recorded"
    elif has:
        status = Status.PASS
        zh, en = (
            "已设立老年人、妇女、儿童工作委员会",
            "the committee for the elderly, women and children is set up",
        )
    else:
        status = Status.FAIL
        zh = "未设立老年人、妇女、儿童工作委员会"
        en = "no committee for the elderly, women and children is set up"
    return read.result(
        norm="elderly_women_children_committee",
        clauses=(clause,),
        subject=code,
        status=status,
        measured=has,
        required=True if required else None,
        shortfall=1 if status is Status.FAIL else (0 if status is Status.PASS else None),
        unit=Unit.COUNT,
        explanation_zh=zh,
        explanation_en=en,
    )
