"""Deciding the plan's targets at a place from its rolled-up sums.

Every target is decided by its kind (:class:`~sqfw.calculators._kinds.TargetKind`: every,
at least, above a baseline, a rate at least), the same object the region calculators decide
their rule with, from the same :class:`~sqfw.calculators._kinds.Count` of the same region
rule's kernel. Nothing here restates a decision; it reads the counts and the parameters and
writes the lines.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pendulum

from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._format import target_lines
from sqfw.analysis._result import Attainment, Place, TargetResult
from sqfw.analysis._rollup import PlaceSums
from sqfw.analysis._targets import IndicatorDef, TargetDef
from sqfw.calculators.kernels import Count, m2
from sqfw.errors import ValueNotSupplied
from sqfw.standards import ParameterValue, Standards, Unit

__all__ = ["counts", "decide"]


def has_data(indicator: IndicatorDef, sums: PlaceSums) -> bool:
    """Whether the place's sums give the figures an indicator counts."""
    if indicator.norm is not None:
        return indicator.norm in sums.norms
    return indicator.key in sums.rules


def count_of(indicator: IndicatorDef, sums: PlaceSums) -> Count:
    """What a place counts for an indicator (nothing when its figures are not given).

    For a norm's compliance: communities passing, out of those the norm applies to
    (passing, failing or unknown), of which unknown. For a region rule: the yes count (an
    area, in m², for a rate of areas), the members counted, and the members whose answer
    (or figure) is unknown.
    """
    if not has_data(indicator, sums):
        return Count(yes=0, total=0, unknown=0)
    if indicator.norm is not None:
        return sums.norms[indicator.norm].count()
    yes, total, unknown = sums.rules[indicator.key]
    numerator: int | Decimal = round(yes) if float(yes).is_integer() else _area(yes)
    return Count(yes=numerator, total=round(total), unknown=round(unknown))


def counts(indicator: IndicatorDef, sums: PlaceSums) -> tuple[int | Decimal, int, int]:
    """(numerator, denominator, unknown) of an indicator from a place's sums."""
    found = count_of(indicator, sums)
    return found.yes, found.total, found.unknown


def _area(value: float) -> Decimal:
    area = m2(value)
    assert area is not None
    return area


def _gap(short: int | Fraction | None, unit: Unit) -> Decimal | int | None:
    if short is None:
        return None
    if unit is Unit.M2:
        return _area(float(short))
    return round(short)


def decide(
    target: TargetDef,
    indicator: IndicatorDef,
    place: Place,
    sums: PlaceSums,
    on: pendulum.Date,
    standards: Standards,
    dataset: RegionDataset,
) -> TargetResult:
    """The target at one place."""
    try:
        looked = tuple(standards.lookup(p, on) for p in target.parameters)
    except ValueNotSupplied as missing:
        return _not_supplied(target, place, standards, on, missing.parameter_id)
    found = count_of(indicator, sums)
    if not has_data(indicator, sums):
        return _result(target, place, Attainment.UNKNOWN, None, None, None, looked, found)
    decided = target.kind.decide(
        found,
        unknowns=indicator.unknown,
        threshold=looked[0].value if looked else None,
        baseline=getattr(dataset.baselines, target.baseline or "", None),
        per=target.per,
        whole=target.gap_unit is not Unit.M2,
    )
    return _result(
        target,
        place,
        Attainment.of(decided.status),
        decided.measured,
        target.kind.shown_required(decided.required),
        _gap(decided.shortfall, target.gap_unit),
        looked,
        found,
    )


def _result(
    target: TargetDef,
    place: Place,
    attainment: Attainment,
    measured: Fraction | None,
    required: Fraction | None,
    gap: Decimal | int | None,
    looked: tuple[ParameterValue, ...],
    found: Count,
) -> TargetResult:
    zh, en = target_lines(
        target, attainment, measured, required, gap, found.yes, found.total, found.unknown
    )
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
