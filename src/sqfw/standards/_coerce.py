"""Turning a raw value from a file or an override into the exact type its unit fixes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

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
        if isinstance(raw, int) and raw >= 0:
            return raw
        raise ValueError(f"expected a whole number ≥ 0 for unit {unit.value!r}, got {raw!r}")
    if unit in (Unit.M2, Unit.M2_PER_100_HOUSEHOLDS):
        amount = _decimal(raw, unit)
        if amount < 0:
            raise ValueError(f"expected an area ≥ 0, got {raw!r}")
        return amount
    return _ratio(raw)


def _decimal(raw: object, unit: Unit) -> Decimal:
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
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
