"""Heads kept outside the database: a signed checkpoint finds a trail cut short or
re-sealed, which the chain and the signatures cannot find alone.

Every test runs on SQLite (memory and file) and PostgreSQL; the attacker has the
database owner's rights (the append-only triggers switched off).
"""

from __future__ import annotations

import datetime

import pendulum
import pytest
import sqlalchemy as sa
from store_helpers import KEY, OTHER, T0, filed, signed_filing, workflows
from tampering_helpers import as_owner

from sqfw.errors import InvalidArgumentError, StoreError
from sqfw.store import HeadsCheckpoint, SqlStore
from sqfw.workflows.filing import OrgFilingWorkflow


def cut_to(store: SqlStore, record_id: str, version: int, head: str, state: str) -> None:
    as_owner(
        store,
        f"DELETE FROM sqfw_entries WHERE record_id = '{record_id}' AND seq > {version}",
        f"UPDATE sqfw_records SET version = {version}, head = '{head}', state = '{state}' "
        f"WHERE record_id = '{record_id}'",
    )


class TestCheckpoint:
    def test_records_saved_since_are_not_problems(self, keyed: SqlStore) -> None:
        record = signed_filing("O1")
        keyed.save(record)
        checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
        assert checkpoint.heads == (("org_filing", "O1", 3, record.head),)
        assert checkpoint.at == "2024-03-02T01:00:00.000000Z"
        wf = OrgFilingWorkflow(key=KEY)
        keyed.save(wf.apply(record, "suspend", actor="c", at=T0.add(days=2), reason="r"))
        keyed.save(signed_filing("O2"))
        assert keyed.check_checkpoint(checkpoint) == []

    def test_a_trail_cut_short(self, keyed: SqlStore) -> None:
        """The last entry deleted and the record moved back: every entry left is genuine
        and signed, so verify_all with the keys finds nothing; the checkpoint does."""
        record = signed_filing("O1")
        keyed.save(record)
        checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
        before = record.trail[-2]
        cut_to(keyed, "O1", 2, before.hash, before.target)
        assert keyed.verify_all() == []
        assert keyed.load("org_filing", "O1").version == 2
        found = keyed.check_checkpoint(checkpoint)
        assert [(p.record_id, p.index) for p in found] == [("O1", 3)]
        assert "cut short" in found[0].message

    def test_a_trail_re_sealed(self, keyed: SqlStore) -> None:
        """The trail rewritten from its second entry and hashed again: a store without
        keys finds nothing; the checkpoint finds the changed entry."""
        blind = SqlStore(keyed.engine, workflows=workflows())
        record = filed("O1")
        blind.save(record)
        checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
        first = record.trail[0]
        cut_to(blind, "O1", 1, first.hash, first.target)
        wf = OrgFilingWorkflow()
        again = blind.load("org_filing", "O1")
        again = wf.apply(again, "start_review", actor="intruder", at=T0.add(hours=1))
        again = wf.apply(again, "refuse", actor="intruder", at=T0.add(hours=2), reason="x")
        blind.save(again)
        assert blind.verify_all() == []
        found = keyed.check_checkpoint(checkpoint)
        assert [(p.record_id, p.index) for p in found] == [("O1", 2)]
        assert "re-sealed" in found[0].message

    def test_a_record_gone(self, keyed: SqlStore) -> None:
        keyed.save(signed_filing("O1"))
        keyed.save(signed_filing("O2"))
        checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
        as_owner(
            keyed,
            "DELETE FROM sqfw_entries WHERE record_id = 'O2'",
        )
        with keyed.engine.begin() as conn:
            if keyed.dialect == "sqlite":
                conn.exec_driver_sql("DROP TRIGGER sqfw_records_no_delete")
            else:
                conn.exec_driver_sql("ALTER TABLE sqfw_records DISABLE TRIGGER USER")
            conn.exec_driver_sql("DELETE FROM sqfw_records WHERE record_id = 'O2'")
        found = keyed.check_checkpoint(checkpoint)
        assert [p.record_id for p in found] == ["O2"]
        assert "gone" in found[0].message

    def test_the_version_boundary(self, keyed: SqlStore) -> None:
        """At exactly the checkpoint's version: no problem; one entry behind: found."""
        record = signed_filing("O1")
        keyed.save(record)
        signed = OrgFilingWorkflow(key=KEY)
        step = signed.apply(
            record, "start_annual_review", actor="c", at=T0.add(days=1), data={"year": 2024}
        )
        keyed.save(step)
        checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
        assert keyed.check_checkpoint(checkpoint) == []
        cut_to(keyed, "O1", 3, record.head, record.state)
        assert [p.index for p in keyed.check_checkpoint(checkpoint)] == [4]


class TestCheckpointText:
    def test_round_trip(self, keyed: SqlStore) -> None:
        keyed.save(signed_filing("O1"))
        checkpoint = keyed.checkpoint(key=KEY, at=T0)
        text = checkpoint.dumps()
        assert HeadsCheckpoint.loads(text) == checkpoint
        assert text.startswith('{"at":"2024-03-01T01:00:00.000000Z","format":"sqfw-heads-1"')
        assert keyed.check_checkpoint(HeadsCheckpoint.loads(text)) == []

    def test_a_changed_checkpoint_is_refused(self, keyed: SqlStore) -> None:
        record = signed_filing("O1")
        keyed.save(record)
        text = keyed.checkpoint(key=KEY, at=T0.add(days=1)).dumps()
        lowered = HeadsCheckpoint.loads(text.replace('"O1",3,', '"O1",2,'))
        with pytest.raises(StoreError, match="not a valid signature"):
            keyed.check_checkpoint(lowered)

    def test_keys(self, keyed: SqlStore) -> None:
        keyed.save(signed_filing("O1"))
        checkpoint = keyed.checkpoint(key=OTHER, at=T0.add(days=1))
        with pytest.raises(StoreError, match="intruder"):
            keyed.check_checkpoint(checkpoint)
        assert keyed.check_checkpoint(checkpoint, keys=[OTHER]) == []
        blind = SqlStore(keyed.engine, workflows=workflows())
        with pytest.raises(StoreError, match="no host keys"):
            blind.check_checkpoint(checkpoint)

    @pytest.mark.parametrize(
        ("text", "match"),
        [
            ("not json", "not JSON"),
            ("[1]", "format"),
            ('{"format":"sqfw-heads-1","at":"x","heads":{},"mac":"m"}', "list"),
            ('{"format":"sqfw-heads-1","at":"x","heads":[["a","b",true,"h"]],"mac":"m"}', "heads"),
            ("[" * 100_000, "not JSON"),
        ],
    )
    def test_text_that_is_not_a_checkpoint(self, text: str, match: str) -> None:
        with pytest.raises(StoreError, match=match):
            HeadsCheckpoint.loads(text)


def test_an_empty_store(keyed: SqlStore) -> None:
    checkpoint = keyed.checkpoint(key=KEY, at=T0.add(days=1))
    assert checkpoint.heads == ()
    assert keyed.check_checkpoint(checkpoint) == []
    with keyed.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM sqfw_records")).scalar() == 0


def test_the_moment_is_the_hosts(keyed: SqlStore) -> None:
    """The store reads no clock: a checkpoint is taken at the moment the host gives (one
    years ahead here), in canonical UTC (08:00 in Shanghai is 00:00 UTC)."""
    far = pendulum.datetime(2031, 6, 1, 8, tz="Asia/Shanghai")
    assert keyed.checkpoint(key=KEY, at=far).at == "2031-06-01T00:00:00.000000Z"
    with pytest.raises(InvalidArgumentError, match=r"checkpoint\(at\)"):
        keyed.checkpoint(key=KEY, at=datetime.datetime(2024, 1, 1))  # naive: no zone
    with pytest.raises(InvalidArgumentError, match=r"checkpoint\(key\)"):
        keyed.checkpoint(key="county-a", at=far)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="at"):
        keyed.checkpoint(key=KEY)  # type: ignore[call-arg]
