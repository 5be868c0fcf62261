"""§2.4: every community service facility meets the barrier-free standard.

Every facility with a floor area is counted (a mobile service has none); a facility not
surveyed makes the result unknown unless another one fails. The shortfall is the number of
facilities still to adapt.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

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
from sqfw.entities import Community
from sqfw.standards import Standards, Unit

__all__ = ["BARRIER_FREE", "BarrierFreeParameters", "barrier_free"]


@attrs.frozen(kw_only=True)
class BarrierFreeParameters:
    """The parameter of the barrier-free norm."""

    required: bool = parameter("facility.barrier_free.required")


def kernel(xp: Any, c: Mapping[str, Any], p: BarrierFreeParameters, at: Boundary) -> Outputs:
    """The rule over columns: no facility fails, and every one is surveyed."""
    count, yes, no = c["facilities"], c["barrier_free_yes"], c["barrier_free_no"]
    not_applicable = xp.full(count.shape, NOT_APPLICABLE, dtype=xp.int8)
    nothing = xp.full(count.shape, math.nan)
    if not p.required:
        return {
            "status": not_applicable,
            "measured": nothing,
            "required": nothing,
            "shortfall": nothing,
        }
    unknown = xp.full(count.shape, UNKNOWN, dtype=xp.int8)
    status = xp.where(no > 0, FAIL, xp.where(yes >= count, PASS, unknown))
    status = xp.where(count > 0, status, not_applicable)
    short = xp.astype(no, xp.float64)
    shortfall = xp.where(status == FAIL, short, xp.where(status == PASS, 0.0 * short, math.nan))
    counted = status != NOT_APPLICABLE
    return {
        "status": status,
        "measured": xp.where(counted, xp.astype(yes, xp.float64), math.nan),
        "required": xp.where(counted, xp.astype(count, xp.float64), math.nan),
        "shortfall": shortfall,
    }


figures = FigureReading(
    measured=count_of("measured"), required=count_of("required"), shortfall=count_of("shortfall")
)
"""Barrier-free facilities, facilities counted, and facilities still to adapt (the kernel's
``measured``, ``required`` and ``shortfall``)."""


def explain(row: Row, params: NormParameters[BarrierFreeParameters]) -> Explained:
    """How many facilities are barrier-free, not, or not surveyed."""
    good, total, short = figures(row, params)
    status = row.status()
    if status is Status.NOT_APPLICABLE:
        off = not params.values.required
        zh = "无障碍标准不适用:" + ("无障碍要求未启用" if off else "没有有面积的服务设施")
        en = "barrier-free standard not applicable: " + (
            "the requirement is switched off" if off else "no facility with a floor area"
        )
    elif status is Status.PASS:
        zh, en = f"{total} 处设施均符合无障碍标准", f"all {total} facilities are barrier-free"
    elif status is Status.FAIL:
        zh = f"{total} 处设施中 {short} 处不符合无障碍标准,还差 {short} 处"
        en = f"{short} of {total} facilities are not barrier-free: {short} short"
    else:
        unsurveyed = int(row["facilities"]) - int(row["barrier_free_yes"])
        unsurveyed -= int(row["barrier_free_no"])
        zh = f"{total} 处设施中 {unsurveyed} 处未调查无障碍情况"
        en = f"{unsurveyed} of {total} facilities not surveyed for barrier-free access"
    return Explained(
        status=status,
        measured=good,
        required=total,
        shortfall=short,
        explanation_zh=zh,
        explanation_en=en,
    )


BARRIER_FREE: Norm[BarrierFreeParameters] = Norm(
    id="barrier_free",
    label_zh="无障碍设施",
    label_en="barrier-free facilities",
    unit=Unit.COUNT,
    shortfall_unit=Unit.COUNT,
    parameters=BarrierFreeParameters,
    reads=("facilities", "barrier_free_yes", "barrier_free_no"),
    kernel=kernel,
    figures=figures,
    explain=explain,
)
"""The barrier-free norm (§2.4)."""


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
    return BARRIER_FREE.check(community, on=on, standards=standards)
