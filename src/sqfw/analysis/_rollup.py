"""Sums per banner/county, rolled up to leagues/cities and the region.

Every indicator of an assessment is a numerator over a denominator; both are sums of
per-community (or per-street, per-county) figures. This module sums them per county in one
pass (``numpy.bincount`` when NumPy is there), then adds counties up by prefecture and
region, so a league's figure is always the sum of its banners'.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Mapping
from typing import Any

from sqfw.analysis._dataset import COMMUNITY_KINDS, UNKNOWN, RegionDataset
from sqfw.analysis._engine import STATUSES, NormRun, columns_of, namespace, numpy_view
from sqfw.calculators import Status, _arrays
from sqfw.calculators.coverage import has_facility
from sqfw.entities import CommunityKind, Division, DivisionKind

__all__ = ["Sums", "rollup", "township_sums"]

Sums = dict[str, list[float]]
"""Quantity name → one figure per place (in the order of the dataset's table)."""

_URBAN = COMMUNITY_KINDS.index(CommunityKind.URBAN)
_STATUS_NAMES = {
    STATUSES.index(Status.PASS): "pass",
    STATUSES.index(Status.FAIL): "fail",
    STATUSES.index(Status.UNKNOWN): "unknown",
    STATUSES.index(Status.NOT_APPLICABLE): "na",
}
_FAIL = STATUSES.index(Status.FAIL)


def _summer(xp: Any, counties: array[int], n_counties: int) -> Callable[[Any], list[float]]:
    """A function summing a per-community column per county."""
    if xp is _arrays:

        def python_total(weights: Any) -> list[float]:
            out = [0.0] * n_counties
            for county, weight in zip(counties, weights, strict=True):
                out[county] += weight
            return out

        return python_total
    import numpy as np

    index = numpy_view(counties)

    def numpy_total(weights: Any) -> list[float]:
        total: list[float] = np.bincount(index, weights=weights, minlength=n_counties).tolist()
        return total

    return numpy_total


def _community_sums(
    dataset: RegionDataset,
    runs: Mapping[str, NormRun],
    xp: Any,
    places: array[int],
    n_places: int,
) -> Sums:
    """Every per-community quantity summed per place (``places``: each row's place)."""
    total = _summer(xp, places, n_places)
    c = columns_of(dataset, xp)
    sums: Sums = {}
    for norm_id, run in runs.items():
        status = run.status
        for code, name in _STATUS_NAMES.items():
            sums[f"{norm_id}.{name}"] = total(status == code)
        sums[f"{norm_id}.shortfall"] = total(xp.where(status == _FAIL, run.shortfall, 0.0))
    ones = xp.full(c["kind"].shape, 1.0)
    sums["communities"] = total(ones)
    v, r = c["volunteers"], c["residents"]
    unknown = xp.isnan(v) | xp.isnan(r)
    sums["residents.all"] = total(xp.where(xp.isnan(r), 0.0, r))
    sums["volunteers.unknown"] = total(unknown)
    sums["volunteers.yes"] = total(xp.where(unknown, 0.0, v))
    sums["volunteers.total"] = total(xp.where(unknown, 0.0, r))
    urban = c["kind"] == _URBAN
    area = c["area"]
    covered = has_facility(area)  # §2.11's rule, as the entity calculators ask it
    sums["coverage.unknown"] = total(urban & xp.isnan(area))
    sums["coverage.total"] = total(urban & ~xp.isnan(area))
    sums["coverage.yes"] = total(urban & covered)
    rural = ~urban
    sums["rural_coverage.unknown"] = total(rural & xp.isnan(area))
    sums["rural_coverage.total"] = total(rural & ~xp.isnan(area))
    sums["rural_coverage.yes"] = total(rural & covered)
    households = c["households"]
    counted = ~(xp.isnan(area) | xp.isnan(households))
    sums["area_households.yes"] = total(xp.where(counted, area, 0.0))
    sums["area_households.total"] = total(xp.where(counted, households, 0.0))
    sums["area_households.unknown"] = total(~counted)
    # the 14th plan's shares of floor area: the rows whose two figures are known
    activity = c["activity"]
    counted = covered & ~xp.isnan(activity)
    sums["activity_space.yes"] = total(xp.where(counted, activity, 0.0))
    sums["activity_space.total"] = total(xp.where(counted, area, 0.0))
    sums["activity_space.unknown"] = total(covered & xp.isnan(activity))
    floor, commercial = c["floor_area"], c["commercial_area"]
    new = c["new_or_renovated"] == 1
    counted = new & ~(xp.isnan(floor) | xp.isnan(commercial))
    sums["new_commercial.yes"] = total(xp.where(counted, commercial, 0.0))
    sums["new_commercial.total"] = total(xp.where(counted, floor, 0.0))
    sums["new_commercial.unknown"] = total(new & (xp.isnan(floor) | xp.isnan(commercial)))
    terminal = c["self_service"]
    sums["self_service.total"] = total(urban)
    sums["self_service.unknown"] = total(urban & (terminal == UNKNOWN))
    sums["self_service.yes"] = total(urban & (terminal == 1))
    sums["urban_residents.total"] = total(xp.where(urban & ~xp.isnan(r), r, 0.0))
    sums["urban_residents.unknown"] = total(urban & xp.isnan(r))
    direct = c["direct"]
    sums["direct.unknown"] = total(urban & (direct == UNKNOWN))
    sums["direct.total"] = total(urban & (direct != UNKNOWN))
    sums["direct.yes"] = total(urban & (direct == 1))
    for key in ("smart_infrastructure", "smart_sharing", "smart_online"):
        flags = c[key]
        sums[f"{key}.total"] = total(ones)
        sums[f"{key}.unknown"] = total(flags == UNKNOWN)
        sums[f"{key}.yes"] = total(flags == 1)
    return sums


def _hall(township: Division) -> tuple[float, float, float]:
    """A township's part in the street-hall indicator: (counted, unknown, has one).

    Only streets count; a street with no answer is counted as unknown.
    """
    if township.kind is not DivisionKind.STREET:
        return 0.0, 0.0, 0.0
    hall = township.public_service_hall
    return 1.0, 1.0 if hall is None else 0.0, 1.0 if hall else 0.0


def _division_sums(dataset: RegionDataset, sums: Sums) -> None:
    n_counties = len(dataset.counties)
    for key in ("hall.yes", "hall.total", "hall.unknown"):
        sums[key] = [0.0] * n_counties
    for township, county in zip(dataset.townships, dataset.township_county, strict=True):
        counted, unknown, yes = _hall(township)
        sums["hall.total"][county] += counted
        sums["hall.unknown"][county] += unknown
        sums["hall.yes"][county] += yes
    sums["pay.yes"] = [1.0 if d.meets_pay_requirements else 0.0 for d in dataset.counties]
    sums["pay.unknown"] = [
        1.0 if d.meets_pay_requirements is None else 0.0 for d in dataset.counties
    ]
    sums["pay.total"] = [1.0] * n_counties
    # a county counts only when both its figures are known (NaN: unknown)
    known = [
        not (math.isnan(w) or math.isnan(a))
        for w, a in zip(dataset.county_workers, dataset.county_workers_associate, strict=True)
    ]
    sums["workers.total"] = [
        w if k else 0.0 for w, k in zip(dataset.county_workers, known, strict=True)
    ]
    sums["workers.yes"] = [
        a if k else 0.0 for a, k in zip(dataset.county_workers_associate, known, strict=True)
    ]
    sums["workers.unknown"] = [0.0 if k else 1.0 for k in known]
    # workers per urban residents (14th plan): a county counts when its workers are known
    sums["workers_urban.yes"] = [
        w if k else 0.0 for w, k in zip(dataset.county_workers, known, strict=True)
    ]
    sums["workers_urban.total"] = [
        u if k else 0.0 for u, k in zip(sums["urban_residents.total"], known, strict=True)
    ]
    sums["workers_urban.unknown"] = [
        (0.0 if k else 1.0) + u for u, k in zip(sums["urban_residents.unknown"], known, strict=True)
    ]


def rollup(
    dataset: RegionDataset,
    runs: Mapping[str, NormRun],
    *,
    use_numpy: bool,
) -> tuple[Sums, Sums, dict[str, float]]:
    """Sum every quantity per county, per prefecture and for the region.

    Returns:
        (per county, per prefecture, region) sums.
    """
    by_county = _community_sums(
        dataset, runs, namespace(use_numpy), dataset.community_county, len(dataset.counties)
    )
    _division_sums(dataset, by_county)
    n_prefectures = len(dataset.prefectures)
    by_prefecture: Sums = {}
    for key, values in by_county.items():
        column = [0.0] * n_prefectures
        for county, value in zip(dataset.county_prefecture, values, strict=True):
            column[county] += value
        by_prefecture[key] = column
    region = {key: math.fsum(values) for key, values in by_county.items()}
    return by_county, by_prefecture, region


def township_sums(dataset: RegionDataset, runs: Mapping[str, NormRun], *, use_numpy: bool) -> Sums:
    """The per-community quantities summed per sumu/township/street, and each street's hall.

    What only a county has (the pay of its workers, its worker figures) has no township
    figure: those sums are absent, so the indicators built on them are not shown.
    """
    township = dataset.communities.township
    sums = _community_sums(dataset, runs, namespace(use_numpy), township, len(dataset.townships))
    halls = [_hall(t) for t in dataset.townships]
    sums["hall.total"] = [h[0] for h in halls]
    sums["hall.unknown"] = [h[1] for h in halls]
    sums["hall.yes"] = [h[2] for h in halls]
    return sums
