"""SqlStore passes the RecordStore conformance suite on SQLite (memory, file) and
PostgreSQL, its tampering tests included (rows written through SQL)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
import tampering_helpers
from sqlalchemy.engine import Engine

from sqfw.store import RecordStore, SqlStore
from sqfw.testing import RecordStoreConformance
from sqfw.workflows import HostKey, Workflow


class TestSqlStore(RecordStoreConformance):
    @pytest.fixture(autouse=True)
    def _database(self, target: str) -> None:
        self.target: str | Engine = target
        self.first: SqlStore | None = None

    def make_store(
        self, *, workflows: Iterable[Workflow[Any]], keys: Iterable[HostKey] | None = None
    ) -> RecordStore:
        if self.first is None:
            self.first = SqlStore(self.target, workflows=workflows, keys=keys)
            return self.first
        # the same database (a memory database lives in its engine)
        return SqlStore(self.first.engine, workflows=workflows, keys=keys)

    def write_entry(
        self, store: RecordStore, *, workflow: str, record_id: str, columns: Mapping[str, Any]
    ) -> None:
        assert isinstance(store, SqlStore)
        tampering_helpers.write_entry(
            store, workflow=workflow, record_id=record_id, columns=columns
        )


class TestWithoutWriteEntry(RecordStoreConformance):
    """A store whose host gives no way to write rows: the tampering tests are skipped."""

    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: Any) -> None:
        self.path = str(tmp_path / "records.db")

    def make_store(
        self, *, workflows: Iterable[Workflow[Any]], keys: Iterable[HostKey] | None = None
    ) -> RecordStore:
        return SqlStore(self.path, workflows=workflows, keys=keys)
