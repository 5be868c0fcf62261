"""The rules a table's rows must keep beyond their cells, checked column-wise.

A community code comes once; households and residents agree (as
:class:`~sqfw.entities.Community` requires); a part is within its whole on the same row
(office and activity areas within the facility area, as :class:`~sqfw.entities.Facility`
requires; the commerce and service area within the community's floor area, as
:class:`~sqfw.entities.Community` requires; workers with an associate degree within the
workers). The comparisons run over whole
columns and pick the few rows to look at; the tests check that they refuse exactly what
the entities refuse.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import operator
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, count
from typing import Any

from sqfw._extras import require
from sqfw.analysis._dataset import NAN
from sqfw.analysis._loading.columns import Column
from sqfw.analysis._texts import arrow_of

__all__ = ["Errors", "check_codes", "check_rows", "is_floats", "rows_where"]

Errors = dict[int, list[tuple[str | None, str]]]
"""Problems by row index: (the column's header, or ``None`` for the row; the reason)."""


def check_codes(
    codes: Sequence[str | None],
    where: str,
    numbers: list[int],
    errors: Errors,
) -> None:
    """No community code may come twice (a missing or bad code is the reader's to report)."""
    column = arrow_of(codes)
    if column is not None:  # every code was read and is 12 digits: compared as numbers
        pa, np = require("pyarrow"), require("numpy")
        numbers_of = np.sort(column.cast(pa.int64()).to_numpy())
        if not (numbers_of[1:] == numbers_of[:-1]).any():
            return
    given = len(codes) - codes.count(None)
    distinct = len(set(codes)) - (1 if None in codes else 0)
    if given == distinct:
        return
    seen: dict[str, int] = {}
    for index, code in enumerate(codes):
        if code is None:
            continue
        if code in seen:
            errors.setdefault(index, []).append((where, f"code {code} already on row {seen[code]}"))
        else:
            seen[code] = numbers[index]


def rows_where(flags: Iterable[object]) -> list[int]:
    """The indices of the true flags."""
    return list(compress(count(), flags))


def check_rows(
    parsed: dict[str, Sequence[Any]],
    known: dict[int, Column],
    header: Sequence[str],
    errors: Errors,
) -> None:
    """The entity rules a row must keep: households vs residents, and parts within wholes.

    Unknown (``NaN``) cells compare false either way and unreadable (``None``) ones are
    left out; the comparisons run column-wise and pick the few rows to look at.
    """
    households = parsed.get("households")
    residents = parsed.get("residents")
    if households is not None and residents is not None:
        where = _header_of(known, header, "households")
        h_col, r_col = _known_pairs(households, residents)
        np = _numpy_of(h_col, r_col)
        if np is not None:  # the same comparisons, over whole arrays
            h, r = np.frombuffer(h_col), np.frombuffer(r_col)
            suspects = np.flatnonzero((h > r) | ((h == 0) != (r == 0))).tolist()
        else:
            zero = (0.0).__eq__
            suspects = rows_where(
                map(
                    operator.or_,
                    map(operator.gt, h_col, r_col),
                    map(operator.ne, map(zero, h_col), map(zero, r_col)),
                )
            )
        for index in suspects:
            h, r = h_col[index], r_col[index]
            if math.isnan(h) or math.isnan(r):
                continue
            if h > r:
                errors.setdefault(index, []).append(
                    (where, f"more households ({h:.0f}) than residents ({r:.0f})")
                )
            else:
                errors.setdefault(index, []).append(
                    (where, "households and residents must both be 0 or both be > 0")
                )
    for part_field, whole_field, say in _PARTS_OF_WHOLES:
        part, whole = parsed.get(part_field), parsed.get(whole_field)
        if part is None or whole is None:
            continue
        where = _header_of(known, header, part_field)
        whole_col, part_col = _known_pairs(whole, part)
        np = _numpy_of(part_col, whole_col)
        if np is not None:
            above = np.flatnonzero(np.frombuffer(part_col) > np.frombuffer(whole_col)).tolist()
        else:
            above = rows_where(map(operator.gt, part_col, whole_col))
        for index in above:
            errors.setdefault(index, []).append((where, say(part_col[index], whole_col[index])))


_PARTS_OF_WHOLES: tuple[tuple[str, str, Callable[[float, float], str]], ...] = (
    (
        "workers_associate",
        "workers",
        lambda part, whole: (
            f"{part:.0f} with an associate degree, more than the {whole:.0f} workers"
        ),
    ),
    (
        "office",
        "area",
        lambda part, whole: f"office area {part:g} m² above the facility area {whole:g} m²",
    ),
    (
        "activity",
        "area",
        lambda part, whole: f"activity area {part:g} m² above the facility area {whole:g} m²",
    ),
    (
        "commercial_area",
        "floor_area",
        lambda part, whole: (
            f"commerce and service area {part:g} m² above the floor area {whole:g} m²"
        ),
    ),
)
"""A figure that is part of another on the same row: (part, whole, what to say)."""


def _numpy_of(first: object, second: object) -> Any:
    """NumPy, when both columns are float arrays it can view (else ``None``)."""
    if not (is_floats(first) and is_floats(second)):
        return None
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def is_floats(values: object) -> bool:
    """Whether ``values`` is an ``array("d")`` (a number column as the readers give it)."""
    return isinstance(values, array) and values.typecode == "d"


def _known_pairs(
    first: Sequence[Any], second: Sequence[Any]
) -> tuple[Sequence[float], Sequence[float]]:
    """Two number columns with unreadable cells (``None``) as ``NaN``, never compared."""
    if is_floats(first) and is_floats(second):
        return first, second  # a float array holds no None
    if None in first or None in second:
        return (
            [NAN if v is None else v for v in first],
            [NAN if v is None else v for v in second],
        )
    return first, second


def _header_of(known: dict[int, Column], header: Sequence[str], field: str) -> str | None:
    for position, column in known.items():
        if column.field == field:
            return header[position]
    return None
