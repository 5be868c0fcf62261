"""A host's work list from the store: overdue by level, due today, due this week, by
office and by service; bulk saving of new records; the schema's step to version 2."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa
from store_helpers import TICKETS, ticket, workflows

from sqfw.errors import ConcurrencyConflict, StoreError
from sqfw.store import SCHEMA_VERSION, SqlStore
from sqfw.store._schema import MIGRATIONS

TZ = "Asia/Shanghai"


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


class TestWorkList:
    """Counts by bucket, office, topic and escalation level, on both sides of each edge."""

    def test_buckets(self, store: SqlStore) -> None:
        """Tickets received on different days fall into overdue (by level), today and
        this week; one due next week is in none."""
        # 5 working days (the example's pension certification), deadlines:
        store.save_new(
            [
                ticket("A", at(2019, 9, 2, 9), "civil_affairs"),  # 09-09: 4 days overdue
                ticket("B", at(2019, 9, 6, 9), "justice"),  # 09-16: 2 hours 1 minute over
                ticket("C", at(2019, 9, 9, 9), "civil_affairs"),  # 09-17: due today
                ticket("D", at(2019, 9, 12, 9), "justice"),  # 09-20: this week
                ticket("E", at(2019, 9, 20, 9), "justice"),  # 09-27: next week
            ]
        )
        now = at(2019, 9, 17, 2, 1)
        work = store.work_list(now, workflow=TICKETS.name)
        assert (work.total.overdue, work.total.due_today, work.total.due_this_week) == (2, 1, 1)
        assert work.by_office["civil_affairs"].overdue == 1
        assert work.by_office["justice"].due_this_week == 1
        assert work.by_topic["hrss.pension_certification"].overdue == 2
        assert work.overdue_by_level == {"reminder": 1, "supervision": 0, "elevation": 1}
        assert [s.record_id for s in work.items] == ["A", "B", "C", "D"]
        assert work.items[0].topic == "hrss.pension_certification"
        assert store.find(topic="nothing") == []

    def test_edges(self, store: SqlStore) -> None:
        """At the deadline a ticket is due today; a moment later it is overdue."""
        record = ticket("C", at(2019, 9, 10, 9), "civil_affairs")
        store.save_new([record])
        due = TICKETS.due(record)
        assert due == at(2019, 9, 18).end_of("day")  # 09-13 is the Mid-Autumn holiday
        before = store.work_list(due, workflow=TICKETS.name)
        assert (before.total.overdue, before.total.due_today) == (1, 0)  # due <= at counts
        earlier = store.work_list(due.subtract(seconds=1), workflow=TICKETS.name)
        assert (earlier.total.overdue, earlier.total.due_today) == (0, 1)


class TestSaveNew:
    """Records not stored yet are committed in bulk; a stored one is refused."""

    def test_bulk_then_refused(self, store: SqlStore) -> None:
        """The batch is committed whole, and the records load back and verify."""
        records = [ticket(f"T{i}", at(2019, 9, 2, 9), "justice") for i in range(7)]
        assert store.save_new(records, batch=3) == 7
        assert store.load(TICKETS.name, "T5") == records[5]
        assert store.verify_all() == []
        with pytest.raises(ConcurrencyConflict):
            store.save_new([ticket("T99", at(2019, 9, 2, 9)), records[0]])
        with pytest.raises(LookupError):
            store.load(TICKETS.name, "T99")


class TestSchemaTwo:
    """A version-1 database is upgraded in place to the topic column."""

    def test_upgrade_from_one(self, tmp_path: Path) -> None:
        """Tables of version 1, upgraded: the topic column is there and saves fill it."""
        path = tmp_path / "v1.db"
        engine = sa.create_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE sqfw_records (workflow VARCHAR(64) NOT NULL, record_id "
                "VARCHAR(64) NOT NULL, state VARCHAR(64) NOT NULL, version INTEGER NOT NULL, "
                "head VARCHAR(64) NOT NULL, updated_at VARCHAR(27), due VARCHAR(27), "
                "offices TEXT DEFAULT '' NOT NULL, PRIMARY KEY (workflow, record_id))"
            )
            conn.exec_driver_sql(
                "CREATE TABLE sqfw_entries (workflow VARCHAR(64) NOT NULL, record_id "
                "VARCHAR(64) NOT NULL, seq INTEGER NOT NULL, event VARCHAR(64) NOT NULL, "
                "source VARCHAR(64) NOT NULL, target VARCHAR(64) NOT NULL, actor VARCHAR(100) "
                "NOT NULL, at VARCHAR(27) NOT NULL, zone VARCHAR(64) NOT NULL, reason TEXT, "
                "data TEXT NOT NULL, prev VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL, "
                "mac VARCHAR(200), PRIMARY KEY (workflow, record_id, seq))"
            )
            conn.exec_driver_sql(
                "CREATE TABLE sqfw_schema (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)"
            )
            conn.exec_driver_sql("INSERT INTO sqfw_schema VALUES (1, 1)")
            for statement in MIGRATIONS[1]["sqlite"]:
                conn.exec_driver_sql(statement)
        engine.dispose()
        with pytest.raises(StoreError, match="upgrade=True"):
            SqlStore(str(path), workflows=workflows())
        store = SqlStore(str(path), workflows=workflows(), upgrade=True)
        try:
            assert store.schema_version() == SCHEMA_VERSION == 4
            store.save(ticket("T1", at(2019, 9, 2, 9), "justice"))
            assert store.find(topic="hrss.pension_certification")[0].record_id == "T1"
        finally:
            store.dispose()


class TestEstimatedDeadlines:
    """On every engine: an estimated deadline is stored with its mark, and refresh_due
    recounts it at the same version once the year's schedule is added; the database still
    refuses a change of state or head without a new version."""

    def test_refresh_after_adding_a_schedule(self, target: str) -> None:
        from sqfw.calendar import OfficialSchedule
        from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

        wf = TicketWorkflow(catalogue=example_catalogue())
        opened = SqlStore(target, workflows=[wf])
        record = wf.apply(
            wf.new("LATE"),
            "receive",
            actor="window",
            at=at(2026, 12, 28, 10),
            data={
                "service_code": "hrss.pension_certification",
                "kind": "handling",
                "channel": "window",
            },
        )
        opened.save(record)
        [row] = opened.overdue(at(2027, 1, 6, 9), workflow=wf.name)
        assert row.due_estimated
        assert row.due == at(2027, 1, 5).end_of("day")
        wf.calendar = wf.calendar.with_schedule(
            OfficialSchedule(
                year=2027,
                days_off={f"2027-01-0{d}": "元旦" for d in range(1, 5)},
                makeup_workdays=["2027-01-09"],
                document="示例:2027年部分节假日安排(测试用,非官方)",
                number="示例〔2026〕1号",
                issued="2026-11-20",
                source="tests/store/test_work_list.py",
            )
        )
        assert opened.refresh_due(wf.name) == 1
        [row] = opened.find(workflow=wf.name)
        assert not row.due_estimated
        assert row.due == at(2027, 1, 6).end_of("day")
        assert row.version == record.version
        assert opened.load(wf.name, "LATE") == record
        with opened.engine.begin() as conn, pytest.raises(sa.exc.DBAPIError, match="append-only"):
            conn.exec_driver_sql("UPDATE sqfw_records SET state = 'handled'")
        opened.dispose()
