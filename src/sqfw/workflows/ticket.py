"""The one-window service ticket (§3.8, §3.9, §4.7).

"One front window accepts, the back offices handle together" (前台一口受理、后台协同办理):
a request is received at the window through any channel (§3.7) or declined with a reason;
it is dispatched to one or more back offices, each of which accepts, handles and finishes
it or returns it with a reason; it is handled only when every office has finished; the
resident is answered and rates the service (§4.7: residents "order the dishes"); a
dissatisfied rating can reopen it; then it is closed.

Time limits are in working days of the mainland China calendar (:mod:`sqfw.calendar`,
make-up days included). The plan sets none: they come from a per-service
:class:`ServiceCatalogue` the host supplies. :func:`example_catalogue` is an example for
trying the library out, not the plan's and not any county's. Waiting for the resident's
materials pauses the clock; a ticket past its deadline is overdue and can be escalated
(督办); :meth:`TicketWorkflow.clock_at` gives the deadline and the time left at any
moment. The catalogue (:mod:`sqfw.workflows._catalogue`) and the working-day clock
(:mod:`sqfw.workflows._clock`) live in their own modules; their names are exported here.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import pendulum
from statemachine.states import States

from sqfw.calendar import WorkingDayCalendar
from sqfw.entities.ticket import Channel, Department, ServiceTicket, TicketKind
from sqfw.errors import CalendarError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_datetime
from sqfw.workflows._catalogue import ServiceCatalogue, ServiceSpec, example_catalogue
from sqfw.workflows._clock import Pause, TicketClock, ticket_clock
from sqfw.workflows._definition import reason
from sqfw.workflows._records import AuditEntry, WorkflowRecord, read_only
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine, guard

__all__ = [
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


# --- states and events ---------------------------------------------------------------------


class TicketState(LabeledEnum):
    """States of a service ticket."""

    NEW = "new"
    RECEIVED = "received"
    DECLINED = "declined"
    PROCESSING = "processing"
    WAITING_MATERIALS = "waiting_materials"
    HANDLED = "handled"
    ANSWERED = "answered"
    RATED = "rated"
    CLOSED = "closed"

    __labels__ = {
        "new": ("待受理", "new"),
        "received": ("已受理", "received"),
        "declined": ("不予受理", "declined"),
        "processing": ("后台协同办理中", "processing in the back offices"),
        "waiting_materials": ("等待补充材料（计时暂停）", "waiting for materials (clock paused)"),
        "handled": ("已办结", "handled"),
        "answered": ("已答复", "answered"),
        "rated": ("已评价", "rated"),
        "closed": ("已关闭", "closed"),
    }


class TicketEvent(LabeledEnum):
    """Events of a service ticket."""

    RECEIVE = "receive"
    DECLINE = "decline"
    DISPATCH = "dispatch"
    OFFICE_ACCEPT = "office_accept"
    OFFICE_FINISH = "office_finish"
    OFFICE_RETURN = "office_return"
    REQUEST_MATERIALS = "request_materials"
    MATERIALS_RECEIVED = "materials_received"
    ESCALATE = "escalate"
    ANSWER = "answer"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE = "close"

    __labels__ = {
        "receive": ("前台受理", "receive at the front window"),
        "decline": ("不予受理", "decline"),
        "dispatch": ("分派后台部门", "dispatch to back offices"),
        "office_accept": ("部门接收", "an office accepts"),
        "office_finish": ("部门办结", "an office finishes"),
        "office_return": ("部门退回", "an office returns it"),
        "request_materials": ("通知补充材料", "request materials"),
        "materials_received": ("材料已补齐", "materials received"),
        "escalate": ("督办", "escalate (督办)"),
        "answer": ("答复群众", "answer the resident"),
        "rate": ("群众评价", "the resident rates the service"),
        "reopen": ("不满意重办", "reopen after dissatisfaction"),
        "close": ("关闭", "close"),
    }


class OfficeStatus(LabeledEnum):
    """Where one back office is with a ticket."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    FINISHED = "finished"
    RETURNED = "returned"

    __labels__ = {
        "pending": ("待接收", "pending"),
        "accepted": ("办理中", "handling"),
        "finished": ("已办结", "finished"),
        "returned": ("已退回", "returned"),
    }


class Satisfaction(LabeledEnum):
    """The resident's rating of the service (§4.7)."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    __labels__ = {
        "satisfied": ("满意", "satisfied"),
        "basically_satisfied": ("基本满意", "basically satisfied"),
        "dissatisfied": ("不满意", "dissatisfied"),
    }


# --- the machine ---------------------------------------------------------------------------


class TicketMachine(WorkflowMachine):
    """The one-window service ticket as a python-statemachine definition."""

    s = States.from_enum(
        TicketState, initial=TicketState.NEW, final={TicketState.DECLINED, TicketState.CLOSED}
    )

    receive = s.NEW.to(s.RECEIVED, validators="service_known")
    decline = s.NEW.to(s.DECLINED, validators="needs_reason")
    dispatch = s.RECEIVED.to(s.PROCESSING, validators="offices_valid") | s.PROCESSING.to(
        s.PROCESSING, validators="offices_valid"
    )
    office_accept = s.PROCESSING.to(s.PROCESSING, validators="office_pending")
    office_finish = s.PROCESSING.to(
        s.HANDLED, cond="last_office", validators="office_accepted"
    ) | s.PROCESSING.to(s.PROCESSING, validators="office_accepted")
    office_return = s.PROCESSING.to(s.PROCESSING, validators=["needs_reason", "office_open"])
    request_materials = s.PROCESSING.to(s.WAITING_MATERIALS, validators="needs_reason")
    materials_received = s.WAITING_MATERIALS.to(s.PROCESSING)
    escalate = (
        s.RECEIVED.to(s.RECEIVED, validators="overdue")
        | s.PROCESSING.to(s.PROCESSING, validators="overdue")
        | s.WAITING_MATERIALS.to(s.WAITING_MATERIALS, validators="overdue")
    )
    answer = s.HANDLED.to(s.ANSWERED, validators="needs_reason") | s.RECEIVED.to(
        s.ANSWERED, validators=["needs_reason", "consultation"]
    )
    rate = s.ANSWERED.to(s.RATED, validators="rating_given")
    reopen = s.RATED.to(s.RECEIVED, validators=["needs_reason", "dissatisfied"])
    close = s.RATED.to(s.CLOSED) | s.ANSWERED.to(s.CLOSED, validators="needs_reason")

    def service_known(self, ctx: EventContext[TicketFacts]) -> None:
        """The service is in the host's catalogue, the kind and channel are known."""
        wf = _workflow(ctx)
        problems: list[str] = []
        code = ctx.data.get("service_code")
        if not isinstance(code, str) or wf.catalogue.get(code) is None:
            problems.append(
                reason(
                    f"服务事项 {code!r} 不在服务目录“{wf.catalogue.name}”中",
                    f"service {code!r} is not in the catalogue {wf.catalogue.name!r}",
                )
            )
        for field, enum in (("kind", TicketKind), ("channel", Channel)):
            try:
                enum(str(ctx.data.get(field)))
            except ValueError:
                problems.append(
                    reason(f"{field} 无效", f"{field}: one of {[e.value for e in enum]}")
                )
        if problems:
            raise Refusal(*problems)

    def offices_valid(self, ctx: EventContext[TicketFacts]) -> None:
        """Dispatch names back offices of the configured list, each new or returned."""
        wf = _workflow(ctx)
        offices = ctx.data.get("offices")
        if not isinstance(offices, tuple) or not offices:
            raise Refusal(reason("须指定承办部门", "offices: one or more back offices"))
        problems: list[str] = []
        unknown = [o for o in offices if o not in wf.offices]
        if unknown:
            problems.append(
                reason(
                    f"{', '.join(map(str, unknown))} 不是可分派的部门",
                    f"{unknown} are not among the back offices {list(wf.offices)}",
                )
            )
        busy = [
            o
            for o in offices
            if ctx.facts.offices.get(o) not in (None, OfficeStatus.RETURNED.value)
        ]
        if busy:
            problems.append(
                reason(
                    f"{', '.join(map(str, busy))} 已在办理",
                    f"{busy} already hold the ticket",
                )
            )
        if len(set(offices)) != len(offices):
            problems.append(reason("部门重复", "an office is listed twice"))
        if problems:
            raise Refusal(*problems)

    def office_pending(self, ctx: EventContext[TicketFacts]) -> None:
        """The office has the ticket and has not accepted it yet."""
        _office_in(ctx, (OfficeStatus.PENDING,))

    def office_accepted(self, ctx: EventContext[TicketFacts]) -> None:
        """The office accepted the ticket and has not finished it."""
        _office_in(ctx, (OfficeStatus.ACCEPTED,))

    def office_open(self, ctx: EventContext[TicketFacts]) -> None:
        """The office holds the ticket (pending or accepted)."""
        _office_in(ctx, (OfficeStatus.PENDING, OfficeStatus.ACCEPTED))

    @guard("其他承办部门均已办结", "every other back office has finished")
    def last_office(self, ctx: EventContext[TicketFacts]) -> bool:
        """After this office finishes, every office has finished (后台协同办理)."""
        office = ctx.data.get("office")
        return all(
            status == OfficeStatus.FINISHED.value
            for name, status in ctx.facts.offices.items()
            if name != office
        )

    def overdue(self, ctx: EventContext[TicketFacts]) -> None:
        """Escalation (督办) is for a ticket past its time limit."""
        clock = _workflow(ctx).clock_of(ctx.facts, ctx.at)
        if clock is not None and not clock.overdue:
            raise Refusal(
                reason(
                    f"尚未超期（期限 {clock.deadline.to_date_string()}，剩余 "
                    f"{clock.working_days_left} 个工作日），不能督办",
                    f"not overdue (deadline {clock.deadline.to_date_string()}, "
                    f"working days left: {clock.working_days_left}): no escalation",
                )
            )

    def consultation(self, ctx: EventContext[TicketFacts]) -> None:
        """Only a consultation is answered at the window without the back offices."""
        if ctx.facts.kind != TicketKind.CONSULTATION.value:
            raise Refusal(
                reason(
                    "只有咨询类事项可由前台直接答复",
                    "only a consultation is answered at the window without dispatch",
                )
            )

    def rating_given(self, ctx: EventContext[TicketFacts]) -> None:
        """The rating is one of the satisfaction levels (§4.7)."""
        try:
            Satisfaction(str(ctx.data.get("satisfaction")))
        except ValueError:
            raise Refusal(
                reason(
                    "须给出满意度：满意、基本满意或不满意",
                    f"satisfaction: one of {[s.value for s in Satisfaction]}",
                )
            ) from None

    def dissatisfied(self, ctx: EventContext[TicketFacts]) -> None:
        """Only a dissatisfied rating reopens a ticket."""
        if ctx.facts.satisfaction != Satisfaction.DISSATISFIED.value:
            raise Refusal(
                reason("群众评价为不满意才能重办", "only a dissatisfied rating reopens a ticket")
            )


def _workflow(ctx: EventContext[Any]) -> TicketWorkflow:
    wf = ctx.workflow
    assert isinstance(wf, TicketWorkflow)
    return wf


def _office_in(ctx: EventContext[TicketFacts], allowed: Sequence[OfficeStatus]) -> None:
    office = ctx.data.get("office")
    status = ctx.facts.offices.get(office) if isinstance(office, str) else None
    if status not in {s.value for s in allowed}:
        now = "未分派" if status is None else OfficeStatus(status).label_zh
        now_en = "not dispatched" if status is None else status
        raise Refusal(
            reason(
                f"部门 {office} 当前为“{now}”，此操作需“"
                + "或".join(s.label_zh for s in allowed)
                + "”",
                f"office {office!r} is {now_en}; this needs "
                + " or ".join(s.value for s in allowed),
            )
        )


# --- facts and the workflow ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class TicketFacts:
    """What the trail of a ticket says so far.

    Attributes:
        service_code: the service.
        kind: consultation, handling or complaint.
        channel: how it arrived.
        received_at: when it was received (the clock starts the next day).
        time_limit_working_days: the limit in force when it was received.
        offices: back office → :class:`OfficeStatus` value.
        pauses: ``(start, end)`` of each wait for materials; ``end`` is ``None`` while
            waiting.
        escalations: how many times it was escalated.
        handled_at: when the last office finished (the clock stops).
        satisfaction: the latest rating.
        reopened: how many times it was reopened.
    """

    service_code: str | None = None
    kind: str | None = None
    channel: str | None = None
    received_at: pendulum.DateTime | None = None
    time_limit_working_days: int | None = None
    offices: Mapping[str, str] = attrs.field(factory=dict, converter=read_only)
    pauses: tuple[Pause, ...] = ()
    escalations: int = 0
    handled_at: pendulum.DateTime | None = None
    satisfaction: str | None = None
    reopened: int = 0


def ticket_data(ticket: ServiceTicket) -> dict[str, Any]:
    """The ``receive`` data of a ticket, without personal data (no names, numbers, summary)."""
    return {
        "service_code": ticket.service_code,
        "kind": ticket.kind.value,
        "channel": ticket.channel.value,
        "community_code": ticket.community_code,
        "departments": [d.value for d in ticket.departments],
    }


class TicketWorkflow(Workflow[TicketFacts]):
    """The one-window service ticket (§3.8, §3.9, §4.7).

    Args:
        catalogue: the host's service catalogue with time limits (see
            :func:`example_catalogue` for an example, not for production).
        calendar: the working-day calendar; defaults to mainland China's official one.
        offices: the back offices a ticket may be dispatched to; defaults to every
            :class:`~sqfw.entities.Department`.
        clock: the time source for events sent without ``at``.

    Events and their data:

    - ``receive``: use :func:`ticket_data` (``service_code``, ``kind``, ``channel``).
    - ``decline``, ``request_materials``, ``office_return``, ``answer``, ``reopen``: a reason.
    - ``dispatch``: ``offices``.
    - ``office_accept``, ``office_finish``, ``office_return``: ``office``.
    - ``rate``: ``satisfaction`` (a :class:`Satisfaction` value).
    """

    name = "service_ticket"
    machine = TicketMachine
    states = TicketState
    events = TicketEvent

    def __init__(
        self,
        *,
        catalogue: ServiceCatalogue,
        calendar: WorkingDayCalendar | None = None,
        offices: Sequence[str | Department] | None = None,
        clock: Callable[[], pendulum.DateTime] | None = None,
    ) -> None:
        super().__init__(clock=clock)
        self.catalogue = catalogue
        self.calendar = calendar if calendar is not None else WorkingDayCalendar()
        chosen = offices if offices is not None else list(Department)
        self.offices: tuple[str, ...] = tuple(str(o) for o in chosen)

    def receive(
        self, record: WorkflowRecord, ticket: ServiceTicket, *, actor: str
    ) -> WorkflowRecord:
        """Receive ``ticket`` at the window, at its ``received_at``."""
        return self.apply(
            record, "receive", actor=actor, at=ticket.received_at, data=ticket_data(ticket)
        )

    def initial_facts(self) -> TicketFacts:
        """A ticket not yet received."""
        return TicketFacts()

    def enrich(self, ctx: EventContext[TicketFacts]) -> Mapping[str, Any]:
        """Keep the time limit in force at receipt, and the catalogue it came from."""
        if ctx.event == "receive":
            spec = self.catalogue.get(str(ctx.data["service_code"]))
            assert spec is not None
            return {
                **ctx.data,
                "time_limit_working_days": spec.time_limit_working_days,
                "catalogue": self.catalogue.name,
            }
        return ctx.data

    def fold(self, facts: TicketFacts, entry: AuditEntry) -> TicketFacts:
        """Fold one audit entry into the ticket's facts."""
        data = entry.data
        event = entry.event
        if event == "receive":
            return attrs.evolve(
                facts,
                service_code=data["service_code"],
                kind=data["kind"],
                channel=data["channel"],
                received_at=entry.at,
                time_limit_working_days=data["time_limit_working_days"],
            )
        if event == "dispatch":
            offices = dict(facts.offices)
            offices.update(dict.fromkeys(data["offices"], OfficeStatus.PENDING.value))
            return attrs.evolve(facts, offices=offices)
        status = {
            "office_accept": OfficeStatus.ACCEPTED,
            "office_finish": OfficeStatus.FINISHED,
            "office_return": OfficeStatus.RETURNED,
        }.get(event)
        if status is not None:
            offices = {**facts.offices, data["office"]: status.value}
            handled = entry.at if entry.target == TicketState.HANDLED.value else None
            return attrs.evolve(facts, offices=offices, handled_at=handled)
        if event == "request_materials":
            return attrs.evolve(facts, pauses=(*facts.pauses, (entry.at, None)))
        if event == "materials_received":
            start, _ = facts.pauses[-1]
            return attrs.evolve(facts, pauses=(*facts.pauses[:-1], (start, entry.at)))
        if event == "escalate":
            return attrs.evolve(facts, escalations=facts.escalations + 1)
        if event == "rate":
            return attrs.evolve(facts, satisfaction=data["satisfaction"])
        if event == "reopen":
            # A reopened ticket is handled again within a fresh time limit.
            return attrs.evolve(
                facts,
                offices={},
                handled_at=None,
                satisfaction=None,
                received_at=entry.at,
                pauses=(),
                reopened=facts.reopened + 1,
            )
        return facts

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The deadline as of the last event; none once handled, while paused, or when the
        calendar cannot count it (a year whose official schedule is unknown)."""
        last = record.last
        if last is None or record.state in self.final_states():
            return None
        try:
            clock = self.clock_of(self.facts(record), last.at)
        except CalendarError:
            return None
        if clock is None or clock.stopped or clock.paused:
            return None
        return clock.deadline

    def holders(self, record: WorkflowRecord) -> tuple[str, ...]:
        """The back offices that hold the ticket (dispatched, not finished or returned)."""
        open_ = (OfficeStatus.PENDING.value, OfficeStatus.ACCEPTED.value)
        return tuple(sorted(o for o, s in self.facts(record).offices.items() if s in open_))

    def clock_at(
        self, record: WorkflowRecord, at: pendulum.DateTime | str | None = None
    ) -> TicketClock | None:
        """The deadline and time left of a ticket at ``at`` (``None`` before it is received).

        Raises:
            CalendarError: the count runs into a year whose official schedule is unknown
                and the calendar does not accept estimates.
        """
        when = as_datetime(at) if at is not None else self._when(None)
        return self.clock_of(self.facts(record), when)

    def clock_of(self, facts: TicketFacts, at: pendulum.DateTime) -> TicketClock | None:
        """The clock of already-folded facts at ``at`` (see :meth:`clock_at`)."""
        if facts.received_at is None or facts.time_limit_working_days is None:
            return None
        return ticket_clock(
            self.calendar,
            received_at=facts.received_at,
            time_limit_working_days=facts.time_limit_working_days,
            pauses=facts.pauses,
            handled_at=facts.handled_at,
            at=at,
        )
