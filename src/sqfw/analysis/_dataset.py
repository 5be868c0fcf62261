"""The columnar form of a region: one array per fact, one row per community.

A :class:`RegionDataset` holds what an assessment reads, in the shape that makes a
national assessment fast: the divisions as small tables, and the communities as parallel
columns (``array.array`` from the standard library, which NumPy can view without copying).
Unknown numbers are ``NaN``; unknown yes/no facts are ``-1``.

It converts both ways with the entities: :meth:`RegionDataset.from_region` reads a
:class:`~sqfw.entities.Region`, and :meth:`RegionDataset.to_region` builds one back (the
comprehensive facility, the committee's election method and the smart-community flags are
what survive the trip).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from sqfw.calculators._columns import COMMUNITY_COLUMNS, community_values
from sqfw.calculators._inputs import as_ratio
from sqfw.entities import (
    Committee,
    CommitteeKind,
    Community,
    CommunityKind,
    Division,
    DivisionKind,
    DivisionLevel,
    ElectionMethod,
    Facility,
    FacilityKind,
    Region,
    SmartCommunity,
)
from sqfw.entities.divisions import ancestor_code, division_level

__all__ = [
    "COMMUNITY_KINDS",
    "NAN",
    "PLACEHOLDER_KIND",
    "TREE_LEVELS",
    "UNKNOWN",
    "Baselines",
    "CommunityColumns",
    "DivisionTree",
    "RegionDataset",
    "SkippedRow",
]

COMMUNITY_KINDS: tuple[CommunityKind, ...] = tuple(CommunityKind)
"""Community kinds in column order: ``kind`` holds an index into this tuple."""

NAN = math.nan
UNKNOWN = -1
"""The value of a yes/no column when the fact is not known."""


def _previous_direct_election_ratio(value: Fraction | Decimal | float | str | None) -> Any:
    return as_ratio(value, "Baselines.previous_direct_election_ratio")


def _associate_share_12th_plan(value: Fraction | Decimal | float | str | None) -> Any:
    return as_ratio(value, "Baselines.associate_share_12th_plan")


def _urban_facility_coverage_previous(value: Fraction | Decimal | float | str | None) -> Any:
    return as_ratio(value, "Baselines.urban_facility_coverage_previous")


@attrs.frozen(kw_only=True)
class Baselines:
    """Earlier figures that "higher than before" targets compare with.

    Without them, those targets are "unknown", never "met" (REQUIREMENTS, Ambiguities).

    Args:
        previous_direct_election_ratio: the 9th term's direct-election ratio (§1.4).
        associate_share_12th_plan: the 12th-plan share of workers with an associate degree
            or above (§5.3).
        urban_facility_coverage_previous: the earlier coverage of urban communities by a
            comprehensive service facility (§2.11).
    """

    previous_direct_election_ratio: Fraction | None = attrs.field(
        default=None, converter=_previous_direct_election_ratio
    )
    associate_share_12th_plan: Fraction | None = attrs.field(
        default=None, converter=_associate_share_12th_plan
    )
    urban_facility_coverage_previous: Fraction | None = attrs.field(
        default=None, converter=_urban_facility_coverage_previous
    )


@attrs.frozen(kw_only=True)
class SkippedRow:
    """A row a loader left out (``on_error="skip"``), and why.

    Attributes:
        source: the file.
        row: the row number as a spreadsheet shows it (the header is row 1).
        column: the column at fault (as written in the file), or ``None`` for the row.
        reason: what was expected and what came.
    """

    source: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column}" if self.column else ""
        return f"{self.source}: row {self.row}{column}: {self.reason}"


def _floats(values: Sequence[float] | array[float]) -> array[float]:
    return values if isinstance(values, array) and values.typecode == "d" else array("d", values)


def _flags(values: Sequence[int] | array[int]) -> array[int]:
    return values if isinstance(values, array) and values.typecode == "b" else array("b", values)


def _indices(values: Sequence[int] | array[int]) -> array[int]:
    return values if isinstance(values, array) and values.typecode == "l" else array("l", values)


def _nans(columns: Any) -> array[float]:
    return array("d", [NAN]) * len(columns.code)


def _unknown_flags(columns: Any) -> array[int]:
    return array("b", [UNKNOWN]) * len(columns.code)


@attrs.frozen(kw_only=True, eq=False)
class CommunityColumns:
    """The communities as parallel columns (all of the same length).

    Attributes:
        code: 12-digit community codes.
        name: names.
        kind: index into :data:`COMMUNITY_KINDS`.
        township: index into :attr:`RegionDataset.townships`.
        households: 户数 (``NaN`` unknown).
        residents: 常住人口 (``NaN`` unknown).
        floating: 流动人口 (``NaN`` unknown).
        volunteers: registered volunteers (``NaN`` unknown).
        area: total area of the comprehensive service facility in m² (0: none; ``NaN``
            unknown).
        office: of which office area in m² (``NaN`` unknown).
        facilities: service facilities with a floor area (§2.4 counts them).
        barrier_free_yes: of which barrier-free.
        barrier_free_no: of which not barrier-free (the rest are not surveyed).
        new_or_renovated: newly built or renovated during the plan period (1/0).
        direct: the residents' committee was directly elected (1/0; -1 no residents'
            committee recorded).
        smart_infrastructure: smart-community infrastructure built (1/0/-1).
        smart_sharing: shares resources through the platform (1/0/-1).
        smart_online: residents get convenience services online (1/0/-1).
        extra: columns of the source file that sqfw does not read, kept as text.
        set_up_as_needed: the residents' committee is set up as actually needed (1/0; the
            urban law's households range is then not held against it; tables do not carry
            it yet: 0).
        activity: of the comprehensive facility area, m² for residents' activities (``NaN``
            unknown; the 14th plan).
        self_service: a self-service terminal for government services (1/0/-1).
        floor_area: the community's total building floor area, m² (``NaN`` unknown).
        commercial_area: of which for commerce and community services, m².
    """

    code: list[str]
    name: list[str]
    kind: array[int] = attrs.field(converter=_flags)
    township: array[int] = attrs.field(converter=_indices)
    households: array[float] = attrs.field(converter=_floats)
    residents: array[float] = attrs.field(converter=_floats)
    floating: array[float] = attrs.field(converter=_floats)
    volunteers: array[float] = attrs.field(converter=_floats)
    area: array[float] = attrs.field(converter=_floats)
    office: array[float] = attrs.field(converter=_floats)
    facilities: array[int] = attrs.field(converter=_indices)
    barrier_free_yes: array[int] = attrs.field(converter=_indices)
    barrier_free_no: array[int] = attrs.field(converter=_indices)
    new_or_renovated: array[int] = attrs.field(converter=_flags)
    direct: array[int] = attrs.field(converter=_flags)
    smart_infrastructure: array[int] = attrs.field(converter=_flags)
    smart_sharing: array[int] = attrs.field(converter=_flags)
    smart_online: array[int] = attrs.field(converter=_flags)
    extra: Mapping[str, list[str]] = attrs.field(factory=dict)
    set_up_as_needed: array[int] = attrs.field(
        converter=_flags,
        default=attrs.Factory(lambda self: array("b", bytes(len(self.code))), takes_self=True),
    )
    activity: array[float] = attrs.field(converter=_floats, default=attrs.Factory(_nans, True))
    self_service: array[int] = attrs.field(
        converter=_flags, default=attrs.Factory(_unknown_flags, True)
    )
    floor_area: array[float] = attrs.field(converter=_floats, default=attrs.Factory(_nans, True))
    commercial_area: array[float] = attrs.field(
        converter=_floats, default=attrs.Factory(_nans, True)
    )

    def __attrs_post_init__(self) -> None:
        n = len(self.code)
        for field in attrs.fields(type(self)):
            if field.name == "extra":
                continue
            column = getattr(self, field.name)
            if len(column) != n:
                raise ValueError(f"column {field.name} has {len(column)} rows, expected {n}")
        for key, column in self.extra.items():
            if len(column) != n:
                raise ValueError(f"extra column {key!r} has {len(column)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.code)

    @classmethod
    def empty(cls) -> CommunityColumns:
        """No communities."""
        empty: dict[str, Any] = {f.name: [] for f in attrs.fields(cls) if f.name != "extra"}
        return cls(**empty)

    def copy(self, **replaced: Any) -> CommunityColumns:
        """A copy whose arrays are new objects; ``replaced`` columns are used as given."""
        values: dict[str, Any] = {}
        for field in attrs.fields(type(self)):
            if field.name in replaced:
                values[field.name] = replaced[field.name]
                continue
            column = getattr(self, field.name)
            if field.name == "extra":
                values[field.name] = {k: list(v) for k, v in column.items()}
            elif isinstance(column, array):
                values[field.name] = array(column.typecode, column)
            else:
                values[field.name] = list(column)
        return type(self)(**values)


def _check_parents(children: Sequence[int], parents: int, what: str) -> None:
    if not children or (min(children) >= 0 and max(children) < parents):
        return
    index = next(i for i in children if not 0 <= i < parents)
    raise ValueError(f"{what} index {index} outside 0..{parents - 1}")


@attrs.frozen(kw_only=True, eq=False)
class RegionDataset:
    """A region in columns: what :func:`~sqfw.analysis.assess` reads.

    Build one with :func:`~sqfw.analysis.sample_region`, a loader
    (:func:`~sqfw.analysis.load_region`) or :meth:`from_region`.

    Attributes:
        root: the region's root division.
        prefectures: leagues/cities (盟市).
        counties: banners/counties/districts (旗县市区); ``meets_pay_requirements`` set.
        townships: sumu/townships/towns/streets; ``public_service_hall`` set on streets.
        county_prefecture: for each county, the index of its prefecture.
        township_county: for each township, the index of its county.
        communities: the :class:`CommunityColumns`.
        county_workers: professional community workers per county (``NaN`` unknown).
        county_workers_associate: of whom with an associate degree or above.
        baselines: earlier figures for "higher than before" targets.
        source: where the data came from (a file name, ``"sample"``).
        skipped: rows a loader skipped, with the reason.
    """

    root: Division
    prefectures: tuple[Division, ...]
    counties: tuple[Division, ...]
    townships: tuple[Division, ...]
    county_prefecture: array[int] = attrs.field(converter=_indices)
    township_county: array[int] = attrs.field(converter=_indices)
    communities: CommunityColumns
    county_workers: array[float] = attrs.field(converter=_floats)
    county_workers_associate: array[float] = attrs.field(converter=_floats)
    baselines: Baselines = attrs.field(factory=Baselines)
    source: str | None = None
    skipped: tuple[SkippedRow, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(self.county_prefecture) != len(self.counties):
            raise ValueError("county_prefecture must have one entry per county")
        if len(self.township_county) != len(self.townships):
            raise ValueError("township_county must have one entry per township")
        if not len(self.county_workers) == len(self.county_workers_associate) == len(self.counties):
            raise ValueError("county worker columns must have one entry per county")
        for index, (w, a) in enumerate(
            zip(self.county_workers, self.county_workers_associate, strict=True)
        ):
            if a > w or a < 0 or w < 0:  # NaN compares false: unknown is allowed
                raise ValueError(
                    f"county {self.counties[index].code}: {a:g} workers with an associate "
                    f"degree of {w:g} workers (expected 0 ≤ associate ≤ workers)"
                )
        _check_parents(self.county_prefecture, len(self.prefectures), "prefecture")
        _check_parents(self.township_county, len(self.counties), "county")
        _check_parents(self.communities.township, len(self.townships), "township")

    def __len__(self) -> int:
        return len(self.communities)

    @property
    def community_county(self) -> array[int]:
        """For each community, the index of its county."""
        tc = self.township_county
        return array("l", (tc[t] for t in self.communities.township))

    @property
    def community_prefecture(self) -> array[int]:
        """For each community, the index of its prefecture."""
        cp = self.county_prefecture
        return array("l", (cp[c] for c in self.community_county))

    def evolve(self, **changes: Any) -> RegionDataset:
        """A new dataset with ``changes`` (as :func:`attrs.evolve`)."""
        return attrs.evolve(self, **changes)

    # -- entities ---------------------------------------------------------------------------

    @classmethod
    def from_region(
        cls,
        region: Region,
        *,
        baselines: Baselines | None = None,
        source: str | None = None,
    ) -> RegionDataset:
        """Read a :class:`~sqfw.entities.Region` into columns.

        Divisions the region does not list but its communities imply are added with their
        code as name. The area is that of the comprehensive facilities (§2.1); a community
        is barrier-free when every facility is (§2.4), unknown when none says no but one is
        not surveyed.

        Args:
            region: the region.
            baselines: earlier figures for "higher than before" targets.
            source: where the region came from.
        """
        tree = DivisionTree()
        for division in region.divisions:
            if division.level in TREE_LEVELS:
                tree.add(division.code, division.level)
        columns: dict[str, Any] = {f.name: [] for f in attrs.fields(CommunityColumns)}
        del columns["extra"]
        for community in region.communities:
            _append_community(columns, community, tree.add(community.code))
        attributed = [  # a worker above county level is not attributed to a county
            (tree.add(worker.community_code, DivisionLevel.COUNTY), worker)
            for worker in region.workers
            if division_level(worker.community_code) >= DivisionLevel.COUNTY
        ]
        counties = len(tree.codes[DivisionLevel.COUNTY])
        workers = [0.0 if region.workers else NAN] * counties
        associate = list(workers)
        for county, worker in attributed:
            workers[county] += 1
            associate[county] += 1 if worker.education.associate_or_above else 0
        known = {d.code: d for d in (region.root, *region.divisions)}

        def divisions(level: DivisionLevel) -> tuple[Division, ...]:
            # a city without counties stands in for its county: the code's own level
            return tuple(
                known.get(code)
                or Division(code=code, name=code, kind=PLACEHOLDER_KIND[division_level(code)])
                for code in tree.codes[level]
            )

        return cls(
            root=region.root,
            prefectures=divisions(DivisionLevel.PREFECTURE),
            counties=divisions(DivisionLevel.COUNTY),
            townships=divisions(DivisionLevel.TOWNSHIP),
            county_prefecture=tree.county_prefecture,
            township_county=tree.township_county,
            communities=CommunityColumns(**columns),
            county_workers=workers,
            county_workers_associate=associate,
            baselines=baselines or Baselines(),
            source=source,
        )

    def community(self, index: int) -> Community:
        """The community at row ``index`` as an entity (one comprehensive facility)."""
        c = self.communities
        yes, no, count = c.barrier_free_yes[index], c.barrier_free_no[index], c.facilities[index]
        flags: list[bool | None] = [True] * yes + [False] * no + [None] * (count - yes - no)
        facilities: list[Facility] = []
        area = c.area[index]
        if not math.isnan(area) and area > 0:
            office = c.office[index]
            facilities.append(
                Facility(
                    id="comprehensive",
                    kind=FacilityKind.COMPREHENSIVE,
                    total_area_m2=_decimal(area),
                    office_area_m2=Decimal(0) if math.isnan(office) else _decimal(office),
                    barrier_free=flags[0] if flags else None,
                )
            )
        for position in range(len(facilities), count):
            # further facilities are only counted by the columns: 1 m² stands for "has a floor"
            facilities.append(
                Facility(
                    id=f"facility-{position + 1}",
                    kind=FacilityKind.SPECIALISED,
                    total_area_m2=Decimal(1),
                    barrier_free=flags[position],
                )
            )
        committee = None
        if c.direct[index] != UNKNOWN:
            committee = Committee(
                term=10,
                kind=CommitteeKind.RESIDENTS,
                method=ElectionMethod.DIRECT
                if c.direct[index]
                else ElectionMethod.HOUSEHOLD_REPRESENTATIVES,
            )
        return Community(
            code=c.code[index],
            name=c.name[index],
            kind=COMMUNITY_KINDS[c.kind[index]],
            households=_count(c.households[index]),
            resident_population=_count(c.residents[index]),
            floating_population=_count(c.floating[index]),
            registered_volunteers=_count(c.volunteers[index]),
            new_or_renovated=bool(c.new_or_renovated[index]),
            smart=SmartCommunity(
                infrastructure=_tri(c.smart_infrastructure[index]),
                platform_sharing=_tri(c.smart_sharing[index]),
                online_convenience=_tri(c.smart_online[index]),
            ),
            facilities=facilities,
            committee=committee,
        )

    def iter_communities(self) -> Iterator[Community]:
        """Every community as an entity, in row order."""
        for index in range(len(self)):
            yield self.community(index)

    def region_divisions(self) -> tuple[Division, ...]:
        """The divisions below the root, each once: leagues, banners, then townships.

        A city without counties stands in for its county: it is listed once.
        """
        divisions = {d.code: d for d in (*self.prefectures, *self.counties, *self.townships)}
        return tuple(divisions.values())

    def to_region(self) -> Region:
        """The dataset as a :class:`~sqfw.entities.Region` (workers are not rebuilt)."""
        return Region(
            root=self.root,
            divisions=self.region_divisions(),
            communities=tuple(self.iter_communities()),
        )


def _decimal(value: float) -> Decimal:
    # repr gives the shortest text that round-trips, i.e. the figure as it was written
    return Decimal(repr(value))


def _count(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _tri(value: int) -> bool | None:
    return None if value == UNKNOWN else bool(value)


def tri_state(value: bool | None) -> int:
    """A yes/no/unknown fact as a column value (1, 0, -1)."""
    return UNKNOWN if value is None else int(value)


def number(value: int | Decimal | None) -> float:
    """A count or amount as a column value (``NaN`` when unknown)."""
    return NAN if value is None else float(value)


def _append_community(columns: dict[str, Any], community: Community, township: int) -> None:
    # the one reading of an entity as columns, shared with the explained check
    columns["code"].append(community.code)
    columns["name"].append(community.name)
    columns["township"].append(township)
    for name, value in zip(COMMUNITY_COLUMNS, community_values(community), strict=True):
        columns[name].append(value)


class DivisionTree:
    """The prefectures, counties and townships that codes lie in, as a dataset holds them.

    Each table lists its divisions' codes in the order they first appear (a code brings in
    the divisions above it first); ``county_prefecture`` and ``township_county`` index the
    table one level up. The one builder of the division tables: from a region's entities
    and from a table's rows alike.

    A prefecture-level city without counties (东莞 441900) stands in for its county: its
    townships' county is the city itself, listed in the county table under the city's
    code (see :func:`~sqfw.entities.divisions.ancestor_code`).
    """

    def __init__(self) -> None:
        self.codes: dict[DivisionLevel, list[str]] = {level: [] for level in TREE_LEVELS}
        self.county_prefecture = array("l")
        self.township_county = array("l")
        self._index: dict[tuple[DivisionLevel, str], int] = {}

    def add(self, code: str, level: DivisionLevel = DivisionLevel.TOWNSHIP) -> int:
        """The index of the division at ``level`` that ``code`` lies in, added if new.

        Raises:
            ValueError: ``code`` is not a division code at or below ``level``.
        """
        key = ancestor_code(code, level)
        found = self._index.get((level, key))
        if found is not None:
            return found
        if level is not DivisionLevel.PREFECTURE:
            parent = self.add(key, _UP[level])
            up = self.township_county if level is DivisionLevel.TOWNSHIP else self.county_prefecture
            up.append(parent)
        table = self.codes[level]
        index = self._index[level, key] = len(table)
        table.append(key)
        return index


TREE_LEVELS = (DivisionLevel.PREFECTURE, DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP)
"""The levels of a dataset's division tables."""
_UP = dict(zip(TREE_LEVELS[1:], TREE_LEVELS, strict=False))

PLACEHOLDER_KIND = {
    DivisionLevel.REGION: DivisionKind.PROVINCE,
    DivisionLevel.PREFECTURE: DivisionKind.PREFECTURE_CITY,
    DivisionLevel.COUNTY: DivisionKind.COUNTY,
    DivisionLevel.TOWNSHIP: DivisionKind.TOWNSHIP,
}
"""The kind of a division known only by its code (or by a name that does not say)."""
