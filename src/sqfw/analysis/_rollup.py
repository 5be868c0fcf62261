"""Sums per banner/county, rolled up to leagues/cities and the region.

Every indicator of an assessment is a numerator over a denominator. For a per-community
norm they are the communities of each status (and the failing ones' shortfalls), from the
norm's run; for a region indicator they are the parts its :class:`~sqfw.calculators._region.
RegionRule` kernel gives each row — community, township or county — the same kernel the
region calculators run on entities. This module sums them per county in one pass
(``numpy.bincount`` when NumPy is there), then adds counties up by prefecture and region, so
a league's figure is always the sum of its banners'.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._engine import STATUSES, NormRun, columns_of, namespace, numpy_view
from sqfw.calculators import RegionRule, Status
from sqfw.calculators.kernels import (
    Count,
    Level,
    Tally,
    county_columns,
    python_arrays,
    township_columns,
    urban_residents,
)

__all__ = ["NormSums", "PlaceSums", "Sums", "rollup", "township_sums"]

_FAIL = STATUSES.index(Status.FAIL)


@attrs.frozen(kw_only=True)
class NormSums:
    """A norm's communities at a place: how many have each status, and the shortfall.

    Attributes:
        statuses: the number of communities of each :class:`~sqfw.calculators.Status`.
        shortfall: the sum of the failing communities' shortfalls (the norm's unit).
    """

    statuses: Mapping[Status, float]
    shortfall: float

    def count(self) -> Count:
        """The communities the norm applies to: passing, of all, unknown, failing."""
        passed = self.statuses[Status.PASS]
        failed = self.statuses[Status.FAIL]
        unknown = self.statuses[Status.UNKNOWN]
        return Count(
            yes=round(passed),
            total=round(passed + failed + unknown),
            unknown=round(unknown),
            failed=round(failed),
            shortfall=self.shortfall,
        )


@attrs.frozen(kw_only=True)
class PlaceSums:
    """What a place counts: each norm's statuses, and each region rule's parts summed.

    Attributes:
        norms: by norm id.
        rules: by region rule id, (yes, total, unknown); a rule whose rows the place does
            not have (a county's pay, at a township) is absent.
    """

    norms: Mapping[str, NormSums]
    rules: Mapping[str, tuple[float, float, float]]


@attrs.frozen(kw_only=True)
class Sums:
    """One figure per place (in the order of the dataset's table) for every quantity.

    Attributes:
        norms: by norm id, by status, one figure per place.
        shortfalls: by norm id, one figure per place.
        rules: by region rule id: yes, total, unknown, each one figure per place.
    """

    norms: Mapping[str, Mapping[Status, list[float]]]
    shortfalls: Mapping[str, list[float]]
    rules: Mapping[str, tuple[list[float], list[float], list[float]]]

    def at(self, index: int) -> PlaceSums:
        """The sums of the place at ``index``."""
        return PlaceSums(
            norms={
                norm: NormSums(
                    statuses={s: column[index] for s, column in statuses.items()},
                    shortfall=self.shortfalls[norm][index],
                )
                for norm, statuses in self.norms.items()
            },
            rules={rule: (y[index], t[index], u[index]) for rule, (y, t, u) in self.rules.items()},
        )

    def up(self, parents: Sequence[int], n_parents: int) -> Sums:
        """The sums added up by parent (``parents``: each place's parent's index)."""

        def add(values: list[float]) -> list[float]:
            out = [0.0] * n_parents
            for parent, value in zip(parents, values, strict=True):
                out[parent] += value
            return out

        return Sums(
            norms={n: {s: add(c) for s, c in st.items()} for n, st in self.norms.items()},
            shortfalls={n: add(c) for n, c in self.shortfalls.items()},
            rules={r: (add(y), add(t), add(u)) for r, (y, t, u) in self.rules.items()},
        )

    def total(self) -> PlaceSums:
        """Every place added up (the region)."""
        return PlaceSums(
            norms={
                norm: NormSums(
                    statuses={s: math.fsum(c) for s, c in statuses.items()},
                    shortfall=math.fsum(self.shortfalls[norm]),
                )
                for norm, statuses in self.norms.items()
            },
            rules={
                rule: (math.fsum(y), math.fsum(t), math.fsum(u))
                for rule, (y, t, u) in self.rules.items()
            },
        )


Summer = Callable[[Any], list[float]]


def _summer(xp: Any, places: array[int], n_places: int) -> Summer:
    """A function summing a per-row column per place."""
    if xp is python_arrays:

        def python_total(weights: Any) -> list[float]:
            out = [0.0] * n_places
            for place, weight in zip(places, weights, strict=True):
                out[place] += weight
            return out

        return python_total
    import numpy as np

    index = numpy_view(places)

    def numpy_total(weights: Any) -> list[float]:
        total: list[float] = np.bincount(index, weights=weights, minlength=n_places).tolist()
        return total

    return numpy_total


def _summed(tally: Tally, total: Summer) -> tuple[list[float], list[float], list[float]]:
    return total(tally.yes), total(tally.total), total(tally.unknown)


def _listed(tally: Tally) -> tuple[list[float], list[float], list[float]]:
    """The parts of rows that are places themselves (no sum)."""
    return (
        [float(v) for v in tally.yes],
        [float(v) for v in tally.total],
        [float(v) for v in tally.unknown],
    )


def _norm_sums(runs: Mapping[str, NormRun], xp: Any, total: Summer) -> dict[str, Any]:
    statuses = {
        norm_id: {s: total(run.status == code) for code, s in enumerate(STATUSES)}
        for norm_id, run in runs.items()
    }
    shortfalls = {
        norm_id: total(xp.where(run.status == _FAIL, run.shortfall, 0.0))
        for norm_id, run in runs.items()
    }
    return {"norms": statuses, "shortfalls": shortfalls}


def _python(columns: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    return {name: python_arrays.PyArray(list(values)) for name, values in columns.items()}


def _by_level(rules: Iterable[RegionRule], level: Level) -> list[RegionRule]:
    return [r for r in rules if r.level is level]


def rollup(
    dataset: RegionDataset,
    runs: Mapping[str, NormRun],
    rules: Sequence[RegionRule],
    values: Mapping[str, Mapping[str, Any]],
    *,
    use_numpy: bool,
) -> tuple[Sums, Sums, PlaceSums]:
    """Sum every quantity per county, per prefecture and for the region.

    Args:
        dataset: the region.
        runs: the norms' runs.
        rules: the region rules to count.
        values: each rule's parameter values, by rule id.
        use_numpy: run the community kernels on NumPy.

    Returns:
        (per county, per prefecture, region) sums.
    """
    xp = namespace(use_numpy)
    n_counties = len(dataset.counties)
    county_of = dataset.community_county
    total = _summer(xp, county_of, n_counties)
    c = columns_of(dataset, xp)
    counted: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for rule in _by_level(rules, Level.COMMUNITY):
        counted[rule.id] = _summed(rule.tally(xp, c, values[rule.id]), total)
    townships = _by_level(rules, Level.TOWNSHIP)
    if townships:
        up = _summer(python_arrays, dataset.township_county, n_counties)
        t = _python(township_columns(dataset.townships))
        for rule in townships:
            counted[rule.id] = _summed(rule.tally(python_arrays, t, values[rule.id]), up)
    counties = _by_level(rules, Level.COUNTY)
    if counties:
        residents, unknown = urban_residents(xp, c)
        k = _python(
            county_columns(
                dataset.counties,
                workers=dataset.county_workers,
                associate=dataset.county_workers_associate,
                urban=total(residents),
                urban_unknown=total(unknown),
            )
        )
        for rule in counties:
            counted[rule.id] = _listed(rule.tally(python_arrays, k, values[rule.id]))
    by_county = Sums(**_norm_sums(runs, xp, total), rules=counted)
    by_prefecture = by_county.up(dataset.county_prefecture, len(dataset.prefectures))
    return by_county, by_prefecture, by_county.total()


def township_sums(
    dataset: RegionDataset,
    runs: Mapping[str, NormRun],
    rules: Sequence[RegionRule],
    values: Mapping[str, Mapping[str, Any]],
    *,
    use_numpy: bool,
) -> Sums:
    """The quantities summed per sumu/township/street: community rules and street halls.

    What only a county has (the pay of its workers, its worker figures) has no township
    figure: those rules are absent, so the indicators built on them are not shown.
    """
    xp = namespace(use_numpy)
    total = _summer(xp, dataset.communities.township, len(dataset.townships))
    c = columns_of(dataset, xp)
    counted = {
        rule.id: _summed(rule.tally(xp, c, values[rule.id]), total)
        for rule in _by_level(rules, Level.COMMUNITY)
    }
    t = _python(township_columns(dataset.townships))
    for rule in _by_level(rules, Level.TOWNSHIP):
        counted[rule.id] = _listed(rule.tally(python_arrays, t, values[rule.id]))
    return Sums(**_norm_sums(runs, xp, total), rules=counted)
