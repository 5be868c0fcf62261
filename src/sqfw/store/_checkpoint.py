"""A signed checkpoint of every record's head, kept outside the database.

The chain and the host's signatures find an entry that was changed or forged, but not a
trail cut short: someone with the database owner's rights can drop the triggers, delete a
record's last entries and move its row back, and what is left still verifies (every
remaining entry is genuine and signed). Whoever can also compute hashes can rewrite a
trail from some entry on and re-seal it; only the signatures find that, and only where
the host signs. A checkpoint closes both: the version and head of every record at one
moment, signed with a host key and kept where the database's users cannot write (a log
server, a file sent to the county, a printed page). A later
:meth:`SqlStore.check_checkpoint <sqfw.store.SqlStore.check_checkpoint>` finds every
record that is gone, behind its checkpointed version, or whose entry at that version is
no longer the checkpointed one.

The text of a checkpoint (:meth:`HeadsCheckpoint.dumps`) is JSON::

    {"format":"sqfw-heads-1","at":"2024-03-01T01:00:00.000000Z",
     "heads":[[workflow, record_id, version, head], ...],"mac":"key_id:hex"}

with ``heads`` sorted; the mac is the host key's HMAC (:class:`~sqfw.workflows.HostKey`)
of the SHA-256 of the same JSON without ``"mac"``, written without whitespace.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import pendulum

from sqfw.errors import StoreError
from sqfw.workflows import HostKey
from sqfw.workflows._chain import canonical_time

__all__ = ["CHECKPOINT_FORMAT", "HeadsCheckpoint"]

CHECKPOINT_FORMAT: Final = "sqfw-heads-1"
"""The name of a checkpoint's text form."""

Head = tuple[str, str, int, str]
"""``(workflow, record_id, version, head)``."""


def _text(at: str, heads: Iterable[Head]) -> str:
    body = {"format": CHECKPOINT_FORMAT, "at": at, "heads": [list(h) for h in heads]}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _digest(at: str, heads: Iterable[Head]) -> str:
    return hashlib.sha256(_text(at, heads).encode("utf-8")).hexdigest()


@attrs.frozen(kw_only=True)
class HeadsCheckpoint:
    """Every record's version and head at one moment, signed with a host key.

    Made by :meth:`SqlStore.checkpoint <sqfw.store.SqlStore.checkpoint>`; kept outside
    the database (:meth:`dumps`); checked by :meth:`SqlStore.check_checkpoint
    <sqfw.store.SqlStore.check_checkpoint>`.

    Attributes:
        at: when it was taken (canonical UTC text).
        heads: ``(workflow, record_id, version, head)`` of every record, sorted.
        mac: ``key_id:hex``, the host key's signature of the rest.

    .. versionadded:: 0.1.0
    """

    at: str
    heads: tuple[Head, ...]
    mac: str

    @classmethod
    def sign(cls, heads: Iterable[Head], *, key: HostKey, at: pendulum.DateTime) -> HeadsCheckpoint:
        """A checkpoint of ``heads`` taken ``at``, signed with ``key``."""
        ordered = tuple(sorted(heads))
        when = canonical_time(at)
        return cls(at=when, heads=ordered, mac=key.mac(_digest(when, ordered)))

    @property
    def key_id(self) -> str:
        """The id of the key that signed it."""
        return self.mac.split(":", 1)[0]

    def signed_by(self, keys: Mapping[str, HostKey]) -> bool:
        """Whether one of ``keys`` (by ``key_id``) signed exactly this checkpoint."""
        key = keys.get(self.key_id)
        return key is not None and key.check(_digest(self.at, self.heads), self.mac)

    def dumps(self) -> str:
        """The checkpoint as JSON text, to keep outside the database."""
        body = json.loads(_text(self.at, self.heads))
        body["mac"] = self.mac
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> HeadsCheckpoint:
        """A checkpoint from its text (:meth:`dumps`); its signature is checked when it is
        used (:meth:`signed_by`).

        Raises:
            StoreError: text that is not a checkpoint, naming what is wrong (never its
                content).
        """
        try:
            body: Any = json.loads(text)
        except (ValueError, RecursionError):
            raise StoreError("checkpoint: expected JSON text, got text that is not JSON") from None
        if not isinstance(body, dict) or body.get("format") != CHECKPOINT_FORMAT:
            raise StoreError(f"checkpoint: expected an object with format {CHECKPOINT_FORMAT!r}")
        at, heads, mac = body.get("at"), body.get("heads"), body.get("mac")
        if not isinstance(at, str) or not isinstance(mac, str) or not isinstance(heads, list):
            raise StoreError("checkpoint: expected text 'at' and 'mac' and a list 'heads'")
        found: list[Head] = []
        for index, head in enumerate(heads):
            if not (
                isinstance(head, list)
                and len(head) == 4
                and isinstance(head[0], str)
                and isinstance(head[1], str)
                and isinstance(head[2], int)
                and not isinstance(head[2], bool)
                and isinstance(head[3], str)
            ):
                raise StoreError(
                    f"checkpoint: heads[{index}]: expected [workflow, record_id, version, head]"
                )
            found.append((head[0], head[1], head[2], head[3]))
        return cls(at=at, heads=tuple(found), mac=mac)
