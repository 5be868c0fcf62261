"""§5.11: registered volunteers at least 20% of the resident population (以上: 20% passes).

Unknown when either count is unknown; not applicable for a community without residents.
The share is compared by cross-multiplying whole numbers, which is exact.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import pendulum

from sqfw.calculators._figures import FigureReading, count_of, parameter_of, quotient_of
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

__all__ = ["VOLUNTEER_RATIO", "VolunteerParameters", "volunteer_ratio"]


@attrs.frozen(kw_only=True)
class VolunteerParameters:
    """The parameter of the volunteer norm."""

    share: Fraction = parameter("workforce.volunteers.registered_share.at_least")


def kernel(xp: Any, c: Mapping[str, Any], p: VolunteerParameters, at: Boundary) -> Outputs:
    """The rule over columns: volunteers × denominator ≥ residents × numerator."""
    v, r = c["volunteers"], c["residents"]
    top, bottom = p.share.numerator, p.share.denominator
    wanted = r * top
    unknown = xp.full(v.shape, UNKNOWN, dtype=xp.int8)
    status = xp.where(v * bottom >= wanted, PASS, xp.full(v.shape, FAIL, dtype=xp.int8))
    status = xp.where(r > 0, status, xp.where(r == 0, NOT_APPLICABLE, unknown))
    status = xp.where(xp.isnan(v), unknown, status)
    # the fewest volunteers reaching the share; exact: the quotient of two whole numbers is
    # a whole number exactly, or at least 1/bottom away from one. A division not correctly
    # rounded (XLA's) may pass a whole number: checked by multiplying back, which is exact
    needed = xp.ceil(wanted / bottom)
    needed = xp.where((needed - 1) * bottom >= wanted, needed - 1, needed)
    decided = status <= FAIL
    shortfall = xp.where(decided, xp.maximum(needed - v, 0.0), math.nan)
    # the share of two whole numbers: the float is the exact quotient correctly rounded
    measured = xp.where(decided, v / xp.where(r > 0, r, 1.0), math.nan)
    required = xp.full(v.shape, top / bottom)
    return {"status": status, "measured": measured, "required": required, "shortfall": shortfall}


figures = FigureReading(
    measured=quotient_of("volunteers", "residents"),
    required=parameter_of("share"),
    shortfall=count_of("shortfall"),
)
"""The share, the share required, and the volunteers still to register.

The share is the kernel's ``measured`` figure, taken exact: volunteers over residents, two
whole numbers (the float column is that quotient, correctly rounded), where it was decided.
"""


def explain(row: Row, params: NormParameters[VolunteerParameters]) -> Explained:
    """The share against the required share."""
    share, required, short = figures(row, params)
    status = row.status()
    if status is Status.UNKNOWN:
        missing = ", ".join(
            name
            for name, column in (
                ("registered_volunteers", "volunteers"),
                ("resident_population", "residents"),
            )
            if not row.known(column)
        )
        zh = f"缺少数据({missing}),无法判断志愿者注册比例"
        en = f"missing {missing}: the volunteer share cannot be computed"
    elif status is Status.NOT_APPLICABLE:
        zh = "常住人口为0,志愿者注册比例不适用"
        en = "no resident population: the volunteer share does not apply"
    else:
        volunteers, residents = int(row["volunteers"]), int(row["residents"])
        got, need = fmt(share), fmt(required)
        if status is Status.PASS:
            zh = f"注册志愿者 {volunteers} 人,占常住人口 {residents} 人的 {got},不低于 {need}"
            en = (
                f"{volunteers} registered volunteers are {got} "
                f"of {residents} residents, at least {need}"
            )
        else:
            zh = f"注册志愿者占常住人口 {got},低于 {need},还差 {short} 名志愿者"
            en = (
                f"registered volunteers are {got} of residents, "
                f"below {need}: {short} volunteers short"
            )
    return Explained(
        status=status,
        measured=share,
        required=required,
        shortfall=short,
        explanation_zh=zh,
        explanation_en=en,
    )


VOLUNTEER_RATIO: Norm[VolunteerParameters] = Norm(
    id="volunteer_ratio",
    label_zh="志愿者注册比例",
    label_en="volunteer share",
    unit=Unit.RATIO,
    shortfall_unit=Unit.COUNT,
    parameters=VolunteerParameters,
    reads=("volunteers", "residents"),
    kernel=kernel,
    figures=figures,
    explain=explain,
)
"""The volunteer norm (§5.11)."""


def volunteer_ratio(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check registered volunteers against the share of resident population required.

    Args:
        community: the community; ``registered_volunteers`` and ``resident_population``
            are read.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the exact share (a ratio) and the shortfall in volunteers;
        unknown when either count is unknown, not applicable for no residents.
    """
    return VOLUNTEER_RATIO.check(community, on=on, standards=standards)
