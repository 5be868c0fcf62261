"""The units below a community (§3.2, §3.5): grids, buildings, resident groups, their leaders
and grid workers, coded by a host's scheme and checked against their community."""

from __future__ import annotations

import json

import attrs
import jsonschema
import pendulum
import pytest
from hypothesis import given

import sqfw.testing as sqst
from sqfw.entities import (
    EXAMPLE_SCHEME,
    Building,
    Community,
    CommunityUnits,
    FloatingRegistration,
    Grid,
    GridWorker,
    ResidentGroup,
    UnitCodeScheme,
    UnitKind,
    UnitLeader,
)
from sqfw.errors import DocumentError, InvalidEntityError, UnsafeTextError
from sqfw.serialization import dump_document, dumps, json_schema, load_document, make_converter

C = "150102001001"
OTHER = "150102001002"
FULL = make_converter(reveal_personal_data=True)


def a_grid(code: str = C + "001", **kw: object) -> Grid:
    return Grid(**{"community_code": C, "code": code, "name": "第一网格", **kw})  # type: ignore[arg-type]


def a_building(code: str = C + "0001", **kw: object) -> Building:
    return Building(community_code=C, code=code, name="3号楼", **kw)  # type: ignore[arg-type]


class TestUnitCodeScheme:
    """The host's scheme: a serial of 1–8 digits per kind, three different widths."""

    def test_example_scheme_is_marked(self) -> None:
        assert EXAMPLE_SCHEME.is_example
        assert "示例" in EXAMPLE_SCHEME.name
        assert "example" in EXAMPLE_SCHEME.name
        assert EXAMPLE_SCHEME.code("grid", C, 1) == "150102001001001"
        assert EXAMPLE_SCHEME.code("resident_group", C, 12) == "15010200100112"
        assert EXAMPLE_SCHEME.code("building", C, 7) == "1501020010010007"

    @pytest.mark.parametrize("width", [1, 8])
    def test_widths_at_the_bounds(self, width: int) -> None:
        others = [w for w in (2, 3, 4) if w != width][:2]
        scheme = UnitCodeScheme(
            name="s", grid_digits=width, resident_group_digits=others[0], building_digits=others[1]
        )
        assert scheme.width(UnitKind.GRID) == width

    @pytest.mark.parametrize("width", [0, 9, True, "3"])
    def test_widths_out_of_bounds(self, width: object) -> None:
        with pytest.raises(InvalidEntityError, match="grid_digits: expected a number of digits"):
            UnitCodeScheme(
                name="s",
                grid_digits=width,  # type: ignore[arg-type]
                resident_group_digits=5,
                building_digits=6,
            )

    def test_same_width_twice_is_refused(self) -> None:
        """A code must tell its kind by its length."""
        with pytest.raises(InvalidEntityError, match="three different widths"):
            UnitCodeScheme(name="s", grid_digits=3, resident_group_digits=2, building_digits=3)

    def test_serial_bounds(self) -> None:
        assert EXAMPLE_SCHEME.code("grid", C, 999).endswith("999")
        for serial in (0, 1000):
            with pytest.raises(InvalidEntityError, match="serial: expected an integer from 1"):
                EXAMPLE_SCHEME.code("grid", C, serial)

    def test_kind_of_a_code(self) -> None:
        assert EXAMPLE_SCHEME.kind_of(C + "001") is UnitKind.GRID
        assert EXAMPLE_SCHEME.kind_of(C + "01") is UnitKind.RESIDENT_GROUP
        assert EXAMPLE_SCHEME.kind_of(C + "0001") is UnitKind.BUILDING
        assert EXAMPLE_SCHEME.kind_of(C + "00001") is None


class TestUnitCodes:
    """A unit's code is its community's code followed by 1–8 digits, not all zeros."""

    @pytest.mark.parametrize("serial", ["1", "00000001", "001"])
    def test_accepted(self, serial: str) -> None:
        assert a_grid(C + serial).code == C + serial

    @pytest.mark.parametrize(
        ("code", "why"),
        [
            (C, "no serial"),
            (C + "000000001", "nine digits"),
            (C + "000", "all zeros"),
            (OTHER + "001", "another community's prefix"),
            (C + "0a1", "a letter"),
            (C + "٠٠١", "non-ASCII digits"),
            (15010200100, "not text"),
        ],
    )
    def test_refused(self, code: object, why: str) -> None:
        with pytest.raises(InvalidEntityError, match=f"the community's code {C} followed by"):
            a_grid(code)  # type: ignore[arg-type]

    def test_one_problem_for_a_bad_community_code(self) -> None:
        """A street's code in ``community_code`` is its field's problem, not the unit's."""
        data = dump_document(a_grid(), converter=FULL)
        with pytest.raises(DocumentError) as refused:
            load_document(Grid, {**data, "community_code": "150102001000"}, converter=FULL)
        assert [p.path for p in refused.value.problems] == ["$.community_code"]

    def test_community_must_be_a_community(self) -> None:
        """§3.5: units lie in a community (village level), not in a street."""
        with pytest.raises(InvalidEntityError, match="community_code"):
            Grid(community_code="150102001000", code="150102001000001", name="x")


class TestPeople:
    """Leaders and grid workers: personal data masked, names by the text rule."""

    def test_leader_masked_everywhere(self) -> None:
        leader = UnitLeader(id="L1", name="李娜", phone="13800138000")
        building = a_building(leader=leader)
        shown = repr(building) + json.dumps(dump_document(building), ensure_ascii=False)
        assert "李娜" not in shown
        assert "13800138000" not in shown
        assert "138****8000" in shown
        full = dump_document(building, converter=FULL)
        assert full["leader"]["name"] == "李娜"
        assert load_document(Building, full, converter=FULL) == building

    def test_names_follow_the_text_rule(self) -> None:
        with pytest.raises(UnsafeTextError, match="U\\+200B"):
            a_grid(name="第一\u200b网格")
        # NFC: the same name typed decomposed or composed is the same text
        assert a_grid(name="Cafe\u0301").name == "Caf\u00e9"

    def test_grid_worker_assignment_days(self) -> None:
        worker = GridWorker(id="w1", name="王伟", since="2024-01-01", until="2024-06-30")
        assert not worker.serves_on(pendulum.Date(2023, 12, 31))
        assert worker.serves_on(pendulum.Date(2024, 1, 1))
        assert worker.serves_on(pendulum.Date(2024, 6, 30))
        assert not worker.serves_on(pendulum.Date(2024, 7, 1))

    def test_assignment_ends_after_it_starts(self) -> None:
        GridWorker(id="w1", name="王伟", since="2024-01-01", until="2024-01-01")
        with pytest.raises(InvalidEntityError, match="until: expected an end on or after"):
            GridWorker(id="w1", name="王伟", since="2024-01-01", until="2023-12-31")

    def test_a_grid_worker_may_be_a_community_worker(self) -> None:
        worker = GridWorker(id="w1", name="王伟", worker_id="cw-7", full_time=True)
        part_time = GridWorker(id="w2", name="赵敏", full_time=False)
        assert worker.worker_id == "cw-7"
        assert part_time.worker_id is None

    def test_workers_listed_once(self) -> None:
        worker = GridWorker(id="w1", name="王伟")
        with pytest.raises(InvalidEntityError, match="duplicate 'w1'"):
            a_grid(workers=[worker, worker])


class TestCommunityUnits:
    """Every unit of one community, checked together under the host's scheme."""

    def test_units_of_another_community(self) -> None:
        foreign = Grid(community_code=OTHER, code=OTHER + "001", name="x")
        with pytest.raises(InvalidEntityError, match=r"grids\[0\].community_code"):
            CommunityUnits(community_code=C, grids=[foreign])

    def test_code_width_by_kind(self) -> None:
        CommunityUnits(community_code=C, grids=[a_grid(C + "001")])
        with pytest.raises(InvalidEntityError, match=r"grids\[0\].code: expected a grid code"):
            CommunityUnits(community_code=C, grids=[a_grid(C + "0001")])

    def test_another_scheme(self) -> None:
        scheme = UnitCodeScheme(
            name="某区网格编码规则", grid_digits=4, resident_group_digits=3, building_digits=6
        )
        units = CommunityUnits(community_code=C, scheme=scheme, grids=[a_grid(C + "0001")])
        assert units.grids[0].code == scheme.code("grid", C, 1)

    def test_building_in_a_listed_grid(self) -> None:
        units = CommunityUnits(
            community_code=C, grids=[a_grid()], buildings=[a_building(grid_code=C + "001")]
        )
        assert units.buildings_in(C + "001") == units.buildings
        with pytest.raises(InvalidEntityError, match="a grid of the same community"):
            CommunityUnits(community_code=C, buildings=[a_building(grid_code=C + "002")])

    def test_building_in_a_grid_of_another_community(self) -> None:
        with pytest.raises(InvalidEntityError, match="grid_code: expected the community's code"):
            a_building(grid_code=OTHER + "001")

    def test_codes_unique(self) -> None:
        with pytest.raises(InvalidEntityError, match="duplicate"):
            CommunityUnits(community_code=C, grids=[a_grid(), a_grid()])

    def test_groups_cover_listed_buildings(self) -> None:
        group = ResidentGroup(
            community_code=C, code=C + "01", name="第一居民小组", building_codes=[C + "0001"]
        )
        units = CommunityUnits(community_code=C, buildings=[a_building()], resident_groups=[group])
        assert units.resident_groups[0].building_codes == (C + "0001",)
        with pytest.raises(InvalidEntityError, match="a building of the same community"):
            CommunityUnits(community_code=C, resident_groups=[group])

    def test_against_the_community(self) -> None:
        """Households in grids may reach the community's and not pass them."""
        community = Community(
            code=C, name="光明社区", kind="urban", households=500, resident_population=1500
        )
        units = CommunityUnits(
            community_code=C, grids=[a_grid(households=300), a_grid(C + "002", households=200)]
        )
        units.check_community(community)
        over = attrs.evolve(units, grids=[*units.grids, a_grid(C + "003", households=1)])
        with pytest.raises(InvalidEntityError, match="at most the community's 500 households"):
            over.check_community(community)
        with pytest.raises(InvalidEntityError, match="community_code"):
            units.check_community(attrs.evolve(community, code=OTHER))

    def test_leaders(self) -> None:
        leader = UnitLeader(id="L1", name="李娜")
        units = CommunityUnits(community_code=C, buildings=[a_building(leader=leader)])
        assert units.leaders() == (leader,)


class TestRegistrationsByBuilding:
    """§3.5: a floating resident's registration may name the building they live in."""

    def test_building_of_the_community(self) -> None:
        base = {
            "id": "r1",
            "community_code": C,
            "identity_number": "11010519491231002X",
            "name": "张三",
            "address": "光明路1号",
            "origin": "河北省",
            "arrived_on": "2024-01-01",
            "registered_on": "2024-01-02",
            "registered_by_role": "building_leader",
            "registered_by": "L1",
        }
        assert FloatingRegistration(**base, building_code=C + "0001").building_code
        with pytest.raises(InvalidEntityError, match="building_code"):
            FloatingRegistration(**base, building_code=OTHER + "0001")


class TestDocuments:
    """Round trips and JSON Schema of the new entities, checked by a schema validator."""

    @given(sqst.community_units())
    def test_round_trip(self, units: CommunityUnits) -> None:
        data = dump_document(units, converter=FULL)
        assert load_document(CommunityUnits, data, converter=FULL) == units

    @given(sqst.community_units())
    def test_documents_match_the_schema(self, units: CommunityUnits) -> None:
        validator = jsonschema.Draft202012Validator(json_schema(CommunityUnits))
        validator.validate(json.loads(dumps(units, converter=FULL)))

    def test_schema_refuses_a_bad_code(self) -> None:
        validator = jsonschema.Draft202012Validator(json_schema(Grid))
        data = dump_document(a_grid(), converter=FULL)
        validator.validate(data)
        assert not validator.is_valid({**data, "code": "15010200100"})
