"""The process entities as documents: round trips, JSON Schema, masking, refusals by path.

Owners' committees and their joint meetings (§1.5), facility projects (§2.5–§2.7),
service projects, incubation records and community foundations (§1.7, §5.7, §5.8),
floating-population registrations (§3.5) and workers' service periods (§5.5), each drawn
by its strategy in :mod:`sqfw.testing`.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import testing as sqst
from sqfw.entities import (
    CommunityFoundation,
    DivisionLevel,
    FacilityProject,
    FloatingRegistration,
    IncubationRecord,
    IncubationSupport,
    JointMeeting,
    OwnersCommittee,
    Provision,
    ServicePeriod,
    ServiceProject,
)
from sqfw.entities.divisions import ancestor_code, code_pattern
from sqfw.errors import DocumentError
from sqfw.privacy import PersonalData
from sqfw.serialization import (
    DOCUMENT_KINDS,
    document_kind,
    dumps,
    json_schema,
    loads,
    make_converter,
)

FULL = make_converter(reveal_personal_data=True)

STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "community_foundation": sqst.community_foundations(),
    "facility_project": sqst.facility_projects(),
    "floating_registration": sqst.floating_registrations(),
    "incubation_record": sqst.incubation_records(),
    "joint_meeting": sqst.joint_meetings(),
    "owners_committee": sqst.owners_committees(),
    "service_period": sqst.service_periods(),
    "service_project": sqst.service_projects(),
}

CLASSES: dict[str, type[Any]] = {
    "community_foundation": CommunityFoundation,
    "facility_project": FacilityProject,
    "floating_registration": FloatingRegistration,
    "incubation_record": IncubationRecord,
    "joint_meeting": JointMeeting,
    "owners_committee": OwnersCommittee,
    "service_period": ServicePeriod,
    "service_project": ServiceProject,
}


def document(entity: object) -> dict[str, Any]:
    """The entity's document in full (personal data revealed), as parsed JSON."""
    data: dict[str, Any] = json.loads(dumps(entity, converter=FULL))
    return data


def refusal(cls: type[Any], data: dict[str, Any]) -> DocumentError:
    """The error ``loads`` raises for ``data`` (which must be refused)."""
    with pytest.raises(DocumentError) as caught:
        loads(cls, json.dumps(data, ensure_ascii=False), converter=FULL)
    return caught.value


def personal_values(entity: object) -> list[PersonalData]:
    """Every piece of personal data the entity holds, in fields and in tuples."""
    found: list[PersonalData] = []
    for field in attrs.fields(type(entity)):
        value = getattr(entity, field.name)
        items = value if isinstance(value, tuple) else (value,)
        found.extend(item for item in items if isinstance(item, PersonalData))
    return found


def test_every_process_kind_is_registered() -> None:
    for kind, cls in CLASSES.items():
        assert DOCUMENT_KINDS[kind] is cls
        assert document_kind(cls) == kind
    assert set(STRATEGIES) == set(CLASSES)


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_round_trip_through_json_text(kind: str) -> None:
    """loads(dumps(x)) == x with the revealing converter, and writes back the same text."""

    @given(STRATEGIES[kind])
    def check(entity: Any) -> None:
        assert type(entity) is CLASSES[kind]
        text = dumps(entity, converter=FULL)
        assert json.loads(text)["document"] == kind
        back = loads(CLASSES[kind], text, converter=FULL)
        assert back == entity
        assert dumps(back, converter=FULL) == text

    check()


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_documents_validate_against_the_schema(kind: str) -> None:
    """Full and masked documents both satisfy the kind's JSON Schema."""
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    @given(STRATEGIES[kind])
    def check(entity: Any) -> None:
        validator.validate(document(entity))
        validator.validate(json.loads(dumps(entity)))

    check()


def test_schema_keeps_the_code_levels() -> None:
    """A street, a community and each code served get their patterns in the schema."""
    owners = json_schema("owners_committee")["properties"]
    assert {"type": "string", "pattern": code_pattern(DivisionLevel.TOWNSHIP)} in owners[
        "filed_with"
    ]["anyOf"]
    registration = json_schema("floating_registration")["properties"]
    assert registration["community_code"]["pattern"] == code_pattern(DivisionLevel.VILLAGE)
    serves = json_schema("community_foundation")["properties"]["serves"]
    assert serves["items"]["pattern"] == code_pattern()


@pytest.mark.parametrize("kind", ["floating_registration", "owners_committee"])
def test_default_dump_never_shows_personal_data(kind: str) -> None:
    """The masking export holds no full identity number, name, address or phone."""

    @given(STRATEGIES[kind])
    def check(entity: Any) -> None:
        text = dumps(entity)
        personal = personal_values(entity)
        assert personal
        for value in personal:
            assert value.reveal() not in text
            assert json.dumps(value.masked(), ensure_ascii=False) in text
        # and a masked document does not load back as data
        with pytest.raises(DocumentError, match="masked"):
            loads(CLASSES[kind], text, converter=FULL)

    check()


def _path(error: DocumentError) -> list[str]:
    return [problem.path for problem in error.problems]


@given(sqst.owners_committees())
def test_owners_committee_filed_with_a_village_refused(committee: OwnersCommittee) -> None:
    data = document(committee)
    data["filed_with"] = committee.community_code  # a community, not a street
    error = refusal(OwnersCommittee, data)
    assert "$.filed_with" in _path(error)
    assert "street/township" in str(error)


@given(sqst.owners_committees().filter(lambda c: c.filed))
def test_owners_committee_filing_street_and_date_together(committee: OwnersCommittee) -> None:
    data = document(committee)
    data["filed_on"] = None
    error = refusal(OwnersCommittee, data)
    assert "filed_with and filed_on given together" in str(error)


@given(sqst.joint_meetings())
def test_joint_meeting_bad_community_code_refused(meeting: JointMeeting) -> None:
    data = document(meeting)
    data["community_code"] = data["community_code"][:-1]  # 11 digits
    assert _path(refusal(JointMeeting, data)) == ["$.community_code"]


@given(sqst.facility_projects())
def test_facility_project_swap_source_only_for_swaps(project: FacilityProject) -> None:
    data = document(project)
    data["swapped_from"] = None if project.provision is Provision.SWAP else "elsewhere"
    error = refusal(FacilityProject, data)
    assert _path(error) == ["$.swapped_from"]
    assert "swap" in str(error)


@given(sqst.service_projects())
def test_service_project_end_before_start_refused(project: ServiceProject) -> None:
    data = document(project)
    data["end"] = project.start.subtract(days=1).isoformat()
    assert _path(refusal(ServiceProject, data)) == ["$.end"]


@given(sqst.incubation_records())
def test_incubation_record_bad_community_code_refused(record: IncubationRecord) -> None:
    data = document(record)
    data["community_code"] = "150100000001"  # a village under no county or township
    assert _path(refusal(IncubationRecord, data)) == ["$.community_code"]


@given(sqst.incubation_records())
def test_incubation_record_match_needs_project_matching(record: IncubationRecord) -> None:
    data = document(record)
    others = [s.value for s in record.support if s is not IncubationSupport.PROJECT_MATCHING]
    data["support"] = others or ["training"]
    data["matched_project_id"] = "p1"
    assert "unless the support includes 'project_matching'" in str(refusal(IncubationRecord, data))


@given(sqst.community_foundations())
def test_community_foundation_bad_code_served_refused(foundation: CommunityFoundation) -> None:
    data = document(foundation)
    data["serves"] = [*data["serves"], "1501"]
    assert _path(refusal(CommunityFoundation, data)) == ["$.serves"]


@given(sqst.floating_registrations())
def test_floating_registration_street_code_refused(registration: FloatingRegistration) -> None:
    data = document(registration)
    data["community_code"] = ancestor_code(registration.community_code, DivisionLevel.TOWNSHIP)
    error = refusal(FloatingRegistration, data)
    assert _path(error) == ["$.community_code"]
    assert "community/village-level" in str(error)


@given(sqst.floating_registrations())
def test_floating_registration_bad_identity_number_not_echoed(
    registration: FloatingRegistration,
) -> None:
    data = document(registration)
    number = registration.identity_number.reveal()
    wrong = "0" if number[-1] != "0" else "1"
    data["identity_number"] = number[:-1] + wrong  # a wrong check digit
    error = refusal(FloatingRegistration, data)
    assert _path(error) == ["$.identity_number"]
    assert data["identity_number"] not in str(error)


@given(sqst.service_periods())
def test_service_period_end_before_start_refused(period: ServicePeriod) -> None:
    data = document(period)
    data["end"] = period.start.subtract(days=1).isoformat()
    assert _path(refusal(ServicePeriod, data)) == ["$.end"]
