"""The record of one committee election round (§1.1–§1.4).

An :class:`Election` holds what the polling produced: registered voters, ballots cast,
seats and every candidate with the votes received. Whether the election is valid (turnout
above half) and who is elected are decided by the election workflow from dated, cited
thresholds in the standards data, never here: this module only refuses impossible data
(more ballots than voters, more votes for a candidate than ballots).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    non_negative_int,
    positive_int,
    to_name,
    to_optional_date,
    to_tuple,
    unique_by,
)
from sqfw.entities.committee import CommitteeKind, ElectionMethod, Gender
from sqfw.privacy import PersonName

__all__ = ["Candidate", "Election"]


@attrs.frozen(kw_only=True, field_transformer=explained)
class Candidate:
    """A candidate (正式候选人) and the votes received in one round.

    Attributes:
        id: the candidate's identifier within the election.
        name: the candidate's name (personal data, masked in repr and default export).
        gender: a :class:`~sqfw.entities.committee.Gender`.
        votes: votes received in this round.
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    gender: Gender = attrs.field(converter=Gender)
    votes: int = attrs.field(default=0, validator=non_negative_int)


def _candidates(value: Iterable[Candidate]) -> tuple[Candidate, ...]:
    return to_tuple(value, Candidate)


def _ballots_within_voters(instance: Election, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, int) and value > instance.registered_voters:
        fail(
            instance,
            attribute,
            value,
            f"ballots cast ≤ registered voters ({instance.registered_voters})",
        )


def _votes_within_ballots(
    instance: Election, attribute: attrs.Attribute[Any], value: tuple[Candidate, ...]
) -> None:
    for candidate in value:
        if candidate.votes > instance.ballots_cast:
            fail(
                instance,
                attribute,
                candidate.votes,
                f"votes for {candidate.id!r} ≤ ballots cast ({instance.ballots_cast})",
            )


@attrs.frozen(kw_only=True, field_transformer=explained)
class Election:
    """One round of a committee election.

    Attributes:
        term: the term being elected (第十届 = 10).
        kind: residents' or villagers' committee (decides which organic law applies).
        method: direct, household or group representatives (§1.2).
        registered_voters: voters on the register (登记参加选举的选民).
        ballots_cast: ballots cast (投票人数); at most ``registered_voters``.
        seats: seats to fill in this round.
        candidates: the candidates and their votes; ids are unique.
        round: 1 for the main ballot, 2+ for a further round (另行选举).
        held_on: the polling date, if known (decides which version of a law applies).

    Raises:
        InvalidEntityError: more ballots than voters, more votes for one candidate than
            ballots, duplicate candidate ids, non-positive seats or round.
    """

    term: int = attrs.field(validator=positive_int)
    kind: CommitteeKind = attrs.field(converter=CommitteeKind)
    method: ElectionMethod = attrs.field(converter=ElectionMethod)
    registered_voters: int = attrs.field(validator=non_negative_int)
    ballots_cast: int = attrs.field(validator=[non_negative_int, _ballots_within_voters])
    seats: int = attrs.field(validator=positive_int)
    candidates: tuple[Candidate, ...] = attrs.field(
        default=(),
        converter=_candidates,
        validator=[unique_by(lambda c: c.id, "candidate id"), _votes_within_ballots],
    )
    round: int = attrs.field(default=1, validator=positive_int)
    held_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
