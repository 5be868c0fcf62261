# %% [markdown]
# # A store that verifies: host keys and a checkpoint kept elsewhere
#
# A county keeps its filings in a SQLite file that several offices can reach. Its host
# signs every entry and opens the store with its key, so an entry that someone else
# writes into the database, correctly hashed, is refused. Each night it also sends a
# signed checkpoint of every record's head to the city; a trail cut short later (every
# entry left genuine and signed) is found against it.

# %%
import tempfile
from pathlib import Path

import pendulum

from sqfw.errors import TrailBroken
from sqfw.store import HeadsCheckpoint, SqlStore, load_host_keys
from sqfw.store._schema import entries, records
from sqfw.workflows import HostKey
from sqfw.workflows._records import seal
from sqfw.workflows.filing import OrgFilingWorkflow

folder = Path(tempfile.mkdtemp())
key = HostKey(key_id="county-a-2024", secret=b"county A's secret, never stored with records")
filing = OrgFilingWorkflow(key=key)
# The keys live in a file only the host reads (`sqfw assess --keys FILE` reads the same).
keys_file = folder / "host-keys.toml"
keys_file.write_text(
    f'[[keys]]\nkey_id = "county-a-2024"\nsecret_hex = "{key.secret.hex()}"\n', encoding="utf-8"
)
keys_file.chmod(0o600)
keys = load_host_keys(keys_file)
assert keys == (key,)
store = SqlStore(str(folder / "records.db"), workflows=[filing], keys=keys)
at = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")
org = {"id": "o1", "name": "夕阳红互助会", "kind": "mutual_aid", "community_code": "150102001001"}

record = filing.apply(filing.new("O1"), "submit", actor="clerk-1", at=at, data=org)
record = filing.apply(record, "start_review", actor="clerk-1", at=at.add(hours=2))
record = filing.apply(record, "accept", actor="clerk-1", at=at.add(days=1))
store.save(record)
check = store.verify_all()
assert check == []
assert check.signatures_checked
print("every entry signed by", record.trail[0].mac.split(":")[0])

# %% The nightly checkpoint, kept outside the database.
kept = store.checkpoint(key=key, at=at.add(days=1, hours=12)).dumps()
print("checkpoint:", kept[:72], "…")

# %% Someone appends a correctly hashed entry through SQL and moves the record to it.
forged = seal(
    "org_filing",
    "O1",
    seq=4,
    prev=record.head,
    event="suspend",
    source="filed",
    target="suspended",
    actor="intruder",
    at=at.add(days=2),
    reason="伪造 / forged",
    data={},
)
with store.engine.begin() as conn:
    conn.execute(
        entries.insert().values(
            workflow="org_filing",
            record_id="O1",
            seq=4,
            event=forged.event,
            source=forged.source,
            target=forged.target,
            actor=forged.actor,
            at=forged.at_text,
            zone=forged.zone,
            reason=forged.reason,
            data="{}",
            prev=forged.prev,
            hash=forged.hash,
            mac=None,
        )
    )
    conn.execute(
        records.update()
        .where(records.c.record_id == "O1")
        .values(version=4, head=forged.hash, state="suspended")
    )

broken: TrailBroken | None = None
try:
    store.load("org_filing", "O1")
except TrailBroken as caught:
    broken = caught
assert broken is not None, "a forged entry loaded"
assert broken.index == 3
print(broken)
[problem] = store.verify_all()
assert problem.index == 3

# The same file opened without the key cannot tell, and says so.
blind = SqlStore(str(folder / "records.db"), workflows=[filing])
assert blind.load("org_filing", "O1").state == "suspended"
print(blind.verify_all().note)
blind.dispose()

# %% The forged entry is removed, and the record's last genuine entry with it.
with store.engine.begin() as conn:
    conn.exec_driver_sql("DROP TRIGGER sqfw_entries_no_delete")
    conn.exec_driver_sql("DROP TRIGGER sqfw_records_forward")
    conn.exec_driver_sql("DELETE FROM sqfw_entries WHERE seq >= 3")
    second = record.trail[1]
    conn.exec_driver_sql(
        f"UPDATE sqfw_records SET version = 2, head = '{second.hash}', state = 'under_review'"
    )
assert store.verify_all() == []  # what is left is genuine and signed
moved = store.check_checkpoint(HeadsCheckpoint.loads(kept))
print(moved[0])
assert [(p.record_id, p.index) for p in moved] == [("O1", 3)]
store.dispose()
