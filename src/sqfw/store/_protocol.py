"""What a store of workflow records promises, whatever database is behind it.

:class:`RecordStore` is the protocol :class:`~sqfw.store.SqlStore` implements; a host
with its own database implements the same five methods with the same rules:

- ``save`` commits a record's new entries and its new version and head in one
  transaction, and only if the stored version and head are still those the new entries
  were appended to (compare-and-set); otherwise it raises
  :class:`~sqfw.errors.ConcurrencyConflict` naming both versions and commits nothing;
- entries are never updated or deleted;
- ``load`` returns a record that verifies, or raises
  :class:`~sqfw.errors.TrailBroken`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from sqfw.workflows import TrailProblem, WorkflowRecord

__all__ = ["RecordStore", "StoredRecord"]


@attrs.frozen(kw_only=True)
class StoredRecord:
    """One line of a host's work list: a record as indexed by the store, without its trail.

    Attributes:
        workflow: the workflow's name.
        record_id: the record's id.
        state: its state.
        version: its version.
        head: its head hash.
        updated_at: when its last event happened (``None`` for an empty trail).
        due: its deadline, if its workflow gives one (:meth:`Workflow.due`).
        offices: the back offices holding it (:meth:`Workflow.holders`).
    """

    workflow: str
    record_id: str
    state: str
    version: int
    head: str
    updated_at: pendulum.DateTime | None
    due: pendulum.DateTime | None
    offices: tuple[str, ...]


@runtime_checkable
class RecordStore(Protocol):
    """A store of workflow records with compare-and-set saves and append-only entries."""

    def load(self, workflow: str, record_id: str) -> WorkflowRecord:
        """The stored record, verified. Raises LookupError if there is none."""
        ...

    def save(self, record: WorkflowRecord) -> WorkflowRecord:
        """Commit the record's new entries, or raise ConcurrencyConflict."""
        ...

    def find(
        self,
        *,
        workflow: str | None = None,
        state: str | Sequence[str] | None = None,
        office: str | None = None,
        due_before: pendulum.DateTime | None = None,
        due_after: pendulum.DateTime | None = None,
        limit: int | None = None,
    ) -> list[StoredRecord]:
        """The records matching every condition given, soonest due first."""
        ...

    def verify_all(self, *, limit: int | None = 1000) -> list[TrailProblem]:
        """Check every stored chain; the first problem of each broken record."""
        ...
