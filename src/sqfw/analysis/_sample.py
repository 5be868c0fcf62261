"""A deterministic synthetic region shaped like the plan's own.

``sample_region("region")`` has the shape of the Inner Mongolia Autonomous Region in the
plan: 12 leagues/cities, about 100 banners/counties/districts, about 1,000
sumu/townships/towns/streets and about 14,000 communities and gacha/villages of every
kind. ``sample_region("national")`` makes a synthetic country-sized region of about
600,000 communities for benchmarks. The figures are invented; the mix of compliant and
non-compliant communities is set around the norms of the standards in force, so every
rule has passes, failures and unknowns.

The generator uses only the standard library (``random.Random(seed)``), so the same seed
gives the same data everywhere, with or without NumPy.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

from sqfw.analysis._dataset import (
    COMMUNITY_KINDS,
    NAN,
    UNKNOWN,
    Baselines,
    CommunityColumns,
    RegionDataset,
)
from sqfw.calculators import FACILITY_AREA
from sqfw.calculators.kernels import python_arrays
from sqfw.calculators.model import FIELDS
from sqfw.entities import CommunityKind, Division, DivisionKind
from sqfw.entities.divisions import code_from_prefix, division_kind
from sqfw.errors import InvalidArgumentError
from sqfw.standards import Standards, default_standards

__all__ = ["SampleSize", "sample_region"]

SampleSize = Literal["region", "national"]

# (code, name, number of banners/counties/districts): the shape of the plan's region.
_LEAGUES: tuple[tuple[str, str, DivisionKind, int], ...] = (
    ("01", "呼和浩特市", DivisionKind.PREFECTURE_CITY, 9),
    ("02", "包头市", DivisionKind.PREFECTURE_CITY, 9),
    ("03", "乌海市", DivisionKind.PREFECTURE_CITY, 3),
    ("04", "赤峰市", DivisionKind.PREFECTURE_CITY, 12),
    ("05", "通辽市", DivisionKind.PREFECTURE_CITY, 8),
    ("06", "鄂尔多斯市", DivisionKind.PREFECTURE_CITY, 9),
    ("07", "呼伦贝尔市", DivisionKind.PREFECTURE_CITY, 14),
    ("08", "巴彦淖尔市", DivisionKind.PREFECTURE_CITY, 7),
    ("09", "乌兰察布市", DivisionKind.PREFECTURE_CITY, 11),
    ("22", "兴安盟", DivisionKind.LEAGUE, 6),
    ("25", "锡林郭勒盟", DivisionKind.LEAGUE, 12),
    ("29", "阿拉善盟", DivisionKind.LEAGUE, 3),
)

_COUNTY_KINDS = (
    (DivisionKind.DISTRICT, "区"),
    (DivisionKind.BANNER, "旗"),
    (DivisionKind.COUNTY, "县"),
    (DivisionKind.BANNER, "旗"),
    (DivisionKind.COUNTY_CITY, "市"),
)
_SYLLABLES = "阿巴察达额嘎浩吉乐满那齐萨苏乌锡扎宝德和仁兴安昌平泰丰宁裕华"
_VILLAGE_KINDS = (
    CommunityKind.URBAN_VILLAGE,
    CommunityKind.SUBURBAN_VILLAGE,
    CommunityKind.CENTRAL_VILLAGE,
    CommunityKind.RURAL_VILLAGE,
    CommunityKind.PASTORAL,
)
_VILLAGE_WEIGHTS = (4, 6, 18, 44, 28)
_DRAWN = (
    "kind",
    "households",
    "residents",
    "floating",
    "volunteers",
    "area",
    "office",
    "facilities",
    "barrier_free_yes",
    "barrier_free_no",
    "new_or_renovated",
    "direct",
    "term",
    "smart_infrastructure",
    "smart_sharing",
    "smart_online",
)
"""The fields of the community model (:data:`~sqfw.calculators._model.FIELDS`) the
sample draws."""
_RURAL_SUFFIX = {
    CommunityKind.TOWNSHIP_SEAT: "社区",
    CommunityKind.URBAN_VILLAGE: "村",
    CommunityKind.SUBURBAN_VILLAGE: "村",
    CommunityKind.CENTRAL_VILLAGE: "村",
    CommunityKind.RURAL_VILLAGE: "村",
    CommunityKind.PASTORAL: "嘎查",
}


def _name(rng: random.Random, length: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(length))


class _Norms:
    """What the sample's mix is set around: the office and volunteer shares in force.

    The facility areas are set around each community's own minimum, which the
    facility-area norm itself computes for the generated communities (see
    :meth:`_Generator.areas`).
    """

    def __init__(self, standards: Standards, on: str) -> None:
        self.standards = standards
        self.on = on
        self.office_max = float(standards.value("facility.office.max_share", on))
        self.volunteers = float(
            standards.value("workforce.volunteers.registered_share.at_least", on)
        )


class _Generator:
    def __init__(self, seed: int, norms: _Norms) -> None:
        self.rng = random.Random(seed)
        self.norms = norms
        self.prefectures: list[Division] = []
        self.counties: list[Division] = []
        self.townships: list[Division] = []
        self.county_prefecture = array("l")
        self.township_county = array("l")
        self.codes: list[str] = []
        self.names: list[str] = []
        # the model's columns the sample draws; the others are what a source without
        # them has (unknown, or the default of a fact always known)
        self.cols: dict[str, Any] = {name: FIELDS[name].empty() for name in _DRAWN}
        self.cols["township"] = array("l")
        self.workers: list[float] = []
        self.associate: list[float] = []
        # what each community's area is drawn as, once its minimum is known
        self.area_draws: list[tuple[float, float, float | None]] = []
        self.true_households = array("d")

    def areas(self) -> None:
        """Set each area around the community's minimum, and its office around the limit."""
        from sqfw.analysis._engine import have_numpy, namespace

        xp = namespace(have_numpy())
        c = self.cols
        columns = {
            "kind": c["kind"],
            "households": self.true_households,
            "new_or_renovated": c["new_or_renovated"],
            "area": array("d", bytes(8 * len(self.true_households))),
        }
        if xp is not python_arrays:
            from sqfw.analysis._engine import numpy_view

            given = {name: xp.asarray(numpy_view(column)) for name, column in columns.items()}
        else:
            given = {name: python_arrays.PyArray(list(column)) for name, column in columns.items()}
        params = FACILITY_AREA.read(self.norms.standards, self.norms.on)
        required = FACILITY_AREA.evaluate(xp, given, params)["required"]
        for i, (draw, factor, share) in enumerate(self.area_draws):
            need = float(required[i])
            if draw < 0.03:
                area = 0.0
            elif draw < 0.66:
                area = float(round(need * factor))
            else:
                area = round(need * factor, 1)
            c["area"].append(area)
            c["office"].append(area if share is None or area == 0 else round(area * share, 1))
            c["facilities"].append(1 if area > 0 else 0)
            flag = c["barrier_free_yes"][i]  # the survey answer drawn for the community
            c["barrier_free_yes"][i] = 1 if area > 0 and flag == 1 else 0
            c["barrier_free_no"][i] = 1 if area > 0 and flag == 0 else 0

    def flag(self, yes: float, unknown: float = 0.0) -> int:
        draw = self.rng.random()
        if draw < unknown:
            return UNKNOWN
        return 1 if draw < unknown + (1 - unknown) * yes else 0

    def county(self, prefecture: int, code: str, urban: bool, townships: int) -> None:
        rng = self.rng
        kind, suffix = _COUNTY_KINDS[0] if urban else rng.choice(_COUNTY_KINDS[1:])
        county_index = len(self.counties)
        self.counties.append(
            Division(
                code=code_from_prefix(code),
                name=_name(rng) + suffix,
                kind=kind,
                meets_pay_requirements=self.flag(0.45, 0.05) == 1,
            )
        )
        self.county_prefecture.append(prefecture)
        streets = townships if urban else max(1, townships // 6)
        start = len(self.codes)
        for t in range(townships):
            street = t < streets
            t_code = f"{code}{t + 1:03d}"
            t_suffix = "街道" if street else rng.choice(("苏木", "镇", "乡"))
            hall_flag = self.flag(0.93, 0.02) if street else UNKNOWN
            township_name = _name(rng) + t_suffix
            self.townships.append(
                Division(
                    code=code_from_prefix(t_code),
                    name=township_name,
                    kind=division_kind(code_from_prefix(t_code), township_name),
                    public_service_hall=None if hall_flag == UNKNOWN else bool(hall_flag),
                )
            )
            self.township_county.append(county_index)
            count = max(3, round(rng.gauss(13 if street else 14, 3)))
            for v in range(count):
                if street:
                    c_kind = CommunityKind.URBAN
                elif v == 0:
                    c_kind = CommunityKind.TOWNSHIP_SEAT
                else:
                    c_kind = rng.choices(_VILLAGE_KINDS, _VILLAGE_WEIGHTS)[0]
                self.community(f"{t_code}{v + 1:03d}", township_name, c_kind, v + 1)
        n = len(self.codes) - start
        self.workers.append(float(round(n * rng.uniform(2.5, 4.0))))
        self.associate.append(float(round(self.workers[-1] * rng.uniform(0.35, 0.8))))

    def community(self, code: str, township_name: str, kind: CommunityKind, number: int) -> None:
        rng = self.rng
        norms = self.norms
        c = self.cols
        urban = kind is CommunityKind.URBAN
        households = int(rng.lognormvariate(7.5, 0.45) if urban else rng.lognormvariate(5.3, 0.5))
        households = max(households, 20)
        residents = int(households * rng.uniform(2.2, 3.3))
        new = rng.random() < (0.18 if urban else 0.08)
        draw = rng.random()
        if draw < 0.03:
            factor = 0.0
        elif draw < 0.66:
            factor = rng.uniform(1.0, 1.6)
        else:
            factor = rng.uniform(0.35, 0.999)
        share: float | None = None
        if draw >= 0.03:
            share = (
                rng.uniform(0.1, norms.office_max)
                if rng.random() < 0.85
                else rng.uniform(norms.office_max + 0.01, 0.5)
            )
        self.area_draws.append((draw, factor, share))
        self.true_households.append(float(households))
        volunteer_share = rng.uniform(0.08, 0.3) if rng.random() < 0.97 else NAN
        volunteers = NAN if math.isnan(volunteer_share) else float(int(residents * volunteer_share))
        suffix = "社区" if urban else _RURAL_SUFFIX[kind]
        self.codes.append(code)
        self.names.append(f"{township_name}第{number}{suffix}")
        c["kind"].append(COMMUNITY_KINDS.index(kind))
        c["township"].append(len(self.townships) - 1)
        c["households"].append(float(households) if rng.random() > 0.01 else NAN)
        c["residents"].append(float(residents))
        c["floating"].append(float(int(residents * rng.uniform(0.0, 0.3 if urban else 0.08))))
        c["volunteers"].append(volunteers)
        barrier_free = self.flag(0.78, 0.05)
        c["barrier_free_yes"].append(barrier_free)  # made a count by areas()
        c["barrier_free_no"].append(0)
        c["new_or_renovated"].append(int(new))
        direct = self.flag(0.7, 0.02) if urban else UNKNOWN
        c["direct"].append(direct)
        c["term"].append(NAN if direct == UNKNOWN else 10.0)  # the committees of the 10th term
        c["smart_infrastructure"].append(self.flag(0.86 if urban else 0.7, 0.03))
        c["smart_sharing"].append(self.flag(0.8 if urban else 0.6, 0.03))
        c["smart_online"].append(self.flag(0.78 if urban else 0.55, 0.03))


def sample_region(
    size: SampleSize = "region",
    *,
    seed: int = 2016,
    standards: Standards | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegionDataset:
    """A synthetic region, the same for the same ``size`` and ``seed``.

    Args:
        size: ``"region"`` (12 leagues/cities, ~100 banners, ~1,000 townships/streets,
            ~14,000 communities) or ``"national"`` (~600,000 communities).
        seed: the random seed.
        standards: the norms the compliance mix is set around (default: bundled).
        progress: called with (prefectures done, prefectures in all).

    Returns:
        A :class:`~sqfw.analysis.RegionDataset` with baselines for every
        "higher than before" target.

    Example:
        >>> from sqfw.analysis import sample_region
        >>> region = sample_region(seed=1)
        >>> len(region.prefectures)
        12
    """
    if size not in ("region", "national"):
        raise InvalidArgumentError("size", size, "'region' or 'national'")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgumentError("seed", seed, "an integer")
    if standards is not None and not isinstance(standards, Standards):
        raise InvalidArgumentError("standards", standards, "a Standards or None")
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress", progress, "a function of (done, total) or None")
    norms = _Norms(standards or default_standards(), "2020-12-31")
    gen = _Generator(seed, norms)
    rng = gen.rng
    if size == "region":
        root = Division(code="150000000000", name="内蒙古自治区(样例)", kind="autonomous_region")
        leagues = [(f"15{code}", name, kind, n) for code, name, kind, n in _LEAGUES]
        townships_per_county = 10
    else:
        root = Division(code="990000000000", name="全国(合成样例)", kind="province")
        leagues = [
            (
                f"99{p + 1:02d}",
                _name(rng, 3) + "市",
                DivisionKind.PREFECTURE_CITY,
                14,
            )
            for p in range(95)
        ]
        townships_per_county = 33
    for index, (prefix, name, kind, counties) in enumerate(leagues):
        gen.prefectures.append(Division(code=code_from_prefix(prefix), name=name, kind=kind))
        for k in range(counties):
            urban = k < max(1, round(counties * 0.25))
            townships = max(3, round(rng.gauss(townships_per_county, 2)))
            gen.county(index, f"{prefix}{k + 1:02d}", urban, townships)
        if progress is not None:
            progress(index + 1, len(leagues))
    gen.areas()
    return RegionDataset(
        root=root,
        prefectures=tuple(gen.prefectures),
        counties=tuple(gen.counties),
        townships=tuple(gen.townships),
        county_prefecture=gen.county_prefecture,
        township_county=gen.township_county,
        # the model's fields the sample does not draw get the column a source without them has
        communities=CommunityColumns(code=gen.codes, name=gen.names, **gen.cols),
        county_workers=gen.workers,
        county_workers_associate=gen.associate,
        baselines=Baselines(
            previous_direct_election_ratio=Fraction(68, 100),
            associate_share_12th_plan=Fraction(52, 100),
            urban_facility_coverage_previous=Fraction(90, 100),
        ),
        source=f"sample:{size}:seed={seed}",
    )
