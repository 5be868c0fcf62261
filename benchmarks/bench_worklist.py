"""The work list over 1,000,000 stored tickets (SQLite), target ≤ 1 s.

Run from the repository root (the store extra installed)::

    python benchmarks/bench_worklist.py                      # 1,000,000 tickets
    python benchmarks/bench_worklist.py --tickets 50000      # a short run
    python benchmarks/bench_worklist.py --db /tmp/wl.db      # keep the database (reused)

Setup: tickets received over two years, made by ``Workflow.apply`` and committed through
the store's bulk path ``SqlStore.save_new`` in batches. A share of them (``--open``,
5 % by default: a store's history is mostly finished cases) is open, received and
dispatched to one office of the example catalogue; the others are finished (here:
declined at the window, one entry, no deadline). A database given with ``--db`` that
already holds the tickets is reused. Timed: ``work_list`` (the
grouped count of overdue, due today and due this week by office, topic and level, and
the 100 soonest records) at a moment in the middle of the range, best of five.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum

from sqfw.store import SqlStore
from sqfw.workflows import WorkflowRecord
from sqfw.workflows._chain import GENESIS
from sqfw.workflows._records import seal
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

START = pendulum.datetime(2019, 1, 2, 9, tz="Asia/Shanghai")
SERVICES = [
    ("hrss.pension_certification", "human_resources_social_security"),
    ("justice.legal_aid", "justice"),
    ("urban.street_lighting", "urban_management"),
    ("public_security.residence_certificate", "public_security"),
    ("civil_affairs.minimum_living_allowance", "civil_affairs"),
]


def tickets(wf: TicketWorkflow, n: int, every: int) -> Iterator[WorkflowRecord]:
    """``n`` tickets a few minutes apart over two years; every ``every``-th one open.

    The finished ones (declined at the window: one entry) are sealed with the chain's own
    ``seal`` from the entry one ``apply`` made, instead of one ``apply`` each: building a
    python-statemachine machine for every finished case would make the setup last most of
    an hour. The store verifies each record as it commits it.
    """
    seconds = max(1, (2 * 365 * 24 * 3600) // n)
    template = wf.apply(
        wf.new("T-template"), "decline", actor="window", at=START, reason="重复来电"
    )
    first = template.trail[0]
    for i in range(n):
        code, office = SERVICES[(i // every) % len(SERVICES)]
        at = START.add(seconds=i * seconds)
        if i % every:
            entry = seal(
                wf.name,
                f"T{i:07d}",
                seq=1,
                prev=GENESIS,
                event=first.event,
                source=first.source,
                target=first.target,
                actor=first.actor,
                at=at,
                reason=first.reason,
                data=first.data,
            )
            yield WorkflowRecord(
                workflow=wf.name,
                record_id=f"T{i:07d}",
                state=first.target,
                trail=(entry,),
                version=1,
                head=entry.hash,
            )
            continue
        r = wf.apply(
            wf.new(f"T{i:07d}"),
            "receive",
            actor="window",
            at=at,
            data={"service_code": code, "kind": "handling", "channel": "window"},
        )
        yield wf.apply(r, "dispatch", actor="dispatcher", at=at, data={"offices": [office]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=float, default=0.05, help="share of open tickets")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    wf = TicketWorkflow(catalogue=example_catalogue())
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "worklist.db"
        store = SqlStore(str(path), workflows=[wf])
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT count(*) FROM sqfw_records").scalar() or 0
        if stored < args.tickets:
            started = time.perf_counter()
            every = max(1, round(1 / args.open))
            store.save_new(tickets(wf, args.tickets, every), batch=20_000)
            print(
                f"setup: {args.tickets:,} tickets stored in {time.perf_counter() - started:.1f} s"
            )
        at = START.add(minutes=(2 * 365 * 24 * 60) // 2)
        best = float("inf")
        work = None
        for _ in range(5):
            started = time.perf_counter()
            work = store.work_list(at, workflow=wf.name)
            best = min(best, time.perf_counter() - started)
        assert work is not None
        print(
            f"work list over {args.tickets:,} stored tickets (SQLite): {best * 1000:.0f} ms "
            f"(target ≤ 1000 ms); overdue {work.total.overdue:,}, due today "
            f"{work.total.due_today:,}, this week {work.total.due_this_week:,}; "
            f"{len(work.by_office)} offices, {len(work.by_topic)} services"
        )
        store.dispose()


if __name__ == "__main__":
    main()
