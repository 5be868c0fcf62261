"""Deciding the plan's targets at a place from its rolled-up sums.

Every target is decided by the same function as the region calculator of its rule
(:mod:`sqfw.calculators._share`): :func:`~sqfw.calculators._share.every` for "every
community meets the norm", :func:`~sqfw.calculators._share.at_least` for a share that must
reach a parameter, :func:`~sqfw.calculators._share.above` for a share that must be higher
than an earlier figure. Nothing here restates their logic; it reads the counts and the
parameters and writes the lines.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import pendulum

from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._format import target_lines
from sqfw.analysis._result import Attainment, Place, TargetResult
from sqfw.analysis._targets import IndicatorDef, TargetDef
from sqfw.calculators import Status
from sqfw.calculators._norm import m2
from sqfw.calculators._share import above, at_least, every, rate_at_least
from sqfw.errors import ValueNotSupplied
from sqfw.standards import ParameterValue, Standards, Unit

__all__ = ["counts", "decide"]


def has_data(indicator: IndicatorDef, sums: Mapping[str, float]) -> bool:
    """Whether the dataset gives the figures an indicator counts."""
    key = indicator.key
    return f"{key}.pass" in sums if indicator.norm is not None else f"{key}.total" in sums


def counts(indicator: IndicatorDef, sums: Mapping[str, float]) -> tuple[int | Decimal, int, int]:
    """(numerator, denominator, unknown) of an indicator from a place's sums.

    For a norm's compliance: communities passing, out of those the norm applies to
    (passing, failing or unknown), of which unknown. For the others: the yes count (an
    area, in m², for a rate of areas), the members counted, and the members whose answer
    (or figure) is unknown. An indicator whose figures the dataset does not give counts
    nothing.
    """
    key = indicator.key
    if not has_data(indicator, sums):
        return 0, 0, 0
    if indicator.norm is not None:
        passed, failed = sums[f"{key}.pass"], sums[f"{key}.fail"]
        unknown = sums[f"{key}.unknown"]
        return round(passed), round(passed + failed + unknown), round(unknown)
    yes = sums[f"{key}.yes"]
    numerator: int | Decimal = round(yes) if float(yes).is_integer() else _area(yes)
    return numerator, round(sums[f"{key}.total"]), round(sums[f"{key}.unknown"])


def _area(value: float) -> Decimal:
    area = m2(value)
    assert area is not None
    return area


def _gap(value: float, unit: Unit) -> Decimal | int:
    if unit is Unit.M2:
        area = m2(value)
        assert area is not None
        return area
    return round(value)


def decide(
    target: TargetDef,
    indicator: IndicatorDef,
    place: Place,
    sums: Mapping[str, float],
    on: pendulum.Date,
    standards: Standards,
    dataset: RegionDataset,
) -> TargetResult:
    """The target at one place."""
    try:
        looked = tuple(standards.lookup(p, on) for p in target.parameters)
    except ValueNotSupplied as missing:
        return _not_supplied(target, place, standards, on, missing.parameter_id)
    yes, total, unknown = counts(indicator, sums)
    gap: Decimal | int | None
    measured: Fraction | None
    required: Fraction | None
    if not has_data(indicator, sums):
        return _result(target, place, Attainment.UNKNOWN, None, None, None, looked, yes, total, 0)
    if target.kind == "every":
        status = every(int(yes), round(sums[f"{indicator.key}.fail"]), unknown)
        applies = status is not Status.NOT_APPLICABLE
        measured = Fraction(yes) / total if total else None
        required = Fraction(1) if applies else None
        gap = _gap(sums[f"{indicator.key}.shortfall"], target.gap_unit) if applies else None
        return _result(
            target,
            place,
            Attainment.of(status),
            measured,
            required,
            gap,
            looked,
            yes,
            total,
            unknown,
        )
    threshold = looked[0].value
    if target.kind == "per_at_least":
        assert target.per is not None
        assert not isinstance(threshold, bool)
        assert isinstance(threshold, Fraction | Decimal | int)
        decided = rate_at_least(
            yes,
            total,
            threshold,
            per=target.per,
            whole=target.gap_unit is not Unit.M2,
            missing=unknown,
        )
    elif target.kind == "at_least":
        assert isinstance(threshold, Fraction)
        if indicator.unknown == "amounts":
            # rows without their figures are left out of both sums: nothing to bound
            decided = at_least(int(yes), 0, total, threshold, missing=unknown)
        elif indicator.unknown == "members":
            decided = at_least(int(yes), unknown, total + unknown, threshold)
        else:
            decided = at_least(int(yes), unknown, total, threshold)
    else:
        baseline = getattr(dataset.baselines, target.baseline or "")
        decided = above(int(yes), total, baseline, must_rise=bool(threshold))
    short = decided.shortfall
    gap = (
        _gap(float(short), Unit.M2)
        if isinstance(short, Fraction) and target.gap_unit is Unit.M2
        else (None if short is None else int(short))
    )
    return _result(
        target,
        place,
        Attainment.of(decided.status),
        decided.measured,
        decided.required,
        gap,
        looked,
        yes,
        total,
        unknown,
    )


def _result(
    target: TargetDef,
    place: Place,
    attainment: Attainment,
    measured: Fraction | None,
    required: Fraction | None,
    gap: Decimal | int | None,
    looked: tuple[ParameterValue, ...],
    yes: int | Decimal,
    total: int,
    unknown: int,
) -> TargetResult:
    zh, en = target_lines(target, attainment, measured, required, gap, yes, total, unknown)
    return TargetResult(
        target=target,
        place=place,
        attainment=attainment,
        measured=measured,
        required=required,
        gap=gap,
        parameters=looked,
        explanation_zh=zh,
        explanation_en=en,
    )


def _not_supplied(
    target: TargetDef, place: Place, standards: Standards, on: pendulum.Date, parameter_id: str
) -> TargetResult:
    parameter = standards.parameter(parameter_id)
    cited = parameter.citation.document if parameter.citation is not None else parameter_id
    return TargetResult(
        target=target,
        place=place,
        attainment=Attainment.NOT_SUPPLIED,
        measured=None,
        required=None,
        gap=None,
        parameters=(),
        explanation_zh=(
            f"{target.label_zh}:指标值未提供({cited} 列出了该指标,但 sqfw 的资料中没有其数值;"
            f"请以覆盖值或本地规划提供 {parameter_id})"
        ),
        explanation_en=(
            f"{target.label_en}: value not supplied ({cited} names the indicator but sqfw's "
            f"sources do not give its figure; supply {parameter_id} as an override or in "
            "your own plan)"
        ),
    )
