"""One worker process of the concurrency test: load, apply, save, until time is up."""

from __future__ import annotations

import random
import time
from typing import Any

from store_helpers import review_step, workflows

from sqfw.errors import ConcurrencyConflict
from sqfw.store import SqlStore


def run(
    number: int, target: str, record_ids: list[str], start: Any, seconds: float, results: Any
) -> None:
    """Apply annual-review steps to random records for ``seconds`` after ``start`` is set.

    Puts ``(number, attempts, accepted tokens, conflicts, error)`` on ``results``.
    """
    accepted: list[str] = []
    attempts = conflicts = 0
    error = ""
    store = SqlStore(target, workflows=workflows(), create=False)
    chooser = random.Random(number)
    try:
        start.wait()
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            record = store.load("org_filing", chooser.choice(record_ids))
            assert record.last is not None
            token = f"w{number}-{attempts}"
            changed = review_step(record, record.last.at.add(seconds=1), token)
            attempts += 1
            try:
                store.save(changed)
            except ConcurrencyConflict:
                conflicts += 1
            else:
                accepted.append(token)
    except Exception as exc:  # reported to the test, which fails with it
        error = f"{type(exc).__name__}: {exc}"
    finally:
        store.dispose()
        results.put((number, attempts, accepted, conflicts, error))
