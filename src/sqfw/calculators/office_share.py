"""§2.14: office area may not exceed 30% of a centre's total area (不得超出: 30% passes).

The office area and the total area are those of the community's comprehensive facilities
taken together (a community with two centres is checked on their sums). The shortfall is
the office area above the limit, in m²; the measured figure is the exact share.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import pendulum

from sqfw.calculators._figures import FigureReading, area_of, parameter_of, quotient_of
from sqfw.calculators._norm import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    UNKNOWN,
    Boundary,
    Explained,
    Norm,
    NormParameters,
    Outputs,
    Row,
    parameter,
)
from sqfw.calculators._result import Result, Status, fmt
from sqfw.entities import Community
from sqfw.standards import Standards, Unit

__all__ = ["OFFICE_SHARE", "OfficeParameters", "office_share"]


@attrs.frozen(kw_only=True)
class OfficeParameters:
    """The parameter of the office-share norm."""

    max_share: Fraction = parameter("facility.office.max_share")


def kernel(xp: Any, c: Mapping[str, Any], p: OfficeParameters, at: Boundary) -> Outputs:
    """The rule over columns: the office area within the share of the total area."""
    area, office = c["area"], c["office"]
    limit = area * p.max_share.numerator / p.max_share.denominator
    centre = area > 0
    within = at.at_most(office, limit, computed=centre)
    unknown = xp.full(area.shape, UNKNOWN, dtype=xp.int8)
    status = xp.where(within, PASS, xp.where(xp.isnan(office), unknown, FAIL))
    status = xp.where(centre, status, xp.where(xp.isnan(area), unknown, NOT_APPLICABLE))
    decided = status <= FAIL
    excess = office - limit
    shortfall = xp.where(decided, xp.where(within, 0.0, excess), math.nan)
    # the share where it was decided (a Fraction on exact figures); NaN elsewhere
    share = office / xp.where(centre, area, 1.0)
    measured = xp.where(decided, share, math.nan)
    most = xp.full(area.shape, p.max_share.numerator / p.max_share.denominator)
    return {
        "status": status,
        "measured": measured,
        "required": most,
        "limit": limit,
        "shortfall": shortfall,
    }


figures = FigureReading(
    measured=quotient_of("office", "area"),
    required=parameter_of("max_share"),
    shortfall=area_of("shortfall"),
)
"""The office share, the maximum share, and the office area over it (m²).

The share is the kernel's ``measured`` figure, taken exact: the quotient of the two areas
as written (the float column is that quotient, correctly rounded), where it was decided.
"""


def explain(row: Row, params: NormParameters[OfficeParameters]) -> Explained:
    """The share against the limit."""
    share, limit, excess = figures(row, params)
    status = row.status()
    if status is Status.NOT_APPLICABLE:
        zh = "没有有面积的社区综合服务设施,办公面积比例不适用"
        en = "no comprehensive facility with a floor area: the office share does not apply"
    elif status is Status.UNKNOWN:
        zh = "综合服务设施面积或办公面积未知,无法判断办公面积比例"
        en = "facility or office area unknown: the office share cannot be checked"
    elif status is Status.PASS:
        got, most = fmt(share), fmt(limit)
        zh = f"办公面积占 {got},未超出总面积的 {most}"
        en = f"office share {got} does not exceed {most} of the total area"
    else:
        got, most, over = fmt(share), fmt(limit), fmt(excess, Unit.M2)
        zh = f"办公面积占 {got},超出 {most} 上限,超出 {over}"
        en = f"office share {got} exceeds {most}: {over} over"
    return Explained(
        status=status,
        measured=share,
        required=limit,
        shortfall=excess,
        explanation_zh=zh,
        explanation_en=en,
    )


OFFICE_SHARE: Norm[OfficeParameters] = Norm(
    id="office_share",
    label_zh="办公面积占比",
    label_en="office share",
    unit=Unit.RATIO,
    shortfall_unit=Unit.M2,
    parameters=OfficeParameters,
    reads=("area", "office"),
    kernel=kernel,
    figures=figures,
    explain=explain,
)
"""The office-share norm (§2.14)."""


def office_share(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check the office share of the community's comprehensive facilities.

    Args:
        community: the community whose comprehensive facilities are read.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` whose measured figure is the exact office share (a ratio) and
        whose shortfall is the office area above the limit (m²); not applicable when the
        community has no comprehensive facility with a floor area.
    """
    return OFFICE_SHARE.check(community, on=on, standards=standards)
