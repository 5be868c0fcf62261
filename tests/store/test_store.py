"""The store: round trips, compare-and-set saves, append-only entries, work lists, checks.

Every test runs on an in-memory SQLite database, a SQLite file and PostgreSQL.
"""

from __future__ import annotations

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import ELECTIONS, FILING, T0, TICKETS, filed, review_step, ticket, workflows

from sqfw.errors import (
    ConcurrencyConflict,
    RecordNotFound,
    StoreError,
    TrailBroken,
    WorkflowError,
)
from sqfw.store import SCHEMA_VERSION, RecordStore, SqlStore
from sqfw.workflows import WorkflowRecord


def raw(store: SqlStore, sql: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(sql)


class TestRoundTrip:
    """What is saved is loaded back equal, verified, with its zones."""

    def test_save_and_load(self, store: SqlStore) -> None:
        record = filed()
        assert store.save(record) is record
        again = store.load("org_filing", "O1")
        assert again == record
        assert [e.at.timezone_name for e in again.trail] == ["Asia/Shanghai"] * 3
        assert [e.hash for e in again.trail] == [e.hash for e in record.trail]
        FILING.apply(again, "suspend", actor="c", at=T0.add(days=1), reason="r")

    def test_every_workflow(self, store: SqlStore) -> None:
        r = ELECTIONS.new("E1")
        r = ELECTIONS.apply(r, "cancel", actor="c", at=T0, reason="撤销 / cancelled")
        store.save(r)
        store.save(ticket("T1", T0, "human_resources_social_security"))
        assert store.load("election", "E1") == r
        assert store.load("service_ticket", "T1").state == "processing"

    def test_is_a_record_store(self, store: SqlStore) -> None:
        assert isinstance(store, RecordStore)

    def test_missing_record(self, store: SqlStore) -> None:
        with pytest.raises(RecordNotFound) as info:
            store.load("org_filing", "nope")
        assert isinstance(info.value, LookupError)

    def test_unconfigured_workflow(self, target: str) -> None:
        store = SqlStore(target, workflows=[TICKETS])
        with pytest.raises(WorkflowError, match="not configured"):
            store.save(filed())
        store.dispose()

    def test_saving_again_changes_nothing(self, store: SqlStore) -> None:
        record = filed()
        store.save(record)
        store.save(record)
        assert store.load("org_filing", "O1").version == 3


class TestCompareAndSet:
    """Two hosts with the same copy: exactly one save succeeds, the other is told why."""

    def test_two_stale_writers(self, store: SqlStore) -> None:
        store.save(filed())
        first = store.load("org_filing", "O1")
        second = store.load("org_filing", "O1")
        a = FILING.apply(first, "suspend", actor="a", at=T0.add(days=1), reason="r")
        b = FILING.apply(second, "revoke", actor="b", at=T0.add(days=1), reason="r")
        store.save(a)
        with pytest.raises(ConcurrencyConflict) as info:
            store.save(b)
        assert (info.value.expected_version, info.value.actual_version) == (3, 4)
        assert store.load("org_filing", "O1") == a

    def test_same_expected_version_does_not_help(self, store: SqlStore) -> None:
        """apply's expected_version passes for both copies; the store decides."""
        store.save(filed())
        copy = store.load("org_filing", "O1")
        results = []
        for actor in ("a", "b"):
            changed = FILING.apply(
                copy, "suspend", actor=actor, at=T0.add(days=1), reason="r", expected_version=3
            )
            try:
                store.save(changed)
                results.append("saved")
            except ConcurrencyConflict:
                results.append("conflict")
        assert results == ["saved", "conflict"]

    def test_two_new_records_with_one_id(self, store: SqlStore) -> None:
        store.save(filed("O1", T0))
        with pytest.raises(ConcurrencyConflict) as info:
            store.save(filed("O1", T0.add(minutes=1)))
        assert (info.value.expected_version, info.value.actual_version) == (0, 3)

    def test_a_copy_behind_the_store(self, store: SqlStore) -> None:
        old = filed()
        store.save(old)
        newer = review_step(old, T0.add(days=1), "x")
        store.save(newer)
        with pytest.raises(ConcurrencyConflict):
            store.save(old)  # behind: it would lose an entry
        store.save(review_step(newer, T0.add(days=2), "y"))  # two steps ahead in one save
        assert store.load("org_filing", "O1").version == 5

    def test_several_new_entries_at_once(self, store: SqlStore) -> None:
        record = filed()
        store.save(FILING.new("O1"))
        store.save(record)
        assert store.load("org_filing", "O1") == record

    def test_forged_record_is_refused_and_nothing_committed(self, store: SqlStore) -> None:
        record = filed()
        forged = attrs.evolve(record, state="revoked")
        with pytest.raises(TrailBroken):
            store.save(forged)
        with pytest.raises(RecordNotFound):
            store.load("org_filing", "O1")

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(order=st.lists(st.sampled_from("ab"), min_size=1, max_size=8))
    def test_interleaved_writers(self, store: SqlStore, order: list[str]) -> None:
        """Property: for any interleaving, successes + conflicts = attempts, no gaps."""
        record_id = f"P{len(order)}-{''.join(order)}"
        store.save(filed(record_id))
        copies = {w: store.load("org_filing", record_id) for w in "ab"}
        saved = conflicts = 0
        for writer in order:
            copy = copies[writer]
            assert copy.last is not None
            changed = review_step(copy, copy.last.at.add(minutes=1), writer)
            try:
                store.save(changed)
                saved += 1
                copies[writer] = changed
            except ConcurrencyConflict:
                conflicts += 1
                copies[writer] = store.load("org_filing", record_id)
        final = store.load("org_filing", record_id)
        assert saved + conflicts == len(order)
        assert final.version == 3 + saved


class TestAppendOnly:
    """The database itself refuses to change or remove entries, whoever connects."""

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE sqfw_entries SET actor = 'someone else'",
            "DELETE FROM sqfw_entries WHERE seq = 2",
            "DELETE FROM sqfw_records",
            "UPDATE sqfw_records SET version = 1",
            "UPDATE sqfw_records SET record_id = 'O2'",
        ],
    )
    def test_refused_by_triggers(self, store: SqlStore, sql: str) -> None:
        store.save(filed())
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            raw(store, sql)
        assert store.load("org_filing", "O1") == filed()

    def test_truncate_refused_on_postgresql(self, store: SqlStore) -> None:
        if store.dialect != "postgresql":
            pytest.skip("SQLite has no TRUNCATE")
        store.save(filed())
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            raw(store, "TRUNCATE sqfw_entries CASCADE")


def without_triggers(store: SqlStore, sql: str) -> None:
    """Change the tables as someone with the database owner's rights could."""
    if store.dialect == "sqlite":
        raw(store, "DROP TRIGGER sqfw_entries_no_update")
        raw(store, "DROP TRIGGER sqfw_entries_no_delete")
        raw(store, sql)
    else:
        raw(
            store,
            "ALTER TABLE sqfw_entries DISABLE TRIGGER USER; "
            f"{sql}; ALTER TABLE sqfw_entries ENABLE TRIGGER USER",
        )


class TestVerifyAll:
    """verify_all finds what someone changed behind the store's back, at its entry."""

    def test_clean_store(self, store: SqlStore) -> None:
        store.save(filed("O1"))
        store.save(filed("O2"))
        store.save(ticket("T1"))
        assert store.verify_all() == []

    @pytest.mark.parametrize(
        ("sql", "index"),
        [
            ("UPDATE sqfw_entries SET actor = 'x' WHERE seq = 2", 1),
            ("UPDATE sqfw_entries SET data = '{\"year\":1}' WHERE seq = 1", 0),
            ("UPDATE sqfw_entries SET at = '2000-01-01T00:00:00.000000Z' WHERE seq = 3", 2),
            ("DELETE FROM sqfw_entries WHERE seq = 2", 1),
            ("UPDATE sqfw_entries SET seq = seq + 10 WHERE seq = 3", 2),
        ],
    )
    def test_tampering_found(self, store: SqlStore, sql: str, index: int) -> None:
        store.save(filed("O1"))
        store.save(filed("O2"))
        without_triggers(store, sql.replace("WHERE", "WHERE record_id = 'O2' AND"))
        problems = store.verify_all()
        assert [(p.record_id, p.index) for p in problems] == [("O2", index)]
        with pytest.raises(TrailBroken):
            store.load("org_filing", "O2")
        store.load("org_filing", "O1")


class TestWorkList:
    """A host's work list: by workflow, state, office and deadline."""

    def test_queries(self, store: SqlStore) -> None:
        store.save(filed("O1"))
        store.save(ticket("T1", T0, "human_resources_social_security"))
        store.save(ticket("T2", T0.add(days=20), "civil_affairs", "justice"))
        store.save(TICKETS.new("T3"))
        ids = lambda items: [i.record_id for i in items]  # noqa: E731
        assert ids(store.find(workflow="org_filing")) == ["O1"]
        assert ids(store.find(state=["processing"])) == ["T1", "T2"]
        assert ids(store.find(office="justice")) == ["T2"]
        assert ids(store.find(office="jus%")) == []
        t1 = store.find(office="human_resources_social_security")[0]
        assert t1.due is not None
        assert t1.offices == ("human_resources_social_security",)
        assert t1.due > T0
        assert ids(store.overdue(t1.due.add(seconds=1))) == ["T1"]
        assert ids(store.find(due_after=t1.due)) == ["T2"]
        assert ids(store.find(workflow="service_ticket", limit=1)) == ["T1"]
        assert store.find(state="new")[0].updated_at is None


class TestSchema:
    """The schema has a version; a database of another version is refused clearly."""

    def test_version_recorded(self, store: SqlStore, target: str) -> None:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.upgrade() == SCHEMA_VERSION  # nothing to do, twice
        if target != ":memory:":
            again = SqlStore(target, workflows=workflows(), create=False)
            assert again.schema_version() == SCHEMA_VERSION
            again.dispose()

    def test_newer_schema_refused(self, store: SqlStore, target: str) -> None:
        if target == ":memory:":
            pytest.skip("a memory database is gone when its store is")
        raw(store, "UPDATE sqfw_schema SET version = 99")
        with pytest.raises(StoreError, match="newer sqfw"):
            SqlStore(target, workflows=workflows())

    def test_no_tables_without_create(self, tmp_path: object) -> None:
        with pytest.raises(StoreError, match="create=True"):
            SqlStore(":memory:", workflows=workflows(), create=False)

    def test_bad_target(self) -> None:
        with pytest.raises(StoreError, match="URL"):
            SqlStore("", workflows=[])

    def test_a_missing_file_is_not_made_without_create(self, tmp_path) -> None:
        """create=False opens what is there: no empty SQLite file appears."""
        path = tmp_path / "absent.db"
        with pytest.raises(StoreError, match="no such database file"):
            SqlStore(str(path), workflows=workflows(), create=False)
        assert not path.exists()
        SqlStore(str(path), workflows=workflows()).dispose()  # with create: made
        again = SqlStore(str(path), workflows=workflows(), create=False)
        assert again.schema_version() == SCHEMA_VERSION
        again.dispose()

    def test_a_file_that_is_not_a_database(self, tmp_path) -> None:
        path = tmp_path / "notes.db"
        path.write_bytes(b"not a database " * 100)
        with pytest.raises(StoreError, match="is not a database sqfw can open"):
            SqlStore(str(path), workflows=workflows(), create=False)


def test_records_in_the_store_are_workflow_records(store: SqlStore) -> None:
    store.save(filed())
    assert isinstance(store.load("org_filing", "O1"), WorkflowRecord)


class TestRecordsInOnePass:
    """records() gives what load() gives for each record, verified, in one pass."""

    def test_the_same_records_as_one_load_each(self, store: SqlStore) -> None:
        for name in ("O3", "O1", "O2"):
            store.save(filed(name))
        store.save(ticket("T1"))
        read = list(store.records("org_filing"))
        assert [r.record_id for r in read] == ["O1", "O2", "O3"]
        assert read == [store.load("org_filing", r.record_id) for r in read]
        assert [r.record_id for r in store.records("service_ticket")] == ["T1"]
        assert list(store.records("election")) == []

    def test_by_state(self, store: SqlStore) -> None:
        store.save(filed("O1"))
        suspended = FILING.apply(filed("O2"), "suspend", actor="c", at=T0.add(days=1), reason="r")
        store.save(suspended)
        states = {r.state for r in store.records("org_filing")}
        assert len(states) == 2
        only = list(store.records("org_filing", state=suspended.state))
        assert [r.record_id for r in only] == ["O2"]
        assert list(store.records("org_filing", state=[suspended.state, "none"])) == only

    def test_a_forged_trail_is_refused_when_reached(self, store: SqlStore) -> None:
        store.save(filed("O1"))
        store.save(filed("O2"))
        without_triggers(store, "UPDATE sqfw_entries SET actor = 'x' WHERE record_id = 'O2'")
        read = store.records("org_filing")
        assert next(read).record_id == "O1"
        with pytest.raises(TrailBroken):
            next(read)

    def test_an_unconfigured_workflow(self, store: SqlStore) -> None:
        with pytest.raises(WorkflowError, match="is not configured"):
            list(store.records("nope"))
