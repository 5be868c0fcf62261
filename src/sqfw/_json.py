"""Reading JSON text within the limits of :mod:`sqfw.limits`, every refusal with its place.

The standard library's parser accepts things a document must not hold, or fails on them
with an exception of its own: duplicate keys (the last would win), ``NaN`` and
``Infinity``, numbers of thousands of digits, lone surrogates (``"\\ud800"``, which no
UTF-8 file can hold, so the document could not be written back), nesting deep enough to
exhaust the stack. :func:`parse_json` and :func:`limit_problems` refuse each as a
:class:`~sqfw.errors.DocumentError` problem with its ``$.path``; invalid UTF-8 is refused
with the offset of the first bad byte.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Final

from sqfw.errors import DocumentError, Problem, shorten
from sqfw.limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_NUMBER_DIGITS, MAX_STRING_CHARS

__all__ = ["BOM", "DECODER", "limit_problems", "parse_json", "size_problem"]

_SURROGATE: Final = re.compile("[\ud800-\udfff]")
BOM: Final = "\ufeff"
"""A byte-order mark, allowed before a document."""


class _Refused:
    """What the parser met where a value should be; reported with its path by the walk."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Object(dict[str, Any]):
    """An object whose text repeated a key (the walk reports each repeated key)."""

    __slots__ = ("repeated",)
    repeated: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    repeated = _Object(found)
    seen: set[str] = set()
    again: set[str] = set()
    for key, _ in pairs:
        (again if key in seen else seen).add(key)
    repeated.repeated = sorted(again)
    return repeated


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _integer(text: str) -> int | _Refused:
    if len(text) > MAX_NUMBER_DIGITS and _digits(text) > MAX_NUMBER_DIGITS:
        return _Refused(f"a number of at most {MAX_NUMBER_DIGITS} digits, got {len(text):,}")
    return int(text)


def _number(text: str) -> Decimal | _Refused:
    if len(text) > MAX_NUMBER_DIGITS and _digits(text) > MAX_NUMBER_DIGITS:
        return _Refused(f"a number of at most {MAX_NUMBER_DIGITS} digits, got {_digits(text):,}")
    return Decimal(text)


def _constant(text: str) -> _Refused:
    return _Refused(f"a JSON number, got {text} (not part of JSON)")


DECODER: Final = json.JSONDecoder(
    parse_float=_number,
    parse_int=_integer,
    parse_constant=_constant,
    object_pairs_hook=_object,
)
"""How a document's values are parsed (exact decimals, markers for what is refused)."""


def size_problem(size: int) -> str | None:
    """What is wrong with a document of ``size`` bytes (``None``: nothing)."""
    if size > MAX_DOCUMENT_BYTES:
        return f"a document of at most {MAX_DOCUMENT_BYTES:,} bytes, got {size:,}"
    return None


def parse_json(text: str | bytes, *, source: str | None = None) -> object:
    """Parse JSON text (numbers with a fraction as exact :class:`~decimal.Decimal`).

    What a document may not hold is left in the data as a marker that
    :func:`limit_problems` reports with its path; always call both.

    Args:
        text: the text, or UTF-8 bytes (a byte-order mark is allowed).
        source: where the text came from, for the error.

    Raises:
        DocumentError: the text is not UTF-8 or not JSON, is larger than
            :data:`~sqfw.limits.MAX_DOCUMENT_BYTES`, or nests too deep for the parser.
    """

    def refuse(message: str) -> DocumentError:
        return DocumentError([Problem("$", message)], source=source)

    if not isinstance(text, str | bytes | bytearray):
        raise refuse(f"expected JSON text, got {type(text).__name__}")
    if (too_large := size_problem(len(text))) is not None:
        raise refuse(too_large)
    if not isinstance(text, str):
        raw = bytes(text)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 4].hex(" ").upper()
            raise refuse(
                f"not UTF-8 text: byte offset {exc.start:,} ({bad}…): {exc.reason}"
            ) from None
    try:
        data = DECODER.decode(text.removeprefix(BOM))
    except json.JSONDecodeError as exc:
        raise refuse(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise refuse(f"nesting of at most {MAX_DEPTH} arrays and objects") from None
    return data


def limit_problems(data: object, at: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every limit the data breaks, with its path (see :func:`parse_json`).

    Args:
        data: parsed data.
        at: where the data is in its document (``("communities", 3)``: an item read on
            its own); paths and nesting depth count from there.
    """
    where: _Where = None
    for step in at:
        where = (where, step)
    return list(_problems(data, where, len(at)))


_Where = tuple[Any, str | int] | None
"""_Where a value is, as a chain (parent's place, key or index); ``None`` is ``$``."""


def _path(where: _Where, suffix: str = "") -> str:
    """The ``$.path`` of a place, built only for a value that is refused."""
    steps: list[str | int] = []
    while where is not None:
        where, step = where
        steps.append(step)
    named = "".join(f"[{s}]" if isinstance(s, int) else f".{shorten(s)}" for s in reversed(steps))
    return f"${named}{suffix}"


def _problems(data: object, where: _Where = None, depth: int = 0) -> Iterator[Problem]:
    """Every limit the parsed data breaks, with its path, in document order.

    A value's place is kept as a chain of (parent, key) pairs and written out as a path
    only when something there is refused, so a big document costs one look at each value
    (a national region document has millions).
    """
    stack: list[tuple[object, _Where, int]] = [(data, where, depth)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            yield from _text_problems(value, where)
            continue
        if isinstance(value, _Refused):
            yield Problem(_path(where), f"expected {value.message}")
            continue
        if depth >= MAX_DEPTH:
            yield Problem(_path(where), f"nesting of at most {MAX_DEPTH} arrays and objects")
            continue
        items: Iterable[tuple[str | int, object]]
        if isinstance(value, dict):
            if isinstance(value, _Object):
                for key in value.repeated:
                    yield Problem(_path(where), f"duplicate key {shorten(repr(key))}")
            for key in value:
                if not key.isascii() or len(key) > MAX_STRING_CHARS:
                    yield from _text_problems(key, where, " (a key)")
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        pending: list[tuple[object, _Where, int]] = []
        deeper = depth + 1
        for step, item in items:
            # inline for speed: a string that breaks no limit is not looked at again
            if type(item) is str:
                if len(item) > MAX_STRING_CHARS or (not item.isascii() and _SURROGATE.search(item)):
                    pending.append((item, (where, step), deeper))
            elif isinstance(item, _WALKED):
                pending.append((item, (where, step), deeper))
        stack.extend(reversed(pending))


_WALKED: Final = (dict, list, str, _Refused)
"""What the walk looks into: containers, strings (a subclass of str too) and markers."""


def _text_problems(text: str, where: _Where, suffix: str = "") -> Iterator[Problem]:
    if len(text) > MAX_STRING_CHARS:
        yield Problem(
            _path(where, suffix),
            f"a string of at most {MAX_STRING_CHARS:,} characters, got {len(text):,}",
        )
    elif not text.isascii() and (found := _SURROGATE.search(text)):
        yield Problem(
            _path(where, suffix),
            f"text without lone surrogates, got U+{ord(found.group()):04X} at character "
            f"{found.start():,} (no UTF-8 file can hold it)",
        )
