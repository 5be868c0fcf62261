"""The committee election cycle (§1.1–§1.4) and its tally calculator.

Preparation → voter registration → candidate nomination → formal candidates announced →
voting → counting → results announced → handover, with a failed election that can be
re-run, a further round (另行选举) for seats left unfilled, and cancellation.

The numbers come from the organic laws through the standards data (never from this
module): committee size, the turnout that makes an election valid, the share that elects a
candidate, and the share a further round needs. :class:`ElectionRules` holds them with
the law text each came from, and every :class:`TallyResult` says which text was applied.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from sqfw._args import expect, expect_items, named_fields, read_only_mapping
from sqfw.entities.committee import Committee, CommitteeKind, ElectionMethod, Gender
from sqfw.errors import InvalidArgumentError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date
from sqfw.workflows._chain import HostKey
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry
from sqfw.workflows._tally import (
    CandidateResult,
    ElectionRules,
    ElectionWindow,
    TallyResult,
    _is_count,
    tally,
    tally_votes,
)
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine

if TYPE_CHECKING:
    from sqfw.standards import Standards

from statemachine.states import States

__all__ = [
    "CandidateResult",
    "ElectionEvent",
    "ElectionFacts",
    "ElectionMachine",
    "ElectionRules",
    "ElectionState",
    "ElectionWindow",
    "ElectionWorkflow",
    "TallyResult",
    "tally",
    "tally_votes",
]


# --- the machine ---------------------------------------------------------------------------


class ElectionState(LabeledEnum):
    """States of the election cycle."""

    PREPARATION = "preparation"
    VOTER_REGISTRATION = "voter_registration"
    CANDIDATE_NOMINATION = "candidate_nomination"
    CANDIDATES_ANNOUNCED = "candidates_announced"
    VOTING = "voting"
    COUNTING = "counting"
    RESULTS_ANNOUNCED = "results_announced"
    HANDED_OVER = "handed_over"
    FAILED = "failed"
    CANCELLED = "cancelled"

    __labels__ = {
        "preparation": ("选举筹备", "preparation"),
        "voter_registration": ("选民登记", "voter registration"),
        "candidate_nomination": ("提名候选人", "candidate nomination"),
        "candidates_announced": ("公布正式候选人", "formal candidates announced"),
        "voting": ("投票", "voting"),
        "counting": ("计票", "counting"),
        "results_announced": ("公布选举结果", "results announced"),
        "handed_over": ("完成工作移交", "handed over"),
        "failed": ("选举无效", "failed"),
        "cancelled": ("已取消", "cancelled"),
    }


class ElectionEvent(LabeledEnum):
    """Events of the election cycle."""

    OPEN_REGISTRATION = "open_registration"
    CLOSE_REGISTRATION = "close_registration"
    ANNOUNCE_CANDIDATES = "announce_candidates"
    OPEN_POLLS = "open_polls"
    CLOSE_POLLS = "close_polls"
    ANNOUNCE_RESULTS = "announce_results"
    DECLARE_FAILED = "declare_failed"
    RERUN = "rerun"
    CALL_FURTHER_ROUND = "call_further_round"
    HAND_OVER = "hand_over"
    CANCEL = "cancel"

    __labels__ = {
        "open_registration": ("开始选民登记", "open voter registration"),
        "close_registration": ("公布选民名单", "close registration, publish the voter list"),
        "announce_candidates": ("公布正式候选人", "announce the formal candidates"),
        "open_polls": ("开始投票", "open the polls"),
        "close_polls": ("投票结束，开始计票", "close the polls and count"),
        "announce_results": ("公布选举结果", "announce the results"),
        "declare_failed": ("宣布选举无效", "declare the election failed"),
        "rerun": ("重新选举", "re-run the election"),
        "call_further_round": ("另行选举", "call a further round"),
        "hand_over": ("工作移交", "hand over"),
        "cancel": ("取消选举", "cancel"),
    }


class ElectionMachine(WorkflowMachine):
    """The election cycle as a python-statemachine definition."""

    s = States.from_enum(
        ElectionState,
        initial=ElectionState.PREPARATION,
        final={ElectionState.HANDED_OVER, ElectionState.CANCELLED},
    )

    open_registration = s.PREPARATION.to(
        s.VOTER_REGISTRATION, validators=["setup_complete", "seats_fit_committee", "poll_in_window"]
    )
    close_registration = s.VOTER_REGISTRATION.to(s.CANDIDATE_NOMINATION, validators="has_voters")
    announce_candidates = s.CANDIDATE_NOMINATION.to(
        s.CANDIDATES_ANNOUNCED, validators=["candidates_listed", "competitive"]
    )
    open_polls = s.CANDIDATES_ANNOUNCED.to(s.VOTING, validators="today_in_window")
    close_polls = s.VOTING.to(s.COUNTING)
    announce_results = s.COUNTING.to(s.RESULTS_ANNOUNCED, validators="tally_valid")
    declare_failed = s.COUNTING.to(s.FAILED, validators="tally_invalid")
    rerun = s.FAILED.to(s.VOTING, validators=["needs_reason", "today_in_window"])
    call_further_round = s.RESULTS_ANNOUNCED.to(
        s.VOTING, validators=["seats_unfilled", "further_candidates"]
    )
    hand_over = s.RESULTS_ANNOUNCED.to(
        s.HANDED_OVER, validators=["enough_elected", "committee_complete", "women_elected"]
    )
    cancel = s.CANCELLED.from_.any(validators="needs_reason")

    # Validators: each raises Refusal with every reason it finds; none changes anything.

    def setup_complete(self, ctx: EventContext[ElectionFacts]) -> None:
        """The election's kind, method, term, seats and polling date are given."""
        problems = _setup_problems(ctx.data)
        if problems:
            raise Refusal(*problems)

    def seats_fit_committee(self, ctx: EventContext[ElectionFacts]) -> None:
        """The seats are within the committee size of the organic law."""
        wf = _workflow(ctx)
        kind = _kind(ctx.data.get("kind"))
        seats = _count(ctx.data.get("seats"))
        day = _date_or_none(ctx.data.get("polling_date"))
        if kind is None or seats is None or day is None:
            return
        rules = wf.rules_for(kind, day)
        if not rules.committee_size_min <= seats <= rules.committee_size_max:
            raise Refusal(
                reason(
                    f"应选名额 {seats} 不在{kind.label_zh}成员人数 {rules.committee_size_min}"
                    f"至 {rules.committee_size_max} 人之内",
                    f"{seats} seats is outside the committee size "
                    f"{rules.committee_size_min}–{rules.committee_size_max} of a {kind.label_en}",
                )
            )

    def poll_in_window(self, ctx: EventContext[ElectionFacts]) -> None:
        """The planned polling date is inside the region's election window (§1.1)."""
        term = _count(ctx.data.get("term"))
        day = _date_or_none(ctx.data.get("polling_date"))
        if term is not None and day is not None:
            _check_window(_workflow(ctx), term, day, "计划投票日", "planned polling date")

    def today_in_window(self, ctx: EventContext[ElectionFacts]) -> None:
        """The polls open inside the region's election window (§1.1)."""
        facts = ctx.facts
        if facts.term is not None:
            day = ctx.at.in_timezone("Asia/Shanghai").date()
            _check_window(_workflow(ctx), facts.term, day, "投票日", "polling day")

    def has_voters(self, ctx: EventContext[ElectionFacts]) -> None:
        """The voter list has at least one registered voter."""
        if not _is_count(ctx.data.get("registered_voters")) or ctx.data["registered_voters"] < 1:
            raise Refusal(reason("须给出登记选民人数（≥1）", "registered_voters (≥ 1) is required"))

    def candidates_listed(self, ctx: EventContext[ElectionFacts]) -> None:
        """Candidates are listed by distinct ids."""
        ids = ctx.data.get("candidates")
        if not isinstance(ids, tuple) or not ids or not all(isinstance(i, str) for i in ids):
            raise Refusal(reason("须列出正式候选人", "candidates (a list of ids) are required"))
        if len(set(ids)) != len(ids):
            raise Refusal(reason("候选人重复", "a candidate is listed twice"))

    def competitive(self, ctx: EventContext[ElectionFacts]) -> None:
        """Competitive election (差额选举): more candidates than seats."""
        ids = ctx.data.get("candidates")
        seats = ctx.facts.seats or 0
        if isinstance(ids, tuple) and len(set(ids)) <= seats:
            raise Refusal(
                reason(
                    f"候选人数必须多于应选名额（候选人 {len(set(ids))} 名，应选 {seats} 名）",
                    f"candidates must outnumber seats ({len(set(ids))} candidates, {seats} seats)",
                )
            )

    def tally_valid(self, ctx: EventContext[ElectionFacts]) -> None:
        """The tally makes the election valid: turnout above the threshold and not void."""
        result = _workflow(ctx).tally_for(ctx)
        if not result.valid:
            raise Refusal(*result.defects)

    def tally_invalid(self, ctx: EventContext[ElectionFacts]) -> None:
        """The tally shows the election failed; a valid election cannot be declared failed."""
        result = _workflow(ctx).tally_for(ctx)
        if result.valid:
            raise Refusal(
                reason(
                    "计票结果有效，不能宣布选举无效",
                    "the tally is valid; the election cannot be declared failed",
                )
            )

    def seats_unfilled(self, ctx: EventContext[ElectionFacts]) -> None:
        """Seats are left unfilled, so a further round can be held."""
        if ctx.facts.unfilled_seats < 1:
            raise Refusal(reason("名额已满，无需另行选举", "every seat is filled"))

    def further_candidates(self, ctx: EventContext[ElectionFacts]) -> None:
        """Further-round candidates are the unelected candidates with the most votes."""
        facts = ctx.facts
        ids = ctx.data.get("candidates")
        if not isinstance(ids, tuple) or not ids:
            raise Refusal(reason("须列出另行选举的候选人", "candidates (ids) are required"))
        problems: list[str] = []
        unelected = {c: v for c, v in facts.last_votes.items() if c not in facts.elected}
        stray = [c for c in ids if c not in unelected]
        if stray:
            problems.append(
                reason(
                    f"{', '.join(map(str, stray))} 不是上一轮未当选的候选人",
                    f"{', '.join(map(str, stray))} are not unelected candidates of the last round",
                )
            )
        if len(set(ids)) <= facts.unfilled_seats:
            problems.append(
                reason(
                    f"候选人数必须多于应选名额（候选人 {len(set(ids))} 名，应选 "
                    f"{facts.unfilled_seats} 名）",
                    f"candidates must outnumber seats ({len(set(ids))} candidates, "
                    f"{facts.unfilled_seats} seats)",
                )
            )
        chosen = [unelected[c] for c in ids if c in unelected]
        if chosen:
            lowest = min(chosen)
            passed = [c for c, v in unelected.items() if v > lowest and c not in ids]
            if passed:
                problems.append(
                    reason(
                        f"{', '.join(sorted(passed))} 得票更多，应优先成为候选人",
                        f"{', '.join(sorted(passed))} had more votes and must be candidates first",
                    )
                )
        if problems:
            raise Refusal(*problems)

    def enough_elected(self, ctx: EventContext[ElectionFacts]) -> None:
        """As many were elected as the law's smallest committee (else a further round)."""
        facts = ctx.facts
        if facts.kind is None or facts.polling_date is None:
            return
        rules = _workflow(ctx).rules_for(facts.kind, facts.polling_date)
        if len(facts.elected) < rules.committee_size_min:
            raise Refusal(
                reason(
                    f"当选 {len(facts.elected)} 人，少于成员人数下限 "
                    f"{rules.committee_size_min} 人，须另行选举",
                    f"{len(facts.elected)} elected, fewer than the minimum of "
                    f"{rules.committee_size_min}: hold a further round",
                )
            )

    def committee_complete(self, ctx: EventContext[ElectionFacts]) -> None:
        """The committee handed over is the elected members."""
        facts = ctx.facts
        members = _members(ctx.data)
        if facts.kind is None or facts.polling_date is None:
            return
        ids = {m.get("id") for m in members}
        if ids != set(facts.elected):
            raise Refusal(
                reason(
                    "移交名单须与当选人一致",
                    f"the committee must be the elected members {sorted(facts.elected)}",
                )
            )

    def women_elected(self, ctx: EventContext[ElectionFacts]) -> None:
        """Women hold seats on the committee (the organic laws require it)."""
        members = _members(ctx.data)
        if not any(m.get("gender") == Gender.FEMALE.value for m in members):
            raise Refusal(
                reason("委员会成员中应当有妇女成员", "women must be among the committee's members")
            )


def _workflow(ctx: EventContext[Any]) -> ElectionWorkflow:
    wf = ctx.workflow
    assert isinstance(wf, ElectionWorkflow)
    return wf


def _count(value: object) -> int | None:
    """``value`` if it is an integer ≥ 0, else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _kind(value: object) -> CommitteeKind | None:
    try:
        return CommitteeKind(str(value))
    except ValueError:
        return None


def _date_or_none(value: object) -> pendulum.Date | None:
    if not isinstance(value, str):
        return None
    try:
        return as_date(value)
    except (TypeError, ValueError):
        return None


def _members(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
    members = data.get("members")
    if not isinstance(members, tuple):
        return ()
    return tuple(m for m in members if isinstance(m, Mapping))


def _setup_problems(data: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if _kind(data.get("kind")) is None:
        problems.append(
            reason("须给出委员会类型（residents / villagers）", "kind: residents or villagers")
        )
    try:
        ElectionMethod(str(data.get("method")))
    except ValueError:
        problems.append(
            reason(
                "须给出选举方式（直接选举、户代表或居民小组代表）",
                "method: direct, household_representatives or group_representatives (§1.2)",
            )
        )
    if not _is_count(data.get("term")) or data["term"] < 1:
        problems.append(reason("须给出届次（如第十届为 10）", "term: the term number, e.g. 10"))
    if not _is_count(data.get("seats")) or data["seats"] < 1:
        problems.append(reason("须给出应选名额（≥1）", "seats: the seats to fill (≥ 1)"))
    if _date_or_none(data.get("polling_date")) is None:
        problems.append(reason("须给出计划投票日", "polling_date: the planned polling date"))
    return problems


def _check_window(wf: ElectionWorkflow, term: int, day: pendulum.Date, zh: str, en: str) -> None:
    window = wf.windows.get(term)
    if window is not None and not window.contains(day):
        raise Refusal(
            reason(
                f"{zh} {day} 不在第{term}届换届选举统一时间 {window.opens} 至 {window.closes} 之内"
                "（§1.1）",
                f"{en} {day} is outside the election window {window.opens}–{window.closes} "
                f"of the term-{term} general election (§1.1)",
            )
        )


# --- facts and the workflow ----------------------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class ElectionFacts:
    """What the trail of an election says so far.

    Attributes:
        kind: residents' or villagers' committee.
        method: the election method (§1.2).
        term: the term elected.
        seats: seats of the whole election.
        polling_date: the planned polling date (decides which law text applies).
        registered_voters: voters on the register.
        candidates: the formal candidates of the current round.
        round: the current round (1, then 2+ for further rounds).
        elected: every candidate elected so far, in order.
        last_votes: the votes of the last tally.
        unfilled_seats: seats left for a further round.
        committee: the handed-over members (ids, gender, §1.3 roles), when handed over.
    """

    kind: CommitteeKind | None = None
    method: ElectionMethod | None = None
    term: int | None = None
    seats: int | None = None
    polling_date: pendulum.Date | None = None
    registered_voters: int = 0
    candidates: tuple[str, ...] = ()
    round: int = 1
    elected: tuple[str, ...] = ()
    last_votes: Mapping[str, int] = attrs.field(factory=dict, converter=read_only_mapping)
    unfilled_seats: int = 0
    committee: tuple[Mapping[str, Any], ...] = ()


class ElectionWorkflow(Workflow[ElectionFacts]):
    """The election cycle of a residents' or villagers' committee (§1.1–§1.4).

    Args:
        rules: fixed :class:`ElectionRules`, one per kind; or
        standards: a standards set to read the rules from, on the polling date (so an
            election in 2026 or later is decided by the text in force then).
        windows: the region's election window per term (§1.1); a term without one is not
            restricted.
        clock: the time source for events sent without ``at``.
        key: the host key that signs every entry (see :class:`~sqfw.workflows.Workflow`).

    Raises:
        InvalidArgumentError: neither ``rules`` nor ``standards`` given, or an argument
            of the wrong type.

    Events and their data:

    - ``open_registration``: ``kind``, ``method``, ``term``, ``seats``, ``polling_date``.
    - ``close_registration``: ``registered_voters``.
    - ``announce_candidates``: ``candidates`` (ids; more than seats).
    - ``open_polls``, ``close_polls``: none.
    - ``announce_results`` / ``declare_failed``: ``voters_voted``, ``ballots_collected``,
      ``votes`` (id → votes); the tally is computed and kept in the trail.
    - ``call_further_round``: ``candidates`` (unelected, most votes first).
    - ``hand_over``: ``members`` (use :meth:`committee_data`).
    - ``rerun``, ``cancel``: a reason.
    """

    name = "election"
    event_data = {
        "open_registration": (
            key("kind", "text", "委员会类别", "the committee's kind"),
            key("method", "text", "选举方式", "the election method"),
            key("term", "integer", "届次", "the term"),
            key("seats", "integer", "应选名额", "the seats"),
            key("polling_date", "date", "计划投票日", "the planned polling date"),
        ),
        "close_registration": (
            key("registered_voters", "integer", "登记选民人数", "registered voters (≥ 1)"),
        ),
        "announce_candidates": (
            key("candidates", "list", "正式候选人", "the candidates' ids (more than seats)"),
        ),
        "open_polls": (),
        "close_polls": (),
        "announce_results": (
            key("voters_voted", "integer", "投票人数", "voters who voted"),
            key("votes", "mapping", "各候选人得票", "votes per candidate id"),
            key(
                "ballots_collected",
                "integer",
                "收回选票数（默认投票人数）",
                "ballots collected (default: voters_voted)",
                required=False,
            ),
        ),
        "declare_failed": (
            key("voters_voted", "integer", "投票人数", "voters who voted"),
            key("votes", "mapping", "各候选人得票", "votes per candidate id"),
            key(
                "ballots_collected",
                "integer",
                "收回选票数（默认投票人数）",
                "ballots collected (default: voters_voted)",
                required=False,
            ),
        ),
        "rerun": (),
        "call_further_round": (
            key("candidates", "list", "另行选举候选人", "the further round's candidates"),
        ),
        "hand_over": (
            key("members", "list", "委员会成员", "the committee's members (id, gender …)"),
            key("method", "text", "选举方式", "the election method", required=False),
        ),
        "cancel": (),
    }
    machine = ElectionMachine
    states = ElectionState
    events = ElectionEvent

    def __init__(
        self,
        *,
        rules: Sequence[ElectionRules] | ElectionRules | None = None,
        standards: Standards | None = None,
        windows: Sequence[ElectionWindow] = (),
        clock: Any = None,
        key: HostKey | None = None,
    ) -> None:
        super().__init__(clock=clock, key=key)
        if rules is None and standards is None:
            raise InvalidArgumentError(
                "ElectionWorkflow(rules, standards)", None, "rules= or standards= (or both)"
            )
        if isinstance(rules, ElectionRules):
            given: tuple[ElectionRules, ...] = (rules,)
        elif rules is None:
            given = ()
        else:
            given = expect_items("ElectionWorkflow(rules)", rules, ElectionRules)
        if standards is not None:
            from sqfw.standards import Standards

            expect("ElectionWorkflow(standards)", standards, Standards)
        self.rules = {r.kind: r for r in given}
        self.standards = standards
        self.windows = {
            w.term: w for w in expect_items("ElectionWorkflow(windows)", windows, ElectionWindow)
        }

    def rules_for(self, kind: CommitteeKind, on: pendulum.Date) -> ElectionRules:
        """The rules for ``kind`` in force on ``on``."""
        if kind in self.rules:
            return self.rules[kind]
        if self.standards is None:
            raise Refusal(reason(f"没有{kind.label_zh}的选举规则", f"no rules for {kind.label_en}"))
        return ElectionRules.from_standards(self.standards, kind, on)

    def tally_for(self, ctx: EventContext[ElectionFacts]) -> TallyResult:
        """Tally the figures sent with ``announce_results`` / ``declare_failed``."""
        facts = ctx.facts
        data = ctx.data
        votes = data.get("votes")
        problems: list[str] = []
        if not _is_count(data.get("voters_voted")):
            problems.append(reason("须给出投票人数", "voters_voted is required"))
        if not isinstance(votes, Mapping) or not all(_is_count(v) for v in votes.values()):
            problems.append(reason("须给出各候选人得票", "votes (candidate → votes) is required"))
        elif set(votes) - set(facts.candidates):
            stray = sorted(set(votes) - set(facts.candidates))
            problems.append(
                reason(f"{', '.join(stray)} 不是本轮候选人", f"{stray} are not candidates")
            )
        collected = data.get("ballots_collected", data.get("voters_voted"))
        if not _is_count(collected):
            problems.append(reason("收回选票数须为非负整数", "ballots_collected: an integer ≥ 0"))
        voted = _count(data.get("voters_voted"))
        if voted is not None and voted > facts.registered_voters:
            problems.append(
                reason(
                    f"投票人数 {voted} 多于登记选民 {facts.registered_voters}",
                    f"{voted} voted but only {facts.registered_voters} are registered",
                )
            )
        if problems or facts.kind is None or facts.polling_date is None:
            raise Refusal(*problems)
        assert isinstance(votes, Mapping)
        assert isinstance(voted, int)
        assert isinstance(collected, int)
        try:
            return tally_votes(
                self.rules_for(facts.kind, facts.polling_date),
                registered_voters=facts.registered_voters,
                voters_voted=voted,
                seats=facts.unfilled_seats if facts.round > 1 else facts.seats or 1,
                votes={c: votes.get(c, 0) for c in facts.candidates},
                round=facts.round,
                ballots_collected=collected,
            )
        except ValueError as exc:
            raise Refusal(
                reason(f"计票数据有误：{exc}", f"the tally is inconsistent: {exc}")
            ) from exc

    @staticmethod
    def committee_data(committee: Committee) -> dict[str, Any]:
        """The ``hand_over`` data of a committee, without personal data.

        Keeps each member's id, gender, role and whether they are community police or a
        social-organisation head (§1.3); names, identity numbers and phones stay out of
        the audit trail.
        """
        return {
            "method": committee.method.value,
            "members": [
                {
                    "id": m.id,
                    "gender": m.gender.value,
                    "role": m.role.value,
                    "is_community_police": m.is_community_police,
                    "is_social_org_head": m.is_social_org_head,
                }
                for m in committee.members
            ],
        }

    def initial_facts(self) -> ElectionFacts:
        """An election with nothing decided yet."""
        return ElectionFacts()

    def enrich(self, ctx: EventContext[ElectionFacts]) -> Mapping[str, Any]:
        """Keep the computed tally (elected, explanation, law texts) in the trail."""
        if ctx.event in ("announce_results", "declare_failed"):
            return {**ctx.data, "tally": self.tally_for(ctx).as_data()}
        return ctx.data

    def fold(self, facts: ElectionFacts, entry: AuditEntry) -> ElectionFacts:
        """Fold one audit entry into the election's facts."""
        data = entry.data
        event = entry.event
        if event == "open_registration":
            return attrs.evolve(
                facts,
                kind=CommitteeKind(data["kind"]),
                method=ElectionMethod(data["method"]),
                term=data["term"],
                seats=data["seats"],
                polling_date=as_date(data["polling_date"]),
            )
        if event == "close_registration":
            return attrs.evolve(facts, registered_voters=data["registered_voters"])
        if event == "announce_candidates":
            return attrs.evolve(facts, candidates=tuple(data["candidates"]), round=1)
        if event == "announce_results":
            result = data.get("tally", {})
            elected = facts.elected + tuple(result.get("elected", ()))
            return attrs.evolve(
                facts,
                elected=elected,
                last_votes=dict(result.get("votes", {})),
                unfilled_seats=(facts.seats or 0) - len(elected),
            )
        if event == "declare_failed":
            return attrs.evolve(facts, last_votes=dict(data.get("tally", {}).get("votes", {})))
        if event == "call_further_round":
            return attrs.evolve(facts, candidates=tuple(data["candidates"]), round=facts.round + 1)
        if event == "hand_over":
            return attrs.evolve(facts, committee=_members(data))
        return facts
