"""A workflow bound to records: ``apply``, ``check``, ``verify``, ``replay``.

A workflow is a python-statemachine definition (states from one :class:`LabeledEnum`
through ``States.from_enum``, transitions ``a.to(b)``, side-effect-free ``cond=`` guards,
``validators=`` that raise) plus a :class:`Workflow` that binds it to a
:class:`~sqfw.workflows.WorkflowRecord`, the frozen object a host stores. Applying an
event either returns a new record (version + 1, one sealed
:class:`~sqfw.workflows.AuditEntry` appended, a new head) or raises
:class:`~sqfw.errors.TransitionRefused` with every reason, leaving the record as it was.
A record whose state, version or head does not follow from its trail is refused with
:class:`~sqfw.errors.TrailBroken` before anything else.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import types
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import attrs
import pendulum
from statemachine import StateMachine

from sqfw._args import expect, expect_callable
from sqfw._text import UnsafeCharacter, unsafe_character
from sqfw.errors import (
    ConcurrencyConflict,
    InvalidArgumentError,
    Refusal,
    TrailBroken,
    TransitionRefused,
    WorkflowError,
    WorkflowInputError,
)
from sqfw.labels import LabeledEnum
from sqfw.periods import as_datetime
from sqfw.workflows import _diagrams
from sqfw.workflows._chain import GENESIS, HostKey
from sqfw.workflows._definition import (
    Definition,
    Step,
    TrailProblem,
    compile_machine,
    reason,
    shown,
)
from sqfw.workflows._events import DataKey, EventOption, TracedData
from sqfw.workflows._memo import FactsByHead, MachinePool, is_trusted, mark_trusted
from sqfw.workflows._records import AuditEntry, WorkflowRecord, freeze_data, seal

__all__ = [
    "EventContext",
    "Refusal",
    "TrailValidator",
    "Workflow",
    "WorkflowInputError",
    "WorkflowMachine",
    "guard",
]

F = TypeVar("F")
C = TypeVar("C", bound=Callable[..., Any])
T = TypeVar("T")


_ACTOR_LIMIT = 100
_NEEDS_REASON = "needs_reason"
_REASON_LIMIT = 2000


def _nfc(text: T) -> T:
    """Text in normal form NFC; anything else (refused elsewhere) as it came."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text  # type: ignore[return-value]


def _unsafe_reason(zh: str, en: str, found: UnsafeCharacter) -> str:
    """The text rule's refusal (:mod:`sqfw._text`): the position and code point, never
    the text."""
    return reason(
        f"{zh}含有不可见或控制字符：第 {found.position} 个字符为 "
        f"{found.code_point}（{found.kind_zh}）",
        f"{en}: expected text without control, bidi, zero-width or other format characters, "
        f"got {found.describe()}",
    )


def guard(zh: str, en: str) -> Callable[[C], C]:
    """Label a ``cond=`` guard with the condition it tests, for refusals and docs.

    A refusal for an event none of whose transitions' guards hold names each failed guard
    with this label.
    """

    def label(function: C) -> C:
        function.__dict__["sqfw_guard"] = (zh, en)
        return function

    return label


@attrs.frozen(kw_only=True)
class EventContext(Generic[F]):
    """What a validator or guard sees: the event, its data, and the record's facts.

    Machine callbacks take one parameter named ``ctx`` (python-statemachine passes it by
    name), so the same callback runs in :meth:`Workflow.apply`'s check and in the engine.
    """

    workflow: Workflow[F]
    record: WorkflowRecord
    event: str
    actor: str
    at: pendulum.DateTime
    reason: str | None
    data: Mapping[str, Any]
    facts: F


class WorkflowMachine(StateMachine):
    """Base of the sqfw machines: shared validators, no states of its own."""

    def needs_reason(self, ctx: EventContext[Any]) -> None:
        """A reason (or note) must be given."""
        if not ctx.reason or not ctx.reason.strip():
            raise Refusal(reason("须说明理由", "a reason is required"))


class TrailValidator:
    """Checks stored audit trails against a workflow's definition, in bulk.

    Built from the workflow class (the same transitions :meth:`Workflow.apply` uses), it
    checks without creating a state machine per record. Guards and validators are not
    re-run: they depended on data and time of the moment.

    - :meth:`check_records` checks whole records: every chain link, every hash, every
      transition, the order of times, and each record's state, version and head;
    - :meth:`check_columns` checks the transitions of trails given column by column (for
      trails kept without their chain, e.g. an export);
    - :meth:`check_rows` checks chained rows as a store keeps them (see
      :func:`~sqfw.workflows._definition.stored_rows`).

    Each reports the first problem of each record, naming the entry.
    """

    def __init__(self, workflow: type[Workflow[Any]]) -> None:
        if not (
            isinstance(workflow, type)
            and issubclass(workflow, Workflow)
            and hasattr(workflow, "definition")
        ):
            raise InvalidArgumentError("TrailValidator(workflow)", workflow, "a workflow class")
        self.definition: Definition = workflow.definition
        self.workflow = workflow.name
        self.initial = workflow.initial_state()
        self.allowed = self.definition.allowed

    def check_columns(
        self,
        record_ids: Iterable[str],
        events: Iterable[str],
        sources: Iterable[str],
        targets: Iterable[str],
        *,
        limit: int | None = 1000,
    ) -> list[TrailProblem]:
        """Check the transitions of trails given column by column.

        Rows of one record are contiguous, in order. Without the chain columns nothing
        proves that an entry was not changed: use :meth:`check_records` or
        :meth:`check_rows` for that.

        Args:
            record_ids: the record of each entry.
            events: the event of each entry.
            sources: the state before each entry.
            targets: the state after each entry.
            limit: stop after this many problems (``None``: report all).

        Returns:
            The first problem of each record with one, in row order.
        """
        rows = (
            (r, 0, e, s, t, "", "", "", None, "", "")
            for r, e, s, t in zip(record_ids, events, sources, targets, strict=True)
        )
        return self.definition.scan(rows, chained=False, limit=limit)  # type: ignore[arg-type]

    def check_rows(
        self,
        rows: Iterable[Any],
        ends: Mapping[str, Any] | None = None,
        *,
        limit: int | None = 1000,
        keys: Mapping[str, HostKey] | None = None,
    ) -> list[TrailProblem]:
        """Check chained rows (:class:`~sqfw.workflows._definition.Row`) and record ends."""
        return self.definition.scan(rows, ends, limit=limit, keys=keys)

    def check_trail(self, record_id: str, trail: Iterable[AuditEntry]) -> list[TrailProblem]:
        """Check one record's trail (the chain and the transitions)."""
        entries = tuple(trail)
        head = entries[-1].hash if entries else None
        state = entries[-1].target if entries else self.initial
        if head is None:
            return []
        record = WorkflowRecord(
            workflow=self.workflow,
            record_id=record_id,
            state=state,
            trail=entries,
            version=len(entries),
            head=head,
        )
        return self.definition.problems([record])

    def check_records(
        self,
        records: Iterable[WorkflowRecord],
        *,
        keys: Mapping[str, HostKey] | None = None,
        limit: int | None = None,
    ) -> list[TrailProblem]:
        """Check stored records: each chain, each transition, and where each record ends."""
        return self.definition.problems(records, keys=keys, limit=limit)


class Workflow(Generic[F]):
    """A workflow: a machine class bound to records, with configuration.

    Subclasses set the class attributes ``name``, ``machine`` (a
    :class:`WorkflowMachine` subclass), ``states`` and ``events`` (:class:`LabeledEnum`
    classes whose values are exactly the machine's state and event ids; checked when the
    subclass is defined) and may override :meth:`fold` to derive facts from the trail.

    Args:
        clock: returns the current time for events sent without ``at``; there is no hidden
            ``now()``, so without a clock every event needs ``at``.
    """

    name: ClassVar[str]
    machine: ClassVar[type[WorkflowMachine]]
    states: ClassVar[type[LabeledEnum]]
    events: ClassVar[type[LabeledEnum]]
    definition: ClassVar[Definition]
    #: The keys each event's ``data`` may hold (see :class:`DataKey`); every event is
    #: declared, and a key not declared is refused. ``None``: any keys (a workflow that
    #: declares nothing).
    event_data: ClassVar[Mapping[str, tuple[DataKey, ...]] | None] = None
    _data_keys: ClassVar[Mapping[str, tuple[DataKey, ...]]] = {}
    _data_names: ClassVar[Mapping[str, frozenset[str]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        machine = cls.__dict__.get("machine")
        declared = cls.__dict__.get("event_data")
        if machine is None and declared is None:
            return
        if machine is not None:
            cls.definition = compile_machine(
                cls.name, machine, [m.value for m in cls.states], [m.value for m in cls.events]
            )
        if declared is not None:  # a subclass may declare more data than its workflow
            events = set(cls.definition.events)
            if set(declared) != events:
                raise TypeError(
                    f"{cls.name}: event_data must declare every event exactly once: missing "
                    f"{sorted(events - set(declared))}, stray {sorted(set(declared) - events)}"
                )
            for event, keys in declared.items():
                names = [k.name for k in keys]
                if len(set(names)) != len(names) or not all(isinstance(k, DataKey) for k in keys):
                    raise TypeError(f"{cls.name}: event_data[{event!r}]: distinct DataKeys")
            # read once: required keys first, and the names each event's data is checked against
            cls._data_keys = {
                event: tuple(sorted(keys, key=lambda k: not k.required))
                for event, keys in declared.items()
            }
            cls._data_names = {
                event: frozenset(k.name for k in keys) for event, keys in declared.items()
            }

    def __init__(
        self,
        *,
        clock: Callable[[], pendulum.DateTime] | None = None,
        key: HostKey | None = None,
    ) -> None:
        if not hasattr(type(self), "definition"):
            raise WorkflowInputError(
                type(self).__name__, "a workflow class with a state machine", "the bare base"
            )
        self.clock = expect_callable(f"{type(self).__name__}(clock)", clock, optional=True)
        if key is not None:
            expect(f"{type(self).__name__}(key)", key, HostKey)
        self.key = key
        self._facts_by_head: FactsByHead[F] = FactsByHead()
        self._machines: MachinePool[WorkflowMachine] = MachinePool(self.machine)

    # --- the definition, as data ---------------------------------------------------------

    @classmethod
    def initial_state(cls) -> str:
        """The id of the state a new record starts in."""
        return cls.definition.initial

    @classmethod
    def transition_table(cls) -> Mapping[tuple[str, str], tuple[Step, ...]]:
        """``(state, event) → steps``, compiled from the machine class."""
        return cls.definition.table

    @classmethod
    def final_states(cls) -> frozenset[str]:
        """States with no way out."""
        return cls.definition.finals

    @classmethod
    def events_from(cls, state: str) -> tuple[str, ...]:
        """Events that have a transition out of ``state`` (guards and validators aside)."""
        return cls.definition.events_by_state.get(state, ())

    @classmethod
    def data_keys(cls, event: str) -> tuple[DataKey, ...] | None:
        """The keys ``event``'s data may hold, required ones first; ``None`` if the
        workflow declares none (any keys pass).

        .. versionadded:: 0.1.0
        """
        if cls.event_data is None:
            return None
        return cls._data_keys.get(event, ())

    @classmethod
    def validator(cls) -> TrailValidator:
        """A bulk :class:`TrailValidator` for this workflow's trails."""
        return TrailValidator(cls)

    @classmethod
    def state_label(cls, state: str, lang: str = "zh") -> str:
        """The label of a state in ``lang``."""
        return cls.states(state).label(lang)

    @classmethod
    def event_label(cls, event: str, lang: str = "zh") -> str:
        """The label of an event in ``lang``."""
        return cls.events(event).label(lang)

    @classmethod
    def mermaid(cls) -> str:
        """The workflow as a Mermaid ``stateDiagram-v2``, with Chinese and English labels."""
        return _diagrams.mermaid(cls.definition, cls.states, cls.events)

    @classmethod
    def dot(cls) -> str:
        """The workflow as Graphviz DOT text, with Chinese and English labels."""
        return _diagrams.dot(cls.definition, cls.states, cls.events)

    @classmethod
    def verify(cls, record: WorkflowRecord, *, keys: Iterable[HostKey] | None = None) -> None:
        """Check that a record follows from its trail, entry by entry.

        Recomputes every entry's hash and link, replays every transition from the initial
        state, checks that times never go backwards and that the record's state, version
        and head are where the trail ends.

        Args:
            record: the record, e.g. as loaded from a store or a document.
            keys: host keys; when given, every entry must carry a valid mac of one.

        Raises:
            TrailBroken: names the first bad entry (its index) and what is wrong.
            WorkflowError: the record belongs to another workflow.

        .. versionadded:: 0.1.0
        """
        cls._check_owner_of(record)
        by_id = None if keys is None else {k.key_id: k for k in keys}
        cls.definition.verify(record, keys=by_id)
        if by_id is None:
            mark_trusted(record)

    # --- records ------------------------------------------------------------------------

    def new(self, record_id: str) -> WorkflowRecord:
        """A new record in the initial state, version 0, with an empty trail."""
        return WorkflowRecord(workflow=self.name, record_id=record_id, state=self.initial_state())

    def bind(self, record: WorkflowRecord) -> WorkflowMachine:
        """A python-statemachine instance that continues from the record's state."""
        self._check_owner(record)
        return self.machine(start_value=record.state)

    def initial_facts(self) -> F:
        """The facts of a record with an empty trail."""
        raise NotImplementedError

    def fold(self, facts: F, entry: AuditEntry) -> F:
        """Derive the record's facts from one more accepted entry."""
        raise NotImplementedError

    def facts(self, record: WorkflowRecord) -> F:
        """The facts of a record, folded over its trail (so a replay gives the same facts).

        The facts of a trusted record (verified, or made by :meth:`apply`) are remembered
        by its head, and those of the next record are folded from them with its one new
        entry, so asking costs the same on any trail. The same object may therefore be
        returned again: facts are immutable (frozen attrs classes with read-only mappings).
        A record that is not trusted has its whole trail folded, every time.
        """
        trail = record.trail
        if not trail or not is_trusted(record):
            return self._fold(self.initial_facts(), trail)
        memo = self._facts_by_head
        found = memo.get(record.head)
        if found is None:
            before = self.initial_facts() if len(trail) == 1 else memo.get(trail[-2].hash)
            if before is None:
                found = self._fold(self.initial_facts(), trail)
            else:
                found = self.fold(before, trail[-1])
            memo.put(record.head, found)
        return found

    def _fold(self, facts: F, entries: Iterable[AuditEntry]) -> F:
        for entry in entries:
            facts = self.fold(facts, entry)
        return facts

    def enrich(self, ctx: EventContext[F]) -> Mapping[str, Any]:
        """The data to keep in the audit entry of an accepted event; by default, as sent.

        A workflow adds what it computed (e.g. a tally) so the trail explains itself.
        """
        return ctx.data

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The record's deadline as of its last event, for a store's work list; by default none.

        .. versionadded:: 0.1.0
        """
        return None

    def due_estimated(self, record: WorkflowRecord) -> bool:
        """Whether :meth:`due` is an estimate (counted over a year whose official holiday
        schedule is not known); by default not.

        .. versionadded:: 0.1.0
        """
        return False

    def holders(self, record: WorkflowRecord) -> tuple[str, ...]:
        """The offices that hold the record now, for a store's work list; by default none.

        .. versionadded:: 0.1.0
        """
        return ()

    def topic(self, record: WorkflowRecord) -> str | None:
        """What the record is about, for a store's work list by topic; by default none.

        .. versionadded:: 0.1.0
        """
        return None

    def overdue_levels(self) -> tuple[tuple[str, pendulum.Duration], ...]:
        """Escalation levels and the time past the deadline each is reached at, in
        order, for a store's work list; by default none.

        .. versionadded:: 0.1.0
        """
        return ()

    def replay(self, record_id: str, trail: Iterable[AuditEntry]) -> WorkflowRecord:
        """Rebuild a record from a stored trail, checking every entry (see :meth:`verify`).

        Raises:
            TrailBroken: an entry whose hash, link, sequence number, transition or time
                does not follow from the entries before it.
        """
        entries = tuple(trail)
        last = entries[-1] if entries else None
        try:
            record = WorkflowRecord(
                workflow=self.name,
                record_id=record_id,
                state=self.initial_state() if last is None else last.target,
                trail=entries,
                version=len(entries),
                head=GENESIS if last is None else last.hash,
            )
        except ValueError as exc:  # a blank id or a malformed entry
            raise TrailBroken(self.name, str(record_id)[:64], 0, str(exc)) from None
        self.verify(record)
        return record

    def trust(self, record: WorkflowRecord) -> WorkflowRecord:
        """Return ``record`` once it is known to follow from its trail (verified at most once).

        Raises:
            TrailBroken: it does not (see :meth:`verify`).
        """
        if not is_trusted(record):
            self.verify(record)
        return record

    def _check_owner(self, record: WorkflowRecord) -> None:
        self._check_owner_of(record)

    @classmethod
    def _check_owner_of(cls, record: WorkflowRecord) -> None:
        if not isinstance(record, WorkflowRecord):
            raise TypeError(f"expected a WorkflowRecord, got {type(record).__name__}")
        if record.workflow != cls.name:
            raise WorkflowError(
                f"record {record.record_id!r} belongs to workflow {record.workflow!r}, "
                f"not {cls.name!r}"
            )

    # --- events -------------------------------------------------------------------------

    def check(
        self,
        record: WorkflowRecord,
        event: str,
        *,
        actor: str,
        at: pendulum.DateTime | _dt.datetime | str | None = None,
        reason: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> tuple[str, ...]:
        """Every reason the event would be refused now; empty if it would be accepted."""
        try:
            machine, _, _ = self._prepare(
                record, event, actor=actor, at=at, reason_=reason, data=data
            )
        except TransitionRefused as refused:
            return refused.reasons
        self._machines.give(machine)
        return ()

    def allowed_events(
        self,
        record: WorkflowRecord,
        *,
        actor: str,
        at: pendulum.DateTime | _dt.datetime | str | None = None,
    ) -> tuple[EventOption, ...]:
        """Every event out of the record's state, each allowed or refused, and why.

        For each event with a transition out of ``record.state``: its labels, the data
        keys it takes (:meth:`data_keys`), whether it needs a reason, and whether it can
        happen now. An event is *refused* when a check fails whatever the data and reason
        (the actor, the time, the record's facts: a rating already given, a deadline not
        yet passed …); its reasons are the ones :meth:`apply` would give. An event is
        *allowed* when only its data and reason stand in the way; the values sent are
        checked when it is applied.

        Args:
            record: the record as stored now.
            actor: who would send the events.
            at: when (time-zone aware); defaults to the workflow's clock.

        Returns:
            One :class:`EventOption` per event out of the state, in declaration order
            (none in a final state).

        Raises:
            TrailBroken: ``record`` does not follow from its trail.
            WorkflowInputError: ``at`` is naive or unreadable.

        .. versionadded:: 0.1.0
        """
        self._check_owner(record)
        self.trust(record)
        when = self._when(at)
        general = self._input_reasons(record, actor, None, when)
        base: EventContext[F] = EventContext(
            workflow=self,
            record=record,
            event="",
            actor=_nfc(actor),
            at=when,
            reason=None,
            data=types.MappingProxyType({}),
            facts=self.facts(record),
        )
        options: list[EventOption] = []
        if not self.events_from(record.state):  # a final state: a machine there has stopped
            return ()
        machine = self._machines.take(record.state)
        try:
            for event in self.events_from(record.state):
                steps = self.definition.table[(record.state, event)]
                ctx = attrs.evolve(base, event=event)
                reasons = [*general, *self._probe(machine, ctx, steps)]
                label = self.events(event)
                options.append(
                    EventOption(
                        event=event,
                        label_zh=label.label_zh,
                        label_en=label.label_en,
                        allowed=not reasons,
                        data=self.data_keys(event) or (),
                        needs_reason=any(_NEEDS_REASON in s.validators for s in steps),
                        reasons=tuple(dict.fromkeys(reasons)),
                    )
                )
        finally:
            self._machines.give(machine)
        return tuple(options)

    def _probe(
        self, machine: WorkflowMachine, ctx: EventContext[F], steps: tuple[Step, ...]
    ) -> list[str]:
        """The reasons no data or reason could overcome, in :meth:`_select`'s order."""
        failed_guards: list[str] = []
        for step in steps:
            found: list[str] = []
            for name in step.validators:
                traced = TracedData()
                try:
                    getattr(machine, name)(attrs.evolve(ctx, data=traced))
                except Refusal as refusal:
                    if name != _NEEDS_REASON and not traced.read:
                        found.extend(refusal.reasons)
                except (KeyError, TypeError, ValueError):
                    if not traced.read:  # not about the data: a definition's own bug
                        raise
            if found:
                return found
            hard: list[str] = []
            for name, expected in step.guards:
                traced = TracedData()
                try:
                    holds = bool(getattr(machine, name)(attrs.evolve(ctx, data=traced)))
                except (KeyError, TypeError, ValueError):
                    if not traced.read:
                        raise
                    continue
                if holds is not expected and not traced.read:
                    hard.append(self._guard_reason(machine, name, expected))
            if not hard:
                return []
            failed_guards.extend(hard)
        return list(dict.fromkeys(failed_guards))

    def apply(
        self,
        record: WorkflowRecord,
        event: str,
        *,
        actor: str,
        at: pendulum.DateTime | _dt.datetime | str | None = None,
        reason: str | None = None,
        data: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
    ) -> WorkflowRecord:
        """Apply one event; return the new record.

        Args:
            record: the record as stored now.
            event: the event's id.
            actor: who sends it.
            at: when (time-zone aware); defaults to the workflow's clock.
            reason: the reason or note; some events require one.
            data: the event's data (JSON-plain).
            expected_version: the version the caller read, checked against ``record``. It
                guards against mixing up copies in one process only: two hosts holding the
                same copy both pass it. Between hosts, the store's compare-and-set decides
                (:meth:`sqfw.store.SqlStore.save`).

        Returns:
            A new record: the new state, version + 1, one more sealed audit entry (signed
            with the workflow's ``key``, if it has one), the new head.

        Raises:
            TrailBroken: ``record`` does not follow from its trail (a forged state,
                version or head, or a changed entry); nothing is applied.
            ConcurrencyConflict: ``expected_version`` differs from ``record.version``.
            TransitionRefused: the event is not allowed now; every reason is listed and
                ``record`` is unchanged (records are immutable).
            WorkflowInputError: ``at`` is naive or unreadable, or ``data`` is not
                JSON-plain or holds text with a control, bidi, zero-width or format
                character (a ``ValueError`` and a ``TypeError``). A data key the event
                does not declare (:meth:`data_keys`) is a refusal naming the allowed
                keys. A blank or over-long
                ``actor`` or ``reason`` is a refusal (:class:`TransitionRefused`) that
                echoes at most 80 characters, identity and phone numbers masked.
        """
        self._check_owner(record)
        self.trust(record)
        if expected_version is not None and expected_version != record.version:
            raise ConcurrencyConflict(record.record_id, expected_version, record.version)
        machine, ctx, step = self._prepare(
            record, event, actor=actor, at=at, reason_=reason, data=data
        )
        machine.send(event, ctx=ctx)
        target = str(machine.current_state_value)
        if target != step.target:  # the engine and the check must agree; a definition bug
            raise WorkflowError(
                f"{self.name}: {event!r} from {record.state!r} reached {target!r}, "
                f"expected {step.target!r}"
            )
        if target not in self.definition.finals:  # a machine at a final state has stopped
            self._machines.give(machine)
        entry = seal(
            record.workflow,
            record.record_id,
            seq=record.version + 1,
            prev=record.head,
            event=event,
            source=record.state,
            target=target,
            actor=ctx.actor,
            at=ctx.at,
            reason=ctx.reason,
            data=self.enrich(ctx),
            key=self.key,
        )
        new = WorkflowRecord(
            workflow=record.workflow,
            record_id=record.record_id,
            state=target,
            trail=(*record.trail, entry),
            version=entry.seq,
            head=entry.hash,
        )
        mark_trusted(new)
        return new

    def _prepare(
        self,
        record: WorkflowRecord,
        event: str,
        *,
        actor: str,
        at: pendulum.DateTime | _dt.datetime | str | None,
        reason_: str | None,
        data: Mapping[str, Any] | None,
    ) -> tuple[WorkflowMachine, EventContext[F], Step]:
        self._check_owner(record)
        self.trust(record)
        when = self._when(at)
        try:
            frozen = freeze_data(data)
        except TypeError as exc:
            raise WorkflowInputError(
                "data",
                "JSON-plain event data (text, integers, booleans, lists, mappings)",
                shown(str(exc), 200),
            ) from None
        reasons = self._input_reasons(record, actor, reason_, when)
        reasons.extend(self._unknown_keys(event, frozen))
        steps = self.definition.table.get((record.state, event))
        if not steps:
            allowed = ", ".join(self.events_from(record.state)) or "-"
            reasons.append(self._not_allowed(event, record.state, allowed))
            raise TransitionRefused(self.name, event, record.state, reasons)
        machine = self._machines.take(record.state)
        ctx: EventContext[F] = EventContext(
            workflow=self,
            record=record,
            event=event,
            actor=_nfc(actor),
            at=when,
            reason=_nfc(reason_),
            data=frozen,
            facts=self.facts(record),
        )
        chosen, found = self._select(machine, ctx, steps)
        reasons.extend(found)
        if reasons or chosen is None:
            self._machines.give(machine)  # validators and guards leave it as it was
            raise TransitionRefused(self.name, event, record.state, reasons)
        return machine, ctx, chosen

    def _input_reasons(
        self,
        record: WorkflowRecord,
        actor: str,
        reason_: str | None,
        when: pendulum.DateTime,
    ) -> list[str]:
        """Why the actor, the reason or the time refuse any event now."""
        reasons: list[str] = []
        if not isinstance(actor, str) or not actor.strip():
            reasons.append(reason("须注明经办人", "an actor is required"))
        elif len(actor) > _ACTOR_LIMIT:
            reasons.append(
                reason(
                    f"经办人最长 {_ACTOR_LIMIT} 个字符，收到 {len(actor)} 个：{shown(actor)}",
                    f"actor: at most {_ACTOR_LIMIT} characters, got {len(actor)}: {shown(actor)}",
                )
            )
        elif (found := unsafe_character(actor)) is not None:
            reasons.append(_unsafe_reason("经办人", "actor", found))
        if isinstance(reason_, str) and (found := unsafe_character(reason_, multiline=True)):
            reasons.append(_unsafe_reason("理由", "reason", found))
        if reason_ is not None and (
            not isinstance(reason_, str) or not reason_.strip() or len(reason_) > _REASON_LIMIT
        ):
            size = len(reason_) if isinstance(reason_, str) else 0
            reasons.append(
                reason(
                    f"理由须为不超过 {_REASON_LIMIT} 个字符的非空文本，"
                    f"收到 {size} 个：{shown(reason_)}",
                    f"reason: non-blank text of at most {_REASON_LIMIT} characters, got {size}: "
                    f"{shown(reason_)}",
                )
            )
        last = record.last
        if last is not None and when < last.at:
            reasons.append(
                reason(
                    f"时间 {when.isoformat()} 早于上一步 {last.at.isoformat()}",
                    f"time {when.isoformat()} is before the previous step {last.at.isoformat()}",
                )
            )
        return reasons

    def _unknown_keys(self, event: str, data: Mapping[str, Any]) -> list[str]:
        """The refusal of data keys the event does not declare, naming the allowed ones."""
        if self.event_data is None:
            return []
        names = self._data_names.get(event, frozenset())
        unknown = [k for k in data if k not in names]
        if not unknown:
            return []
        declared = self._data_keys.get(event, ())
        shown_keys = ", ".join(shown(k, 40) for k in unknown[:5])
        allowed = ", ".join(k.name for k in declared) or "-"
        return [
            reason(
                f"“{event}”的数据中有未声明的键：{shown_keys}（可用：{allowed}）",
                f"data of {event!r}: unknown keys {shown_keys}; allowed: {allowed}",
            )
        ]

    def _select(
        self, machine: WorkflowMachine, ctx: EventContext[F], steps: tuple[Step, ...]
    ) -> tuple[Step | None, list[str]]:
        # Same order as the engine: a transition's validators, then its guards; the first
        # transition whose guards hold is taken. Unlike the engine, every validator runs, so
        # that the refusal lists every reason.
        failed_guards: list[str] = []
        for step in steps:
            found: list[str] = []
            for name in step.validators:
                try:
                    getattr(machine, name)(ctx)
                except Refusal as refusal:
                    found.extend(refusal.reasons)
            if found:
                return None, found
            missing = [
                (name, expected)
                for name, expected in step.guards
                if bool(getattr(machine, name)(ctx)) is not expected
            ]
            if not missing:
                return step, []
            failed_guards.extend(self._guard_reason(machine, n, e) for n, e in missing)
        return None, list(dict.fromkeys(failed_guards))

    @staticmethod
    def _guard_reason(machine: WorkflowMachine, name: str, expected: bool) -> str:
        zh, en = getattr(getattr(type(machine), name), "sqfw_guard", (name, name))
        if expected:
            return reason(f"条件未满足：{zh}", f"condition not met: {en}")
        return reason(f"不得满足：{zh}", f"must not hold: {en}")

    def _not_allowed(self, event: str, state: str, allowed: str) -> str:
        try:
            zh = self.states(state).label_zh
        except ValueError:
            zh = state
        if event not in {m.value for m in self.events}:
            return reason(f"未知事件 {event}", f"unknown event {event!r} (events: {allowed})")
        return reason(
            f"“{self.events(event).label_zh}”不能在“{zh}”状态下进行",
            f"{event!r} is not allowed in state {state!r} (allowed: {allowed})",
        )

    def _when(self, at: pendulum.DateTime | _dt.datetime | str | None) -> pendulum.DateTime:
        value: object = at
        if at is None:
            if self.clock is None:
                raise WorkflowInputError(
                    "at",
                    "a time-zone-aware date-time (at: required when the workflow has no clock)",
                    "None",
                )
            value = self.clock()
        try:
            return as_datetime(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            naive = isinstance(value, _dt.datetime) and value.utcoffset() is None
            raise WorkflowInputError(
                "at" if at is not None else "clock()",
                "a time-zone-aware date-time or ISO 8601 text with an offset",
                ("naive " if naive else "") + shown(value),
            ) from None
