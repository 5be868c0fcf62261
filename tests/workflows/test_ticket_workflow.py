"""The one-window service ticket (§3.8, §3.9, §4.7): offices, deadlines, pauses, rating."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw.calendar import WorkingDayCalendar
from sqfw.entities.ticket import ServiceTicket
from sqfw.errors import CalendarError, TransitionRefused
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.ticket import (
    ServiceCatalogue,
    ServiceSpec,
    TicketWorkflow,
    example_catalogue,
)

TZ = "Asia/Shanghai"


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


def received(
    wf: TicketWorkflow,
    when: pendulum.DateTime,
    service: str = "hrss.pension_certification",
    kind: str = "handling",
) -> WorkflowRecord:
    ticket = ServiceTicket(
        id="T1",
        service_code=service,
        kind=kind,
        community_code="150102001001",
        received_at=when,
        applicant="王五",
        departments=["human_resources_social_security"] if kind == "handling" else [],
    )
    return wf.receive(wf.new("T1"), ticket, actor="window")


def dispatched(wf: TicketWorkflow, when: pendulum.DateTime, *offices: str) -> WorkflowRecord:
    r = received(wf, when)
    return wf.apply(r, "dispatch", actor="window", at=when, data={"offices": list(offices)})


class TestCatalogue:
    """Time limits come from a host's catalogue; the bundled one says it is an example."""

    def test_example_is_labelled(self) -> None:
        """The example catalogue is marked as an example, not the plan's."""
        cat = example_catalogue()
        assert cat.is_example
        assert "EXAMPLE" in cat.source
        assert "not from the plan" in cat.source

    def test_unknown_service_refused(self, ticket_wf: TicketWorkflow) -> None:
        """A service outside the catalogue cannot be received; every bad field is named."""
        reasons = ticket_wf.check(
            ticket_wf.new("T1"),
            "receive",
            actor="w",
            at=at(2019, 9, 27, 10),
            data={"service_code": "x", "kind": "handling", "channel": "pigeon"},
        )
        assert len(reasons) == 2

    def test_limit_kept_in_trail(self, ticket_wf: TicketWorkflow) -> None:
        """The limit in force at receipt is written into the trail; no personal data is."""
        r = received(ticket_wf, at(2019, 9, 27, 10))
        assert r.trail[0].data["time_limit_working_days"] == 5
        assert r.trail[0].data["catalogue"] == "example"
        assert "王五" not in repr(r.trail[0].data)

    def test_duplicate_service_refused(self) -> None:
        """A catalogue lists each service once."""
        spec = ServiceSpec(code="a", label_zh="甲", label_en="a", time_limit_working_days=1)
        with pytest.raises(ValueError, match="twice"):
            ServiceCatalogue(name="x", source="y", services=[spec, spec])


class TestDeadlines:
    """Deadlines in working days across holidays, with make-up days (调休)."""

    def test_national_day_2019(self, ticket_wf: TicketWorkflow) -> None:
        """5 working days from Fri 2019-09-27 end on Thu 10-10 (Sun 9-29 is worked)."""
        r = received(ticket_wf, at(2019, 9, 27, 10))
        clock = ticket_wf.clock_at(r, at(2019, 9, 27, 10))
        assert clock is not None
        assert clock.deadline == at(2019, 10, 10).end_of("day")
        assert clock.working_days_left == 5

    def test_overdue_boundary(self, ticket_wf: TicketWorkflow) -> None:
        """Not overdue on the last day; overdue the next morning."""
        r = received(ticket_wf, at(2019, 9, 27, 10))
        last = ticket_wf.clock_at(r, at(2019, 10, 10, 23, 59))
        assert last is not None
        assert not last.overdue
        assert last.working_days_left == 0
        after = ticket_wf.clock_at(r, at(2019, 10, 11, 0, 1))
        assert after is not None
        assert after.overdue
        assert after.working_days_left == -1
        assert after.time_left.in_seconds() < 0

    def test_spring_festival_2020(self, ticket_wf: TicketWorkflow) -> None:
        """7 days from Fri 2020-01-17: Sun 01-19 and 01-20..01-23 are worked, then 02-03, 02-04."""
        r = received(ticket_wf, at(2020, 1, 17, 16), service="justice.legal_aid")
        clock = ticket_wf.clock_at(r, at(2020, 1, 23, 9))
        assert clock is not None
        assert clock.working_days_used == 5  # the day asked about counts as used
        assert clock.deadline.date() == pendulum.date(2020, 2, 4)
        holiday = ticket_wf.clock_at(r, at(2020, 1, 31, 9))
        assert holiday is not None
        assert holiday.working_days_left == 2

    def test_local_adjustment(self) -> None:
        """A host's local holiday moves the deadline."""
        cal = WorkingDayCalendar().adjusted(holidays=["2019-10-08"])
        wf = TicketWorkflow(catalogue=example_catalogue(), calendar=cal)
        clock = wf.clock_at(received(wf, at(2019, 9, 27, 10)), at(2019, 9, 27, 11))
        assert clock is not None
        assert clock.deadline.date() == pendulum.date(2019, 10, 11)

    def test_unknown_year_fails_clearly_when_estimates_are_refused(self) -> None:
        """With estimate=False, a deadline in a year without an official schedule raises
        CalendarError (by default it is estimated and says so: test_estimated_deadlines)."""
        wf = TicketWorkflow(
            catalogue=example_catalogue(), calendar=WorkingDayCalendar(estimate=False)
        )
        year = max(WorkingDayCalendar().known_years) + 1
        r = received(wf, at(year - 1, 12, 30, 10))
        with pytest.raises(CalendarError):
            wf.clock_at(r, at(year - 1, 12, 30, 11))

    def test_before_receipt_no_clock(self, ticket_wf: TicketWorkflow) -> None:
        """A ticket not yet received has no deadline."""
        assert ticket_wf.clock_at(ticket_wf.new("T1"), at(2019, 9, 27)) is None


class TestPause:
    """Waiting for the resident's materials pauses the clock."""

    def test_pause_extends_deadline(self, ticket_wf: TicketWorkflow) -> None:
        """Paused Mon 10-14 to Thu 10-17: 10-15..10-17 do not count; the deadline moves 3 days."""
        # Received Fri 10-11: 10-12 (a make-up Saturday), 10-14, 10-15, 10-16, 10-17.
        r = dispatched(ticket_wf, at(2019, 10, 11, 9), "civil_affairs")
        before = ticket_wf.clock_at(r, at(2019, 10, 11, 10))
        assert before is not None
        assert before.deadline.date() == pendulum.date(2019, 10, 17)
        r = ticket_wf.apply(
            r, "request_materials", actor="o", at=at(2019, 10, 14, 9), reason="户口簿复印件"
        )
        paused = ticket_wf.clock_at(r, at(2019, 10, 16, 9))
        assert paused is not None
        assert paused.paused
        assert paused.working_days_used == 2  # 10-12 (make-up Saturday) and 10-14
        r = ticket_wf.apply(r, "materials_received", actor="o", at=at(2019, 10, 17, 15))
        resumed = ticket_wf.clock_at(r, at(2019, 10, 17, 16))
        assert resumed is not None
        assert not resumed.paused
        assert resumed.deadline.date() == pendulum.date(2019, 10, 22)


class TestEscalation:
    """A ticket past its deadline is overdue and can be escalated (督办)."""

    def test_escalate_only_when_overdue(self, ticket_wf: TicketWorkflow) -> None:
        """Refused on the deadline day, accepted the day after."""
        r = dispatched(ticket_wf, at(2019, 9, 27, 10), "civil_affairs")
        with pytest.raises(TransitionRefused, match="not overdue"):
            ticket_wf.apply(r, "escalate", actor="supervisor", at=at(2019, 10, 10, 17))
        r = ticket_wf.apply(r, "escalate", actor="supervisor", at=at(2019, 10, 11, 9))
        assert r.state == "processing"
        assert ticket_wf.facts(r).escalations == 1


class TestBackOffices:
    """前台一口受理、后台协同办理: the lead office finishes after every co-handler reported."""

    def test_handled_when_every_office_done(self, ticket_wf: TicketWorkflow) -> None:
        """The lead (the first office) cannot finish before the co-handler reports; the
        co-handler's report keeps it in processing; the lead's finish then handles it."""
        when = at(2019, 9, 27, 10)
        r = dispatched(ticket_wf, when, "civil_affairs", "public_security")
        assert ticket_wf.facts(r).lead == "civil_affairs"
        for office in ("civil_affairs", "public_security"):
            r = ticket_wf.apply(r, "office_accept", actor=office, at=when, data={"office": office})
        with pytest.raises(TransitionRefused, match="have not reported"):
            ticket_wf.apply(
                r, "office_finish", actor="ca", at=when, data={"office": "civil_affairs"}
            )
        r = ticket_wf.apply(
            r, "office_finish", actor="ps", at=when, data={"office": "public_security"}
        )
        assert r.state == "processing"
        r = ticket_wf.apply(
            r, "office_finish", actor="ca", at=when, data={"office": "civil_affairs"}
        )
        assert r.state == "handled"
        clock = ticket_wf.clock_at(r, at(2019, 12, 1, 9))
        assert clock is not None
        assert clock.stopped
        assert not clock.overdue

    def test_return_and_redispatch(self, ticket_wf: TicketWorkflow) -> None:
        """A returned office can be dispatched again; one that holds it cannot."""
        when = at(2019, 9, 27, 10)
        r = dispatched(ticket_wf, when, "civil_affairs", "justice")
        with pytest.raises(TransitionRefused, match="a reason is required"):
            ticket_wf.apply(r, "office_return", actor="j", at=when, data={"office": "justice"})
        r = ticket_wf.apply(
            r, "office_return", actor="j", at=when, reason="不属本部门", data={"office": "justice"}
        )
        r = ticket_wf.apply(
            r, "office_accept", actor="ca", at=when, data={"office": "civil_affairs"}
        )
        with pytest.raises(TransitionRefused, match="already hold"):
            ticket_wf.apply(r, "dispatch", actor="w", at=when, data={"offices": ["civil_affairs"]})
        r = ticket_wf.apply(r, "dispatch", actor="w", at=when, data={"offices": ["justice"]})
        assert ticket_wf.facts(r).offices["justice"] == "pending"

    def test_configurable_offices(self) -> None:
        """Only the configured offices can be dispatched to."""
        wf = TicketWorkflow(catalogue=example_catalogue(), offices=["civil_affairs"])
        r = received(wf, at(2019, 9, 27, 10))
        with pytest.raises(TransitionRefused, match="not among the offices"):
            wf.apply(
                r, "dispatch", actor="w", at=at(2019, 9, 27, 11), data={"offices": ["justice"]}
            )

    def test_finish_requires_accept(self, ticket_wf: TicketWorkflow) -> None:
        """An office finishes only what it accepted."""
        r = dispatched(ticket_wf, at(2019, 9, 27, 10), "justice")
        with pytest.raises(TransitionRefused, match="is pending; this needs accepted"):
            ticket_wf.apply(
                r, "office_finish", actor="j", at=at(2019, 9, 27, 11), data={"office": "justice"}
            )


class TestAnswerAndRating:
    """Answer, rating (§4.7), reopening after dissatisfaction, closing."""

    def handled(self, wf: TicketWorkflow) -> WorkflowRecord:
        when = at(2019, 9, 27, 10)
        r = dispatched(wf, when, "civil_affairs")
        r = wf.apply(r, "office_accept", actor="ca", at=when, data={"office": "civil_affairs"})
        r = wf.apply(r, "office_finish", actor="ca", at=when, data={"office": "civil_affairs"})
        return wf.apply(r, "answer", actor="w", at=when, reason="已办结，请领取")

    def test_dissatisfied_reopens(self, ticket_wf: TicketWorkflow) -> None:
        """A dissatisfied rating opens a rectification, which may reopen the ticket with a
        fresh time limit; a satisfied rating cannot."""
        r = ticket_wf.apply(
            self.handled(ticket_wf),
            "rate",
            actor="resident",
            at=at(2019, 9, 28, 9),
            data={"satisfaction": "dissatisfied"},
        )
        assert r.state == "rectifying"
        r = ticket_wf.apply(r, "reopen", actor="w", at=at(2019, 9, 29, 9), reason="材料未退还")
        assert r.state == "received"
        clock = ticket_wf.clock_at(r, at(2019, 9, 29, 10))
        assert clock is not None
        assert clock.deadline.date() == pendulum.date(2019, 10, 11)
        ok = ticket_wf.apply(
            self.handled(ticket_wf),
            "rate",
            actor="resident",
            at=at(2019, 9, 28, 9),
            data={"satisfaction": "satisfied"},
        )
        with pytest.raises(TransitionRefused, match="not allowed in state 'rated'"):
            ticket_wf.apply(ok, "reopen", actor="w", at=at(2019, 9, 29, 9), reason="x")
        assert ticket_wf.apply(ok, "close", actor="w", at=at(2019, 9, 29, 9)).state == "closed"

    def test_rating_must_be_known(self, ticket_wf: TicketWorkflow) -> None:
        """A rating outside the levels is refused."""
        with pytest.raises(TransitionRefused, match="satisfaction"):
            ticket_wf.apply(
                self.handled(ticket_wf),
                "rate",
                actor="r",
                at=at(2019, 9, 28),
                data={"satisfaction": "meh"},
            )

    def test_consultation_answered_at_window(self, ticket_wf: TicketWorkflow) -> None:
        """A consultation is answered without dispatch; a handling request is not."""
        r = received(
            ticket_wf, at(2019, 9, 27, 10), service="general.consultation", kind="consultation"
        )
        assert (
            ticket_wf.apply(r, "answer", actor="w", at=at(2019, 9, 27, 10), reason="已解答").state
            == "answered"
        )
        h = received(ticket_wf, at(2019, 9, 27, 10))
        with pytest.raises(TransitionRefused, match="only a consultation"):
            ticket_wf.apply(h, "answer", actor="w", at=at(2019, 9, 27, 10), reason="x")

    def test_decline_needs_reason(self, ticket_wf: TicketWorkflow) -> None:
        """Declining at the window needs a reason."""
        with pytest.raises(TransitionRefused, match="a reason is required"):
            ticket_wf.apply(ticket_wf.new("T1"), "decline", actor="w", at=at(2019, 9, 27))
        assert (
            ticket_wf.apply(
                ticket_wf.new("T1"), "decline", actor="w", at=at(2019, 9, 27), reason="非本辖区"
            ).state
            == "declined"
        )


class TestClockModule:
    """The working-day clock lives in its own module; ``sqfw.workflows.ticket`` still exports it."""

    def test_public_names_unchanged(self) -> None:
        """Every name the ticket module exported before the split is still exported there."""
        from sqfw.workflows import _clock, ticket

        before = [
            "OfficeStatus",
            "Satisfaction",
            "ServiceCatalogue",
            "ServiceSpec",
            "TicketClock",
            "TicketEvent",
            "TicketFacts",
            "TicketMachine",
            "TicketState",
            "TicketWorkflow",
            "example_catalogue",
            "ticket_data",
        ]
        assert set(before) <= set(ticket.__all__)
        assert ticket.__all__ == sorted(ticket.__all__, key=lambda n: (n[0].islower(), n))
        assert all(hasattr(ticket, name) for name in ticket.__all__)
        assert ticket.TicketClock is _clock.TicketClock

    @given(
        day=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2024, 10, 31)),
        limit=st.integers(min_value=1, max_value=20),
        later=st.integers(min_value=0, max_value=40),
    )
    def test_used_and_left_add_up_to_the_limit(self, day: dt.date, limit: int, later: int) -> None:
        """Without pauses, days used + days left is the limit, and the deadline is a working
        day's end, on or after the moment asked about exactly when the ticket is not overdue."""
        from sqfw.workflows._clock import ticket_clock

        calendar = WorkingDayCalendar()
        received_at = at(day.year, day.month, day.day, 10)
        moment = received_at.add(days=later)
        clock = ticket_clock(
            calendar,
            received_at=received_at,
            time_limit_working_days=limit,
            pauses=(),
            handled_at=None,
            at=moment,
        )
        assert clock.working_days_used is not None
        assert clock.working_days_left is not None
        assert clock.working_days_used + clock.working_days_left == limit
        assert calendar.is_working_day(clock.deadline.date())
        assert clock.deadline == clock.deadline.end_of("day")
        assert clock.overdue is (moment > clock.deadline)
        assert clock.time_left == clock.deadline - moment
