"""Several processes write the same records through the store at once.

Eight worker processes apply events to four records for a bounded time. At the end every
accepted event is in exactly one trail, once; no version is skipped or repeated; every
chain verifies; conflicts plus successes equal attempts. On a SQLite file and PostgreSQL
(an in-memory SQLite database cannot be shared between processes).
"""

from __future__ import annotations

import collections
import multiprocessing
from pathlib import Path

import pytest
from concurrency_worker import run
from store_helpers import T0, filed, workflows

from conftest import target_for
from sqfw.store import SqlStore

WORKERS = 8
SECONDS = 2.5
RECORDS = ["O1", "O2", "O3", "O4"]


@pytest.mark.parametrize("engine_name", ["sqlite-file", "postgresql"])
def test_workers_on_shared_records(engine_name: str, tmp_path: Path) -> None:
    """Every accepted event is stored exactly once, and every chain verifies."""
    target = target_for(engine_name, tmp_path)
    store = SqlStore(target, workflows=workflows())
    for record_id in RECORDS:
        store.save(filed(record_id, T0))
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results = context.Queue()
    workers = [
        context.Process(target=run, args=(n, target, RECORDS, start, SECONDS, results))
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    start.set()
    reports = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    errors = [error for *_, error in reports if error]
    assert errors == []

    attempts = sum(r[1] for r in reports)
    accepted = [token for r in reports for token in r[2]]
    conflicts = sum(r[3] for r in reports)
    assert attempts == len(accepted) + conflicts
    assert len(accepted) > WORKERS  # the run did work, not only conflicts

    stored: list[str] = []
    total = 0
    for record_id in RECORDS:
        record = store.load("org_filing", record_id)  # verifies
        assert [e.seq for e in record.trail] == list(range(1, record.version + 1))
        total += record.version - 3
        stored.extend(str(e.reason) for e in record.trail[3:])
    assert total == len(accepted)
    counts = collections.Counter(stored)
    assert all(n == 1 for n in counts.values())
    assert set(counts) == set(accepted)
    assert store.verify_all() == []
    store.dispose()
    print(
        f"{engine_name}: {attempts} attempts by {WORKERS} processes in {SECONDS} s, "
        f"{len(accepted)} accepted, {conflicts} conflicts"
    )
