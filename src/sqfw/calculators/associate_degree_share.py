"""§5.3: the share of staff with an associate degree or above rises over the 12th plan.

"有所提升" is strict: the share must be above the 12th-plan baseline. Without a baseline
the result is unknown (with the measured share), never a pass.

Counted by the region rule ``workers`` over one row per worker (a banner/county's row in
the region assessment sums its workers), and decided by the same kind of target.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pendulum

from sqfw._args import expect_items
from sqfw.calculators._inputs import as_ratio
from sqfw.calculators._kinds import AboveBaseline
from sqfw.calculators._region import region_rule
from sqfw.calculators._result import Reader, Result, Status, fmt
from sqfw.entities import CommunityWorker
from sqfw.standards import Standards, Unit

__all__ = ["associate_degree_share"]


def associate_degree_share(
    workers: Sequence[CommunityWorker],
    *,
    baseline: Fraction | Decimal | int | str | None,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Compare the share of workers with 大专 or above to the 12th-plan baseline.

    Args:
        workers: the community workers counted.
        baseline: the 12th-plan share (a ratio: ``Fraction(2, 5)``, ``"40%"``); ``None``
            when unknown.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the share (ratio); the shortfall is the number of further
        workers with 大专 or above needed (out of the same headcount).

    Raises:
        ValueError: the baseline is not a ratio.
    """
    workers = expect_items("workers", workers, CommunityWorker)
    read = Reader(standards, on)
    must_rise = read.flag("workforce.education.associate_share.must_rise")
    base = as_ratio(baseline, "baseline")
    name = "associate_degree_share"
    rule = region_rule("workers")
    tally = rule.run(
        {
            "workers": [1.0] * len(workers),
            "workers_associate": [float(w.education.associate_or_above) for w in workers],
        },
        {},
    )
    count = tally.summed()
    decided = AboveBaseline().decide(
        count, unknowns=rule.unknowns, threshold=must_rise, baseline=base
    )
    share, status, short = decided.measured, decided.status, decided.shortfall
    if status is Status.NOT_APPLICABLE:
        zh, en = "大专以上占比提升要求未启用", "the rising-share requirement is switched off"
    elif share is None:
        zh = "没有工作人员数据,无法计算大专以上占比"
        en = "no workers given: the associate-degree share cannot be computed"
    elif base is None:
        zh = f"大专以上占比 {fmt(share)};缺少十二五时期基数,无法判断是否提升"
        en = (
            f"associate-degree share {fmt(share)}; no "
            "12th-plan baseline, so a rise cannot be judged"
        )
    elif status is Status.PASS:
        zh = f"大专以上占比 {fmt(share)},高于十二五时期的 {fmt(base)}"
        en = f"associate-degree share {fmt(share)} is above the 12th-plan {fmt(base)}"
    else:
        zh = f"大专以上占比 {fmt(share)},未高于十二五时期的 {fmt(base)},还差 {short} 人"
        en = (
            f"associate-degree share {fmt(share)} is not above "
            f"the 12th-plan {fmt(base)}: {short} persons short"
        )
    return read.result(
        norm=name,
        clauses=("§5.3",),
        subject="workers",
        status=status,
        measured=share,
        required=decided.required,
        shortfall=short,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        explanation_zh=zh,
        explanation_en=en,
    )
