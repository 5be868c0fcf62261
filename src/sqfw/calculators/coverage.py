"""§2.11: urban facility coverage keeps rising; street public service venues basically full.

"继续提高" is strict and needs the previous coverage: without it the result is unknown.
"基本实现全覆盖" has no number in the plan: the default is 95%, a documented assumption
(``facility.coverage.street_hall.at_least``) that a user can override.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pendulum

from sqfw.calculators._columns import COMMUNITY_COLUMNS, community_values
from sqfw.calculators._inputs import as_ratio
from sqfw.calculators._regions import communities_of, streets_of
from sqfw.calculators._result import Finding, Reader, Result, Status, fmt
from sqfw.calculators._share import above, share_result
from sqfw.entities import Community, CommunityKind, Division, Region
from sqfw.standards import Standards, Unit

__all__ = ["facility_coverage", "has_facility", "street_hall_coverage"]


def has_facility(area: Any) -> Any:
    """§2.11: whether a community is covered, from the floor area of its comprehensive
    facilities (m²) — one figure, or a column of them (an unknown area, NaN, is not).

    The one rule of coverage: the entity calculators below and the region roll-up over
    columns both ask it.
    """
    return area > 0


_AREA = COMMUNITY_COLUMNS.index("area")


def _covered(community: Community) -> bool:
    return bool(has_facility(community_values(community)[_AREA]))


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
    urban = [c for c in communities_of(communities) if c.kind is CommunityKind.URBAN]
    subject = communities.root.code if isinstance(communities, Region) else "communities"
    if not must_rise or not urban:
        zh = "覆盖率提高要求未启用" if not must_rise else "没有城镇社区"
        en = (
            "the rising-coverage requirement is switched off"
            if not must_rise
            else "no urban community"
        )
        return read.result(
            norm="facility_coverage",
            clauses=("§2.11",),
            subject=subject,
            status=Status.NOT_APPLICABLE,
            unit=Unit.RATIO,
            explanation_zh=f"城镇社区服务设施覆盖率不适用:{zh}",
            explanation_en=f"urban facility coverage not applicable: {en}",
        )
    covered = sum(1 for c in urban if _covered(c))
    share = Fraction(covered, len(urban))
    findings = tuple(
        Finding(
            subject=c.code,
            clause="§2.11",
            status=Status.PASS if _covered(c) else Status.FAIL,
            measured=_covered(c),
            required=True,
            explanation_zh=f"{c.code}:" + ("有综合服务设施" if _covered(c) else "无综合服务设施"),
            explanation_en=f"{c.code}: "
            + ("has a comprehensive facility" if _covered(c) else "no comprehensive facility"),
        )
        for c in urban
    )
    head_zh = f"城镇社区服务设施覆盖率 {fmt(share)}({covered}/{len(urban)})"
    head_en = f"urban facility coverage {fmt(share)} ({covered} of {len(urban)})"
    if previous is None:
        return read.result(
            norm="facility_coverage",
            clauses=("§2.11",),
            subject=subject,
            status=Status.UNKNOWN,
            measured=share,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            findings=findings,
            explanation_zh=f"{head_zh};缺少上期覆盖率,无法判断是否继续提高",
            explanation_en=f"{head_en}; no previous coverage, so a rise cannot be judged",
        )
    decided = above(covered, len(urban), previous, must_rise=must_rise)
    ok, short = decided.status is Status.PASS, decided.shortfall
    if ok:
        zh, en = (
            f"{head_zh},高于上期的 {fmt(previous)}",
            f"{head_en} is above the previous {fmt(previous)}",
        )
    else:
        zh = f"{head_zh},未高于上期的 {fmt(previous)},还差 {short} 个社区"
        en = f"{head_en} is not above the previous {fmt(previous)}: {short} communities short"
    return read.result(
        norm="facility_coverage",
        clauses=("§2.11",),
        subject=subject,
        status=decided.status,
        measured=share,
        required=previous,
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
    return share_result(
        read,
        norm="street_hall_coverage",
        clause="§2.11",
        subject=streets.root.code if isinstance(streets, Region) else "streets",
        answers=[(d.code, d.public_service_hall) for d in streets_of(streets)],
        threshold=threshold,
        what_zh="设有公共服务大厅的街道占比",
        what_en="share of streets with a public service hall",
        noun_zh="街道",
        noun_en="streets",
    )
