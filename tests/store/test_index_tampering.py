"""The work-list reads as an attacker meets them: record rows changed through SQL.

``find`` and ``work_list`` read the columns a store indexes besides the trail (``due``,
``updated_at``, ``offices``, ``topic``) and the record's own (``state``, ``version``,
``head``). Anyone who can connect may UPDATE a record row as long as its version moves
forward (the triggers allow that much), or, on SQLite, write text that is not UTF-8.
What they write is checked as ``load`` checks the columns it reads: a value that cannot
be used is a :class:`~sqfw.errors.TrailBroken` naming the record and the column, never a
driver error, a ``ValueError`` from a time parser, or a wrong list. Every test runs on
SQLite (memory and file) and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from store_helpers import T0, ticket
from tampering_helpers import tamper, tamper_raw

from sqfw.errors import TrailBroken
from sqfw.store import SqlStore
from sqfw.workflows._chain import canonical_time

AT = T0.add(hours=1)  # the moment of the work lists: the ticket received at T0 is due later


def saved(store: SqlStore, *ids: str) -> None:
    for record_id in ids:
        store.save(ticket(record_id, T0))


def refused(store: SqlStore, record_id: str, match: str) -> None:
    """``find`` and ``work_list`` both refuse, naming the record."""
    with pytest.raises(TrailBroken, match=match) as info:
        store.find(workflow="service_ticket")
    assert info.value.record_id == record_id
    with pytest.raises(TrailBroken, match=match) as info:
        store.work_list(AT, workflow="service_ticket")
    assert info.value.record_id == record_id


class TestRefused:
    @pytest.mark.parametrize(
        ("values", "match"),
        [
            pytest.param({"due": "2024-03-02T01:00:00Z"}, "canonical UTC", id="due-short"),
            pytest.param({"due": "2024-03-01 02:00:00.000000Z"}, "canonical UTC", id="due-space"),
            pytest.param({"due": "1800-03-02T01:00:00.000000Z"}, "year", id="due-old-year"),
            pytest.param({"offices": "|civil\u202eaffairs|"}, "U\\+202E", id="offices-bidi"),
            pytest.param({"offices": "|a\x00|"}, "U\\+0000", id="offices-nul"),
            pytest.param({"offices": "civil_affairs"}, "'\\|'", id="offices-unframed"),
            pytest.param({"offices": "|" + "x" * 4000 + "|"}, "longer than 4000", id="long"),
            pytest.param({"topic": "  "}, "blank", id="topic-blank"),
            pytest.param({"topic": "a\u200bb"}, "U\\+200B", id="topic-zero-width"),
        ],
    )
    def test_by_find_and_work_list(
        self, store: SqlStore, values: dict[str, Any], match: str
    ) -> None:
        saved(store, "T1", "T2")
        if store.dialect == "postgresql" and any("\x00" in str(v) for v in values.values()):
            with pytest.raises(sa.exc.DataError):  # PostgreSQL's text holds no NUL
                tamper(store, "T1", **values)
            return
        if "due" not in values:
            # in the week of AT, so that work_list reads the row; offices/topic as tampered
            values = {"due": canonical_time(AT.add(hours=2)), **values}
        tamper(store, "T1", **values)
        refused(store, "T1", match)
        assert [r.record_id for r in store.find(workflow="service_ticket", limit=0)] == []

    def test_updated_at(self, store: SqlStore) -> None:
        saved(store, "T1")
        tamper(store, "T1", updated_at="yesterday")
        with pytest.raises(TrailBroken, match="updated_at") as info:
            store.find()
        assert (info.value.record_id, info.value.workflow) == ("T1", "service_ticket")

    def test_state_and_head_as_load_reads_them(self, store: SqlStore) -> None:
        saved(store, "T1")
        tamper(store, "T1", head="X" * 64)
        with pytest.raises(TrailBroken, match="head") as info:
            store.find()
        assert info.value.record_id == "T1"
        with pytest.raises(TrailBroken, match="head"):
            store.load("service_ticket", "T1")

    def test_invalid_utf8_on_sqlite(self, store: SqlStore) -> None:
        if store.dialect != "sqlite":
            pytest.skip("PostgreSQL refuses text that is not UTF-8 on the way in")
        saved(store, "T1", "T2")
        due = canonical_time(AT.add(hours=2))
        tamper_raw(store, "T2", f"offices = CAST(X'7CC3FF7C' AS TEXT), due = '{due}'")
        refused(store, "T2", "UTF-8")
        tamper_raw(store, "T2", "offices = '', topic = CAST(X'FF' AS TEXT)")
        refused(store, "T2", "UTF-8")

    def test_a_version_that_is_not_a_number(self, store: SqlStore) -> None:
        if store.dialect != "sqlite":
            pytest.skip("PostgreSQL keeps an integer column integer")
        saved(store, "T1")
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sqfw_records SET version = 'x' WHERE record_id = 'T1'")
        with pytest.raises(TrailBroken, match="version") as info:
            store.find()
        assert (info.value.record_id, info.value.index) == ("T1", 0)


class TestBoundaries:
    """The values on the other side of each bound are read."""

    def test_longest_and_shortest_pass(self, store: SqlStore) -> None:
        saved(store, "T1")
        due = canonical_time(AT.add(hours=2))
        offices = "|" + "x" * 3998 + "|"  # 4000 characters: the longest read
        tamper(store, "T1", due=due, offices=offices, topic="t" * 64)
        (found,) = store.find(workflow="service_ticket")
        assert found.offices == ("x" * 3998,)
        assert found.topic == "t" * 64
        assert found.due is not None
        assert canonical_time(found.due) == due
        listed = store.work_list(AT, workflow="service_ticket")
        assert listed.total.due_today + listed.total.overdue + listed.total.due_this_week == 1
        assert [r.record_id for r in listed.items] == ["T1"]

    def test_empty_offices_and_no_topic_pass(self, store: SqlStore) -> None:
        saved(store, "T1")
        tamper(store, "T1", offices="", topic=None, due=None, updated_at=None)
        (found,) = store.find()
        assert (found.offices, found.topic, found.due, found.updated_at) == ((), None, None, None)

    def test_the_year_bounds(self, store: SqlStore) -> None:
        """1900 and 2200 (:data:`~sqfw.limits.MIN_YEAR`, ``MAX_YEAR``) are read."""
        saved(store, "T1", "T2")
        tamper(store, "T1", due="1900-01-01T00:00:00.000000Z")
        tamper(store, "T2", due="2200-12-30T00:00:00.000000Z")
        found = {r.record_id: r.due for r in store.find()}
        assert found["T1"] is not None
        assert found["T1"].year == 1900
        assert found["T2"] is not None
        assert found["T2"].year == 2200
        tamper(store, "T2", due="2201-01-01T00:00:00.000000Z")
        with pytest.raises(TrailBroken, match="year outside 1900–2200"):
            store.find()

    def test_an_untouched_store_lists_as_before(self, store: SqlStore) -> None:
        saved(store, "T1", "T2")
        found = store.find(workflow="service_ticket")
        assert [r.record_id for r in found] == ["T1", "T2"]
        listed = store.work_list(AT, workflow="service_ticket")
        week = [r for r in found if r.due is not None and r.due <= listed.week_ends]
        assert list(listed.items) == week


def test_a_row_the_database_refuses_is_not_ours(store: SqlStore) -> None:
    """A NULL ``offices`` is refused by the schema itself (NOT NULL), not read."""
    saved(store, "T1")
    with pytest.raises(sa.exc.IntegrityError):
        tamper(store, "T1", offices=None)
