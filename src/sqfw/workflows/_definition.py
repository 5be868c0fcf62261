"""The compiled definition of a workflow, and the one check of its trails.

:func:`compile_machine` reads a python-statemachine class once (the only place sqfw
touches the engine's private ``_events`` and ``_specs``) into a :class:`Definition`:
the transition table, the initial and final states, the events out of each state.
Everything else that needs the machine as data (the bulk validator, :meth:`verify`,
replays, the diagrams, the store) reads the definition.

:meth:`Definition.scan` is the one loop that checks trails: sequence numbers, the link
to the previous entry, each entry's hash, each transition, the order of times, and that
the record's state, version and head are where its trail ends.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import attrs
from statemachine import StateMachine
from statemachine.callbacks import CallbackGroup

from sqfw.errors import TrailBroken, TrailProblem
from sqfw.workflows._chain import (
    GENESIS,
    LEGACY_FORMAT,
    HostKey,
    entry_body,
    hash_matches,
    record_prefix,
)
from sqfw.workflows._chain import signed_by as _signed
from sqfw.workflows._records import AuditEntry, WorkflowRecord

__all__ = [
    "Definition",
    "RecordEnd",
    "Row",
    "Step",
    "TrailProblem",
    "compile_machine",
    "reason",
    "record_rows",
    "shown",
    "stored_rows",
]


def reason(zh: str, en: str) -> str:
    """One reason in the form every sqfw refusal uses: ``"中文 / English"``."""
    return f"{zh} / {en}"


# Runs of 11 or more digits (an identity number ends in a digit or X): phone numbers and
# identity numbers typed where they do not belong are never echoed whole.
_DIGITS = re.compile(r"\d{10,}[\dXx]")
SHOWN_LIMIT = 80


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """A rejected value as a message may echo it: its ``repr``, identity and phone
    numbers masked in the middle, cut to ``limit`` characters with "…".

    .. versionadded:: 0.1.0
    """
    text = value if isinstance(value, str) else repr(value)
    masked = _DIGITS.sub(_mask, text)
    if len(masked) > limit:
        masked = masked[:limit] + "…"
    return repr(masked) if isinstance(value, str) else masked


@attrs.frozen
class Step:
    """One transition out of a state for one event: its target, validators and guards."""

    target: str
    validators: tuple[str, ...]
    guards: tuple[tuple[str, bool], ...]


class Row(NamedTuple):
    """One entry as the scan reads it: the fields it checks and the canonical body.

    ``at`` is canonical text (:func:`~sqfw.workflows._chain.canonical_time`), so text
    order is time order; ``body`` is :func:`~sqfw.workflows._chain.entry_body` of the
    entry's fields, the text its hash is taken over; ``zone`` is the zone text in it.
    """

    record_id: str
    seq: int
    event: str
    source: str
    target: str
    at: str
    prev: str
    hash: str
    mac: str | None
    body: str
    zone: str


class RecordEnd(NamedTuple):
    """What a record claims about the end of its trail."""

    state: str
    version: int
    head: str


def _short(digest: str) -> str:
    return digest[:12] + "…"


@attrs.frozen(kw_only=True)
class Definition:
    """A machine class read once as data.

    Attributes:
        name: the workflow's name (hashed into every entry).
        machine: the python-statemachine class.
        table: ``(state, event) → steps`` in the engine's order.
        initial: the initial state's id.
        finals: states with no way out.
        states: every state's id, in declaration order.
        events: every event's id.
    """

    name: str
    machine: type[StateMachine]
    table: Mapping[tuple[str, str], tuple[Step, ...]]
    initial: str
    finals: frozenset[str]
    states: tuple[str, ...]
    events: tuple[str, ...]
    events_by_state: Mapping[str, tuple[str, ...]]
    allowed: frozenset[tuple[str, str, str]]

    def scan(
        self,
        rows: Iterable[Row],
        ends: Mapping[str, RecordEnd] | None = None,
        *,
        chained: bool = True,
        limit: int | None = None,
        keys: Mapping[str, HostKey] | None = None,
    ) -> list[TrailProblem]:
        """Check trails given as rows; the rows of one record are contiguous, in order.

        Only the first problem of each record is reported: after it, the rest of that
        trail cannot be trusted anyway.

        Args:
            rows: every entry of the records to check.
            ends: each record's claimed state, version and head; a record in ``ends``
                with no rows is checked as an empty trail.
            chained: check ``seq``, ``prev``, ``hash`` and times; without it only the
                transitions are checked (for trails kept without their chain).
            limit: stop after this many problems.
            keys: host keys by ``key_id``; when given, every entry must carry a valid
                mac of one of them.
        """
        problems: list[TrailProblem] = []
        allowed = self.allowed
        initial = self.initial
        seen: set[str] = set()
        current: str | None = None
        broken = False
        state = initial
        prev = GENESIS
        last_at = ""
        count = 0
        prefix = legacy = ""

        def close() -> None:
            if current is None or broken or ends is None or current not in ends:
                return
            problem = self._end_problem(current, ends[current], state, count, prev, chained)
            if problem is not None:
                problems.append(problem)

        for row in rows:
            record_id = row[0]
            if record_id != current:
                close()
                if limit is not None and len(problems) >= limit:
                    return problems
                if record_id in seen:
                    problems.append(
                        _problem(
                            record_id,
                            count,
                            "该记录的条目不连续",
                            "entries of this record are not contiguous",
                        )
                    )
                    current = None
                    broken = True
                    continue
                seen.add(record_id)
                current = record_id
                broken = False
                state = initial
                prev = GENESIS
                last_at = ""
                count = 0
                prefix = record_prefix(self.name, record_id)
                legacy = record_prefix(self.name, record_id, LEGACY_FORMAT)
            if broken:
                continue
            _, seq, event, source, target, at, prev_hash, digest, mac, body, zone = row
            found: TrailProblem | None = None
            if chained:
                if seq != count + 1:
                    found = _problem(
                        record_id,
                        count,
                        f"序号为 {seq}，应为 {count + 1}（条目被删除、插入、重复或调换）",
                        f"sequence number {seq}, expected {count + 1} (an entry was "
                        "deleted, inserted, duplicated or moved)",
                    )
                elif prev_hash != prev:
                    found = _problem(
                        record_id,
                        count,
                        f"前一条哈希为 {_short(prev_hash)}，应为 {_short(prev)}",
                        f"names previous hash {_short(prev_hash)}, expected {_short(prev)}",
                    )
                elif not hash_matches(prefix, legacy, body, zone, digest):
                    found = _problem(
                        record_id,
                        count,
                        "内容与其哈希不符（条目被修改）",
                        "content does not match its hash (the entry was changed)",
                    )
                elif at < last_at:
                    found = _problem(
                        record_id,
                        count,
                        f"时间 {at} 早于上一条 {last_at}",
                        f"time {at} is before the previous entry's {last_at}",
                    )
                elif keys is not None and not _signed(keys, digest, mac):
                    found = _problem(
                        record_id,
                        count,
                        "缺少有效的主机签名",
                        "no valid mac of a known host key",
                    )
            if found is None and (source != state or (source, event, target) not in allowed):
                found = self._transition_problem(record_id, count, event, source, target, state)
            if found is not None:
                problems.append(found)
                broken = True
                if limit is not None and len(problems) >= limit:
                    return problems
                continue
            state = target
            prev = digest
            last_at = at
            count += 1
        close()
        if ends is not None:
            for record_id, end in ends.items():
                if record_id not in seen and (limit is None or len(problems) < limit):
                    problem = self._end_problem(record_id, end, initial, 0, GENESIS, chained)
                    if problem is not None:
                        problems.append(problem)
        return problems

    def _transition_problem(
        self, record_id: str, index: int, event: str, source: str, target: str, expected: str
    ) -> TrailProblem:
        if source != expected:
            return _problem(
                record_id,
                index,
                f"该条从状态 {source} 开始，但记录此时处于 {expected}",
                f"entry starts in {source!r} but the record was in {expected!r}",
            )
        return _problem(
            record_id,
            index,
            f"工作流 {self.name} 没有从 {source} 经 {event} 到 {target} 的转换",
            f"workflow {self.name!r} has no transition {source!r} --{event}--> {target!r}",
        )

    def _end_problem(
        self,
        record_id: str,
        end: RecordEnd,
        state: str,
        count: int,
        head: str,
        chained: bool,
    ) -> TrailProblem | None:
        if end.version != count:
            return _problem(
                record_id,
                count,
                f"记录版本为 {end.version}，但审计记录有 {count} 条",
                f"record version is {end.version} but its trail has {count} entries",
            )
        if chained and end.head != head:
            return _problem(
                record_id,
                count,
                f"记录的链头 {_short(end.head)} 不是最后一条的哈希 {_short(head)}",
                f"record head {_short(end.head)} is not the last entry's hash {_short(head)}",
            )
        if end.state != state:
            return _problem(
                record_id,
                count,
                f"记录状态为 {end.state}，但审计记录止于 {state}",
                f"record state is {end.state!r} but its trail ends in {state!r}",
            )
        return None

    # --- records ---------------------------------------------------------------------------

    def problems(
        self,
        records: Iterable[WorkflowRecord],
        *,
        keys: Mapping[str, HostKey] | None = None,
        limit: int | None = None,
    ) -> list[TrailProblem]:
        """Check records: each chain, each transition, and each record's end."""
        problems: list[TrailProblem] = []
        chosen: list[WorkflowRecord] = []
        for record in records:
            if record.workflow != self.name:
                problems.append(
                    _problem(
                        record.record_id,
                        0,
                        f"记录属于工作流 {record.workflow}",
                        f"record belongs to workflow {record.workflow!r}",
                    )
                )
            else:
                chosen.append(record)
        ends = {r.record_id: RecordEnd(r.state, r.version, r.head) for r in chosen}
        if len(ends) < len(chosen):
            # the same id twice: check each record on its own
            for record in chosen:
                problems.extend(self.problems([record], keys=keys, limit=limit))
            return problems
        problems.extend(self.scan(record_rows(chosen), ends, keys=keys, limit=limit))
        return problems

    def verify(self, record: WorkflowRecord, *, keys: Mapping[str, HostKey] | None = None) -> None:
        """Raise :class:`~sqfw.errors.TrailBroken` naming the first bad entry, if any."""
        found = self.problems([record], keys=keys, limit=1)
        if found:
            first = found[0]
            raise TrailBroken(self.name, first.record_id, first.index, first.message)


def _problem(record_id: str, index: int, zh: str, en: str) -> TrailProblem:
    return TrailProblem(record_id=record_id, index=index, message=reason(zh, en))


def record_rows(records: Iterable[WorkflowRecord]) -> Iterator[Row]:
    """The rows of records' trails, with the canonical text each entry computed once."""
    for record in records:
        record_id = record.record_id
        for entry in record.trail:
            yield _entry_row(record_id, entry)


def _entry_row(record_id: str, entry: AuditEntry) -> Row:
    return Row(
        record_id,
        entry.seq,
        entry.event,
        entry.source,
        entry.target,
        entry.at_text,
        entry.prev,
        entry.hash,
        entry.mac,
        entry.body,
        entry.zone,
    )


def stored_rows(
    columns: Iterable[
        tuple[str, int, str, str, str, str, str, str, str | None, str, str, str, str | None]
    ],
) -> Iterator[Row]:
    """Rows from stored columns ``(record_id, seq, event, source, target, actor, at, zone,
    reason, data, prev, hash, mac)``, with ``at``, ``zone`` and ``data`` in canonical text."""
    for row in columns:
        record_id, seq, event, source, target, actor, at, zone, why, data, prev, digest, mac = row
        body = entry_body(seq, event, source, target, actor, at, why, data, prev, zone)
        yield Row(record_id, seq, event, source, target, at, prev, digest, mac, body, zone)


def compile_machine(
    name: str, machine: type[StateMachine], states: Sequence[str], events: Sequence[str]
) -> Definition:
    """Read a machine class into a :class:`Definition`, checking that labels match it.

    Raises:
        TypeError: ``states``/``events`` do not name every state/event of the machine
            exactly once, or the machine has no initial state.
    """
    state_ids = {str(s.value) for s in machine.states_map.values()}
    event_ids = {str(e.id) for e in machine._events}
    for what, ids, labelled in (("states", state_ids, states), ("events", event_ids, events)):
        if set(labelled) != ids:
            raise TypeError(
                f"{name}: the {what} labels must name every {what[:-1]} of "
                f"{machine.__name__} exactly once: missing {sorted(ids - set(labelled))}, "
                f"stray {sorted(set(labelled) - ids)}"
            )
    table: dict[tuple[str, str], list[Step]] = {}
    for state in machine.states_map.values():
        for transition in state.transitions:
            validators = tuple(
                str(spec.func)
                for spec in transition._specs
                if spec.group is CallbackGroup.VALIDATOR
            )
            guards = tuple(
                (str(spec.func), bool(spec.expected_value))
                for spec in transition._specs
                if spec.group is CallbackGroup.COND
            )
            step = Step(str(transition.target.value), validators, guards)
            for event in transition.events:
                table.setdefault((str(state.value), str(event.id)), []).append(step)
    frozen = {key: tuple(steps) for key, steps in table.items()}
    by_state: dict[str, list[str]] = {}
    for source, event in frozen:
        by_state.setdefault(source, []).append(event)
    initial = machine.initial_state
    if initial is None:
        raise TypeError(f"{machine.__name__} has no initial state")
    return Definition(
        name=name,
        machine=machine,
        table=frozen,
        initial=str(initial.value),
        finals=frozenset(str(s.value) for s in machine.states_map.values() if s.final),
        states=tuple(str(s.value) for s in machine.states_map.values()),
        events=tuple(events),
        events_by_state={s: tuple(e) for s, e in by_state.items()},
        allowed=frozenset(
            (source, event, step.target)
            for (source, event), steps in frozen.items()
            for step in steps
        ),
    )
