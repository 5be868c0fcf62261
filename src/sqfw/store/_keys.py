"""A host's keys in a file: what ``sqfw assess --keys FILE`` reads.

A host key (:class:`~sqfw.workflows.HostKey`) is a shared secret: the host signs each
entry with it and checks the signatures with the same secret, so the file that holds it
must stay where only the host reads it (like a database password). The file is TOML::

    # the keys whose signatures the stored entries carry (keep this file private)
    [[keys]]
    key_id = "county-a-2024"
    secret_hex = "8f0c5e1d2a7b9c3e4f6a8b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6"

    [[keys]]                 # a rotated key, still needed for the entries it signed
    key_id = "county-a-2023"
    secret = "a secret of at least 16 bytes"

Each ``[[keys]]`` table has a ``key_id`` (1–64 characters without ``:``) and exactly one
of ``secret_hex`` (the secret's bytes in hexadecimal) or ``secret`` (text, taken as
UTF-8), at least 16 bytes either way; no other field, no ``key_id`` twice.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqfw._args import existing_file
from sqfw.errors import DocumentError, InvalidArgumentError, Problem, show_value
from sqfw.workflows import HostKey

__all__ = ["load_host_keys"]

_FIELDS = frozenset({"key_id", "secret", "secret_hex"})


def load_host_keys(path: str | Path) -> tuple[HostKey, ...]:
    """Read a host's keys from a TOML file (the format of :mod:`sqfw.store._keys`).

    Args:
        path: the file.

    Returns:
        The keys, in the file's order: pass them to
        :class:`SqlStore(keys=...) <sqfw.store.SqlStore>`.

    Raises:
        MissingFileError: no such file.
        DocumentError: the file cannot be read, is not TOML, or breaks the format; every
            problem with its ``$.keys[i].field`` path. A secret is never shown, only
            what is wrong with it.

    .. versionadded:: 0.1.0
    """
    file = existing_file("path", path)
    source = str(file)
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # the parser's message may quote a line of the file: only its kind is kept
        problem = Problem("$", f"cannot be read as UTF-8 TOML ({type(exc).__name__})")
        raise DocumentError([problem], source=source) from None
    problems: list[Problem] = []
    keys: list[HostKey] = []
    stray = sorted(set(document) - {"keys"})
    if stray:
        problems.append(Problem("$", f"expected only [[keys]] tables, got {stray}"[:300]))
    tables = document.get("keys")
    if not isinstance(tables, list) or not tables:
        problems.append(Problem("$.keys", "expected one or more [[keys]] tables"))
        tables = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        where = f"$.keys[{index}]"
        key = _key(table, where, problems)
        if key is None:
            continue
        if key.key_id in seen:
            problems.append(Problem(f"{where}.key_id", f"{key.key_id!r} given twice"))
            continue
        seen.add(key.key_id)
        keys.append(key)
    if problems:
        raise DocumentError(problems, source=source)
    return tuple(keys)


def _key(table: Any, where: str, problems: list[Problem]) -> HostKey | None:
    if not isinstance(table, dict):
        problems.append(Problem(where, "expected a table with key_id and a secret"))
        return None
    stray = sorted(set(table) - _FIELDS)
    if stray:
        problems.append(Problem(where, f"unknown fields {stray}; expected {sorted(_FIELDS)}"))
        return None
    given = [name for name in ("secret", "secret_hex") if name in table]
    if len(given) != 1:
        problems.append(Problem(where, "expected exactly one of secret and secret_hex"))
        return None
    secret: Any = table[given[0]]
    if given[0] == "secret_hex":
        try:
            secret = bytes.fromhex(secret) if isinstance(secret, str) else None
        except ValueError:
            secret = None
        if secret is None:
            problems.append(Problem(f"{where}.secret_hex", "expected hexadecimal digits"))
            return None
    try:
        key_id: Any = table.get("key_id")  # HostKey refuses what is not a key id
        return HostKey(key_id=key_id, secret=secret)
    except InvalidArgumentError as exc:
        # HostKey's message names the field and never the secret itself
        field = exc.argument.rsplit(".", 1)[-1]
        if field == "secret":
            field = given[0]
        got = show_value(exc.value)  # for a secret, only its length or type (see HostKey)
        problems.append(Problem(f"{where}.{field}", f"expected {exc.expected}, got {got}"))
        return None
