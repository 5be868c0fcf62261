"""The one-window service ticket (§3.8, §3.9, §4.7), run as service platforms run it.

"One front window accepts, the back offices handle together" (前台一口受理、后台协同办理),
in the closed loop of the 12345 hotline: accept, dispatch, handle, reply, supervise,
close, call back, evaluate.

- A request is received at the window through any channel (§3.7) or declined with a
  reason; it is dispatched by the host's :class:`ServiceCatalogue` to a lead office and
  co-handling offices; a matter reserved to functional departments is never dispatched
  to a community.
- An office may object to a dispatch (退单) within the catalogue's objection period, with
  a reason; the dispatcher accepts (the ticket is reassigned, 改派) or refuses (it stays).
  What an accepted objection does to the clock is the catalogue's ``return_clock``.
- Each office has its own deadline; the ticket is handled when the lead office finishes
  after every co-handling office has reported.
- A repeated request is merged into the original (并单): both trails link the other;
  later updates go to the original, and the duplicate closes with its answer (see
  :mod:`sqfw.workflows.duplicates`).
- An overdue ticket is escalated by level (催办 → 督办 → 提级, hours past the deadline
  from the catalogue).
- The resident rates the service once on the five levels of 好差评 (§4.7); a bad rating
  opens a rectification with a call-back deadline and a rectification deadline in
  working days; a review can void a mistaken or malicious rating; one re-rating follows
  the rectification.

Time limits are in working days of the mainland China calendar (:mod:`sqfw.calendar`,
make-up days included) or in clock hours for emergencies; the plan sets none, so they
come from the catalogue. :func:`example_catalogue` is an example, not the plan's and
not any county's.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect, expect_items, named_fields, read_only_mapping
from sqfw.calendar import WorkingDayCalendar
from sqfw.entities.ticket import Channel, Department, ServiceTicket, TicketKind
from sqfw.errors import CalendarError
from sqfw.labels import LabeledEnum
from sqfw.periods import DEFAULT_TZ, as_datetime
from sqfw.workflows._catalogue import (
    CatalogueError,
    EscalationLevel,
    EscalationStep,
    OfficeLevel,
    OfficeSpec,
    ReturnClock,
    ServiceCatalogue,
    ServiceClass,
    ServiceRules,
    ServiceSpec,
    example_catalogue,
    load_catalogue,
)
from sqfw.workflows._chain import HostKey
from sqfw.workflows._clock import Pause, TicketClock, ticket_clock
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry, WorkflowRecord, read_only
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine, guard

_OFFICE = key("office", "text", "部门", "the office")

__all__ = [
    "CatalogueError",
    "EscalationLevel",
    "EscalationStep",
    "OfficeLevel",
    "OfficeSpec",
    "OfficeStatus",
    "ReturnClock",
    "Satisfaction",
    "ServiceCatalogue",
    "ServiceClass",
    "ServiceRules",
    "ServiceSpec",
    "TicketClock",
    "TicketEvent",
    "TicketFacts",
    "TicketMachine",
    "TicketState",
    "TicketWorkflow",
    "VoidGrounds",
    "example_catalogue",
    "load_catalogue",
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
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    MERGED = "merged"
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
        "rectifying": ("差评整改中", "bad rating being rectified"),
        "rectified": ("已整改", "rectified"),
        "merged": ("已并单", "merged into the original"),
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
    RAISE_OBJECTION = "raise_objection"
    ACCEPT_OBJECTION = "accept_objection"
    REFUSE_OBJECTION = "refuse_objection"
    REQUEST_MATERIALS = "request_materials"
    MATERIALS_RECEIVED = "materials_received"
    ESCALATE = "escalate"
    ADD_UPDATE = "add_update"
    LINK_DUPLICATE = "link_duplicate"
    MERGE_INTO = "merge_into"
    CLOSE_AS_DUPLICATE = "close_as_duplicate"
    ANSWER = "answer"
    RATE = "rate"
    CALL_BACK = "call_back"
    RECTIFY = "rectify"
    VOID_RATING = "void_rating"
    REOPEN = "reopen"
    CLOSE = "close"

    __labels__ = {
        "receive": ("前台受理", "receive at the front window"),
        "decline": ("不予受理", "decline"),
        "dispatch": ("分派承办部门", "dispatch to offices"),
        "office_accept": ("部门签收", "an office accepts"),
        "office_finish": ("部门办结（协办部门报告）", "an office finishes (a co-handler reports)"),
        "office_return": ("部门退回", "an office returns it"),
        "raise_objection": ("申请退单", "an office objects to the dispatch"),
        "accept_objection": ("同意退单并改派", "objection accepted: reassigned"),
        "refuse_objection": ("驳回退单", "objection refused: it stays"),
        "request_materials": ("通知补充材料", "request materials"),
        "materials_received": ("材料已补齐", "materials received"),
        "escalate": ("催办督办", "escalate (催办、督办、提级)"),
        "add_update": ("补充诉求", "an update from the resident"),
        "link_duplicate": ("关联重复件", "link a duplicate"),
        "merge_into": ("并单", "merge into the original"),
        "close_as_duplicate": ("随原件办结", "close with the original's answer"),
        "answer": ("答复群众", "answer the resident"),
        "rate": ("群众评价", "the resident rates the service"),
        "call_back": ("差评回访", "call the resident back"),
        "rectify": ("差评整改", "rectify"),
        "void_rating": ("复核作废评价", "void a rating on review"),
        "reopen": ("重新办理", "handle again to rectify"),
        "close": ("关闭", "close"),
    }


class OfficeStatus(LabeledEnum):
    """Where one office is with a ticket."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    OBJECTED = "objected"
    FINISHED = "finished"
    RETURNED = "returned"

    __labels__ = {
        "pending": ("待签收", "pending"),
        "accepted": ("办理中", "handling"),
        "objected": ("申请退单中", "objection under review"),
        "finished": ("已办结", "finished"),
        "returned": ("已退回", "returned"),
    }


class Satisfaction(LabeledEnum):
    """The five levels of 好差评 (国办发〔2019〕51号), 5 to 1; the last two are bad."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"

    __labels__ = {
        "very_satisfied": ("非常满意", "very satisfied"),
        "satisfied": ("满意", "satisfied"),
        "basically_satisfied": ("基本满意", "basically satisfied"),
        "dissatisfied": ("不满意", "dissatisfied"),
        "very_dissatisfied": ("非常不满意", "very dissatisfied"),
    }

    @property
    def score(self) -> int:
        """5 for very satisfied down to 1 for very dissatisfied."""
        return 5 - list(Satisfaction).index(self)

    @property
    def bad(self) -> bool:
        """A bad rating (差评): dissatisfied or very dissatisfied."""
        return self.score <= 2


class VoidGrounds(LabeledEnum):
    """Why a review voids a rating."""

    MISTAKEN = "mistaken"
    MALICIOUS = "malicious"

    __labels__ = {"mistaken": ("误评", "mistaken"), "malicious": ("恶意评价", "malicious")}


_OPEN = (OfficeStatus.PENDING.value, OfficeStatus.ACCEPTED.value, OfficeStatus.OBJECTED.value)
_BEFORE_ANSWER = ("received", "processing", "waiting_materials")


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
        s.HANDLED, cond="is_lead", validators=["office_accepted", "co_handlers_reported"]
    ) | s.PROCESSING.to(s.PROCESSING, validators="office_accepted")
    office_return = s.PROCESSING.to(s.PROCESSING, validators=["needs_reason", "office_open"])
    raise_objection = s.PROCESSING.to(
        s.PROCESSING, validators=["needs_reason", "office_may_object"]
    )
    accept_objection = s.PROCESSING.to(
        s.PROCESSING, validators=["office_objected", "reassignment_valid"]
    )
    refuse_objection = s.PROCESSING.to(s.PROCESSING, validators=["needs_reason", "office_objected"])
    request_materials = s.PROCESSING.to(s.WAITING_MATERIALS, validators="needs_reason")
    materials_received = s.WAITING_MATERIALS.to(s.PROCESSING)
    escalate = (
        s.RECEIVED.to(s.RECEIVED, validators="overdue")
        | s.PROCESSING.to(s.PROCESSING, validators="overdue")
        | s.WAITING_MATERIALS.to(s.WAITING_MATERIALS, validators="overdue")
    )
    add_update = (
        s.RECEIVED.to(s.RECEIVED, validators="needs_reason")
        | s.PROCESSING.to(s.PROCESSING, validators="needs_reason")
        | s.WAITING_MATERIALS.to(s.WAITING_MATERIALS, validators="needs_reason")
        | s.HANDLED.to(s.HANDLED, validators="needs_reason")
        | s.ANSWERED.to(s.ANSWERED, validators="needs_reason")
        | s.MERGED.to(s.MERGED, validators="send_to_original")
    )
    link_duplicate = (
        s.RECEIVED.to(s.RECEIVED, validators="duplicate_named")
        | s.PROCESSING.to(s.PROCESSING, validators="duplicate_named")
        | s.WAITING_MATERIALS.to(s.WAITING_MATERIALS, validators="duplicate_named")
        | s.HANDLED.to(s.HANDLED, validators="duplicate_named")
        | s.ANSWERED.to(s.ANSWERED, validators="duplicate_named")
    )
    merge_into = (
        s.RECEIVED.to(s.MERGED, validators="original_named")
        | s.PROCESSING.to(s.MERGED, validators="original_named")
        | s.WAITING_MATERIALS.to(s.MERGED, validators="original_named")
    )
    close_as_duplicate = s.MERGED.to(s.CLOSED, validators="original_answer")
    answer = s.HANDLED.to(s.ANSWERED, validators="needs_reason") | s.RECEIVED.to(
        s.ANSWERED, validators=["needs_reason", "consultation"]
    )
    rate = (
        s.ANSWERED.to(
            s.RECTIFYING,
            cond="opens_rectification",
            validators=["satisfaction_given", "may_rate"],
        )
        | s.ANSWERED.to(s.RATED, validators=["satisfaction_given", "may_rate"])
        | s.RECTIFIED.to(s.RATED, validators=["satisfaction_given", "may_rate"])
    )
    call_back = s.RECTIFYING.to(s.RECTIFYING, validators=["needs_reason", "not_called_back"])
    rectify = s.RECTIFYING.to(s.RECTIFIED, validators="needs_reason")
    void_rating = (
        s.RATED.to(s.RATED, validators=["needs_reason", "rating_to_void", "grounds_given"])
        | s.RECTIFYING.to(s.RATED, validators=["needs_reason", "rating_to_void", "grounds_given"])
        | s.RECTIFIED.to(s.RATED, validators=["needs_reason", "rating_to_void", "grounds_given"])
    )
    reopen = s.RECTIFYING.to(s.RECEIVED, validators="needs_reason")
    close = (
        s.RATED.to(s.CLOSED)
        | s.ANSWERED.to(s.CLOSED, validators="needs_reason")
        | s.RECTIFIED.to(s.CLOSED, validators="needs_reason")
    )

    # --- receipt and dispatch ---

    def service_known(self, ctx: EventContext[TicketFacts]) -> None:
        """The service is in the host's catalogue, the kind and channel are known."""
        wf = _workflow(ctx)
        problems: list[str] = []
        code = ctx.data.get("service_code")
        if not isinstance(code, str) or wf.catalogue.get(code) is None:
            problems.append(
                reason(
                    f"服务事项 {str(code)[:80]!r} 不在服务目录“{wf.catalogue.name}”中",
                    f"service {str(code)[:80]!r} is not in the catalogue {wf.catalogue.name!r}",
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
        """Dispatch names offices of the configured list, each new or returned; a matter
        reserved to functional departments goes to no community; a lead, if named, is
        one of them."""
        offices = ctx.data.get("offices")
        if not isinstance(offices, tuple) or not offices:
            raise Refusal(reason("须指定承办部门", "offices: one or more offices"))
        problems = _office_problems(ctx, offices)
        lead = ctx.data.get("lead")
        if lead is not None and lead not in offices:
            problems.append(
                reason(
                    f"牵头部门 {str(lead)[:80]} 不在分派部门中",
                    f"the lead {str(lead)[:80]!r} is not among the offices dispatched",
                )
            )
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

    @guard("本部门为牵头部门", "this office is the lead office")
    def is_lead(self, ctx: EventContext[TicketFacts]) -> bool:
        """The office finishing is the lead office (牵头单位)."""
        return ctx.facts.lead is not None and ctx.data.get("office") == ctx.facts.lead

    def co_handlers_reported(self, ctx: EventContext[TicketFacts]) -> None:
        """The lead office finishes only after every co-handling office has reported."""
        if ctx.data.get("office") != ctx.facts.lead:
            return
        waiting = sorted(
            o for o, s in ctx.facts.offices.items() if s in _OPEN and o != ctx.facts.lead
        )
        if waiting:
            raise Refusal(
                reason(
                    f"协办部门 {'、'.join(waiting)} 尚未报告办理结果，牵头部门不能办结",
                    f"co-handling offices {waiting} have not reported: the lead cannot finish",
                )
            )

    # --- objection, return and reassignment ---

    def office_may_object(self, ctx: EventContext[TicketFacts]) -> None:
        """The office holds the ticket and objects within the period after its dispatch."""
        _office_in(ctx, (OfficeStatus.PENDING, OfficeStatus.ACCEPTED))
        office = str(ctx.data.get("office"))
        since = ctx.facts.office_since.get(office)
        hours = ctx.facts.objection_hours
        if since is None or hours is None:
            return
        until = since.add(hours=hours)
        if ctx.at > until:
            raise Refusal(
                reason(
                    f"已过退单期限（派单后 {hours} 小时，至 {until.isoformat()}）",
                    f"the objection period ended {until.isoformat()} ({hours} hours "
                    "after the dispatch)",
                )
            )

    def office_objected(self, ctx: EventContext[TicketFacts]) -> None:
        """The office's objection awaits the dispatcher's decision."""
        _office_in(ctx, (OfficeStatus.OBJECTED,))

    def reassignment_valid(self, ctx: EventContext[TicketFacts]) -> None:
        """The offices reassigned to may take it; none only if another office holds it."""
        to = ctx.data.get("reassign_to", ())
        if not isinstance(to, tuple):
            raise Refusal(reason("改派部门须为列表", "reassign_to: a list of offices"))
        office = ctx.data.get("office")
        others = [o for o, s in ctx.facts.offices.items() if s in _OPEN and o != office]
        problems = _office_problems(ctx, to) if to else []
        if not to and not others:
            problems.append(
                reason(
                    "同意退单须改派至其他部门",
                    "accepting the objection needs an office to reassign to",
                )
            )
        if problems:
            raise Refusal(*problems)

    # --- escalation ---

    def overdue(self, ctx: EventContext[TicketFacts]) -> None:
        """Escalation is for a ticket past its deadline, up to the level reached by now."""
        wf = _workflow(ctx)
        clock = wf.clock_of(ctx.facts, ctx.at)
        if clock is None:
            return
        due = wf.escalation_due_of(ctx.facts, ctx.at)
        if due is None:
            left = clock.working_days_left
            raise Refusal(
                reason(
                    f"尚未超期（期限 {clock.deadline.to_datetime_string()}"
                    + ("" if left is None else f"，剩余 {left} 个工作日")
                    + "），不能催办督办",
                    f"not overdue (deadline {clock.deadline.to_datetime_string()}"
                    + ("" if left is None else f", working days left: {left}")
                    + "): no escalation",
                )
            )
        level = ctx.data.get("level")
        if level is None:
            return
        try:
            asked = EscalationLevel(str(level))
        except ValueError:
            raise Refusal(
                reason("督办级别无效", f"level: one of {[e.value for e in EscalationLevel]}")
            ) from None
        if asked.rank > due.rank:
            raise Refusal(
                reason(
                    f"尚未到“{asked.label_zh}”的时间，现为“{due.label_zh}”",
                    f"{asked.value!r} is not due yet; due now: {due.value!r}",
                )
            )

    # --- duplicates ---

    def send_to_original(self, ctx: EventContext[TicketFacts]) -> None:
        """A merged ticket takes no updates: they go to its original."""
        raise Refusal(
            reason(
                f"已并入 {ctx.facts.original}，补充诉求请发往原件",
                f"merged into {ctx.facts.original!r}: send updates to the original",
            )
        )

    def duplicate_named(self, ctx: EventContext[TicketFacts]) -> None:
        """The duplicate is another ticket, not linked yet."""
        dup = ctx.data.get("duplicate")
        if not isinstance(dup, str) or not dup.strip() or dup == ctx.record.record_id:
            raise Refusal(reason("须指明另一张重复工单", "duplicate: the id of another ticket"))
        if dup in ctx.facts.duplicates:
            raise Refusal(reason(f"{dup[:80]} 已关联", f"{dup[:80]!r} is already linked"))

    def original_named(self, ctx: EventContext[TicketFacts]) -> None:
        """The original is another ticket."""
        original = ctx.data.get("original")
        if not isinstance(original, str) or not original.strip():
            raise Refusal(reason("须指明原工单", "original: the id of the original ticket"))
        if original == ctx.record.record_id:
            raise Refusal(reason("不能并入自身", "a ticket cannot be merged into itself"))

    def original_answer(self, ctx: EventContext[TicketFacts]) -> None:
        """The duplicate closes with its own original's answer."""
        problems = []
        if ctx.data.get("original") != ctx.facts.original:
            problems.append(
                reason(
                    f"原件应为 {ctx.facts.original}",
                    f"original: expected {ctx.facts.original!r}",
                )
            )
        answer = ctx.data.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            problems.append(reason("须附原件答复", "answer: the original's answer"))
        if problems:
            raise Refusal(*problems)

    # --- answer and evaluation ---

    def consultation(self, ctx: EventContext[TicketFacts]) -> None:
        """Only a consultation is answered at the window without the back offices."""
        if ctx.facts.kind != TicketKind.CONSULTATION.value:
            raise Refusal(
                reason(
                    "只有咨询类事项可由前台直接答复",
                    "only a consultation is answered at the window without dispatch",
                )
            )

    # Checks of the record and checks of the data are separate validators, so that
    # allowed_events can tell "refused whatever the data" from "needs the right data".

    def satisfaction_given(self, ctx: EventContext[TicketFacts]) -> None:
        """The rating is one of the five levels."""
        try:
            Satisfaction(str(ctx.data.get("satisfaction")))
        except ValueError:
            raise Refusal(
                reason(
                    "须给出评价：非常满意、满意、基本满意、不满意或非常不满意",
                    f"satisfaction: one of {[s.value for s in Satisfaction]}",
                )
            ) from None

    def may_rate(self, ctx: EventContext[TicketFacts]) -> None:
        """One rating per case, and one re-rating after a rectification."""
        facts = ctx.facts
        if facts.ratings >= 2 or (facts.ratings == 1 and facts.rectified_at is None):
            raise Refusal(
                reason(
                    "每件只评价一次，整改后可再评价一次",
                    "one rating per case, and one re-rating after a rectification",
                )
            )

    @guard("首次评价为差评", "a first rating that is bad")
    def opens_rectification(self, ctx: EventContext[TicketFacts]) -> bool:
        """A bad first rating opens a rectification; a bad re-rating does not."""
        return ctx.facts.ratings == 0 and Satisfaction(str(ctx.data["satisfaction"])).bad

    def not_called_back(self, ctx: EventContext[TicketFacts]) -> None:
        """The resident is called back once per rectification."""
        if ctx.facts.called_back_at is not None:
            raise Refusal(reason("已回访", "already called back"))

    def rating_to_void(self, ctx: EventContext[TicketFacts]) -> None:
        """There is a counted rating to void."""
        if ctx.facts.satisfaction is None:
            raise Refusal(reason("没有可作废的评价", "no rating to void"))

    def grounds_given(self, ctx: EventContext[TicketFacts]) -> None:
        """The grounds are mistaken or malicious."""
        try:
            VoidGrounds(str(ctx.data.get("grounds")))
        except ValueError:
            raise Refusal(
                reason("须说明误评或恶意评价", f"grounds: one of {[g.value for g in VoidGrounds]}")
            ) from None


def _workflow(ctx: EventContext[Any]) -> TicketWorkflow:
    wf = ctx.workflow
    assert isinstance(wf, TicketWorkflow)
    return wf


def _office_problems(ctx: EventContext[TicketFacts], offices: tuple[Any, ...]) -> list[str]:
    """Why these offices cannot be given the ticket (every reason)."""
    wf = _workflow(ctx)
    problems: list[str] = []
    unknown = [str(o)[:80] for o in offices if o not in wf.offices]
    if unknown:
        problems.append(
            reason(
                f"{', '.join(unknown)} 不是可分派的部门",
                f"{unknown} are not among the offices {list(wf.offices)}",
            )
        )
    busy = [
        o for o in offices if ctx.facts.offices.get(o) not in (None, OfficeStatus.RETURNED.value)
    ]
    if busy:
        problems.append(
            reason(f"{', '.join(map(str, busy))} 已在办理", f"{busy} already hold the ticket")
        )
    if len(set(offices)) != len(offices):
        problems.append(reason("部门重复", "an office is listed twice"))
    spec = wf.catalogue.get(ctx.facts.service_code or "")
    if spec is not None and not spec.community_may_handle:
        pushed = [
            o
            for o in offices
            if isinstance(o, str) and wf.catalogue.level_of(o) is OfficeLevel.COMMUNITY
        ]
        if pushed:
            problems.append(
                reason(
                    f"“{spec.label_zh}”属职能部门职责，不得派至社区：{'、'.join(pushed)}",
                    f"{spec.code!r} is reserved to functional departments and may not be "
                    f"pushed down to communities: {pushed}",
                )
            )
    return problems


def _office_in(ctx: EventContext[TicketFacts], allowed: Sequence[OfficeStatus]) -> None:
    office = ctx.data.get("office")
    status = ctx.facts.offices.get(office) if isinstance(office, str) else None
    if status not in {s.value for s in allowed}:
        now = "未分派" if status is None else OfficeStatus(status).label_zh
        now_en = "not dispatched" if status is None else status
        shown = str(office)[:80]
        raise Refusal(
            reason(
                f"部门 {shown} 当前为“{now}”，此操作需“"
                + "或".join(s.label_zh for s in allowed)
                + "”",
                f"office {shown!r} is {now_en}; this needs "
                + " or ".join(s.value for s in allowed),
            )
        )


# --- facts and the workflow ---------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class TicketFacts:
    """What the trail of a ticket says so far.

    Attributes:
        service_code: the service.
        kind: consultation, handling or complaint.
        channel: how it arrived.
        community_code: the community whose window received it.
        received_at: when it was first received.
        clock_start: when its clock started (receipt; a reassignment or a reopening
            with ``restart``).
        time_limit_working_days: the limit in force when it was received (or
        time_limit_hours, for a service limited in hours).
        co_handler_working_days: each co-handling office's own limit.
        objection_hours: the objection period in force when it was received.
        return_clock: what an accepted objection does to the clock.
        offices: office → :class:`OfficeStatus` value.
        lead: the lead office.
        office_since: when each office was given the ticket.
        office_done: when each office finished or reported.
        objections: office → (when it objected, its status before).
        objections_accepted: how many objections were accepted.
        pauses: ``(start, end)`` of each pause; ``end`` is ``None`` while waiting.
        escalations: how many times it was escalated.
        escalation_level: the highest level escalated to.
        handled_at: when the lead office finished (the clock stops).
        answered_at: when the resident was answered.
        answer: the answer given.
        satisfaction: the counted rating (the re-rating after a rectification).
        first_rating: the first rating given (kept when voided).
        ratings: how many ratings were given (voided ones included).
        rating_voided: the counted rating was voided on review.
        rated_at: when the counted rating was given.
        callback_due: the call-back deadline of an open rectification.
        rectify_due: its rectification deadline.
        deadlines_estimated: those two deadlines were counted over a year without an
            official holiday schedule (estimated, see :mod:`sqfw.calendar`).
        called_back_at: when the resident was called back.
        rectified_at: when it was rectified.
        reopened: how many times it was reopened.
        original: the ticket it was merged into.
        duplicates: tickets merged into it.
        updates: updates received (its own and those of its duplicates).
        grid_event: the grid event it came from, when a grid worker's report was
            escalated into it (:mod:`sqfw.workflows.grid_event`).
    """

    service_code: str | None = None
    kind: str | None = None
    channel: str | None = None
    community_code: str | None = None
    received_at: pendulum.DateTime | None = None
    clock_start: pendulum.DateTime | None = None
    time_limit_working_days: int | None = None
    time_limit_hours: int | None = None
    co_handler_working_days: int | None = None
    objection_hours: int | None = None
    return_clock: str | None = None
    offices: Mapping[str, str] = attrs.field(factory=dict, converter=read_only_mapping)
    lead: str | None = None
    office_since: Mapping[str, pendulum.DateTime] = attrs.field(
        factory=dict, converter=read_only_mapping
    )
    office_done: Mapping[str, pendulum.DateTime] = attrs.field(
        factory=dict, converter=read_only_mapping
    )
    objections: Mapping[str, tuple[pendulum.DateTime, str]] = attrs.field(
        factory=dict, converter=read_only_mapping
    )
    objections_accepted: int = 0
    pauses: tuple[Pause, ...] = ()
    escalations: int = 0
    escalation_level: str | None = None
    handled_at: pendulum.DateTime | None = None
    answered_at: pendulum.DateTime | None = None
    answer: str | None = None
    satisfaction: str | None = None
    first_rating: str | None = None
    ratings: int = 0
    rating_voided: bool = False
    rated_at: pendulum.DateTime | None = None
    callback_due: pendulum.DateTime | None = None
    rectify_due: pendulum.DateTime | None = None
    deadlines_estimated: bool = False
    called_back_at: pendulum.DateTime | None = None
    rectified_at: pendulum.DateTime | None = None
    reopened: int = 0
    original: str | None = None
    duplicates: tuple[str, ...] = ()
    updates: int = 0
    grid_event: str | None = None


def ticket_data(ticket: ServiceTicket) -> dict[str, Any]:
    """The ``receive`` data of a ticket, without personal data (no names, numbers, summary)."""
    expect("ticket_data(ticket)", ticket, ServiceTicket)
    return {
        "service_code": ticket.service_code,
        "kind": ticket.kind.value,
        "channel": ticket.channel.value,
        "community_code": ticket.community_code,
        "departments": [d.value for d in ticket.departments],
    }


def _end_of_day(day: pendulum.Date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz=DEFAULT_TZ).end_of("day")


def _at(text: str | None) -> pendulum.DateTime | None:
    return None if text is None else as_datetime(text)


class TicketWorkflow(Workflow[TicketFacts]):
    """The one-window service ticket (§3.8, §3.9, §4.7).

    Args:
        catalogue: the host's dispatch catalogue with time limits and rules (see
            :func:`example_catalogue` for an example, not for production).
        calendar: the working-day calendar; defaults to mainland China's official one.
        offices: the offices a ticket may be dispatched to; defaults to the catalogue's
            offices, or every :class:`~sqfw.entities.Department` when it lists none.
        clock: the time source for events sent without ``at``.
        key: the host key that signs every entry (see :class:`~sqfw.workflows.Workflow`).

    Events and their data:

    - ``receive``: use :func:`ticket_data` (``service_code``, ``kind``, ``channel``);
      ``grid_event`` names the grid event it came from (see
      :func:`sqfw.workflows.grid_event.escalate_to_ticket`).
    - ``decline``, ``request_materials``, ``office_return``, ``answer``, ``reopen``,
      ``refuse_objection``, ``raise_objection``, ``add_update``, ``call_back``,
      ``rectify``, ``void_rating``: a reason.
    - ``dispatch``: ``offices`` (and ``lead``; the first office by default).
    - ``office_accept``, ``office_finish``, ``office_return``, ``raise_objection``,
      ``refuse_objection``: ``office``; ``accept_objection``: ``office`` and
      ``reassign_to`` (offices).
    - ``escalate``: ``level`` (optional: the level due now).
    - ``link_duplicate``: ``duplicate``; ``merge_into``: ``original``;
      ``close_as_duplicate``: ``original`` and ``answer``; ``add_update``: ``via`` (the
      duplicate it came through, optional).
    - ``rate``: ``satisfaction`` (a :class:`Satisfaction` value).
    - ``void_rating``: ``grounds`` (a :class:`VoidGrounds` value).
    """

    name = "service_ticket"
    machine = TicketMachine
    states = TicketState
    events = TicketEvent
    event_data = {
        "receive": (
            key("service_code", "text", "服务事项代码", "the catalogue's service code"),
            key("kind", "text", "事项类型（办理或咨询）", "handling or consultation"),
            key("channel", "text", "受理渠道", "the channel it came through"),
            key("community_code", "text", "受理社区代码", "the community's code", required=False),
            key(
                "departments",
                "list",
                "窗口建议的部门",
                "back offices the window named",
                required=False,
            ),
            key(
                "grid_event",
                "text",
                "来源网格事件编号",
                "the grid event it came from (sqfw.workflows.grid_event)",
                required=False,
            ),
        ),
        "decline": (),
        "dispatch": (
            key("offices", "list", "承办部门", "the offices it goes to"),
            key(
                "lead",
                "text",
                "牵头部门（默认第一个）",
                "the lead office (default: the first)",
                required=False,
            ),
        ),
        "office_accept": (_OFFICE,),
        "office_finish": (_OFFICE,),
        "office_return": (_OFFICE,),
        "raise_objection": (_OFFICE,),
        "accept_objection": (
            _OFFICE,
            key(
                "reassign_to", "list", "改派部门", "the offices it is reassigned to", required=False
            ),
        ),
        "refuse_objection": (_OFFICE,),
        "request_materials": (),
        "materials_received": (),
        "escalate": (
            key(
                "level",
                "text",
                "督办级别（默认当前应达级别）",
                "the level (default: the one due)",
                required=False,
            ),
        ),
        "add_update": (
            key("via", "text", "经由的重复工单", "the duplicate it came through", required=False),
        ),
        "link_duplicate": (key("duplicate", "text", "重复工单编号", "the duplicate's id"),),
        "merge_into": (key("original", "text", "原工单编号", "the original's id"),),
        "close_as_duplicate": (
            key("original", "text", "原工单编号", "the original's id"),
            key("answer", "text", "原工单的答复", "the original's answer"),
        ),
        "answer": (),
        "rate": (key("satisfaction", "text", "满意度（五级）", "one of the five levels"),),
        "call_back": (),
        "rectify": (),
        "void_rating": (key("grounds", "text", "作废依据（误评或恶意）", "mistaken or malicious"),),
        "reopen": (),
        "close": (),
    }

    def __init__(
        self,
        *,
        catalogue: ServiceCatalogue,
        calendar: WorkingDayCalendar | None = None,
        offices: Sequence[str | Department] | None = None,
        clock: Callable[[], pendulum.DateTime] | None = None,
        key: HostKey | None = None,
    ) -> None:
        super().__init__(clock=clock, key=key)
        self.catalogue = expect("TicketWorkflow(catalogue)", catalogue, ServiceCatalogue)
        if calendar is not None:
            expect("TicketWorkflow(calendar)", calendar, WorkingDayCalendar)
        self.calendar = calendar if calendar is not None else WorkingDayCalendar()
        # the store asks for the deadline and whether it is estimated one after the other
        self._last_due: tuple[tuple[str, str], WorkingDayCalendar, TicketClock | None] | None = None
        if offices is None:
            chosen: Sequence[str | Department] = list(catalogue.offices) or list(Department)
        else:
            chosen = expect_items("TicketWorkflow(offices)", offices, str)
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
        """Keep in the trail what was in force: the limits and rules at receipt, the lead
        at dispatch, and the call-back and rectification deadlines of a bad rating."""
        if ctx.event == "receive":
            spec = self.catalogue.get(str(ctx.data["service_code"]))
            assert spec is not None
            rules = self.catalogue.rules
            return {
                **ctx.data,
                "time_limit_working_days": spec.time_limit_working_days,
                "time_limit_hours": spec.time_limit_hours,
                "co_handler_working_days": spec.co_handler_working_days,
                "service_class": spec.service_class.value,
                "objection_hours": rules.objection_hours,
                "return_clock": rules.return_clock.value,
                "catalogue": self.catalogue.name,
            }
        if ctx.event == "dispatch":
            lead = ctx.data.get("lead")
            if lead is None:
                current = ctx.facts.lead
                open_lead = current is not None and ctx.facts.offices.get(current) in _OPEN
                lead = current if open_lead else ctx.data["offices"][0]
            return {**ctx.data, "lead": lead}
        if ctx.event == "escalate" and ctx.data.get("level") is None:
            return {**ctx.data, "level": self._due_level(ctx.facts, ctx.at)}
        if (
            ctx.event == "rate"
            and ctx.facts.ratings == 0
            and Satisfaction(str(ctx.data["satisfaction"])).bad
        ):
            rules = self.catalogue.rules
            day = ctx.at.in_timezone(DEFAULT_TZ).date()
            callback = self.calendar.add_working_days(day, rules.callback_working_days)
            rectify = self.calendar.add_working_days(day, rules.rectify_working_days)
            # counted over a year without an official holiday schedule: said in the trail
            estimated = self.calendar.estimated_between(day, max(callback, rectify))
            return {
                **ctx.data,
                "callback_due": _end_of_day(callback).isoformat(),
                "rectify_due": _end_of_day(rectify).isoformat(),
                **({"deadlines_estimated": True} if estimated else {}),
            }
        return ctx.data

    def fold(self, facts: TicketFacts, entry: AuditEntry) -> TicketFacts:
        """Fold one audit entry into the ticket's facts."""
        data = entry.data
        event = entry.event
        at = entry.at
        if event == "receive":
            return attrs.evolve(
                facts,
                service_code=data["service_code"],
                kind=data["kind"],
                channel=data["channel"],
                community_code=data.get("community_code"),
                received_at=at,
                clock_start=at,
                time_limit_working_days=data["time_limit_working_days"],
                time_limit_hours=data.get("time_limit_hours"),
                co_handler_working_days=data.get("co_handler_working_days"),
                objection_hours=data.get("objection_hours"),
                return_clock=data.get("return_clock"),
                grid_event=data.get("grid_event", facts.grid_event),
            )
        if event == "dispatch":
            return attrs.evolve(
                facts,
                offices={
                    **facts.offices,
                    **dict.fromkeys(data["offices"], OfficeStatus.PENDING.value),
                },
                office_since={**facts.office_since, **dict.fromkeys(data["offices"], at)},
                lead=data["lead"],
            )
        if event in ("office_accept", "office_finish", "office_return"):
            office = data["office"]
            status = {
                "office_accept": OfficeStatus.ACCEPTED,
                "office_finish": OfficeStatus.FINISHED,
                "office_return": OfficeStatus.RETURNED,
            }[event]
            done = dict(facts.office_done)
            if event == "office_finish":
                done[office] = at
            handled = at if entry.target == TicketState.HANDLED.value else facts.handled_at
            lead = None if event == "office_return" and office == facts.lead else facts.lead
            return attrs.evolve(
                facts,
                offices={**facts.offices, office: status.value},
                office_done=done,
                handled_at=handled,
                lead=lead,
            )
        if event == "raise_objection":
            office = data["office"]
            return attrs.evolve(
                facts,
                offices={**facts.offices, office: OfficeStatus.OBJECTED.value},
                objections={**facts.objections, office: (at, facts.offices[office])},
            )
        if event == "refuse_objection":
            office = data["office"]
            objections = dict(facts.objections)
            _, before = objections.pop(office)
            return attrs.evolve(
                facts, offices={**facts.offices, office: before}, objections=objections
            )
        if event == "accept_objection":
            return self._reassigned(facts, entry)
        if event == "request_materials":
            return attrs.evolve(facts, pauses=(*facts.pauses, (at, None)))
        if event == "materials_received":
            start, _ = facts.pauses[-1]
            return attrs.evolve(facts, pauses=(*facts.pauses[:-1], (start, at)))
        if event == "escalate":
            level = data.get("level")
            top = facts.escalation_level
            if level is not None and (
                top is None or EscalationLevel(level).rank > EscalationLevel(top).rank
            ):
                top = level
            return attrs.evolve(facts, escalations=facts.escalations + 1, escalation_level=top)
        if event == "add_update":
            return attrs.evolve(facts, updates=facts.updates + 1)
        if event == "link_duplicate":
            return attrs.evolve(facts, duplicates=(*facts.duplicates, data["duplicate"]))
        if event == "merge_into":
            return attrs.evolve(facts, original=data["original"], offices={}, lead=None)
        if event == "close_as_duplicate":
            return attrs.evolve(facts, answer=data["answer"], answered_at=at)
        if event == "answer":
            rectified = facts.rectified_at
            if facts.reopened and facts.rectify_due is not None and rectified is None:
                rectified = at  # handled again to rectify: the new answer rectifies it
            return attrs.evolve(facts, answer=entry.reason, answered_at=at, rectified_at=rectified)
        if event == "rate":
            first = facts.first_rating if facts.ratings else data["satisfaction"]
            return attrs.evolve(
                facts,
                satisfaction=data["satisfaction"],
                first_rating=first,
                ratings=facts.ratings + 1,
                rated_at=at,
                rating_voided=False,
                callback_due=_at(data.get("callback_due")) or facts.callback_due,
                rectify_due=_at(data.get("rectify_due")) or facts.rectify_due,
                deadlines_estimated=bool(data.get("deadlines_estimated"))
                if "rectify_due" in data
                else facts.deadlines_estimated,
            )
        if event == "call_back":
            return attrs.evolve(facts, called_back_at=at)
        if event == "rectify":
            return attrs.evolve(facts, rectified_at=at)
        if event == "void_rating":
            return attrs.evolve(facts, satisfaction=None, rating_voided=True)
        if event == "reopen":
            # Handled again within a fresh time limit; the rectification stays open.
            return attrs.evolve(
                facts,
                offices={},
                office_since={},
                office_done={},
                lead=None,
                handled_at=None,
                clock_start=at,
                pauses=(),
                reopened=facts.reopened + 1,
            )
        return facts

    def _reassigned(self, facts: TicketFacts, entry: AuditEntry) -> TicketFacts:
        data = entry.data
        at = entry.at
        office = data["office"]
        to = tuple(data.get("reassign_to", ()))
        objections = dict(facts.objections)
        objected_at, _ = objections.pop(office)
        offices = {**facts.offices, office: OfficeStatus.RETURNED.value}
        offices.update(dict.fromkeys(to, OfficeStatus.PENDING.value))
        lead = facts.lead
        if office == lead:
            lead = to[0] if to else None
        clock_start, pauses = facts.clock_start, facts.pauses
        rule = ReturnClock(facts.return_clock or ReturnClock.CONTINUE.value)
        if rule is ReturnClock.RESTART:
            clock_start, pauses = at, ()
        elif rule is ReturnClock.PAUSE_REVIEW:
            pauses = (*pauses, (objected_at, at))
        return attrs.evolve(
            facts,
            offices=offices,
            office_since={**facts.office_since, **dict.fromkeys(to, at)},
            objections=objections,
            objections_accepted=facts.objections_accepted + 1,
            lead=lead,
            clock_start=clock_start,
            pauses=pauses,
        )

    # --- the clocks, escalation and the store's columns ---

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The deadline as of the last event; none once handled or while paused.

        A deadline counted over a year without an official holiday schedule is an
        estimate (:meth:`due_estimated`), not left out; only a calendar made with
        ``estimate=False`` that cannot count it gives none.
        """
        clock = self._due_clock(record)
        return None if clock is None else clock.deadline

    def due_estimated(self, record: WorkflowRecord) -> bool:
        """Whether :meth:`due` was counted over a year whose schedule is estimated."""
        clock = self._due_clock(record)
        return clock is not None and clock.estimated

    def _due_clock(self, record: WorkflowRecord) -> TicketClock | None:
        last = record.last
        if last is None or record.state in self.final_states():
            return None
        key = (record.record_id, record.head)
        memo = self._last_due
        if memo is not None and memo[0] == key and memo[1] is self.calendar:
            return memo[2]
        try:
            clock = self.clock_of(self.facts(record), last.at)
        except CalendarError:
            clock = None
        if clock is not None and (clock.stopped or clock.paused):
            clock = None
        self._last_due = (key, self.calendar, clock)
        return clock

    def holders(self, record: WorkflowRecord) -> tuple[str, ...]:
        """The offices that hold the ticket (dispatched, not finished or returned)."""
        return tuple(sorted(o for o, s in self.facts(record).offices.items() if s in _OPEN))

    def topic(self, record: WorkflowRecord) -> str | None:
        """The service code, for the store's work list by service type."""
        return self.facts(record).service_code

    def overdue_levels(self) -> tuple[tuple[str, pendulum.Duration], ...]:
        """The catalogue's escalation levels and their time past the deadline."""
        return tuple(
            (step.level.value, pendulum.duration(hours=step.after_hours))
            for step in self.catalogue.rules.escalation
        )

    def clock_at(
        self, record: WorkflowRecord, at: pendulum.DateTime | str | None = None
    ) -> TicketClock | None:
        """The deadline and time left of a ticket at ``at`` (``None`` before it is received).

        The clock says ``estimated`` when the deadline was counted over a year whose
        official holiday schedule is not known.

        Raises:
            CalendarError: the count runs into a year whose official schedule is unknown
                and the calendar does not accept estimates.
        """
        when = as_datetime(at) if at is not None else self._when(None)
        return self.clock_of(self.facts(record), when)

    def clock_of(self, facts: TicketFacts, at: pendulum.DateTime) -> TicketClock | None:
        """The clock of already-folded facts at ``at`` (see :meth:`clock_at`)."""
        if facts.clock_start is None:
            return None
        return ticket_clock(
            self.calendar,
            received_at=facts.clock_start,
            time_limit_working_days=facts.time_limit_working_days,
            time_limit_hours=facts.time_limit_hours,
            pauses=facts.pauses,
            handled_at=facts.handled_at,
            at=at,
        )

    def office_clocks(
        self, record: WorkflowRecord, at: pendulum.DateTime | str
    ) -> Mapping[str, TicketClock]:
        """Each office's own deadline: the lead's limit is the service's, a co-handler's
        is ``co_handler_working_days`` (the service's when not set), counted from the
        moment the office was given the ticket and stopped when it finished."""
        facts = self.facts(record)
        when = as_datetime(at)
        clocks: dict[str, TicketClock] = {}
        for office, since in facts.office_since.items():
            if facts.offices.get(office) == OfficeStatus.RETURNED.value:
                continue
            days = facts.time_limit_working_days
            if office != facts.lead and facts.co_handler_working_days is not None and days:
                days = facts.co_handler_working_days
            clocks[office] = ticket_clock(
                self.calendar,
                received_at=since,
                time_limit_working_days=days,
                time_limit_hours=facts.time_limit_hours,
                pauses=facts.pauses,
                handled_at=facts.office_done.get(office),
                at=when,
            )
        return read_only(clocks)

    def escalation_due(
        self, record: WorkflowRecord, at: pendulum.DateTime | str
    ) -> EscalationLevel | None:
        """The escalation level a ticket has reached at ``at`` (``None``: not overdue)."""
        return self.escalation_due_of(self.facts(record), as_datetime(at))

    def escalation_due_of(
        self, facts: TicketFacts, at: pendulum.DateTime
    ) -> EscalationLevel | None:
        """:meth:`escalation_due` of already-folded facts."""
        clock = self.clock_of(facts, at)
        if clock is None or not clock.overdue:
            return None
        past = at - clock.deadline
        reached = [
            step.level
            for step in self.catalogue.rules.escalation
            if past >= pendulum.duration(hours=step.after_hours)
        ]
        return reached[-1] if reached else None

    def _due_level(self, facts: TicketFacts, at: pendulum.DateTime) -> str:
        try:
            level = self.escalation_due_of(facts, at)
        except CalendarError:
            level = None
        return (level or EscalationLevel.REMINDER).value
