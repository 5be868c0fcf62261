"""Grid events (网格事件): what a grid worker finds on patrol, to the one window and back.

Practice divides a community into grids whose workers patrol, report and follow events
(REQUIREMENTS, "Below the community"; §3.5). An event found on patrol is reported,
verified, then handled on the spot or escalated; an escalated event is dispatched into a
one-window service ticket (§3.8: 前台一口受理、后台协同办理), which the back offices handle
in the ticket's own workflow (:mod:`sqfw.workflows.ticket`); once the ticket is handled the
event is done, and every event is checked before it closes::

    new → reported (巡查发现) → verified (核实) → handled (就地处置) ──────────────→ closed (核查)
               └→ dismissed (核实不属实)   └→ escalated (上报) → dispatched (转办工单)
                                                                 → done (办结) → closed (核查)

A check that fails sends the event back (核查不合格): a handled event to be handled
again, a done event to be escalated into a new ticket.

The event and its ticket are linked both ways: the event's ``dispatch`` names the ticket,
the ticket's ``receive`` names the event (:func:`escalate_to_ticket` checks both before
applying either); :func:`complete_from_ticket` closes the loop only when the ticket the
event names names the event back and has been handled.

Time limits — hours to verify, to handle or escalate, to check — are local rules: no
source in our reach fixes them, so they are parameters (``grid_event.*``) read into
:class:`GridEventRules` by :func:`grid_event_rules`, and the bundled values
(:func:`~sqfw.workflows.local_examples.example_local_standards`) are an example. The limits
in force are copied into the trail when the event is reported, so a later change of the
rules never changes how a running event is judged.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect
from sqfw.entities.divisions import DivisionLevel, contains, division_level
from sqfw.entities.grid import Building, Grid
from sqfw.entities.ticket import ServiceTicket
from sqfw.errors import InvalidArgumentError, InvalidEntityError, TransitionRefused
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date
from sqfw.standards import Standards
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry, WorkflowRecord
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine
from sqfw.workflows.ticket import TicketState, TicketWorkflow, ticket_data

__all__ = [
    "RULE_PARAMETERS",
    "GridEventEvent",
    "GridEventFacts",
    "GridEventMachine",
    "GridEventRules",
    "GridEventState",
    "GridEventWorkflow",
    "complete_from_ticket",
    "escalate_to_ticket",
    "grid_event_rules",
    "report_data",
]

RULE_PARAMETERS: Final[Mapping[str, str]] = {
    "verify_hours": "grid_event.verify_hours",
    "dispose_hours": "grid_event.dispose_hours",
    "review_hours": "grid_event.review_hours",
}
"""Each time limit of a host's grid rules and the parameter id it is read from."""

_MAX_HOURS: Final = 24 * 366
_UNIT_CODE: Final = re.compile(r"[0-9]{13,20}")
_IDENT: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CATEGORY_LIMIT: Final = 100
#: Ticket states in which the back offices have finished (the lead office handled it).
_TICKET_HANDLED: Final = frozenset(
    {
        TicketState.HANDLED.value,
        TicketState.ANSWERED.value,
        TicketState.RATED.value,
        TicketState.RECTIFYING.value,
        TicketState.RECTIFIED.value,
        TicketState.CLOSED.value,
    }
)


def _hours(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_HOURS:
        raise InvalidEntityError(
            type(instance).__name__, attribute.name, value, f"whole hours from 1 to {_MAX_HOURS}"
        )


@attrs.frozen(kw_only=True)
class GridEventRules:
    """A county's or street's time limits for grid events, in clock hours.

    Attributes:
        verify_hours: from the report to its verification (核实).
        dispose_hours: from verification to handling on the spot or escalation.
        review_hours: from handling (on the spot, or the ticket done) to the check (核查).
        source: where the values come from (each parameter with its citation).
        is_example: any value is an example (the bundled set), not a host's rule.

    Raises:
        InvalidEntityError: a limit that is not a whole number of hours from 1 to 8,784.

    .. versionadded:: 0.1.0
    """

    verify_hours: int = attrs.field(validator=_hours)
    dispose_hours: int = attrs.field(validator=_hours)
    review_hours: int = attrs.field(validator=_hours)
    source: str = "host"
    is_example: bool = False

    def as_data(self) -> dict[str, Any]:
        """The limits as JSON-plain data, as the trail keeps them."""
        return {
            "verify_hours": self.verify_hours,
            "dispose_hours": self.dispose_hours,
            "review_hours": self.review_hours,
            "rules_example": self.is_example,
        }


def grid_event_rules(*, standards: Standards, on: pendulum.Date | str) -> GridEventRules:
    """A host's grid-event limits read from ``standards`` on ``on``.

    Args:
        standards: a set with the ``grid_event.*`` parameters (:data:`RULE_PARAMETERS`),
            e.g. the plan's standards extended with the host's own, or with
            :func:`~sqfw.workflows.local_examples.example_local_standards` (an example).
        on: the date the rules are read for.

    Returns:
        The limits, their source, and whether any of them is an example (assumption).

    Raises:
        ParameterNotFoundError: the standards lack a ``grid_event.*`` parameter.
        NotInForceError: one has no value on ``on``.

    .. versionadded:: 0.1.0
    """
    expect("standards", standards, Standards)
    looked = {name: standards.lookup(pid, on) for name, pid in RULE_PARAMETERS.items()}
    return GridEventRules(
        verify_hours=int(looked["verify_hours"].value),
        dispose_hours=int(looked["dispose_hours"].value),
        review_hours=int(looked["review_hours"].value),
        source="; ".join(v.describe() for v in looked.values()),
        is_example=any(v.assumption for v in looked.values()),
    )


class GridEventState(LabeledEnum):
    """States of a grid event."""

    NEW = "new"
    REPORTED = "reported"
    DISMISSED = "dismissed"
    VERIFIED = "verified"
    HANDLED = "handled"
    ESCALATED = "escalated"
    DISPATCHED = "dispatched"
    DONE = "done"
    CLOSED = "closed"

    __labels__ = {
        "new": ("待上报", "new"),
        "reported": ("巡查发现已上报", "reported on patrol"),
        "dismissed": ("核实不属实", "dismissed on verification"),
        "verified": ("已核实", "verified"),
        "handled": ("已就地处置", "handled on the spot"),
        "escalated": ("已上报待转办", "escalated"),
        "dispatched": ("已转入一口受理工单", "dispatched into a one-window ticket"),
        "done": ("已办结", "done"),
        "closed": ("已核查结案", "checked and closed"),
    }


class GridEventEvent(LabeledEnum):
    """Events of a grid event."""

    REPORT = "report"
    VERIFY = "verify"
    DISMISS = "dismiss"
    HANDLE_ON_SPOT = "handle_on_spot"
    ESCALATE = "escalate"
    DISPATCH = "dispatch"
    COMPLETE = "complete"
    REVIEW = "review"
    SEND_BACK = "send_back"

    __labels__ = {
        "report": ("巡查发现上报", "report what was found on patrol"),
        "verify": ("核实", "verify"),
        "dismiss": ("核实不属实", "dismiss as unfounded"),
        "handle_on_spot": ("就地处置", "handle on the spot"),
        "escalate": ("上报", "escalate"),
        "dispatch": ("转入一口受理工单", "dispatch into a one-window ticket"),
        "complete": ("工单办结", "done: the ticket was handled"),
        "review": ("核查通过结案", "check and close"),
        "send_back": ("核查不合格退回", "check failed: send back"),
    }


def _is_unit_code(value: object) -> bool:
    return isinstance(value, str) and bool(_UNIT_CODE.fullmatch(value)) and value.isascii()


def _community_of(grid_code: str) -> str | None:
    """The community code a grid code extends, or ``None`` if it is not one."""
    head = grid_code[:12]
    try:
        level = division_level(head)
    except ValueError:
        return None
    return head if level is DivisionLevel.VILLAGE else None


def _shown(value: object) -> str:
    return repr(value)[:40]


class GridEventMachine(WorkflowMachine):
    """A grid event as a python-statemachine definition."""

    s = States.from_enum(
        GridEventState,
        initial=GridEventState.NEW,
        final={GridEventState.DISMISSED, GridEventState.CLOSED},
    )

    report = s.NEW.to(s.REPORTED, validators="report_complete")
    verify = s.REPORTED.to(s.VERIFIED)
    dismiss = s.REPORTED.to(s.DISMISSED, validators="needs_reason")
    handle_on_spot = s.VERIFIED.to(s.HANDLED, validators="needs_reason")
    escalate = s.VERIFIED.to(s.ESCALATED, validators="needs_reason")
    dispatch = s.ESCALATED.to(s.DISPATCHED, validators="ticket_named")
    complete = s.DISPATCHED.to(s.DONE, validators=["same_ticket", "ticket_handled"])
    review = s.HANDLED.to(s.CLOSED) | s.DONE.to(s.CLOSED)
    send_back = s.HANDLED.to(s.VERIFIED, validators="needs_reason") | s.DONE.to(
        s.ESCALATED, validators="needs_reason"
    )

    def report_complete(self, ctx: EventContext[GridEventFacts]) -> None:
        """The report names a grid of a community, what was found, who found it, and (if
        given) a building of the same community."""
        problems: list[str] = []
        grid = ctx.data.get("grid_code")
        community = _community_of(grid) if isinstance(grid, str) and _is_unit_code(grid) else None
        if community is None:
            problems.append(
                reason(
                    f"网格代码须为社区代码加网格序号（13–20 位数字），收到 {_shown(grid)}",
                    "grid_code: a community's 12-digit code and the grid's serial "
                    f"(13–20 digits), got {_shown(grid)}",
                )
            )
        category = ctx.data.get("category")
        if not isinstance(category, str) or not category.strip() or len(category) > _CATEGORY_LIMIT:
            problems.append(
                reason(
                    f"须写明事件类别（不超过 {_CATEGORY_LIMIT} 字）",
                    f"category: non-blank text of at most {_CATEGORY_LIMIT} characters",
                )
            )
        found_by = ctx.data.get("found_by")
        if not isinstance(found_by, str) or not _IDENT.fullmatch(found_by):
            problems.append(
                reason(
                    f"须注明发现的网格员编号，收到 {_shown(found_by)}",
                    f"found_by: the grid worker's identifier, got {_shown(found_by)}",
                )
            )
        building = ctx.data.get("building_code")
        if building is not None and (
            not _is_unit_code(building)
            or community is None
            or not str(building).startswith(community)
        ):
            problems.append(
                reason(
                    f"楼栋代码须属于同一社区（{community}），收到 {_shown(building)}",
                    f"building_code: a building of the same community ({community}), "
                    f"got {_shown(building)}",
                )
            )
        if problems:
            raise Refusal(*problems)

    def ticket_named(self, ctx: EventContext[GridEventFacts]) -> None:
        """A dispatch names the ticket it became, one not named before."""
        ticket = ctx.data.get("ticket")
        if not isinstance(ticket, str) or not _IDENT.fullmatch(ticket):
            raise Refusal(
                reason(
                    f"须注明转入的工单编号，收到 {_shown(ticket)}",
                    f"ticket: the one-window ticket's id, got {_shown(ticket)}",
                )
            )
        if ticket in ctx.facts.tickets:
            raise Refusal(
                reason(
                    f"工单 {ticket} 已转办过此事件",
                    f"the ticket {ticket!r} was already dispatched for this event",
                )
            )

    def same_ticket(self, ctx: EventContext[GridEventFacts]) -> None:
        """The ticket that is done is the one the event was dispatched into."""
        ticket = ctx.data.get("ticket")
        if ticket != ctx.facts.ticket:
            raise Refusal(
                reason(
                    f"办结的工单须为转入的工单 {ctx.facts.ticket}，收到 {_shown(ticket)}",
                    f"ticket: the ticket it was dispatched into ({ctx.facts.ticket!r}), "
                    f"got {_shown(ticket)}",
                )
            )

    def ticket_handled(self, ctx: EventContext[GridEventFacts]) -> None:
        """The ticket's back offices have handled it (use :func:`complete_from_ticket`)."""
        state = ctx.data.get("ticket_state")
        if state not in _TICKET_HANDLED:
            raise Refusal(
                reason(
                    f"工单尚未办结（状态 {_shown(state)}）",
                    f"ticket_state: the ticket must be handled, got {_shown(state)}",
                )
            )


@attrs.frozen(kw_only=True)
class GridEventFacts:
    """What the trail of a grid event says so far.

    Attributes:
        grid_code: the grid it was found in.
        community_code: the grid's community.
        category: what was found (a host's category, e.g. ``"环境卫生"``).
        found_by: the grid worker who reported it.
        building_code: the building it concerns, if any.
        reported_at: when it was reported.
        verified_at: when it was first verified.
        disposed_at: when it was first handled on the spot or escalated.
        handled_at: when it was last handled (on the spot, or its ticket done).
        closed_at: when it was checked and closed.
        tickets: every ticket it was dispatched into, in order.
        ticket: the ticket it is in now.
        sent_back: how many times a check sent it back.
        verify_hours: the verification limit in force when it was reported.
        dispose_hours: the handling-or-escalation limit in force.
        review_hours: the check limit in force.
        rules_example: those limits were an example set, not a host's rules.
    """

    grid_code: str | None = None
    community_code: str | None = None
    category: str | None = None
    found_by: str | None = None
    building_code: str | None = None
    reported_at: pendulum.DateTime | None = None
    verified_at: pendulum.DateTime | None = None
    disposed_at: pendulum.DateTime | None = None
    handled_at: pendulum.DateTime | None = None
    closed_at: pendulum.DateTime | None = None
    tickets: tuple[str, ...] = ()
    ticket: str | None = None
    sent_back: int = 0
    verify_hours: int | None = None
    dispose_hours: int | None = None
    review_hours: int | None = None
    rules_example: bool = False

    def within_limits(self) -> bool | None:
        """Whether the event was verified and then handled or escalated within its limits.

        ``None`` until it has been handled on the spot or its ticket is done. Exactly the
        limit is within it.
        """
        if (
            self.handled_at is None
            or self.reported_at is None
            or self.verified_at is None
            or self.disposed_at is None
            or self.verify_hours is None
            or self.dispose_hours is None
        ):
            return None
        verified_in = self.verified_at - self.reported_at
        disposed_in = self.disposed_at - self.verified_at
        return verified_in <= pendulum.duration(
            hours=self.verify_hours
        ) and disposed_in <= pendulum.duration(hours=self.dispose_hours)


class GridEventWorkflow(Workflow[GridEventFacts]):
    """A grid event (网格事件): patrol, verification, handling or a one-window ticket, check.

    Args:
        rules: the host's time limits (:func:`grid_event_rules`).
        clock: the time source for events sent without ``at``.

    Events and their data:

    - ``report``: ``grid_code``, ``category``, ``found_by`` and ``building_code``
      (optional; use :func:`report_data`); the limits in force are added to the trail.
    - ``dismiss``, ``handle_on_spot``, ``escalate``, ``send_back``: a reason (what was
      found, what was done, why it goes up, what the check found).
    - ``dispatch``: ``ticket`` (use :func:`escalate_to_ticket`).
    - ``complete``: ``ticket`` and ``ticket_state`` (use :func:`complete_from_ticket`).
    """

    name = "grid_event"
    machine = GridEventMachine
    states = GridEventState
    events = GridEventEvent
    event_data = {
        "report": (
            key("grid_code", "text", "网格代码", "the grid's code"),
            key("category", "text", "事件类别", "what was found"),
            key("found_by", "text", "发现的网格员编号", "the grid worker who found it"),
            key("building_code", "text", "楼栋代码", "the building", required=False),
        ),
        "verify": (),
        "dismiss": (),
        "handle_on_spot": (),
        "escalate": (),
        "dispatch": (key("ticket", "text", "转入的工单编号", "the one-window ticket's id"),),
        "complete": (
            key("ticket", "text", "办结的工单编号", "the ticket's id"),
            key("ticket_state", "text", "工单状态", "the ticket's state"),
            key(
                "ticket_handled_at",
                "text",
                "工单办结时间",
                "when the ticket was handled",
                required=False,
            ),
        ),
        "review": (),
        "send_back": (),
    }

    def __init__(
        self,
        *,
        rules: GridEventRules,
        clock: Callable[[], pendulum.DateTime] | None = None,
    ) -> None:
        super().__init__(clock=clock)
        if not isinstance(rules, GridEventRules):
            raise InvalidArgumentError("rules", rules, "GridEventRules (see grid_event_rules)")
        self.rules = rules

    def initial_facts(self) -> GridEventFacts:
        """An event not yet reported."""
        return GridEventFacts()

    def enrich(self, ctx: EventContext[GridEventFacts]) -> Mapping[str, Any]:
        """Keep in the trail the limits in force when the event was reported."""
        if ctx.event == "report":
            return {**ctx.data, **self.rules.as_data()}
        return ctx.data

    def fold(self, facts: GridEventFacts, entry: AuditEntry) -> GridEventFacts:
        """Fold one audit entry into the event's facts."""
        data, at, event = entry.data, entry.at, entry.event
        if event == "report":
            grid = str(data["grid_code"])
            return attrs.evolve(
                facts,
                grid_code=grid,
                community_code=grid[:12],
                category=data["category"],
                found_by=data["found_by"],
                building_code=data.get("building_code"),
                reported_at=at,
                verify_hours=data.get("verify_hours"),
                dispose_hours=data.get("dispose_hours"),
                review_hours=data.get("review_hours"),
                rules_example=bool(data.get("rules_example", False)),
            )
        if event == "verify":
            return attrs.evolve(facts, verified_at=facts.verified_at or at)
        if event in ("handle_on_spot", "escalate"):
            handled = at if event == "handle_on_spot" else facts.handled_at
            return attrs.evolve(facts, disposed_at=facts.disposed_at or at, handled_at=handled)
        if event == "dispatch":
            ticket = str(data["ticket"])
            return attrs.evolve(facts, tickets=(*facts.tickets, ticket), ticket=ticket)
        if event == "complete":
            return attrs.evolve(facts, handled_at=at)
        if event == "review":
            return attrs.evolve(facts, closed_at=at)
        if event == "send_back":
            return attrs.evolve(facts, sent_back=facts.sent_back + 1, handled_at=None)
        return facts

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The deadline of the step the event waits for; none while a ticket holds it
        (the ticket's own deadline runs) and once it is closed."""
        facts = self.facts(record)
        last = record.last
        if last is None:
            return None
        limit = {
            GridEventState.REPORTED.value: facts.verify_hours,
            GridEventState.VERIFIED.value: facts.dispose_hours,
            GridEventState.HANDLED.value: facts.review_hours,
            GridEventState.DONE.value: facts.review_hours,
        }.get(record.state)
        return None if limit is None else last.at.add(hours=limit)

    def holders(self, record: WorkflowRecord) -> tuple[str, ...]:
        """The grid that holds the event until it is closed, as ``grid:<code>``."""
        facts = self.facts(record)
        if facts.grid_code is None or record.state in self.final_states():
            return ()
        return (f"grid:{facts.grid_code}",)

    def topic(self, record: WorkflowRecord) -> str | None:
        """The event's category, for a work list by topic."""
        return self.facts(record).category


def report_data(
    grid: Grid,
    *,
    found_by: str,
    category: str,
    on: pendulum.Date | str,
    building: Building | None = None,
) -> dict[str, Any]:
    """The ``report`` data of an event found in ``grid``, checked against the grid.

    Args:
        grid: the grid it was found in.
        found_by: the id of a grid worker assigned to ``grid`` on ``on``.
        category: what was found (the host's category).
        on: the day of the patrol.
        building: the building it concerns, if any: one of the grid's community, lying
            in ``grid`` or in no grid.

    Returns:
        ``{"grid_code", "category", "found_by"[, "building_code"]}``, without personal
        data (the worker by id, never by name).

    Raises:
        InvalidArgumentError: ``found_by`` is not assigned to the grid that day, or the
            building lies in another community or another grid.

    .. versionadded:: 0.1.0
    """
    expect("grid", grid, Grid)
    day = as_date(on)
    assigned = [w.id for w in grid.workers_on(day)]
    if found_by not in assigned:
        raise InvalidArgumentError(
            "found_by",
            found_by,
            f"a grid worker of {grid.code} on {day}: " + (", ".join(assigned) or "none"),
        )
    data: dict[str, Any] = {"grid_code": grid.code, "category": category, "found_by": found_by}
    if building is not None:
        expect("building", building, Building)
        if building.community_code != grid.community_code or building.grid_code not in (
            None,
            grid.code,
        ):
            raise InvalidArgumentError(
                "building",
                building.code,
                f"a building of {grid.community_code} in the grid {grid.code} or in none",
            )
        data["building_code"] = building.code
    return data


def _refused(wf: Workflow[Any], record: WorkflowRecord, event: str, zh: str, en: str) -> None:
    raise TransitionRefused(wf.name, event, record.state, [reason(zh, en)])


def _check(wf: Workflow[Any], record: WorkflowRecord, event: str, **kwargs: Any) -> None:
    reasons = wf.check(record, event, **kwargs)
    if reasons:
        raise TransitionRefused(wf.name, event, record.state, reasons)


def _arguments(events: object, event: object, tickets: object) -> None:
    expect("events", events, GridEventWorkflow)
    expect("event", event, WorkflowRecord)
    expect("tickets", tickets, TicketWorkflow)


def escalate_to_ticket(
    events: GridEventWorkflow,
    event: WorkflowRecord,
    tickets: TicketWorkflow,
    ticket: ServiceTicket,
    *,
    actor: str,
    window_actor: str | None = None,
) -> tuple[WorkflowRecord, WorkflowRecord]:
    """Dispatch an escalated event into a new one-window ticket, linked both ways.

    The event's ``dispatch`` names the ticket; the ticket's ``receive`` (at
    ``ticket.received_at``) carries :func:`~sqfw.workflows.ticket.ticket_data` and names
    the event (``grid_event``). Both are checked before either is applied.

    Args:
        events: the grid-event workflow.
        event: the escalated event's record.
        tickets: the one-window ticket workflow (its catalogue decides the ticket's limits).
        ticket: the ticket the window accepts; its id is the new record's id, and its
            community must contain the event's grid.
        actor: who dispatches the event.
        window_actor: who receives the ticket at the window (default: ``actor``).

    Returns:
        The event (state ``dispatched``) and the new ticket record (``received``), to save.

    Raises:
        TransitionRefused: either event is refused, or the ticket's community does not
            contain the grid; neither record is changed.

    .. versionadded:: 0.1.0
    """
    _arguments(events, event, tickets)
    expect("ticket", ticket, ServiceTicket)
    facts = events.facts(event)
    if facts.community_code is not None and not contains(
        ticket.community_code, facts.community_code
    ):
        _refused(
            events,
            event,
            "dispatch",
            f"工单受理社区 {ticket.community_code} 不含事件所在网格 {facts.grid_code}",
            f"the ticket's community {ticket.community_code} does not contain the event's "
            f"grid {facts.grid_code}",
        )
    at = ticket.received_at
    into = {"ticket": ticket.id}
    received = {**ticket_data(ticket), "grid_event": event.record_id}
    new = tickets.new(ticket.id)
    window = window_actor or actor
    _check(events, event, "dispatch", actor=actor, at=at, data=into)
    _check(tickets, new, "receive", actor=window, at=at, data=received)
    dispatched = events.apply(event, "dispatch", actor=actor, at=at, data=into)
    record = tickets.apply(new, "receive", actor=window, at=at, data=received)
    return dispatched, record


def complete_from_ticket(
    events: GridEventWorkflow,
    event: WorkflowRecord,
    tickets: TicketWorkflow,
    ticket: WorkflowRecord,
    *,
    actor: str,
    at: pendulum.DateTime | None = None,
) -> WorkflowRecord:
    """Mark a dispatched event done once its ticket is handled.

    Args:
        events: the grid-event workflow.
        event: the dispatched event's record.
        tickets: the ticket workflow.
        ticket: the ticket's record, as stored now.
        actor: who records it.
        at: when (default: the workflow's clock).

    Returns:
        The event in state ``done``, its trail naming the ticket, its state and when it
        was handled.

    Raises:
        TransitionRefused: the two records do not name each other, or the ticket is not
            handled yet.

    .. versionadded:: 0.1.0
    """
    _arguments(events, event, tickets)
    expect("ticket", ticket, WorkflowRecord)
    facts = events.facts(event)
    ticket_facts = tickets.facts(ticket)
    if facts.ticket != ticket.record_id or ticket_facts.grid_event != event.record_id:
        _refused(
            events,
            event,
            "complete",
            f"事件 {event.record_id} 与工单 {ticket.record_id} 未互相关联",
            f"the event {event.record_id!r:.80} and the ticket {ticket.record_id!r:.80} do "
            "not name each other",
        )
    data: dict[str, Any] = {"ticket": ticket.record_id, "ticket_state": ticket.state}
    if ticket_facts.handled_at is not None:
        data["ticket_handled_at"] = ticket_facts.handled_at.isoformat()
    return events.apply(event, "complete", actor=actor, at=at, data=data)
