"""The chain format: the canonical form of an audit entry and its SHA-256 hash.

Every audit entry names the hash of the entry before it and carries its own hash, taken
over a canonical encoding of everything it says. Changing, inserting, deleting,
reordering or duplicating an entry therefore breaks a link that anyone can recompute,
in any language, from the fields alone.

The canonical form (version ``sqfw-audit-2``) of one entry is a JSON array, written in
UTF-8 without any whitespace::

    ["sqfw-audit-2", workflow, record_id, seq, event, source, target, actor, at, reason,
     data, prev, zone]

- ``workflow``, ``record_id``, ``event``, ``source``, ``target``, ``actor``: JSON strings;
- ``seq``: the entry's position, a JSON integer (1 for the first entry);
- ``at``: the instant in UTC as a JSON string of fixed width,
  ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (microseconds always written), so that text order is
  time order;
- ``reason``: a JSON string, or ``null``;
- ``data``: a JSON object; keys sorted by Unicode code point; values are strings,
  integers, ``true``/``false``/``null``, arrays and objects (never floats);
- ``prev``: the previous entry's hash; the first entry names :data:`GENESIS`;
- ``zone``: the time zone ``at`` was given in, a JSON string (:func:`canonical_zone`:
  an IANA name such as ``"Asia/Shanghai"``, or a fixed offset ``"+08:00"``).

Entries sealed before the zone was hashed use the form ``sqfw-audit-1``: the same array
without its last element, ``zone``, and named ``"sqfw-audit-1"``. They still verify (an
entry verifies when its hash is that of either form), but their zone is not covered by
their hash; every new entry is sealed in ``sqfw-audit-2``.

Strings are escaped minimally: ``"`` as ``\\"``, ``\\`` as ``\\\\``, the control
characters U+0008, U+0009, U+000A, U+000C, U+000D as ``\\b \\t \\n \\f \\r``, every other
character below U+0020 as ``\\u00xx`` (lower-case hex); everything else, Chinese
included, is written as itself. The entry's hash is the lower-case hex SHA-256 of those
bytes. A record's ``head`` is the hash of its last entry (:data:`GENESIS` when empty).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any, Final

import attrs

from sqfw.errors import InvalidArgumentError

__all__ = [
    "CHAIN_FORMAT",
    "GENESIS",
    "LEGACY_FORMAT",
    "HostKey",
    "canonical_data",
    "canonical_time",
    "canonical_zone",
    "entry_body",
    "entry_hash",
    "hash_matches",
    "legacy_body",
    "signed_by",
]

CHAIN_FORMAT: Final = "sqfw-audit-2"
"""The name of the canonical form new entries are sealed in, its first element."""

LEGACY_FORMAT: Final = "sqfw-audit-1"
"""The name of the earlier form (without ``zone``), which entries sealed in it keep."""

GENESIS: Final = "0" * 64
"""The ``prev`` of a first entry and the ``head`` of a record with an empty trail."""

_UTC: Final = _dt.UTC
_DATA: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
).encode


def canonical_time(at: _dt.datetime) -> str:
    """The canonical text of an instant: UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.

    Raises:
        ValueError: a naive date-time.
    """
    offset = _dt.datetime.utcoffset(at)
    if offset is None:
        raise ValueError(f"expected a time-zone aware date-time, got {at!r}")
    # stdlib arithmetic on a plain datetime: exact, and free of any subclass's overrides
    u = (
        _dt.datetime(at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond)
        - offset
    )
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:"
        f"{u.second:02d}.{u.microsecond:06d}Z"
    )


def canonical_zone(at: _dt.datetime) -> str:
    """The text of the time zone an instant was given in: its IANA name when it has one
    (``"Asia/Shanghai"``, ``"UTC"``), otherwise its fixed offset, ``"+08:00"``.

    Raises:
        ValueError: a naive date-time.
    """
    name = getattr(at.tzinfo, "name", None)
    if isinstance(name, str) and name:
        return name
    offset = _dt.datetime.utcoffset(at)
    if offset is None:
        raise ValueError(f"expected a time-zone aware date-time, got {at!r}")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def canonical_data(data: Mapping[str, Any]) -> str:
    """The canonical JSON text of an entry's (frozen or plain) data."""
    if not data:
        return "{}"
    return _DATA(_plain(data))


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value that is plain already (``dict``, ``list``, text,
    integers ...; e.g. as ``json.loads`` returns it): what :func:`canonical_data` writes."""
    return _DATA(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def entry_body(
    seq: int,
    event: str,
    source: str,
    target: str,
    actor: str,
    at: str,
    reason: str | None,
    data: str,
    prev: str,
    zone: str,
) -> str:
    """The part of the canonical form an entry owns (everything after ``record_id``).

    ``at``, ``data`` and ``zone`` are already canonical text (:func:`canonical_time`,
    :func:`canonical_data`, :func:`canonical_zone`), as a store keeps them; every path
    that hashes an entry (sealing, :func:`verify`, the bulk validator, the store) goes
    through here.
    """
    why = "null" if reason is None else encode_basestring(reason)
    return (
        f"{seq},{encode_basestring(event)},{encode_basestring(source)},"
        f"{encode_basestring(target)},{encode_basestring(actor)},{encode_basestring(at)},"
        f"{why},{data},{encode_basestring(prev)},{encode_basestring(zone)}]"
    )


def legacy_body(body: str, zone: str) -> str:
    """The ``sqfw-audit-1`` body of an entry: its :func:`entry_body` without ``zone``."""
    return body[: len(body) - len(encode_basestring(zone)) - 2] + "]"


def record_prefix(workflow: str, record_id: str, chain_format: str = CHAIN_FORMAT) -> str:
    """The part of the canonical form shared by every entry of one record."""
    return (
        f"[{encode_basestring(chain_format)},{encode_basestring(workflow)},"
        f"{encode_basestring(record_id)},"
    )


def entry_hash(prefix: str, body: str) -> str:
    """The lower-case hex SHA-256 of the canonical form ``prefix + body``."""
    return hashlib.sha256((prefix + body).encode("utf-8")).hexdigest()


def hash_matches(prefix: str, legacy: str, body: str, zone: str, digest: str) -> bool:
    """Whether ``digest`` is the hash of the entry in the current form or, for an entry
    sealed before ``zone`` was hashed, in :data:`LEGACY_FORMAT`.

    Args:
        prefix: :func:`record_prefix` of the record.
        legacy: :func:`record_prefix` of the record in :data:`LEGACY_FORMAT`.
        body: :func:`entry_body` of the entry.
        zone: the entry's zone text, as in ``body``.
        digest: the hash the entry carries.
    """
    if entry_hash(prefix, body) == digest:
        return True
    return entry_hash(legacy, legacy_body(body, zone)) == digest


def signed_by(keys: Mapping[str, HostKey], digest: str, mac: str | None) -> bool:
    """Whether ``mac`` is a valid mac of the entry hash ``digest`` by one of ``keys``
    (by ``key_id``)."""
    if not mac or ":" not in mac:
        return False
    key = keys.get(mac.split(":", 1)[0])
    return key is not None and key.check(digest, mac)


def _secret(value: bytes | str) -> bytes:
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes) or len(value) < 16:
        # the secret itself is never echoed: only its type, or its length
        shown = f"{len(value)} bytes" if isinstance(value, bytes) else type(value).__name__
        raise InvalidArgumentError("HostKey.secret", shown, "at least 16 bytes (or text)")
    return value


@attrs.frozen(kw_only=True)
class HostKey:
    """A host's secret key, to prove which host wrote an entry (optional).

    The chain alone proves that nothing changed after a head was kept elsewhere; it does
    not say who wrote an entry, since anyone can compute a SHA-256. A host that holds a
    key adds ``mac = key_id + ":" + HMAC-SHA256(secret, hash)`` to each entry it writes;
    whoever holds the same key can check it (:meth:`check`). The mac is not part of the
    hashed form: the chain stays verifiable by anyone, the mac only by key holders.

    Args:
        key_id: a short public name of the key (e.g. ``"county-a-2024"``).
        secret: at least 16 bytes (or text, taken as UTF-8), never stored with records.
    """

    key_id: str = attrs.field()
    secret: bytes = attrs.field(converter=_secret, repr=False)

    @key_id.validator
    def _check_key_id(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value or ":" in value or len(value) > 64:
            raise InvalidArgumentError("HostKey.key_id", value, "1–64 characters without ':'")

    def mac(self, entry_hash: str) -> str:
        """The mac of an entry with this hash: ``key_id:hex``."""
        digest = hmac.new(self.secret, entry_hash.encode("ascii"), hashlib.sha256).hexdigest()
        return f"{self.key_id}:{digest}"

    def check(self, entry_hash: str, mac: str | None) -> bool:
        """Whether ``mac`` is this key's mac of the entry (constant-time compare)."""
        return mac is not None and hmac.compare_digest(self.mac(entry_hash), mac)
