"""The process APIs refuse bad input with an SqfwError that names the argument.

Each refusal is also the closest built-in (a ``ValueError`` for a wrong value, a
``LookupError`` for an unknown id), and says what was expected and what came.
"""

from __future__ import annotations

import pytest
from process_helpers import DING, JIA, two_communities, two_community_dataset

from sqfw.analysis import ProjectPipeline, pipeline_outlook
from sqfw.entities.projects import FacilityProject
from sqfw.entities.register import FloatingRegistration, ResidentialAddress
from sqfw.errors import InvalidArgumentError, InvalidEntityError, SqfwError
from sqfw.population import FloatingRegister
from sqfw.workflows.facility_project import area_after


def _project(code: str = JIA) -> FacilityProject:
    return FacilityProject(
        id="p1",
        community_code=code,
        name="综合服务设施扩建",
        provision="new_build",
        area_m2="50",
        planned_completion="2018-06-30",
    )


def test_a_project_of_another_community():
    """§2.7: 丁嘎查's project cannot be added to 甲社区; 甲's own can."""
    jia = two_communities().communities[0]
    assert area_after(jia, [_project()]).required is not None
    with pytest.raises(InvalidArgumentError, match="projects: expected projects of community") as e:
        area_after(jia, [_project(DING)])
    assert isinstance(e.value, SqfwError)
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize(
    ("years", "ok"),
    [
        ([2016, 2017], True),
        ([2016], True),
        ([2016, 2018], False),
        ([], False),
        ([2017, 2016], False),
    ],
)
def test_pipeline_years_are_consecutive(years, ok):
    """A skipped year would lose a project completing in it: refused."""
    pipeline = ProjectPipeline(projects=[_project()])
    if ok:
        assert pipeline_outlook(two_community_dataset(), pipeline, years=years).years == tuple(
            years
        )
    else:
        with pytest.raises(InvalidArgumentError, match="years: expected consecutive years"):
            pipeline_outlook(two_community_dataset(), pipeline, years=years)


def test_a_pipeline_of_other_things():
    with pytest.raises(InvalidArgumentError, match="projects: expected an iterable of Facility"):
        ProjectPipeline(projects=["p1"])  # type: ignore[list-item]


def test_a_register_of_other_things():
    with pytest.raises(InvalidArgumentError, match="registrations: expected FloatingRegistration"):
        FloatingRegister(register_id="r1", registrations=["x"])  # type: ignore[list-item]


@pytest.mark.parametrize(("length", "ok"), [(200, True), (201, False), (0, False)])
def test_a_home_address_of_1_to_200_characters(length, ok):
    """§3.5: the address is personal data; a refusal says its length, never the address."""
    text = "号" * length
    if ok:
        assert ResidentialAddress(text).reveal() == text
    else:
        with pytest.raises(InvalidEntityError, match="an address of 1–200 characters") as e:
            ResidentialAddress(text)
        assert "号号" not in str(e.value)


def test_the_address_of_a_registration_is_checked_as_a_field():
    with pytest.raises(InvalidEntityError, match="address"):
        FloatingRegistration(
            id="f1",
            community_code=JIA,
            identity_number="11010519491231002X",
            name="张三",
            address="",
            origin="河北省保定市",
            arrived_on="2019-03-01",
            registered_on="2019-03-02",
            registered_by_role="building_leader",
            registered_by="lz-1",
        )


@pytest.mark.parametrize(("code", "ok"), [(JIA, True), ("150102001000", False)])
def test_a_facility_project_serves_a_community(code, ok):
    """§2.7: a project's code is a community's; a street's code is refused (not a crash
    when its county is asked for)."""
    if ok:
        assert _project(code).county_code == "150102000000"
    else:
        with pytest.raises(
            InvalidEntityError, match="community_code: expected a community/village"
        ):
            _project(code)


@pytest.mark.parametrize(("code", "ok"), [(JIA, True), ("150102000000", False)])
def test_an_owners_committee_is_in_a_community(code, ok):
    """§1.5: an estate's committee belongs to a community, not to a county."""
    from sqfw.entities.owners import OwnersCommittee

    def committee() -> OwnersCommittee:
        return OwnersCommittee(
            id="oc1",
            estate="阳光小区",
            community_code=code,
            members=["李四"],
            term_start="2018-01-01",
        )

    if ok:
        assert committee().community_code == code
    else:
        with pytest.raises(InvalidEntityError, match="community/village-level"):
            committee()


def test_a_repeated_support_is_named_by_its_value():
    from sqfw.entities.projects import IncubationRecord

    with pytest.raises(InvalidEntityError, match="duplicate 'training'"):
        IncubationRecord(
            id="i1",
            organization_id="org-1",
            community_code=JIA,
            on="2020-01-01",
            support=["training", "training"],
            platform="孵化中心",
        )


def test_a_rule_across_fields_is_placed_at_its_field_in_a_document():
    """A filing street without its day is refused at `$.filed_on`, not at `$`."""
    import json

    from sqfw.entities.owners import OwnersCommittee
    from sqfw.errors import DocumentError
    from sqfw.serialization import loads, make_converter

    document = {
        "schema_version": 1,
        "document": "owners_committee",
        "id": "oc1",
        "estate": "阳光小区",
        "community_code": JIA,
        "members": ["李四"],
        "term_start": "2018-01-01",
        "filed_with": "150102001000",
    }
    full = make_converter(reveal_personal_data=True)
    with pytest.raises(DocumentError) as error:
        loads(OwnersCommittee, json.dumps(document), converter=full)
    assert [p.path for p in error.value.problems] == ["$.filed_on"]
    document["filed_on"] = "2018-02-01"
    assert loads(OwnersCommittee, json.dumps(document), converter=full).filed


@pytest.mark.parametrize(("level", "ok"), [("street", True), ("township", False)])
def test_a_process_indicator_is_at_a_known_level(level, ok):
    """community, street or county: a report can name the level of every one."""
    from sqfw.analysis import ProcessIndicator

    def indicator() -> ProcessIndicator:
        return ProcessIndicator(
            id="x.count",
            level=level,
            place="150102001000",
            numerator=1,
            denominator=None,
            label_zh="数",
            label_en="count",
            clauses=("§1.6",),
        )

    if ok:
        assert indicator().value == 1
    else:
        with pytest.raises(InvalidEntityError, match="level: expected one of 'community'"):
            indicator()


@pytest.mark.parametrize("by", [None, 5, "office", ("county",)])
def test_service_indicators_group_by_known_keys(by):
    from sqfw.workflows.indicators import service_indicators
    from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

    workflow = TicketWorkflow(catalogue=example_catalogue())
    assert service_indicators(workflow, [], by=("office", "month")) == []
    with pytest.raises(InvalidArgumentError, match="by: expected a sequence of the keys"):
        service_indicators(workflow, [], by=by)


def test_a_required_personal_field_refuses_none():
    """A ticket needs its applicant: None is refused, naming the field, not kept."""
    from sqfw.entities import ServiceTicket

    fields = {
        "id": "T1",
        "service_code": "a",
        "kind": "consultation",
        "community_code": JIA,
        "received_at": "2020-01-01T09:00:00+08:00",
    }
    assert ServiceTicket(**fields, applicant="张三").applicant.masked() == "张*"
    with pytest.raises(InvalidEntityError, match=r"ServiceTicket\.applicant: expected PersonName"):
        ServiceTicket(**fields, applicant=None)  # type: ignore[arg-type]


def test_a_registrations_bad_identity_number_is_named_and_masked():
    """§3.5: the message names the registration's field and never shows the number."""
    bad = "110105194912310021"  # wrong check digit
    with pytest.raises(InvalidEntityError) as error:
        FloatingRegistration(
            id="f1",
            community_code=JIA,
            identity_number=bad,
            name="张三",
            address="新华街12号",
            origin="河北省保定市",
            arrived_on="2019-03-01",
            registered_on="2019-03-02",
            registered_by_role="building_leader",
            registered_by="lz-1",
        )
    assert str(error.value).startswith("FloatingRegistration.identity_number: expected a valid")
    assert bad not in str(error.value)


def test_a_bad_field_does_not_make_its_sibling_look_wrong():
    """A latitude that is not a number is the one problem; the longitude is not refused
    for "no latitude" (the draft leaves a failed field out instead of defaulting it)."""
    import json

    from sqfw.entities import ServiceTicket
    from sqfw.errors import DocumentError
    from sqfw.serialization import loads, make_converter

    document = {
        "schema_version": 1,
        "document": "service_ticket",
        "id": "T1",
        "service_code": "a",
        "kind": "consultation",
        "community_code": JIA,
        "received_at": "2020-01-01T09:00:00+08:00",
        "applicant": "张三",
        "latitude": "x",
        "longitude": "116.4",
    }
    full = make_converter(reveal_personal_data=True)
    with pytest.raises(DocumentError) as error:
        loads(ServiceTicket, json.dumps(document), converter=full)
    assert [p.path for p in error.value.problems] == ["$.latitude"]
    document["latitude"] = "39.9"
    assert loads(ServiceTicket, json.dumps(document), converter=full).latitude is not None


@pytest.mark.parametrize(("completed", "counted"), [("2020-06-30", True), ("2020-07-01", False)])
def test_a_new_estates_facility_adds_its_area_once_completed(completed, counted):
    """§2.6: a facility built with a new estate (provision ``estate_package``) adds its
    area to its county's figure once completed — on the day counts, the day after not."""
    from sqfw.analysis import facility_project_indicators

    project = FacilityProject(
        id="estate-1",
        community_code=JIA,
        name="新建小区配套用房",
        provision="estate_package",
        area_m2="320",
        planned_completion="2020-06-30",
        actual_completion=completed,
    )
    rows = {r.id: r for r in facility_project_indicators([project], on="2020-06-30")}
    added = rows.get("facility_projects.area_added_m2")
    if counted:
        assert added is not None
        assert "§2.6" in added.clauses
        assert added.numerator == 320
    else:
        assert added is None  # nothing added yet
    on_time = rows["facility_projects.on_time_share"]
    assert (on_time.numerator, on_time.denominator) == (int(counted), 1)  # due: late if not done
