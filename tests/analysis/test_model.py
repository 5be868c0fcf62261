"""The community model: one declaration from which columns, entities, tables and the sample
derive. Unknown stays unknown in every direction, a township's kind comes from its name
and code by one rule, and the same data in every format gets the same verdicts."""

from __future__ import annotations

import math
from array import array
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqfw.analysis import Assessment, CommunityColumns, RegionDataset, assess, load_region
from sqfw.analysis import save_table as save
from sqfw.analysis._dataset import DivisionTree
from sqfw.analysis._loading.columns import COLUMNS, check_model
from sqfw.analysis._loading.writer import table_rows
from sqfw.analysis._sample import sample_region
from sqfw.calculators import Status, facility_area, office_share
from sqfw.calculators._columns import COMMUNITY_COLUMNS, community_values
from sqfw.calculators._model import COMMUNITY_FIELDS, FIELDS, UNKNOWN_FLAG
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
from sqfw.entities.divisions import code_from_prefix, division_kind
from sqfw.errors import DataLoadError, InvalidEntityError, StandardsError
from sqfw.serialization import dumps

ROOT = Division(code="150000000000", name="内蒙古自治区", kind=DivisionKind.AUTONOMOUS_REGION)
NAN = math.nan


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _columns_equal(left: CommunityColumns, right: CommunityColumns) -> None:
    assert left.code == right.code
    assert left.name == right.name
    for field in COMMUNITY_FIELDS:
        a, b = getattr(left, field.name), getattr(right, field.name)
        assert a.typecode == b.typecode == field.typecode, field.name
        bad = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if not _same(x, y)]
        assert not bad, (field.name, [(a[i], b[i]) for i in bad[:3]])


def _townships(dataset: RegionDataset) -> list[Division]:
    """Each community's township (the tables' order may differ between sources)."""
    return [dataset.townships[t] for t in dataset.communities.township]


# -- strategies ---------------------------------------------------------------------------

_AREAS = st.decimals(min_value=0, max_value=2_000, places=1, allow_nan=False)


@st.composite
def _facility(draw: st.DrawFn, index: int) -> Facility:
    """A facility of any kind; a comprehensive one may leave its areas unrecorded."""
    kind = draw(st.sampled_from(FacilityKind))
    total = draw(st.none() | _AREAS) if kind is FacilityKind.COMPREHENSIVE else draw(_AREAS)
    bound = 2_000 if total is None else total
    part = st.decimals(min_value=0, max_value=bound, places=1, allow_nan=False)
    return Facility(
        id=f"f{index}",
        kind=kind,
        total_area_m2=total,
        office_area_m2=draw(st.none() | part),
        activity_area_m2=draw(st.none() | part),
        barrier_free=draw(st.none() | st.booleans()),
    )


_FLAG = st.none() | st.booleans()


@st.composite
def _community(draw: st.DrawFn, code: str, *, one_facility: bool = False) -> Community:
    """A community whose every fact may be unknown.

    With ``one_facility`` its only facility with a floor is its comprehensive one (a
    table has one barrier-free answer per community: it carries one facility).
    """
    residents = draw(st.none() | st.integers(0, 9_000))
    if residents == 0:
        households = draw(st.none() | st.just(0))
    else:
        households = draw(st.none() | st.integers(1, residents or 3_000))
    floor = draw(st.none() | st.decimals(min_value=0, max_value=50_000, places=1))
    commercial = st.decimals(
        min_value=0, max_value=floor if floor is not None else 50_000, places=1
    )
    committee = draw(
        st.none()
        | st.builds(
            lambda kind, method: Committee(term=10, kind=kind, method=method),
            st.sampled_from(CommitteeKind),
            st.sampled_from(ElectionMethod),
        )
    )
    count = draw(st.integers(0, 3))
    facilities = [draw(_facility(i)) for i in range(count)]
    if one_facility:  # what a table carries: the comprehensive facility, and no other floor
        comprehensive = [f for f in facilities if f.kind is FacilityKind.COMPREHENSIVE][:1]
        others = [
            attrs.evolve(f, total_area_m2=0, office_area_m2=0, activity_area_m2=None)
            for f in facilities
            if f.kind is not FacilityKind.COMPREHENSIVE
        ]
        facilities = comprehensive + others
    return Community(
        code=code,
        name=draw(st.sampled_from(["新华社区", "乌兰嘎查", "红旗村"])),
        kind=draw(st.sampled_from(CommunityKind)),
        households=households,
        resident_population=residents,
        floating_population=draw(st.none() | st.integers(0, 900)),
        registered_volunteers=draw(st.none() | st.integers(0, 900)),
        new_or_renovated=draw(st.booleans()),
        smart=SmartCommunity(
            infrastructure=draw(_FLAG), platform_sharing=draw(_FLAG), online_convenience=draw(_FLAG)
        ),
        facilities=facilities,
        committee=committee,
        set_up_as_needed=draw(st.booleans()),
        self_service_terminal=draw(_FLAG),
        floor_area_m2=floor,
        commercial_service_area_m2=draw(st.none() | commercial) if floor is not None else None,
    )


_TOWNSHIPS = (  # (code digits, name): the names say their kind
    ("150102001", "海拉尔东路街道"),
    ("150102101", "保合少镇"),
    ("150121201", "沙尔沁苏木"),
    ("152502003", "宝昌镇"),  # a 镇 whose code says street: the name wins
)


@st.composite
def _regions(draw: st.DrawFn, *, max_communities: int = 4, as_table: bool = False) -> Region:
    """A small region of the autonomous region, its divisions' kinds read by the one rule.

    With ``as_table``, only what a table carries: divisions that hold a community, and one
    facility per community.
    """
    townships = draw(
        st.lists(st.sampled_from(_TOWNSHIPS), min_size=1, max_size=3, unique_by=lambda t: t[0])
    )
    codes = draw(
        st.lists(
            st.tuples(st.sampled_from(townships), st.integers(1, 40)).map(
                lambda t: f"{t[0][0]}{t[1]:03d}"
            ),
            min_size=1,
            max_size=max_communities,
            unique=True,
        )
    )
    if as_table:
        townships = [t for t in townships if any(c.startswith(t[0]) for c in codes)]
    divisions: list[Division] = []
    for prefix, name in townships:
        code = code_from_prefix(prefix)
        divisions.append(
            Division(
                code=code,
                name=name,
                kind=division_kind(code, name),
                public_service_hall=draw(_FLAG),  # a town's answer too: kept, not a street
            )
        )
    for prefix, name in {(t[0][:6], "新城区" if t[0][4] == "0" else "太仆寺旗") for t in townships}:
        code = code_from_prefix(prefix)
        divisions.append(
            Division(
                code=code,
                name=name,
                kind=division_kind(code, name),
                meets_pay_requirements=draw(_FLAG),
            )
        )
    for prefix in sorted({t[0][:4] for t in townships}):
        code = code_from_prefix(prefix)
        name = "呼和浩特市" if prefix == "1501" else "锡林郭勒盟"
        divisions.append(Division(code=code, name=name, kind=division_kind(code, name)))
    return Region(
        root=ROOT,
        divisions=divisions,
        communities=[draw(_community(code, one_facility=as_table)) for code in codes],
    )


@st.composite
def _rows(draw: st.DrawFn) -> dict[str, Any]:
    """One community's columns drawn directly, as any source may give them."""
    residents = draw(st.sampled_from([NAN, 0.0]) | st.integers(1, 9_000).map(float))
    if residents == 0:
        households = draw(st.sampled_from([NAN, 0.0]))
    elif math.isnan(residents):
        households = draw(st.just(NAN) | st.integers(1, 3_000).map(float))
    else:
        households = draw(st.just(NAN) | st.integers(1, int(residents)).map(float))
    number = st.just(NAN) | st.integers(0, 900).map(float)
    area = draw(st.sampled_from([NAN, 0.0]) | st.integers(1, 20_000).map(lambda v: v / 10))
    part = st.just(NAN) | st.integers(0, int(area * 10) if area == area else 20_000).map(
        lambda v: v / 10
    )
    count = draw(st.integers(1 if area > 0 else 0, 3))
    yes = draw(st.integers(0, count))
    floor = draw(st.just(NAN) | st.integers(0, 500_000).map(lambda v: v / 10))
    tri = st.sampled_from([UNKNOWN_FLAG, 0, 1])
    direct = draw(tri)
    # a residents' committee on record has its direct answer and its term (§1.4)
    term = NAN if direct == UNKNOWN_FLAG else float(draw(st.integers(8, 11)))
    return {
        "kind": draw(st.integers(0, len(CommunityKind) - 1)),
        "households": households,
        "residents": residents,
        "floating": draw(number),
        "volunteers": draw(number),
        "area": area,
        "office": 0.0 if area == 0 else draw(part),
        "activity": NAN if area == 0 else draw(part),
        "facilities": count,
        "barrier_free_yes": yes,
        "barrier_free_no": draw(st.integers(0, count - yes)),
        "new_or_renovated": draw(st.integers(0, 1)),
        "direct": direct,
        "term": term,
        "smart_infrastructure": draw(tri),
        "smart_sharing": draw(tri),
        "smart_online": draw(tri),
        "set_up_as_needed": draw(st.integers(0, 1)),
        "self_service": draw(tri),
        "floor_area": floor,
        "commercial_area": draw(
            st.just(NAN)
            | st.integers(0, int(floor * 10) if floor == floor else 9).map(lambda v: v / 10)
        ),
    }


def _dataset(rows: list[dict[str, Any]]) -> RegionDataset:
    """A dataset made from columns, its divisions known by code only."""
    codes = [f"150102{1 + i // 5:03d}{1 + i % 5:03d}" for i in range(len(rows))]
    tree = DivisionTree()
    township = [tree.add(code) for code in codes]

    def divisions(level: DivisionLevel) -> tuple[Division, ...]:
        return tuple(Division(code=c, name=c, kind=division_kind(c)) for c in tree.codes[level])

    counties = len(tree.codes[DivisionLevel.COUNTY])
    return RegionDataset(
        root=ROOT,
        prefectures=divisions(DivisionLevel.PREFECTURE),
        counties=divisions(DivisionLevel.COUNTY),
        townships=divisions(DivisionLevel.TOWNSHIP),
        county_prefecture=tree.county_prefecture,
        township_county=tree.township_county,
        communities=CommunityColumns(
            code=codes,
            name=[f"第{i + 1}社区" for i in range(len(rows))],
            township=township,
            **{f.name: [row[f.name] for row in rows] for f in COMMUNITY_FIELDS},
        ),
        county_workers=[NAN] * counties,
        county_workers_associate=[NAN] * counties,
    )


# -- the model ----------------------------------------------------------------------------


class TestOneDeclaration:
    """Columns, kernels' inputs and the table catalogue come from the one model."""

    def test_columns_are_the_model(self) -> None:
        """CommunityColumns holds the model's fields, with the model's types and absences."""
        names = [f.name for f in attrs.fields(CommunityColumns)]
        assert [n for n in names if n not in ("code", "name", "township", "extra")] == [
            f.name for f in COMMUNITY_FIELDS
        ]
        assert tuple(f.name for f in COMMUNITY_FIELDS) == COMMUNITY_COLUMNS
        bare = CommunityColumns(code=["150102001001"], name=["x"], township=[0])
        for field in COMMUNITY_FIELDS:
            column = getattr(bare, field.name)
            assert column.typecode == field.typecode
            assert _same(column[0], field.absent)

    def test_a_class_that_drifts_is_refused(self) -> None:
        """A columns class missing a model field cannot even be made."""
        from sqfw.analysis._dataset import _from_model

        with pytest.raises(TypeError, match="community model"):

            @attrs.frozen(kw_only=True, field_transformer=_from_model)
            class Drifted:
                code: list[str]
                kind: array[int]

    def test_catalogue_kinds_are_the_models(self) -> None:
        """Every model field a table carries has its catalogue column of the same kind."""
        by_field = {c.field: c for c in COLUMNS}
        for field in COMMUNITY_FIELDS:
            if field.table is not None:
                assert by_field[field.table].kind == field.kind
        changed = tuple(
            attrs.evolve(c, kind="count") if c.field == "office" else c for c in COLUMNS
        )
        with pytest.raises(StandardsError, match="community model's kind of 'office'"):
            check_model(changed, source="columns.toml")
        with pytest.raises(StandardsError, match="no column for the community model's field"):
            check_model(tuple(c for c in COLUMNS if c.field != "direct"), source="columns.toml")

    def test_the_sample_is_made_of_the_model(self) -> None:
        """The sample's columns are the model's, and its entities read back to it."""
        sample = sample_region(seed=3)
        again = RegionDataset.from_region(sample.to_region())
        _columns_equal(sample.communities, again.communities)
        kinds = {t.kind for t in sample.townships}
        assert kinds == {
            DivisionKind.STREET,
            DivisionKind.TOWN,
            DivisionKind.TOWNSHIP,
            DivisionKind.SUMU,
        }
        assert all(t.kind is division_kind(t.code, t.name) for t in sample.townships)


class TestUnknownStaysUnknown:
    """A fact not known is unknown as a table, as columns and as entities (§2.1, §2.14)."""

    def _table(self, tmp_path: Path, area: str, office: str = "") -> Path:
        path = tmp_path / "t.csv"
        path.write_text(
            "社区代码,社区类型,户数,常住人口,综合服务设施面积,办公面积\n"
            f"150102001001,城镇社区,1000,2500,{area},{office}\n",
            encoding="utf-8",
        )
        return path

    def test_a_blank_area_is_unknown_as_a_table_and_as_entities(self, tmp_path: Path) -> None:
        """§2.1: a blank facility area is "unknown" both ways, never "no facility"."""
        table = load_region(self._table(tmp_path, ""))
        assert math.isnan(table.communities.area[0])
        community = table.community(0)
        (facility,) = community.facilities
        assert facility.kind is FacilityKind.COMPREHENSIVE
        assert facility.total_area_m2 is None  # the facility's area is not recorded
        assert facility_area(community).status is Status.UNKNOWN
        as_table = assess(table, norms=["facility_area"])
        as_entities = assess(table.to_region(), norms=["facility_area"])
        for result in (as_table, as_entities):
            assert result.status_counts("facility_area")[Status.UNKNOWN] == 1
        again = RegionDataset.from_region(table.to_region())
        assert math.isnan(again.communities.area[0])

    @pytest.mark.parametrize(("area", "status"), [("300", Status.PASS), ("299.9", Status.FAIL)])
    def test_a_known_area_is_decided_alike(self, tmp_path: Path, area: str, status: Status) -> None:
        """§2.1: 1,000 households need 300 m²: exactly 300 passes, 299.9 fails, both ways."""
        table = load_region(self._table(tmp_path, area, "10"))
        assert facility_area(table.community(0)).status is status
        as_entities = assess(table.to_region(), norms=["facility_area"])
        assert as_entities.status_counts("facility_area")[status] == 1
        assert assess(table, norms=["facility_area"]).status_counts("facility_area")[status] == 1

    def test_a_blank_office_area_is_unknown(self, tmp_path: Path) -> None:
        """§2.14: a blank office area is unknown as entities too (it was read as 0)."""
        table = load_region(self._table(tmp_path, "400"))
        community = table.community(0)
        assert community.facilities[0].office_area_m2 is None
        assert office_share(community).status is Status.UNKNOWN
        assert math.isnan(RegionDataset.from_region(table.to_region()).communities.office[0])

    def test_no_facility_has_no_office(self, tmp_path: Path) -> None:
        """An area of 0 is "no facility": its office area is 0, as an entity without one."""
        table = load_region(self._table(tmp_path, "0"))
        assert table.communities.office[0] == 0
        assert table.community(0).facilities == ()
        assert facility_area(table.community(0)).status is Status.FAIL

    def test_an_unrecorded_area_is_validated(self) -> None:
        """A facility's areas may be unrecorded, never negative; the office within the total."""
        assert Facility(id="a", kind="comprehensive", total_area_m2=None).total_area_m2 is None
        with pytest.raises(InvalidEntityError, match="total_area_m2"):
            Facility(id="a", kind="comprehensive", total_area_m2=-1)
        with pytest.raises(InvalidEntityError, match="office_area_m2"):
            Facility(id="a", kind="comprehensive", total_area_m2=10, office_area_m2=11)
        assert Facility(id="a", kind="comprehensive", total_area_m2=None, office_area_m2=11)

    @pytest.mark.parametrize(
        ("header", "value", "whole", "column"),
        [
            ("居民活动区域面积", "100.1", "100", "居民活动区域面积"),
            ("商业和综合服务设施面积", "50.5", "50", "商业和综合服务设施面积"),
        ],
    )
    def test_a_part_above_its_whole_is_a_table_error(
        self, tmp_path: Path, header: str, value: str, whole: str, column: str
    ) -> None:
        """What the entities refuse the table refuses, naming row and column."""
        whole_header = "综合服务设施面积" if header == "居民活动区域面积" else "社区总建筑面积"
        path = tmp_path / "t.csv"
        for cell, ok in ((whole, True), (value, False)):
            path.write_text(
                f"社区代码,{whole_header},{header}\n150102001001,{whole},{cell}\n",
                encoding="utf-8",
            )
            if ok:
                data = load_region(path)
                RegionDataset.from_region(data.to_region())  # the entities accept it
            else:
                with pytest.raises(DataLoadError, match=f"row 2:column {column}"):
                    load_region(path)

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_rows(), min_size=1, max_size=8))
    def test_columns_to_entities_and_back(self, rows: list[dict[str, Any]]) -> None:
        """dataset → to_region → from_region is the identity on every column, unknowns too."""
        dataset = _dataset(rows)
        again = RegionDataset.from_region(dataset.to_region())
        _columns_equal(dataset.communities, again.communities)
        assert list(again.communities.township) == list(dataset.communities.township)
        assert again.townships == dataset.townships

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(_regions())
    def test_entities_to_columns_is_stable(self, region: Region) -> None:
        """entities → from_region → to_region → from_region gives the same columns."""
        first = RegionDataset.from_region(region)
        second = RegionDataset.from_region(first.to_region())
        _columns_equal(first.communities, second.communities)
        assert _townships(first) == _townships(second)
        for community in region.communities:
            rebuilt = first.community(first.communities.code.index(community.code))
            assert [_same(a, b) for a, b in zip(
                community_values(rebuilt), community_values(community), strict=True
            )] == [True] * len(COMMUNITY_FIELDS)  # fmt: skip


class TestTownshipKind:
    """A township's kind comes from its name and code by one rule (§2.10, §2.11)."""

    @pytest.mark.parametrize(
        ("code", "name", "kind"),
        [
            ("150102001000", "海拉尔东路街道", DivisionKind.STREET),
            ("150102001000", "沙尔沁苏木", DivisionKind.SUMU),  # the name says it first
            ("150102001000", "保合少镇", DivisionKind.TOWN),
            ("150102001000", "某某乡", DivisionKind.TOWNSHIP),
            ("150102001000", None, DivisionKind.STREET),  # GB/T 10114: 001–099 streets
            ("150102099000", None, DivisionKind.STREET),
            ("150102100000", None, DivisionKind.TOWN),  # 100–199 towns
            ("150102199000", None, DivisionKind.TOWN),
            ("150102200000", None, DivisionKind.TOWNSHIP),  # 200 on: the code does not say
            ("150102200000", "150102200000", DivisionKind.TOWNSHIP),
            ("150100000000", "呼和浩特市", DivisionKind.PREFECTURE_CITY),
            ("152500000000", "锡林郭勒盟", DivisionKind.LEAGUE),
            ("150102000000", "新城区", DivisionKind.DISTRICT),
            ("152527000000", "太仆寺旗", DivisionKind.BANNER),
            ("150727000000", "鄂温克族自治旗", DivisionKind.AUTONOMOUS_BANNER),
            ("150102000000", None, DivisionKind.COUNTY),
        ],
    )
    def test_one_rule(self, code: str, name: str | None, kind: DivisionKind) -> None:
        """The name's ending, else the township digits' range, else the level's plain kind."""
        assert division_kind(code, name) is kind

    def _table(self, tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
        path = tmp_path / "t.csv"
        lines = ["社区代码,苏木乡镇街道,街道公共服务大厅,综合服务设施面积"]
        lines += [f"{code},{township},{hall},300" for code, township, hall in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    @pytest.mark.parametrize("name", ["沙尔沁苏木", "保合少镇"])
    def test_a_hall_answer_does_not_make_a_street(self, tmp_path: Path, name: str) -> None:
        """§2.11: a 苏木 or 镇 that answers the street-hall column stays what its name says;
        its answer is kept, and counts only for streets."""
        path = self._table(
            tmp_path, [("150102001001", "海拉尔东路街道", "否"), ("150102101001", name, "是")]
        )
        data = load_region(path)
        street, other = data.townships
        assert street.kind is DivisionKind.STREET
        assert other.kind is division_kind(other.code, name) is not DivisionKind.STREET
        assert other.public_service_hall is True  # the answer is kept
        # one street without a hall: 0 of 1 streets; the town's hall does not count
        indicator = assess(data).indicator("street_hall.coverage")
        assert (indicator.numerator, indicator.denominator) == (0, 1)
        as_entities = assess(data.to_region()).indicator("street_hall.coverage")
        assert (as_entities.numerator, as_entities.denominator) == (0, 1)

    def test_a_street_hall_counts(self, tmp_path: Path) -> None:
        """§2.11: the street's own hall counts: 1 of 1 streets, as a table and as entities."""
        path = self._table(
            tmp_path, [("150102001001", "海拉尔东路街道", "是"), ("150102101001", "保合少镇", "否")]
        )
        data = load_region(path)
        for source in (data, data.to_region()):
            indicator = assess(source).indicator("street_hall.coverage")
            assert (indicator.numerator, indicator.denominator) == (1, 1)

    def test_an_unnamed_township_reads_its_code(self, tmp_path: Path) -> None:
        """Without names, a township's kind is its code's: 001 a street, 101 a town."""
        path = tmp_path / "t.csv"
        path.write_text(
            "社区代码,街道公共服务大厅\n150102001001,是\n150102101001,是\n", encoding="utf-8"
        )
        street, town = load_region(path).townships
        assert (street.kind, town.kind) == (DivisionKind.STREET, DivisionKind.TOWN)
        assert town.public_service_hall is True


# -- every format ---------------------------------------------------------------------------


def _verdicts(a: Assessment) -> list[tuple[object, ...]]:
    """Every community's status and figures for every norm, and every target and indicator."""
    out: list[tuple[object, ...]] = []
    codes = list(a.dataset.communities.code)
    for norm, run in a.runs.items():
        columns = run.columns
        for key in ("status", "measured", "required", "shortfall"):
            if key in columns:
                values = [repr(float(v)) for v in columns[key]]
                out.append((norm, key, tuple(sorted(zip(codes, values, strict=True)))))
    out += [
        (t.target.id, t.place.code, t.attainment, t.measured, t.required, t.gap) for t in a.targets
    ]
    out += [
        (v.indicator.id, v.place.code, v.numerator, v.denominator, v.unknown) for v in a.indicators
    ]
    return sorted(out, key=repr)  # places in any order


class TestEveryFormatAgrees:
    """The same region as CSV, XLSX, a JSON region document and entities: the same verdicts.

    The region holds what a table carries (a table has one barrier-free answer per
    community, so one facility with a floor, and lists the divisions its rows lie in).
    """

    @settings(
        max_examples=25,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(region=_regions(max_communities=4, as_table=True))
    def test_same_verdicts(self, region: Region, tmp_path_factory: pytest.TempPathFactory) -> None:
        """Every community norm's statuses and figures and every target are identical."""
        pytest.importorskip("openpyxl")
        folder = tmp_path_factory.mktemp("formats")
        dataset = RegionDataset.from_region(region)
        expected = _verdicts(assess(region))
        document = folder / "document.json"  # the entities' own document
        document.write_text(dumps(region), encoding="utf-8")
        paths = [document] + [
            save(dataset, folder / f"region.{s}") for s in ("csv", "xlsx", "json")
        ]
        for path in paths:
            suffix = path.name
            loaded = load_region(path)
            _columns_equal(dataset.communities, loaded.communities)
            assert _townships(loaded) == _townships(dataset), suffix
            assert _verdicts(assess(loaded)) == expected, suffix

    def test_rows_made_a_window_at_a_time_read_back_alike(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The writer makes its rows a window of rows at a time: windows of 7 rows give
        the rows of one window, and the table they make (extra columns, names a
        spreadsheet would run, unknowns) loads back to the same columns and divisions."""
        from sqfw.analysis import load_table
        from sqfw.analysis._loading import writer

        source = tmp_path / "x.csv"
        lines = ["社区代码,社区名称,户数,常住人口,综合服务设施面积,无障碍,备注,苏木乡镇街道"]
        lines += [
            f"150102{i // 9 + 1:03d}{i % 9 + 1:03d},{'=SUM(1)' if i % 5 == 0 else f'社区{i}'},"
            f"{'' if i % 4 == 0 else i + 1},{3 * i + 3},{'' if i % 6 == 0 else i * 1.5},"
            f"{('是', '否', '')[i % 3]},{'@' if i % 7 == 0 else 'ok'},{'=街道' if i < 9 else ''}"
            for i in range(40)
        ]
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        dataset = load_table(source)
        whole = list(table_rows(dataset))
        monkeypatch.setattr(writer, "_WINDOW", 7)
        assert list(table_rows(dataset)) == whole
        back = load_table(save(dataset, tmp_path / "back.csv"))
        _columns_equal(dataset.communities, back.communities)
        assert back.communities.extra == dataset.communities.extra
        assert _townships(back) == _townships(dataset)
        assert back.counties == dataset.counties

    def test_the_table_writes_the_model(self) -> None:
        """Each community cell written is the model's table value (the catalogue's order)."""
        dataset = _dataset(
            [
                {**{f.name: f.absent for f in COMMUNITY_FIELDS}, "area": 0.0, "office": 0.0},
                {**{f.name: f.absent for f in COMMUNITY_FIELDS}, "area": NAN, "direct": 1},
            ]
        )
        header, first, second = list(table_rows(dataset))
        by = dict(zip(header, zip(first, second, strict=True), strict=True))
        assert by["综合服务设施面积"] == ("0", "")  # none, and unknown
        assert by["直选"] == ("", "是")
        assert by["新建改造"] == ("否", "否")  # always known: absent says no
        assert FIELDS["new_or_renovated"].unknown is None
