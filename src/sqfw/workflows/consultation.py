"""Community consultation (城乡社区协商) under a street's written rules (协商规程, §1.6).

The plan asks every street and township to write consultation rules and to consult widely
on matters of many fields, levels and channels. :class:`ConsultationRules` are one
street's rules as data: who may raise a topic, who takes part (residents'
representatives, the owners' committee, the property company, social organisations,
units in the area …), in which forms (meeting, hearing, online), and the numbers — days
of notice, quorum, the share of votes for an agreement, days to publish the outcome —
read from the standards (``consultation.*``; the plan gives none, so sqfw's own are an
example: :func:`~sqfw.workflows.local_examples.example_local_standards`).

A topic's record goes::

    draft → raised → accepted → noticed → in_session (one or more sessions)
                └→ declined            → concluded (agreement / no agreement / referred up)
                                        → published → following_up → closed

Refusals say every reason: a notice shorter than the rules' period, a session whose
attendance misses the quorum, an agreement without the votes for it. The rules' numbers
are copied into the trail when the topic is raised, so a later change of the rules never
changes how a running topic is judged.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect, expect_items, named_fields, read_only_mapping
from sqfw.entities.divisions import DivisionLevel, division_level
from sqfw.errors import InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.periods import DEFAULT_TZ, as_date
from sqfw.standards import Standards
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry, WorkflowRecord
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine

__all__ = [
    "RULE_PARAMETERS",
    "ConsultationEvent",
    "ConsultationFacts",
    "ConsultationForm",
    "ConsultationMachine",
    "ConsultationRules",
    "ConsultationState",
    "ConsultationWorkflow",
    "Outcome",
    "Party",
    "consultation_rules",
]


def _day(at: pendulum.DateTime) -> pendulum.Date:
    """The calendar day of an instant, in Asia/Shanghai (the plan's zone)."""
    local = at.in_timezone(DEFAULT_TZ)
    return pendulum.Date(local.year, local.month, local.day)


RULE_PARAMETERS: Mapping[str, str] = {
    "notice_days": "consultation.notice_days",
    "quorum_share": "consultation.quorum_share",
    "agreement_share": "consultation.agreement_share",
    "publish_within_days": "consultation.publish_within_days",
}
"""Each number of a street's rules and the parameter id it is read from."""


class Party(LabeledEnum):
    """Who may raise a topic or take part in a consultation (§1.5, §1.6)."""

    RESIDENTS = "residents"
    RESIDENTS_REPRESENTATIVES = "residents_representatives"
    RESIDENTS_COMMITTEE = "residents_committee"
    OWNERS_COMMITTEE = "owners_committee"
    PROPERTY_COMPANY = "property_company"
    SOCIAL_ORGANISATION = "social_organisation"
    AREA_UNIT = "area_unit"
    STREET_OFFICE = "street_office"

    __labels__ = {
        "residents": ("居民(联名)", "residents (jointly)"),
        "residents_representatives": ("居民代表", "residents' representatives"),
        "residents_committee": ("社区居民委员会", "residents' committee"),
        "owners_committee": ("业主委员会", "owners' committee"),
        "property_company": ("物业服务企业", "property management company"),
        "social_organisation": ("社会组织", "social organisations"),
        "area_unit": ("驻区单位", "units in the area"),
        "street_office": ("街道办事处(乡镇政府)", "street office (township government)"),
    }


class ConsultationForm(LabeledEnum):
    """Forms a consultation takes (§1.6: many channels)."""

    MEETING = "meeting"
    HEARING = "hearing"
    ONLINE = "online"

    __labels__ = {
        "meeting": ("议事协商会", "consultation meeting"),
        "hearing": ("听证会", "hearing"),
        "online": ("网上协商", "online consultation"),
    }


class Outcome(LabeledEnum):
    """How a consultation ends."""

    AGREEMENT = "agreement"
    NO_AGREEMENT = "no_agreement"
    REFERRED_UP = "referred_up"

    __labels__ = {
        "agreement": ("达成协商一致", "agreement reached"),
        "no_agreement": ("未达成一致", "no agreement"),
        "referred_up": ("提交上级或有关部门", "referred up"),
    }


def _members(kind: type[LabeledEnum], field: str, value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidEntityError("ConsultationRules", field, value, "a list, not text")
    found = []
    for item in value:
        try:
            found.append(kind(item))
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise InvalidEntityError(
                "ConsultationRules", field, str(item)[:40], f"one of {allowed}"
            ) from None
    if not found:
        raise InvalidEntityError("ConsultationRules", field, (), "at least one")
    return tuple(found)


def _proposers(value: Iterable[Party | str]) -> tuple[Party, ...]:
    return _members(Party, "proposers", value)


def _participants(value: Iterable[Party | str]) -> tuple[Party, ...]:
    return _members(Party, "participants", value)


def _forms(value: Iterable[ConsultationForm | str]) -> tuple[ConsultationForm, ...]:
    return _members(ConsultationForm, "forms", value)


def _street(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        level = division_level(str(value))
    except (TypeError, ValueError):
        level = None
    if not isinstance(value, str) or level is not DivisionLevel.TOWNSHIP:
        raise InvalidEntityError(
            "ConsultationRules", "street_code", str(value)[:20], "a 12-digit street/township code"
        )


@attrs.frozen(kw_only=True)
class ConsultationRules:
    """One street's (or township's) written consultation rules (协商规程, §1.6).

    Attributes:
        street_code: the street or township.
        name: what the rules are called.
        proposers: who may raise a topic.
        participants: who may take part.
        forms: the forms a consultation may take.
        notice_days: days between the notice and the first session, at least.
        quorum_share: the share of those invited who must attend a session, at least.
        agreement_share: votes in favour must exceed this share of the votes cast.
        publish_within_days: days after the outcome within which it is published.
        source: where the numbers come from (each parameter and its citation).
        is_example: any number is an example value, not a street's own.
    """

    street_code: str = attrs.field(validator=_street)
    name: str
    proposers: tuple[Party, ...] = attrs.field(converter=_proposers)
    participants: tuple[Party, ...] = attrs.field(converter=_participants)
    forms: tuple[ConsultationForm, ...] = attrs.field(converter=_forms)
    notice_days: int
    quorum_share: Fraction
    agreement_share: Fraction
    publish_within_days: int
    source: str
    is_example: bool = False

    def as_data(self) -> dict[str, Any]:
        """The rules as JSON-plain data (kept in the trail of every topic raised)."""
        return {
            "street_code": self.street_code,
            "name": self.name,
            "proposers": [p.value for p in self.proposers],
            "participants": [p.value for p in self.participants],
            "forms": [f.value for f in self.forms],
            "notice_days": self.notice_days,
            "quorum_share": str(self.quorum_share),
            "agreement_share": str(self.agreement_share),
            "publish_within_days": self.publish_within_days,
            "is_example": self.is_example,
        }


def consultation_rules(
    street_code: str,
    *,
    standards: Standards,
    on: pendulum.Date | str,
    name: str | None = None,
    proposers: Iterable[Party | str] = tuple(Party),
    participants: Iterable[Party | str] = tuple(Party),
    forms: Iterable[ConsultationForm | str] = tuple(ConsultationForm),
) -> ConsultationRules:
    """A street's rules: its lists as given, its numbers from ``standards`` on ``on``.

    Args:
        street_code: the street or township.
        standards: a set with the ``consultation.*`` parameters (see
            :data:`RULE_PARAMETERS`), e.g. the plan's standards extended with the street's
            own, or with :func:`~sqfw.workflows.local_examples.example_local_standards`.
        on: the date the rules are read for.
        name: what the rules are called.
        proposers: who may raise a topic (default: every :class:`Party`).
        participants: who may take part (default: every :class:`Party`).
        forms: the allowed forms (default: every :class:`ConsultationForm`).

    Raises:
        ParameterNotFoundError: the standards lack a ``consultation.*`` parameter.
        NotInForceError: one has no value on ``on``.
    """
    expect("consultation_rules(standards)", standards, Standards)
    looked = {key: standards.lookup(pid, on) for key, pid in RULE_PARAMETERS.items()}
    source = "; ".join(v.describe() for v in looked.values())
    return ConsultationRules(
        street_code=street_code,
        name=name or f"{street_code} 协商规程 / consultation rules",
        proposers=proposers,
        participants=participants,
        forms=forms,
        notice_days=int(looked["notice_days"].value),
        quorum_share=Fraction(looked["quorum_share"].value),
        agreement_share=Fraction(looked["agreement_share"].value),
        publish_within_days=int(looked["publish_within_days"].value),
        source=source,
        is_example=any(v.assumption for v in looked.values()),
    )


class ConsultationState(LabeledEnum):
    """States of a consultation topic."""

    DRAFT = "draft"
    RAISED = "raised"
    DECLINED = "declined"
    ACCEPTED = "accepted"
    NOTICED = "noticed"
    IN_SESSION = "in_session"
    CONCLUDED = "concluded"
    PUBLISHED = "published"
    FOLLOWING_UP = "following_up"
    CLOSED = "closed"

    __labels__ = {
        "draft": ("草稿", "draft"),
        "raised": ("已提出议题", "topic raised"),
        "declined": ("不予受理", "declined"),
        "accepted": ("已受理", "accepted"),
        "noticed": ("已公告", "notice given"),
        "in_session": ("协商中", "in session"),
        "concluded": ("已形成结果", "concluded"),
        "published": ("结果已公开", "outcome published"),
        "following_up": ("落实跟踪中", "implementation followed up"),
        "closed": ("已办结", "closed"),
    }


class ConsultationEvent(LabeledEnum):
    """Events of a consultation topic."""

    RAISE_TOPIC = "raise_topic"
    DECLINE = "decline"
    ACCEPT = "accept"
    GIVE_NOTICE = "give_notice"
    HOLD_SESSION = "hold_session"
    CONCLUDE = "conclude"
    PUBLISH = "publish"
    FOLLOW_UP = "follow_up"
    CLOSE = "close"

    __labels__ = {
        "raise_topic": ("提出协商议题", "raise a topic"),
        "decline": ("不予受理(说明理由)", "decline, with the reason"),
        "accept": ("受理议题", "accept the topic"),
        "give_notice": ("发布协商公告", "give notice"),
        "hold_session": ("召开协商会议", "hold a session"),
        "conclude": ("形成协商结果", "reach an outcome"),
        "publish": ("公开协商结果", "publish the outcome"),
        "follow_up": ("跟踪落实情况", "follow up the implementation"),
        "close": ("办结", "close"),
    }


_TOPIC_KEYS = ("title", "community_code", "street_code", "proposer")


def _date_of(value: object) -> pendulum.Date | None:
    try:
        return as_date(str(value))
    except (TypeError, ValueError):
        return None


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


class ConsultationMachine(WorkflowMachine):
    """A consultation topic as a python-statemachine definition."""

    s = States.from_enum(
        ConsultationState,
        initial=ConsultationState.DRAFT,
        final={ConsultationState.DECLINED, ConsultationState.CLOSED},
    )

    raise_topic = s.DRAFT.to(s.RAISED, validators=["topic_complete", "proposer_allowed"])
    decline = s.RAISED.to(s.DECLINED, validators="needs_reason")
    accept = s.RAISED.to(s.ACCEPTED)
    give_notice = s.ACCEPTED.to(
        s.NOTICED, validators=["notice_long_enough", "form_allowed", "parties_allowed"]
    )
    hold_session = s.NOTICED.to(
        s.IN_SESSION, validators=["not_before_first_session", "quorum_reached", "minutes_kept"]
    ) | s.IN_SESSION.to.itself(validators=["quorum_reached", "minutes_kept"])
    conclude = s.IN_SESSION.to(s.CONCLUDED, validators="outcome_supported")
    publish = s.CONCLUDED.to(s.PUBLISHED, validators="channel_given")
    follow_up = s.PUBLISHED.to(s.FOLLOWING_UP, validators=["agreed", "progress_given"]) | (
        s.FOLLOWING_UP.to.itself(validators=["agreed", "progress_given"])
    )
    close = s.PUBLISHED.to(s.CLOSED, validators="nothing_to_follow_up") | s.FOLLOWING_UP.to(
        s.CLOSED, validators="needs_reason"
    )

    # --- raising --------------------------------------------------------------------------

    def topic_complete(self, ctx: EventContext[ConsultationFacts]) -> None:
        """The topic names its title, community, street and proposer; the street has rules."""
        missing = [k for k in _TOPIC_KEYS if not ctx.data.get(k)]
        if missing:
            raise Refusal(
                reason(f"议题缺少：{', '.join(missing)}", f"the topic lacks: {', '.join(missing)}")
            )
        workflow = ctx.workflow
        assert isinstance(workflow, ConsultationWorkflow)
        street = str(ctx.data["street_code"])
        if workflow.rules_for(street) is None:
            raise Refusal(
                reason(
                    f"街道 {street[:20]} 没有协商规程（§1.6）",
                    f"street {street[:20]!r} has no consultation rules (§1.6)",
                )
            )
        if not str(ctx.data["community_code"]).startswith(street[:9]):
            raise Refusal(
                reason(
                    "社区不在该街道内",
                    f"community {str(ctx.data['community_code'])[:20]!r} is not in street "
                    f"{street[:20]!r}",
                )
            )

    def proposer_allowed(self, ctx: EventContext[ConsultationFacts]) -> None:
        """Only the parties the street's rules name may raise a topic (§1.6)."""
        workflow = ctx.workflow
        assert isinstance(workflow, ConsultationWorkflow)
        rules = workflow.rules_for(str(ctx.data.get("street_code", "")))
        proposer = ctx.data.get("proposer")
        if rules is None or not proposer:
            return  # topic_complete says so
        if proposer not in {p.value for p in rules.proposers}:
            allowed = ", ".join(p.value for p in rules.proposers)
            raise Refusal(
                reason(
                    f"按协商规程，{proposer} 不能提出议题",
                    f"under the rules {proposer!r} may not raise a topic (allowed: {allowed})",
                )
            )

    # --- notice and sessions --------------------------------------------------------------

    def notice_long_enough(self, ctx: EventContext[ConsultationFacts]) -> None:
        """The first session is at least the rules' notice period after the notice."""
        first = _date_of(ctx.data.get("first_session_on"))
        if first is None:
            raise Refusal(reason("须给出首次协商日期", "first_session_on: a date (YYYY-MM-DD)"))
        days = (first - _day(ctx.at)).in_days()
        need = int(ctx.facts.rules["notice_days"])
        if days < need:
            raise Refusal(
                reason(
                    f"公告期 {days} 天，少于协商规程规定的 {need} 天（§1.6）",
                    f"notice of {days} days is shorter than the {need} days the rules require "
                    "(§1.6)",
                )
            )

    def form_allowed(self, ctx: EventContext[ConsultationFacts]) -> None:
        """The form is one the rules allow."""
        form = ctx.data.get("form")
        allowed = tuple(ctx.facts.rules["forms"])
        if form not in allowed:
            raise Refusal(
                reason(
                    f"协商形式 {form!r} 不在规程允许之列",
                    f"form {form!r} is not one the rules allow ({', '.join(allowed)})",
                )
            )

    def parties_allowed(self, ctx: EventContext[ConsultationFacts]) -> None:
        """Those invited are parties the rules name, at least one person."""
        parties = ctx.data.get("parties")
        invited = _count(ctx.data.get("invited"))
        reasons = []
        if not isinstance(parties, tuple) or not parties:
            reasons.append(reason("须列出参与协商的各方", "parties: who takes part"))
        else:
            stray = [
                str(p)[:40] for p in parties if p not in tuple(ctx.facts.rules["participants"])
            ]
            if stray:
                reasons.append(
                    reason(
                        f"规程未列入的参与方：{', '.join(stray)}",
                        f"parties the rules do not name: {', '.join(stray)}",
                    )
                )
        if invited is None or invited < 1:
            reasons.append(reason("须给出应到人数", "invited: the number of people invited (≥ 1)"))
        if reasons:
            raise Refusal(*reasons)

    def not_before_first_session(self, ctx: EventContext[ConsultationFacts]) -> None:
        """No session before the day the notice announced."""
        first = ctx.facts.first_session_on
        if first is not None and _day(ctx.at) < first:
            raise Refusal(
                reason(
                    f"会议早于公告的首次协商日期 {first}",
                    f"a session before the first session day announced ({first})",
                )
            )

    def quorum_reached(self, ctx: EventContext[ConsultationFacts]) -> None:
        """Attendance reaches the rules' quorum of those invited (§1.6)."""
        attended = _count(ctx.data.get("attended"))
        invited = ctx.facts.invited
        if attended is None:
            raise Refusal(reason("须给出实到人数", "attended: the number of people present"))
        if invited is None:
            return
        if attended > invited:
            raise Refusal(
                reason(
                    f"实到 {attended} 人多于应到 {invited} 人",
                    f"{attended} attended, more than the {invited} invited",
                )
            )
        quorum = Fraction(str(ctx.facts.rules["quorum_share"]))
        if Fraction(attended, invited) < quorum:
            raise Refusal(
                reason(
                    f"实到 {attended} 人，未达应到 {invited} 人的 {quorum}（法定人数不足，§1.6）",
                    f"quorum not reached: {attended} of {invited} attended, below {quorum} (§1.6)",
                )
            )

    def minutes_kept(self, ctx: EventContext[ConsultationFacts]) -> None:
        """A session keeps minutes (a reference to them)."""
        minutes = ctx.data.get("minutes")
        if not isinstance(minutes, str) or not minutes.strip():
            raise Refusal(reason("须记录会议纪要", "minutes: a reference to the minutes"))

    # --- outcome --------------------------------------------------------------------------

    def outcome_supported(self, ctx: EventContext[ConsultationFacts]) -> None:
        """An agreement has more than the rules' share of votes; a referral says to whom."""
        try:
            outcome = Outcome(str(ctx.data.get("outcome")))
        except ValueError:
            allowed = ", ".join(o.value for o in Outcome)
            raise Refusal(reason("须给出协商结果", f"outcome: one of {allowed}")) from None
        if outcome is Outcome.AGREEMENT:
            votes_for = _count(ctx.data.get("votes_for"))
            cast = _count(ctx.data.get("votes_cast"))
            if votes_for is None or cast is None or cast == 0 or votes_for > cast:
                raise Refusal(
                    reason(
                        "达成一致须给出赞成票数和投票总数",
                        "an agreement needs votes_for and votes_cast (votes_for ≤ votes_cast, "
                        "votes_cast ≥ 1)",
                    )
                )
            share = Fraction(str(ctx.facts.rules["agreement_share"]))
            if Fraction(votes_for, cast) <= share:
                raise Refusal(
                    reason(
                        f"赞成 {votes_for} 票，未超过 {cast} 票的 {share}，不能认定达成一致",
                        f"{votes_for} of {cast} in favour does not exceed {share}: no agreement",
                    )
                )
        if outcome is Outcome.REFERRED_UP and not ctx.data.get("referred_to"):
            raise Refusal(reason("须写明提交的上级或部门", "referred_to: the office it goes to"))

    def channel_given(self, ctx: EventContext[ConsultationFacts]) -> None:
        """The outcome is published somewhere (notice board, website, group chat)."""
        if not ctx.data.get("channel"):
            raise Refusal(reason("须写明公开渠道", "channel: where the outcome is published"))

    def agreed(self, ctx: EventContext[ConsultationFacts]) -> None:
        """Only an agreement has an implementation to follow up."""
        if ctx.facts.outcome != Outcome.AGREEMENT.value:
            raise Refusal(reason("未达成一致，无需跟踪落实", "only an agreement is followed up"))

    def progress_given(self, ctx: EventContext[ConsultationFacts]) -> None:
        """A follow-up says whether the agreement is implemented."""
        if not isinstance(ctx.data.get("implemented"), bool):
            raise Refusal(reason("须说明是否已落实", "implemented: true or false"))

    def nothing_to_follow_up(self, ctx: EventContext[ConsultationFacts]) -> None:
        """An agreement is followed up before it is closed."""
        if ctx.facts.outcome == Outcome.AGREEMENT.value:
            raise Refusal(
                reason(
                    "协商一致的事项须跟踪落实后才能办结",
                    "an agreement is followed up before the topic is closed",
                )
            )


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class ConsultationFacts:
    """What the trail of a consultation topic says so far.

    Attributes:
        topic: the topic as raised.
        rules: the street's rules as they were when it was raised.
        first_session_on: the first session day the notice announced.
        invited: how many were invited.
        sessions: sessions held.
        attendance: attendance at each session.
        outcome: the outcome's value, once concluded.
        concluded_on: the day of the outcome.
        published_on: the day it was published.
        published_late: published after the rules' period.
        implemented: the last follow-up's answer (``None`` before any).
    """

    topic: Mapping[str, Any] = attrs.field(factory=dict, converter=read_only_mapping)
    rules: Mapping[str, Any] = attrs.field(factory=dict, converter=read_only_mapping)
    first_session_on: pendulum.Date | None = None
    invited: int | None = None
    sessions: int = 0
    attendance: tuple[int, ...] = ()
    outcome: str | None = None
    concluded_on: pendulum.Date | None = None
    published_on: pendulum.Date | None = None
    published_late: bool | None = None
    implemented: bool | None = None


def _rules_by_street(value: Iterable[ConsultationRules]) -> Mapping[str, ConsultationRules]:
    found: dict[str, ConsultationRules] = {}
    for rules in expect_items("ConsultationWorkflow(rules)", value, ConsultationRules):
        if rules.street_code in found:
            raise InvalidEntityError(
                "ConsultationWorkflow", "rules", rules.street_code, "one set of rules per street"
            )
        found[rules.street_code] = rules
    return found


class ConsultationWorkflow(Workflow[ConsultationFacts]):
    """A consultation topic under its street's rules (§1.6).

    Args:
        rules: the consultation rules of each street the host serves.
        clock: see :class:`~sqfw.workflows.Workflow`.
        key: see :class:`~sqfw.workflows.Workflow`.

    Events and their data:

    - ``raise_topic``: ``title``, ``community_code``, ``street_code``, ``proposer`` (a
      :class:`Party` value the rules allow); the rules are copied into the entry.
    - ``decline``: a reason (e.g. not a matter for consultation).
    - ``accept``: none.
    - ``give_notice``: ``first_session_on`` (at least the notice period later), ``form``,
      ``parties`` (those the rules name), ``invited`` (≥ 1).
    - ``hold_session``: ``attended`` (reaching the quorum of those invited), ``minutes``.
    - ``conclude``: ``outcome``; an agreement needs ``votes_for`` and ``votes_cast``, a
      referral ``referred_to``.
    - ``publish``: ``channel``; the entry records whether it was late.
    - ``follow_up``: ``implemented`` (true/false) — agreements only.
    - ``close``: after a follow-up, with a reason; directly only without an agreement.
    """

    name = "consultation"
    machine = ConsultationMachine
    states = ConsultationState
    events = ConsultationEvent
    event_data = {
        "raise_topic": (
            key("title", "text", "议题", "the topic"),
            key("community_code", "text", "社区代码", "the community's code"),
            key("street_code", "text", "街道代码", "the street's code"),
            key("proposer", "text", "提出方", "who proposes it"),
        ),
        "decline": (),
        "accept": (),
        "give_notice": (
            key("first_session_on", "date", "首次会议日期", "the first session's date"),
            key("form", "text", "协商形式", "the form of consultation"),
            key("parties", "list", "参与方", "the parties taking part"),
            key("invited", "integer", "邀请人数", "people invited (≥ 1)"),
        ),
        "hold_session": (
            key("attended", "integer", "出席人数", "people who attended"),
            key("minutes", "text", "会议记录", "the minutes"),
        ),
        "conclude": (
            key("outcome", "text", "协商结果", "the outcome"),
            key("votes_for", "integer", "赞成票", "votes for (an agreement)", required=False),
            key("votes_cast", "integer", "投票数", "votes cast (an agreement)", required=False),
            key("referred_to", "text", "提交单位", "referred to (a referral)", required=False),
        ),
        "publish": (key("channel", "text", "公开渠道", "where it was published"),),
        "follow_up": (key("implemented", "boolean", "是否落实", "whether it was implemented"),),
        "close": (),
    }

    def __init__(self, *, rules: Iterable[ConsultationRules], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rules = _rules_by_street(rules)

    def rules_for(self, street_code: str) -> ConsultationRules | None:
        """The rules of a street, if the workflow has them."""
        return self.rules.get(street_code)

    def initial_facts(self) -> ConsultationFacts:
        """A topic not yet raised."""
        return ConsultationFacts()

    def enrich(self, ctx: EventContext[ConsultationFacts]) -> Mapping[str, Any]:
        """Keep the rules in the raising entry and the lateness in the publishing one."""
        if ctx.event == "raise_topic":
            rules = self.rules_for(str(ctx.data["street_code"]))
            assert rules is not None
            return {**ctx.data, "rules": rules.as_data()}
        if ctx.event == "publish" and ctx.facts.concluded_on is not None:
            days = (_day(ctx.at) - ctx.facts.concluded_on).in_days()
            late = days > int(ctx.facts.rules["publish_within_days"])
            return {**ctx.data, "days_after_outcome": days, "late": late}
        return ctx.data

    def fold(self, facts: ConsultationFacts, entry: AuditEntry) -> ConsultationFacts:
        """Fold one audit entry into the topic's facts."""
        data = entry.data
        event = entry.event
        if event == "raise_topic":
            topic = {k: v for k, v in data.items() if k != "rules"}
            return attrs.evolve(facts, topic=topic, rules=dict(data["rules"]))
        if event == "give_notice":
            return attrs.evolve(
                facts,
                first_session_on=as_date(str(data["first_session_on"])),
                invited=int(data["invited"]),
            )
        if event == "hold_session":
            return attrs.evolve(
                facts,
                sessions=facts.sessions + 1,
                attendance=(*facts.attendance, int(data["attended"])),
            )
        if event == "conclude":
            return attrs.evolve(facts, outcome=str(data["outcome"]), concluded_on=_day(entry.at))
        if event == "publish":
            return attrs.evolve(
                facts, published_on=_day(entry.at), published_late=bool(data.get("late"))
            )
        if event == "follow_up":
            return attrs.evolve(facts, implemented=bool(data["implemented"]))
        return facts

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The day an outcome must be published by (while concluded), end of day."""
        if record.state != "concluded":
            return None
        facts = self.facts(record)
        if facts.concluded_on is None:
            return None
        day = facts.concluded_on.add(days=int(facts.rules["publish_within_days"]))
        return pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, tz=DEFAULT_TZ)

    def holders(self, record: WorkflowRecord) -> tuple[str, ...]:
        """The street whose rules the topic runs under."""
        street = self.facts(record).topic.get("street_code")
        return () if street is None else (str(street),)
