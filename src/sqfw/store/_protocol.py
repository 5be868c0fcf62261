"""What a store of workflow records promises, whatever database is behind it.

:class:`RecordStore` is the protocol :class:`~sqfw.store.SqlStore` implements; a host
with its own database implements the same five methods with the same rules:

- ``save`` commits a record's new entries and its new version and head in one
  transaction, and only if the stored version and head are still those the new entries
  were appended to (compare-and-set); otherwise it raises
  :class:`~sqfw.errors.ConcurrencyConflict` naming both versions and commits nothing;
- entries are never updated or deleted;
- ``load`` and ``records`` return records that verify (with the host's keys, when the
  store has them: every entry signed by one), or raise :class:`~sqfw.errors.TrailBroken`
  naming the record and the entry; so does a stored value that cannot be decoded or is
  out of bounds;
- ``verify_all`` reports what ``load`` would refuse, and says whether it checked
  signatures (:class:`StoreCheck`).

:mod:`sqfw.testing` holds a conformance suite a host's own store can run
(:class:`~sqfw.testing.RecordStoreConformance`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.workflows import TrailProblem, WorkflowRecord

__all__ = ["RecordStore", "StoreCheck", "StoredRecord", "WorkCounts", "WorkList"]


class StoreCheck(list[TrailProblem]):
    """What :meth:`SqlStore.verify_all <sqfw.store.SqlStore.verify_all>` found: the first
    problem of each broken record (a list, empty when every record verifies), and
    whether each entry's host signature was checked.

    A store opened without keys checks every chain, but a correctly hashed entry written
    into its database by anyone is not found: ``signatures_checked`` is then ``False``,
    and :attr:`note` says so.

    Attributes:
        signatures_checked: whether every entry had to carry a valid signature of one of
            the store's host keys.

    .. versionadded:: 0.1.0
    """

    signatures_checked: bool

    def __init__(self, problems: Iterable[TrailProblem] = (), *, signatures_checked: bool) -> None:
        super().__init__(expect_items("StoreCheck(problems)", problems, TrailProblem))
        self.signatures_checked = expect("StoreCheck(signatures_checked)", signatures_checked, bool)

    @property
    def note(self) -> str | None:
        """``None`` when signatures were checked, otherwise what was not checked."""
        if self.signatures_checked:
            return None
        return (
            "未检查主机签名：存储未配置主机密钥，正确计算哈希的伪造条目无法被发现 / "
            "host signatures not checked: the store has no host keys, so a correctly "
            "hashed forged entry is not found"
        )

    def __repr__(self) -> str:
        return f"StoreCheck({list.__repr__(self)}, signatures_checked={self.signatures_checked})"


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
        topic: what it is about (:meth:`Workflow.topic`; a ticket's service code).
        due_estimated: the deadline was counted over a year whose official holiday
            schedule is not known (:meth:`Workflow.due_estimated`): an estimate.
    """

    workflow: str
    record_id: str
    state: str
    version: int
    head: str
    updated_at: pendulum.DateTime | None
    due: pendulum.DateTime | None
    offices: tuple[str, ...]
    topic: str | None = None
    due_estimated: bool = False


@attrs.frozen
class WorkCounts:
    """How many records are overdue, due today (not overdue) and due later this week."""

    overdue: int
    due_today: int
    due_this_week: int


@attrs.frozen(kw_only=True)
class WorkList:
    """A host's work list at one moment (:meth:`SqlStore.work_list
    <sqfw.store.SqlStore.work_list>`).

    Attributes:
        at: the moment.
        workflow: the workflow listed.
        today_ends: the end of ``at``'s day (Asia/Shanghai).
        week_ends: the end of its week (Sunday).
        total: the counts over every record.
        by_office: the counts by office holding the records (a record held by two
            offices counts for each).
        by_topic: the counts by topic (a ticket's service code).
        overdue_by_level: overdue records by the highest escalation level reached now
            (records overdue by less than the first level's time are in none).
        items: the soonest due records (overdue first), at most the limit asked for;
            each says whether its deadline is estimated.
        estimated: the counts of the records whose deadline is estimated (a year without
            an official holiday schedule), included in ``total``.

    .. versionadded:: 0.1.0
    """

    at: pendulum.DateTime
    workflow: str
    today_ends: pendulum.DateTime
    week_ends: pendulum.DateTime
    total: WorkCounts
    by_office: Mapping[str, WorkCounts]
    by_topic: Mapping[str, WorkCounts]
    overdue_by_level: Mapping[str, int]
    items: tuple[StoredRecord, ...]
    estimated: WorkCounts = WorkCounts(0, 0, 0)


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

    def records(
        self, workflow: str, *, state: str | Sequence[str] | None = None
    ) -> Iterator[WorkflowRecord]:
        """Every stored record of a workflow (in a state), each verified, in one pass."""
        ...

    def verify_all(self, *, limit: int | None = 1000) -> StoreCheck:
        """Check every stored chain; the first problem of each broken record, and whether
        signatures were checked."""
        ...
