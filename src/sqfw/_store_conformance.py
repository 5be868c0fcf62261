"""A conformance suite for any :class:`~sqfw.store.RecordStore`: what the protocol
promises, as tests a host runs on its own store.

Subclass :class:`RecordStoreConformance` in a test module (its name starting with
``Test`` so that pytest collects it) and say how to open the store::

    from sqfw.store import SqlStore
    from sqfw.testing import RecordStoreConformance

    class TestMyStore(RecordStoreConformance):
        def make_store(self, *, workflows, keys=None):
            return MyStore(self.database, workflows=workflows, keys=keys)

Each test calls :meth:`~RecordStoreConformance.make_store` one or more times; the first
call of a test must give an empty store, later calls of the same test a store over the
same data (opened with other keys). :meth:`~RecordStoreConformance.write_entry` lets the
suite write rows behind the store's back, as anyone with access to its database could;
without it those tests are skipped, naming the reason.

The suite needs pytest (the ``test`` extra).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pendulum
import pytest

from sqfw.errors import ConcurrencyConflict, TrailBroken
from sqfw.store._protocol import RecordStore
from sqfw.workflows import HostKey, Workflow, WorkflowRecord
from sqfw.workflows._chain import canonical_data, entry_body, entry_hash, record_prefix
from sqfw.workflows._records import seal
from sqfw.workflows.filing import OrgFilingWorkflow

__all__ = ["RecordStoreConformance", "forged_entry"]

_T0 = pendulum.datetime(2024, 3, 1, 9, tz="Asia/Shanghai")
_ORG = {"id": "o1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}
_KEY = HostKey(key_id="conformance", secret=b"the conformance suite's own key")


def _filed(wf: OrgFilingWorkflow, record_id: str) -> WorkflowRecord:
    r = wf.apply(wf.new(record_id), "submit", actor="clerk", at=_T0, data={**_ORG, "id": record_id})
    r = wf.apply(r, "start_review", actor="clerk", at=_T0.add(hours=1))
    return wf.apply(r, "accept", actor="clerk", at=_T0.add(hours=2))


def forged_entry(
    record: WorkflowRecord,
    *,
    event: str,
    target: str,
    at: pendulum.DateTime,
    data: Mapping[str, Any] | None = None,
    actor: str = "intruder",
    reason: str | None = None,
    key: HostKey | None = None,
    stored: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The stored columns of a next entry of ``record`` as someone with access to its
    database could write it: linked to the record's head and correctly hashed, so that
    only a host's signature (or a checkpoint) tells it from a genuine one.

    The columns are those :class:`~sqfw.store.SqlStore` keeps (``seq, event, source,
    target, actor, at, zone, reason, data, prev, hash, mac``, the stored text of each);
    ``stored`` replaces any of them before the hash is taken over exactly that text, so a
    test can store a value no workflow would write (``{"data": '{"a":1.5}'}``) with a
    hash that matches it. The entry is unsigned, or with ``key`` signed (a forger who
    holds a key, or another host's key); a ``hash`` or ``mac`` in ``stored`` is kept as
    given.

    Args:
        record: the record the entry follows.
        event: the entry's event.
        target: the state it moves to (its source is the record's state).
        at: when it claims to have happened.
        data: its event data (default: none).
        actor: who it names.
        reason: its reason.
        key: a key to sign it with.
        stored: stored values replacing the columns' before hashing.

    Returns:
        The columns, ready for an ``INSERT`` into the entries table.

    .. versionadded:: 0.1.0
    """
    changes = dict(stored or {})
    entry = seal(
        record.workflow,
        record.record_id,
        seq=record.version + 1,
        prev=record.head,
        event=event,
        source=record.state,
        target=target,
        actor=actor,
        at=at,
        reason=reason,
        data=dict(data or {}),
    )
    columns: dict[str, Any] = {
        "seq": entry.seq,
        "event": entry.event,
        "source": entry.source,
        "target": entry.target,
        "actor": entry.actor,
        "at": entry.at_text,
        "zone": entry.zone,
        "reason": entry.reason,
        "data": canonical_data(entry.data),
        "prev": entry.prev,
        **{name: value for name, value in changes.items() if name not in ("hash", "mac")},
    }
    body = entry_body(
        columns["seq"],
        columns["event"],
        columns["source"],
        columns["target"],
        columns["actor"],
        columns["at"],
        columns["reason"],
        columns["data"],
        columns["prev"],
        columns["zone"],
    )
    columns["hash"] = changes.get(
        "hash", entry_hash(record_prefix(record.workflow, record.record_id), body)
    )
    signed = None if key is None else key.mac(columns["hash"])
    columns["mac"] = changes.get("mac", signed)
    return columns


def _entry_columns(record: WorkflowRecord, **changes: Any) -> dict[str, Any]:
    """The suite's forged entry: an annual review of a filed organisation, a day later."""
    return forged_entry(
        record,
        event="start_annual_review",
        target="annual_review",
        at=_T0.add(days=1),
        data={"year": 2024},
        stored=changes,
    )


class RecordStoreConformance:
    """Tests of the :class:`~sqfw.store.RecordStore` protocol; subclass and implement
    :meth:`make_store` (and :meth:`write_entry` for the tampering tests).

    .. versionadded:: 0.1.0
    """

    # --- what a host implements -------------------------------------------------------------

    def make_store(
        self, *, workflows: Iterable[Workflow[Any]], keys: Iterable[HostKey] | None = None
    ) -> RecordStore:
        """A store of ``workflows``' records that checks signatures with ``keys`` (none:
        it does not). Empty at a test's first call; the same data at later calls."""
        raise NotImplementedError("implement make_store in the subclass")

    def close_store(self, store: RecordStore) -> None:
        """Release what :meth:`make_store` opened (by default, ``store.dispose()`` if any)."""
        dispose = getattr(store, "dispose", None)
        if callable(dispose):
            dispose()

    def write_entry(
        self, store: RecordStore, *, workflow: str, record_id: str, columns: Mapping[str, Any]
    ) -> None:
        """Write one entry behind the store's back and move its record to it, as anyone
        with access to the database could: append the entry with these stored columns
        (``seq, event, source, target, actor, at, zone, reason, data, prev, hash, mac``,
        as :class:`~sqfw.store.SqlStore` keeps them) and set the record's version to
        ``seq``, its head to ``hash`` and its state to ``target``.

        Not implemented: the tests that need it are skipped.
        """
        pytest.skip("write_entry is not implemented for this store")

    # --- the suite's plumbing -----------------------------------------------------------

    @pytest.fixture
    def open_store(self) -> Iterator[Callable[..., RecordStore]]:
        """Opens stores of the suite's workflow for one test; closes them after it."""
        opened: list[RecordStore] = []

        def open_(keys: Iterable[HostKey] | None = None) -> RecordStore:
            store = self.make_store(workflows=[OrgFilingWorkflow()], keys=keys)
            opened.append(store)
            return store

        yield open_
        for store in reversed(opened):
            self.close_store(store)

    # --- saving and loading -------------------------------------------------------------

    def test_is_a_record_store(self, open_store: Callable[..., RecordStore]) -> None:
        assert isinstance(open_store(), RecordStore)

    def test_round_trip(self, open_store: Callable[..., RecordStore]) -> None:
        """What is saved loads back equal, every entry with its hash, zone and data."""
        store = open_store()
        record = _filed(OrgFilingWorkflow(), "O1")
        assert store.save(record) is record
        loaded = store.load("org_filing", "O1")
        assert loaded == record
        assert [e.zone for e in loaded.trail] == ["Asia/Shanghai"] * 3
        OrgFilingWorkflow.verify(loaded)

    def test_missing_record(self, open_store: Callable[..., RecordStore]) -> None:
        with pytest.raises(LookupError):
            open_store().load("org_filing", "none")

    def test_saving_again_changes_nothing(self, open_store: Callable[..., RecordStore]) -> None:
        store = open_store()
        record = _filed(OrgFilingWorkflow(), "O1")
        store.save(record)
        store.save(record)
        assert store.load("org_filing", "O1").version == 3

    def test_compare_and_set(self, open_store: Callable[..., RecordStore]) -> None:
        """Two writers append to the same version: the second is refused, nothing of it
        is committed, and it can re-apply its event to what is stored."""
        store = open_store()
        wf = OrgFilingWorkflow()
        record = _filed(wf, "O1")
        store.save(record)
        first = wf.apply(record, "suspend", actor="a", at=_T0.add(days=1), reason="r")
        second = wf.apply(
            record, "start_annual_review", actor="b", at=_T0.add(days=1), data={"year": 2024}
        )
        store.save(first)
        with pytest.raises(ConcurrencyConflict):
            store.save(second)
        assert store.load("org_filing", "O1") == first
        with pytest.raises(ConcurrencyConflict):
            store.save(record)  # behind the store

    def test_a_forged_record_is_not_saved(self, open_store: Callable[..., RecordStore]) -> None:
        store = open_store()
        record = _filed(OrgFilingWorkflow(), "O1")
        last = record.trail[-1]
        forged_entry = type(last)(
            seq=last.seq,
            event=last.event,
            source=last.source,
            target=last.target,
            actor="intruder",
            at=last.at,
            prev=last.prev,
            hash=last.hash,
        )
        forged = WorkflowRecord(
            workflow=record.workflow,
            record_id=record.record_id,
            state=record.state,
            trail=(*record.trail[:-1], forged_entry),
            version=record.version,
            head=record.head,
        )
        with pytest.raises(TrailBroken):
            store.save(forged)
        with pytest.raises(LookupError):
            store.load("org_filing", "O1")

    def test_records_and_find(self, open_store: Callable[..., RecordStore]) -> None:
        store = open_store()
        wf = OrgFilingWorkflow()
        store.save(_filed(wf, "O1"))
        store.save(wf.apply(wf.new("O2"), "submit", actor="c", at=_T0, data={**_ORG, "id": "O2"}))
        assert sorted(r.record_id for r in store.records("org_filing")) == ["O1", "O2"]
        assert [r.record_id for r in store.records("org_filing", state="filed")] == ["O1"]
        assert [r.record_id for r in store.find(workflow="org_filing", state="submitted")] == ["O2"]

    # --- what verify_all says -----------------------------------------------------------

    def test_verify_all_says_whether_it_checked_signatures(
        self, open_store: Callable[..., RecordStore]
    ) -> None:
        """A store without keys says that it did not check signatures; one with keys
        that it did."""
        blind = open_store()
        blind.save(_filed(OrgFilingWorkflow(key=_KEY), "O1"))
        found = blind.verify_all()
        assert found == []
        assert getattr(found, "signatures_checked", None) is False
        keyed = open_store(keys=[_KEY])
        found = keyed.verify_all()
        assert found == []
        assert getattr(found, "signatures_checked", None) is True

    # --- signatures ---------------------------------------------------------------------

    def test_unsigned_entries_refused_with_keys(
        self, open_store: Callable[..., RecordStore]
    ) -> None:
        """Correctly hashed entries that no key signed (here saved by a host that does
        not sign) are refused by ``load``, ``records`` and ``verify_all`` of a store that
        has the keys, at the first entry."""
        open_store().save(_filed(OrgFilingWorkflow(), "O1"))
        self._refused(open_store(keys=[_KEY]), "O1", 0)

    def test_signed_entries_pass_with_keys(self, open_store: Callable[..., RecordStore]) -> None:
        open_store().save(_filed(OrgFilingWorkflow(key=_KEY), "O1"))
        keyed = open_store(keys=[_KEY])
        assert keyed.load("org_filing", "O1").version == 3
        assert [r.version for r in keyed.records("org_filing")] == [3]

    # --- rows written behind the store's back ---------------------------------------------

    def test_a_forged_entry_written_into_the_database(
        self, open_store: Callable[..., RecordStore]
    ) -> None:
        """A correctly hashed and linked entry written into the database, the record moved
        to it, is refused by a store that has the keys."""
        store = open_store()
        record = _filed(OrgFilingWorkflow(key=_KEY), "O1")
        store.save(record)
        self.write_entry(
            store, workflow="org_filing", record_id="O1", columns=_entry_columns(record)
        )
        self._refused(open_store(keys=[_KEY]), "O1", 3)

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({"data": '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"}, id="deep"),
            pytest.param({"data": '{"a":1.5}'}, id="float"),
            pytest.param({"data": '{"a": 1}'}, id="not-canonical"),
            pytest.param({"at": "2024-03-02T01:00:00Z"}, id="time"),
            pytest.param({"zone": "Mars/Olympus"}, id="zone"),
        ],
    )
    def test_a_stored_value_that_cannot_be_used(
        self, open_store: Callable[..., RecordStore], changes: dict[str, Any]
    ) -> None:
        """A correctly hashed entry whose stored value cannot be decoded or is out of
        bounds is a TrailBroken naming the record and the entry on every read."""
        store = open_store()
        record = _filed(OrgFilingWorkflow(), "O1")
        store.save(record)
        columns = _entry_columns(record, **changes)
        self.write_entry(store, workflow="org_filing", record_id="O1", columns=columns)
        self._refused(open_store(), "O1", 3)

    @staticmethod
    def _refused(store: RecordStore, record_id: str, index: int) -> None:
        with pytest.raises(TrailBroken) as info:
            store.load("org_filing", record_id)
        assert (info.value.record_id, info.value.index) == (record_id, index)
        with pytest.raises(TrailBroken) as info:
            list(store.records("org_filing"))
        assert (info.value.record_id, info.value.index) == (record_id, index)
        assert [(p.record_id, p.index) for p in store.verify_all()] == [(record_id, index)]
