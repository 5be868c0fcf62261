"""Assess a region against every norm and target of the plan on a date.

:func:`assess` evaluates the per-community norms over columns (:mod:`._engine`, each norm's
one kernel), sums them by banner/county, league/city and region (:mod:`._rollup`), and
decides every target at each of those places (:mod:`._decide`): its attainment (met / not
met / unknown / not applicable), its citation, and the gap still to close in the target's
own unit. The result is an :class:`~sqfw.analysis.Assessment` (:mod:`._result`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.analysis._dask import evaluate_dask, is_dask_backed
from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._decide import counts, decide, has_data
from sqfw.analysis._engine import RuleParameters, evaluate, have_numpy
from sqfw.analysis._result import Assessment, IndicatorValue, Place, TargetResult
from sqfw.analysis._rollup import PlaceSums, rollup, township_sums
from sqfw.analysis._targets import IndicatorDef, plan_targets
from sqfw.calculators import PLAN_TARGET_DATE, RegionRule, Rounding
from sqfw.entities import DivisionLevel, Region
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.standards import Plan, Standards, get_plan, plan_standards, resolve_plan

__all__ = ["Progress", "assess", "choose_plan", "township_indicators"]

Progress = Callable[[str, int, int], None]
"""A progress callback: (stage, done, total)."""


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


def choose_plan(
    plan: Plan | str | None,
    on: pendulum.Date | str | None,
    code: str,
    *,
    plans: Sequence[Plan] = (),
    strict: bool = False,
) -> tuple[Plan, pendulum.Date]:
    """The plan an assessment follows, and its date.

    A plan given by id or object is used as it is; its date defaults to the end of its
    period (2020-12-31 for a layer without an end, such as the laws). Without a plan the
    date (default 2020-12-31, the 13th plan's "到2020年") picks the plan in force for the
    place ``code``; on a date after every plan for the place (a Five-Year period whose
    plan is not bundled) the latest plan is carried forward
    (:func:`~sqfw.standards.resolve_plan`), and :func:`assess` on that date says so.

    Args:
        plan: a plan or its id, or ``None``.
        on: the date.
        code: the place.
        plans: a user's own plans.
        strict: refuse to carry a plan forward.

    Raises:
        PlanNotFound: an unknown id, no plan in force on the date for the place, or a
            plan that would be carried forward when ``strict``.
        InvalidArgumentError: ``plan`` is neither a Plan, an id nor None.
    """
    plans = expect_items("plans", plans, Plan)
    if plan is not None:
        expect("plan", plan, (Plan, str))
    if plan is not None and on is None:
        chosen = get_plan(plan, plans=plans) if isinstance(plan, str) else plan
        # the end of a plan's period; a law has none: the library's default
        return chosen, chosen.end if chosen.end is not None else PLAN_TARGET_DATE
    day = PLAN_TARGET_DATE if on is None else as_date(on)
    return resolve_plan(plan, day, code, plans=plans, strict=strict).plan, day


def assess(
    data: RegionDataset | Region,
    *,
    on: pendulum.Date | str | None = None,
    plan: Plan | str | None = None,
    standards: Standards | None = None,
    norms: Iterable[str] | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
    use_numpy: bool | None = None,
    progress: Progress | None = None,
    strict: bool = False,
) -> Assessment:
    """Assess a region against the per-community norms and the targets of a plan.

    Args:
        data: a :class:`RegionDataset` (from a loader or :func:`sample_region`) or a
            :class:`~sqfw.entities.Region`. A Dask-backed dataset (:func:`to_dask`) is
            assessed chunk by chunk, on the ``dask.distributed`` client in use if any;
            the assessment holds the computed dataset.
        on: the evaluation date; without a plan it picks the plan in force for the region
            (default 2020-12-31, the 13th plan's "到2020年"); with one, it defaults to the
            end of the plan's period.
        plan: the plan to follow, by id (``"cn-14th"``) or as a
            :class:`~sqfw.standards.Plan` (a user's own, from
            :func:`~sqfw.standards.load_plan`).
        standards: the standards in force, with any overrides (default: the plan's).
        norms: the per-community norms to run, by id (default: the plan's); e.g. add
            ``"committee_households"`` to check the urban law's households range.
        rounding: the §2.1 per-100-households option.
        use_numpy: force the NumPy (``True``) or pure-Python (``False``) array namespace;
            by default NumPy when installed. Both run the same kernels and agree.
        progress: called with (stage, done, total) as the stages finish.
        strict: refuse a date after the plan's period (a Five-Year period whose plan is
            not bundled) instead of carrying the latest plan forward. By default the plan
            is carried forward, read as it stood on its last day, and the result says so
            (:attr:`Assessment.carried_forward`, each target's ``carried_forward``).

    Returns:
        An :class:`Assessment`.

    Raises:
        InvalidArgumentError: ``data`` is neither a RegionDataset nor a Region; a
            Dask-backed dataset with ``use_numpy=False``; a float column narrower than
            float64.
        PlanNotFound: an unknown plan, no plan in force on ``on`` for the region (a date
            before every plan), or, with ``strict``, a plan that would be carried forward.
        NotInForceError: a parameter of the plan's norms has no value on ``on``.

    Example:
        >>> from sqfw.analysis import assess, sample_region
        >>> result = assess(sample_region(seed=1))
        >>> result.target("volunteers").attainment.value in {"met", "not_met", "unknown"}
        True
    """
    expect("data", data, (RegionDataset, Region))
    dataset = data if isinstance(data, RegionDataset) else RegionDataset.from_region(data)
    chosen, asked = choose_plan(plan, on, dataset.root.code, strict=strict)
    in_force = resolve_plan(chosen, asked, dataset.root.code, strict=strict)
    day = in_force.dated  # the date the plan's parameters and targets are read on
    carried = in_force if in_force.carried_forward else None
    std = standards if standards is not None else plan_standards(chosen)
    params = RuleParameters.read(
        std, day, Rounding(rounding), norms=chosen.norms if norms is None else norms
    )
    indicators_of_plan, targets_of_plan = plan_targets(chosen, standards=std)
    by_id = {i.id: i for i in indicators_of_plan}
    numpy_path = have_numpy() if use_numpy is None else use_numpy
    stages = 3

    def report(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, stages)

    if is_dask_backed(dataset):  # the kernels chunk by chunk; then the computed dataset
        if use_numpy is False:
            raise InvalidArgumentError(
                "use_numpy", use_numpy, "True or None for a Dask-backed dataset (Dask is NumPy's)"
            )
        numpy_path = True
        dataset, runs = evaluate_dask(dataset, params)
    else:
        runs = evaluate(dataset, params, use_numpy=numpy_path)
    report("norms", 1)
    rules = _rules_of(indicators_of_plan)
    values = {rule.id: rule.values(std, day) for rule in rules}
    by_county, by_prefecture, region_sums = rollup(
        dataset, runs, rules, values, use_numpy=numpy_path
    )
    report("rollup", 2)
    places = _places(dataset)
    n_pref = len(dataset.prefectures)

    def sums_of(index: int) -> PlaceSums:
        if index == 0:
            return region_sums
        if index <= n_pref:
            return by_prefecture.at(index - 1)
        return by_county.at(index - 1 - n_pref)

    indicators: list[IndicatorValue] = []
    targets: list[TargetResult] = []
    sums: dict[str, PlaceSums] = {}
    for index, place in enumerate(places):
        place_sums = sums[place.code] = sums_of(index)
        indicators += _indicator_values(indicators_of_plan, place, place_sums)
        for target in targets_of_plan:
            if place.level in target.places:
                indicator = by_id[target.indicator]
                decided = decide(target, indicator, place, place_sums, day, std, dataset)
                targets.append(attrs.evolve(decided, carried_forward=carried))
    report("targets", 3)
    return Assessment(
        dataset=dataset,
        on=in_force.on,
        standards=std,
        plan=chosen,
        parameters=params,
        runs=runs,
        places=places,
        sums=sums,
        indicators=tuple(indicators),
        targets=tuple(targets),
        fast_path="numpy" if numpy_path else "python",
        count_townships=township_indicators,
        in_force=in_force,
    )


def _rules_of(definitions: Iterable[IndicatorDef]) -> list[RegionRule]:
    """The region rules the indicators count, each once, in order."""
    found = (d.rule for d in definitions)
    return list(dict.fromkeys(rule for rule in found if rule is not None))


def _indicator_values(
    definitions: Iterable[IndicatorDef], place: Place, sums: PlaceSums
) -> list[IndicatorValue]:
    """Each indicator at ``place``, counted from the place's sums."""
    values = []
    for definition in definitions:
        yes, total, unknown = counts(definition, sums)
        values.append(
            IndicatorValue(
                indicator=definition, place=place, numerator=yes, denominator=total, unknown=unknown
            )
        )
    return values


def township_indicators(a: Assessment) -> tuple[IndicatorValue, ...]:
    """The plan's indicators by sumu/township/street, for those the communities give.

    Summed like every place's (:func:`~sqfw.analysis._rollup.township_sums`) from the
    assessment's own norm runs; indicators of county figures (pay, workers) are left out.
    No target is decided at a township: the plan sets them for the region, leagues and
    banners.
    """
    expect("a", a, Assessment)
    definitions = dict.fromkeys(v.indicator for v in a.indicators)  # the plan's, in order
    rules = _rules_of(definitions)
    rule_values = {rule.id: rule.values(a.standards, a.on) for rule in rules}
    sums = township_sums(a.dataset, a.runs, rules, rule_values, use_numpy=a.fast_path == "numpy")
    given = sums.total()  # which quantities a township has
    shown = [d for d in definitions if has_data(d, given)]
    d = a.dataset
    values: list[IndicatorValue] = []
    for index, township in enumerate(d.townships):
        place = Place(
            level=DivisionLevel.TOWNSHIP,
            code=township.code,
            name=township.name,
            parent_code=d.counties[d.township_county[index]].code,
        )
        values += _indicator_values(shown, place, sums.at(index))
    return tuple(values)
