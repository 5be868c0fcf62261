"""The verbs: workflows that hosts drive one event at a time and analysts replay in bulk.

Each workflow is one python-statemachine definition bound to a :class:`WorkflowRecord`,
the frozen object a host stores (state, version, append-only audit trail):

- :mod:`sqfw.workflows.election`: the committee election cycle (§1.1–§1.4);
- :mod:`sqfw.workflows.filing`: filing of community social organisations (§5.6);
- :mod:`sqfw.workflows.ticket`: the one-window service ticket (§3.8, §3.9, §4.7).

.. versionadded:: 0.1.0
"""

from sqfw.workflows._base import (
    AuditEntry,
    EventContext,
    Refusal,
    TrailProblem,
    TrailValidator,
    Workflow,
    WorkflowMachine,
    WorkflowRecord,
    guard,
    reason,
)

__all__ = [
    "AuditEntry",
    "EventContext",
    "Refusal",
    "TrailProblem",
    "TrailValidator",
    "Workflow",
    "WorkflowMachine",
    "WorkflowRecord",
    "guard",
    "reason",
]
