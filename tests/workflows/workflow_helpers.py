"""Shared builders for the workflow tests (imported by the test modules)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pendulum

from sqfw.entities.committee import CommitteeKind
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.election import ElectionRules, ElectionWorkflow

T0 = pendulum.datetime(2017, 3, 1, 9, tz="Asia/Shanghai")


def village_rules() -> ElectionRules:
    """Rules built directly, as a host with its own election measures would."""
    return ElectionRules(
        kind=CommitteeKind.VILLAGERS,
        committee_size_min=3,
        committee_size_max=7,
        term_years=5,
        valid_turnout_more_than=Fraction(1, 2),
        winning_share_more_than=Fraction(1, 2),
        further_round_share_at_least=Fraction(1, 3),
        sources=("test rules",),
    )


SETUP: dict[str, Any] = {
    "kind": "villagers",
    "method": "direct",
    "term": 10,
    "seats": 3,
    "polling_date": "2017-05-10",
}


def election_at_counting(wf: ElectionWorkflow, voters: int = 100) -> WorkflowRecord:
    """An election of 3 seats, 5 candidates, polls closed."""
    r = wf.new("E1")
    r = wf.apply(r, "open_registration", actor="clerk", at=T0, data=SETUP)
    r = wf.apply(
        r,
        "close_registration",
        actor="clerk",
        at=T0.add(days=10),
        data={"registered_voters": voters},
    )
    r = wf.apply(
        r,
        "announce_candidates",
        actor="clerk",
        at=T0.add(days=20),
        data={"candidates": ["a", "b", "c", "d", "e"]},
    )
    r = wf.apply(r, "open_polls", actor="clerk", at=T0.add(days=70))
    return wf.apply(r, "close_polls", actor="clerk", at=T0.add(days=70, hours=8))
