"""The store's tables, the triggers that keep entries append-only, and the upgrade path.

Two tables hold the records: ``sqfw_records`` (one row per record: state, version, head
and the work-list columns) and ``sqfw_entries`` (one row per audit entry, keyed by
workflow, record id and sequence number). A third, one-row table ``sqfw_schema`` holds
the schema version.

Upgrades are numbered steps (:data:`MIGRATIONS`), each a list of DDL statements per
dialect, applied in order inside one transaction by :meth:`SqlStore.upgrade`; the
schema version is raised in the same transaction, so an upgrade either happens whole or
not at all. This is the part of Alembic sqfw needs, without its configuration and
script directory in a host's deployment; a host that runs Alembic for its own tables can
import :data:`metadata` into its environment and leave these three tables to sqfw.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import sqlalchemy as sa

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLE_STEPS",
    "entries",
    "metadata",
    "records",
    "schema_table",
]

SCHEMA_VERSION: Final = 4
"""The version of the store's tables this sqfw reads and writes."""

metadata: Final = sa.MetaData()

_TIME = 27  # canonical UTC text, YYYY-MM-DDTHH:MM:SS.ffffffZ

records: Final = sa.Table(
    "sqfw_records",
    metadata,
    sa.Column("workflow", sa.String(64), primary_key=True),
    sa.Column("record_id", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("head", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.String(_TIME)),
    sa.Column("due", sa.String(_TIME)),
    # the deadline was counted over a year whose holiday schedule is estimated
    sa.Column("due_estimated", sa.Boolean, nullable=False, server_default=sa.false()),
    # "|office|office|", so that one LIKE finds an office on every engine
    sa.Column("offices", sa.Text, nullable=False, server_default=""),
    # what the record is about (a ticket's service code), for work lists by topic
    sa.Column("topic", sa.String(64)),
    sa.Index("sqfw_records_by_state", "workflow", "state"),
    sa.Index("sqfw_records_by_due", "due"),
    sa.Index("sqfw_records_by_workflow_due", "workflow", "due"),
)

entries: Final = sa.Table(
    "sqfw_entries",
    metadata,
    sa.Column("workflow", sa.String(64), primary_key=True),
    sa.Column("record_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("event", sa.String(64), nullable=False),
    sa.Column("source", sa.String(64), nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("at", sa.String(_TIME), nullable=False),
    sa.Column("zone", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("prev", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("mac", sa.String(200)),
    sa.ForeignKeyConstraint(
        ["workflow", "record_id"], ["sqfw_records.workflow", "sqfw_records.record_id"]
    ),
)

schema_table: Final = sa.Table(
    "sqfw_schema",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

_REFUSED = "sqfw: audit entries are append-only; records are never deleted nor moved back"

_SQLITE_V1: Final = (
    f"""CREATE TRIGGER sqfw_entries_no_update BEFORE UPDATE ON sqfw_entries
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER sqfw_entries_no_delete BEFORE DELETE ON sqfw_entries
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER sqfw_records_no_delete BEFORE DELETE ON sqfw_records
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER sqfw_records_forward BEFORE UPDATE ON sqfw_records
    WHEN NEW.version <= OLD.version OR NEW.workflow <> OLD.workflow
        OR NEW.record_id <> OLD.record_id
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
)

_POSTGRESQL_V1: Final = (
    f"""CREATE FUNCTION sqfw_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{_REFUSED} (% on %)', TG_OP, TG_TABLE_NAME; END $$""",
    f"""CREATE FUNCTION sqfw_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.version <= OLD.version OR NEW.workflow <> OLD.workflow
            OR NEW.record_id <> OLD.record_id THEN
            RAISE EXCEPTION '{_REFUSED} (% on %)', TG_OP, TG_TABLE_NAME;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER sqfw_entries_append_only BEFORE UPDATE OR DELETE ON sqfw_entries
    FOR EACH ROW EXECUTE FUNCTION sqfw_refuse()""",
    """CREATE TRIGGER sqfw_entries_no_truncate BEFORE TRUNCATE ON sqfw_entries
    FOR EACH STATEMENT EXECUTE FUNCTION sqfw_refuse()""",
    """CREATE TRIGGER sqfw_records_no_delete BEFORE DELETE ON sqfw_records
    FOR EACH ROW EXECUTE FUNCTION sqfw_refuse()""",
    """CREATE TRIGGER sqfw_records_no_truncate BEFORE TRUNCATE ON sqfw_records
    FOR EACH STATEMENT EXECUTE FUNCTION sqfw_refuse()""",
    """CREATE TRIGGER sqfw_records_forward BEFORE UPDATE ON sqfw_records
    FOR EACH ROW EXECUTE FUNCTION sqfw_forward()""",
)

_V2: Final = (
    "ALTER TABLE sqfw_records ADD COLUMN topic VARCHAR(64)",
    "CREATE INDEX sqfw_records_by_workflow_due ON sqfw_records (workflow, due)",
)

_SQLITE_V3: Final = (
    "ALTER TABLE sqfw_records ADD COLUMN due_estimated BOOLEAN NOT NULL DEFAULT 0",
)
_POSTGRESQL_V3: Final = (
    "ALTER TABLE sqfw_records ADD COLUMN due_estimated BOOLEAN NOT NULL DEFAULT FALSE",
)

# A record's version never goes back; at the same version (no new event) only the
# work-list columns may change, so that a host's new holiday schedule can re-date the
# deadlines (SqlStore.refresh_due) without touching state, head or trail.
_SQLITE_V4: Final = (
    "DROP TRIGGER sqfw_records_forward",
    f"""CREATE TRIGGER sqfw_records_forward BEFORE UPDATE ON sqfw_records
    WHEN NEW.version < OLD.version OR NEW.workflow <> OLD.workflow
        OR NEW.record_id <> OLD.record_id
        OR (NEW.version = OLD.version AND (NEW.head <> OLD.head OR NEW.state <> OLD.state))
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
)
_POSTGRESQL_V4: Final = (
    f"""CREATE OR REPLACE FUNCTION sqfw_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.version < OLD.version OR NEW.workflow <> OLD.workflow
            OR NEW.record_id <> OLD.record_id
            OR (NEW.version = OLD.version
                AND (NEW.head <> OLD.head OR NEW.state <> OLD.state)) THEN
            RAISE EXCEPTION '{_REFUSED} (% on %)', TG_OP, TG_TABLE_NAME;
        END IF;
        RETURN NEW;
    END $$""",
)

MIGRATIONS: Final[Mapping[int, Mapping[str, Sequence[str]]]] = {
    # 1: the tables (created from ``metadata``) and the append-only triggers
    1: {"sqlite": _SQLITE_V1, "postgresql": _POSTGRESQL_V1},
    # 2: the work list's topic column and an index by workflow and due
    2: {"sqlite": _V2, "postgresql": _V2},
    # 3: whether the deadline is estimated (a year without an official holiday schedule)
    3: {"sqlite": _SQLITE_V3, "postgresql": _POSTGRESQL_V3},
    # 4: the work-list columns may be refreshed at the same version
    4: {"sqlite": _SQLITE_V4, "postgresql": _POSTGRESQL_V4},
}

TABLE_STEPS: Final = frozenset({2, 3})
"""Steps whose DDL only changes tables: skipped when the tables were just created from
:data:`metadata` (which already has their columns)."""
"""Upgrade steps: schema version → dialect → DDL run after the tables of that version."""
