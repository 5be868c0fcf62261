"""§1.1: the households a residents' committee is set up for (城市居民委员会组织法).

The urban law as revised on 2025-10-28 (in force 2026-01-01) sets a residents' committee up
generally for 1,000 to 3,000 households, "or as actually needed"; the 1989 text said 100
to 700. The range is read from the standards on the date (``committee.households.min`` and
``.max`` of the ``cn-laws`` layer); a community whose committee serves an area set as
actually needed (``Community.set_up_as_needed``) is not held to it. Only urban communities
(城镇社区), which residents' committees serve, are checked; the shortfall is how many
households the community is below the range or above it.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from sqfw.calculators._columns import COMMUNITY_KINDS
from sqfw.calculators._figures import FigureReading, count_of
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
from sqfw.calculators._result import Result, Status
from sqfw.entities import Community, CommunityKind
from sqfw.standards import Standards, Unit

__all__ = ["COMMITTEE_HOUSEHOLDS", "CommitteeHouseholdsParameters", "committee_households"]

_URBAN = COMMUNITY_KINDS.index(CommunityKind.URBAN)


@attrs.frozen(kw_only=True)
class CommitteeHouseholdsParameters:
    """The households range of the urban law in force."""

    fewest: int = parameter("committee.setup.households.min")
    most: int = parameter("committee.setup.households.max")


def kernel(
    xp: Any, c: Mapping[str, Any], p: CommitteeHouseholdsParameters, at: Boundary
) -> Outputs:
    """The rule over columns: an urban community's households within the range."""
    households = c["households"]
    applies = (c["kind"] == _URBAN) & (c["set_up_as_needed"] == 0)
    below = households < p.fewest
    above = households > p.most
    unknown = xp.full(households.shape, UNKNOWN, dtype=xp.int8)
    status = xp.where(below | above, FAIL, xp.where(xp.isnan(households), unknown, PASS))
    status = xp.where(applies, status, NOT_APPLICABLE)
    outside = xp.where(below, p.fewest - households, xp.where(above, households - p.most, 0.0))
    shortfall = xp.where(status <= FAIL, outside, math.nan)
    side = xp.where(below, -1.0, xp.where(above, 1.0, 0.0 * households))
    checked = status != NOT_APPLICABLE
    # the bound the households are held to: the most above the range, else the fewest
    bound = xp.where(above, xp.full(households.shape, float(p.most)), float(p.fewest))
    return {
        "status": status,
        "measured": xp.where(checked, households, math.nan),
        "required": xp.where(checked, bound, math.nan),
        "shortfall": shortfall,
        "side": side,
    }


figures = FigureReading(
    measured=count_of("measured"), required=count_of("required"), shortfall=count_of("shortfall")
)
"""The households, the range's bound they are held to, and how far outside they are (the
kernel's ``measured``, ``required`` and ``shortfall``)."""


def explain(row: Row, params: NormParameters[CommitteeHouseholdsParameters]) -> Explained:
    """Within, below or above the range, or why the range does not apply."""
    households, bound, short = figures(row, params)
    status = row.status()
    fewest, most = params.values.fewest, params.values.most
    span_zh, span_en = f"{fewest:,}–{most:,} 户", f"{fewest:,}–{most:,} households"
    if status is Status.NOT_APPLICABLE:
        if int(row["set_up_as_needed"]):
            zh = "居民委员会按实际需要设立,不适用户数范围"
            en = "the committee is set up as actually needed: the households range does not apply"
        else:
            zh = "非城镇社区,不适用居民委员会户数范围"
            en = "not an urban community: the residents' committee range does not apply"
    elif status is Status.UNKNOWN:
        zh, en = (
            f"户数未知,无法判断是否在 {span_zh} 范围内",
            f"households unknown: {span_en} cannot be checked",
        )
    elif status is Status.PASS:
        zh = f"{households:,} 户,在居民委员会设立范围 {span_zh} 内"
        en = f"{households:,} households: within the range of {span_en}"
    elif float(row["side"]) < 0:
        zh = f"{households:,} 户,低于设立范围 {span_zh},少 {short:,} 户"
        en = f"{households:,} households: below the range of {span_en} by {short:,}"
    else:
        zh = f"{households:,} 户,高于设立范围 {span_zh},多 {short:,} 户"
        en = f"{households:,} households: above the range of {span_en} by {short:,}"
    return Explained(
        status=status,
        measured=households,
        required=bound,
        shortfall=short,
        explanation_zh=zh,
        explanation_en=en,
    )


COMMITTEE_HOUSEHOLDS: Norm[CommitteeHouseholdsParameters] = Norm(
    id="committee_households",
    label_zh="居民委员会设立户数范围",
    label_en="households of a residents' committee",
    unit=Unit.COUNT,
    shortfall_unit=Unit.COUNT,
    parameters=CommitteeHouseholdsParameters,
    reads=("kind", "households", "set_up_as_needed"),
    kernel=kernel,
    figures=figures,
    explain=explain,
)
"""The residents' committee households range (§1.1, urban law)."""


def committee_households(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check an urban community's households against the range its committee is set up for.

    Args:
        community: the community; ``kind``, ``households`` and ``set_up_as_needed`` are read.
        on: the evaluation date (default 2020-12-31; from 2026-01-01 the revised law's
            1,000–3,000 applies).
        standards: the standards set (default: the bundled one, whose ``cn-laws`` layer
            holds the range).

    Returns:
        A :class:`Result` in households: pass within the range, fail below or above it
        (the shortfall is the distance), unknown without households, not applicable for
        other kinds of community or a committee set up as actually needed.
    """
    return COMMITTEE_HOUSEHOLDS.check(community, on=on, standards=standards)
