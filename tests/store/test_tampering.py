"""The store as an attacker meets it: rows written through SQL by anyone with access.

The database's triggers refuse updates and deletions, but anyone who can connect can
still INSERT a new entry and move a record forward. A forged entry with a correct hash
and link is found only by the host's signature: a store with the keys refuses it on
``load``, ``records`` and ``verify_all``; a store without them says that it did not
check. Stored values that cannot be decoded or are out of bounds (data nested 100,000
deep, text that is not UTF-8, a time that is not canonical, an unknown zone) are a
:class:`~sqfw.errors.TrailBroken` naming the record and the entry, the same on the three
reads. Every test runs on SQLite (memory and file) and PostgreSQL.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import KEY, ORG, OTHER, T0, filed, signed_filing, workflows
from tampering_helpers import as_owner, tamper_raw, write_entry

from sqfw.errors import InvalidArgumentError, StoreError, TrailBroken
from sqfw.store import SqlStore, StoreCheck
from sqfw.store._schema import entries, records
from sqfw.testing import forged_entry
from sqfw.workflows import GENESIS, HostKey, WorkflowRecord, key
from sqfw.workflows._chain import (
    LEGACY_FORMAT,
    canonical_data,
    canonical_time,
    entry_body,
    entry_hash,
    record_prefix,
)
from sqfw.workflows.filing import OrgFilingWorkflow


def insert_entry(store: SqlStore, record_id: str, columns: dict[str, Any]) -> None:
    """INSERT an entry row of an organisation and move its record's row forward to it."""
    write_entry(store, workflow="org_filing", record_id=record_id, columns=columns)


def forged(record: WorkflowRecord, key: HostKey | None = None, **stored: Any) -> dict[str, Any]:
    """The columns of a next entry of ``record`` (an annual review a day later), correctly
    hashed and linked, as an attacker writes it (:func:`sqfw.testing.forged_entry`), with
    ``stored`` values in place of the entry's own."""
    return forged_entry(
        record,
        event="start_annual_review",
        target="annual_review",
        at=T0.add(days=1),
        data={"year": 2024},
        key=key,
        stored=stored,
    )


def refused_everywhere(store: SqlStore, record_id: str, index: int, match: str) -> None:
    """``load``, ``records`` and ``verify_all`` all refuse the record at entry ``index``."""
    with pytest.raises(TrailBroken, match=match) as info:
        store.load("org_filing", record_id)
    assert (info.value.record_id, info.value.index) == (record_id, index)
    with pytest.raises(TrailBroken, match=match) as info:
        list(store.records("org_filing"))
    assert (info.value.record_id, info.value.index) == (record_id, index)
    found = store.verify_all()
    assert [(p.record_id, p.index) for p in found] == [(record_id, index)]
    assert match in found[0].message


class TestForgedEntries:
    """A correctly hashed entry INSERTed through SQL, the record row moved to it."""

    @pytest.mark.parametrize(
        "forger",
        [
            pytest.param({}, id="unsigned"),
            pytest.param({"key": OTHER}, id="another-key"),
            pytest.param({"mac": "county-a:" + "0" * 64}, id="made-up-mac"),
        ],
    )
    def test_refused_by_a_store_with_the_keys(
        self, keyed: SqlStore, forger: dict[str, Any]
    ) -> None:
        record = signed_filing()
        keyed.save(record)
        assert keyed.load("org_filing", "O1") == record  # the host's own entries pass
        insert_entry(keyed, "O1", forged(record, **forger))
        refused_everywhere(keyed, "O1", 3, "host key")
        assert keyed.verify_all().signatures_checked

    def test_a_signature_copied_from_another_entry(self, keyed: SqlStore) -> None:
        """A mac is over the entry's hash: the host's mac of an earlier entry is no use."""
        record = signed_filing()
        keyed.save(record)
        insert_entry(keyed, "O1", forged(record, mac=record.trail[-1].mac))
        refused_everywhere(keyed, "O1", 3, "host key")

    def test_passes_a_store_without_keys_which_says_so(self, keyed: SqlStore) -> None:
        """The threat itself: without keys the forged entry loads, and verify_all says
        that signatures were not checked."""
        record = signed_filing()
        keyed.save(record)
        insert_entry(keyed, "O1", forged(record))
        blind = SqlStore(keyed.engine, workflows=workflows())
        assert blind.load("org_filing", "O1").trail[-1].actor == "intruder"
        check = blind.verify_all()
        assert check == []
        assert isinstance(check, StoreCheck)
        assert check.signatures_checked is False
        assert "not checked" in str(check.note)
        assert keyed.verify_all().note is None

    def test_a_key_resolver(self, keyed: SqlStore) -> None:
        """A resolver from key id to key checks as the keys do; an unknown id is refused."""
        record = signed_filing()
        keyed.save(record)
        asked: list[str] = []

        def resolve(key_id: str) -> HostKey | None:
            asked.append(key_id)
            return {"county-a": KEY}.get(key_id)

        resolved = SqlStore(keyed.engine, workflows=workflows(), keys=resolve)
        assert resolved.load("org_filing", "O1") == record
        assert resolved.verify_all() == []
        assert resolved.verify_all().signatures_checked
        assert set(asked) == {"county-a"}
        insert_entry(keyed, "O1", forged(record, key=OTHER))
        refused_everywhere(resolved, "O1", 3, "host key")
        assert "intruder" in asked

    def test_a_resolver_answering_with_the_wrong_key(self, keyed: SqlStore) -> None:
        keyed.save(signed_filing())
        liar = SqlStore(keyed.engine, workflows=workflows(), keys=lambda key_id: OTHER)
        refused_everywhere(liar, "O1", 0, "host key")

    def test_keys_and_a_mapping(self, keyed: SqlStore) -> None:
        keyed.save(signed_filing())
        by_id = SqlStore(keyed.engine, workflows=workflows(), keys={"county-a": KEY})
        assert by_id.load("org_filing", "O1").version == 3
        one = SqlStore(keyed.engine, workflows=workflows(), keys=KEY)
        assert one.verify_all() == []

    @pytest.mark.parametrize("keys", [[], ["not a key"], {"county-a": "secret"}])
    def test_bad_keys_refused(self, keyed: SqlStore, keys: Any) -> None:
        with pytest.raises(InvalidArgumentError, match="keys"):
            SqlStore(keyed.engine, workflows=workflows(), keys=keys)

    def test_unsigned_records_are_refused_by_a_keyed_store(self, keyed: SqlStore) -> None:
        """A keyed store saves only signed entries (it would refuse them on every read),
        and refuses on read a record saved unsigned through another store."""
        with pytest.raises(TrailBroken, match="host key") as info:
            keyed.save(filed("O1"))
        assert info.value.index == 0
        with pytest.raises(TrailBroken, match="host key"):
            keyed.save_new([signed_filing("O2"), filed("O3")])
        assert keyed.verify_all() == []  # nothing of either was committed
        record = signed_filing("O1")
        keyed.save(record)
        unsigned_step = OrgFilingWorkflow().apply(
            record, "suspend", actor="c", at=T0.add(days=1), reason="r"
        )
        with pytest.raises(TrailBroken, match="host key") as info:
            keyed.save(unsigned_step)
        assert info.value.index == 3
        SqlStore(keyed.engine, workflows=workflows()).save(filed("O4"))
        refused_everywhere(keyed, "O4", 0, "host key")

    def test_a_zone_changed_behind_the_store(self, keyed: SqlStore) -> None:
        """The zone is hashed: moving an entry to another zone (triggers dropped) breaks
        it, even for a store without keys."""
        keyed.save(signed_filing())
        as_owner(keyed, "UPDATE sqfw_entries SET zone = 'UTC' WHERE seq = 2")
        refused_everywhere(keyed, "O1", 1, "changed")
        blind = SqlStore(keyed.engine, workflows=workflows())
        with pytest.raises(TrailBroken, match="changed"):
            blind.load("org_filing", "O1")


DEEP = 100_000


class TestBadStoredValues:
    """A stored value that cannot be used is a TrailBroken naming the record and entry,
    on load, records and verify_all alike (never a RecursionError or a driver error)."""

    @pytest.mark.parametrize(
        ("changes", "match"),
        [
            pytest.param({"data": '{"a":' + "[" * DEEP + "]" * DEEP + "}"}, "deeper", id="deep"),
            pytest.param({"data": '{"a":' + "[" * 65 + "]" * 65 + "}"}, "deeper", id="depth-65"),
            pytest.param({"data": '{"a":1.5}'}, "integers", id="float"),
            pytest.param({"data": '{"a":NaN}'}, "integers", id="nan"),
            pytest.param({"data": '{"a": 1}'}, "canonical", id="spaced"),
            pytest.param({"data": '{"b":1,"a":2}'}, "canonical", id="unsorted"),
            pytest.param({"data": '{"a":1,"a":1}'}, "canonical", id="duplicate-key"),
            pytest.param({"data": "[1]"}, "object", id="array"),
            pytest.param({"data": "{"}, "integers", id="truncated"),
            pytest.param({"at": "2024-03-02T01:00:00Z"}, "canonical UTC", id="short-time"),
            pytest.param({"at": "1800-03-02T01:00:00.000000Z"}, "year", id="old-year"),
            pytest.param({"zone": "Mars/Olympus"}, "time zone", id="zone"),
            pytest.param({"zone": "+25:00"}, "time zone", id="offset"),
            pytest.param({"actor": "x" * 101}, "longer than 100", id="long-actor"),
            pytest.param({"actor": "  "}, "blank", id="blank-actor"),
            pytest.param({"reason": "r" * 2001}, "longer than 2000", id="long-reason"),
            pytest.param({"prev": "X" * 64}, "hex", id="prev"),
        ],
    )
    def test_refused_on_every_read(
        self, keyed: SqlStore, changes: dict[str, Any], match: str
    ) -> None:
        record = filed("O1")
        blind = SqlStore(keyed.engine, workflows=workflows())
        blind.save(record)
        if keyed.dialect == "postgresql" and "longer" in match and "actor" in changes:
            with pytest.raises(sa.exc.DataError):  # VARCHAR(100) holds it off
                insert_entry(blind, "O1", forged(record, **changes))
            return
        insert_entry(blind, "O1", forged(record, **changes))
        refused_everywhere(blind, "O1", 3, match)
        with pytest.raises(TrailBroken):  # unsigned too, and its value unusable
            keyed.load("org_filing", "O1")
        assert [p.record_id for p in keyed.verify_all()] == ["O1"]

    def test_the_boundaries_pass(self, store: SqlStore) -> None:
        """Data nested exactly 64 deep, an actor of exactly 100 characters, a year 1900
        time and a fixed offset zone are stored values the store reads."""
        record = filed("O1")
        store.save(record)
        data = '{"a":' + "[" * 63 + "]" * 63 + "}"
        insert_entry(
            store,
            "O1",
            forged(record, data=data, actor="x" * 100, zone="+08:00"),
        )
        loaded = store.load("org_filing", "O1")
        assert loaded.trail[-1].zone == "+08:00"
        assert len(loaded.trail[-1].actor) == 100
        assert store.verify_all() == []
        assert [r.version for r in store.records("org_filing")] == [4]

    def test_save_refuses_data_it_could_not_read_back(self, store: SqlStore) -> None:
        class DeepData(OrgFilingWorkflow):
            """The filing workflow with one more declared key, to carry nested data."""

            event_data = {
                **(OrgFilingWorkflow.event_data or {}),
                "start_annual_review": (
                    *(OrgFilingWorkflow.event_data or {})["start_annual_review"],
                    key("d", "list", "嵌套", "nested lists"),
                ),
            }

        wf = DeepData()
        record = filed("O1")
        deep: Any = []
        for _ in range(64):
            deep = [deep]
        step = wf.apply(
            record, "start_annual_review", actor="c", at=T0.add(days=1), data={"year": 1, "d": deep}
        )
        with pytest.raises(StoreError, match="deeper than 64"):
            store.save(step)
        assert store.verify_all() == []

    def test_invalid_utf8_on_sqlite(self, store: SqlStore) -> None:
        """Text that is not UTF-8 (only SQLite can hold it) is named by column."""
        if store.dialect != "sqlite":
            pytest.skip("PostgreSQL refuses text that is not UTF-8 on the way in")
        record = filed("O1")
        store.save(record)
        store.save(filed("O2"))
        columns = forged(record)
        with store.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO sqfw_entries (workflow, record_id, seq, event, source, "
                    "target, actor, at, zone, reason, data, prev, hash, mac) VALUES "
                    "('org_filing', 'O1', :seq, :event, :source, :target, "
                    "CAST(X'C3FF41' AS TEXT), :at, :zone, NULL, :data, :prev, :hash, NULL)"
                ),
                columns,
            )
            conn.execute(
                sa.text(
                    "UPDATE sqfw_records SET version = 4, head = :hash, state = :target "
                    "WHERE record_id = 'O1'"
                ),
                columns,
            )
        refused_everywhere(store, "O1", 3, "UTF-8")
        assert store.load("org_filing", "O2").version == 3

    def test_invalid_utf8_in_a_record_row(self, store: SqlStore) -> None:
        if store.dialect != "sqlite":
            pytest.skip("PostgreSQL refuses text that is not UTF-8 on the way in")
        store.save(filed("O1"))
        tamper_raw(store, "O1", "state = CAST(X'FF' AS TEXT)")  # version 3 to 4
        with pytest.raises(TrailBroken, match="UTF-8"):
            store.load("org_filing", "O1")
        with pytest.raises(TrailBroken, match="UTF-8"):
            list(store.records("org_filing"))
        assert ["state" in p.message for p in store.verify_all()] == [True]

    def test_a_version_that_is_not_a_number(self, store: SqlStore) -> None:
        if store.dialect != "sqlite":
            pytest.skip("PostgreSQL keeps an integer column integer")
        store.save(filed("O1"))
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sqfw_records SET version = 'x' WHERE record_id = 'O1'")
        with pytest.raises(TrailBroken, match="version"):
            store.load("org_filing", "O1")
        with pytest.raises(TrailBroken, match="version"):
            list(store.records("org_filing"))
        assert ["version" in p.message for p in store.verify_all()] == [True]


class TestEarlierForm:
    """Trails sealed before the zone was hashed (``sqfw-audit-1``) still load and verify."""

    def test_a_legacy_trail_in_the_store(self, store: SqlStore) -> None:
        at = canonical_time(T0)
        data = canonical_data({**ORG, "id": "O9"})
        body = entry_body(1, "submit", "draft", "submitted", "clerk", at, None, data, GENESIS, "")
        legacy = body[: -len(',""]')] + "]"
        digest = entry_hash(record_prefix("org_filing", "O9", LEGACY_FORMAT), legacy)
        with store.engine.begin() as conn:
            conn.execute(
                records.insert().values(
                    workflow="org_filing",
                    record_id="O9",
                    state="submitted",
                    version=1,
                    head=digest,
                    offices="",
                )
            )
            conn.execute(
                entries.insert().values(
                    workflow="org_filing",
                    record_id="O9",
                    seq=1,
                    event="submit",
                    source="draft",
                    target="submitted",
                    actor="clerk",
                    at=at,
                    zone="Asia/Shanghai",
                    reason=None,
                    data=data,
                    prev=GENESIS,
                    hash=digest,
                    mac=None,
                )
            )
        loaded = store.load("org_filing", "O9")
        assert loaded.trail[0].hash == digest
        assert store.verify_all() == []
        later = OrgFilingWorkflow().apply(loaded, "start_review", actor="clerk", at=T0.add(days=1))
        store.save(later)
        assert store.load("org_filing", "O9") == later
        assert store.verify_all() == []


_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=10**6),
    st.text(max_size=120),
    st.sampled_from(["{}", '{"year":2024}', "[]", "null", '{"a":1.0}', "UTC", "+08:00"]),
    st.builds(lambda n: '{"a":' + "[" * n + "]" * n + "}", st.integers(0, 3000)),
)


class TestAnyStoredValue:
    """Whatever value one column of an appended entry holds (its hash taken over exactly
    that text, where it can be), the three reads agree: ``load`` and ``records`` raise
    TrailBroken exactly when ``verify_all`` reports the record, and nothing else escapes."""

    @given(
        column=st.sampled_from(
            ["seq", "event", "source", "target", "actor", "at", "zone", "reason", "data", "mac"]
        ),
        value=_VALUES,
    )
    @settings(max_examples=60, deadline=None)
    def test_the_reads_agree(self, column: str, value: Any) -> None:
        store = SqlStore(":memory:", workflows=workflows())
        try:
            record = filed("O1")
            store.save(record)
            columns = forged(record)
            columns[column] = value
            if column != "seq" and isinstance(columns["seq"], int):
                with contextlib.suppress(TypeError, AttributeError, UnicodeEncodeError):
                    columns = forged(record, **{column: value})
            try:
                insert_entry(store, "O1", columns)
            except sa.exc.IntegrityError:
                return  # NOT NULL, or a duplicate seq: the database refused it itself
            problems = store.verify_all()
            try:
                store.load("org_filing", "O1")
                loaded = True
            except TrailBroken:
                loaded = False
            try:
                list(store.records("org_filing"))
                read = True
            except TrailBroken:
                read = False
            assert loaded == read
            assert loaded == (problems == []), (loaded, problems)
        finally:
            store.dispose()
