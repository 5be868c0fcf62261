"""The verbs: workflows that hosts drive one event at a time and analysts replay in bulk.

Each workflow is one python-statemachine definition bound to a :class:`WorkflowRecord`,
the frozen object a host stores (state, version, head hash, append-only hash-chained
audit trail):

- :mod:`sqfw.workflows.election`: the committee election cycle (§1.1–§1.4);
- :mod:`sqfw.workflows.filing`: filing of community social organisations (§5.6);
- :mod:`sqfw.workflows.grid_event`: events grid workers find on patrol, handled on the
  spot or dispatched into a linked one-window ticket (§3.5, §3.8);
- :mod:`sqfw.workflows.ticket`: the one-window service ticket (§3.8, §3.9, §4.7);
- :mod:`sqfw.workflows.volunteer_service`: volunteer service records, recorded, certified
  and corrected on request, and the certificates issued from them (§5.9–§5.11).

The machinery is split by idea: records and their trails (``_records``), the chain
format (``_chain``), the compiled definition and the one check of trails
(``_definition``), diagrams (``_diagrams``), the events' declared data and the options
a host's UI is built from (``_events``), :class:`Workflow` itself (``_workflow``),
and the ticket's service catalogue and working-day clock (``_catalogue``, ``_clock``).

.. versionadded:: 0.1.0
"""

from sqfw.workflows._chain import CHAIN_FORMAT, GENESIS, HostKey
from sqfw.workflows._definition import TrailProblem, reason
from sqfw.workflows._events import DataKey, DataKind, EventOption, key
from sqfw.workflows._records import AuditEntry, WorkflowRecord
from sqfw.workflows._workflow import (
    EventContext,
    Refusal,
    TrailValidator,
    Workflow,
    WorkflowInputError,
    WorkflowMachine,
    guard,
)

__all__ = [
    "CHAIN_FORMAT",
    "GENESIS",
    "AuditEntry",
    "DataKey",
    "DataKind",
    "EventContext",
    "EventOption",
    "HostKey",
    "Refusal",
    "TrailProblem",
    "TrailValidator",
    "Workflow",
    "WorkflowInputError",
    "WorkflowMachine",
    "WorkflowRecord",
    "guard",
    "key",
    "reason",
]
