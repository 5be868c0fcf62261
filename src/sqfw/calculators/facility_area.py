"""§2.1, §2.12, §2.13: minimum floor area of the comprehensive service facility.

Which minimums apply (the documented default for the plan's ambiguity):

* §2.1 "每百户不低于30平方米" applies to every community (the sentence speaks of 城乡社区):
  pro rata by default (0.3 m² per household), or per started hundred households
  (:attr:`Rounding.PER_STARTED_HUNDRED`);
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
from decimal import Decimal

import pendulum

from sqfw.calculators._result import Finding, Reader, Result, Status, combine, fmt
from sqfw.entities import Community, CommunityKind, FacilityKind
from sqfw.labels import LabeledEnum
from sqfw.standards import Standards, Unit

__all__ = ["Rounding", "facility_area"]

_TOWNSHIP_KINDS = frozenset(
    {CommunityKind.TOWNSHIP_SEAT, CommunityKind.URBAN_VILLAGE, CommunityKind.SUBURBAN_VILLAGE}
)


class Rounding(LabeledEnum):
    """How "每百户不低于30平方米" turns households into an area (§2.1)."""

    PRO_RATA = "pro_rata"
    PER_STARTED_HUNDRED = "per_started_hundred"

    __labels__ = {
        "pro_rata": ("按户数比例折算", "pro rata"),
        "per_started_hundred": ("不足百户按百户计", "per started hundred households"),
    }


def facility_area(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding = Rounding.PRO_RATA,
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
    read = Reader(standards, on)
    rounding = Rounding(rounding)
    measured = sum(
        (f.total_area_m2 for f in community.facilities if f.kind is FacilityKind.COMPREHENSIVE),
        Decimal(0),
    )
    if not any(f.kind is FacilityKind.COMPREHENSIVE for f in community.facilities):
        read.assume(
            "未登记社区综合服务设施,按面积为0计 / no comprehensive "
            "facility recorded: area taken as 0"
        )
    findings = [_per_households(community, measured, read, rounding)]
    if community.kind is CommunityKind.URBAN:
        findings.append(
            _minimum(
                measured, read, "facility.area.total_min", "§2.1", "总面积", "total area (urban)"
            )
        )
    elif community.kind in _TOWNSHIP_KINDS:
        findings.append(
            _minimum(
                measured,
                read,
                "facility.area.township_min",
                "§2.12",
                f"{community.kind.label_zh}服务中心面积",
                f"centre area ({community.kind.label_en})",
            )
        )
    else:
        findings.append(
            _minimum(
                measured,
                read,
                "facility.area.village_min",
                "§2.13",
                f"{community.kind.label_zh}服务中心总面积",
                f"centre area ({community.kind.label_en})",
            )
        )
    if community.new_or_renovated:
        findings.append(
            _minimum(
                measured,
                read,
                "facility.area.new_or_renovated_min",
                "§2.1",
                "新建和改造社区总面积",
                "total area (new or renovated community)",
            )
        )
    known = [f for f in findings if f.required is not None]
    required = max((_area(f.required) for f in known), default=None)
    status = combine(f.status for f in findings)
    shortfall = max(required - measured, Decimal(0)) if required is not None else None
    rules = "、".join(f.subject.split(" / ")[0] for f in findings)
    rules_en = "; ".join(f"{f.clause} {f.subject.split(' / ')[-1]}" for f in findings)
    clauses = tuple(dict.fromkeys(f.clause for f in findings))
    area = fmt(measured, Unit.M2)
    if status is Status.PASS:
        zh = f"综合服务设施面积 {area},不低于最大的适用下限 {fmt(required, Unit.M2)}(适用:{rules})"
        en = (
            f"facility area {area} meets the largest applicable "
            f"minimum {fmt(required, Unit.M2)} ({rules_en})"
        )
    elif status is Status.FAIL:
        zh = (
            f"综合服务设施面积 {area},低于 {fmt(required, Unit.M2)},"
            f"还差 {fmt(shortfall, Unit.M2)}(适用:{rules})"
        )
        en = (
            f"facility area {area} is below {fmt(required, Unit.M2)}:"
            f" {fmt(shortfall, Unit.M2)} short ({rules_en})"
        )
    else:
        zh = f"综合服务设施面积 {area},户数未知,无法判断是否满足每百户面积要求(适用:{rules})"
        en = (
            f"facility area {area}; households unknown, so the "
            f"per-100-households minimum cannot be checked ({rules_en})"
        )
    return read.result(
        norm="facility_area",
        clauses=clauses,
        subject=community.code,
        status=status,
        measured=measured,
        required=required,
        shortfall=shortfall if status is not Status.UNKNOWN else None,
        unit=Unit.M2,
        findings=tuple(findings),
        explanation_zh=zh,
        explanation_en=en,
    )


def _area(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def _per_households(
    community: Community, measured: Decimal, read: Reader, rounding: Rounding
) -> Finding:
    per_hundred = read.area("facility.area.per_100_households")
    subject = (
        f"§2.1 每百户{fmt(per_hundred)} m²({rounding.label_zh}) / "
        f"{fmt(per_hundred)} m² per 100 households ({rounding.label_en})"
    )
    households = community.households
    if households is None:
        return Finding(
            subject=subject,
            clause="§2.1",
            status=Status.UNKNOWN,
            measured=measured,
            unit=Unit.M2,
            explanation_zh="户数未知,无法计算每百户面积下限",
            explanation_en="households unknown: the per-100-households minimum cannot be computed",
        )
    if rounding is Rounding.PER_STARTED_HUNDRED:
        required = per_hundred * math.ceil(Decimal(households) / 100)
    else:
        required = per_hundred * households / 100
    zh_what = f"{households} 户按每百户 {fmt(per_hundred)} m²"
    en_what = f"{households} households at {fmt(per_hundred)} m² per 100"
    return _compare(measured, required, "§2.1", subject, zh_what, en_what)


def _minimum(
    measured: Decimal, read: Reader, parameter_id: str, clause: str, zh: str, en: str
) -> Finding:
    required = read.area(parameter_id)
    return _compare(measured, required, clause, f"{clause} {zh} / {en}", zh, en)


def _compare(
    measured: Decimal, required: Decimal, clause: str, subject: str, zh: str, en: str
) -> Finding:
    # 不低于: the minimum itself passes.
    ok = measured >= required
    short = max(required - measured, Decimal(0))
    need = fmt(required, Unit.M2)
    return Finding(
        subject=subject,
        clause=clause,
        status=Status.PASS if ok else Status.FAIL,
        measured=measured,
        required=required,
        shortfall=short,
        unit=Unit.M2,
        explanation_zh=f"{zh}:要求不低于 {need}" + ("" if ok else f",还差 {fmt(short, Unit.M2)}"),
        explanation_en=f"{en}: at least {need}" + ("" if ok else f", {fmt(short, Unit.M2)} short"),
    )
