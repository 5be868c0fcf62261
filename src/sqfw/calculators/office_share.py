"""§2.14: office area may not exceed 30% of a centre's total area (不得超出: 30% passes).

Each comprehensive facility is checked on its own (a finding each); the community fails
when any of them does. The shortfall is the office area above the limit, in m².

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum

from sqfw.calculators._result import Finding, Reader, Result, Status, combine, fmt
from sqfw.entities import Community, FacilityKind
from sqfw.standards import Standards, Unit

__all__ = ["office_share"]


def office_share(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check the office share of each comprehensive facility against the maximum.

    Args:
        community: the community whose comprehensive facilities are read.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` whose measured figure is the largest office share found (a
        ratio) and whose shortfall is the total office area above the limit (m²); not
        applicable when the community has no comprehensive facility with a floor area.
    """
    read = Reader(standards, on)
    limit = read.ratio("facility.office.max_share")
    centres = [
        f
        for f in community.facilities
        if f.kind is FacilityKind.COMPREHENSIVE and f.total_area_m2 > 0
    ]
    findings: list[Finding] = []
    excess_total = Decimal(0)
    for centre in centres:
        share = Fraction(centre.office_area_m2) / Fraction(centre.total_area_m2)
        allowed = centre.total_area_m2 * Decimal(limit.numerator) / Decimal(limit.denominator)
        excess = max(centre.office_area_m2 - allowed, Decimal(0))
        excess_total += excess
        ok = share <= limit
        findings.append(
            Finding(
                subject=centre.id,
                clause="§2.14",
                status=Status.PASS if ok else Status.FAIL,
                measured=share,
                required=limit,
                shortfall=excess,
                unit=Unit.RATIO,
                explanation_zh=f"{centre.id} 办公面积占 {fmt(share)},上限 {fmt(limit)}"
                + ("" if ok else f",超出 {fmt(excess, Unit.M2)}"),
                explanation_en=f"{centre.id}: office share {fmt(share)}, at most {fmt(limit)}"
                + ("" if ok else f"; {fmt(excess, Unit.M2)} over"),
            )
        )
    if not findings:
        return read.result(
            norm="office_share",
            clauses=("§2.14",),
            subject=community.code,
            status=Status.NOT_APPLICABLE,
            required=limit,
            unit=Unit.RATIO,
            shortfall_unit=Unit.M2,
            explanation_zh="没有有面积的社区综合服务设施,办公面积比例不适用",
            explanation_en=(
                "no comprehensive facility with a floor area: the office share does not apply"
            ),
        )
    worst = max(f.measured for f in findings if isinstance(f.measured, Fraction))
    status = combine(f.status for f in findings)
    if status is Status.PASS:
        zh = f"办公面积占比最高 {fmt(worst)},未超出总面积的 {fmt(limit)}"
        en = f"largest office share {fmt(worst)} does not exceed {fmt(limit)} of the total area"
    else:
        zh = (
            f"办公面积占比最高 {fmt(worst)},超出 {fmt(limit)} "
            f"上限,超出 {fmt(excess_total, Unit.M2)}"
        )
        en = (
            f"largest office share {fmt(worst)} exceeds "
            f"{fmt(limit)}: {fmt(excess_total, Unit.M2)} over"
        )
    return read.result(
        norm="office_share",
        clauses=("§2.14",),
        subject=community.code,
        status=status,
        measured=worst,
        required=limit,
        shortfall=excess_total,
        unit=Unit.RATIO,
        shortfall_unit=Unit.M2,
        findings=tuple(findings),
        explanation_zh=zh,
        explanation_en=en,
    )
