"""How much the workflow layer costs on top of python-statemachine, and bulk validation speed.

Run from the repository root::

    python benchmarks/bench_workflows.py            # default sizes
    python benchmarks/bench_workflows.py --quick    # a short run

Prints:

- bare python-statemachine: create a machine at a state and send one event (what a host
  does with the library alone: one machine per record it loads), and send one event on a
  machine moved to the state (``current_state_value``, no machine built);
- the interactive path: ``Workflow.apply`` for the same transition (take an idle machine
  to the record's state, check every validator, send, seal the audit entry into the hash
  chain, return the new record), on a short trail and on a 3,000-entry one;
- the overhead ratio against the first (target ≤ 25 %), and against the second;
- the bulk validator on 1,000,000 audit entries, transitions only (target ≤ 3 s);
- the chain check of 1,000,000 entries as a store keeps them (rows, hashing included;
  target ≤ 3 s) and ``check_records``/``verify`` of 1,000,000 entries held in records.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pendulum

from sqfw.workflows import GENESIS, WorkflowRecord
from sqfw.workflows._chain import (
    canonical_data,
    canonical_time,
    entry_body,
    entry_hash,
    record_prefix,
)
from sqfw.workflows._definition import Row
from sqfw.workflows._records import seal
from sqfw.workflows.filing import FilingMachine, OrgFilingWorkflow

AT = pendulum.datetime(2020, 1, 2, 9, tz="Asia/Shanghai")


def best_of(repeat: int, number: int, fn: Callable[[], object]) -> float:
    """The best mean time per call (seconds) over ``repeat`` runs of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    number, repeat = (200, 3) if args.quick else (1000, 5)

    wf = OrgFilingWorkflow()
    record = wf.new("O1")
    form = {"id": "O1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}
    for event, data in (("submit", form), ("start_review", None)):
        record = wf.apply(record, event, actor="clerk", at=AT, data=data)
    # The same transition both ways: under_review --accept--> filed, with its two validators.
    ctx = wf._prepare(record, "accept", actor="clerk", at=AT, reason_=None, data=None)[1]

    under_review = FilingMachine.s.UNDER_REVIEW.value

    def bare() -> None:
        machine = FilingMachine(start_value=under_review)
        machine.send("accept", ctx=ctx)

    idle = FilingMachine(start_value=under_review)

    def bare_moved() -> None:
        idle.current_state_value = under_review
        idle.send("accept", ctx=ctx)

    def ours() -> None:
        wf.apply(record, "accept", actor="clerk", at=AT)

    # A filed organisation after 1,500 annual reviews: a 3,003-entry trail.
    long = wf.apply(record, "accept", actor="clerk", at=AT)
    for n in range(1500):
        when = AT.add(days=n + 1)
        data = {"year": 1000 + n}
        long = wf.apply(long, "start_annual_review", actor="clerk", at=when, data=data)
        long = wf.apply(long, "pass_annual_review", actor="clerk", at=when)
    next_at = AT.add(days=2000)

    def ours_long() -> None:
        wf.apply(long, "suspend", actor="clerk", at=next_at, reason="整改")

    bare_s = best_of(repeat, number, bare)
    moved_s = best_of(repeat, number, bare_moved)
    ours_s = best_of(repeat, number, ours)
    long_s = best_of(repeat, number, ours_long)
    print(f"bare python-statemachine create+transition: {bare_s * 1e6:8.1f} µs")
    print(f"bare python-statemachine moved+transition:  {moved_s * 1e6:8.1f} µs")
    print(f"sqfw Workflow.apply (interactive path):     {ours_s * 1e6:8.1f} µs")
    print(f"sqfw Workflow.apply on a {long.version:,}-entry trail: {long_s * 1e6:6.1f} µs")
    overhead = ours_s / bare_s - 1
    print(f"overhead: {overhead:+.1%} (target ≤ +25%)")
    print(
        f"overhead against a moved machine: {ours_s / moved_s - 1:+.1%} (sqfw runs every "
        "validator itself to list every reason, then the engine runs them again)"
    )

    # Bulk: a million entries of valid trails, column by column.
    trail = [
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "under_review"),
        ("request_correction", "under_review", "correction_requested"),
        ("resubmit", "correction_requested", "submitted"),
        ("start_review", "submitted", "under_review"),
        ("accept", "under_review", "filed"),
        ("start_annual_review", "filed", "annual_review"),
        ("pass_annual_review", "annual_review", "filed"),
        ("suspend", "filed", "suspended"),
        ("revoke", "suspended", "revoked"),
    ]
    records = args.entries // len(trail)
    ids = [f"O{i}" for i in range(records) for _ in trail]
    events = [e for _ in range(records) for e, _, _ in trail]
    sources = [s for _ in range(records) for _, s, _ in trail]
    targets = [t for _ in range(records) for _, _, t in trail]
    validator = OrgFilingWorkflow.validator()
    start = time.perf_counter()
    problems = validator.check_columns(ids, events, sources, targets)
    elapsed = time.perf_counter() - start
    assert problems == [], problems[:3]
    rate = len(ids) / elapsed
    print(
        f"bulk validator: {len(ids):,} entries in {elapsed:.2f} s "
        f"({rate / 1e6:.1f} M entries/s; target ≤ 3 s for 1,000,000)"
    )

    # The chain: the same trails sealed, as a store's rows (canonical text columns).
    at = canonical_time(AT)
    rows: list[Row] = []
    for r in range(records):
        record_id = f"O{r}"
        prefix = record_prefix(OrgFilingWorkflow.name, record_id)
        prev = GENESIS
        for seq, (event, source, target) in enumerate(trail, start=1):
            data = canonical_data({"year": 2020} if event == "start_annual_review" else {})
            body = entry_body(seq, event, source, target, "clerk", at, None, data, prev, "UTC")
            digest = entry_hash(prefix, body)
            rows.append(
                Row(record_id, seq, event, source, target, at, prev, digest, None, body, "UTC")
            )
            prev = digest
    start = time.perf_counter()
    problems = validator.check_rows(rows)
    elapsed = time.perf_counter() - start
    assert problems == [], problems[:3]
    print(
        f"chain check (rows, hashing included): {len(rows):,} entries in {elapsed:.2f} s "
        f"({len(rows) / elapsed / 1e6:.2f} M entries/s; target ≤ 3 s for 1,000,000)"
    )
    del rows

    # The same number of entries held in records, checked by check_records / verify.
    start = time.perf_counter()
    held = []
    for r in range(records):
        record_id = f"O{r}"
        entries = []
        prev = GENESIS
        for seq, (event, source, target) in enumerate(trail, start=1):
            entry = seal(
                OrgFilingWorkflow.name,
                record_id,
                seq=seq,
                prev=prev,
                event=event,
                source=source,
                target=target,
                actor="clerk",
                at=AT,
                reason=None,
                data={"year": 2020} if event == "start_annual_review" else {},
            )
            entries.append(entry)
            prev = entry.hash
        held.append(
            WorkflowRecord(
                workflow=OrgFilingWorkflow.name,
                record_id=record_id,
                state=entries[-1].target,
                trail=entries,
                version=len(entries),
                head=prev,
            )
        )
    built = time.perf_counter() - start
    start = time.perf_counter()
    problems = validator.check_records(held)
    elapsed = time.perf_counter() - start
    assert problems == [], problems[:3]
    count = len(held) * len(trail)
    print(
        f"verify records (check_records, hashing included): {count:,} entries in "
        f"{elapsed:.2f} s ({count / elapsed / 1e6:.2f} M entries/s; target ≤ 3 s for "
        f"1,000,000; sealing them took {built:.1f} s)"
    )


if __name__ == "__main__":
    main()
