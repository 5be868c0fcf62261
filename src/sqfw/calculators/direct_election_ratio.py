"""§1.2, §1.4: direct election of residents' committees.

The plan's 10th term (``governance.direct_election.term``) must have a higher share of
residents' committees elected directly than the previous term (提高: strictly higher).
Without the previous term's ratio the result is unknown, with the coverage figure of §1.2
still reported.

The committees are counted by the region rule ``direct`` (the one the plan's assessment
counts with): a residents' committee of the plan's term counts, one of another term does
not; the ratio is decided by the same kind of target.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pendulum

from sqfw.calculators._columns import committee_values
from sqfw.calculators._inputs import as_ratio
from sqfw.calculators._kinds import AboveBaseline
from sqfw.calculators._region import region_rule, row_findings
from sqfw.calculators._regions import committees_of
from sqfw.calculators._result import Finding, Reader, Result, Status, fmt
from sqfw.entities import Committee, Community, Region
from sqfw.standards import Standards, Unit

__all__ = ["direct_election_ratio"]


def direct_election_ratio(
    committees: Sequence[Committee] | Sequence[Community] | Region,
    *,
    previous_ratio: Fraction | Decimal | int | str | None,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Direct-election ratio of the plan's term against the previous term's.

    Args:
        committees: committees, or communities / a region whose committees are read.
            Only residents' committees of the plan's term count.
        previous_ratio: the previous (9th) term's ratio; ``None`` when unknown.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the ratio (§1.2's coverage figure); pass only when strictly
        above ``previous_ratio``; the shortfall is the number of further committees that
        would have to be elected directly.
    """
    read = Reader(standards, on)
    term = read.count("governance.direct_election.term")
    must_rise = read.flag("governance.direct_election.must_rise")
    read.flag("governance.direct_election.coverage_must_expand")
    previous = as_ratio(previous_ratio, "previous_ratio")
    given = committees_of(committees)
    subject = committees.root.code if isinstance(committees, Region) else "committees"
    clauses = ("§1.4", "§1.2")
    rule = region_rule("direct")
    # each committee read as the columns its community gives the assessment
    read_as = [committee_values(c) for c in given]
    rows: dict[str, list[Any]] = {
        "direct": [r[0] for r in read_as],
        "term": [r[1] for r in read_as],
    }
    tally = rule.run(rows, {"governance.direct_election.term": term})
    count = tally.summed()
    decided = AboveBaseline().decide(
        count, unknowns=rule.unknowns, threshold=must_rise, baseline=previous
    )
    if decided.measured is None:
        return read.result(
            norm="direct_election_ratio",
            clauses=clauses,
            subject=subject,
            status=decided.status,
            required=previous,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            explanation_zh=f"没有第{term}届社区居委会的数据,无法计算直选比例",
            explanation_en=(
                f"no residents' committee of term {term} given:"
                " the direct-election ratio cannot be computed"
            ),
        )
    direct, counted, ratio = count.yes, count.total, decided.measured
    coverage = Finding(
        subject="§1.2 直选覆盖面 / direct-election coverage",
        clause="§1.2",
        status=AboveBaseline()
        .decide(count, unknowns=rule.unknowns, threshold=True, baseline=previous)
        .status,
        measured=ratio,
        required=previous,
        unit=Unit.RATIO,
        explanation_zh=f"第{term}届直选覆盖面 {fmt(ratio)}({direct}/{counted})",
        explanation_en=(
            f"direct-election coverage of term {term}: {fmt(ratio)} ({direct} of {counted})"
        ),
    )
    members = row_findings(
        [f"committee {i + 1}" for i in range(len(given))],
        tally,
        clause="§1.4",
        yes=("直接选举", "directly elected"),
        no=("非直接选举", "not directly elected"),
    )
    head_zh = f"第{term}届社区居委会直选比例 {fmt(ratio)}({direct}/{counted})"
    head_en = f"direct-election ratio of term {term}: {fmt(ratio)} ({direct} of {counted})"
    status, short = decided.status, decided.shortfall
    if status is Status.NOT_APPLICABLE:
        zh, en = f"{head_zh};提高要求未启用", f"{head_en}; the rising requirement is switched off"
    elif status is Status.UNKNOWN:
        zh = f"{head_zh};缺少上一届直选比例,无法判断是否提高"
        en = f"{head_en}; no previous-term ratio, so a rise cannot be judged"
    elif status is Status.PASS:
        zh, en = (
            f"{head_zh},高于上一届的 {fmt(previous)}",
            f"{head_en} is above the previous {fmt(previous)}",
        )
    else:
        zh = f"{head_zh},未高于上一届的 {fmt(previous)},还差 {short} 个直选居委会"
        en = f"{head_en} is not above the previous {fmt(previous)}: {short} committees short"
    return read.result(
        norm="direct_election_ratio",
        clauses=clauses,
        subject=subject,
        status=status,
        measured=ratio,
        required=decided.required,
        shortfall=short,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        findings=(coverage, *members),
        explanation_zh=zh,
        explanation_en=en,
    )
