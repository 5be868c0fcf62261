"""The columnar form of a region: one array per fact, one row per community.

A :class:`RegionDataset` holds what an assessment reads, in the shape that makes a
national assessment fast: the divisions as small tables, and the communities as parallel
columns (``array.array`` from the standard library, which NumPy can view without copying).
Unknown numbers are ``NaN``; unknown yes/no facts are ``-1``.

The columns are the fields of the community model (:mod:`sqfw.calculators._model`), and
the entities convert both ways through it: :meth:`RegionDataset.from_region` reads a
:class:`~sqfw.entities.Region`, and :meth:`RegionDataset.to_region` builds one back that
reads as the same columns, unknowns included (the facilities become one comprehensive
facility and placeholders for the tallies; the committee keeps its election method).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from sqfw._args import expect_items, expect_mapping, instance_validator, named_fields
from sqfw.analysis._divisions import TREE_LEVELS, Divisions, DivisionTree, _division_tuple
from sqfw.calculators.model import (
    COMMUNITY_FIELDS,
    COMMUNITY_KINDS,
    FIELDS,
    NAN,
    UNKNOWN_FLAG,
    as_ratio,
    community_entity,
    read_columns,
)
from sqfw.entities import Community, Division, DivisionLevel, Region
from sqfw.entities.divisions import (
    division_kind,
    division_level,
)
from sqfw.errors import InvalidArgumentError

__all__ = [
    "COMMUNITY_KINDS",
    "NAN",
    "TREE_LEVELS",
    "UNKNOWN",
    "Baselines",
    "CommunityColumns",
    "DivisionTree",
    "Divisions",
    "RegionDataset",
    "SkippedRow",
    "read_columns",
]

UNKNOWN = UNKNOWN_FLAG
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


def _as_array(values: Any, typecode: str, what: str) -> array[Any]:
    """A column as an ``array`` of ``typecode`` (the same object when it already is one),
    or an InvalidArgumentError (named after the class and the field by
    :func:`~sqfw._args.named_fields`)."""
    if isinstance(values, array) and values.typecode == typecode:
        return values
    if not isinstance(values, str | bytes | Mapping):
        try:
            return array(typecode, values)
        except (TypeError, ValueError, OverflowError):
            pass
    raise InvalidArgumentError("column", values, what)


def _floats(values: Sequence[float] | array[float]) -> array[float]:
    return _as_array(values, "d", "a column of numbers")


def _indices(values: Sequence[int] | array[int]) -> array[int]:
    return _as_array(values, "l", "a column of integer indices")


def _texts(value: Sequence[str]) -> Sequence[str]:
    """A column of text as given, once it is a column (a sized sequence that is not text
    or a mapping): a converter, not a validator, since the other columns' defaults read
    its length before validators run."""
    if isinstance(value, str | bytes | Mapping) or not (
        hasattr(value, "__len__") and hasattr(value, "__getitem__")
    ):
        raise InvalidArgumentError("column", value, "a column of text")  # named_fields names it
    return value


def _extra_columns(instance: object, field: attrs.Attribute[Any], value: Any) -> None:
    where = f"{type(instance).__name__}.{field.name}"
    for key, column in expect_mapping(where, value).items():
        if not isinstance(key, str) or isinstance(column, str | bytes | Mapping):
            raise InvalidArgumentError(where, key, "columns of text by their heading")
        if not hasattr(column, "__len__"):
            raise InvalidArgumentError(f"{where}[{key!r:.40}]", column, "a column of text")


_STRUCTURE = ("code", "name", "township", "extra")
"""The columns of :class:`CommunityColumns` that are not facts of the community model."""


def _from_model(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Each model column's array type and default from its field of the community model.

    The class declares every field of the model once, in the model's order, and nothing
    else besides :data:`_STRUCTURE`: it cannot drift from the model.
    """
    declared = [a.name for a in fields if a.name not in _STRUCTURE]
    model = [f.name for f in COMMUNITY_FIELDS]
    if declared != model:
        raise TypeError(
            f"{cls.__name__} declares {declared}; the community model has {model}: "
            "declare each model field once, in the model's order"
        )
    out = []
    for a in fields:
        field = FIELDS.get(a.name)
        if field is not None and a.name not in _STRUCTURE:
            a = a.evolve(
                converter=_model_column(field),
                default=attrs.Factory(_filler(field.filled), takes_self=True),
            )
        out.append(a)
    return named_fields(cls, out)


def _model_column(field: Any) -> Any:
    """The model field's column conversion, refusing a value it cannot convert with an
    InvalidArgumentError (named after the class and the field by ``named_fields``)."""

    def convert(values: Any) -> Any:
        if not isinstance(values, str | bytes | Mapping):
            try:
                return field.column(values)
            except InvalidArgumentError:
                raise  # the model's own words (a Dask column of unknown length…)
            except (TypeError, ValueError, OverflowError):
                pass
        raise InvalidArgumentError("column", values, "a column of the field's values")

    return convert


def _filler(filled: Any) -> Any:
    return lambda self: filled(len(self.code))


@attrs.frozen(kw_only=True, eq=False, field_transformer=_from_model)
class CommunityColumns:
    """The communities as parallel columns (all of the same length).

    Every column but ``code``, ``name``, ``township`` and ``extra`` is a field of the
    community model (:data:`~sqfw.calculators._model.COMMUNITY_FIELDS`), which gives its
    type, its unknown and what it is when not given (unknown, or for the facts that are
    always known their default); the two lists are checked to agree when sqfw is imported.

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
            unknown, as is the area of a comprehensive facility that does not record it).
        office: of which office area in m² (``NaN`` unknown; 0 without a facility).
        facilities: service facilities with a recorded floor area (§2.4 counts them).
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
            urban law's households range is then not held against it).
        activity: of the comprehensive facility area, m² for residents' activities (``NaN``
            unknown; the 14th plan).
        self_service: a self-service terminal for government services (1/0/-1).
        floor_area: the community's total building floor area, m² (``NaN`` unknown).
        commercial_area: of which for commerce and community services, m².
    """

    code: Sequence[str] = attrs.field(converter=_texts)
    name: Sequence[str] = attrs.field(converter=_texts)
    township: array[int] = attrs.field(converter=_indices)
    kind: array[int]
    households: array[float]
    residents: array[float]
    floating: array[float]
    volunteers: array[float]
    area: array[float]
    office: array[float]
    facilities: array[int]
    barrier_free_yes: array[int]
    barrier_free_no: array[int]
    new_or_renovated: array[int]
    direct: array[int]
    smart_infrastructure: array[int]
    smart_sharing: array[int]
    smart_online: array[int]
    set_up_as_needed: array[int]
    activity: array[float]
    self_service: array[int]
    floor_area: array[float]
    commercial_area: array[float]
    term: array[float]
    extra: Mapping[str, list[str]] = attrs.field(factory=dict, validator=_extra_columns)

    def __attrs_post_init__(self) -> None:
        n = len(self.code)
        for field in attrs.fields(type(self)):
            if field.name == "extra":
                continue
            column = getattr(self, field.name)
            if len(column) != n:
                raise InvalidArgumentError(
                    f"CommunityColumns.{field.name}", f"{len(column)} rows", f"{n} rows"
                )
        for key, column in self.extra.items():
            if len(column) != n:
                raise InvalidArgumentError(
                    f"CommunityColumns.extra[{key!r:.40}]", f"{len(column)} rows", f"{n} rows"
                )

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
    if not children:
        return
    least, most = _bounds(children)
    if least >= 0 and most < parents:
        return
    index = next(i for i in children if not 0 <= i < parents)
    raise InvalidArgumentError(f"{what} index", index, f"an index in 0..{parents - 1}")


def _bounds(values: Sequence[int]) -> tuple[int, int]:
    """The least and the greatest of a column of indices (a large ``array`` read whole by
    NumPy when it is installed)."""
    if isinstance(values, array) and len(values) >= 10_000:
        try:
            import numpy as np
        except ImportError:
            pass
        else:
            view = np.frombuffer(values, dtype=f"i{values.itemsize}")
            return int(view.min()), int(view.max())
    return min(values), max(values)


def _division_table(value: Iterable[Division]) -> Sequence[Division]:
    """A :class:`Divisions` as it is (built when first read), else checked as a tuple."""
    if isinstance(value, Divisions):
        return value
    return _division_tuple(value)


def _skipped_rows(value: Iterable[SkippedRow]) -> tuple[SkippedRow, ...]:
    return expect_items("items", value, SkippedRow)  # named after the field by named_fields


@attrs.frozen(kw_only=True, eq=False, field_transformer=named_fields)
class RegionDataset:
    """A region in columns: what :func:`~sqfw.analysis.assess` reads.

    Build one with :func:`~sqfw.analysis.sample_region`, a loader
    (:func:`~sqfw.analysis.load_region`) or :meth:`from_region`.

    Attributes:
        root: the region's root division.
        prefectures: leagues/cities (盟市).
        counties: banners/counties/districts (旗县市区); ``meets_pay_requirements`` set.
        townships: sumu/townships/towns/streets; ``public_service_hall`` set on streets.
            A tuple, or from a loaded table a :class:`Divisions` built when first read.
        county_prefecture: for each county, the index of its prefecture.
        township_county: for each township, the index of its county.
        communities: the :class:`CommunityColumns`.
        county_workers: professional community workers per county (``NaN`` unknown).
        county_workers_associate: of whom with an associate degree or above.
        baselines: earlier figures for "higher than before" targets.
        source: where the data came from (a file name, ``"sample"``).
        skipped: rows a loader skipped, with the reason.
    """

    root: Division = attrs.field(validator=instance_validator(Division))
    prefectures: tuple[Division, ...] = attrs.field(converter=_division_tuple)
    counties: tuple[Division, ...] = attrs.field(converter=_division_tuple)
    townships: Sequence[Division] = attrs.field(converter=_division_table)
    county_prefecture: array[int] = attrs.field(converter=_indices)
    township_county: array[int] = attrs.field(converter=_indices)
    communities: CommunityColumns = attrs.field(validator=instance_validator(CommunityColumns))
    county_workers: array[float] = attrs.field(converter=_floats)
    county_workers_associate: array[float] = attrs.field(converter=_floats)
    baselines: Baselines = attrs.field(factory=Baselines, validator=instance_validator(Baselines))
    source: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_validator(str))
    )
    skipped: tuple[SkippedRow, ...] = attrs.field(default=(), converter=_skipped_rows)

    def __attrs_post_init__(self) -> None:
        per_county = f"{len(self.counties)} entries, one per county"
        if len(self.county_prefecture) != len(self.counties):
            raise InvalidArgumentError(
                "RegionDataset.county_prefecture", f"{len(self.county_prefecture)}", per_county
            )
        if len(self.township_county) != len(self.townships):
            raise InvalidArgumentError(
                "RegionDataset.township_county",
                f"{len(self.township_county)}",
                f"{len(self.townships)} entries, one per township",
            )
        for name in ("county_workers", "county_workers_associate"):
            if len(getattr(self, name)) != len(self.counties):
                raise InvalidArgumentError(
                    f"RegionDataset.{name}", f"{len(getattr(self, name))}", per_county
                )
        for index, (w, a) in enumerate(
            zip(self.county_workers, self.county_workers_associate, strict=True)
        ):
            if a > w or a < 0 or w < 0:  # NaN compares false: unknown is allowed
                raise InvalidArgumentError(
                    f"RegionDataset.county_workers_associate[{index}] "
                    f"(county {self.counties[index].code})",
                    f"{a:g} of {w:g} workers",
                    "0 ≤ associate ≤ workers",
                )
        _check_parents(self.county_prefecture, len(self.prefectures), "prefecture")
        _check_parents(self.township_county, len(self.counties), "county")
        _check_parents(self.communities.township, len(self.townships), "township")

    def __len__(self) -> int:
        return len(self.communities)

    @property
    def community_county(self) -> array[int]:
        """For each community, the index of its county."""
        return array("l", map(self.township_county.__getitem__, self.communities.township))

    @property
    def community_prefecture(self) -> array[int]:
        """For each community, the index of its prefecture."""
        return array("l", map(self.county_prefecture.__getitem__, self.community_county))

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
        code as name and the kind their code says
        (:func:`~sqfw.entities.divisions.division_kind`). Each community is read by the
        community model (:func:`~sqfw.calculators._model.community_values`): the area is
        that of the comprehensive facilities (§2.1), unknown when one does not record it;
        a community is barrier-free when every facility is (§2.4), unknown when none says
        no but one is not surveyed.

        Args:
            region: the region.
            baselines: earlier figures for "higher than before" targets.
            source: where the region came from.
        """
        communities = region.communities
        return cls._assemble(
            region,
            code=[c.code for c in communities],
            name=[c.name for c in communities],
            # the one reading of an entity as columns, shared with the explained check
            values=read_columns(communities),
            baselines=baselines,
            source=source,
        )

    @classmethod
    def _assemble(
        cls,
        region: Region,
        *,
        code: list[str],
        name: list[str],
        values: Mapping[str, Sequence[Any]],
        baselines: Baselines | None,
        source: str | None,
    ) -> RegionDataset:
        """The dataset of ``region``'s divisions and workers and of the communities given
        as their codes, names and model columns (``values``, by field; ``region.communities``
        is not read): the one assembly behind :meth:`from_region` and the compiled reading
        of a document."""
        tree = DivisionTree()
        for division in region.divisions:
            if division.level in TREE_LEVELS:
                tree.add(division.code, division.level)
        columns: dict[str, Any] = {
            "code": code,
            "name": name,
            "township": tree.add_communities(code),
        }
        if code:
            columns.update(values)
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
                known.get(code) or Division(code=code, name=code, kind=division_kind(code))
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
        """The community at row ``index`` as an entity, built by the community model.

        Reading it back (:meth:`from_region`) gives the same row, unknowns included: an
        unknown facility area is a comprehensive facility whose area is not recorded,
        never "no facility" (see :func:`~sqfw.calculators._model.community_entity`).
        """
        c = self.communities
        row = {f.name: getattr(c, f.name)[index] for f in COMMUNITY_FIELDS}
        return community_entity(c.code[index], c.name[index], row)

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
