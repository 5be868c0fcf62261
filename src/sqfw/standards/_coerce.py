"""Turning a raw value from a file or an override into the exact type its unit fixes."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sqfw.errors import show_value
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_NUMBER_DIGITS, MAX_YEAR, MIN_YEAR
from sqfw.standards._model import Unit, Value

_RATIO_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(\d+)\s*|(%))?\s*$")


def coerce(unit: Unit, raw: object) -> Value:
    """Convert ``raw`` to the value type of ``unit``.

    Raises:
        ValueError: the raw value does not fit the unit; the message says what was expected.
    """
    if unit is Unit.FLAG:
        if isinstance(raw, bool):
            return raw
        raise ValueError(f"expected true or false for unit {unit.value!r}, got {raw!r}")
    if isinstance(raw, bool):
        raise ValueError(f"expected a number for unit {unit.value!r}, got {raw!r}")
    if unit in (Unit.COUNT, Unit.YEARS):
        whole = _whole(raw)
        most = MAX_COUNT if unit is Unit.COUNT else _MAX_YEARS
        if whole is None or not 0 <= whole <= most:
            raise ValueError(
                f"expected a whole number from 0 to {most:,} for unit {unit.value!r}, "
                f"got {show_value(raw)}"
            )
        return whole
    if unit in (Unit.M2, Unit.M2_PER_100_HOUSEHOLDS):
        amount = _decimal(raw, unit)
        if not 0 <= amount <= MAX_AREA_M2:
            raise ValueError(
                f"expected an area from 0 to {MAX_AREA_M2:,} m², got {show_value(raw)}"
            )
        return amount
    return _ratio(raw)


_MAX_YEARS = MAX_YEAR - MIN_YEAR
"""The longest span of years a parameter may give (a term, a service length)."""


def _whole(raw: object) -> int | None:
    """A whole number from an int, or from text of ASCII digits (an override typed in)."""
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
            return int(text)
    return None


def _decimal(raw: object, unit: Unit) -> Decimal:
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        if len(raw.strip()) > MAX_NUMBER_DIGITS:
            raise ValueError(f"expected a number for unit {unit.value!r}, got {show_value(raw)}")
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise ValueError(f"expected a number for unit {unit.value!r}, got {raw!r}") from None
    else:
        raise ValueError(f"expected a number for unit {unit.value!r}, got {raw!r}")
    if not value.is_finite():
        raise ValueError(f"expected a finite number, got {raw!r}")
    return value


def _ratio(raw: object) -> Fraction:
    """A ratio from ``1/2``, ``"20%"``, ``0.2`` (exact decimal), ``1`` or a Fraction."""
    value: Fraction
    if isinstance(raw, float | Decimal) and not (
        raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
    ):
        raise ValueError(f"expected a finite ratio, got {raw!r}")
    if isinstance(raw, Fraction):
        value = raw
    elif isinstance(raw, int | Decimal):
        value = Fraction(raw)
    elif isinstance(raw, float):
        value = Fraction(Decimal(repr(raw)))
    elif isinstance(raw, str):
        match = _RATIO_TEXT.match(raw)
        if match is None:
            raise ValueError(f"expected a ratio like '1/2', '20%' or 0.2, got {raw!r}")
        number, denominator, percent = match.groups()
        value = Fraction(Decimal(number))
        if denominator is not None:
            if int(denominator) == 0:
                raise ValueError(f"expected a ratio with a non-zero denominator, got {raw!r}")
            value /= int(denominator)
        elif percent:
            value /= 100
    else:
        raise ValueError(f"expected a ratio like '1/2', '20%' or 0.2, got {raw!r}")
    if not 0 <= value <= 1:
        raise ValueError(f"expected a ratio between 0 and 1, got {raw!r}")
    return value
