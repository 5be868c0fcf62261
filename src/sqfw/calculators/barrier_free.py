"""§2.4: every community service facility meets the barrier-free standard.

Every facility with a floor area is checked (a mobile service has none); a facility not
surveyed (``barrier_free=None``) makes the result unknown unless another one fails.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import pendulum

from sqfw.calculators._result import Finding, Reader, Result, Status, combine
from sqfw.entities import Community
from sqfw.standards import Standards, Unit

__all__ = ["barrier_free"]

_STATUS = {True: Status.PASS, False: Status.FAIL, None: Status.UNKNOWN}


def barrier_free(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check that each of the community's facilities is barrier-free.

    Args:
        community: the community whose facilities are read.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` counting barrier-free facilities against all facilities; the
        shortfall is the number of facilities still to adapt. Not applicable when the
        parameter is switched off or there is no facility with a floor area.
    """
    read = Reader(standards, on)
    required_flag = read.flag("facility.barrier_free.required")
    facilities = [f for f in community.facilities if f.total_area_m2 > 0]
    if not required_flag or not facilities:
        why_zh = "无障碍要求未启用" if not required_flag else "没有有面积的服务设施"
        why_en = (
            "the requirement is switched off"
            if not required_flag
            else "no facility with a floor area"
        )
        return read.result(
            norm="barrier_free",
            clauses=("§2.4",),
            subject=community.code,
            status=Status.NOT_APPLICABLE,
            unit=Unit.COUNT,
            explanation_zh=f"无障碍标准不适用:{why_zh}",
            explanation_en=f"barrier-free standard not applicable: {why_en}",
        )
    findings = tuple(
        Finding(
            subject=f.id,
            clause="§2.4",
            status=_STATUS[f.barrier_free],
            measured=f.barrier_free,
            required=True,
            explanation_zh=f"{f.id}:"
            + {True: "符合无障碍标准", False: "不符合无障碍标准", None: "未调查"}[f.barrier_free],
            explanation_en=f"{f.id}: "
            + {True: "barrier-free", False: "not barrier-free", None: "not surveyed"}[
                f.barrier_free
            ],
        )
        for f in facilities
    )
    good = sum(1 for f in facilities if f.barrier_free is True)
    bad = sum(1 for f in facilities if f.barrier_free is False)
    unknown = len(facilities) - good - bad
    status = combine(f.status for f in findings)
    total = len(facilities)
    if status is Status.PASS:
        zh, en = f"{total} 处设施均符合无障碍标准", f"all {total} facilities are barrier-free"
    elif status is Status.FAIL:
        zh = f"{total} 处设施中 {bad} 处不符合无障碍标准,还差 {bad} 处"
        en = f"{bad} of {total} facilities are not barrier-free: {bad} short"
    else:
        zh = f"{total} 处设施中 {unknown} 处未调查无障碍情况"
        en = f"{unknown} of {total} facilities not surveyed for barrier-free access"
    return read.result(
        norm="barrier_free",
        clauses=("§2.4",),
        subject=community.code,
        status=status,
        measured=good,
        required=total,
        shortfall=bad if status is Status.FAIL else (0 if status is Status.PASS else None),
        unit=Unit.COUNT,
        findings=findings,
        explanation_zh=zh,
        explanation_en=en,
    )
