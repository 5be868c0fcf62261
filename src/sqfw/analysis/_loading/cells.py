"""Reading cells: one strict reader per kind of column, and a bulk reader of whole columns.

Each reader takes the cell's text (stripped) and returns the column value, or refuses it
with a message saying what was expected and what came. :func:`parse_column` reads a
column of a national table at once and gives, cell by cell, what the strict reader gives:
the values, and the (row, message) of every cell refused.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqfw.analysis._dataset import COMMUNITY_KINDS, NAN, UNKNOWN
from sqfw.entities import CommunityKind, DivisionLevel
from sqfw.entities.divisions import code_pattern, division_level

__all__ = ["NAME_LIMIT", "READERS", "cell_text", "parse_column"]


class _BadCell(ValueError):
    """A cell that cannot be read; the message says what was expected.

    Never reaches a caller: :func:`parse_column` turns it into a row's problem.
    """


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: blank for empty, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "达标", "直选"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未达标"}
_KINDS: dict[str, CommunityKind] = {}
for _k in CommunityKind:
    _KINDS[_k.value] = _k
    _KINDS[_k.label_zh] = _k
    _KINDS[_k.label_en.lower()] = _k
_KINDS.update(
    {
        "社区": CommunityKind.URBAN,
        "城市社区": CommunityKind.URBAN,
        "苏木乡镇": CommunityKind.TOWNSHIP_SEAT,
        "乡镇所在地": CommunityKind.TOWNSHIP_SEAT,
        "农村": CommunityKind.RURAL_VILLAGE,
        "嘎查": CommunityKind.PASTORAL,
    }
)


def _read_number(value: str, *, whole: bool, expected: str, sized: str) -> float:
    """A number ≥ 0 as written (``1,200``, ``1e3``, ``450.5``); ``NaN`` for a blank cell."""
    if not value:
        return NAN
    if value.isascii() and value.isdigit() and len(value) < 300:
        return float(value)
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise _BadCell(f"expected {expected}, got {value!r}") from None
    if not number.is_finite() or number < 0 or (whole and number != number.to_integral_value()):
        raise _BadCell(f"expected {expected}, got {value!r}")
    result = float(number) + 0.0  # + 0.0 turns "-0" into 0
    if math.isinf(result):
        raise _BadCell(f"expected {sized} of sensible size, got {value!r}")
    return result


def read_count(value: str) -> float:
    """A whole number ≥ 0 (``NaN`` blank)."""
    expected = "a whole number ≥ 0"
    return _read_number(value, whole=True, expected=expected, sized=expected)


def read_area(value: str) -> float:
    """An area in m², a number ≥ 0 (``NaN`` blank)."""
    return _read_number(
        value, whole=False, expected="an area in m² (a number ≥ 0)", sized="an area in m²"
    )


def read_flag(value: str) -> int:
    """是/否, yes/no … as 1/0 (``UNKNOWN`` blank)."""
    if not value:
        return UNKNOWN
    lowered = value.lower()
    if lowered in _TRUE:
        return 1
    if lowered in _FALSE:
        return 0
    raise _BadCell(f"expected 是/否 (yes/no) or blank, got {value!r}")


def read_kind(value: str) -> int:
    """A community kind (label, short form or value) as its index in ``COMMUNITY_KINDS``."""
    kind = _KINDS.get(value) or _KINDS.get(value.lower())
    if kind is None:
        labels = "、".join(k.label_zh for k in CommunityKind)
        raise _BadCell(f"expected a community kind ({labels}, or urban, pastoral …), got {value!r}")
    return COMMUNITY_KINDS.index(kind)


def read_code(value: str) -> str:
    """A community-level division code."""
    if not value:
        raise _BadCell("the community code is missing")
    try:
        level = division_level(value)
    except ValueError:
        raise _BadCell(f"expected a 12-digit community code, got {value!r}") from None
    if level is not DivisionLevel.VILLAGE:
        raise _BadCell(f"expected a community-level code (last three digits ≠ 000), got {value!r}")
    return value


READERS: dict[str, Callable[[str], Any]] = {
    "count": read_count,
    "area": read_area,
    "flag": read_flag,
    "kind": read_kind,
    "code": read_code,
    "text": str.strip,
}
"""The strict reader of each kind of column (a :attr:`Column.kind`)."""

NAME_LIMIT = 100
"""The longest name a division or community may have (as the entities allow)."""

_COMMUNITY_CODE = re.compile(code_pattern(DivisionLevel.VILLAGE))


def parse_column(values: list[str], kind: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """Read one column; returns the values (``None`` where bad) and (row index, message).

    Each distinct cell is read once by the strict reader of its kind (a column of 600,000
    counts holds a few thousand distinct texts), then the answers are mapped onto the rows.
    Community codes are all distinct: the pattern of community codes decides the
    well-formed ones in bulk and the strict reader says what is wrong with the others.
    """
    read = READERS[kind]
    if kind == "text":
        out: list[Any] = list(map(str.strip, values))  # the same object when nothing to strip
        if not out or max(map(len, out)) <= NAME_LIMIT:
            return out, []
        message = f"expected a name of at most {NAME_LIMIT} characters"
        long = [i for i, v in enumerate(out) if len(v) > NAME_LIMIT]
        return out, [(i, f"{message}, got {len(out[i])}") for i in long]
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
