"""Workflow records in SQLite or PostgreSQL through SQLAlchemy Core.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import pendulum
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from sqfw._args import expect, expect_items
from sqfw.errors import (
    ConcurrencyConflict,
    InvalidArgumentError,
    RecordNotFound,
    StoreError,
    TrailBroken,
    WorkflowError,
)
from sqfw.limits import MAX_DEPTH
from sqfw.periods import DEFAULT_TZ, as_datetime
from sqfw.store._checkpoint import HeadsCheckpoint
from sqfw.store._protocol import StoreCheck, StoredRecord, WorkCounts, WorkList
from sqfw.store._rows import (
    ENTRY_COLUMNS,
    data_problem,
    entry_problem,
    index_problem,
    printable,
    record_problem,
)
from sqfw.store._schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLE_STEPS,
    entries,
    records,
    schema_table,
)
from sqfw.workflows import GENESIS, AuditEntry, HostKey, TrailProblem, Workflow, WorkflowRecord
from sqfw.workflows._chain import canonical_data, canonical_time, signed_by
from sqfw.workflows._definition import RecordEnd, reason, stored_rows
from sqfw.workflows._memo import mark_trusted

__all__ = ["HostKeys", "SqlStore"]

HostKeys: TypeAlias = Iterable[HostKey] | Mapping[str, HostKey] | Callable[[str], HostKey | None]
"""The host keys a store checks entries' signatures with: the keys, the keys by
``key_id``, or a function that finds the key of a ``key_id`` (``None`` when unknown)."""

_WRITE = "sqfw_write"

# The statements of a save, built once: building and coercing a statement per call cost
# more than the statements themselves (SQLAlchemy compiles each once and caches it).
_KEY = (
    records.c.workflow == sa.bindparam("key_workflow"),
    records.c.record_id == sa.bindparam("key_record_id"),
)
_READ_END = sa.select(records.c.version, records.c.head).where(*_KEY)
_READ_END_LOCKED = _READ_END.with_for_update()
_INSERT_RECORD = records.insert()
_INSERT_ENTRIES = entries.insert()
_MOVE_RECORD = records.update().where(
    *_KEY,
    records.c.version == sa.bindparam("key_version"),
    records.c.head == sa.bindparam("key_head"),
)


def _engine(target: str | Engine) -> Engine:
    if isinstance(target, Engine):
        return target
    if not isinstance(target, str) or not target:
        raise StoreError(
            f"store: expected a database URL, a file path or ':memory:', got {target!r}"
        )
    if target == ":memory:":
        return sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    if "://" not in target:
        target = f"sqlite:///{target}"
    elif target.startswith(("postgresql://", "postgres://")):
        target = "postgresql+psycopg://" + target.split("://", 1)[1]
    return sa.create_engine(target)


def _missing_file(target: str) -> bool:
    """Whether ``target`` names a SQLite file (not a URL, not memory) that is not there."""
    return "://" not in target and target != ":memory:" and not os.path.isfile(target)


_PREPARED: weakref.WeakSet[Engine] = weakref.WeakSet()


def _prepare_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is switched off, so that sqfw decides when a
    # transaction begins: BEGIN IMMEDIATE for a save takes the write lock before the stored
    # version is read, so the compare-and-set cannot race another process.
    if engine in _PREPARED:  # a second store on the same engine
        return
    _PREPARED.add(engine)
    memory = engine.url.database in (None, "", ":memory:")

    @sa_event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_WRITE) else "BEGIN")


class _ResolvedKeys(Mapping[str, HostKey]):
    """A host's key resolver seen as the mapping the chain check asks (``get(key_id)``)."""

    def __init__(self, resolve: Callable[[str], HostKey | None]) -> None:
        self._resolve = resolve

    def __getitem__(self, key_id: str) -> HostKey:
        found = self._resolve(key_id)
        if not isinstance(found, HostKey) or found.key_id != key_id:
            raise KeyError(key_id)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _host_keys(keys: HostKeys | None) -> Mapping[str, HostKey] | None:
    if keys is None:
        return None
    if callable(keys) and not isinstance(keys, Mapping | HostKey):
        return _ResolvedKeys(keys)
    if isinstance(keys, HostKey):
        keys = [keys]
    expected = "one or more HostKey, a mapping of them by key_id, or a resolver"
    given = keys.values() if isinstance(keys, Mapping) else keys
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidArgumentError("keys", type(keys).__name__, expected)
    found = list(given)
    if not found or not all(isinstance(k, HostKey) for k in found):
        # never the keys themselves: only what kind of thing came
        raise InvalidArgumentError("keys", [type(k).__name__ for k in found], expected)
    return {k.key_id: k for k in found}


def _lenient(value: bytes) -> str:
    # SQLite text that is not UTF-8: kept as surrogates, which the row checks report
    return value.decode("utf-8", "surrogateescape")


def _undecodable(error: sa.exc.OperationalError) -> bool:
    """Whether SQLite refused to read a stored text because it is not UTF-8."""
    return isinstance(error.orig, sqlite3.OperationalError) and "decode" in str(error.orig)


def _unsafe(exc: BaseException) -> str:
    """An error's message without the value it echoes (it may be anything stored)."""
    return str(exc).split(", got", 1)[0][:200]


def _column_problem(found: tuple[str, str, str]) -> str:
    column, zh, en = found
    return reason(f"存储的 {column} 列{zh}", f"the stored column {column!r} {en}")


def _in_zone(at: str, zone: str) -> pendulum.DateTime:
    instant = pendulum.parse(at)
    assert isinstance(instant, pendulum.DateTime)
    if zone[:1] in "+-" and len(zone) == 6:
        sign = -1 if zone[0] == "-" else 1
        seconds = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
        return instant.in_timezone(pendulum.FixedTimezone(seconds))
    return instant.in_timezone(zone)


def _time(text: str | None) -> pendulum.DateTime | None:
    """A stored instant in the zone the workflows speak (:data:`~sqfw.periods.DEFAULT_TZ`)."""
    if text is None:
        return None
    return _in_zone(text, DEFAULT_TZ)


def _trail(wf: Workflow[Any], record_id: str, row: Any, rows: Sequence[Any]) -> WorkflowRecord:
    """A stored record from its row and its entries' rows, each column checked (not yet
    verified)."""
    shown = printable(record_id)
    found = record_problem(row._mapping)
    if found is not None:
        raise TrailBroken(wf.name, shown, len(rows), _column_problem(found))
    trail: list[AuditEntry] = []
    for index, entry_row in enumerate(rows):
        columns = entry_row._mapping
        found = entry_problem([columns[name] for name in ENTRY_COLUMNS])
        if found is not None:
            raise TrailBroken(wf.name, shown, index, _column_problem(found))
        try:
            trail.append(_entry(columns))
        except (TypeError, ValueError, LookupError, RecursionError) as exc:
            problem = reason(
                "存储的条目无法读取", f"the stored entry cannot be read: {_unsafe(exc)}"
            )
            raise TrailBroken(wf.name, shown, index, problem) from None
    try:
        return WorkflowRecord(
            workflow=wf.name,
            record_id=record_id,
            state=row.state,
            trail=trail,
            version=row.version,
            head=row.head,
        )
    except (TypeError, ValueError) as exc:
        raise TrailBroken(wf.name, shown, len(rows), _unsafe(exc)) from None


class SqlStore:
    """Workflow records in a SQL database: SQLite embedded, PostgreSQL as a server.

    SQLAlchemy Core (not its ORM) is the base: one code path for both engines and for any
    other database SQLAlchemy speaks, connection pooling, and a familiar ``Engine`` a host
    can pass in. Records and their entries live in two tables (:mod:`sqfw.store._schema`);
    triggers refuse any update or deletion of an entry, any deletion of a record and any
    update that does not move a record's version forward, whoever connects.

    Args:
        target: a SQLAlchemy URL (``"postgresql://user@host/db"``: psycopg is used), a
            file path for SQLite (WAL journal, ``synchronous = FULL``: every commit is on
            disk), ``":memory:"``, or an :class:`~sqlalchemy.engine.Engine`.
        workflows: the configured workflows whose records are stored (the store
            verifies each record with its workflow and asks it for the work-list columns).
        keys: the host keys (:class:`~sqfw.workflows.HostKey`) whose signature every
            entry must carry: the keys, the keys by ``key_id``, or a function from a
            ``key_id`` to its key (``None`` when unknown). With keys, :meth:`load`,
            :meth:`records` and :meth:`verify_all` refuse an entry without a valid
            signature of one of them, so that a correctly hashed entry written into the
            database by anyone else is found. Without keys the chain proves only that
            nothing changed after a head kept elsewhere, and :meth:`verify_all` says so.
        create: create the tables when the database has none.
        upgrade: apply the missing upgrade steps to a database of an older schema
            version (see :meth:`upgrade`).


    Raises:
        StoreError: the database's schema is of another version (see :meth:`upgrade`);
            with ``create=False``, a SQLite file that is not there, or a file that is not
            a database.
        InvalidArgumentError: ``keys`` holds no key, or something that is not a key.

    .. versionchanged:: 0.1.0
       ``keys``: signatures are checked on every read.
    """

    def __init__(
        self,
        target: str | Engine,
        *,
        workflows: Iterable[Workflow[Any]],
        create: bool = True,
        upgrade: bool = False,
        keys: HostKeys | None = None,
    ) -> None:
        self.keys: Mapping[str, HostKey] | None = _host_keys(keys)
        given = expect_items("SqlStore(workflows)", workflows, Workflow)
        expect("SqlStore(create)", create, bool)
        expect("SqlStore(upgrade)", upgrade, bool)
        if isinstance(target, str) and "\x00" in target:
            raise InvalidArgumentError("SqlStore(target)", target, "a URL or a file path")
        if not create and isinstance(target, str) and _missing_file(target):
            # opening would make an empty SQLite file where none was meant to be
            raise StoreError(f"store: no such database file: {target}")
        self.engine = _engine(target)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _prepare_sqlite(self.engine)
        self.workflows: dict[str, Workflow[Any]] = {}
        for workflow in given:
            self.workflows[workflow.name] = workflow
        try:
            try:
                self._check_schema(create, upgrade)
            except sa.exc.DatabaseError as exc:  # a file that is not a database
                raise StoreError(
                    f"store: {self.engine.url!r} is not a database sqfw can open "
                    f"({type(exc).__name__})"
                ) from None
        except BaseException:
            if not isinstance(target, Engine):  # ours: close it
                self.engine.dispose()
            raise

    def _check_schema(self, create: bool, upgrade: bool) -> None:
        version = self.schema_version()
        if (version is None and create) or (
            version is not None and version < SCHEMA_VERSION and upgrade
        ):
            self.upgrade()
        elif version is None:
            raise StoreError(
                f"store: no sqfw tables in {self.engine.url!r}; open it with create=True"
            )
        elif version != SCHEMA_VERSION:
            hint = "open it with upgrade=True" if version < SCHEMA_VERSION else "use a newer sqfw"
            raise StoreError(
                f"store: the database holds schema version {version}, this sqfw uses "
                f"{SCHEMA_VERSION}; {hint}"
            )

    # --- schema ----------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema version of the database, ``None`` when it has no sqfw tables."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(schema_table.name):
                return None
            found = conn.execute(sa.select(schema_table.c.version)).scalar()
            return None if found is None else int(found)

    def upgrade(self) -> int:
        """Apply every missing upgrade step, in one transaction; return the new version.

        Raises:
            StoreError: the database is newer than this sqfw, or its dialect has no steps.
        """
        with self._write() as conn:
            inspector = sa.inspect(conn)
            current = 0
            if inspector.has_table(schema_table.name):
                current = int(conn.execute(sa.select(schema_table.c.version)).scalar() or 0)
            if current > SCHEMA_VERSION:
                raise StoreError(f"store: schema version {current} is newer than this sqfw's")
            for step in range(current + 1, SCHEMA_VERSION + 1):
                statements = MIGRATIONS[step].get(self.dialect)
                if statements is None:
                    raise StoreError(f"store: no schema for the {self.dialect} dialect")
                if step == 1:
                    records.metadata.create_all(conn)
                if current == 0 and step in TABLE_STEPS:
                    continue  # the tables were just created with these columns
                for statement in statements:
                    conn.execute(sa.text(statement))
            if current == 0:
                conn.execute(schema_table.insert().values(id=1, version=SCHEMA_VERSION))
            else:
                conn.execute(schema_table.update().values(version=SCHEMA_VERSION))
        return SCHEMA_VERSION

    # --- reading ---------------------------------------------------------------------------

    def load(self, workflow: str, record_id: str) -> WorkflowRecord:
        """The stored record, with its whole trail, verified.

        Every stored column is checked before it is used (a value that cannot be decoded
        or is out of bounds is a :class:`~sqfw.errors.TrailBroken` naming the record and
        the entry), every entry's hash and link is recomputed, and with ``keys`` every
        entry's signature is checked.

        Raises:
            LookupError: no such record (:class:`~sqfw.errors.StoreError`).
            TrailBroken: the stored trail does not verify, a stored value cannot be used,
                or (with ``keys``) an entry is not signed by one of them.
        """
        wf = self._workflow(workflow)
        try:
            return self._load(wf, record_id, lenient=False)
        except sa.exc.OperationalError as exc:
            if not _undecodable(exc):
                raise
        return self._load(wf, record_id, lenient=True)

    def _load(self, wf: Workflow[Any], record_id: str, *, lenient: bool) -> WorkflowRecord:
        workflow = wf.name
        with self._snapshot(lenient=lenient) as conn:
            row = conn.execute(
                sa.select(
                    records.c.record_id, records.c.state, records.c.version, records.c.head
                ).where(records.c.workflow == workflow, records.c.record_id == record_id)
            ).first()
            if row is None:
                raise RecordNotFound(workflow, record_id)
            # entries up to the version read: a save committed meanwhile adds only later ones
            rows = conn.execute(
                sa.select(entries)
                .where(
                    entries.c.workflow == workflow,
                    entries.c.record_id == record_id,
                    entries.c.seq <= row.version,
                )
                .order_by(entries.c.seq)
            ).all()
        return self._verified(wf, _trail(wf, record_id, row, rows))

    def _verified(self, wf: Workflow[Any], record: WorkflowRecord) -> WorkflowRecord:
        if self.keys is None:
            return wf.trust(record)
        wf.definition.verify(record, keys=self.keys)
        mark_trusted(record)  # what verifies with keys verifies without them
        return record

    def records(
        self, workflow: str, *, state: str | Sequence[str] | None = None
    ) -> Iterator[WorkflowRecord]:
        """Every stored record of ``workflow`` (in ``state``), each verified as by :meth:`load`.

        The records and their entries are read in one pass (the entries streamed in record
        order, on PostgreSQL from one snapshot), instead of one :meth:`load` per record: a
        national store's tickets are read at the speed of the rows. The connection stays
        open until the iteration ends.

        Raises:
            TrailBroken: a stored trail does not verify, a stored value cannot be used, or
                (with ``keys``) an entry is not signed (raised when its record is reached).
        """
        wf = self._workflow(workflow)
        done: set[str] = set()
        try:
            yield from self._records(wf, state, done, lenient=False)
        except sa.exc.OperationalError as exc:
            if not _undecodable(exc):
                raise
            yield from self._records(wf, state, done, lenient=True)

    def _records(
        self,
        wf: Workflow[Any],
        state: str | Sequence[str] | None,
        done: set[str],
        *,
        lenient: bool,
    ) -> Iterator[WorkflowRecord]:
        workflow = wf.name
        c = records.c
        query = sa.select(c.record_id, c.state, c.version, c.head).where(c.workflow == workflow)
        if state is not None:
            query = query.where(c.state.in_([state] if isinstance(state, str) else list(state)))
        with self._snapshot(lenient=lenient) as conn:
            heads = {row.record_id: row for row in conn.execute(query)}
            rows: Iterable[Any] = conn.execution_options(yield_per=10_000).execute(
                sa.select(entries)
                .where(entries.c.workflow == workflow)
                .order_by(entries.c.record_id, entries.c.seq)
            )
            for record_id, group in itertools.groupby(rows, key=lambda r: r.record_id):
                head = heads.pop(record_id, None)
                if head is None or record_id in done:
                    continue
                # entries past the version read belong to a later save
                found = record_problem(head._mapping)
                kept = [r for r in group if found or _within(r.seq, head)]
                done.add(record_id)
                yield self._verified(wf, _trail(wf, record_id, head, kept))
            for record_id, head in heads.items():  # a record without entries
                if record_id not in done:
                    done.add(record_id)
                    yield self._verified(wf, _trail(wf, record_id, head, []))

    def find(
        self,
        *,
        workflow: str | None = None,
        state: str | Sequence[str] | None = None,
        office: str | None = None,
        topic: str | None = None,
        due_before: pendulum.DateTime | None = None,
        due_after: pendulum.DateTime | None = None,
        limit: int | None = None,
    ) -> list[StoredRecord]:
        """The records matching every condition given, soonest due first, then by id.

        Args:
            workflow: of this workflow.
            state: in this state (or any of these states).
            office: held by this back office.
            topic: about this topic (:meth:`Workflow.topic`, a ticket's service code).
            due_before: due at or before this moment (``overdue(at)`` uses this).
            due_after: due after this moment.
            limit: at most this many.

        Returns:
            The records; ``updated_at`` and ``due`` in Asia/Shanghai
            (:data:`~sqfw.periods.DEFAULT_TZ`), the zone the workflows use.

        Raises:
            TrailBroken: a stored column of a matching record cannot be used (text that
                is not UTF-8 or not text, out of bounds, a time that is not canonical),
                naming the record and the column, as :meth:`load` does.
        """
        try:
            return self._find(
                workflow, state, office, topic, due_before, due_after, limit, lenient=False
            )
        except sa.exc.OperationalError as exc:
            if not _undecodable(exc):
                raise
        return self._find(
            workflow, state, office, topic, due_before, due_after, limit, lenient=True
        )

    def _find(
        self,
        workflow: str | None,
        state: str | Sequence[str] | None,
        office: str | None,
        topic: str | None,
        due_before: pendulum.DateTime | None,
        due_after: pendulum.DateTime | None,
        limit: int | None,
        *,
        lenient: bool,
    ) -> list[StoredRecord]:
        c = records.c
        query = sa.select(records)
        if workflow is not None:
            query = query.where(c.workflow == workflow)
        if state is not None:
            states = [state] if isinstance(state, str) else list(state)
            query = query.where(c.state.in_(states))
        if office is not None:
            escaped = office.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(c.offices.like(f"%|{escaped}|%", escape="\\"))
        if topic is not None:
            query = query.where(c.topic == topic)
        if due_before is not None:
            query = query.where(c.due <= canonical_time(due_before))
        if due_after is not None:
            query = query.where(c.due > canonical_time(due_after))
        query = query.order_by(c.due.is_(None), c.due, c.workflow, c.record_id)
        if limit is not None:
            query = query.limit(limit)
        with self._snapshot(lenient=lenient) as conn:
            return [_stored(r._mapping) for r in conn.execute(query)]

    def overdue(self, at: pendulum.DateTime, **conditions: Any) -> list[StoredRecord]:
        """The records whose deadline has passed at ``at`` (see :meth:`find`), estimated
        deadlines included (each marked ``due_estimated``)."""
        return self.find(due_before=at, **conditions)

    def refresh_due(self, workflow: str, *, estimated_only: bool = True) -> int:
        """Recount the stored deadlines of a workflow with its current configuration.

        After a host adds a year's official holiday schedule to the workflow's calendar
        (:meth:`WorkingDayCalendar.with_schedule
        <sqfw.calendar.WorkingDayCalendar.with_schedule>`), the deadlines estimated over
        that year are recounted and lose their flag. Only the work-list columns change:
        no event is added, and state, version, head and trail stay as they are.

        Args:
            workflow: the workflow whose records to recount.
            estimated_only: recount only the records whose deadline is estimated (the
                default); ``False`` recounts every record of the workflow.

        Returns:
            How many records' columns changed.

        .. versionadded:: 0.1.0
        """
        wf = self._workflow(workflow)
        changed = 0
        with self._snapshot() as conn:
            query = sa.select(records.c.record_id).where(records.c.workflow == workflow)
            if estimated_only:
                query = query.where(records.c.due_estimated.is_(True))
            ids = [row[0] for row in conn.execute(query)]
        for record_id in ids:
            record = self.load(workflow, record_id)
            columns = self._columns(wf, record)
            update = {k: columns[k] for k in ("due", "due_estimated", "offices", "topic")}
            with self._write() as conn:
                result = conn.execute(
                    records.update()
                    .where(
                        records.c.workflow == workflow,
                        records.c.record_id == record_id,
                        records.c.version == record.version,
                        records.c.head == record.head,
                    )
                    .values(**update)
                )
                changed += int(result.rowcount or 0)
        return changed

    def work_list(
        self,
        at: pendulum.DateTime,
        *,
        workflow: str,
        limit: int | None = 100,
    ) -> WorkList:
        """A host's work list at ``at``: what is overdue (by escalation level), due today
        and due later this week, by office and by topic, and the soonest records.

        "Today" ends at midnight of ``at``'s day in Asia/Shanghai, "this week" at the end
        of its Sunday; due today excludes what is overdue, due this week what is due
        today. Counted in the database in one grouped query over the records due by the
        end of the week (the ``(workflow, due)`` index), so it does not grow with the
        records due later or already done.

        Args:
            at: the moment of the list.
            workflow: the workflow (its :meth:`Workflow.overdue_levels` give the levels).
            limit: at most this many records in ``items`` (``None``: all due this week).

        Raises:
            TrailBroken: a stored column the list reads cannot be used (see :meth:`find`),
                naming a record that holds it.

        .. versionadded:: 0.1.0
        """
        try:
            return self._work_list(at, workflow, limit, lenient=False)
        except sa.exc.OperationalError as exc:
            if not _undecodable(exc):
                raise
        return self._work_list(at, workflow, limit, lenient=True)

    def _work_list(
        self, at: pendulum.DateTime, workflow: str, limit: int | None, *, lenient: bool
    ) -> WorkList:
        wf = self._workflow(workflow)
        local = at.in_timezone(DEFAULT_TZ)
        today_ends = local.end_of("day")
        week_ends = local.end_of("week")
        levels = wf.overdue_levels()
        c = records.c
        now, today, week = (canonical_time(t) for t in (at, today_ends, week_ends))

        def count(condition: Any) -> Any:
            return sa.func.sum(sa.case((condition, 1), else_=0))

        guess = c.due_estimated.is_(True)
        columns = [
            c.offices,
            c.topic,
            sa.func.min(c.record_id),  # one record of the group, to name if its row is bad
            count(c.due <= now),
            count(sa.and_(c.due > now, c.due <= today)),
            count(c.due > today),
            count(sa.and_(guess, c.due <= now)),
            count(sa.and_(guess, c.due > now, c.due <= today)),
            count(sa.and_(guess, c.due > today)),
            *(count(c.due <= canonical_time(at - after)) for _, after in levels),
        ]
        query = (
            sa.select(*columns)
            .where(c.workflow == workflow, c.due.is_not(None), c.due <= week)
            .group_by(c.offices, c.topic)
        )
        total = [0, 0, 0]
        estimated = [0, 0, 0]
        by_office: dict[str, list[int]] = {}
        by_topic: dict[str, list[int]] = {}
        reached = [0] * len(levels)
        with self._snapshot(lenient=lenient) as conn:
            for row in conn.execute(query):
                found = index_problem({"offices": row[0], "topic": row[1]})
                if found is not None:
                    named = {"workflow": workflow, "record_id": row[2]}
                    raise _row_refused(named, found)
                counts = [int(v or 0) for v in row[3:6]]
                for i, n in enumerate(counts):
                    total[i] += n
                for office in (o for o in row[0].split("|") if o):
                    into = by_office.setdefault(office, [0, 0, 0])
                    for i, n in enumerate(counts):
                        into[i] += n
                into = by_topic.setdefault(row[1] or "", [0, 0, 0])
                for i, n in enumerate(counts):
                    into[i] += n
                for i, n in enumerate(row[6:9]):
                    estimated[i] += int(n or 0)
                for i, n in enumerate(row[9:]):
                    reached[i] += int(n or 0)
        by_level = {
            name: reached[i] - (reached[i + 1] if i + 1 < len(levels) else 0)
            for i, (name, _) in enumerate(levels)
        }
        items = self._find(workflow, None, None, None, week_ends, None, limit, lenient=lenient)
        return WorkList(
            at=at,
            workflow=workflow,
            today_ends=today_ends,
            week_ends=week_ends,
            total=WorkCounts(*total),
            by_office={k: WorkCounts(*v) for k, v in sorted(by_office.items())},
            by_topic={k: WorkCounts(*v) for k, v in sorted(by_topic.items())},
            overdue_by_level=by_level,
            items=tuple(items),
            estimated=WorkCounts(*estimated),
        )

    def verify_all(self, *, limit: int | None = 1000) -> StoreCheck:
        """Check every stored chain and every record's state, version and head.

        Streams the entries in key order through the workflows' bulk check (no record is
        built), so it runs at the bulk validator's speed. Every stored column is checked
        as :meth:`load` checks it, and with ``keys`` every entry's signature: what this
        accepts, :meth:`load` and :meth:`records` accept.

        Returns:
            The first problem of each broken record (at most ``limit``), by record id;
            its :attr:`~sqfw.store.StoreCheck.signatures_checked` says whether entries'
            signatures were checked (``False`` for a store opened without ``keys``).

        .. versionchanged:: 0.1.0
           Returns a :class:`~sqfw.store.StoreCheck`; checks signatures with ``keys``.
        """
        try:
            problems = self._verify_all(limit, lenient=False)
        except sa.exc.OperationalError as exc:
            if not _undecodable(exc):
                raise
            problems = self._verify_all(limit, lenient=True)
        return StoreCheck(problems, signatures_checked=self.keys is not None)

    def _verify_all(self, limit: int | None, *, lenient: bool) -> list[TrailProblem]:
        problems: list[TrailProblem] = []
        with self._snapshot(lenient=lenient) as conn:
            names = [r[0] for r in conn.execute(sa.select(records.c.workflow).distinct())]
            for name in sorted(names):
                wf = self.workflows.get(name)
                if wf is None:
                    problems.append(
                        TrailProblem(
                            record_id="*",
                            index=0,
                            message=reason(
                                f"存储中有未配置的工作流 {printable(name)}",
                                "the store holds records of an unconfigured workflow "
                                f"{printable(name)!r}",
                            ),
                        )
                    )
                    continue
                left = None if limit is None else limit - len(problems)
                problems.extend(self._verify_workflow(conn, wf, left))
                if limit is not None and len(problems) >= limit:
                    break
        return problems[:limit] if limit is not None else problems

    def _verify_workflow(
        self, conn: Connection, wf: Workflow[Any], limit: int | None
    ) -> list[TrailProblem]:
        """The first problem of each broken record of one workflow, by record id."""
        name = wf.name
        bad: dict[str, TrailProblem] = {}  # records with a column that cannot be used
        ends: dict[str, RecordEnd] = {}
        for r in conn.execute(
            sa.select(
                records.c.record_id, records.c.state, records.c.version, records.c.head
            ).where(records.c.workflow == name)
        ):
            found = record_problem(r._mapping)
            if found is None:
                ends[r.record_id] = RecordEnd(r.state, r.version, r.head)
            else:
                bad[r.record_id] = TrailProblem(
                    record_id=printable(r.record_id), index=0, message=_column_problem(found)
                )
        rows: Iterable[Any] = conn.execution_options(yield_per=10_000).execute(
            sa.select(*(entries.c[column] for column in ENTRY_COLUMNS))
            .where(entries.c.workflow == name)
            .order_by(entries.c.record_id, entries.c.seq)
        )

        def checked() -> Iterator[tuple[Any, ...]]:
            # Rows with a column that cannot be used are kept from the chain check, and so
            # is the rest of their record (its end too: the trail read is not the stored one).
            current: object = None
            index = 0
            for row in rows:
                record_id = row[0]
                if record_id != current:
                    current, index = record_id, 0
                if record_id in bad:
                    continue
                found = entry_problem(row)
                if found is not None:
                    bad[record_id] = TrailProblem(
                        record_id=printable(record_id),
                        index=index,
                        message=_column_problem(found),
                    )
                    ends.pop(record_id, None)
                    continue
                index += 1
                yield tuple(row)

        scanned = wf.definition.scan(stored_rows(checked()), ends, limit=limit, keys=self.keys)
        first: dict[str, TrailProblem] = {p.record_id: p for p in bad.values()}
        for problem in scanned:
            known = first.get(problem.record_id)
            if known is None or problem.index < known.index:
                first[problem.record_id] = problem
        ordered = [first[k] for k in sorted(first)]
        return ordered if limit is None else ordered[:limit]

    # --- heads kept outside the database ---------------------------------------------------

    def checkpoint(self, *, key: HostKey, at: pendulum.DateTime) -> HeadsCheckpoint:
        """Every stored record's version and head, from one snapshot, signed with ``key``.

        Keep its text (:meth:`HeadsCheckpoint.dumps`) where the database's users cannot
        write; :meth:`check_checkpoint` later finds a trail cut short or re-sealed since,
        which neither the chain nor the signatures find alone (see
        :mod:`sqfw.store._checkpoint`).

        Args:
            key: the host key that signs the checkpoint.
            at: when it is taken, a time-zone-aware moment the host gives (as it gives
                every event's ``at``): the store reads no clock, so a checkpoint is
                reproducible and a test can take one years ahead.

        Raises:
            InvalidArgumentError: ``key`` is not a :class:`~sqfw.workflows.HostKey`, or
                ``at`` is not an aware date-time.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.1.0
           ``at`` is required (it was the machine's clock by default).
        """
        expect("checkpoint(key)", key, HostKey)
        when = as_datetime(at, argument="checkpoint(at)")
        c = records.c
        with self._snapshot(lenient=True) as conn:
            heads = [
                (row.workflow, row.record_id, row.version, row.head)
                for row in conn.execute(sa.select(c.workflow, c.record_id, c.version, c.head))
            ]
        return HeadsCheckpoint.sign(heads, key=key, at=when)

    def check_checkpoint(
        self, checkpoint: HeadsCheckpoint, *, keys: HostKeys | None = None
    ) -> StoreCheck:
        """The records that moved against a checkpoint: gone, behind its version, or
        whose entry at that version is no longer the checkpointed one (re-sealed).

        Records saved since are not problems; their entries after the checkpoint are
        :meth:`verify_all`'s to check.

        Args:
            checkpoint: a checkpoint taken earlier (:meth:`checkpoint`).
            keys: the keys its signature is checked with (default: the store's keys).

        Returns:
            One problem per record that moved, by workflow and record id.

        Raises:
            StoreError: no keys to check the checkpoint's signature with, or it is not a
                valid signature of one of them (the checkpoint itself was changed).

        .. versionadded:: 0.1.0
        """
        by_id = self.keys if keys is None else _host_keys(keys)
        if by_id is None:
            raise StoreError("checkpoint: no host keys to check its signature with")
        if not checkpoint.signed_by(by_id):
            raise StoreError(
                f"checkpoint: not a valid signature of a known key "
                f"(signed as {printable(checkpoint.key_id)!r})"
            )
        problems: list[TrailProblem] = []
        heads = checkpoint.heads
        r, e = records.c, entries.c
        with self._snapshot(lenient=True) as conn:
            for start in range(0, len(heads), 500):
                batch = heads[start : start + 500]
                stored = {
                    (row.workflow, row.record_id): row.version
                    for row in conn.execute(
                        sa.select(r.workflow, r.record_id, r.version).where(
                            sa.tuple_(r.workflow, r.record_id).in_([h[:2] for h in batch])
                        )
                    )
                }
                hashes = {
                    (row.workflow, row.record_id, row.seq): row.hash
                    for row in conn.execute(
                        sa.select(e.workflow, e.record_id, e.seq, e.hash).where(
                            sa.tuple_(e.workflow, e.record_id, e.seq).in_(
                                [h[:3] for h in batch if h[2] > 0]
                            )
                        )
                    )
                }
                for workflow, record_id, version, head in batch:
                    problem = _moved(stored, hashes, workflow, record_id, version, head)
                    if problem is not None:
                        problems.append(problem)
        return StoreCheck(problems, signatures_checked=True)

    # --- writing ---------------------------------------------------------------------------

    def save(self, record: WorkflowRecord) -> WorkflowRecord:
        """Commit the record's new entries, new version and new head in one transaction.

        The entries after the stored version are new; they are committed only if the
        stored version and head are still the ones they were appended to (compare-and-set
        in the same transaction). Saving a record that is already stored changes nothing.

        Returns:
            ``record``.

        Raises:
            ConcurrencyConflict: the stored record has moved on (another writer saved
                first), or ``record`` is behind it; nothing is committed. Load the record
                again and re-apply the event.
            TrailBroken: ``record`` does not verify, or (a store with ``keys``) a new
                entry is not signed by one of them.
            WorkflowError: the record's workflow is not configured in this store.
        """
        wf = self._workflow(record.workflow)
        wf.trust(record)
        key = {"key_workflow": record.workflow, "key_record_id": record.record_id}
        read = _READ_END_LOCKED if self.dialect == "postgresql" else _READ_END
        try:
            with self._write() as conn:
                stored = conn.execute(read, key).first()
                version, head = (0, GENESIS) if stored is None else (stored.version, stored.head)
                if stored is not None and record.version == version and record.head == head:
                    return record
                extends = stored is None or (
                    record.version > version
                    and (version == 0 or record.trail[version - 1].hash == head)
                )
                if not extends:
                    raise self._conflict(conn, record, version)
                new = record.trail[version:]
                self._check_signed(record, new)
                if stored is None:
                    conn.execute(_INSERT_RECORD, self._columns(wf, record))
                if new:
                    conn.execute(_INSERT_ENTRIES, [_entry_columns(record, entry) for entry in new])
                if stored is not None:
                    # The key is not SET: assigning it, even unchanged, has SQLite look
                    # up every entry of the record for the foreign key on each save.
                    moved = self._columns(wf, record)
                    del moved["workflow"], moved["record_id"]
                    done = conn.execute(
                        _MOVE_RECORD,
                        {**moved, **key, "key_version": version, "key_head": head},
                    )
                    if done.rowcount != 1:
                        raise self._conflict(conn, record, version)
        except sa.exc.IntegrityError:
            # another writer inserted the same record or entry first
            with self.engine.connect() as conn:
                raise self._conflict(conn, record, None) from None
        return record

    def save_new(self, records_: Iterable[WorkflowRecord], *, batch: int = 5_000) -> int:
        """Commit records that are not stored yet, in bulk (an import, a migration).

        Each record is checked as :meth:`save` checks it (a record made by
        :meth:`Workflow.apply` is trusted at no cost); each batch is one transaction of
        two multi-row inserts. A record already stored is refused: nothing of its batch
        is committed (earlier batches stay).

        Returns:
            How many records were committed.

        Raises:
            ConcurrencyConflict: a record of the batch is already stored.
            TrailBroken: a record does not verify.

        .. versionadded:: 0.1.0
        """
        done = 0
        chunk: list[WorkflowRecord] = []
        for record in records_:
            chunk.append(record)
            if len(chunk) >= batch:
                done += self._insert_new(chunk)
                chunk = []
        if chunk:
            done += self._insert_new(chunk)
        return done

    def _insert_new(self, chunk: Sequence[WorkflowRecord]) -> int:
        rows: list[dict[str, Any]] = []
        entry_rows: list[dict[str, Any]] = []
        for record in chunk:
            wf = self._workflow(record.workflow)
            wf.trust(record)
            self._check_signed(record, record.trail)
            rows.append(self._columns(wf, record))
            entry_rows.extend(_entry_columns(record, e) for e in record.trail)
        try:
            with self._write() as conn:
                conn.execute(_INSERT_RECORD, rows)
                if entry_rows:
                    conn.execute(_INSERT_ENTRIES, entry_rows)
        except sa.exc.IntegrityError:
            with self.engine.connect() as conn:
                for record in chunk:
                    found = conn.execute(
                        _READ_END,
                        {"key_workflow": record.workflow, "key_record_id": record.record_id},
                    ).first()
                    if found is not None:
                        raise ConcurrencyConflict(record.record_id, 0, int(found.version)) from None
            raise
        return len(chunk)

    def _check_signed(self, record: WorkflowRecord, new: Sequence[AuditEntry]) -> None:
        """A store with keys saves only entries signed by one of them (it would refuse
        them on every read)."""
        keys = self.keys
        if keys is None:
            return
        for entry in new:
            if not signed_by(keys, entry.hash, entry.mac):
                raise TrailBroken(
                    record.workflow,
                    record.record_id,
                    entry.seq - 1,
                    reason(
                        "缺少有效的主机签名，配置了主机密钥的存储只保存已签名的条目",
                        "no valid mac of a known host key; a store with keys saves only "
                        "signed entries",
                    ),
                )

    def _conflict(
        self, conn: Connection, record: WorkflowRecord, version: int | None
    ) -> ConcurrencyConflict:
        where = (entries.c.workflow == record.workflow, entries.c.record_id == record.record_id)
        stored = dict(
            conn.execute(
                sa.select(entries.c.seq, entries.c.hash)
                .where(*where, entries.c.seq <= record.version)
                .order_by(entries.c.seq)
            ).all()
        )
        if version is None:
            found = conn.execute(
                sa.select(records.c.version).where(
                    records.c.workflow == record.workflow, records.c.record_id == record.record_id
                )
            ).scalar()
            version = int(found or 0)
        common = 0
        for entry in record.trail:
            if stored.get(entry.seq) != entry.hash:
                break
            common = entry.seq
        return ConcurrencyConflict(record.record_id, common, version)

    def _columns(self, wf: Workflow[Any], record: WorkflowRecord) -> dict[str, Any]:
        due = wf.due(record)
        last = record.last
        offices = wf.holders(record)
        return {
            "workflow": record.workflow,
            "record_id": record.record_id,
            "state": record.state,
            "version": record.version,
            "head": record.head,
            "updated_at": None if last is None else last.at_text,
            "due": None if due is None else canonical_time(due),
            "due_estimated": due is not None and wf.due_estimated(record),
            "offices": f"|{'|'.join(offices)}|" if offices else "",
            "topic": wf.topic(record),
        }

    @contextlib.contextmanager
    def _snapshot(self, *, lenient: bool = False) -> Iterator[Connection]:
        """A connection for reading records and their entries together: on PostgreSQL
        every read on it sees one snapshot of the store. ``lenient``: SQLite text that is
        not UTF-8 is read (as surrogates) for the row checks to report, instead of
        stopping the read."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            if not lenient or self.dialect != "sqlite":
                yield conn
                return
            raw: Any = conn.connection.dbapi_connection
            before = raw.text_factory
            raw.text_factory = _lenient
            try:
                yield conn
            finally:
                raw.text_factory = before

    def _workflow(self, name: str) -> Workflow[Any]:
        try:
            return self.workflows[name]
        except KeyError:
            raise WorkflowError(
                f"store: workflow {name!r:.80} is not configured; configured: "
                f"{', '.join(sorted(self.workflows)) or '-'}"
            ) from None

    def _write(self) -> _WriteTransaction:
        return _WriteTransaction(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class _WriteTransaction:
    """A connection in a write transaction (BEGIN IMMEDIATE on SQLite), committed on exit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self.engine.connect()
        conn.info[_WRITE] = True
        try:
            conn.begin()
        finally:
            conn.info.pop(_WRITE, None)
        self.conn = conn
        return conn

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        conn = self.conn
        assert conn is not None
        try:
            if kind is None:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()


def _entry_columns(record: WorkflowRecord, entry: AuditEntry) -> dict[str, Any]:
    data = canonical_data(entry.data)
    if data.count("{") + data.count("[") > MAX_DEPTH:
        found = data_problem(data)
        if found is not None:
            raise StoreError(
                f"store: record {record.record_id!r:.80} of {record.workflow}, entry "
                f"{entry.seq - 1}: {_column_problem(('data', *found))}; it could not be read back"
            )
    return {
        "workflow": record.workflow,
        "record_id": record.record_id,
        "seq": entry.seq,
        "event": entry.event,
        "source": entry.source,
        "target": entry.target,
        "actor": entry.actor,
        "at": entry.at_text,
        "zone": entry.zone,
        "reason": entry.reason,
        "data": data,
        "prev": entry.prev,
        "hash": entry.hash,
        "mac": entry.mac,
    }


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"],
        event=row["event"],
        source=row["source"],
        target=row["target"],
        actor=row["actor"],
        at=_in_zone(row["at"], row["zone"]),
        reason=row["reason"],
        data=json.loads(row["data"]),
        prev=row["prev"],
        hash=row["hash"],
        mac=row["mac"],
    )


def _moved(
    stored: Mapping[tuple[str, str], int],
    hashes: Mapping[tuple[str, str, int], str],
    workflow: str,
    record_id: str,
    version: int,
    head: str,
) -> TrailProblem | None:
    """How one checkpointed record moved, if it did."""
    where = printable(record_id)
    now = stored.get((workflow, record_id))
    if now is None:
        return TrailProblem(
            record_id=where,
            index=version,
            message=reason(
                f"工作流 {workflow} 的记录在检查点之后消失了",
                f"the {workflow} record is gone since the checkpoint",
            ),
        )
    if not isinstance(now, int) or now < version:
        return TrailProblem(
            record_id=where,
            index=version,
            message=reason(
                f"工作流 {workflow} 的记录版本为 {printable(now)}，检查点时已为 {version}"
                "（审计记录被截短）",
                f"the {workflow} record is at version {printable(now)}, behind the "
                f"checkpoint's {version} (its trail was cut short)",
            ),
        )
    found = GENESIS if version == 0 else hashes.get((workflow, record_id, version))
    if found != head:
        return TrailProblem(
            record_id=where,
            index=max(version - 1, 0),
            message=reason(
                f"工作流 {workflow} 的第 {version} 条不是检查点记录的那一条（被重新封存）",
                f"the {workflow} record's entry {version} is not the checkpointed one "
                "(its trail was re-sealed)",
            ),
        )
    return None


def _within(seq: object, head: Any) -> bool:
    """Whether an entry was saved by the time the record row was read (a ``seq`` that is
    not a number is kept, for the row checks to report)."""
    return not isinstance(seq, int) or seq <= head.version


def _row_refused(row: Mapping[Any, Any], found: tuple[str, str, str]) -> TrailBroken:
    """The store's error for a record row read by :meth:`SqlStore.find` or
    :meth:`SqlStore.work_list` with a column that cannot be used, naming the record as
    :meth:`SqlStore.load` would (at the trail's end: the record itself is at fault)."""
    version = row.get("version")
    index = version if type(version) is int and version >= 0 else 0
    workflow = row.get("workflow")
    shown = printable(workflow) if isinstance(workflow, str) else "?"
    return TrailBroken(shown, printable(row.get("record_id")), index, _column_problem(found))


def _stored(row: Mapping[Any, Any]) -> StoredRecord:
    """A record row as a work-list line, every column checked first (as :meth:`load`
    checks the columns it reads)."""
    found = record_problem(row) or index_problem(row)
    if found is not None:
        raise _row_refused(row, found)
    offices = row["offices"]
    return StoredRecord(
        workflow=row["workflow"],
        record_id=row["record_id"],
        state=row["state"],
        version=row["version"],
        head=row["head"],
        updated_at=_time(row["updated_at"]),
        due=_time(row["due"]),
        offices=tuple(o for o in offices.split("|") if o),
        topic=row["topic"],
        due_estimated=bool(row["due_estimated"]),
    )
