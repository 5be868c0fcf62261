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
from sqfw.calculators._share import above, at_least, every
from sqfw.standards import Standards, Unit

__all__ = ["counts", "decide"]


def counts(indicator: IndicatorDef, sums: Mapping[str, float]) -> tuple[int, int, int]:
    """(numerator, denominator, unknown) of an indicator from a place's sums.

    For a norm's compliance: communities passing, out of those the norm applies to
    (passing, failing or unknown), of which unknown. For the others: the yes count, the
    members counted, and the members whose answer (or figure) is unknown.
    """
    key = indicator.key
    if indicator.norm is not None:
        passed, failed = sums[f"{key}.pass"], sums[f"{key}.fail"]
        unknown = sums[f"{key}.unknown"]
        return round(passed), round(passed + failed + unknown), round(unknown)
    return round(sums[f"{key}.yes"]), round(sums[f"{key}.total"]), round(sums[f"{key}.unknown"])


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
    looked = tuple(standards.lookup(p, on) for p in target.parameters)
    yes, total, unknown = counts(indicator, sums)
    gap: Decimal | int | None
    if target.kind == "every":
        status = every(yes, round(sums[f"{indicator.key}.fail"]), unknown)
        applies = status is not Status.NOT_APPLICABLE
        measured = Fraction(yes, total) if total else None
        required: Fraction | None = Fraction(1) if applies else None
        gap = _gap(sums[f"{indicator.key}.shortfall"], target.gap_unit) if applies else None
    elif target.kind == "at_least":
        threshold = looked[0].value
        assert isinstance(threshold, Fraction)
        if indicator.key == "volunteers":
            # communities without both figures are left out of the residents, not bounded
            decided = at_least(yes, 0, total, threshold, missing=unknown)
        else:
            decided = at_least(yes, unknown, total, threshold)
        status, measured, required, gap = (
            decided.status,
            decided.measured,
            decided.required,
            decided.shortfall,
        )
    else:
        baseline = getattr(dataset.baselines, target.baseline or "")
        decided = above(yes, total, baseline, must_rise=bool(looked[0].value))
        status, measured, required, gap = (
            decided.status,
            decided.measured,
            decided.required,
            decided.shortfall,
        )
    attainment = Attainment.of(status)
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
