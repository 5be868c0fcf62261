"""Rows written behind a store's back, as anyone who can connect to its database can.

The append-only triggers refuse changed or deleted entries and a record row moved
backwards; they let through a new entry and a record row whose version moves forward
(:func:`write_entry`, :func:`tamper`). The database's owner can switch them off
(:func:`as_owner`). These are the moves of the tampering and checkpoint tests and of the
conformance suite's ``write_entry``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqfw.store import SqlStore
from sqfw.store._schema import entries, records


def write_entry(
    store: SqlStore, *, workflow: str, record_id: str, columns: Mapping[str, Any]
) -> None:
    """INSERT an entry row with these stored ``columns`` (those of
    :func:`sqfw.testing.forged_entry`) and move the record's row to it: its version to
    ``seq``, its head to ``hash``, its state to ``target``."""
    with store.engine.begin() as conn:
        conn.execute(entries.insert().values(workflow=workflow, record_id=record_id, **columns))
        conn.execute(
            records.update()
            .where(records.c.workflow == workflow, records.c.record_id == record_id)
            .values(version=columns["seq"], head=columns["hash"], state=columns["target"])
        )


def as_owner(store: SqlStore, *statements: str) -> None:
    """Run statements with the append-only triggers off, as the database owner can."""
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            for trigger in ("entries_no_delete", "entries_no_update", "records_forward"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS sqfw_{trigger}")
            for statement in statements:
                conn.exec_driver_sql(statement)
        else:
            for table in ("sqfw_entries", "sqfw_records"):
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for statement in statements:
                conn.exec_driver_sql(statement)
            for table in ("sqfw_entries", "sqfw_records"):
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def tamper(store: SqlStore, record_id: str, **values: Any) -> None:
    """UPDATE the record row as SQL can: the version moves forward, so the triggers let it."""
    with store.engine.begin() as conn:
        conn.execute(
            records.update()
            .where(records.c.record_id == record_id)
            .values(version=records.c.version + 1, **values)
        )


def tamper_raw(store: SqlStore, record_id: str, assignment: str) -> None:
    """UPDATE with SQL text (for values only SQLite holds, such as text that is not UTF-8)."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE sqfw_records SET {assignment}, version = version + 1 "
            f"WHERE record_id = '{record_id}'"
        )
