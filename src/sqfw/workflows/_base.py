"""The shared machinery of the workflows: records, audit trails, refusals, replays.

A workflow is a python-statemachine definition (states as class attributes, transitions
``a.to(b)``, side-effect-free ``cond=`` guards, ``validators=`` that raise) plus a
:class:`Workflow` that binds it to a :class:`WorkflowRecord`, the frozen object a host
stores. Applying an event either returns a new record (version + 1, one
:class:`AuditEntry` appended) or raises :class:`~sqfw.errors.TransitionRefused` with
every reason, leaving the record as it was. Everything else (the transition table of the
bulk validator, the diagrams, the replays) is compiled from the same machine class.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import attrs
import pendulum
from statemachine import StateMachine
from statemachine.callbacks import CallbackGroup

from sqfw.errors import ConcurrencyConflict, TransitionRefused, WorkflowError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_datetime

__all__ = [
    "AuditEntry",
    "EventContext",
    "Refusal",
    "TrailProblem",
    "TrailValidator",
    "Workflow",
    "WorkflowMachine",
    "WorkflowRecord",
    "guard",
    "reason",
]

F = TypeVar("F")
C = TypeVar("C", bound=Callable[..., Any])


def reason(zh: str, en: str) -> str:
    """One reason in the form every sqfw refusal uses: ``"中文 / English"``."""
    return f"{zh} / {en}"


class Refusal(WorkflowError, ValueError):
    """Raised by a machine's validator to say why an event cannot happen.

    :meth:`Workflow.apply` runs every validator of the transition, collects the reasons
    of each :class:`Refusal` and raises one :class:`~sqfw.errors.TransitionRefused`.

    Args:
        reasons: one or more ``"中文 / English"`` lines (see :func:`reason`).
    """

    def __init__(self, *reasons: str) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def guard(zh: str, en: str) -> Callable[[C], C]:
    """Label a ``cond=`` guard with the condition it tests, for refusals and docs.

    A refusal for an event none of whose transitions' guards hold names each failed guard
    with this label.
    """

    def label(function: C) -> C:
        function.__dict__["sqfw_guard"] = (zh, en)
        return function

    return label


# --- data held in audit entries ------------------------------------------------------------

JsonScalar = str | int | bool | None


def freeze_data(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Copy event data into an immutable, JSON-plain mapping.

    Keys are text; values are text, integers, booleans, ``None``, sequences and mappings of
    those. Floats are refused: a number that decides a boundary is exact (send fractions
    as text, e.g. ``"1/3"``).

    Raises:
        TypeError: a value of another type.
    """
    if value is None:
        return types.MappingProxyType({})
    return _freeze_mapping(value, "$")


def _freeze_mapping(value: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{path}: expected a mapping, got {type(value).__name__}")
    frozen: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"{path}: keys must be text, got {key!r}")
        frozen[key] = _freeze_value(item, f"{path}.{key}")
    return types.MappingProxyType(frozen)


def _freeze_value(value: Any, path: str) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Mapping):
        return _freeze_mapping(value, path)
    if isinstance(value, list | tuple):
        return tuple(_freeze_value(v, f"{path}[{i}]") for i, v in enumerate(value))
    raise TypeError(
        f"{path}: expected text, an integer, a boolean, None, a list or a mapping, "
        f"got {type(value).__name__}"
    )


def thaw(value: Any) -> Any:
    """Plain ``dict``/``list`` copy of frozen event data (for JSON)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def _text(limit: int) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise ValueError(
                f"{type(instance).__name__}.{attribute.name}: expected non-blank text of at "
                f"most {limit} characters, got {value!r}"
            )

    return check


def _optional_text(limit: int) -> Callable[[object, attrs.Attribute[Any], object], None]:
    check = _text(limit)

    def optional(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def _to_datetime(value: pendulum.DateTime | _dt.datetime | str) -> pendulum.DateTime:
    return as_datetime(value)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One accepted event, as the audit trail keeps it; never rewritten.

    Args:
        event: the event's id, e.g. ``"announce_candidates"``.
        source: the state before.
        target: the state after (the same as ``source`` for a self-transition).
        actor: who did it (a staff account or role, not a person's name).
        at: when (time-zone aware).
        reason: the note or reason given, if any.
        data: the event's data (JSON-plain, frozen).
    """

    event: str = attrs.field(validator=_text(64))
    source: str = attrs.field(validator=_text(64))
    target: str = attrs.field(validator=_text(64))
    actor: str = attrs.field(validator=_text(100))
    at: pendulum.DateTime = attrs.field(converter=_to_datetime)
    reason: str | None = attrs.field(default=None, validator=_optional_text(2000))
    data: Mapping[str, Any] = attrs.field(
        factory=lambda: types.MappingProxyType({}), converter=freeze_data
    )


def _entries(value: Iterable[AuditEntry]) -> tuple[AuditEntry, ...]:
    return tuple(value)


def _version_matches_trail(
    instance: WorkflowRecord, attribute: attrs.Attribute[Any], value: int
) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"WorkflowRecord.version: expected an integer ≥ 0, got {value!r}")
    if value != len(instance.trail):
        raise ValueError(
            f"WorkflowRecord.version: expected {len(instance.trail)} (one per audit entry), "
            f"got {value}"
        )


@attrs.frozen(kw_only=True)
class WorkflowRecord:
    """What a host stores for one case of a workflow.

    Args:
        workflow: the workflow's name (``"election"``, ``"org_filing"``, ``"service_ticket"``).
        record_id: the case's id (an election, an organisation, a ticket).
        state: the current state's id.
        trail: every accepted event, oldest first.
        version: the number of accepted events; a host compares it to detect a concurrent
            change (optimistic concurrency).

    Raises:
        ValueError: blank ids, or a version that is not the trail's length.
    """

    workflow: str = attrs.field(validator=_text(64))
    record_id: str = attrs.field(validator=_text(64))
    state: str = attrs.field(validator=_text(64))
    trail: tuple[AuditEntry, ...] = attrs.field(default=(), converter=_entries)
    version: int = attrs.field(default=0, validator=_version_matches_trail)

    @property
    def last(self) -> AuditEntry | None:
        """The most recent audit entry, if any."""
        return self.trail[-1] if self.trail else None


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


@attrs.frozen
class _Step:
    target: str
    validators: tuple[str, ...]
    guards: tuple[tuple[str, bool], ...]


@attrs.frozen(kw_only=True)
class TrailProblem:
    """One problem found in a stored trail.

    Attributes:
        record_id: the record.
        index: the entry's position in that record's trail (0 = first).
        message: what is wrong, ``"中文 / English"``.
    """

    record_id: str
    index: int
    message: str

    def __str__(self) -> str:
        return f"{self.record_id}[{self.index}]: {self.message}"


class TrailValidator:
    """Checks stored audit trails against a machine definition, in bulk.

    Built from the workflow's machine class (the same transitions
    :meth:`Workflow.apply` uses), it checks each entry's ``(source, event, target)`` and
    that each entry starts where the previous one ended, without creating a state machine
    per record. Guards and validators are not re-run: they depended on data and time of
    the moment.
    """

    def __init__(self, workflow: type[Workflow[Any]]) -> None:
        self.workflow = workflow.name
        self.initial = workflow.initial_state()
        self.allowed: frozenset[tuple[str, str, str]] = frozenset(
            (source, event, step.target)
            for (source, event), steps in workflow.transition_table().items()
            for step in steps
        )

    def check_columns(
        self,
        record_ids: Iterable[str],
        events: Iterable[str],
        sources: Iterable[str],
        targets: Iterable[str],
        *,
        limit: int | None = 1000,
    ) -> list[TrailProblem]:
        """Check trails given column by column; rows of one record are contiguous, in order.

        Args:
            record_ids: the record of each entry.
            events: the event of each entry.
            sources: the state before each entry.
            targets: the state after each entry.
            limit: stop after this many problems (``None``: report all).

        Returns:
            The problems found, in row order; empty when every trail is valid.
        """
        allowed = self.allowed
        initial = self.initial
        problems: list[TrailProblem] = []
        previous: object = object()
        expected = initial
        index = 0
        for record_id, event, source, target in zip(
            record_ids, events, sources, targets, strict=True
        ):
            if record_id != previous:
                previous = record_id
                expected = initial
                index = 0
            if source != expected or (source, event, target) not in allowed:
                problems.append(self._explain(record_id, index, event, source, target, expected))
                if limit is not None and len(problems) >= limit:
                    break
            expected = target
            index += 1
        return problems

    def _explain(
        self, record_id: str, index: int, event: str, source: str, target: str, expected: str
    ) -> TrailProblem:
        if source != expected:
            message = reason(
                f"该条从状态 {source} 开始，但记录此时处于 {expected}",
                f"entry starts in {source!r} but the record was in {expected!r}",
            )
        else:
            message = reason(
                f"工作流 {self.workflow} 没有从 {source} 经 {event} 到 {target} 的转换",
                f"workflow {self.workflow!r} has no transition {source!r} --{event}--> {target!r}",
            )
        return TrailProblem(record_id=record_id, index=index, message=message)

    def check_trail(self, record_id: str, trail: Sequence[AuditEntry]) -> list[TrailProblem]:
        """Check one record's trail."""
        return self.check_columns(
            [record_id] * len(trail),
            [e.event for e in trail],
            [e.source for e in trail],
            [e.target for e in trail],
            limit=None,
        )

    def check_records(self, records: Iterable[WorkflowRecord]) -> list[TrailProblem]:
        """Check stored records: each trail, and that the state is where the trail ends."""
        problems: list[TrailProblem] = []
        for record in records:
            if record.workflow != self.workflow:
                problems.append(
                    TrailProblem(
                        record_id=record.record_id,
                        index=0,
                        message=reason(
                            f"记录属于工作流 {record.workflow}",
                            f"record belongs to workflow {record.workflow!r}",
                        ),
                    )
                )
                continue
            problems.extend(self.check_trail(record.record_id, record.trail))
            end = record.trail[-1].target if record.trail else self.initial
            if record.state != end:
                problems.append(
                    TrailProblem(
                        record_id=record.record_id,
                        index=len(record.trail),
                        message=reason(
                            f"记录状态为 {record.state}，但审计记录止于 {end}",
                            f"record state is {record.state!r} but its trail ends in {end!r}",
                        ),
                    )
                )
        return problems


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
    _table: ClassVar[dict[tuple[str, str], tuple[_Step, ...]]]
    _events_by_state: ClassVar[dict[str, tuple[str, ...]]]
    _initial: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        machine = cls.__dict__.get("machine")
        if machine is None:
            return
        state_ids = {str(s.value) for s in machine.states_map.values()}
        event_ids = {str(e.id) for e in machine._events}
        for what, enum, ids in (
            ("states", cls.states, state_ids),
            ("events", cls.events, event_ids),
        ):
            labelled = {m.value for m in enum}
            if labelled != ids:
                raise TypeError(
                    f"{cls.__name__}.{what} must label every {what[:-1]} of "
                    f"{machine.__name__} exactly once: missing {sorted(ids - labelled)}, "
                    f"stray {sorted(labelled - ids)}"
                )
        table: dict[tuple[str, str], list[_Step]] = {}
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
                step = _Step(str(transition.target.value), validators, guards)
                for event in transition.events:
                    table.setdefault((str(state.value), str(event.id)), []).append(step)
        cls._table = {key: tuple(steps) for key, steps in table.items()}
        by_state: dict[str, list[str]] = {}
        for source, event in cls._table:
            by_state.setdefault(source, []).append(event)
        cls._events_by_state = {s: tuple(e) for s, e in by_state.items()}
        initial = machine.initial_state
        if initial is None:
            raise TypeError(f"{machine.__name__} has no initial state")
        cls._initial = str(initial.value)

    def __init__(self, *, clock: Callable[[], pendulum.DateTime] | None = None) -> None:
        self.clock = clock

    # --- the definition, as data ---------------------------------------------------------

    @classmethod
    def initial_state(cls) -> str:
        """The id of the state a new record starts in."""
        return cls._initial

    @classmethod
    def transition_table(cls) -> Mapping[tuple[str, str], tuple[_Step, ...]]:
        """``(state, event) → steps``, compiled from the machine class."""
        return types.MappingProxyType(cls._table)

    @classmethod
    def final_states(cls) -> frozenset[str]:
        """States with no way out."""
        return frozenset(str(s.value) for s in cls.machine.states_map.values() if s.final)

    @classmethod
    def events_from(cls, state: str) -> tuple[str, ...]:
        """Events that have a transition out of ``state`` (guards and validators aside)."""
        return cls._events_by_state.get(state, ())

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
        lines = ["stateDiagram-v2", f"    [*] --> {cls._initial}"]
        for state in cls.states:
            lines.append(f"    {state.value}: {state.label_zh} {state.label_en}")
        for (source, event), steps in cls._table.items():
            label = cls.events(event)
            for target in dict.fromkeys(step.target for step in steps):
                lines.append(f"    {source} --> {target}: {label.label_zh} {event}")
        for final in sorted(cls.final_states()):
            lines.append(f"    {final} --> [*]")
        return "\n".join(lines) + "\n"

    @classmethod
    def dot(cls) -> str:
        """The workflow as Graphviz DOT text, with Chinese and English labels."""
        finals = cls.final_states()
        lines = [
            f'digraph "{cls.name}" {{',
            "    rankdir=LR;",
            '    node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];',
            '    __start [shape=point, label=""];',
            f"    __start -> {cls._initial};",
        ]
        for state in cls.states:
            shape = ", peripheries=2" if state.value in finals else ""
            lines.append(f'    {state.value} [label="{state.label_zh}\\n{state.label_en}"{shape}];')
        for (source, event), steps in cls._table.items():
            label = cls.events(event)
            for target in dict.fromkeys(step.target for step in steps):
                lines.append(f'    {source} -> {target} [label="{label.label_zh}\\n{event}"];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    # --- records ------------------------------------------------------------------------

    def new(self, record_id: str) -> WorkflowRecord:
        """A new record in the initial state, version 0, with an empty trail."""
        return WorkflowRecord(workflow=self.name, record_id=record_id, state=self._initial)

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
        """The facts of a record, folded over its trail (so a replay gives the same facts)."""
        facts = self.initial_facts()
        for entry in record.trail:
            facts = self.fold(facts, entry)
        return facts

    def enrich(self, ctx: EventContext[F]) -> Mapping[str, Any]:
        """The data to keep in the audit entry of an accepted event; by default, as sent.

        A workflow adds what it computed (e.g. a tally) so the trail explains itself.
        """
        return ctx.data

    def replay(self, record_id: str, trail: Iterable[AuditEntry]) -> WorkflowRecord:
        """Rebuild a record from a stored trail, checking every step against the machine.

        Raises:
            TransitionRefused: an entry that the machine definition does not allow.
        """
        entries = tuple(trail)
        state = self._initial
        for entry in entries:
            steps = self._table.get((state, entry.event), ())
            if entry.source != state or entry.target not in {s.target for s in steps}:
                raise TransitionRefused(
                    self.name,
                    entry.event,
                    state,
                    [
                        reason(
                            f"审计记录中的转换 {entry.source}→{entry.target} 不被允许",
                            f"trail entry {entry.source!r}→{entry.target!r} is not allowed",
                        )
                    ],
                )
            state = entry.target
        return WorkflowRecord(
            workflow=self.name,
            record_id=record_id,
            state=state,
            trail=entries,
            version=len(entries),
        )

    def _check_owner(self, record: WorkflowRecord) -> None:
        if record.workflow != self.name:
            raise WorkflowError(
                f"record {record.record_id!r} belongs to workflow {record.workflow!r}, "
                f"not {self.name!r}"
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
            self._prepare(record, event, actor=actor, at=at, reason_=reason, data=data)
        except TransitionRefused as refused:
            return refused.reasons
        return ()

    def allowed_events(
        self, record: WorkflowRecord, *, actor: str, at: pendulum.DateTime | _dt.datetime | str
    ) -> tuple[str, ...]:
        """Events that would be accepted now without data or reason."""
        return tuple(
            event
            for event in self.events_from(record.state)
            if not self.check(record, event, actor=actor, at=at)
        )

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
            expected_version: the version the caller read; if the stored record has moved
                on, the event is refused.

        Returns:
            A new record: the new state, version + 1, one more audit entry.

        Raises:
            ConcurrencyConflict: ``expected_version`` differs from ``record.version``.
            TransitionRefused: the event is not allowed now; every reason is listed and
                ``record`` is unchanged (records are immutable).
            ValueError: ``at`` is naive, or ``actor``/``data`` are malformed.
        """
        self._check_owner(record)
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
        entry = AuditEntry(
            event=event,
            source=record.state,
            target=target,
            actor=ctx.actor,
            at=ctx.at,
            reason=reason,
            data=self.enrich(ctx),
        )
        return WorkflowRecord(
            workflow=record.workflow,
            record_id=record.record_id,
            state=target,
            trail=(*record.trail, entry),
            version=record.version + 1,
        )

    def _prepare(
        self,
        record: WorkflowRecord,
        event: str,
        *,
        actor: str,
        at: pendulum.DateTime | _dt.datetime | str | None,
        reason_: str | None,
        data: Mapping[str, Any] | None,
    ) -> tuple[WorkflowMachine, EventContext[F], _Step]:
        self._check_owner(record)
        when = self._when(at)
        frozen = freeze_data(data)
        reasons: list[str] = []
        if not isinstance(actor, str) or not actor.strip():
            reasons.append(reason("须注明经办人", "an actor is required"))
        last = record.last
        if last is not None and when < last.at:
            reasons.append(
                reason(
                    f"时间 {when.isoformat()} 早于上一步 {last.at.isoformat()}",
                    f"time {when.isoformat()} is before the previous step {last.at.isoformat()}",
                )
            )
        steps = self._table.get((record.state, event))
        if not steps:
            allowed = ", ".join(self.events_from(record.state)) or "-"
            reasons.append(self._not_allowed(event, record.state, allowed))
            raise TransitionRefused(self.name, event, record.state, reasons)
        machine = self.bind(record)
        ctx: EventContext[F] = EventContext(
            workflow=self,
            record=record,
            event=event,
            actor=actor,
            at=when,
            reason=reason_,
            data=frozen,
            facts=self.facts(record),
        )
        chosen, found = self._select(machine, ctx, steps)
        reasons.extend(found)
        if reasons or chosen is None:
            raise TransitionRefused(self.name, event, record.state, reasons)
        return machine, ctx, chosen

    def _select(
        self, machine: WorkflowMachine, ctx: EventContext[F], steps: tuple[_Step, ...]
    ) -> tuple[_Step | None, list[str]]:
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
        if at is not None:
            return as_datetime(at)
        if self.clock is None:
            raise TypeError("at: required when the workflow has no clock")
        return as_datetime(self.clock())
