"""The community data model: one declaration of the facts a community has as columns.

Every form sqfw holds a community in derives from :data:`COMMUNITY_FIELDS`:

* the columns of :class:`~sqfw.analysis.RegionDataset` (``CommunityColumns`` declares one
  attribute per field and checks at import that the two lists agree);
* the values the norm kernels read (:data:`~sqfw.calculators._columns.COMMUNITY_COLUMNS`,
  :func:`community_values`), for a national dataset and for the explained check of one
  community alike;
* the entity built back from a row (:func:`community_entity`, behind
  ``RegionDataset.community`` and ``to_region``);
* the columns a table's cells fill (:func:`from_table`) and the cells written back
  (:func:`table_values`); the headers are the catalogue's (``analysis/data/columns.toml``),
  joined to a field by :attr:`CommunityField.table`, and a field's kind must be the
  catalogue column's (checked when the catalogue is read);
* the synthetic sample's arrays (:meth:`CommunityField.empty`).

**Unknown stays unknown.** A number not known is ``NaN``, a yes/no fact not known is
``-1``: as a table's blank cell, as a column, and as the entity's ``None`` (an unknown
count; a comprehensive facility whose floor area or office area is not recorded; no
residents' committee on record). Reading an entity and writing it back gives the same
columns, so a table and the entities built from it get the same verdicts. Two facts are
always known: ``new_or_renovated`` and ``set_up_as_needed`` (a blank cell says "no").

**Adding a field.** Append a :class:`CommunityField` to :data:`COMMUNITY_FIELDS` with its
entity reading (``read``); declare it in ``CommunityColumns``, at the same place, by one
line (``name: array[float]``: its type and default come from the model, and a class that
differs from the model is refused when it is made); say in :func:`community_entity` where
the value goes in the entity; and, for a field tables carry, add the catalogue entry
(``analysis/data/columns.toml``) whose ``field`` is :attr:`CommunityField.table`. The
round-trip property test (``tests/analysis/test_model.py``) fails until all of them agree.

This module sits with the calculators, not with the analysis: the explained check of one
community reads its columns here, and calculators do not import the analysis.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import operator
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from sqfw._args import expect, expect_callable
from sqfw.entities import (
    Committee,
    CommitteeKind,
    Community,
    CommunityKind,
    ElectionMethod,
    Facility,
    FacilityKind,
    SmartCommunity,
)
from sqfw.errors import InvalidArgumentError, SqfwError
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_ORDINAL

__all__ = [
    "BARRIER_FREE",
    "COMMUNITY_FIELDS",
    "COMMUNITY_KINDS",
    "FIELDS",
    "NAN",
    "NUMBER_RULES",
    "UNKNOWN_FLAG",
    "CommunityField",
    "FacilitySums",
    "NumberRule",
    "Of",
    "committee_values",
    "community_columns",
    "community_entity",
    "community_values",
    "from_table",
    "read_columns",
    "read_values",
    "table_fields",
    "table_values",
]

COMMUNITY_KINDS: tuple[CommunityKind, ...] = tuple(CommunityKind)
"""Community kinds in column order: the ``kind`` column holds an index into this tuple."""

NAN = math.nan
"""The value of a number column when the fact is not known."""

UNKNOWN_FLAG = -1
"""The value of a yes/no column when the fact is not known."""

_TYPECODES = {"kind": "b", "count": "d", "area": "d", "term": "d", "flag": "b", "tally": "l"}


@attrs.frozen(kw_only=True)
class NumberRule:
    """The values a number field may hold: the range its entity's validator allows.

    Attributes:
        whole: only whole numbers.
        least: the smallest value.
        largest: the largest value.
        expected: what is expected, as messages say it.

    .. versionadded:: 0.1.0
    """

    whole: bool
    least: int
    largest: int
    expected: str

    def allows(self, value: Decimal | float) -> bool:
        """Whether ``value`` is in range (and whole, when it must be).

        Args:
            value: the number as written, exact; or a float read from text of at most 15
                significant digits, which is whole and within the (whole) bounds exactly
                when the written number is.

        Returns:
            ``True`` when the entity's validator allows it too.
        """
        if isinstance(value, float):
            whole = value.is_integer()
        else:
            whole = value == value.to_integral_value()
        if self.whole and not whole:
            return False
        return self.least <= value <= self.largest


NUMBER_RULES: Mapping[str, NumberRule] = {
    # Community.households … registered_volunteers (non_negative_int)
    "count": NumberRule(
        whole=True,
        least=0,
        largest=MAX_COUNT,
        expected=f"a whole number from 0 to {MAX_COUNT:,}",
    ),
    # Community.floor_area_m2, Facility.total_area_m2 … (area_m2)
    "area": NumberRule(
        whole=False,
        least=0,
        largest=MAX_AREA_M2,
        expected=f"an area in m² from 0 to {MAX_AREA_M2:,}",
    ),
    # Committee.term (positive_int)
    "term": NumberRule(
        whole=True,
        least=1,
        largest=MAX_ORDINAL,
        expected=f"a term number from 1 to {MAX_ORDINAL:,}",
    ),
}
"""The range of each number kind of :data:`COMMUNITY_FIELDS`: the one rule a table's cell
is read with (``analysis/_loading/cells.py``) and the range the entity's validator allows
(a property test, ``tests/analysis/test_columnar.py``, holds the two together).

.. versionadded:: 0.1.0
"""


@attrs.frozen(kw_only=True)
class FacilitySums:
    """What a community's facilities add up to, read once per community.

    Attributes:
        area: floor area of the comprehensive facilities (``None``: one is not recorded).
        office: of which office area (``None``: one is not recorded).
        activity: of which residents' activity area (``None``: one is not recorded, or
            there is no comprehensive facility).
        facilities: facilities with a recorded floor area above 0 (§2.4 counts them).
        yes: of which barrier-free.
        no: of which not barrier-free.
    """

    area: Decimal | None
    office: Decimal | None
    activity: Decimal | None
    facilities: int
    yes: int
    no: int

    @classmethod
    def of(cls, community: Community) -> FacilitySums:
        """The sums over ``community``'s facilities."""
        area: Decimal | None = Decimal(0)
        office: Decimal | None = Decimal(0)
        activity: Decimal | None = Decimal(0)
        yes = no = count = 0
        for f in community.facilities:
            total = f.total_area_m2
            if f.kind is FacilityKind.COMPREHENSIVE:
                area = None if area is None or total is None else area + total
                part = f.office_area_m2
                office = None if office is None or part is None else office + part
                activity = (
                    None
                    if activity is None or f.activity_area_m2 is None
                    else activity + f.activity_area_m2
                )
            if total is not None and total > 0:
                count += 1
                if f.barrier_free is True:
                    yes += 1
                elif f.barrier_free is False:
                    no += 1
        if area == 0:  # no comprehensive facility: no office, and no activity area to know
            office, activity = Decimal(0), None
        return cls(area=area, office=office, activity=activity, facilities=count, yes=yes, no=no)


Reader = Callable[[Community, FacilitySums], Any]


@attrs.frozen
class Of:
    """A reader of one attribute (a dotted path): ``convert(community.<attribute>)``.

    Declared so, a field is read the same way from one entity and from a column of
    records (:func:`read_columns` maps ``convert`` over the attribute's values).
    """

    attribute: str
    convert: Callable[[Any], Any]
    _get: Callable[[Any], Any] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        expect("attribute", self.attribute, str)
        expect_callable("convert", self.convert)
        object.__setattr__(self, "_get", operator.attrgetter(self.attribute))

    def __call__(self, community: Any, sums: FacilitySums) -> Any:
        return self.convert(self._get(community))

    def column(
        self, records: Sequence[Any], given: Mapping[str, Sequence[Any]] | None = None
    ) -> list[Any]:
        """The field of every record: the same reading, mapped.

        Args:
            records: the communities (or records with their attributes).
            given: attributes' values already gathered in columns (by attribute name);
                the first step of the attribute's path is read from there when given.
        """
        head, _, rest = self.attribute.partition(".")
        if given is not None and head in given:
            values: Iterable[Any] = given[head]
            if rest:
                values = map(operator.attrgetter(rest), values)
            return list(map(self.convert, values))
        return list(map(self.convert, map(self._get, records)))


@attrs.frozen(kw_only=True)
class CommunityField:
    """One fact of a community as a column.

    Attributes:
        name: the column's name (an attribute of ``CommunityColumns``).
        kind: ``kind`` (an index into :data:`COMMUNITY_KINDS`), ``count`` (a whole number),
            ``area`` (m²), ``term`` (a committee's term number), ``flag`` (yes/no: 1/0) or
            ``tally`` (a count of facilities); a number kind's range is in
            :data:`NUMBER_RULES`.
        read: the value of the field for an entity (and its facility sums).
        unknown: the value that says "not known" (``NaN``, ``-1``), or ``None`` for a fact
            that is always known.
        absent: what the column holds on every row when a source does not carry it.
        table: the catalogue field a table fills it from (``None``: tables do not carry
            it, or, for the tallies, derive it from the ``barrier_free`` column).
        description: what the column holds.
    """

    name: str
    kind: str
    read: Reader = attrs.field(repr=False)
    unknown: float | int | None
    absent: float | int
    table: str | None
    description: str

    @property
    def typecode(self) -> str:
        """The ``array.array`` typecode of the column."""
        return _TYPECODES[self.kind]

    def empty(self) -> array[Any]:
        """An empty column of the field's type."""
        return array(self.typecode)

    def filled(self, rows: int) -> array[Any]:
        """A column of ``rows`` rows, each :attr:`absent`."""
        return array(self.typecode, [self.absent]) * rows

    def column(self, values: Sequence[Any] | array[Any]) -> array[Any]:
        """``values`` as the field's array (the same object when it already is one).

        A one-dimensional ``dask.array`` of known length stays as it is: a Dask-backed
        dataset is computed when assessed (see :func:`sqfw.analysis.to_dask`).

        Raises:
            InvalidArgumentError: a Dask array that is not one-dimensional or whose
                length is not known.
        """
        if isinstance(values, array) and values.typecode == self.typecode:
            return values
        if _is_dask_array(values):
            shape = values.shape  # type: ignore[union-attr]
            if len(shape) != 1 or shape[0] != shape[0]:  # NaN: a length Dask does not know
                raise InvalidArgumentError(
                    f"column {self.name}",
                    f"a Dask array of shape {shape}",
                    "a one-dimensional Dask array of known length "
                    "(from dask.dataframe: to_dask_array(lengths=True))",
                )
            return values  # type: ignore[return-value]
        return array(self.typecode, values)


def _is_dask_array(values: object) -> bool:
    dask_array = sys.modules.get("dask.array")  # no Dask array exists before it is imported
    return dask_array is not None and isinstance(values, dask_array.Array)


def _number(value: int | Decimal | None) -> float:
    return NAN if value is None else float(value)


def _flag(value: bool | None) -> int:
    return UNKNOWN_FLAG if value is None else int(value)


def committee_values(committee: Committee | None) -> tuple[int, float]:
    """A community's committee as its ``direct`` and ``term`` columns.

    A residents' committee gives whether it was elected directly (1/0) and its term; none,
    or a villagers' committee, gives -1 and ``NaN`` (§1.4 counts residents' committees).
    """
    if committee is None or committee.kind is not CommitteeKind.RESIDENTS:
        return UNKNOWN_FLAG, NAN
    return int(committee.is_direct), float(committee.term)


def _direct(committee: Committee | None) -> int:
    return committee_values(committee)[0]


def _term(committee: Committee | None) -> float:
    return committee_values(committee)[1]


def _count(name: str, attribute: str, description: str, table: str | None = None) -> CommunityField:
    return CommunityField(
        name=name,
        kind="count",
        read=Of(attribute, _number),
        unknown=NAN,
        absent=NAN,
        table=name if table is None else table,
        description=description,
    )


def _area(name: str, read: Reader, description: str) -> CommunityField:
    return CommunityField(
        name=name, kind="area", read=read, unknown=NAN, absent=NAN, table=name,
        description=description,
    )  # fmt: skip


def _tri(name: str, read: Reader, description: str) -> CommunityField:
    return CommunityField(
        name=name, kind="flag", read=read, unknown=UNKNOWN_FLAG, absent=UNKNOWN_FLAG,
        table=name, description=description,
    )  # fmt: skip


def _tally(name: str, read: Reader, description: str) -> CommunityField:
    return CommunityField(
        name=name, kind="tally", read=read, unknown=None, absent=0, table=None,
        description=description,
    )  # fmt: skip


COMMUNITY_FIELDS: tuple[CommunityField, ...] = (
    CommunityField(
        name="kind",
        kind="kind",
        read=Of("kind", COMMUNITY_KINDS.index),
        unknown=None,
        absent=COMMUNITY_KINDS.index(CommunityKind.URBAN),
        table="kind",
        description="index into COMMUNITY_KINDS (a table without the column: urban)",
    ),
    _count("households", "households", "户数"),
    _count("residents", "resident_population", "常住人口"),
    _count("floating", "floating_population", "流动人口"),
    # §5.11: the figure the community states; a region's registry is counted into it by
    # the one rule, sqfw.entities.registered_volunteers (see with_registry_counts)
    _count("volunteers", "registered_volunteers", "registered volunteers"),
    _area(
        "area",
        lambda c, s: _number(s.area),
        "floor area of the comprehensive service facility, m² (0: none)",
    ),
    _area("office", lambda c, s: _number(s.office), "of which office area, m²"),
    _tally("facilities", lambda c, s: s.facilities, "facilities with a floor area (§2.4)"),
    _tally("barrier_free_yes", lambda c, s: s.yes, "of which barrier-free"),
    _tally("barrier_free_no", lambda c, s: s.no, "of which not barrier-free"),
    CommunityField(
        name="new_or_renovated",
        kind="flag",
        read=Of("new_or_renovated", int),
        unknown=None,
        absent=0,
        table="new_or_renovated",
        description="newly built or renovated in the plan period (blank: no)",
    ),
    _tri(
        "direct",
        Of("committee", _direct),
        "the residents' committee is directly elected (-1: none on record)",
    ),
    _tri(
        "smart_infrastructure",
        Of("smart.infrastructure", _flag),
        "smart-community infrastructure built",
    ),
    _tri(
        "smart_sharing",
        Of("smart.platform_sharing", _flag),
        "shares resources through the platform",
    ),
    _tri(
        "smart_online",
        Of("smart.online_convenience", _flag),
        "residents get convenience services online",
    ),
    CommunityField(
        name="set_up_as_needed",
        kind="flag",
        read=Of("set_up_as_needed", int),
        unknown=None,
        absent=0,
        table="set_up_as_needed",
        description="the residents' committee is set up as actually needed (blank: no)",
    ),
    _area(
        "activity",
        lambda c, s: _number(s.activity),
        "of the comprehensive facility area, m² for residents' activities",
    ),
    _tri(
        "self_service",
        Of("self_service_terminal", _flag),
        "a self-service terminal for government services",
    ),
    _area("floor_area", Of("floor_area_m2", _number), "total building floor area, m²"),
    _area(
        "commercial_area",
        Of("commercial_service_area_m2", _number),
        "of which for commerce and community services, m²",
    ),
    CommunityField(
        name="term",
        kind="term",
        read=Of("committee", _term),
        unknown=NAN,
        absent=NAN,
        table="term",
        description=(
            "the residents' committee's term (10 for 第十届; NaN: unknown or none on record);"
            " §1.4 counts the committees of the plan's term"
        ),
    ),
)
"""The community's facts as columns, in the order :func:`community_values` gives them."""

FIELDS: Mapping[str, CommunityField] = {f.name: f for f in COMMUNITY_FIELDS}
"""The fields by name."""

_READS = tuple(f.read for f in COMMUNITY_FIELDS)


def community_values(community: Community) -> tuple[Any, ...]:
    """One community's values in the order of :data:`COMMUNITY_FIELDS`: the one reading.

    The facility area (§2.1) and office area (§2.14) are the sums over the comprehensive
    facilities, unknown when one of them does not record it; §2.4 counts every facility
    with a recorded floor area, barrier-free or not, or not surveyed; the direct-election
    flag is that of a residents' committee (-1 for none); the residents' activity area is
    that of the comprehensive facilities, known when each of them gives it.

    Raises:
        InvalidArgumentError: ``community`` is not a :class:`~sqfw.entities.Community`.
    """
    expect("community", community, Community)
    return read_values(community)


def read_values(record: Any) -> tuple[Any, ...]:
    """:func:`community_values` of a record with a :class:`~sqfw.entities.Community`'s
    attributes, checked already (the compiled reading of a region document gives records
    whose values the entities' own converters and validators made): the same reading."""
    sums = FacilitySums.of(record)
    return tuple([read(record, sums) for read in _READS])


def read_columns(
    records: Sequence[Any], given: Mapping[str, Sequence[Any]] | None = None
) -> dict[str, list[Any]]:
    """:func:`read_values` of every record, as one list per field: the same readers, a
    field of one attribute mapped over the records (:class:`Of`), the facility sums read
    once per record for the others.

    Args:
        records: :class:`~sqfw.entities.Community` entities, or records with their
            attributes whose values the entities' converters and validators made.
        given: the records' attributes already gathered in columns (see
            :meth:`Of.column`); the facility sums read ``records``' facilities.
    """
    if isinstance(records, str | bytes) or not isinstance(records, Sequence):
        raise InvalidArgumentError("records", records, "a sequence of communities")
    if given is not None and not isinstance(given, Mapping):
        raise InvalidArgumentError("given", given, "a mapping of columns or None")
    try:
        return _read_columns(records, given)
    except (AttributeError, TypeError) as exc:
        raise InvalidArgumentError(
            "records", records, f"communities or records with their attributes ({exc})"
        ) from None


def _read_columns(
    records: Sequence[Any], given: Mapping[str, Sequence[Any]] | None
) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    sums: list[FacilitySums] | None = None
    for field in COMMUNITY_FIELDS:
        read = field.read
        if isinstance(read, Of):
            columns[field.name] = read.column(records, given)
            continue
        if sums is None:
            sums = list(map(FacilitySums.of, records))
        columns[field.name] = list(map(read, records, sums))
    return columns


# -- back to an entity -------------------------------------------------------------------


def _decimal(value: float) -> Decimal | None:
    # repr gives the shortest text that round-trips, i.e. the figure as it was written
    return None if math.isnan(value) else Decimal(repr(value))


def _whole(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _tri_state(value: int) -> bool | None:
    return None if value == UNKNOWN_FLAG else bool(value)


def _facilities(row: Mapping[str, Any]) -> list[Facility]:
    """The facilities that give back the row's facility columns.

    A known area above 0 is one comprehensive facility; an unknown area is a comprehensive
    facility whose area is not recorded (it counts for no tally, as it counts for none in
    a table); the further facilities of the tallies are specialised ones of 1 m² ("has a
    floor"), barrier-free or not as the tallies say.
    """
    count = int(row["facilities"])
    yes, no = int(row["barrier_free_yes"]), int(row["barrier_free_no"])
    flags: list[bool | None] = [True] * yes + [False] * no + [None] * (count - yes - no)
    area = row["area"]
    out: list[Facility] = []
    if math.isnan(area) or area > 0:
        counted = not math.isnan(area)
        out.append(
            Facility(
                id="comprehensive",
                kind=FacilityKind.COMPREHENSIVE,
                total_area_m2=_decimal(area),
                office_area_m2=_decimal(row["office"]),
                activity_area_m2=_decimal(row["activity"]),
                barrier_free=flags[0] if counted and flags else None,
            )
        )
    start = 1 if out and out[0].total_area_m2 is not None else 0
    for position in range(start, count):
        out.append(
            Facility(
                id=f"facility-{position + 1}",
                kind=FacilityKind.SPECIALISED,
                total_area_m2=Decimal(1),
                barrier_free=flags[position],
            )
        )
    return out


def _committee(direct: int, term: float) -> Committee | None:
    """The residents' committee a row's ``direct`` and ``term`` stand for: none unless both
    are known (a committee of unknown term is not made up: §1.4 counts the plan's term)."""
    if direct == UNKNOWN_FLAG or math.isnan(term):
        return None
    method = ElectionMethod.DIRECT if direct else ElectionMethod.HOUSEHOLD_REPRESENTATIVES
    return Committee(term=int(term), kind=CommitteeKind.RESIDENTS, method=method)


def community_entity(code: str, name: str, row: Mapping[str, Any]) -> Community:
    """The community whose :func:`community_values` are ``row`` (by field name).

    Args:
        code: the community's code.
        name: its name.
        row: a value for every field of :data:`COMMUNITY_FIELDS`.

    Returns:
        A :class:`~sqfw.entities.Community`; reading it gives ``row`` back, unknowns
        included (a ``direct`` answer without a known ``term`` has no committee to stand
        in: both read back unknown).

    Raises:
        InvalidEntityError: the row breaks a rule of the entities.
        InvalidArgumentError: ``row`` is not a mapping with a number for every field.
    """
    expect("row", row, Mapping)
    try:
        return _entity(code, name, row)
    except SqfwError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, OverflowError):
        raise InvalidArgumentError(
            "row", row, "a number for every field of COMMUNITY_FIELDS"
        ) from None


def _entity(code: str, name: str, row: Mapping[str, Any]) -> Community:
    return Community(
        code=code,
        name=name,
        kind=COMMUNITY_KINDS[int(row["kind"])],
        households=_whole(row["households"]),
        resident_population=_whole(row["residents"]),
        floating_population=_whole(row["floating"]),
        registered_volunteers=_whole(row["volunteers"]),
        new_or_renovated=bool(row["new_or_renovated"]),
        smart=SmartCommunity(
            infrastructure=_tri_state(row["smart_infrastructure"]),
            platform_sharing=_tri_state(row["smart_sharing"]),
            online_convenience=_tri_state(row["smart_online"]),
        ),
        facilities=_facilities(row),
        committee=_committee(int(row["direct"]), float(row["term"])),
        set_up_as_needed=bool(row["set_up_as_needed"]),
        self_service_terminal=_tri_state(row["self_service"]),
        floor_area_m2=_decimal(row["floor_area"]),
        commercial_service_area_m2=_decimal(row["commercial_area"]),
    )


# -- tables --------------------------------------------------------------------------------

BARRIER_FREE = "barrier_free"
"""The catalogue field of a table's barrier-free answer (one per community's facility)."""


def from_table(parsed: Mapping[str, Sequence[Any]], rows: int) -> dict[str, Any]:
    """The community columns a table's read cells give (by catalogue field).

    A field the table does not carry is :attr:`CommunityField.absent` on every row; a
    blank cell of an always-known flag is "no". With no comprehensive facility (area 0)
    the office area is 0 and the activity area unknown, as an entity without one reads.
    The tallies come from the ``barrier_free`` answer of the community's one facility:
    counted when its area is known and above 0.

    Args:
        parsed: each catalogue field's column of read values.
        rows: the number of rows.

    Raises:
        InvalidArgumentError: ``parsed`` is not a mapping of columns of numbers, or
            ``rows`` is not a whole number of at least 0.
    """
    expect("parsed", parsed, Mapping)
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        raise InvalidArgumentError("rows", rows, "a whole number of at least 0")
    try:
        return _from_table(parsed, rows)
    except (TypeError, ValueError, AttributeError):
        raise InvalidArgumentError(
            "parsed", parsed, "each catalogue field's column of read values"
        ) from None


def _from_table(parsed: Mapping[str, Sequence[Any]], rows: int) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for field in COMMUNITY_FIELDS:
        values = parsed.get(field.table) if field.table else None
        if values is None:
            columns[field.name] = field.filled(rows)
        elif field.unknown is None and field.kind == "flag":
            columns[field.name] = _where(values, 1, "b")
        else:
            columns[field.name] = values
    area = columns["area"]
    flags = parsed.get(BARRIER_FREE)
    np = _numpy_of(area, flags)
    if np is not None and all(_is_floats(columns[f]) for f in ("office", "activity")):
        none = np.frombuffer(area, dtype=np.float64) == 0.0  # the same rule, whole columns
        if none.any():
            office = np.frombuffer(columns["office"], dtype=np.float64).copy()
            activity = np.frombuffer(columns["activity"], dtype=np.float64).copy()
            office[none], activity[none] = 0.0, NAN
            columns["office"] = _array_of(office, "d")
            columns["activity"] = _array_of(activity, "d")
    elif 0.0 in area:
        none = [i for i, a in enumerate(area) if a == 0]
        office = columns["office"] = list(columns["office"])
        activity = columns["activity"] = list(columns["activity"])
        for i in none:
            office[i] = 0.0
            activity[i] = NAN
    if np is not None:  # the same comparisons, a whole column at a time
        has_facility = np.frombuffer(area, dtype=np.float64) > 0.0  # NaN: false
        tally = np.dtype(f"i{array('l').itemsize}")
        columns["facilities"] = _array_of(has_facility.astype(tally), "l")
        if flags is None:
            columns["barrier_free_yes"] = FIELDS["barrier_free_yes"].filled(rows)
            columns["barrier_free_no"] = FIELDS["barrier_free_no"].filled(rows)
        else:
            answer = np.frombuffer(flags, dtype=np.int8)
            yes, no = has_facility & (answer == 1), has_facility & (answer == 0)
            columns["barrier_free_yes"] = _array_of(yes.astype(tally), "l")
            columns["barrier_free_no"] = _array_of(no.astype(tally), "l")
        return columns
    has = list(map((0.0).__lt__, area))  # NaN compares false: no facility known
    columns["facilities"] = has  # booleans count as 1 and 0 in the integer arrays
    if flags is None:
        columns["barrier_free_yes"] = FIELDS["barrier_free_yes"].filled(rows)
        columns["barrier_free_no"] = FIELDS["barrier_free_no"].filled(rows)
    else:
        columns["barrier_free_yes"] = list(map(operator.and_, has, map((1).__eq__, flags)))
        columns["barrier_free_no"] = list(map(operator.and_, has, map((0).__eq__, flags)))
    return columns


def _numpy_of(area: Any, flags: Any) -> Any:
    """NumPy, when installed and the columns are ``array("d")`` and ``array("b")`` (or
    absent) of the table's readers; else ``None`` (the same rule then runs row by row)."""
    if not isinstance(area, array) or area.typecode != "d":
        return None
    if flags is not None and not (isinstance(flags, array) and flags.typecode == "b"):
        return None
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _is_floats(values: object) -> bool:
    return isinstance(values, array) and values.typecode == "d"


def _array_of(values: Any, typecode: str) -> array[Any]:
    """A NumPy column of integers as the ``array`` of ``typecode`` it already lays out."""
    out = array(typecode)
    out.frombytes(values.tobytes())
    return out


def _where(values: Sequence[Any], answer: int, typecode: str) -> Sequence[int]:
    """1 where ``values`` holds ``answer``, else 0 (a whole ``array("b")`` by NumPy)."""
    if isinstance(values, array) and values.typecode == typecode:
        try:
            import numpy as np
        except ImportError:
            pass
        else:
            given = np.frombuffer(values, dtype=np.int8)
            return _array_of((given == answer).astype(np.int8), typecode)
    return [1 if v == answer else 0 for v in values]


def table_values(columns: Any, index: int) -> dict[str, Any]:
    """Row ``index`` of community columns as the values of the catalogue's fields.

    Numbers and flags are the column values (``NaN``, ``-1`` for a blank cell); the
    ``barrier_free`` answer is 1 when every counted facility is barrier-free, 0 when one
    is not, blank otherwise (a table has one answer per community).

    Raises:
        InvalidArgumentError: ``columns`` has no community columns, or no row ``index``.
    """
    try:
        return _table_values(columns, index)
    except (AttributeError, IndexError, TypeError, KeyError):
        raise InvalidArgumentError(
            "columns/index", (columns, index), "community columns and one of their rows"
        ) from None


def _table_values(columns: Any, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in COMMUNITY_FIELDS:
        if field.table is not None:
            out[field.table] = getattr(columns, field.name)[index]
    out[BARRIER_FREE] = barrier_answer(
        columns.facilities[index], columns.barrier_free_yes[index], columns.barrier_free_no[index]
    )
    return out


def barrier_free_column(columns: Any, rows: slice = slice(None)) -> list[int]:
    """A table's one barrier-free answer (:data:`BARRIER_FREE`) of each of the ``rows`` of
    community columns, read from their tallies by :func:`barrier_answer`: 0 when a
    facility is not barrier-free, 1 when every one is, else unknown.

    Raises:
        InvalidArgumentError: ``columns`` has no community columns, or ``rows`` is not a
            slice of them.
    """
    if not isinstance(rows, slice):
        raise InvalidArgumentError("rows", rows, "a slice of the rows")
    try:
        return list(
            map(
                barrier_answer,
                columns.facilities[rows],
                columns.barrier_free_yes[rows],
                columns.barrier_free_no[rows],
            )
        )
    except (AttributeError, IndexError, TypeError):
        raise InvalidArgumentError("columns", columns, "community columns") from None


def barrier_answer(facilities: int, yes: int, no: int) -> int:
    """A table's one barrier-free answer from a community's tallies: 0 when a facility is
    not barrier-free, 1 when every one is, else unknown (no facility, or not surveyed)."""
    if facilities > 0:
        if no:
            return 0
        if yes >= facilities:
            return 1
    return UNKNOWN_FLAG


def table_fields() -> dict[str, str]:
    """Each catalogue field a table fills community columns from, and its cell kind."""
    fields = {f.table: f.kind for f in COMMUNITY_FIELDS if f.table is not None}
    fields[BARRIER_FREE] = "flag"
    return fields


def community_columns(communities: Iterable[Community]) -> dict[str, list[Any]]:
    """The columns of :data:`COMMUNITY_FIELDS` for ``communities``, as lists."""
    rows = [community_values(c) for c in communities]
    return {f.name: [row[i] for row in rows] for i, f in enumerate(COMMUNITY_FIELDS)}
