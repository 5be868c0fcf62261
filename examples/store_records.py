# %% [markdown]
# # Records a host can trust: a store and a hash-chained trail
#
# A township office keeps its social-organisation filings in a SQLite file. Two clerks
# act on the same filing at once; the store lets one through and tells the other. Then
# someone edits an entry behind the store's back, and the chain shows where.

# %%
import tempfile
from pathlib import Path

import pendulum
import sqlalchemy as sa

from sqfw.errors import ConcurrencyConflict, TrailBroken
from sqfw.store import SqlStore
from sqfw.workflows.filing import OrgFilingWorkflow

folder = Path(tempfile.mkdtemp())
filing = OrgFilingWorkflow()
store = SqlStore(str(folder / "records.db"), workflows=[filing])
at = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")
org = {"id": "o1", "name": "夕阳红互助会", "kind": "mutual_aid", "community_code": "150102001001"}

record = filing.apply(filing.new("O1"), "submit", actor="clerk-1", at=at, data=org)
record = filing.apply(record, "start_review", actor="clerk-1", at=at.add(hours=2))
store.save(record)
print("head after two events:", record.head[:16], "…")

# %% Two clerks, one copy: exactly one save succeeds.
mine = store.load("org_filing", "O1")
theirs = store.load("org_filing", "O1")
store.save(filing.apply(mine, "accept", actor="clerk-1", at=at.add(days=1)))
conflict: ConcurrencyConflict | None = None
try:
    store.save(filing.apply(theirs, "refuse", actor="clerk-2", at=at.add(days=1), reason="x"))
except ConcurrencyConflict as caught:
    conflict = caught
assert conflict is not None, "a stale save went through"
print(conflict)
assert (conflict.expected_version, conflict.actual_version) == (2, 3)

stored = store.load("org_filing", "O1")
assert stored.state == "filed"
assert [e.seq for e in stored.trail] == [1, 2, 3]
published_head = stored.head  # e.g. printed on the notice board

# %% The database refuses to change an entry ...
try:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sqfw_entries SET actor = 'nobody'")
    raise AssertionError("an entry was changed")
except sa.exc.DBAPIError as refused:
    print("refused:", str(refused.orig))

# %% ... and if someone drops the trigger first, the chain shows which entry changed.
with store.engine.begin() as conn:
    conn.exec_driver_sql("DROP TRIGGER sqfw_entries_no_update")
    conn.exec_driver_sql("UPDATE sqfw_entries SET actor = 'nobody' WHERE seq = 2")
problems = store.verify_all()
print(problems[0])
assert [(p.record_id, p.index) for p in problems] == [("O1", 1)]
broken: TrailBroken | None = None
try:
    store.load("org_filing", "O1")
except TrailBroken as caught:
    broken = caught
assert broken is not None, "a changed trail loaded"
assert broken.index == 1
assert stored.head == published_head  # the copy kept elsewhere still verifies
filing.verify(stored)
store.dispose()
