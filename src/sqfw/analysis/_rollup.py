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
from collections.abc import Mapping
from typing import Any

from sqfw.analysis._dataset import COMMUNITY_KINDS, UNKNOWN, RegionDataset
from sqfw.analysis._engine import FAIL, NA, PASS, RULES, RuleColumns, np_view
from sqfw.analysis._engine import UNKNOWN as STATUS_UNKNOWN
from sqfw.entities import CommunityKind, DivisionKind

__all__ = ["Sums", "rollup"]

Sums = dict[str, list[float]]
"""Quantity name → one figure per place (in the order of the dataset's table)."""

_URBAN = COMMUNITY_KINDS.index(CommunityKind.URBAN)
_STATUS_NAMES = {PASS: "pass", FAIL: "fail", STATUS_UNKNOWN: "unknown", NA: "na"}


def _python_county_sums(
    dataset: RegionDataset, rules: Mapping[str, RuleColumns], counties: array[int]
) -> Sums:
    n_counties = len(dataset.counties)
    sums: Sums = {}

    def add(name: str, county: int, value: float) -> None:
        column = sums.get(name)
        if column is None:
            column = sums[name] = [0.0] * n_counties
        column[county] += value

    c = dataset.communities
    for rule in RULES:
        for status_name in _STATUS_NAMES.values():
            sums.setdefault(f"{rule}.{status_name}", [0.0] * n_counties)
        sums.setdefault(f"{rule}.shortfall", [0.0] * n_counties)
    for key in _COMMUNITY_KEYS:
        sums.setdefault(key, [0.0] * n_counties)
    for i, county in enumerate(counties):
        for rule in RULES:
            columns = rules[rule]
            code = columns.status[i]
            add(f"{rule}.{_STATUS_NAMES[code]}", county, 1)
            if code == FAIL:
                add(f"{rule}.shortfall", county, columns.shortfall[i])
        add("communities", county, 1)
        v, r = c.volunteers[i], c.residents[i]
        if not math.isnan(r):
            add("residents.all", county, r)
        if math.isnan(v) or math.isnan(r):
            add("volunteers.unknown", county, 1)
        else:
            add("volunteers.yes", county, v)
            add("volunteers.total", county, r)
        if c.kind[i] == _URBAN:
            area = c.area[i]
            if math.isnan(area):
                add("coverage.unknown", county, 1)
            else:
                add("coverage.total", county, 1)
                add("coverage.yes", county, 1 if area > 0 else 0)
            d = c.direct[i]
            if d == UNKNOWN:
                add("direct.unknown", county, 1)
            else:
                add("direct.total", county, 1)
                add("direct.yes", county, d)
        for key, column in (
            ("smart_infrastructure", c.smart_infrastructure),
            ("smart_sharing", c.smart_sharing),
            ("smart_online", c.smart_online),
        ):
            flag = column[i]
            add(f"{key}.total", county, 1)
            if flag == UNKNOWN:
                add(f"{key}.unknown", county, 1)
            else:
                add(f"{key}.yes", county, flag)
    return sums


_COMMUNITY_KEYS = (
    "communities",
    "residents.all",
    "volunteers.yes",
    "volunteers.total",
    "volunteers.unknown",
    "coverage.yes",
    "coverage.total",
    "coverage.unknown",
    "direct.yes",
    "direct.total",
    "direct.unknown",
    *(
        f"{k}.{part}"
        for k in ("smart_infrastructure", "smart_sharing", "smart_online")
        for part in ("yes", "total", "unknown")
    ),
)


def _numpy_county_sums(
    dataset: RegionDataset, rules: Mapping[str, RuleColumns], counties: array[int]
) -> Sums:
    import numpy as np

    n_counties = len(dataset.counties)
    idx = np_view(counties)

    def total(weights: Any) -> list[float]:
        result: list[float] = np.bincount(idx, weights=weights, minlength=n_counties).tolist()
        return result

    sums: Sums = {}
    for rule in RULES:
        status = np_view(rules[rule].status)
        for code, status_name in _STATUS_NAMES.items():
            sums[f"{rule}.{status_name}"] = total(status == code)
        shortfall = np_view(rules[rule].shortfall)
        sums[f"{rule}.shortfall"] = total(np.where(status == FAIL, shortfall, 0.0))
    c = dataset.communities
    sums["communities"] = total(None)
    v, r = np_view(c.volunteers), np_view(c.residents)
    known = ~np.isnan(v) & ~np.isnan(r)
    sums["residents.all"] = total(np.nan_to_num(r))
    sums["volunteers.unknown"] = total(~known)
    sums["volunteers.yes"] = total(np.where(known, v, 0.0))
    sums["volunteers.total"] = total(np.where(known, r, 0.0))
    urban = np_view(c.kind) == _URBAN
    area = np_view(c.area)
    sums["coverage.unknown"] = total(urban & np.isnan(area))
    sums["coverage.total"] = total(urban & ~np.isnan(area))
    with np.errstate(invalid="ignore"):
        sums["coverage.yes"] = total(urban & (area > 0))
    direct = np_view(c.direct)
    sums["direct.unknown"] = total(urban & (direct == UNKNOWN))
    sums["direct.total"] = total(urban & (direct != UNKNOWN))
    sums["direct.yes"] = total(urban & (direct == 1))
    for key, column in (
        ("smart_infrastructure", c.smart_infrastructure),
        ("smart_sharing", c.smart_sharing),
        ("smart_online", c.smart_online),
    ):
        flags = np_view(column)
        sums[f"{key}.total"] = total(None)
        sums[f"{key}.unknown"] = total(flags == UNKNOWN)
        sums[f"{key}.yes"] = total(flags == 1)
    return sums


def _division_sums(dataset: RegionDataset, sums: Sums) -> None:
    n_counties = len(dataset.counties)
    for key in ("hall.yes", "hall.total", "hall.unknown"):
        sums[key] = [0.0] * n_counties
    for township, county in zip(dataset.townships, dataset.township_county, strict=True):
        if township.kind is not DivisionKind.STREET:
            continue
        sums["hall.total"][county] += 1
        if township.public_service_hall is None:
            sums["hall.unknown"][county] += 1
        elif township.public_service_hall:
            sums["hall.yes"][county] += 1
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


def rollup(
    dataset: RegionDataset,
    rules: Mapping[str, RuleColumns],
    *,
    use_numpy: bool,
) -> tuple[Sums, Sums, dict[str, float]]:
    """Sum every quantity per county, per prefecture and for the region.

    Returns:
        (per county, per prefecture, region) sums.
    """
    counties = dataset.community_county
    if use_numpy:
        by_county = _numpy_county_sums(dataset, rules, counties)
    else:
        by_county = _python_county_sums(dataset, rules, counties)
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
