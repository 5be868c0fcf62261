"""Records and their audit trails: what a host stores for one case of a workflow.

An :class:`AuditEntry` is one accepted event, sealed into the record's hash chain
(:mod:`sqfw.workflows._chain`); a :class:`WorkflowRecord` is the state, the version, the
trail and the head hash. Both are frozen; they pickle, deep-copy and round-trip through
:mod:`sqfw.serialization` (document kind ``"workflow_record"``).

The data of an entry is JSON-plain (text, integers, booleans, ``None``, lists and
mappings of those): personal data (:mod:`sqfw.privacy`) cannot enter a trail at all,
so a trail never needs masking and a published trail is the same as a stored one.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs
import pendulum

from sqfw._text import unsafe_character
from sqfw.errors import InvalidEntityError, TrailBroken, UnsafeTextError, WorkflowInputError
from sqfw.periods import as_datetime
from sqfw.workflows._chain import (
    GENESIS,
    HostKey,
    canonical_data,
    canonical_time,
    canonical_zone,
    entry_body,
    entry_hash,
    record_prefix,
)

__all__ = ["AuditEntry", "WorkflowRecord", "freeze_data", "read_only", "seal", "thaw"]

_HASH = re.compile(r"^[0-9a-f]{64}$")

TEXT_LIMITS: Final = types.MappingProxyType(
    {"event": 64, "source": 64, "target": 64, "actor": 100, "reason": 2000, "mac": 200}
)
"""The most characters each text field of an :class:`AuditEntry` may hold."""


# --- data held in audit entries ------------------------------------------------------------


def freeze_data(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Copy event data into an immutable, JSON-plain mapping.

    Keys are text; values are text, integers, booleans, ``None``, sequences and mappings of
    those. Floats are refused: a number that decides a boundary is exact (send fractions
    as text, e.g. ``"1/3"``). So is personal data: it never enters a trail.

    Text (keys and values) follows the one text rule (:mod:`sqfw._text`); line breaks
    and tabs are allowed in values, which may be minutes or answers.

    Raises:
        WorkflowInputError: a value of another type (a ``TypeError``), or text with a
            control, bidi, zero-width or other format character, named by its ``$.path``
            (and code point).
    """
    if value is None:
        return types.MappingProxyType({})
    return _freeze_mapping(value, "$")


def _freeze_mapping(value: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WorkflowInputError(path, "a mapping", type(value).__name__)
    frozen: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise WorkflowInputError(f"{path} keys", "text", type(key).__name__)
        _refuse_unsafe(key, f"{path} (a key)", multiline=False)
        frozen[key] = _freeze_value(item, f"{path}.{key[:40]}")
    return types.MappingProxyType(frozen)


def _refuse_unsafe(text: str, path: str, *, multiline: bool) -> None:
    found = unsafe_character(text, multiline=multiline)
    if found is not None:  # the one text rule (sqfw._text); the text itself is not echoed
        raise WorkflowInputError(
            path,
            "text without control, bidi, zero-width or other format characters",
            found.describe(),
        )


def _freeze_value(value: Any, path: str) -> Any:
    if isinstance(value, str):
        _refuse_unsafe(value, path, multiline=True)
        return value
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Mapping):
        return _freeze_mapping(value, path)
    if isinstance(value, list | tuple):
        return tuple(_freeze_value(v, f"{path}[{i}]") for i, v in enumerate(value))
    raise WorkflowInputError(
        path, "text, an integer, a boolean, None, a list or a mapping", type(value).__name__
    )


def read_only(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of a mapping, for the facts a workflow folds from a trail.

    Facts are remembered and handed out again (see :meth:`~sqfw.workflows.Workflow.facts`),
    so no caller may change them in place.
    """
    return types.MappingProxyType(dict(value))


def thaw(value: Any) -> Any:
    """Plain ``dict``/``list`` copy of frozen event data (for JSON)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def _text(
    limit: int, *, multiline: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidEntityError(
                type(instance).__name__,
                attribute.name,
                value,
                f"non-blank text of at most {limit} characters",
            )
        found = unsafe_character(value, multiline=multiline)
        if found is not None:  # the one text rule; stored text is never rewritten here
            raise UnsafeTextError(
                type(instance).__name__,
                attribute.name,
                found.position,
                found.code_point,
                found.name,
            )

    return check


def _optional_text(
    limit: int, *, multiline: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    check = _text(limit, multiline=multiline)

    def optional(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def _hash_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _HASH.match(value):
        raise InvalidEntityError(
            type(instance).__name__, attribute.name, value, "64 lower-case hex digits (a SHA-256)"
        )


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidEntityError(type(instance).__name__, attribute.name, value, "an integer ≥ 1")


def _to_datetime(value: pendulum.DateTime | _dt.datetime | str) -> pendulum.DateTime:
    return as_datetime(value, argument="AuditEntry.at")


def _no_data() -> Mapping[str, Any]:
    return types.MappingProxyType({})


@attrs.frozen(kw_only=True, slots=False)
class AuditEntry:
    """One accepted event, as the audit trail keeps it; never rewritten.

    Entries are made by :meth:`~sqfw.workflows.Workflow.apply` (see :func:`seal`); the
    hash covers every field but ``mac``, and the time zone of ``at`` (see
    :mod:`sqfw.workflows._chain` for the form).

    Args:
        seq: the entry's position in its trail, 1 for the first (the record's version
            after it).
        event: the event's id, e.g. ``"announce_candidates"``.
        source: the state before.
        target: the state after (the same as ``source`` for a self-transition).
        actor: who did it (a staff account or role, not a person's name).
        at: when (time-zone aware).
        reason: the note or reason given, if any.
        data: the event's data (JSON-plain, frozen).
        prev: the previous entry's hash (64 zeros for the first entry).
        hash: this entry's hash.
        mac: ``key_id:hmac`` of the host that wrote it, if it signs (see
            :class:`~sqfw.workflows.HostKey`).
    """

    seq: int = attrs.field(validator=_positive)
    event: str = attrs.field(validator=_text(TEXT_LIMITS["event"]))
    source: str = attrs.field(validator=_text(TEXT_LIMITS["source"]))
    target: str = attrs.field(validator=_text(TEXT_LIMITS["target"]))
    actor: str = attrs.field(validator=_text(TEXT_LIMITS["actor"]))
    at: pendulum.DateTime = attrs.field(converter=_to_datetime)
    reason: str | None = attrs.field(
        default=None, validator=_optional_text(TEXT_LIMITS["reason"], multiline=True)
    )
    data: Mapping[str, Any] = attrs.field(factory=_no_data, converter=freeze_data)
    prev: str = attrs.field(validator=_hash_text)
    hash: str = attrs.field(validator=_hash_text)
    mac: str | None = attrs.field(default=None, validator=_optional_text(TEXT_LIMITS["mac"]))

    def __attrs_post_init__(self) -> None:
        # The canonical text of the fields, computed once: the entry is frozen, and every
        # check of the chain (verify, the store) hashes this same text.
        at = canonical_time(self.at)
        zone = canonical_zone(self.at)
        body = entry_body(
            self.seq,
            self.event,
            self.source,
            self.target,
            self.actor,
            at,
            self.reason,
            canonical_data(self.data),
            self.prev,
            zone,
        )
        try:
            body.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidEntityError(
                "AuditEntry", "text", exc.object, "valid Unicode (no lone surrogate)"
            ) from None
        object.__setattr__(self, "_at", at)
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_body", body)

    @property
    def at_text(self) -> str:
        """``at`` in the canonical form: UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
        text: str = self.__dict__["_at"]
        return text

    @property
    def zone(self) -> str:
        """The time zone ``at`` was given in, as hashed: an IANA name or ``"+08:00"``
        (:func:`~sqfw.workflows._chain.canonical_zone`)."""
        zone: str = self.__dict__["_zone"]
        return zone

    @property
    def body(self) -> str:
        """The entry's part of the canonical form (everything after the record id)."""
        body: str = self.__dict__["_body"]
        return body

    def __reduce__(self) -> tuple[Callable[..., AuditEntry], tuple[dict[str, Any]]]:
        # Rebuilt through the constructor, so a copy is validated and its text recomputed.
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(AuditEntry)}
        fields["data"] = thaw(self.data)
        return _rebuild_entry, (fields,)


def _rebuild_entry(fields: dict[str, Any]) -> AuditEntry:
    return AuditEntry(**fields)


def seal(
    workflow: str,
    record_id: str,
    *,
    seq: int,
    prev: str,
    event: str,
    source: str,
    target: str,
    actor: str,
    at: pendulum.DateTime,
    reason: str | None,
    data: Mapping[str, Any],
    key: HostKey | None = None,
) -> AuditEntry:
    """Make the next entry of a record's chain: its hash (and mac) computed from its fields."""
    frozen = freeze_data(data)
    body = entry_body(
        seq,
        event,
        source,
        target,
        actor,
        canonical_time(at),
        reason,
        canonical_data(frozen),
        prev,
        canonical_zone(at),
    )
    digest = entry_hash(record_prefix(workflow, record_id), body)
    return AuditEntry(
        seq=seq,
        event=event,
        source=source,
        target=target,
        actor=actor,
        at=at,
        reason=reason,
        data=frozen,
        prev=prev,
        hash=digest,
        mac=None if key is None else key.mac(digest),
    )


def _entries(value: Iterable[AuditEntry]) -> tuple[AuditEntry, ...]:
    expected = "an iterable of AuditEntry"
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidEntityError("WorkflowRecord", "trail", value, expected)
    found = tuple(value)
    for item in found:
        if not isinstance(item, AuditEntry):
            raise InvalidEntityError("WorkflowRecord", "trail", item, expected)
    return found


def _version_matches_trail(
    instance: WorkflowRecord, attribute: attrs.Attribute[Any], value: int
) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidEntityError("WorkflowRecord", "version", value, "an integer ≥ 0")
    if value != len(instance.trail):  # an entry lost or added: the trail is broken
        raise TrailBroken(
            instance.workflow,
            instance.record_id,
            len(instance.trail),
            f"版本号 {value} 与记录条数 {len(instance.trail)} 不符 / version {value}, "
            f"expected {len(instance.trail)} (one per audit entry)",
        )


def _head_matches_trail(
    instance: WorkflowRecord, attribute: attrs.Attribute[Any], value: str
) -> None:
    _hash_text(instance, attribute, value)
    last = instance.trail[-1].hash if instance.trail else GENESIS
    if value != last:
        raise TrailBroken(
            instance.workflow,
            instance.record_id,
            len(instance.trail),
            f"头部哈希不是最后一条记录的哈希 / head {value[:16]}… is not the last entry's "
            f"hash {last[:16]}…",
        )


@attrs.frozen(kw_only=True)
class WorkflowRecord:
    """What a host stores for one case of a workflow.

    Args:
        workflow: the workflow's name (``"election"``, ``"org_filing"``, ``"service_ticket"``).
        record_id: the case's id (an election, an organisation, a ticket).
        state: the current state's id.
        trail: every accepted event, oldest first.
        version: the number of accepted events; a store compares it (with ``head``) to
            refuse a stale writer (optimistic concurrency).
        head: the hash of the last entry (64 zeros for an empty trail); keep it elsewhere
            (publish it, log it) and no later change to the trail goes unnoticed.

    Raises:
        InvalidEntityError: blank ids, a version or head of the wrong form.
        TrailBroken: a version that is not the trail's length (an entry lost or added), or
            a head that is not the last entry's hash. Whether the trail itself holds (hashes, links,
            transitions, times, state) is :meth:`~sqfw.workflows.Workflow.verify`'s to say.
    """

    workflow: str = attrs.field(validator=_text(64))
    record_id: str = attrs.field(validator=_text(64))
    state: str = attrs.field(validator=_text(64))
    trail: tuple[AuditEntry, ...] = attrs.field(default=(), converter=_entries)
    version: int = attrs.field(default=0, validator=_version_matches_trail)
    head: str = attrs.field(default=GENESIS, validator=_head_matches_trail)

    @property
    def last(self) -> AuditEntry | None:
        """The most recent audit entry, if any."""
        return self.trail[-1] if self.trail else None
