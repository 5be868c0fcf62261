"""Tickets that the report and store tests build: one legal-aid ticket driven to its answer.

The report tests count its rating (好差评, §4.7), the store tests save it and read it back
through ``sqfw assess --tickets``; both need the same real trail, built by the workflow.
"""

from __future__ import annotations

import pendulum

from sqfw.entities.ticket import ServiceTicket
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.ticket import TicketWorkflow

COMMUNITY = "150101001001"  # 兴华街道第1社区 of the bundled sample region


def handled_legal_aid(wf: TicketWorkflow, tid: str, *, at: pendulum.DateTime) -> WorkflowRecord:
    """王五's legal-aid ticket (``justice.legal_aid``) of :data:`COMMUNITY`, received an
    hour before ``at``; at ``at`` dispatched to justice, accepted, finished there and
    answered 已办结 (state ``answered``)."""
    ticket = ServiceTicket(
        id=tid,
        service_code="justice.legal_aid",
        kind="handling",
        community_code=COMMUNITY,
        received_at=at.subtract(hours=1),
        applicant="王五",
        departments=["justice"],
    )
    r = wf.receive(wf.new(tid), ticket, actor="window")
    r = wf.apply(r, "dispatch", actor="d", at=at, data={"offices": ["justice"]})
    r = wf.apply(r, "office_accept", actor="j", at=at, data={"office": "justice"})
    r = wf.apply(r, "office_finish", actor="j", at=at, data={"office": "justice"})
    return wf.apply(r, "answer", actor="w", at=at, reason="已办结")


def rated_legal_aid(
    wf: TicketWorkflow,
    tid: str,
    satisfaction: str,
    *,
    at: pendulum.DateTime,
    rated_at: pendulum.DateTime,
) -> WorkflowRecord:
    """The ticket of :func:`handled_legal_aid`, rated ``satisfaction`` by the resident at
    ``rated_at`` (state ``rated``)."""
    answered = handled_legal_aid(wf, tid, at=at)
    data = {"satisfaction": satisfaction}
    return wf.apply(answered, "rate", actor="resident", at=rated_at, data=data)
