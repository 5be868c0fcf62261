"""The workflow API a host's UI is built on: declared event data and ``allowed_events``.

Every event declares the keys its data may hold; a key it does not declare is refused
with the allowed names. ``allowed_events`` lists every event out of the record's state
with its data keys, whether it needs a reason, and, when it is refused whatever the data,
the reasons ``apply`` gives. Arguments an attacker (or a typo) sends are refused with an
sqfw error.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given
from workflow_helpers import T0 as T_ELECTION
from workflow_helpers import election_at_counting, village_rules

from sqfw import testing as sqst
from sqfw.entities import Committee, FacilityProject, ServiceTicket, SocialOrganization
from sqfw.errors import TransitionRefused, WorkflowError
from sqfw.workflows import DataKey, EventOption, Workflow, WorkflowInputError, WorkflowRecord, key
from sqfw.workflows.consultation import ConsultationWorkflow
from sqfw.workflows.election import ElectionWindow, ElectionWorkflow
from sqfw.workflows.facility_project import FacilityProjectWorkflow, project_data
from sqfw.workflows.filing import FilingMachine, OrgFilingWorkflow, filing_data
from sqfw.workflows.grid_event import GridEventWorkflow
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue, ticket_data

T0 = pendulum.datetime(2019, 9, 20, 9, tz="Asia/Shanghai")
WINDOW = ElectionWindow(term=10, opens="2017-03-01", closes="2017-08-31")
ORG = {"id": "o1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}
WORKFLOWS: list[type[Workflow[Any]]] = [
    ConsultationWorkflow,
    ElectionWorkflow,
    FacilityProjectWorkflow,
    GridEventWorkflow,
    OrgFilingWorkflow,
    TicketWorkflow,
]


def names(keys: tuple[DataKey, ...] | None) -> set[str]:
    assert keys is not None
    return {k.name for k in keys}


class TestDeclaredData:
    """Each event's data keys are declared; anything else is refused, naming them."""

    @pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
    def test_every_event_declared(self, workflow: type[Workflow[Any]]) -> None:
        assert workflow.event_data is not None
        assert set(workflow.event_data) == {e.value for e in workflow.events}
        for event in workflow.event_data:
            keys = workflow.data_keys(event)
            assert keys is not None
            # required keys first, so a form shows them first
            assert [k.required for k in keys] == sorted((k.required for k in keys), reverse=True)
            assert all(k.label_en and not k.label_zh.isascii() for k in keys)

    @given(ticket=sqst.service_tickets())
    def test_ticket_data_is_declared(self, ticket: ServiceTicket) -> None:
        assert set(ticket_data(ticket)) <= names(TicketWorkflow.data_keys("receive"))

    @given(organization=sqst.organizations())
    def test_filing_data_is_declared(self, organization: SocialOrganization) -> None:
        assert set(filing_data(organization)) <= names(OrgFilingWorkflow.data_keys("submit"))

    @given(project=sqst.facility_projects())
    def test_project_data_is_declared(self, project: FacilityProject) -> None:
        declared = names(FacilityProjectWorkflow.data_keys("approve"))
        assert set(project_data(project)) <= declared

    @given(committee=sqst.committees())
    def test_committee_data_is_declared(self, committee: Committee) -> None:
        declared = names(ElectionWorkflow.data_keys("hand_over"))
        assert set(ElectionWorkflow.committee_data(committee)) <= declared

    def test_unknown_key_refused_with_the_allowed_names(self) -> None:
        wf = TicketWorkflow(catalogue=example_catalogue())
        record = wf.new("T1")
        good = {"service_code": "general.consultation", "kind": "consultation", "channel": "phone"}
        assert wf.check(record, "receive", actor="w", at=T0, data=good) == ()
        typo = {**good, "servise_code": "x"}
        with pytest.raises(TransitionRefused) as refused:
            wf.apply(record, "receive", actor="w", at=T0, data=typo)
        assert refused.value.reasons == (
            "“receive”的数据中有未声明的键：'servise_code'（可用：service_code, kind, channel, "
            "community_code, departments, grid_event） / data of 'receive': unknown keys "
            "'servise_code'; allowed: service_code, kind, channel, community_code, departments, "
            "grid_event",
        )

    def test_an_event_without_data_takes_none(self) -> None:
        wf = OrgFilingWorkflow()
        record = wf.apply(wf.new("o1"), "submit", actor="c", at=T0, data=ORG)
        reasons = wf.check(record, "start_review", actor="c", at=T0, data={"note": "x"})
        assert reasons == (
            "“start_review”的数据中有未声明的键：'note'（可用：-） / data of 'start_review': "
            "unknown keys 'note'; allowed: -",
        )
        assert wf.check(record, "start_review", actor="c", at=T0, data={}) == ()

    def test_an_unknown_key_is_not_echoed_whole(self) -> None:
        wf = OrgFilingWorkflow()
        long_key = "k" * 500 + "13800138000"
        (only,) = wf.check(wf.new("o1"), "submit", actor="c", at=T0, data={**ORG, long_key: 1})
        assert len(only) < 400
        assert "13800138000" not in only

    def test_declarations_must_cover_every_event(self) -> None:
        with pytest.raises(TypeError, match=r"missing \['accept'"):

            class Partial(OrgFilingWorkflow):
                machine = FilingMachine
                event_data = {
                    e: k for e, k in (OrgFilingWorkflow.event_data or {}).items() if e != "accept"
                }

    def test_declarations_name_each_key_once(self) -> None:
        twice = (key("year", "integer", "年", "year"), key("year", "integer", "年", "year"))
        with pytest.raises(TypeError, match="distinct DataKeys"):

            class Twice(OrgFilingWorkflow):
                machine = FilingMachine
                event_data = {**(OrgFilingWorkflow.event_data or {}), "start_annual_review": twice}


def under_review(wf: OrgFilingWorkflow, kind: str) -> WorkflowRecord:
    record = wf.apply(wf.new("o1"), "submit", actor="c", at=T0, data={**ORG, "kind": kind})
    return wf.apply(record, "start_review", actor="c", at=T0.add(hours=1))


class TestAllowedEvents:
    """Every event out of the state, allowed or refused with the reasons apply gives."""

    def test_a_new_ticket(self) -> None:
        wf = TicketWorkflow(catalogue=example_catalogue())
        options = wf.allowed_events(wf.new("T1"), actor="window", at=T0)
        assert [(o.event, o.allowed, o.needs_reason) for o in options] == [
            ("receive", True, False),
            ("decline", True, True),
        ]
        receive = options[0]
        assert receive.required_data == ("service_code", "kind", "channel")
        assert (receive.label_zh, receive.label_en) == (
            wf.event_label("receive", "zh"),
            wf.event_label("receive", "en"),
        )

    def test_refused_by_the_record_whatever_the_data(self) -> None:
        """A culture-and-sports organisation is not filed (§5.6): accept is refused now,
        with the reason apply gives; refuse (with a reason) is allowed."""
        wf = OrgFilingWorkflow()
        record = under_review(wf, "culture_sport")
        options = {o.event: o for o in wf.allowed_events(record, actor="c", at=T0.add(hours=2))}
        accept = options["accept"]
        assert not accept.allowed
        with pytest.raises(TransitionRefused) as refused:
            wf.apply(record, "accept", actor="c", at=T0.add(hours=2))
        assert accept.reasons == refused.value.reasons
        assert "§5.6" in accept.reasons[0]
        assert options["refuse"].allowed
        assert options["refuse"].needs_reason

    def test_the_other_side_of_that_boundary(self) -> None:
        wf = OrgFilingWorkflow()
        record = under_review(wf, "mutual_aid")
        options = {o.event: o for o in wf.allowed_events(record, actor="c", at=T0.add(hours=2))}
        assert options["accept"].allowed
        assert options["accept"].reasons == ()
        wf.apply(record, "accept", actor="c", at=T0.add(hours=2))

    def test_a_ticket_not_overdue_cannot_be_escalated(self) -> None:
        wf = TicketWorkflow(catalogue=example_catalogue())
        data = {
            "service_code": "hrss.pension_certification",
            "kind": "handling",
            "channel": "window",
        }
        record = wf.apply(wf.new("T1"), "receive", actor="w", at=T0, data=data)
        options = {o.event: o for o in wf.allowed_events(record, actor="w", at=T0.add(hours=1))}
        escalate = options["escalate"]
        assert not escalate.allowed
        assert "not overdue" in escalate.reasons[0]
        assert escalate.data[0].name == "level"
        assert not escalate.data[0].required
        assert options["dispatch"].allowed
        assert options["dispatch"].required_data == ("offices",)

    @pytest.mark.parametrize(("winners", "allowed"), [(2, False), (3, True)])
    def test_hand_over_needs_the_smallest_committee(self, winners: int, allowed: bool) -> None:
        """Fewer elected than the law's smallest committee (3 here): hand_over is refused
        whatever the members sent, and a further round is offered; with 3 it is allowed."""
        wf = ElectionWorkflow(rules=village_rules(), windows=[WINDOW])
        record = election_at_counting(wf)
        votes = dict(
            zip("abcde", [60, 55, 51, 20, 10][:winners] + [0] * (5 - winners), strict=True)
        )
        when = T_ELECTION.add(days=71)
        record = wf.apply(
            record,
            "announce_results",
            actor="c",
            at=when,
            data={"voters_voted": 100, "votes": votes},
        )
        options = {o.event: o for o in wf.allowed_events(record, actor="c", at=when)}
        hand_over = options["hand_over"]
        assert hand_over.allowed is allowed
        if not allowed:
            assert "fewer than the minimum of 3" in hand_over.reasons[0]
            with pytest.raises(TransitionRefused) as refused:
                wf.apply(record, "hand_over", actor="c", at=when, data={"members": []})
            assert set(hand_over.reasons) <= set(refused.value.reasons)
        assert options["call_further_round"].allowed is not allowed

    def test_walk_by_the_options_alone(self) -> None:
        """A host that only sends events listed as allowed, with their required data,
        takes a filing from draft to converted."""
        wf = OrgFilingWorkflow()
        answers: dict[str, dict[str, Any]] = {
            "submit": ORG,
            "start_review": {},
            "accept": {},
            "convert": {"credit_code": "91110000600037341L", "meets_registration_conditions": True},
        }
        record = wf.new("o1")
        when = T0
        for event in answers:
            when = when.add(hours=1)
            option = {o.event: o for o in wf.allowed_events(record, actor="c", at=when)}[event]
            assert option.allowed
            assert set(option.required_data) <= set(answers[event])
            record = wf.apply(record, event, actor="c", at=when, data=answers[event])
        assert record.state == "converted"
        assert wf.allowed_events(record, actor="c", at=when) == ()

    def test_json_plain_for_a_host_api(self) -> None:
        wf = ElectionWorkflow(rules=village_rules())
        options = wf.allowed_events(wf.new("E1"), actor="c", at=T0)
        data = [o.as_data() for o in options]
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
        assert data[0]["data"][0] == {
            "name": "kind",
            "kind": "text",
            "required": True,
            "label_zh": "委员会类别",
            "label_en": "the committee's kind",
        }
        assert isinstance(options[0], EventOption)


class TestBadArguments:
    """What a careless or hostile caller sends is refused with an sqfw error."""

    def test_naive_time(self) -> None:
        wf = OrgFilingWorkflow()
        with pytest.raises(WorkflowInputError, match="naive"):
            wf.allowed_events(wf.new("o1"), actor="c", at=T0.naive())

    def test_time_without_an_offset(self) -> None:
        wf = OrgFilingWorkflow()
        with pytest.raises(WorkflowInputError, match=r"^at: "):
            wf.allowed_events(wf.new("o1"), actor="c", at="2019-09-20T09:00:00")

    def test_no_time_and_no_clock(self) -> None:
        wf = OrgFilingWorkflow()
        with pytest.raises(WorkflowInputError, match="required when the workflow has no clock"):
            wf.allowed_events(wf.new("o1"), actor="c")

    def test_another_workflows_record(self) -> None:
        with pytest.raises(WorkflowError, match="belongs to workflow"):
            OrgFilingWorkflow().allowed_events(
                ElectionWorkflow(rules=village_rules()).new("E1"), actor="c", at=T0
            )

    @pytest.mark.parametrize("actor", ["", "   ", "x" * 101])
    def test_a_bad_actor_refuses_every_event(self, actor: str) -> None:
        wf = OrgFilingWorkflow()
        options = wf.allowed_events(wf.new("o1"), actor=actor, at=T0)
        assert options
        for option in options:
            assert not option.allowed
            checked = wf.check(wf.new("o1"), option.event, actor=actor, at=T0, data=ORG)
            assert option.reasons == checked

    def test_an_actor_of_100_characters_is_fine(self) -> None:
        wf = OrgFilingWorkflow()
        assert all(o.allowed for o in wf.allowed_events(wf.new("o1"), actor="x" * 100, at=T0))

    def test_a_time_before_the_last_event(self) -> None:
        wf = OrgFilingWorkflow()
        record = wf.apply(wf.new("o1"), "submit", actor="c", at=T0, data=ORG)
        (before,) = wf.allowed_events(record, actor="c", at=T0.subtract(seconds=1))
        assert "before the previous step" in before.reasons[0]
        (same,) = wf.allowed_events(record, actor="c", at=T0)
        assert same.allowed

    @pytest.mark.parametrize("data", [[("name", "x")], "name=x", {"n": 1.5}, {1: "x"}])
    def test_data_that_is_not_json_plain(self, data: Any) -> None:
        wf = OrgFilingWorkflow()
        with pytest.raises(WorkflowInputError, match=r"^data: "):
            wf.apply(wf.new("o1"), "submit", actor="c", at=T0, data=data)
