"""Reading cells: one strict reader per kind of column, and a bulk reader of whole columns.

Each reader takes the cell's text (stripped) and returns the column value, or refuses it
with a message saying what was expected and what came. :func:`parse_column` reads a
column of a national table at once and gives, cell by cell, what the strict reader gives:
the values, and the (row, message) of every cell refused.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqfw._cells import original_text
from sqfw._text import clean_column
from sqfw.analysis._dataset import COMMUNITY_KINDS, NAN, UNKNOWN
from sqfw.calculators import NUMBER_RULES
from sqfw.entities import CommunityKind, DivisionLevel
from sqfw.entities.divisions import code_pattern, division_level
from sqfw.errors import show_value
from sqfw.limits import MAX_NAME_CHARS

__all__ = [
    "NAME_LIMIT",
    "READERS",
    "BadCell",
    "cell_text",
    "overlong",
    "parse_column",
    "read_name",
    "restore_column",
]


class _BadCell(ValueError):
    """A cell that cannot be read; the message says what was expected.

    Never reaches a caller: :func:`parse_column` turns it into a row's problem.
    """


BadCell = _BadCell
"""The strict readers' refusal, for the bulk readers of :mod:`.arrow`."""


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: blank for empty, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "达标", "直选"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未达标"}

_NUMBER = re.compile(
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?"
)
"""A number as tables write it: commas only between groups of three digits (``1,200``),
a point for decimals (``450.5``). A decimal comma (``1,5``) matches nothing: it is refused,
never read as ``15``."""

_FLOAT_DIGITS = 15
"""Significant digits a table's number may have: what a binary float carries exactly."""


def _read_number(value: str, kind: str) -> float:
    """A number in the range of the model's rule for ``kind``; ``NaN`` for a blank cell.

    ``1,200``, ``1e3`` and ``450.5`` are read; ``1,5`` (a decimal comma), more than 15
    significant digits (beyond a float's exact range) or a value out of the rule's range
    (:data:`~sqfw.calculators.NUMBER_RULES`, the range the entity allows) are refused.
    """
    if not value:
        return NAN
    rule = NUMBER_RULES[kind]
    if value.isascii() and len(value) <= _FLOAT_DIGITS + 1:
        # digits, or digits.digits: at most 15 significant digits, which a float holds
        # exactly enough that it is whole, and within the rule's whole-number bounds,
        # exactly when the written number is
        whole, point, fraction = value.partition(".")
        digits = len(whole) + len(fraction)
        if digits <= _FLOAT_DIGITS and whole.isdigit() and (not point or fraction.isdigit()):
            number = float(value)
            if not rule.allows(number):
                raise _BadCell(f"expected {rule.expected}, got {_shown(value)}")
            return number
    if len(value) > 2 * _FLOAT_DIGITS or not _NUMBER.fullmatch(value):
        hint = " (decimals take a point: 1.5)" if "," in value else ""
        raise _BadCell(f"expected {rule.expected}{hint}, got {_shown(value)}")
    number_text = value.replace(",", "")
    exact = Decimal(number_text)
    if len(exact.normalize().as_tuple().digits) > _FLOAT_DIGITS and exact:
        raise _BadCell(
            f"expected {rule.expected} of at most {_FLOAT_DIGITS} significant digits, "
            f"got {_shown(value)}"
        )
    if not rule.allows(exact):
        raise _BadCell(f"expected {rule.expected}, got {_shown(value)}")
    return float(exact) + 0.0  # + 0.0 turns "-0" into 0


def _shown(value: str) -> str:
    return show_value(value)


def read_count(value: str) -> float:
    """A whole number from 0 to :data:`~sqfw.limits.MAX_COUNT` (``NaN`` blank)."""
    return _read_number(value, "count")


def read_area(value: str) -> float:
    """An area in m² from 0 to :data:`~sqfw.limits.MAX_AREA_M2` (``NaN`` blank)."""
    return _read_number(value, "area")


def read_term(value: str) -> float:
    """A committee's term number from 1 to :data:`~sqfw.limits.MAX_ORDINAL` (``NaN`` blank)."""
    return _read_number(value, "term")


def read_flag(value: str) -> int:
    """是/否, yes/no … as 1/0 (``UNKNOWN`` blank)."""
    if not value:
        return UNKNOWN
    lowered = value.lower()
    if lowered in _TRUE:
        return 1
    if lowered in _FALSE:
        return 0
    raise _BadCell(f"expected 是/否 (yes/no) or blank, got {_shown(value)}")


def read_kind(value: str) -> int:
    """A community kind (label, short form or value) as its index in ``COMMUNITY_KINDS``."""
    kind = CommunityKind.lookup().get(value.lower())  # values, labels and the short forms
    if kind is None:
        labels = "、".join(k.label_zh for k in CommunityKind)
        raise _BadCell(
            f"expected a community kind ({labels}, or urban, pastoral …), got {_shown(value)}"
        )
    return COMMUNITY_KINDS.index(kind)


def read_code(value: str) -> str:
    """A community-level division code."""
    if not value:
        raise _BadCell("the community code is missing")
    try:
        level = division_level(value)
    except ValueError:
        raise _BadCell(f"expected a 12-digit community code, got {_shown(value)}") from None
    if level is not DivisionLevel.VILLAGE:
        raise _BadCell(
            f"expected a community-level code (last three digits ≠ 000), got {_shown(value)}"
        )
    return value


READERS: dict[str, Callable[[str], Any]] = {
    "count": read_count,
    "area": read_area,
    "term": read_term,
    "flag": read_flag,
    "kind": read_kind,
    "code": read_code,
    "text": str.strip,
}
"""The strict reader of each kind of column (a :attr:`Column.kind`)."""

NAME_LIMIT = MAX_NAME_CHARS
"""The longest name a division or community may have (the entities' limit)."""

_COMMUNITY_CODE = re.compile(code_pattern(DivisionLevel.VILLAGE))


def _names(stripped: list[str]) -> tuple[list[Any], list[tuple[int, str]]]:
    """Names: the one text rule (:mod:`sqfw._text`), then the entities' length."""
    names, unsafe = clean_column(stripped)
    refused = dict(overlong(names, NAME_LIMIT, "a name"))
    refused.update(unsafe)
    return list(names), sorted(refused.items())


def read_name(value: str) -> str:
    """One name as a name column reads it (stripped, the text rule, the entities' length).

    Raises:
        BadCell: what is wrong with it.
    """
    names, refused = _names([value.strip()])
    if refused:
        raise _BadCell(refused[0][1])
    return str(names[0])


def restore_column(values: list[str]) -> None:
    """Take off, in place, the apostrophe sqfw's writers put before a text a spreadsheet
    would run as a formula (see :mod:`sqfw._cells`); a pass in C when no cell has one."""
    if "'" not in {v[:1] for v in values}:
        return
    for index, value in enumerate(values):
        if value[:1] == "'":
            values[index] = original_text(value)


def overlong(values: list[str], limit: int, what: str) -> list[tuple[int, str]]:
    """The (row index, message) of each cell longer than ``limit`` characters.

    One pass in C over the lengths when none is (the usual case).
    """
    if not values or max(map(len, values)) <= limit:
        return []
    return [
        (i, f"expected {what} of at most {limit:,} characters, got {len(v):,}")
        for i, v in enumerate(values)
        if len(v) > limit
    ]


def parse_column(values: list[str], kind: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """Read one column; returns the values (``None`` where bad) and (row index, message).

    Each distinct cell is read once by the strict reader of its kind (a column of 600,000
    counts holds a few thousand distinct texts), then the answers are mapped onto the rows.
    Community codes are all distinct: the pattern of community codes decides the
    well-formed ones in bulk and the strict reader says what is wrong with the others.
    """
    read = READERS[kind]
    if kind == "text":  # names: the one text rule (sqfw._text), then the entities' length
        stripped: list[Any] = list(map(str.strip, values))  # the same object when nothing to strip
        restore_column(stripped)  # a spreadsheet-safe cell's apostrophe taken off (sqfw._cells)
        return _names(stripped)
    if kind == "code":
        if all(map(_COMMUNITY_CODE.fullmatch, values)):
            return list(values), []
        out = [
            v if m else None
            for v, m in zip(values, map(_COMMUNITY_CODE.fullmatch, values), strict=True)
        ]
        bad: list[tuple[int, str]] = []
        for index, value in enumerate(out):
            if value is None:
                try:
                    out[index] = read(values[index].strip())
                except _BadCell as exc:
                    bad.append((index, str(exc)))
        return out, bad
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for value in set(values):
        try:
            answers[value] = read(value.strip())
        except _BadCell as exc:
            problems[value] = str(exc)
    if not problems:
        return list(map(answers.__getitem__, values)), []
    out = list(map(answers.get, values))
    return out, [(i, problems[v]) for i, v in enumerate(values) if v in problems]
