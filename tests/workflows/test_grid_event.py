"""Grid events (§3.5, into the one window of §3.8): patrol, verification, on-the-spot
handling or a linked one-window ticket, the check; time limits from local parameters."""

from __future__ import annotations

from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import ServiceTicket
from sqfw.entities import Building, Grid, GridWorker
from sqfw.errors import InvalidArgumentError, InvalidEntityError, TransitionRefused
from sqfw.standards import default_standards
from sqfw.store import SqlStore
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.grid_event import (
    RULE_PARAMETERS,
    GridEventRules,
    GridEventWorkflow,
    complete_from_ticket,
    escalate_to_ticket,
    grid_event_rules,
    report_data,
)
from sqfw.workflows.local_examples import LOCAL_PARAMETERS, example_local_standards
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

T0 = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")
GRID = "150102001001001"
STANDARDS = default_standards().extended(example_local_standards())
RULES = grid_event_rules(standards=STANDARDS, on="2024-05-06")
WF = GridEventWorkflow(rules=RULES)
TICKETS = TicketWorkflow(catalogue=example_catalogue())
REPORT = {"grid_code": GRID, "category": "路灯损坏", "found_by": "gw-1"}


def reported(at: pendulum.DateTime = T0, **data: object) -> WorkflowRecord:
    return WF.apply(WF.new("E1"), "report", actor="gw-1", at=at, data={**REPORT, **data})


def escalated() -> WorkflowRecord:
    record = WF.apply(reported(), "verify", actor="gw-1", at=T0.add(hours=1))
    return WF.apply(record, "escalate", actor="gw-1", at=T0.add(hours=2), reason="需部门维修")


def a_ticket(community: str = "150102001001", **kw: object) -> ServiceTicket:
    return ServiceTicket(
        **{  # type: ignore[arg-type]
            "id": "T1",
            "service_code": "urban.street_lighting",
            "kind": "handling",
            "community_code": community,
            "received_at": T0.add(hours=3),
            "applicant": "网格员",
            "channel": "mobile_app",
            **kw,
        }
    )


def handled_ticket(ticket: WorkflowRecord) -> WorkflowRecord:
    office = {"office": "urban_management"}
    ticket = TICKETS.apply(
        ticket, "dispatch", actor="d", at=T0.add(hours=4), data={"offices": ["urban_management"]}
    )
    ticket = TICKETS.apply(ticket, "office_accept", actor="u", at=T0.add(hours=5), data=office)
    return TICKETS.apply(ticket, "office_finish", actor="u", at=T0.add(hours=20), data=office)


class TestRules:
    """The limits are local parameters: the bundled set is an example and says so."""

    def test_example_set_says_it_is_an_example(self) -> None:
        assert RULES.is_example
        assert "EXAMPLE" in RULES.source
        assert "示例" in RULES.source
        assert set(RULE_PARAMETERS.values()) <= set(LOCAL_PARAMETERS)

    def test_a_hosts_own_values(self) -> None:
        own = STANDARDS.with_overrides(
            {
                "grid_event.verify_hours": 12,
                "grid_event.dispose_hours": 48,
                "grid_event.review_hours": 24,
            },
            source="某区网格化管理办法",
        )
        rules = grid_event_rules(standards=own, on="2024-05-06")
        assert (rules.verify_hours, rules.dispose_hours, rules.review_hours) == (12, 48, 24)
        assert not rules.is_example
        assert "某区网格化管理办法" in rules.source

    @pytest.mark.parametrize("hours", [1, 8784])
    def test_hours_within_bounds(self, hours: int) -> None:
        assert GridEventRules(verify_hours=hours, dispose_hours=1, review_hours=1)

    @pytest.mark.parametrize("hours", [0, 8785, True, 1.5])
    def test_hours_out_of_bounds(self, hours: object) -> None:
        with pytest.raises(InvalidEntityError, match="whole hours from 1 to 8784"):
            GridEventRules(verify_hours=hours, dispose_hours=1, review_hours=1)  # type: ignore[arg-type]

    def test_workflow_needs_rules(self) -> None:
        with pytest.raises(InvalidArgumentError, match="rules"):
            GridEventWorkflow(rules={"verify_hours": 24})  # type: ignore[arg-type]


class TestReport:
    """§3.5: a report names a grid of a community, what was found and who found it."""

    def test_limits_in_force_copied_into_the_trail(self) -> None:
        entry = reported().trail[0]
        assert entry.data["verify_hours"] == 24
        assert entry.data["dispose_hours"] == 72
        assert entry.data["rules_example"] is True
        facts = WF.facts(reported())
        assert facts.community_code == "150102001001"

    @pytest.mark.parametrize(
        ("data", "why"),
        [
            ({"grid_code": "150102001001"}, "grid_code"),  # the community itself, no serial
            ({"grid_code": "150102001000001"}, "grid_code"),  # a street, not a community
            ({"category": " "}, "category"),
            ({"found_by": "网格员 王"}, "found_by"),
            ({"building_code": "1501020010020001"}, "building_code"),  # another community
        ],
    )
    def test_refused(self, data: dict[str, object], why: str) -> None:
        with pytest.raises(TransitionRefused, match=why):
            reported(**data)

    def test_every_reason_at_once(self) -> None:
        with pytest.raises(TransitionRefused) as refused:
            reported(grid_code="x", category="", found_by="")
        assert len(refused.value.reasons) == 3

    def test_building_of_the_same_community(self) -> None:
        assert WF.facts(reported(building_code="1501020010010003")).building_code


class TestReportData:
    """The report's data from the entities: a worker of the grid that day, a building of
    the community in that grid or in none."""

    grid = Grid(
        community_code="150102001001",
        code=GRID,
        name="第一网格",
        workers=[GridWorker(id="gw-1", name="王伟", since="2024-05-06")],
    )

    def test_from_the_grid(self) -> None:
        building = Building(
            community_code="150102001001", code="1501020010010003", name="3号楼", grid_code=GRID
        )
        data = report_data(
            self.grid, found_by="gw-1", category="路灯损坏", on="2024-05-06", building=building
        )
        assert data == {**REPORT, "building_code": "1501020010010003"}
        assert WF.check(WF.new("E1"), "report", actor="gw-1", at=T0, data=data) == ()

    def test_worker_not_yet_assigned(self) -> None:
        with pytest.raises(InvalidArgumentError, match="a grid worker of 150102001001001"):
            report_data(self.grid, found_by="gw-1", category="x", on="2024-05-05")

    def test_building_of_another_grid(self) -> None:
        elsewhere = Building(
            community_code="150102001001",
            code="1501020010010004",
            name="4号楼",
            grid_code="150102001001002",
        )
        with pytest.raises(InvalidArgumentError, match="building"):
            report_data(
                self.grid, found_by="gw-1", category="x", on="2024-05-06", building=elsewhere
            )


class TestPaths:
    """Each path ends where the diagram says; the trail replays and verifies."""

    def test_handled_on_the_spot(self) -> None:
        record = WF.apply(reported(), "verify", actor="gw-1", at=T0.add(hours=1))
        record = WF.apply(
            record, "handle_on_spot", actor="gw-1", at=T0.add(hours=2), reason="已劝离"
        )
        record = WF.apply(record, "review", actor="office", at=T0.add(hours=3))
        assert record.state == "closed"
        GridEventWorkflow.verify(record)

    def test_dismissed(self) -> None:
        record = WF.apply(reported(), "dismiss", actor="gw-1", at=T0.add(hours=1), reason="误报")
        assert record.state == "dismissed"
        assert WF.events_from("dismissed") == ()

    def test_cannot_handle_before_verifying(self) -> None:
        with pytest.raises(TransitionRefused, match="not allowed in state 'reported'"):
            WF.apply(reported(), "handle_on_spot", actor="gw-1", at=T0, reason="x")

    def test_check_sends_back(self) -> None:
        record = WF.apply(reported(), "verify", actor="gw-1", at=T0.add(hours=1))
        record = WF.apply(record, "handle_on_spot", actor="g", at=T0.add(hours=2), reason="x")
        record = WF.apply(record, "send_back", actor="o", at=T0.add(hours=3), reason="未清理")
        assert record.state == "verified"
        assert WF.facts(record).handled_at is None
        assert WF.facts(record).sent_back == 1


class TestOneWindowLink:
    """§3.8: an escalated event becomes a one-window ticket, linked both ways."""

    def test_the_whole_loop(self) -> None:
        event, ticket = escalate_to_ticket(WF, escalated(), TICKETS, a_ticket(), actor="office")
        assert event.state == "dispatched"
        assert ticket.state == "received"
        assert WF.facts(event).ticket == "T1"
        assert TICKETS.facts(ticket).grid_event == "E1"
        assert ticket.trail[0].data["grid_event"] == "E1"
        ticket = handled_ticket(ticket)
        event = complete_from_ticket(
            WF, event, TICKETS, ticket, actor="office", at=T0.add(hours=21)
        )
        assert event.trail[-1].data["ticket_state"] == "handled"
        event = WF.apply(event, "review", actor="office", at=T0.add(hours=30))
        assert event.state == "closed"
        assert WF.facts(event).within_limits() is True

    def test_ticket_not_handled_yet(self) -> None:
        event, ticket = escalate_to_ticket(WF, escalated(), TICKETS, a_ticket(), actor="office")
        with pytest.raises(TransitionRefused, match="the ticket must be handled"):
            complete_from_ticket(WF, event, TICKETS, ticket, actor="office", at=T0.add(hours=5))

    def test_ticket_of_another_community_changes_nothing(self) -> None:
        before = escalated()
        with pytest.raises(TransitionRefused, match="does not contain the event's grid"):
            escalate_to_ticket(WF, before, TICKETS, a_ticket("150102001002"), actor="office")
        assert before.state == "escalated"

    def test_a_street_window_may_take_it(self) -> None:
        event, _ = escalate_to_ticket(
            WF, escalated(), TICKETS, a_ticket("150102001000"), actor="office"
        )
        assert event.state == "dispatched"

    def test_unknown_service_refuses_both(self) -> None:
        before = escalated()
        with pytest.raises(TransitionRefused):
            escalate_to_ticket(
                WF, before, TICKETS, a_ticket(service_code="no.such.service"), actor="office"
            )
        assert before.state == "escalated"

    def test_tickets_that_do_not_name_the_event(self) -> None:
        event, _ = escalate_to_ticket(WF, escalated(), TICKETS, a_ticket(), actor="office")
        other = TICKETS.receive(TICKETS.new("T1"), a_ticket(), actor="window")
        with pytest.raises(TransitionRefused, match="do not name each other"):
            complete_from_ticket(
                WF, event, TICKETS, handled_ticket(other), actor="office", at=T0.add(hours=21)
            )

    def test_a_failed_check_needs_a_new_ticket(self) -> None:
        event, ticket = escalate_to_ticket(WF, escalated(), TICKETS, a_ticket(), actor="office")
        event = complete_from_ticket(
            WF, event, TICKETS, handled_ticket(ticket), actor="office", at=T0.add(hours=21)
        )
        event = WF.apply(event, "send_back", actor="o", at=T0.add(hours=22), reason="仍不亮")
        assert event.state == "escalated"
        with pytest.raises(TransitionRefused, match="already dispatched"):
            WF.apply(event, "dispatch", actor="o", at=T0.add(hours=23), data={"ticket": "T1"})
        again = attrs.evolve(a_ticket(id="T2"), received_at=T0.add(hours=23))
        event, _ = escalate_to_ticket(WF, event, TICKETS, again, actor="office")
        assert WF.facts(event).tickets == ("T1", "T2")


class TestWithinLimits:
    """§3.5 grid events within their (local, here example) limits: exactly the limit is
    within it, one minute more is not."""

    def at(self, verify_after: pendulum.Duration, dispose_after: pendulum.Duration) -> bool | None:
        record = WF.apply(reported(), "verify", actor="g", at=T0 + verify_after)
        record = WF.apply(
            record, "handle_on_spot", actor="g", at=T0 + verify_after + dispose_after, reason="x"
        )
        return WF.facts(record).within_limits()

    def test_verification_boundary(self) -> None:
        ok = pendulum.duration(hours=RULES.verify_hours)
        assert self.at(ok, pendulum.duration(hours=1)) is True
        assert self.at(ok + pendulum.duration(minutes=1), pendulum.duration(hours=1)) is False

    def test_disposal_boundary(self) -> None:
        ok = pendulum.duration(hours=RULES.dispose_hours)
        assert self.at(pendulum.duration(hours=1), ok) is True
        assert self.at(pendulum.duration(hours=1), ok + pendulum.duration(minutes=1)) is False

    def test_not_yet_handled_is_unknown(self) -> None:
        assert WF.facts(reported()).within_limits() is None
        assert WF.facts(escalated()).within_limits() is None

    @given(hours=st.integers(0, 200))
    def test_verification_at_any_hour(self, hours: int) -> None:
        result = self.at(pendulum.duration(hours=hours), pendulum.duration())
        assert result is (hours <= 24)

    def test_due_dates(self) -> None:
        assert WF.due(reported()) == T0.add(hours=24)
        record = WF.apply(reported(), "verify", actor="g", at=T0.add(hours=5))
        assert WF.due(record) == T0.add(hours=5 + 72)
        assert WF.due(escalated()) is None  # escalated: the ticket's own clock runs next


class TestStore:
    """Both trails are stored in a SQLite file and verified from it."""

    def test_stored_and_verified(self, tmp_path: Path) -> None:
        event, ticket = escalate_to_ticket(WF, escalated(), TICKETS, a_ticket(), actor="office")
        ticket = handled_ticket(ticket)
        event = complete_from_ticket(
            WF, event, TICKETS, ticket, actor="office", at=T0.add(hours=21)
        )
        store = SqlStore(f"sqlite:///{tmp_path / 'grid.db'}", workflows=[WF, TICKETS])
        try:
            store.save_new([event, ticket])
            assert store.verify_all() == []
            loaded = store.load("grid_event", "E1")
            GridEventWorkflow.verify(loaded)
            TicketWorkflow.verify(store.load("service_ticket", "T1"))
            assert loaded == event
            assert [r.record_id for r in store.find(workflow="grid_event", state="done")] == ["E1"]
        finally:
            store.dispose()
