"""§5.11: registered volunteers at least 20% of the resident population (以上: 20% passes).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from fractions import Fraction

import pendulum

from sqfw.calculators._result import Reader, Result, Status, fmt
from sqfw.calculators._share import needed_for
from sqfw.entities import Community
from sqfw.standards import Standards, Unit

__all__ = ["volunteer_ratio"]


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
    read = Reader(standards, on)
    required = read.ratio("workforce.volunteers.registered_share.at_least")
    volunteers = community.registered_volunteers
    residents = community.resident_population
    if volunteers is None or residents is None:
        missing = [
            name
            for name, value in (
                ("registered_volunteers", volunteers),
                ("resident_population", residents),
            )
            if value is None
        ]
        return read.result(
            norm="volunteer_ratio",
            clauses=("§5.11",),
            subject=community.code,
            status=Status.UNKNOWN,
            required=required,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            explanation_zh=f"缺少数据({', '.join(missing)}),无法判断志愿者注册比例",
            explanation_en=f"missing {', '.join(missing)}: the volunteer share cannot be computed",
        )
    if residents == 0:
        return read.result(
            norm="volunteer_ratio",
            clauses=("§5.11",),
            subject=community.code,
            status=Status.NOT_APPLICABLE,
            required=required,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            explanation_zh="常住人口为0,志愿者注册比例不适用",
            explanation_en="no resident population: the volunteer share does not apply",
        )
    share = Fraction(volunteers, residents)
    short = max(needed_for(required, residents) - volunteers, 0)
    ok = share >= required
    if ok:
        zh = (
            f"注册志愿者 {volunteers} 人,占常住人口 {residents} "
            f"人的 {fmt(share)},不低于 {fmt(required)}"
        )
        en = (
            f"{volunteers} registered volunteers are {fmt(share)} "
            f"of {residents} residents, at least {fmt(required)}"
        )
    else:
        zh = f"注册志愿者占常住人口 {fmt(share)},低于 {fmt(required)},还差 {short} 名志愿者"
        en = (
            f"registered volunteers are {fmt(share)} of residents,"
            f" below {fmt(required)}: {short} volunteers short"
        )
    return read.result(
        norm="volunteer_ratio",
        clauses=("§5.11",),
        subject=community.code,
        status=Status.PASS if ok else Status.FAIL,
        measured=share,
        required=required,
        shortfall=short,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        explanation_zh=zh,
        explanation_en=en,
    )
