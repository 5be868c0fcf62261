"""§2.11: urban facility coverage keeps rising; street public service venues basically full.

"继续提高" is strict and needs the previous coverage: without it the result is unknown.
"基本实现全覆盖" has no number in the plan: the default is 95%, a documented assumption
(``facility.coverage.street_hall.at_least``) that a user can override.

Both count with their region rule (``coverage``, ``hall`` of
:data:`~sqfw.calculators._region.REGION_RULES`) and decide with the kind of target the
plan's assessment uses, so a region's figures are the same here and there.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pendulum

from sqfw.calculators._columns import community_columns
from sqfw.calculators._inputs import as_ratio
from sqfw.calculators._kinds import AboveBaseline, AtLeast
from sqfw.calculators._region import has_facility, region_rule, row_findings, township_columns
from sqfw.calculators._regions import communities_of, streets_of
from sqfw.calculators._result import Reader, Result, Status, fmt
from sqfw.calculators._share import share_result
from sqfw.entities import Community, Division, Region
from sqfw.standards import Standards, Unit

__all__ = ["facility_coverage", "has_facility", "street_hall_coverage"]


def facility_coverage(
    communities: Sequence[Community] | Region,
    *,
    previous_coverage: Fraction | Decimal | int | str | None,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Share of urban communities with a comprehensive service facility, against before.

    Args:
        communities: the communities (only urban ones count), or a region.
        previous_coverage: the coverage at the previous measurement (a ratio); ``None``
            when unknown.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the coverage (ratio); pass only when strictly above the
        previous figure; the shortfall is the number of further communities to equip.
    """
    read = Reader(standards, on)
    must_rise = read.flag("facility.coverage.must_rise")
    previous = as_ratio(previous_coverage, "previous_coverage")
    members = communities_of(communities)
    subject = communities.root.code if isinstance(communities, Region) else "communities"
    rule = region_rule("coverage")
    tally = rule.run(community_columns(members), {})
    count = tally.summed()
    decided = AboveBaseline().decide(
        count, unknowns=rule.unknowns, threshold=must_rise, baseline=previous
    )
    findings = row_findings(
        [c.code for c in members],
        tally,
        clause="§2.11",
        yes=("有综合服务设施", "has a comprehensive facility"),
        no=("无综合服务设施", "no comprehensive facility"),
    )
    share, status, short = decided.measured, decided.status, decided.shortfall
    covered, urban = count.yes, count.total
    if share is None:
        zh = "没有城镇社区,无法计算覆盖率"
        en = "no urban community: the coverage cannot be computed"
    else:
        zh = f"城镇社区服务设施覆盖率 {fmt(share)}({covered}/{urban})"
        en = f"urban facility coverage {fmt(share)} ({covered} of {urban})"
    if status is Status.NOT_APPLICABLE:
        zh = f"{zh};覆盖率提高要求未启用"
        en = f"{en}; the rising-coverage requirement is switched off"
    elif previous is None:
        zh = f"{zh};缺少上期覆盖率,无法判断是否继续提高"
        en = f"{en}; no previous coverage, so a rise cannot be judged"
    elif status is Status.PASS:
        zh, en = f"{zh},高于上期的 {fmt(previous)}", f"{en} is above the previous {fmt(previous)}"
    elif status is Status.FAIL:
        zh = f"{zh},未高于上期的 {fmt(previous)},还差 {short} 个社区"
        en = f"{en} is not above the previous {fmt(previous)}: {short} communities short"
    elif share is not None:
        zh = f"{zh};是否高于上期的 {fmt(previous)} 取决于 {count.unknown} 个面积未知的城镇社区"
        en = (
            f"{en}: whether it is above the previous {fmt(previous)} depends on "
            f"{count.unknown} urban communities of unknown area"
        )
    return read.result(
        norm="facility_coverage",
        clauses=("§2.11",),
        subject=subject,
        status=status,
        measured=share,
        required=decided.required,
        shortfall=short,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        findings=findings,
        explanation_zh=zh,
        explanation_en=en,
    )


def street_hall_coverage(
    streets: Sequence[Division] | Region,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Share of streets with a public service hall against "basically full" coverage.

    Args:
        streets: divisions (only streets, 街道, count), or a region.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the share (ratio) and the shortfall in streets; the
        threshold is an assumption, listed in ``assumptions``.
    """
    read = Reader(standards, on)
    threshold = read.ratio("facility.coverage.street_hall.at_least")
    subject = streets.root.code if isinstance(streets, Region) else "streets"
    members = streets_of(streets)
    rule = region_rule("hall")
    tally = rule.run(township_columns(members), {})
    count = tally.summed()
    return share_result(
        read,
        norm="street_hall_coverage",
        clause="§2.11",
        subject=subject,
        findings=row_findings([d.code for d in members], tally, clause="§2.11"),
        count=count,
        decided=AtLeast().decide(count, unknowns=rule.unknowns, threshold=threshold),
        what_zh="设有公共服务大厅的街道占比",
        what_en="share of streets with a public service hall",
        noun_zh="街道",
        noun_en="streets",
    )
