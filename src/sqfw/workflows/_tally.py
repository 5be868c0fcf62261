"""The election rules and the tally calculator of the committee election (§1.2–§1.4).

:class:`ElectionRules` holds the numbers of the organic laws (committee size, the turnout
that makes an election valid, the share that elects, the share a further round needs)
with the law text each came from; :func:`tally_votes` applies them to a count and
returns an explained :class:`TallyResult`. Import them from
:mod:`sqfw.workflows.election`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from sqfw._args import expect
from sqfw.entities.committee import CommitteeKind
from sqfw.entities.election import Election
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.workflows._definition import reason

if TYPE_CHECKING:
    from sqfw.standards import Standards

__all__ = [
    "CandidateResult",
    "ElectionRules",
    "ElectionWindow",
    "TallyResult",
    "at_least",
    "more_than",
    "tally",
    "tally_votes",
]


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _lines(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


# --- rules ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ElectionRules:
    """The election thresholds of one kind of committee, with their sources.

    Build them from the standards data with :meth:`from_standards`, or directly (a region's
    own election measures, a test).

    Args:
        kind: residents' or villagers' committee.
        committee_size_min: fewest members of a committee.
        committee_size_max: most members of a committee.
        term_years: years of a term.
        valid_turnout_more_than: share of registered voters that must be exceeded for a
            valid election (1/2: exactly half is not enough).
        winning_share_more_than: share of the ballots cast a candidate must exceed.
        further_round_share_at_least: share of the ballots cast a candidate of a further
            round must reach.
        sources: the law texts the values come from, one line each, for results to cite.
    """

    kind: CommitteeKind = attrs.field(converter=CommitteeKind)
    committee_size_min: int
    committee_size_max: int
    term_years: int
    valid_turnout_more_than: Fraction = attrs.field(converter=Fraction)
    winning_share_more_than: Fraction = attrs.field(converter=Fraction)
    further_round_share_at_least: Fraction = attrs.field(converter=Fraction)
    sources: tuple[str, ...] = attrs.field(default=(), converter=_lines)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.committee_size_min <= self.committee_size_max:
            raise ValueError(
                "ElectionRules: expected 1 ≤ committee_size_min ≤ committee_size_max, got "
                f"{self.committee_size_min}–{self.committee_size_max}"
            )
        for name in (
            "valid_turnout_more_than",
            "winning_share_more_than",
            "further_round_share_at_least",
        ):
            share = getattr(self, name)
            if not 0 <= share < 1:
                raise ValueError(f"ElectionRules.{name}: expected a share in [0, 1), got {share}")

    @classmethod
    def from_standards(
        cls,
        standards: Standards,
        kind: CommitteeKind | str,
        on: pendulum.Date | str,
    ) -> ElectionRules:
        """Read the thresholds in force on ``on`` for ``kind`` from a standards set.

        Reads ``election.<kind>.committee_size.min|max``, ``election.<kind>.term_years``,
        ``election.<kind>.valid_turnout.more_than``, ``election.<kind>.winning_share.more_than``
        and ``election.<kind>.further_round_share.at_least``.

        Raises:
            ParameterNotFoundError: a parameter is missing from the set.
            NotInForceError: a parameter has no value on ``on``.
        """
        kind = CommitteeKind(kind)
        day = as_date(on)
        names = {
            "committee_size_min": "committee_size.min",
            "committee_size_max": "committee_size.max",
            "term_years": "term_years",
            "valid_turnout_more_than": "valid_turnout.more_than",
            "winning_share_more_than": "winning_share.more_than",
            "further_round_share_at_least": "further_round_share.at_least",
        }
        values: dict[str, Any] = {}
        sources: list[str] = []
        for field, suffix in names.items():
            found = standards.lookup(f"election.{kind.value}.{suffix}", day)
            values[field] = found.value
            line = f"{found.id} = {found.value}: {found.citation}"
            if found.assumption:
                line += " [默认假设 / assumption]"
            if found.carried_forward:
                line += " [沿用旧文本数值,未经核对 / carried forward, unverified]"
            if found.note:
                line += f" ({found.note})"
            sources.append(line)
        return cls(
            kind=kind,
            committee_size_min=int(values["committee_size_min"]),
            committee_size_max=int(values["committee_size_max"]),
            term_years=int(values["term_years"]),
            valid_turnout_more_than=Fraction(values["valid_turnout_more_than"]),
            winning_share_more_than=Fraction(values["winning_share_more_than"]),
            further_round_share_at_least=Fraction(values["further_round_share_at_least"]),
            sources=tuple(sources),
        )


@attrs.frozen(kw_only=True)
class ElectionWindow:
    """The region's single window for a general election (§1.1), inclusive of both ends.

    Args:
        term: the term elected (第十届 = 10).
        opens: the first polling day allowed.
        closes: the last polling day allowed.
    """

    term: int
    opens: pendulum.Date = attrs.field(converter=as_date)
    closes: pendulum.Date = attrs.field(converter=as_date)

    def __attrs_post_init__(self) -> None:
        if self.closes < self.opens:
            raise ValueError(f"ElectionWindow: closes {self.closes} is before opens {self.opens}")

    def contains(self, day: pendulum.Date) -> bool:
        """Whether ``day`` is inside the window."""
        return self.opens <= day <= self.closes


# --- the tally calculator ------------------------------------------------------------------


def _share_words(share: Fraction) -> tuple[str, str]:
    known = {
        Fraction(1, 2): ("半数", "half"),
        Fraction(1, 3): ("三分之一", "one third"),
        Fraction(2, 3): ("三分之二", "two thirds"),
    }
    return known.get(share, (f"{share.numerator}/{share.denominator}", f"{share}"))


def more_than(share: Fraction, total: int) -> int:
    """The fewest whole votes (or voters) that are *more than* ``share`` of ``total``."""
    return math.floor(share * total) + 1


def at_least(share: Fraction, total: int) -> int:
    """The fewest whole votes that are *at least* ``share`` of ``total``."""
    return math.ceil(share * total)


@attrs.frozen(kw_only=True)
class CandidateResult:
    """How one candidate fared.

    Attributes:
        candidate_id: the candidate.
        votes: votes received.
        needed: the fewest votes that would have been enough.
        elected: whether the candidate is elected.
        explanation: one line, ``"中文 / English"``.
    """

    candidate_id: str
    votes: int
    needed: int
    elected: bool
    explanation: str

    @property
    def shortfall(self) -> int:
        """Votes missing to reach ``needed`` (0 if reached)."""
        return max(0, self.needed - self.votes)


@attrs.frozen(kw_only=True)
class TallyResult:
    """The explained result of one round of voting.

    Attributes:
        valid: the turnout made the election valid and it is not void.
        void: more ballots were collected than voters voted.
        registered_voters: voters on the register.
        voters_voted: voters who voted (ballots cast).
        ballots_collected: ballots taken out of the boxes.
        turnout: ``voters_voted / registered_voters``, exact.
        turnout_needed: the fewest voters that make the election valid.
        seats: seats to fill in this round.
        round: 1 for the main ballot, 2+ for a further round.
        candidates: per-candidate results, most votes first.
        elected: ids elected in this round, most votes first.
        tied: ids tied for the last seat, so none of them is elected.
        unfilled_seats: seats left for a further round.
        defects: why the election is not valid (empty when it is).
        explanation: lines ``"中文 / English"``, the verdict first.
        sources: the law texts applied.
    """

    valid: bool
    void: bool
    registered_voters: int
    voters_voted: int
    ballots_collected: int
    turnout: Fraction
    turnout_needed: int
    seats: int
    round: int
    candidates: tuple[CandidateResult, ...]
    elected: tuple[str, ...]
    tied: tuple[str, ...]
    unfilled_seats: int
    defects: tuple[str, ...]
    explanation: tuple[str, ...]
    sources: tuple[str, ...]

    def as_data(self) -> dict[str, Any]:
        """A JSON-plain summary, as the audit trail keeps it."""
        return {
            "valid": self.valid,
            "void": self.void,
            "round": self.round,
            "seats": self.seats,
            "elected": list(self.elected),
            "tied": list(self.tied),
            "unfilled_seats": self.unfilled_seats,
            "turnout": f"{self.turnout.numerator}/{self.turnout.denominator}",
            "votes": {c.candidate_id: c.votes for c in self.candidates},
            "explanation": list(self.explanation),
            "sources": list(self.sources),
        }


def tally(
    election: Election, rules: ElectionRules, *, ballots_collected: int | None = None
) -> TallyResult:
    """Decide one round of an :class:`~sqfw.entities.Election` and explain it.

    See :func:`tally_votes`; this reads the figures from the entity.

    Raises:
        InvalidArgumentError: ``election`` is not an Election, or as :func:`tally_votes`.
    """
    expect("election", election, Election)
    return tally_votes(
        rules,
        registered_voters=election.registered_voters,
        voters_voted=election.ballots_cast,
        seats=election.seats,
        votes={c.id: c.votes for c in election.candidates},
        round=election.round,
        ballots_collected=ballots_collected,
    )


def tally_votes(
    rules: ElectionRules,
    *,
    registered_voters: int,
    voters_voted: int,
    seats: int,
    votes: Mapping[str, int],
    round: int = 1,
    ballots_collected: int | None = None,
) -> TallyResult:
    """Decide one round of an election with exact arithmetic, and explain it.

    The election is valid when more than ``rules.valid_turnout_more_than`` of the registered
    voters voted (exactly half is not enough; half plus one is), and void when more ballots
    were collected than voters voted. In the main round (``round == 1``) a candidate needs
    more than ``rules.winning_share_more_than`` of the ballots cast; in a further round at
    least ``rules.further_round_share_at_least``. Seats go to the candidates with the most
    votes; candidates tied for the last seat are all left for a new vote.

    Args:
        rules: the thresholds and their sources.
        registered_voters: voters on the register.
        voters_voted: voters who voted (ballots cast).
        seats: seats to fill in this round.
        votes: candidate id → votes received.
        round: 1 for the main ballot, 2+ for a further round.
        ballots_collected: ballots taken out of the boxes; defaults to ``voters_voted``.

    Returns:
        A :class:`TallyResult` that names every threshold and the law text it came from.

    Raises:
        InvalidArgumentError: negative figures, more voters than registered, fewer than one
            seat, or more votes for a candidate than ballots cast (a ``ValueError``).
    """
    expect("rules", rules, ElectionRules)
    if not isinstance(votes, Mapping):
        raise InvalidArgumentError("votes", votes, "a mapping of candidate id to votes")
    for label, number in (("seats", seats), ("round", round)):
        if not _is_count(number) or number < 1:
            raise InvalidArgumentError(label, number, "an integer ≥ 1")
    registered = registered_voters
    voted = voters_voted
    if ballots_collected is None:
        ballots_collected = voted
    for label, number in (
        ("registered_voters", registered),
        ("voters_voted", voted),
        ("ballots_collected", ballots_collected),
        *((f"votes[{k!r}]", v) for k, v in votes.items()),
    ):
        if not _is_count(number):
            raise InvalidArgumentError(label, number, "an integer ≥ 0")
    if voted > registered:
        raise InvalidArgumentError(
            "voters_voted", voted, f"at most registered_voters ({registered})"
        )
    over = sorted(k for k, v in votes.items() if v > voted)
    if over:
        raise InvalidArgumentError(
            "votes", {k: votes[k] for k in over}, f"at most the ballots cast ({voted}) each"
        )
    turnout = Fraction(voted, registered) if registered else Fraction(0)
    t_zh, t_en = _share_words(rules.valid_turnout_more_than)
    turnout_needed = more_than(rules.valid_turnout_more_than, registered)
    lines: list[str] = []
    defects: list[str] = []
    turnout_ok = registered > 0 and turnout > rules.valid_turnout_more_than
    if turnout_ok:
        lines.append(
            reason(
                f"登记选民 {registered} 人，参加投票 {voted} 人，超过{t_zh}（需至少 "
                f"{turnout_needed} 人），选举有效",
                f"{voted} of {registered} registered voters voted, more than {t_en} "
                f"({turnout_needed} needed): the election is valid",
            )
        )
    else:
        short = turnout_needed - voted
        defects.append(
            reason(
                f"登记选民 {registered} 人，参加投票 {voted} 人，未超过{t_zh}（需至少 "
                f"{turnout_needed} 人，差 {short} 人），选举无效",
                f"{voted} of {registered} registered voters voted, not more than {t_en} "
                f"({turnout_needed} needed, {short} short): the election is not valid",
            )
        )
    void = ballots_collected > voted
    if void:
        defects.append(
            reason(
                f"收回选票 {ballots_collected} 张，多于投票人数 {voted} 人，选举无效",
                f"{ballots_collected} ballots collected but only {voted} voters voted: "
                "the election is void",
            )
        )
    valid = not defects
    if round > 1:
        share = rules.further_round_share_at_least
        needed = at_least(share, voted)
        s_zh, s_en = _share_words(share)
        reach_zh, reach_en = f"达到{s_zh}", f"at least {s_en} of the ballots"
    else:
        share = rules.winning_share_more_than
        needed = more_than(share, voted)
        s_zh, s_en = _share_words(share)
        reach_zh = f"过{s_zh}"
        reach_en = "a majority" if share == Fraction(1, 2) else f"more than {s_en} of the ballots"
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    qualified = [(c, v) for c, v in ranked if v >= needed] if valid else []
    elected, tied = _fill(qualified, seats)
    results = tuple(
        _candidate_result(c, v, needed, c in elected, c in tied, valid, reach_zh, reach_en)
        for c, v in ranked
    )
    unfilled = seats - len(elected)
    if valid:
        lines.append(
            reason(
                f"应选 {seats} 名，当选 {len(elected)} 名，另行选举名额 {unfilled} 名",
                f"{seats} seats, {len(elected)} elected, {unfilled} left for a further round",
            )
        )
    explanation = [*defects, *lines, *(r.explanation for r in results)]
    explanation.extend(f"依据 / applied: {source}" for source in rules.sources)
    return TallyResult(
        valid=valid,
        void=void,
        registered_voters=registered,
        voters_voted=voted,
        ballots_collected=ballots_collected,
        turnout=turnout,
        turnout_needed=turnout_needed,
        seats=seats,
        round=round,
        candidates=results,
        elected=tuple(c for c, _ in ranked if c in elected),
        tied=tuple(c for c, _ in ranked if c in tied),
        unfilled_seats=unfilled,
        defects=tuple(defects),
        explanation=tuple(explanation),
        sources=rules.sources,
    )


def _fill(qualified: Sequence[tuple[str, int]], seats: int) -> tuple[set[str], set[str]]:
    if len(qualified) <= seats:
        return {c for c, _ in qualified}, set()
    boundary = qualified[seats - 1][1]
    if qualified[seats][1] != boundary:
        return {c for c, _ in qualified[:seats]}, set()
    # Candidates tied at the last seat: none of them is elected by this round.
    above = {c for c, v in qualified if v > boundary}
    tied = {c for c, v in qualified if v == boundary}
    return above, tied


def _candidate_result(
    cid: str,
    votes: int,
    needed: int,
    elected: bool,
    tied: bool,
    valid: bool,
    reach_zh: str,
    reach_en: str,
) -> CandidateResult:
    if not valid:
        text = reason(f"{cid} 得 {votes} 票，选举无效，未当选", f"{cid}: {votes} votes; not valid")
    elif elected:
        text = reason(
            f"{cid} 得 {votes} 票，{reach_zh}（需 {needed} 票），当选",
            f"{cid}: {votes} votes, {reach_en} ({needed} needed): elected",
        )
    elif votes < needed:
        short = needed - votes
        noun = "vote" if short == 1 else "votes"
        text = reason(
            f"{cid} 得 {votes} 票，差 {short} 票{reach_zh}（需 {needed} 票），未当选",
            f"{cid}: {votes} votes, {short} {noun} short of {reach_en} ({needed} needed): "
            "not elected",
        )
    elif tied:
        text = reason(
            f"{cid} 得 {votes} 票，与他人票数相等争最后名额，须再次投票",
            f"{cid}: {votes} votes, tied for the last seat: a new vote is needed",
        )
    else:
        text = reason(
            f"{cid} 得 {votes} 票，{reach_zh}但名额已满，未当选",
            f"{cid}: {votes} votes, {reach_en} but the seats are filled by candidates "
            "with more votes: not elected",
        )
    return CandidateResult(
        candidate_id=cid, votes=votes, needed=needed, elected=elected, explanation=text
    )
