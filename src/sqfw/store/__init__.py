"""Workflow records in a database: SQLite embedded, PostgreSQL as a server.

Install the extra: ``pip install "sqfw[store]"`` (SQLAlchemy and psycopg).

- :class:`SqlStore`: records and their append-only entries in two tables, saved with a
  compare-and-set on the stored version and head in one transaction;
- :class:`RecordStore`: the protocol it implements, for a host's own database;
- :class:`StoredRecord`: one line of a work list (:meth:`SqlStore.find`);
- :class:`WorkList`, :class:`WorkCounts`: a host's work list (:meth:`SqlStore.work_list`).

.. versionadded:: 0.1.0
"""

from sqfw.store._protocol import RecordStore, StoredRecord, WorkCounts, WorkList
from sqfw.store._schema import SCHEMA_VERSION
from sqfw.store._sql import SqlStore

__all__ = [
    "SCHEMA_VERSION",
    "RecordStore",
    "SqlStore",
    "StoredRecord",
    "WorkCounts",
    "WorkList",
]
