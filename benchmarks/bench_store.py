"""Events committed per second through the store, hash chain included, by one writer.

Run from the repository root (the store extra installed)::

    python benchmarks/bench_store.py                 # SQLite file; PostgreSQL if configured
    python benchmarks/bench_store.py --events 500    # a short run

PostgreSQL is measured when ``SQFW_BENCH_POSTGRESQL_URL`` (or the tests'
``SQFW_TEST_POSTGRESQL_URL``) names a database; its sqfw tables are dropped first.

Each event is the interactive path a host runs: ``Workflow.apply`` on the record in
memory (verify, validators, seal the entry), then ``SqlStore.save`` (one transaction:
read the stored version and head, insert the entry, compare-and-set the record). SQLite
runs with ``synchronous = FULL`` in WAL mode, so each commit is on disk before it
returns. Target: ≥ 1,000 events/s on SQLite, end to end. The same path is then timed on
one record whose trail grows to ``--events`` entries: an event must cost the same on a
long trail as on a short one (the last tenth is timed on its own to show it). Last, 20,000
records are read back verified with ``records()`` in one pass and with one ``load()``
each, and with the host key's signatures checked (``records()`` and ``verify_all()``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pendulum
import sqlalchemy as sa

from sqfw.store import SqlStore
from sqfw.workflows import HostKey, WorkflowRecord
from sqfw.workflows.filing import OrgFilingWorkflow

AT = pendulum.datetime(2020, 1, 2, 9, tz="Asia/Shanghai")
ORG = {"id": "o1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}


def step(wf: OrgFilingWorkflow, record: WorkflowRecord, n: int) -> WorkflowRecord:
    """The next event of the annual-review cycle filed ⇄ annual_review."""
    when = AT.add(seconds=n + 1)
    if record.state == "filed":
        data = {"year": 1000 + record.version}
        return wf.apply(record, "start_annual_review", actor="clerk", at=when, data=data)
    return wf.apply(record, "pass_annual_review", actor="clerk", at=when)


def run(target: str, events: int, label: str, records: int = 100) -> None:
    wf = OrgFilingWorkflow()
    store = SqlStore(target, workflows=[wf])
    current = []
    for r in range(records):
        record = wf.apply(wf.new(f"O{r}"), "submit", actor="clerk", at=AT, data=ORG)
        record = wf.apply(record, "start_review", actor="clerk", at=AT)
        record = wf.apply(record, "accept", actor="clerk", at=AT)
        store.save(record)
        current.append(record)

    # 1. The store alone: events sealed beforehand, each committed in its own transaction.
    sealed = []
    for n in range(events):
        current[n % records] = step(wf, current[n % records], n)
        sealed.append(current[n % records])
    start = time.perf_counter()
    for record in sealed:
        store.save(record)
    stored = time.perf_counter() - start

    # 2. End to end, as a host runs it: apply (verify, validators, seal), then save.
    start = time.perf_counter()
    for n in range(events, 2 * events):
        current[n % records] = step(wf, current[n % records], n)
        store.save(current[n % records])
    both = time.perf_counter() - start

    assert store.load("org_filing", "O0") == current[0]
    assert store.verify_all() == []
    store.dispose()
    print(
        f"{label}: {events / stored:,.0f} events/s committed by save() "
        f"(one writer, {events:,} events over {records} records, one transaction each); "
        f"{events / both:,.0f} events/s for apply() + save()"
    )


def run_long(target: str, events: int, label: str) -> None:
    """apply() + save() on one record whose trail grows to ``events`` entries."""
    wf = OrgFilingWorkflow()
    store = SqlStore(target, workflows=[wf])
    record = wf.apply(wf.new("LONG"), "submit", actor="clerk", at=AT, data=ORG)
    record = wf.apply(record, "start_review", actor="clerk", at=AT)
    record = wf.apply(record, "accept", actor="clerk", at=AT)
    store.save(record)
    tail = max(events // 10, 1)
    start = time.perf_counter()
    for n in range(events - tail):
        record = store.save(step(wf, record, n))
    middle = time.perf_counter()
    for n in range(events - tail, events):
        record = store.save(step(wf, record, n))
    end = time.perf_counter()
    assert store.load("org_filing", "LONG") == record
    assert store.verify_all() == []
    store.dispose()
    print(
        f"{label}, one record: {events / (end - start):,.0f} events/s for apply() + save() "
        f"as its trail grows to {record.version:,} entries; {tail / (end - middle):,.0f} "
        f"events/s over the last {tail:,}"
    )


def run_read(target: str, label: str, records: int = 20_000) -> None:
    """Every record of a workflow read back, verified: records() in one pass against one
    load() per record (what a report over a whole store used to do)."""
    key = HostKey(key_id="bench", secret=b"the benchmark's host key")
    wf = OrgFilingWorkflow(key=key)
    store = SqlStore(target, workflows=[wf])
    made = []
    for r in range(records):
        record = wf.apply(wf.new(f"R{r:06d}"), "submit", actor="clerk", at=AT, data=ORG)
        made.append(wf.apply(record, "start_review", actor="clerk", at=AT))
    store.save_new(made)
    start = time.perf_counter()
    read = list(store.records(wf.name))
    one_pass = time.perf_counter() - start
    start = time.perf_counter()
    each = [store.load(wf.name, s.record_id) for s in store.find(workflow=wf.name)]
    one_by_one = time.perf_counter() - start
    assert read == each
    assert len(read) == records
    keyed = SqlStore(store.engine, workflows=[wf], keys=[key])
    start = time.perf_counter()
    assert len(list(keyed.records(wf.name))) == records
    signed_pass = time.perf_counter() - start
    start = time.perf_counter()
    assert store.verify_all() == []
    blind_check = time.perf_counter() - start
    start = time.perf_counter()
    assert keyed.verify_all() == []
    signed_check = time.perf_counter() - start
    store.dispose()
    print(
        f"{label}, {records:,} records read back verified: records() {one_pass:.2f} s, "
        f"one load() each {one_by_one:.2f} s ({one_by_one / one_pass:.1f}× slower); "
        f"with the host key's signatures checked: records() {signed_pass:.2f} s; "
        f"verify_all() {blind_check:.2f} s without keys, {signed_check:.2f} s with"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sqlite = "SQLite file (WAL, synchronous=FULL)"
        run(str(Path(scratch) / "records.db"), args.events, sqlite)
        run_long(str(Path(scratch) / "long.db"), args.events, sqlite)
        run_read(str(Path(scratch) / "read.db"), sqlite)
    url = os.environ.get("SQFW_BENCH_POSTGRESQL_URL") or os.environ.get("SQFW_TEST_POSTGRESQL_URL")
    if not url:
        print("PostgreSQL: not measured (set SQFW_BENCH_POSTGRESQL_URL)")
        return
    engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TABLE IF EXISTS sqfw_entries, sqfw_records, sqfw_schema CASCADE; "
            "DROP FUNCTION IF EXISTS sqfw_refuse, sqfw_forward"
        )
    engine.dispose()
    run(url, args.events, "PostgreSQL")
    run_long(url, args.events, "PostgreSQL")
    run_read(url, "PostgreSQL")


if __name__ == "__main__":
    main()
