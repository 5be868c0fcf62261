"""Deadlines never vanish (§3.8–§3.9): a year without an official holiday schedule is
estimated, every deadline counted over it says so, and adding the year's schedule
recounts it and removes the flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw.calendar import OfficialSchedule, WorkingDayCalendar
from sqfw.entities.ticket import ServiceTicket
from sqfw.store import SqlStore
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

TZ = "Asia/Shanghai"
FIVE_DAYS = "hrss.pension_certification"  # the example catalogue's 5-working-day service


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


def schedule_2027() -> OfficialSchedule:
    """A 2027 schedule made up for the tests (not the official one): Monday 01-04 off,
    joined to New Year's Day, paid back on Saturday 01-09."""
    return OfficialSchedule(
        year=2027,
        days_off={f"2027-01-0{d}": "元旦" for d in range(1, 5)},
        makeup_workdays=["2027-01-09"],
        document="示例:2027年部分节假日安排(测试用,非官方)",
        number="示例〔2026〕1号",
        issued="2026-11-20",
        source="tests/workflows/test_estimated_deadlines.py",
    )


def receive(
    wf: TicketWorkflow, when: pendulum.DateTime, service: str = FIVE_DAYS, record_id: str = "T1"
) -> WorkflowRecord:
    ticket = ServiceTicket(
        id=record_id,
        service_code=service,
        kind="handling",
        community_code="150102001001",
        received_at=when,
        applicant="王五",
        departments=["human_resources_social_security"],
    )
    return wf.receive(wf.new(record_id), ticket, actor="window")


class TestTicketClock:
    """A ticket received 2026-12-28 at a 5-working-day service (the issue's example)."""

    def test_deadline_is_estimated_then_official(self) -> None:
        """Estimated: 12-29, 12-30, 12-31, (01-01 New Year's Day), 01-04, 01-05 → 01-05.
        With the 2027 schedule (01-04 off): … 01-05, 01-06 → 01-06, not estimated."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        record = receive(wf, at(2026, 12, 28, 10))
        clock = wf.clock_at(record, at(2026, 12, 28, 11))
        assert clock is not None
        assert clock.estimated
        assert clock.deadline_note == ("预估", "estimated")
        assert clock.deadline == at(2027, 1, 5).end_of("day")
        assert wf.due(record) == clock.deadline
        assert wf.due_estimated(record)
        wf.calendar = wf.calendar.with_schedule(schedule_2027())
        official = wf.clock_at(record, at(2026, 12, 28, 11))
        assert official is not None
        assert not official.estimated
        assert official.deadline_note == ("", "")
        assert official.deadline == at(2027, 1, 6).end_of("day")
        assert not wf.due_estimated(record)

    def test_within_a_known_year_not_estimated(self) -> None:
        """Received 12-21: 12-22 … 12-28 all in 2026, an official year: not estimated."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        clock = wf.clock_at(receive(wf, at(2026, 12, 21, 10)), at(2026, 12, 21, 11))
        assert clock is not None
        assert not clock.estimated
        assert clock.deadline == at(2026, 12, 28).end_of("day")

    def test_escalation_runs_on_an_estimated_deadline(self) -> None:
        """Past the estimated deadline the ticket is overdue and escalation is due."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        record = receive(wf, at(2026, 12, 28, 10))
        assert wf.escalation_due(record, at(2027, 1, 5, 23, 59)) is None
        assert wf.escalation_due(record, at(2027, 1, 7, 12)) is not None


def _rated_badly(wf: TicketWorkflow, when: pendulum.DateTime) -> WorkflowRecord:
    r = receive(wf, when)
    office = {"office": "human_resources_social_security"}
    r = wf.apply(r, "dispatch", actor="w", at=when, data={"offices": [office["office"]]})
    r = wf.apply(r, "office_accept", actor="o", at=when, data=office)
    r = wf.apply(r, "office_finish", actor="o", at=when, data=office)
    r = wf.apply(r, "answer", actor="w", at=when, reason="已办结")
    return wf.apply(
        r, "rate", actor="resident", at=when.add(hours=1), data={"satisfaction": "dissatisfied"}
    )


class TestRectificationDeadlines:
    """The call-back and rectification deadlines of a bad rating say in the trail when they
    were counted over an estimated year, and only then."""

    def test_flag_in_the_trail(self) -> None:
        wf = TicketWorkflow(catalogue=example_catalogue())
        late = _rated_badly(wf, at(2026, 12, 30, 9))
        assert late.trail[-1].data["deadlines_estimated"] is True
        early = _rated_badly(wf, at(2026, 6, 1, 9))
        assert "deadlines_estimated" not in early.trail[-1].data
        assert wf.facts(late).rectify_due is not None


class TestExport:
    """The GeoReport v2 export says when its expected time is an estimate."""

    def test_service_notice(self) -> None:
        from sqfw.workflows.open311 import request_from_record

        wf = TicketWorkflow(catalogue=example_catalogue())
        late = request_from_record(wf, receive(wf, at(2026, 12, 28, 10)))
        assert late.service_notice == "预估期限 / estimated deadline"
        assert late.expected_datetime is not None
        assert str(late.expected_datetime).startswith("2027-01-05")
        early = request_from_record(wf, receive(wf, at(2026, 12, 21, 10)))
        assert early.service_notice is None


@pytest.fixture
def store() -> Iterator[SqlStore]:
    made = SqlStore(":memory:", workflows=[TicketWorkflow(catalogue=example_catalogue())])
    yield made
    made.dispose()  # its connections closed, not left to the collector


class TestStore:
    """overdue() and the work list include estimated deadlines and mark them."""

    def test_overdue_includes_and_marks_estimated(self, store: SqlStore) -> None:
        """The 12-28 ticket is not overdue at its deadline, overdue just after, marked;
        the 12-21 ticket (an official deadline) is not marked."""
        wf = store.workflows["service_ticket"]
        assert isinstance(wf, TicketWorkflow)
        store.save(receive(wf, at(2026, 12, 28, 10), record_id="LATE"))
        store.save(receive(wf, at(2026, 12, 21, 10), record_id="EARLY"))
        deadline = at(2027, 1, 5).end_of("day")
        assert [r.record_id for r in store.overdue(deadline.subtract(seconds=1))] == ["EARLY"]
        found = {r.record_id: r for r in store.overdue(deadline.add(seconds=1))}
        assert set(found) == {"EARLY", "LATE"}
        assert found["LATE"].due_estimated
        assert found["LATE"].due == deadline
        assert not found["EARLY"].due_estimated

    def test_work_list_counts_estimated(self, store: SqlStore) -> None:
        """The work list's items carry the mark and its counts say how many are estimates."""
        wf = store.workflows["service_ticket"]
        assert isinstance(wf, TicketWorkflow)
        store.save(receive(wf, at(2026, 12, 28, 10), record_id="LATE"))
        work = store.work_list(at(2027, 1, 5, 9), workflow="service_ticket")
        assert (work.total.due_today, work.estimated.due_today) == (1, 1)
        assert work.items[0].due_estimated
        later = store.work_list(at(2027, 1, 6, 9), workflow="service_ticket")
        assert (later.total.overdue, later.estimated.overdue) == (1, 1)

    def test_adding_the_schedule_recounts_and_clears_the_flag(self, store: SqlStore) -> None:
        """refresh_due recounts the estimated deadlines with the new schedule: 01-05
        becomes 01-06, the flag goes, and the record (version, head, trail) is unchanged."""
        wf = store.workflows["service_ticket"]
        assert isinstance(wf, TicketWorkflow)
        saved = store.save(receive(wf, at(2026, 12, 28, 10), record_id="LATE"))
        wf.calendar = wf.calendar.with_schedule(schedule_2027())
        assert store.refresh_due("service_ticket") == 1
        [row] = store.find(workflow="service_ticket")
        assert row.due == at(2027, 1, 6).end_of("day")
        assert not row.due_estimated
        assert store.load("service_ticket", "LATE") == saved
        assert store.refresh_due("service_ticket") == 0  # nothing estimated is left
        assert store.overdue(at(2027, 1, 6, 23)) == []


def _mondays() -> list[pendulum.Date]:
    day = pendulum.date(2016, 1, 4)  # the first Monday of 2016
    found = []
    while day.year <= 2030:
        found.append(day)
        day = day.add(weeks=1)
    return found


class TestEveryMonday:
    """A ticket received on every Monday of 2016–2030, at every limit of the catalogue."""

    def test_each_has_a_deadline_estimated_exactly_without_a_schedule(self) -> None:
        """Each gets a deadline; it is estimated exactly when some year from receipt to the
        deadline has no official schedule — checked against the package's own list of years."""
        official = WorkingDayCalendar().known_years
        catalogue = example_catalogue()
        limits = sorted({s.time_limit_working_days for s in catalogue.services.values()} - {None})
        assert limits  # the catalogue has working-day limits to walk
        wf = TicketWorkflow(catalogue=catalogue)
        services = {}
        for spec in catalogue.services.values():
            if spec.time_limit_working_days is not None:
                services.setdefault(spec.time_limit_working_days, spec)
        estimated = 0
        for monday in _mondays():
            received = at(monday.year, monday.month, monday.day, 9)
            for limit in limits:
                spec = services[limit]
                record = receive(wf, received, service=spec.code)
                clock = wf.clock_at(record, received)
                assert clock is not None, (monday, limit)
                assert clock.deadline > received
                assert clock.time_limit_working_days == limit
                years = range(monday.year, clock.deadline.year + 1)
                assert clock.estimated is any(y not in official for y in years), (monday, limit)
                estimated += clock.estimated
        assert estimated > 0  # the years after the package's last are walked too


@given(
    day=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2030, 12, 31)),
    limit=st.integers(min_value=1, max_value=30),
)
def test_a_deadline_always_exists_and_says_if_it_is_estimated(day: dt.date, limit: int) -> None:
    """Any day of 2016–2030, any limit: a deadline, after receipt, at least ``limit``
    calendar days on, estimated exactly when a year counted has no official schedule."""
    from sqfw.workflows._clock import ticket_clock

    calendar = WorkingDayCalendar()
    received = at(day.year, day.month, day.day, 9)
    clock = ticket_clock(
        calendar,
        received_at=received,
        time_limit_working_days=limit,
        pauses=(),
        handled_at=None,
        at=received,
    )
    assert clock.deadline.date() >= received.date().add(days=limit)
    years = range(day.year, clock.deadline.year + 1)
    assert clock.estimated is any(y not in calendar.known_years for y in years)
