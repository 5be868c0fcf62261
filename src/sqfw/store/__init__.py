"""Workflow records in a database: SQLite embedded, PostgreSQL as a server.

Install the extra: ``pip install "sqfw[store]"`` (SQLAlchemy and psycopg).

- :class:`SqlStore`: records and their append-only entries in two tables, saved with a
  compare-and-set on the stored version and head in one transaction;
- :class:`RecordStore`: the protocol it implements, for a host's own database (test one
  with :class:`sqfw.testing.RecordStoreConformance`);
- :class:`StoreCheck`: what :meth:`SqlStore.verify_all` found, and whether it checked
  the host's signatures;
- :data:`HostKeys`: the host keys a store checks signatures with;
  :func:`load_host_keys` reads them from a file;
- :class:`HeadsCheckpoint`: every record's head at one moment, signed, to keep outside
  the database (:meth:`SqlStore.checkpoint`, :meth:`SqlStore.check_checkpoint`);
- :class:`StoredRecord`: one line of a work list (:meth:`SqlStore.find`);
- :class:`WorkList`, :class:`WorkCounts`: a host's work list (:meth:`SqlStore.work_list`).

.. versionadded:: 0.1.0
"""

from sqfw.store._checkpoint import HeadsCheckpoint
from sqfw.store._keys import load_host_keys
from sqfw.store._protocol import RecordStore, StoreCheck, StoredRecord, WorkCounts, WorkList
from sqfw.store._schema import SCHEMA_VERSION
from sqfw.store._sql import HostKeys, SqlStore

__all__ = [
    "SCHEMA_VERSION",
    "HeadsCheckpoint",
    "HostKeys",
    "RecordStore",
    "SqlStore",
    "StoreCheck",
    "StoredRecord",
    "WorkCounts",
    "WorkList",
    "load_host_keys",
]
