"""§2.1, §2.12, §2.13: minimum floor area of the comprehensive service facility.

Which minimums apply (the documented default for the plan's ambiguity):

* §2.1 "每百户不低于30平方米" applies to every community (the sentence speaks of 城乡社区):
  pro rata by default (0.3 m² per household), or per started hundred households
  (:attr:`Rounding.PER_STARTED_HUNDRED`). A community whose households are unknown — or
  given as 0, which no community has — cannot be checked against it: the result is
  unknown unless another minimum already fails;
* §2.1 "总面积不低于300平方米" applies to urban communities;
* §2.12 (300 m²) applies to sumu/township seats, urban and suburban villages, and §2.13
  (150 m²) to central villages, traditional rural villages and pastoral areas, in place of
  the urban total;
* §2.1 "新建和改造社区总面积不低于500平方米" applies to every new or renovated community.

The largest applicable minimum wins; the result lists each rule as a :class:`Finding`.
The measured area is the sum of the community's comprehensive facilities.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from sqfw.calculators._columns import COMMUNITY_KINDS
from sqfw.calculators._figures import FigureReading, area_of
from sqfw.calculators._norm import (
    FAIL,
    PASS,
    UNKNOWN,
    Boundary,
    Explained,
    Norm,
    NormParameters,
    Outputs,
    Row,
    m2,
    option,
    parameter,
)
from sqfw.calculators._result import Finding, Measure, Result, Status, fmt
from sqfw.entities import Community, CommunityKind
from sqfw.labels import LabeledEnum
from sqfw.standards import Standards, Unit

__all__ = ["FACILITY_AREA", "AreaParameters", "Rounding", "facility_area"]


class Rounding(LabeledEnum):
    """How "每百户不低于30平方米" turns households into an area (§2.1)."""

    PRO_RATA = "pro_rata"
    PER_STARTED_HUNDRED = "per_started_hundred"

    __labels__ = {
        "pro_rata": ("按户数比例折算", "pro rata"),
        "per_started_hundred": ("不足百户按百户计", "per started hundred households"),
    }


@attrs.frozen(kw_only=True)
class AreaParameters:
    """The parameters of the facility-area norm, and the §2.1 rounding choice."""

    per_100_households: Any = parameter("facility.area.per_100_households")
    total_min: Any = parameter("facility.area.total_min")
    township_min: Any = parameter("facility.area.township_min")
    village_min: Any = parameter("facility.area.village_min")
    new_or_renovated_min: Any = parameter("facility.area.new_or_renovated_min")
    rounding: Rounding = option(Rounding.PRO_RATA, converter=Rounding)


_BASE: Mapping[CommunityKind, str] = {
    CommunityKind.URBAN: "total_min",
    CommunityKind.TOWNSHIP_SEAT: "township_min",
    CommunityKind.URBAN_VILLAGE: "township_min",
    CommunityKind.SUBURBAN_VILLAGE: "township_min",
    CommunityKind.CENTRAL_VILLAGE: "village_min",
    CommunityKind.RURAL_VILLAGE: "village_min",
    CommunityKind.PASTORAL: "village_min",
}
"""Which total-area minimum a community kind takes (§2.1 urban, §2.12, §2.13)."""
_BASE_BY_KIND = tuple(_BASE[kind] for kind in COMMUNITY_KINDS)


def kernel(xp: Any, c: Mapping[str, Any], p: AreaParameters, at: Boundary) -> Outputs:
    """The rule over columns: the largest applicable minimum against the area."""
    area, households = c["area"], c["households"]
    base = xp.take(xp.asarray([getattr(p, name) for name in _BASE_BY_KIND]), c["kind"])
    hundreds = households / 100
    if p.rounding is Rounding.PER_STARTED_HUNDRED:
        hundreds = xp.ceil(hundreds)  # checked by multiplying back (XLA's division is inexact)
        hundreds = xp.where((hundreds - 1) * 100 >= households, hundreds - 1, hundreds)
    per_households = p.per_100_households * hundreds  # NaN when households are unknown
    new = c["new_or_renovated"] == 1
    floor = xp.where(new & (p.new_or_renovated_min > base), p.new_or_renovated_min, base)
    per_wins = per_households > floor
    required = xp.where(per_wins, per_households, floor)
    met = at.at_least(area, required, computed=per_wins)
    counted = households > 0  # without households the per-100 minimum is unknown
    unknown = xp.full(area.shape, UNKNOWN, dtype=xp.int8)
    status = xp.where(met, xp.where(counted, PASS, unknown), FAIL)
    status = xp.where(xp.isnan(area), unknown, status)
    shortfall = xp.where(met, xp.where(counted, xp.zeros(area.shape), math.nan), required - area)
    return {
        "status": status,
        "measured": area,
        "required": required,
        "shortfall": shortfall,
        "per_households": per_households,
        "base": base,
        # the area per hundred households as this rule counts them (its rounding): the
        # figure the per-100-households minimum holds against (NaN without households)
        "area_per_100_households": xp.where(
            hundreds > 0, area / xp.where(hundreds > 0, hundreds, 1), math.nan
        ),
    }


figures = FigureReading(
    measured=area_of("measured"), required=area_of("required"), shortfall=area_of("shortfall")
)
"""Measured, required and shortfall of a row, in m² (the kernel's own columns, exact)."""

_Rule = tuple[str, str, str, str, Any]
"""A minimum's sub-check texts: subject, Chinese and English names, clause, figure."""


def _rules(params: NormParameters[AreaParameters]) -> dict[str, _Rule]:
    p = params.values
    clause = {name: value.citation.clause for name, value in params.lookups.items()}
    per_100 = fmt(p.per_100_households)
    rules: dict[str, _Rule] = {
        "per_100_households": (
            f"{clause['per_100_households']} 每百户{per_100} m²({p.rounding.label_zh}) / "
            f"{per_100} m² per 100 households ({p.rounding.label_en})",
            per_100,
            per_100,
            clause["per_100_households"],
            None,
        ),
        "new_or_renovated_min": (
            f"{clause['new_or_renovated_min']} 新建和改造社区总面积 / "
            "total area (new or renovated community)",
            "新建和改造社区总面积",
            "total area (new or renovated community)",
            clause["new_or_renovated_min"],
            p.new_or_renovated_min,
        ),
    }
    for kind in COMMUNITY_KINDS:
        base = _BASE[kind]
        if kind is CommunityKind.URBAN:
            zh, en = "总面积", "total area (urban)"
        else:
            zh = f"{kind.label_zh}服务中心{'面积' if base == 'township_min' else '总面积'}"
            en = f"centre area ({kind.label_en})"
        rules[kind.value] = (f"{clause[base]} {zh} / {en}", zh, en, clause[base], getattr(p, base))
    return rules


def explain(row: Row, params: NormParameters[AreaParameters]) -> Explained:
    """Each minimum that applied, which one won, and the verdict."""
    rules: dict[str, _Rule] = params.memo("rules", _rules, params)
    measured, required, shortfall = figures(row, params)
    status = row.status()
    kind = COMMUNITY_KINDS[int(row["kind"])]
    households = row.number("households")
    subject, per_100, _, clause, _ = rules["per_100_households"]
    if households > 0:
        count = int(households)
        findings = [
            _compare(
                measured,
                m2(row["per_households"]),
                clause,
                subject,
                f"{count} 户按每百户 {per_100} m²",
                f"{count} households at {per_100} m² per 100",
            )
        ]
    else:
        why_zh = "户数为0" if households == 0 else "户数未知"
        why_en = "households given as 0" if households == 0 else "households unknown"
        findings = [
            Finding(
                subject=subject,
                clause=clause,
                status=Status.UNKNOWN,
                measured=measured,
                unit=Unit.M2,
                explanation_zh=f"{why_zh},无法计算每百户面积下限",
                explanation_en=f"{why_en}: the per-100-households minimum cannot be computed",
            )
        ]
    applied = [kind.value]
    if int(row["new_or_renovated"]) == 1:
        applied.append("new_or_renovated_min")
    for key in applied:
        subject, zh, en, clause, need = rules[key]
        findings.append(_compare(measured, need, clause, subject, zh, en))
    names, names_en = params.memo(("names", *applied), _names, findings)
    area, need, short = fmt(measured, Unit.M2), fmt(required, Unit.M2), fmt(shortfall, Unit.M2)
    if status is Status.PASS:
        zh = f"综合服务设施面积 {area},不低于最大的适用下限 {need}(适用:{names})"
        en = f"facility area {area} meets the largest applicable minimum {need} ({names_en})"
    elif status is Status.FAIL:
        zh = f"综合服务设施面积 {area},低于 {need},还差 {short}(适用:{names})"
        en = f"facility area {area} is below {need}: {short} short ({names_en})"
    elif measured is None:
        zh = f"综合服务设施面积未知,无法判断(适用:{names})"
        en = f"facility area unknown: the norm cannot be checked ({names_en})"
    else:
        zh = f"综合服务设施面积 {area},户数未知,无法判断是否满足每百户面积要求(适用:{names})"
        en = (
            f"facility area {area}; households unknown, so the "
            f"per-100-households minimum cannot be checked ({names_en})"
        )
    assumptions: tuple[str, ...] = ()
    if measured == 0:
        assumptions = (
            "未登记社区综合服务设施,按面积为0计 / no comprehensive "
            "facility recorded: area taken as 0",
        )
    return Explained(
        status=status,
        measured=measured,
        required=required,
        shortfall=shortfall,
        findings=tuple(findings),
        explanation_zh=zh,
        explanation_en=en,
        assumptions=assumptions,
    )


def _names(findings: list[Finding]) -> tuple[str, str]:
    return (
        "、".join(f.subject.split(" / ")[0] for f in findings),
        "; ".join(f"{f.clause} {f.subject.split(' / ')[-1]}" for f in findings),
    )


def applies(row: Row) -> tuple[str, ...]:
    """The minimums a community is held to: §2.1 per households, its kind's total, new."""
    kind = COMMUNITY_KINDS[int(row["kind"])]
    new = ("new_or_renovated_min",) if int(row["new_or_renovated"]) == 1 else ()
    return ("per_100_households", _BASE[kind], *new)


def _compare(
    measured: Measure | None, required: Any, clause: str, subject: str, zh: str, en: str
) -> Finding:
    need = fmt(required, Unit.M2)
    if measured is None:
        return Finding(
            subject=subject,
            clause=clause,
            status=Status.UNKNOWN,
            required=required,
            unit=Unit.M2,
            explanation_zh=f"{zh}:要求不低于 {need}",
            explanation_en=f"{en}: at least {need}",
        )
    if measured >= required:
        return Finding(
            subject=subject,
            clause=clause,
            status=Status.PASS,
            measured=measured,
            required=required,
            shortfall=0,
            unit=Unit.M2,
            explanation_zh=f"{zh}:要求不低于 {need}",
            explanation_en=f"{en}: at least {need}",
        )
    short = required - measured
    text = fmt(short, Unit.M2)
    return Finding(
        subject=subject,
        clause=clause,
        status=Status.FAIL,
        measured=measured,
        required=required,
        shortfall=short,
        unit=Unit.M2,
        explanation_zh=f"{zh}:要求不低于 {need},还差 {text}",
        explanation_en=f"{en}: at least {need}, {text} short",
    )


FACILITY_AREA: Norm[AreaParameters] = Norm(
    id="facility_area",
    label_zh="社区综合服务设施面积",
    label_en="comprehensive facility area",
    unit=Unit.M2,
    shortfall_unit=Unit.M2,
    parameters=AreaParameters,
    reads=("kind", "area", "households", "new_or_renovated"),
    kernel=kernel,
    figures=figures,
    explain=explain,
    applies=applies,
)
"""The facility-area norm (§2.1, §2.12, §2.13)."""


def facility_area(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> Result:
    """Check the comprehensive facility's total area against every applicable minimum.

    Args:
        community: the community; its kind, households and facilities are read.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).
        rounding: how households become an area under §2.1.

    Returns:
        A :class:`Result` in m²; ``findings`` has one entry per rule applied. Unknown when
        the households are unknown and the area meets every other minimum.
    """
    return FACILITY_AREA.check(community, on=on, standards=standards, rounding=rounding)
