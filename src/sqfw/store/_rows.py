"""What a stored entry's columns must hold before the store uses them.

A store reads what anyone with access to the database wrote, so each column of an entry
is checked for its type, its encoding and its bounds before it is hashed or decoded: the
same check for :meth:`SqlStore.load`, :meth:`SqlStore.records` and
:meth:`SqlStore.verify_all`, so that what one accepts the others accept too. A value that
fails is reported by column and entry, never shown (it may be anything).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pendulum

from sqfw._text import unsafe_character
from sqfw.limits import MAX_DEPTH, MAX_YEAR, MIN_YEAR
from sqfw.workflows._chain import canonical_json
from sqfw.workflows._records import TEXT_LIMITS

__all__ = [
    "ENTRY_COLUMNS",
    "entry_problem",
    "index_problem",
    "printable",
    "record_problem",
    "undecodable",
]

ENTRY_COLUMNS: Final = (
    "record_id",
    "seq",
    "event",
    "source",
    "target",
    "actor",
    "at",
    "zone",
    "reason",
    "data",
    "prev",
    "hash",
    "mac",
)
"""The entry columns the checks read, in the order :func:`entry_problem` takes them."""

_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_HASH = re.compile(r"[0-9a-f]{64}")
_OFFSET = re.compile(r"[+-]\d\d:\d\d")
_FIRST_YEAR, _LAST_YEAR = f"{MIN_YEAR:04d}", f"{MAX_YEAR:04d}"

# (zh, en) of what went wrong with a column; the column's name is added by the caller
_NOT_TEXT = ("不是文本", "is not text")
_NOT_UTF8 = ("不是有效的 UTF-8 文本", "is not valid UTF-8 text")


def undecodable(text: str) -> bool:
    """Whether ``text`` came from bytes that are not UTF-8 (read with surrogateescape)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(text: object) -> str:
    """An id read from the database as a message may name it (undecodable bytes escaped)."""
    if not isinstance(text, str):
        return repr(text)[:64]
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")[:64]


def _text(
    value: object, limit: int, *, blank: bool = False, multiline: bool = False
) -> tuple[str, str] | None:
    if type(value) is not str:
        return _NOT_TEXT
    if len(value) > limit:
        return (f"超过 {limit} 个字符", f"is longer than {limit} characters")
    if not blank and (not value or value.isspace()):
        return ("为空", "is blank")
    if undecodable(value):
        return _NOT_UTF8
    return _unsafe(value, multiline=multiline)


def _unsafe(text: str, *, multiline: bool) -> tuple[str, str] | None:
    """The text rule (:mod:`sqfw._text`) as a stored column's problem (the text unshown)."""
    found = unsafe_character(text, multiline=multiline)
    if found is None:
        return None
    return (
        f"第 {found.position} 个字符是{found.kind_zh}({found.code_point})",
        f"holds {found.describe()}",
    )


def _unsafe_in(value: Any) -> tuple[str, str] | None:
    """The text rule over decoded event data: keys on one line, text values free text."""
    if isinstance(value, str):
        return _unsafe(value, multiline=True)
    items: Any = ()
    if isinstance(value, dict):
        for key in value:
            found = _unsafe(key, multiline=False)
            if found is not None:
                return found
        items = value.values()
    elif isinstance(value, list):
        items = value
    for item in items:
        found = _unsafe_in(item)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=256)
def _zone_known(zone: str) -> bool:
    if _OFFSET.fullmatch(zone):
        return int(zone[1:3]) < 24 and int(zone[4:6]) < 60
    try:
        pendulum.timezone(zone)
    except (ValueError, LookupError, OSError):
        return False
    return True


def _refuse_number(text: str) -> Any:
    raise ValueError("a number that is not an integer")


_DECODE: Final = json.JSONDecoder(parse_float=_refuse_number, parse_constant=_refuse_number).decode


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a decoded value (counted without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        stack.extend((child, depth + 1) for child in children)
    return deepest


def data_problem(text: object) -> tuple[str, str] | None:
    """What is wrong with a stored ``data`` text, if anything: it must be the canonical
    JSON of an object (:func:`~sqfw.workflows._chain.canonical_data`) without floats,
    nested at most :data:`~sqfw.limits.MAX_DEPTH` deep."""
    if text == "{}":
        return None
    if type(text) is not str:
        return _NOT_TEXT
    if len(text) <= 200:  # short data repeats (a year, a decision): decided once each
        return _short_data_problem(text)
    return _data_problem(text)


def _data_problem(text: str) -> tuple[str, str] | None:
    if undecodable(text):
        return _NOT_UTF8
    try:
        value = _DECODE(text)
    except RecursionError:
        return (f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")
    except ValueError:
        return ("不是整数与文本构成的 JSON", "is not JSON of text, integers and the like")
    if type(value) is not dict:
        return ("不是 JSON 对象", "is not a JSON object")
    if (text.count("{") + text.count("[") > MAX_DEPTH) and _depth(value) > MAX_DEPTH:
        return (f"嵌套超过 {MAX_DEPTH} 层", f"nests deeper than {MAX_DEPTH} levels")
    # what json decodes is plain already: the canonical encoder applies as it is
    if canonical_json(value) != text:
        return ("不是规范形式", "is not in canonical form")
    if text.isascii() and text.isprintable() and "\\" not in text:
        return None  # printable ASCII without an escape holds no character the rule refuses
    return _unsafe_in(value)


_short_data_problem: Final = functools.lru_cache(maxsize=4096)(_data_problem)


def _at_problem(value: object) -> tuple[str, str] | None:
    if type(value) is not str or not _AT.fullmatch(value):
        return ("不是规范的 UTC 时间", "is not a canonical UTC time")
    if not _FIRST_YEAR <= value[:4] <= _LAST_YEAR:  # four digits: text order is number order
        return (
            f"年份不在 {MIN_YEAR}–{MAX_YEAR} 之间",
            f"has a year outside {MIN_YEAR}–{MAX_YEAR}",
        )
    return None


_NOT_HASH = ("不是 64 位小写十六进制哈希", "is not 64 lower-case hex digits")


def _hash_problem(value: object) -> tuple[str, str] | None:
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        return _NOT_HASH
    return None


_EVENT, _SOURCE, _TARGET, _ACTOR, _REASON, _MAC = (
    TEXT_LIMITS[name] for name in ("event", "source", "target", "actor", "reason", "mac")
)


def entry_problem(values: Sequence[Any]) -> tuple[str, str, str] | None:
    """The first column of a stored entry that cannot be used, as ``(column, zh, en)``.

    Args:
        values: the entry's columns in the order of :data:`ENTRY_COLUMNS`.
    """
    record_id, seq, event, source, target, actor, at, zone, why, data, prev, digest, mac = values
    if type(seq) is not int or seq < 1:
        return ("seq", "不是正整数", "is not a positive integer")
    for column, value, limit in (
        ("record_id", record_id, 64),
        ("event", event, _EVENT),
        ("source", source, _SOURCE),
        ("target", target, _TARGET),
        ("actor", actor, _ACTOR),
        ("zone", zone, 64),
    ):
        found = _text(value, limit)
        if found is not None:
            return (column, *found)
    found = _at_problem(at)
    if found is not None:
        return ("at", *found)
    if why is not None:
        found = _text(why, _REASON, multiline=True)
        if found is not None:
            return ("reason", *found)
    if mac is not None:
        found = _text(mac, _MAC)
        if found is not None:
            return ("mac", *found)
    if type(prev) is not str or not _HASH.fullmatch(prev):
        return ("prev", *_NOT_HASH)
    if type(digest) is not str or not _HASH.fullmatch(digest):
        return ("hash", *_NOT_HASH)
    if not _zone_known(zone):
        return ("zone", "不是已知的时区", "is not a known time zone")
    found = data_problem(data)
    if found is not None:
        return ("data", *found)
    return None


def record_problem(row: Mapping[Any, Any]) -> tuple[str, str, str] | None:
    """The first column of a stored record row that cannot be used (``state``,
    ``version``, ``head``), as ``(column, zh, en)``."""
    found = _text(row["record_id"], 64)
    if found is not None:
        return ("record_id", *found)
    found = _text(row["state"], 64)
    if found is not None:
        return ("state", *found)
    version = row["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        return ("version", "不是非负整数", "is not a non-negative integer")
    found = _hash_problem(row["head"])
    if found is not None:
        return ("head", *found)
    return None


_OFFICES_LIMIT: Final = 4000
"""The longest ``offices`` column a store reads: ``|code|code|…|``, the back offices that
hold a record, each code a stored name of at most 64 characters."""


def _index_text_problem(column: str, value: object) -> tuple[str, str, str] | None:
    """The ``offices`` and ``topic`` columns: text (``topic`` may be missing), bounded, on
    one line; ``offices`` is empty or ``|``-framed."""
    if column == "topic":
        if value is None:
            return None
        found = _text(value, 64)
    else:
        found = _text(value, _OFFICES_LIMIT, blank=True)
        if found is None and value and not (value[0] == value[-1] == "|"):  # type: ignore[index]
            found = ("不是以 | 分隔的办公室代码", "is not office codes between '|'")
    return None if found is None else (column, *found)


def index_problem(row: Mapping[Any, Any]) -> tuple[str, str, str] | None:
    """The first column of a record row's work-list index that cannot be used, as
    ``(column, zh, en)``: what :meth:`SqlStore.find` and :meth:`SqlStore.work_list` read
    besides the columns :func:`record_problem` checks (``workflow``, ``updated_at``,
    ``due``, ``due_estimated``, ``offices``, ``topic``), each only when ``row`` holds it.
    """
    if "workflow" in row:
        found = _text(row["workflow"], 64)
        if found is not None:
            return ("workflow", *found)
    for column in ("updated_at", "due"):
        if column in row and row[column] is not None:
            found = _at_problem(row[column])
            if found is not None:
                return (column, *found)
    if "due_estimated" in row and type(row["due_estimated"]) is not bool:
        return ("due_estimated", "不是布尔值", "is not a boolean")
    for column in ("offices", "topic"):
        if column in row:
            problem = _index_text_problem(column, row[column])
            if problem is not None:
                return problem
    return None
