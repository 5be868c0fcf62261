"""Assess a region against every norm and target of the plan on a date.

:func:`assess` evaluates the per-community norms over columns (:mod:`._engine`, each norm's
one kernel), sums them by banner/county, league/city and region (:mod:`._rollup`), and
decides every target at each of those places (:mod:`._decide`): its attainment (met / not
met / unknown / not applicable), its citation, and the gap still to close in the target's
own unit. The result is an :class:`~sqfw.analysis.Assessment` (:mod:`._result`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._decide import counts, decide
from sqfw.analysis._engine import RuleParameters, evaluate, have_numpy
from sqfw.analysis._result import Assessment, IndicatorValue, Place, TargetResult
from sqfw.analysis._rollup import rollup
from sqfw.analysis._targets import INDICATORS, TARGETS
from sqfw.calculators import PLAN_TARGET_DATE, Rounding
from sqfw.entities import DivisionLevel, Region
from sqfw.periods import as_date
from sqfw.standards import Standards, default_standards

__all__ = ["Progress", "assess"]

Progress = Callable[[str, int, int], None]
"""A progress callback: (stage, done, total)."""

_INDICATOR_BY_ID = {i.id: i for i in INDICATORS}


def _places(dataset: RegionDataset) -> tuple[Place, ...]:
    root = dataset.root
    region = Place(level=DivisionLevel.REGION, code=root.code, name=root.name)
    prefectures = tuple(
        Place(level=DivisionLevel.PREFECTURE, code=p.code, name=p.name) for p in dataset.prefectures
    )
    counties = tuple(
        Place(
            level=DivisionLevel.COUNTY,
            code=c.code,
            name=c.name,
            parent_code=dataset.prefectures[p].code,
        )
        for c, p in zip(dataset.counties, dataset.county_prefecture, strict=True)
    )
    return (region, *prefectures, *counties)


def assess(
    data: RegionDataset | Region,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
    use_numpy: bool | None = None,
    progress: Progress | None = None,
) -> Assessment:
    """Assess a region against every per-community norm and every target of the plan.

    Args:
        data: a :class:`RegionDataset` (from a loader or :func:`sample_region`) or a
            :class:`~sqfw.entities.Region`.
        on: the evaluation date (default 2020-12-31, the plan's "到2020年").
        standards: the standards in force, with any overrides (default: bundled).
        rounding: the §2.1 per-100-households option.
        use_numpy: force the NumPy (``True``) or pure-Python (``False``) array namespace;
            by default NumPy when installed. Both run the same kernels and agree.
        progress: called with (stage, done, total) as the stages finish.

    Returns:
        An :class:`Assessment`.

    Raises:
        NotInForceError: a parameter has no value on ``on`` (e.g. a date after 2020).

    Example:
        >>> from sqfw.analysis import assess, sample_region
        >>> result = assess(sample_region(seed=1))
        >>> result.target("volunteers").attainment.value in {"met", "not_met", "unknown"}
        True
    """
    dataset = data if isinstance(data, RegionDataset) else RegionDataset.from_region(data)
    day = PLAN_TARGET_DATE if on is None else as_date(on)
    std = standards if standards is not None else default_standards()
    params = RuleParameters.read(std, day, Rounding(rounding))
    numpy_path = have_numpy() if use_numpy is None else use_numpy
    stages = 3

    def report(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, stages)

    runs = evaluate(dataset, params, use_numpy=numpy_path)
    report("norms", 1)
    by_county, by_prefecture, region_sums = rollup(dataset, runs, use_numpy=numpy_path)
    report("rollup", 2)
    places = _places(dataset)
    n_pref = len(dataset.prefectures)

    def sums_of(index: int) -> dict[str, float]:
        if index == 0:
            return region_sums
        if index <= n_pref:
            return {k: v[index - 1] for k, v in by_prefecture.items()}
        return {k: v[index - 1 - n_pref] for k, v in by_county.items()}

    indicators: list[IndicatorValue] = []
    targets: list[TargetResult] = []
    sums: dict[str, dict[str, float]] = {}
    for index, place in enumerate(places):
        place_sums = sums[place.code] = sums_of(index)
        for definition in INDICATORS:
            yes, total, unknown = counts(definition, place_sums)
            indicators.append(
                IndicatorValue(
                    indicator=definition,
                    place=place,
                    numerator=yes,
                    denominator=total,
                    unknown=unknown,
                )
            )
        for target in TARGETS:
            if place.level in target.places:
                indicator = _INDICATOR_BY_ID[target.indicator]
                targets.append(decide(target, indicator, place, place_sums, day, std, dataset))
    report("targets", 3)
    return Assessment(
        dataset=dataset,
        on=day,
        standards=std,
        parameters=params,
        runs=runs,
        places=places,
        sums=sums,
        indicators=tuple(indicators),
        targets=tuple(targets),
        fast_path="numpy" if numpy_path else "python",
    )
