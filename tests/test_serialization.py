"""Documents: round trips, masking, strict reading, every problem with its path, JSON Schema."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import (
    Committee,
    CommitteeMember,
    Community,
    Division,
    DocumentError,
    Facility,
    FacilityKind,
    Problem,
    Region,
    ServiceRecord,
    Volunteer,
)
from sqfw import testing as sqst
from sqfw.entities.divisions import DivisionLevel, code_pattern
from sqfw.serialization import (
    DOCUMENT_KINDS,
    SCHEMA_VERSION,
    document_kind,
    dump_document,
    dumps,
    json_schema,
    load_document,
    loads,
    make_converter,
)

FULL = make_converter(reveal_personal_data=True)


@st.composite
def workflow_records(draw: st.DrawFn) -> Any:
    """Filing records with a few sealed entries (free text in actors, reasons and data)."""
    from sqfw.workflows.filing import OrgFilingWorkflow

    wf = OrgFilingWorkflow()
    words = sqst.texts(max_size=12)
    at = draw(sqst.datetimes())
    org = {"id": "o1", "name": draw(words), "kind": "mutual_aid", "community_code": "150102001001"}
    record = wf.apply(
        wf.new(draw(sqst.identifiers())), "submit", actor=draw(words), at=at, data=org
    )
    for step, event in enumerate(["start_review", "accept"][: draw(st.integers(0, 2))]):
        when = at.add(days=step + 1)
        record = wf.apply(record, event, actor=draw(words), at=when, reason=draw(words))
    return record


STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "building": sqst.buildings(),
    "candidate": sqst.candidates(),
    "committee": sqst.committees(),
    "committee_member": sqst.committee_members(),
    "community": sqst.communities(),
    "community_foundation": sqst.community_foundations(),
    "community_units": sqst.community_units(),
    "community_worker": sqst.workers(),
    "division": sqst.divisions(),
    "election": sqst.elections(),
    "facility": sqst.facilities(),
    "facility_project": sqst.facility_projects(),
    "floating_registration": sqst.floating_registrations(),
    "grid": sqst.grids(),
    "incubation_record": sqst.incubation_records(),
    "joint_meeting": sqst.joint_meetings(),
    "owners_committee": sqst.owners_committees(),
    "region": sqst.regions(max_items=2),
    "resident_group": sqst.resident_groups(),
    "service_period": sqst.service_periods(),
    "service_project": sqst.service_projects(),
    "service_record": sqst.service_records(),
    "service_ticket": sqst.service_tickets(),
    "smart_community": sqst.smart_communities(),
    "social_organization": sqst.organizations(),
    "training_record": sqst.training_records(),
    "volunteer": sqst.volunteers(),
    "volunteer_certificate": sqst.service_certificates(),
    "workflow_record": workflow_records(),
}


def a_community() -> Community:
    return Community(
        code="150102001001",
        name="光明社区",
        kind="urban",
        households=1200,
        resident_population=3500,
        facilities=[
            Facility(id="f1", kind="comprehensive", total_area_m2="360.5", office_area_m2=90)
        ],
        committee=Committee(
            term=10,
            kind="residents",
            method="direct",
            members=[
                CommitteeMember(
                    id="m1",
                    name="张丽",
                    gender="female",
                    role="chair",
                    identity_number="11010519491231002X",
                    phone="13800138000",
                )
            ],
        ),
    )


def a_region_document(communities: int = 5) -> dict[str, Any]:
    root = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
    codes = [f"150102001{i + 1:03d}" for i in range(communities)]
    region = Region(
        root=root,
        communities=[attrs.evolve(a_community(), code=code) for code in codes],
    )
    return dump_document(region, converter=FULL)


HEADER = ("schema_version", "document")


class TestDocumentKinds:
    """Every entity has a document kind, and every kind has a strategy in these tests."""

    def test_every_kind_is_tested(self) -> None:
        assert set(STRATEGIES) == set(DOCUMENT_KINDS)

    def test_kind_of_class(self) -> None:
        assert document_kind(Community) == "community"
        assert document_kind(Region) == "region"

    def test_non_entity_has_no_kind(self) -> None:
        with pytest.raises(TypeError, match="an entity class with a document kind"):
            document_kind(dict)


class TestRoundTrip:
    """structure(unstructure(x)) == x for every entity, with the opt-in converter."""

    @pytest.mark.parametrize("kind", sorted(STRATEGIES))
    def test_round_trip_every_entity(self, kind: str) -> None:
        @given(STRATEGIES[kind])
        def check(entity: Any) -> None:
            data = dump_document(entity, converter=FULL)
            assert data["document"] == kind
            assert data["schema_version"] == SCHEMA_VERSION
            back = load_document(type(entity), data, converter=FULL)
            assert back == entity
            # equal documents also mean equal zones, not only equal instants
            assert dump_document(back, converter=FULL) == data

        check()

    @pytest.mark.parametrize("kind", sorted(STRATEGIES))
    def test_the_streamed_text_is_the_documents_json(self, kind: str) -> None:
        """dumps writes field by field (lists item by item): the text json.dumps would."""

        @given(STRATEGIES[kind], st.sampled_from([2, None, 4]))
        def check(entity: Any, indent: int | None) -> None:
            for conv in (FULL, make_converter()):
                data = dump_document(entity, converter=conv)
                # the fields' data is what cattrs makes of the whole entity
                assert {k: v for k, v in data.items() if k not in HEADER} == conv.unstructure(
                    entity
                )
                expected = json.dumps(data, ensure_ascii=False, indent=indent)
                assert dumps(entity, converter=conv, indent=indent) == expected

        check()

    def test_a_region_written_from_its_dataset_is_the_regions_document(self, tmp_path) -> None:
        """save_table(..., "x.json") streams the communities of the dataset: same text."""
        from sqfw.analysis import sample_region, save_table

        data = sample_region(seed=7)
        path = save_table(data, tmp_path / "r.json")
        assert path.read_text(encoding="utf-8") == dumps(data.to_region())

    @given(sqst.regions(max_items=2))
    def test_round_trip_through_json_text(self, region: Region) -> None:
        text = dumps(region, converter=FULL)
        assert loads(Region, text, converter=FULL) == region

    @given(sqst.communities())
    def test_dump_is_json_ready(self, community: Community) -> None:
        data = dump_document(community, converter=FULL)
        assert json.loads(json.dumps(data)) == data

    def test_dates_and_zones_are_iso_text(self) -> None:
        record = ServiceRecord(
            id="r1",
            start=pendulum.datetime(2020, 6, 1, 21, tz="Asia/Shanghai"),
            end=pendulum.datetime(2020, 6, 2, 1, tz="Asia/Shanghai"),
        )
        data = dump_document(record)
        assert data["start"] == "2020-06-01T21:00:00+08:00[Asia/Shanghai]"
        back = load_document(ServiceRecord, data)
        assert back.start.timezone_name == "Asia/Shanghai"
        assert back.hours == 4

    def test_amounts_are_json_numbers_when_exact(self) -> None:
        facility = Facility(
            id="f", kind="comprehensive", total_area_m2="300", office_area_m2="89.9"
        )
        data = dump_document(facility)
        assert data["total_area_m2"] == 300
        assert isinstance(data["total_area_m2"], int)
        assert data["office_area_m2"] == 89.9

    def test_amounts_beyond_float_precision_are_strings(self) -> None:
        facility = Facility(id="f", kind="comprehensive", total_area_m2="1234567.123456789012")
        data = dump_document(facility)
        assert data["total_area_m2"] == "1234567.123456789012"
        assert load_document(Facility, data).total_area_m2 == Decimal("1234567.123456789012")

    def test_loads_reads_fractions_exactly(self) -> None:
        text = json.dumps(dump_document(Facility(id="f", kind="specialised", total_area_m2=1)))
        text = text.replace('"total_area_m2": 1', '"total_area_m2": 0.1000000000000000055511')
        assert loads(Facility, text).total_area_m2 == Decimal("0.1000000000000000055511")

    def test_enums_by_value_and_tuples_as_lists(self) -> None:
        data = dump_document(a_community())
        assert data["kind"] == "urban"
        assert type(data["kind"]) is str
        assert isinstance(data["facilities"], list)
        assert data["committee"]["members"][0]["role"] == "chair"


class TestMasking:
    """§3.10: the default export masks personal data; revealing needs an explicit opt-in."""

    def test_default_export_masks(self) -> None:
        member = dump_document(a_community())["committee"]["members"][0]
        assert member["name"] == "张*"
        assert member["identity_number"] == "1101**********002X"
        assert member["phone"] == "138****8000"

    def test_opt_in_export_reveals(self) -> None:
        member = dump_document(a_community(), converter=FULL)["committee"]["members"][0]
        assert member["identity_number"] == "11010519491231002X"
        assert member["phone"] == "13800138000"

    def test_masked_document_does_not_load(self) -> None:
        with pytest.raises(DocumentError) as caught:
            load_document(Community, dump_document(a_community()))
        paths = [p.path for p in caught.value.problems]
        assert paths == [
            "$.committee.members[0].name",
            "$.committee.members[0].identity_number",
            "$.committee.members[0].phone",
        ]
        assert "reveal_personal_data=True" in caught.value.problems[0].message

    def test_bad_identity_number_is_not_echoed(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        data["committee"]["members"][0]["identity_number"] = "110105194912310021"
        with pytest.raises(DocumentError) as caught:
            load_document(Community, data, converter=FULL)
        assert "110105194912310021" not in str(caught.value)
        assert caught.value.problems[0].path == "$.committee.members[0].identity_number"


class TestStrictReading:
    """Unknown keys, wrong types and wrong headers are refused, each with its path."""

    def load_problems(self, data: dict[str, Any], cls: type[Any] = Community) -> list[str]:
        with pytest.raises(DocumentError) as caught:
            load_document(cls, data, converter=FULL)
        return [str(p) for p in caught.value.problems]

    def test_unknown_key_refused(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        data["facilities"][0]["colour"] = "red"
        (problem,) = self.load_problems(data)
        assert problem.startswith("$.facilities[0].colour: unknown key")

    def test_missing_key_refused(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        del data["name"]
        assert self.load_problems(data) == ["$.name: required key is missing"]

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("households", "1200", "expected an integer, got '1200'"),
            ("households", 12.0, "expected an integer, got 12.0"),
            ("households", True, "expected an integer, got true"),
            ("name", 5, "expected a string, got 5"),
            ("new_or_renovated", 1, "expected true or false, got 1"),
            ("kind", "village", "expected one of 'urban' (城镇社区), "),
            ("facilities", "f1", "expected an array, got 'f1'"),
            ("smart", [], "expected an object, got an array"),
        ],
    )
    def test_wrong_types_refused(self, key: str, value: object, message: str) -> None:
        data = dump_document(a_community(), converter=FULL)
        data[key] = value
        (problem,) = self.load_problems(data)
        assert problem.startswith(f"$.{key}: {message}")

    def test_naive_datetime_refused(self) -> None:
        data = {
            "schema_version": 1,
            "document": "service_record",
            "id": "r1",
            "start": "2020-06-01T21:00:00",
            "end": "2020-06-01T22:00:00+08:00",
        }
        (problem,) = self.load_problems(data, ServiceRecord)
        assert problem.startswith("$.start: expected an ISO date-time with offset")

    def test_non_finite_amount_refused(self) -> None:
        data = dump_document(Facility(id="f", kind="comprehensive", total_area_m2=1))
        data["total_area_m2"] = "NaN"
        (problem,) = self.load_problems(data, Facility)
        assert problem == "$.total_area_m2: expected a number, got 'NaN'"

    def test_header_checked(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        data["document"] = "region"
        del data["schema_version"]
        assert self.load_problems(data) == [
            "$.schema_version: required key is missing; expected 1",
            "$.document: expected 'community', got 'region'",
        ]

    def test_newer_schema_version_refused_alone(self) -> None:
        data = {"schema_version": 2, "document": "community", "anything": "else"}
        assert self.load_problems(data) == [
            "$.schema_version: expected the integer 1, got 2; this sqfw reads schema version 1"
        ]

    def test_not_an_object(self) -> None:
        with pytest.raises(DocumentError, match=r"\$: expected an object, got an array"):
            load_document(Community, [])

    def test_not_json(self) -> None:
        with pytest.raises(DocumentError, match="not valid JSON") as caught:
            loads(Community, "{", source="c.json")
        assert caught.value.source == "c.json"
        assert "in c.json" in str(caught.value)


class TestEveryProblem:
    """A malformed document raises ONE DocumentError listing every problem with its path."""

    def test_the_issue_example_path(self) -> None:
        data = a_region_document()
        data["communities"][3]["facilities"][0]["total_area_m2"] = -5
        with pytest.raises(DocumentError) as caught:
            load_document(Region, data, converter=FULL)
        assert caught.value.problems[0] == Problem(
            "$.communities[3].facilities[0].total_area_m2",
            "expected an area in m² from 0 to 10,000,000, got -5",
        )
        assert (
            "$.communities[3].facilities[0].total_area_m2: "
            "expected an area in m² from 0 to 10,000,000, got -5" in str(caught.value)
        )

    def test_every_problem_listed_once(self) -> None:
        data = a_region_document()
        community = data["communities"][1]
        community["facilities"][0]["total_area_m2"] = -5  # validator
        community["facilities"][0]["office_area_m2"] = -1  # validator, same object
        community["households"] = 0  # cross-field validator, next to type errors
        community["name"] = 7  # type
        community["committee"]["members"].append(
            dict(community["committee"]["members"][0])
        )  # duplicate id
        data["communities"][4]["code"] = "15010200100"  # malformed code
        data["communities"][2]["facilities"].append({"id": "f9", "kind": "nope"})
        data["colour"] = "red"
        with pytest.raises(DocumentError) as caught:
            load_document(Region, data, converter=FULL)
        assert [str(p) for p in caught.value.problems] == [
            "$.communities[1].name: expected a string, got 7",
            "$.communities[1].households: expected households > 0 for 3500 residents, got 0",
            "$.communities[1].facilities[0].total_area_m2: "
            "expected an area in m² from 0 to 10,000,000, got -5",
            "$.communities[1].facilities[0].office_area_m2: "
            "expected an area in m² from 0 to 10,000,000, got -1",
            "$.communities[1].committee.members: expected unique member ids "
            "(duplicate 'm1'), got 'm1'",
            f"$.communities[2].facilities[1].kind: expected {FacilityKind.allowed()}, got 'nope'",
            "$.communities[2].facilities[1].total_area_m2: required key is missing",
            "$.communities[4].code: expected a 12-digit division code of a community or "
            "village, got '150****0100'",
            "$.colour: unknown key; expected one of: root, divisions, communities, workers, "
            "organizations, volunteers",
        ]
        assert str(caught.value).startswith("9 problems:")

    def test_region_validators_reported(self) -> None:
        data = a_region_document(2)
        data["communities"][1]["code"] = "150102001001"
        with pytest.raises(DocumentError) as caught:
            load_document(Region, data, converter=FULL)
        assert [str(p) for p in caught.value.problems] == [
            "$.communities: expected unique community codes (duplicate '150102001001'), "
            "got '150102001001'"
        ]

    def test_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="problem"):
            load_document(Community, {"schema_version": 1, "document": "community"})


class TestJsonSchema:
    """The JSON Schema of each document kind accepts our documents and rejects bad ones."""

    @pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
    def test_schema_is_valid_draft_2020_12(self, kind: str) -> None:
        jsonschema.Draft202012Validator.check_schema(json_schema(kind))

    @pytest.mark.parametrize(
        "kind", ["community", "region", "volunteer", "service_ticket", "workflow_record"]
    )
    def test_dumped_documents_validate(self, kind: str) -> None:
        validator = jsonschema.Draft202012Validator(json_schema(kind))

        @given(STRATEGIES[kind])
        def check(entity: Any) -> None:
            validator.validate(dump_document(entity, converter=FULL))
            validator.validate(dump_document(entity))

        check()

    @pytest.mark.parametrize(
        ("change", "where"),
        [
            (lambda d: d.update(colour="red"), "colour"),
            (lambda d: d.pop("code"), "code"),
            (lambda d: d.update(kind="village"), "village"),
            (lambda d: d.update(code="15010200100"), "15010200100"),
            (lambda d: d.update(households=-1), "-1"),
            (lambda d: d["facilities"][0].update(total_area_m2=-5), "-5"),
            (lambda d: d.update(schema_version=2), "schema_version"),
            (lambda d: d["committee"]["members"][0].update(role="boss"), "boss"),
        ],
    )
    def test_bad_documents_rejected(self, change: Any, where: str) -> None:
        data = dump_document(a_community(), converter=FULL)
        bad = copy.deepcopy(data)
        change(bad)
        validator = jsonschema.Draft202012Validator(json_schema("community"))
        validator.validate(data)
        errors = list(validator.iter_errors(bad))
        assert errors
        assert any(where in e.message or where in e.json_path for e in errors)

    def test_required_and_closed(self) -> None:
        schema = json_schema("community")
        assert schema["additionalProperties"] is False
        assert schema["required"] == ["schema_version", "document", "code", "name", "kind"]
        facility = schema["$defs"]["Facility"]
        assert facility["required"] == ["id", "kind", "total_area_m2"]
        assert facility["additionalProperties"] is False
        assert "12-digit" in schema["properties"]["code"]["description"]
        assert "§2.14" in facility["properties"]["office_area_m2"]["description"]

    def test_validators_become_constraints(self) -> None:
        schema = json_schema("region")
        community = schema["$defs"]["Community"]["properties"]
        assert community["code"]["pattern"] == code_pattern(DivisionLevel.VILLAGE)
        assert schema["$defs"]["Division"]["properties"]["code"]["pattern"] == code_pattern()
        assert community["households"]["anyOf"][0] == {
            "type": "integer",
            "minimum": 0,
            "maximum": 100_000_000,
        }
        area = schema["$defs"]["Facility"]["properties"]["total_area_m2"]
        # an area not recorded is null; a recorded one a number or text within the bounds
        branches = [leaf for branch in area["anyOf"] for leaf in branch.get("anyOf", [branch])]
        assert {"type": "number", "minimum": 0, "maximum": 10_000_000} in branches
        assert {"type": "null"} in branches

    def test_enums_listed(self) -> None:
        kind = json_schema("community")["properties"]["kind"]
        assert kind["enum"][0] == "urban"
        assert "牧区" in kind["description"]

    def test_unknown_kind(self) -> None:
        expected = r"kind: expected a document kind \(building, candidate, "
        with pytest.raises(LookupError, match=expected):
            json_schema("town")


class TestConverterFactory:
    """make_converter() builds independent converters; none needs configuring."""

    def test_new_converter_each_call(self) -> None:
        assert make_converter() is not make_converter()

    def test_reveal_is_per_converter(self) -> None:
        volunteer = Volunteer(
            id="v1",
            name="王芳",
            community_code="150102001001",
            registered_on="2019-03-05",
            phone="13912345678",
        )
        assert dump_document(volunteer)["phone"] == "139****5678"
        assert dump_document(volunteer, converter=FULL)["phone"] == "13912345678"
        assert dump_document(volunteer)["phone"] == "139****5678"


def _one_problem(text: str | bytes, cls: type = Region) -> str:
    with pytest.raises(DocumentError) as caught:
        loads(cls, text)
    (problem,) = caught.value.problems
    return str(problem)


class TestBoundedDocuments:
    """What JSON allows but a document may not hold is one problem with its place."""

    def test_deep_nesting(self) -> None:
        assert _one_problem("[" * 100_000) == "$: nesting of at most 64 arrays and objects"

    def test_nesting_on_both_sides_of_the_limit(self) -> None:
        from sqfw._json import limit_problems, parse_json
        from sqfw.limits import MAX_DEPTH

        assert limit_problems(parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == []
        deeper = parse_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
        assert [p.message for p in limit_problems(deeper)] == [
            f"nesting of at most {MAX_DEPTH} arrays and objects"
        ]

    def test_long_numbers(self) -> None:
        assert _one_problem("1" * 5000) == "$: expected a number of at most 40 digits, got 5,000"
        assert "5,001" in _one_problem('{"schema_version": 1, "x": 0.' + "1" * 5000 + "}")

    def test_numbers_on_both_sides_of_the_digit_limit(self) -> None:
        from sqfw._json import limit_problems, parse_json

        assert limit_problems(parse_json("1" * 40)) == []
        assert limit_problems(parse_json("1" * 41))

    def test_invalid_utf8_names_the_byte_offset(self) -> None:
        assert _one_problem(b'{"name": "\xff"}').startswith(
            "$: not UTF-8 text: byte offset 10 (FF 22 7D…)"
        )

    @pytest.mark.parametrize("text", ['{"name": "\\ud800"}', '{"name": "\ud800"}'])
    def test_lone_surrogates(self, text: str) -> None:
        assert _one_problem(text).startswith("$.name: text without lone surrogates, got U+D800")

    def test_lone_surrogate_bytes(self) -> None:
        assert "not UTF-8 text: byte offset 10 (ED A0 80" in _one_problem(
            b'{"name": "\xed\xa0\x80"}'
        )

    def test_duplicate_keys(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        text = json.dumps(data)[:-1] + ', "name": "another"}'
        assert _one_problem(text, Community) == "$: duplicate key 'name'"

    @pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
    def test_non_json_numbers(self, word: str) -> None:
        assert _one_problem('{"x": ' + word + "}") == (
            f"$.x: expected a JSON number, got {word} (not part of JSON)"
        )

    @pytest.mark.parametrize("version", ["1.0", "true", '"1"'])
    def test_schema_version_must_be_the_integer(self, version: str) -> None:
        data = dump_document(a_community(), converter=FULL)
        text = json.dumps(data).replace('"schema_version": 1', f'"schema_version": {version}')
        with pytest.raises(DocumentError) as caught:
            loads(Community, text, converter=FULL)
        assert str(caught.value.problems[0]).startswith("$.schema_version: expected the integer 1")

    def test_huge_schema_version(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        data["schema_version"] = 10**5000
        with pytest.raises(DocumentError, match="about 5,001 digits"):
            load_document(Community, data, converter=FULL)

    @pytest.mark.parametrize(
        ("area", "refused"), [("1e400", True), ("1e9999999", True), ("10000000", False)]
    )
    def test_areas_beyond_the_limit(self, area: str, refused: bool) -> None:
        data = dump_document(a_community(), converter=FULL)
        text = json.dumps(data)
        text = text.replace('"total_area_m2": 360.5', f'"total_area_m2": {area}', 1)
        text = text.replace('"office_area_m2": 90', '"office_area_m2": 0', 1)
        if refused:
            with pytest.raises(DocumentError, match=r"facilities\[0\]\.total_area_m2"):
                loads(Community, text, converter=FULL)
        else:
            loaded = loads(Community, text, converter=FULL)
            assert loads(Community, dumps(loaded, converter=FULL), converter=FULL) == loaded

    def test_a_long_string_is_cut_in_the_message(self) -> None:
        data = dump_document(a_community(), converter=FULL)
        data["name"] = "名" * 2500
        with pytest.raises(DocumentError) as caught:
            load_document(Community, data, converter=FULL)
        assert "(2,500 characters)" in str(caught.value)
        assert len(str(caught.value)) < 400

    def test_strings_on_both_sides_of_the_length_limit(self) -> None:
        from sqfw._json import limit_problems
        from sqfw.limits import MAX_STRING_CHARS

        assert limit_problems(["x" * MAX_STRING_CHARS]) == []
        assert limit_problems(["x" * (MAX_STRING_CHARS + 1)])

    def test_no_shared_mutable_converter(self) -> None:
        """One caller's hook cannot change everyone's documents."""
        import sqfw
        import sqfw.serialization as serialization

        assert not hasattr(serialization, "converter")
        assert not hasattr(sqfw, "converter")
        assert make_converter() is not make_converter()
