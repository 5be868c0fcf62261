"""Builders shared by the store tests (and the worker processes of the concurrency test)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pendulum

from sqfw.entities.committee import CommitteeKind
from sqfw.workflows import HostKey, Workflow, WorkflowRecord
from sqfw.workflows.election import ElectionRules, ElectionWorkflow
from sqfw.workflows.filing import OrgFilingWorkflow
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

T0 = pendulum.datetime(2024, 3, 1, 9, tz="Asia/Shanghai")
ORG = {"id": "o1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}
FILING = OrgFilingWorkflow()
TICKETS = TicketWorkflow(catalogue=example_catalogue())
ELECTIONS = ElectionWorkflow(
    rules=ElectionRules(
        kind=CommitteeKind.VILLAGERS,
        committee_size_min=3,
        committee_size_max=7,
        term_years=5,
        valid_turnout_more_than=Fraction(1, 2),
        winning_share_more_than=Fraction(1, 2),
        further_round_share_at_least=Fraction(1, 3),
        sources=("test rules",),
    )
)
KEY = HostKey(key_id="county-a", secret=b"county a's secret, 32 bytes long")
OTHER = HostKey(key_id="intruder", secret=b"someone else's secret key bytes!")
SIGNED = OrgFilingWorkflow(key=KEY)


def workflows() -> list[Workflow[Any]]:
    return [ELECTIONS, FILING, TICKETS]


def filed(
    record_id: str = "O1", at: pendulum.DateTime = T0, *, wf: OrgFilingWorkflow = FILING
) -> WorkflowRecord:
    """A filed organisation (3 entries), signed if ``wf`` has a key."""
    r = wf.apply(wf.new(record_id), "submit", actor="clerk", at=at, data={**ORG, "id": record_id})
    r = wf.apply(r, "start_review", actor="clerk", at=at.add(hours=1))
    return wf.apply(r, "accept", actor="clerk", at=at.add(hours=2))


def signed_filing(record_id: str = "O1") -> WorkflowRecord:
    """A filed organisation, every entry signed with :data:`KEY` (3 entries)."""
    return filed(record_id, wf=SIGNED)


def review_step(record: WorkflowRecord, at: pendulum.DateTime, token: str) -> WorkflowRecord:
    """One more step of the annual-review cycle filed ⇄ annual_review (repeatable forever)."""
    if record.state == "filed":
        year = 1000 + record.version  # one review a year: a new year per review
        data = {"year": year}
        return FILING.apply(
            record, "start_annual_review", actor="clerk", at=at, reason=token, data=data
        )
    return FILING.apply(record, "pass_annual_review", actor="clerk", at=at, reason=token)


def ticket(record_id: str = "T1", at: pendulum.DateTime = T0, *offices: str) -> WorkflowRecord:
    """A ticket received (and dispatched to ``offices``, if any)."""
    wf = TICKETS
    r = wf.apply(
        wf.new(record_id),
        "receive",
        actor="window",
        at=at,
        data={
            "service_code": "hrss.pension_certification",
            "kind": "handling",
            "channel": "window",
        },
    )
    if offices:
        r = wf.apply(r, "dispatch", actor="window", at=at, data={"offices": list(offices)})
    return r
