"""Coercing user-given comparison figures (previous ratios, baselines) to exact ratios."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqfw.standards import Unit
from sqfw.standards._coerce import coerce

__all__ = ["as_ratio"]


def as_ratio(value: Fraction | Decimal | int | str | None, name: str) -> Fraction | None:
    """An exact ratio from ``Fraction``, ``Decimal``, ``int`` or text (``"1/2"``, ``"35%"``).

    Raises:
        ValueError: the value is not a ratio between 0 and 1 (floats are refused as inexact).
    """
    if value is None:
        return None
    if isinstance(value, float):
        raise ValueError(f"{name}: give an exact ratio (Fraction, Decimal or '35%'), not a float")
    try:
        result = coerce(Unit.RATIO, value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    assert isinstance(result, Fraction)
    return result
