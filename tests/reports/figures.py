"""A view's figure read back as a number, and held to the exact figure it shows."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from sqfw.standards import Unit


def agrees(column: float | None, figure: Any, unit: Unit) -> bool:
    """The float column holds the exact figure as closely as a double can."""
    if figure is None:
        return column is None
    if column is None:
        return False
    want = float(figure)
    if unit is Unit.M2:  # areas are given to 10⁻⁶ m² in a result (m2())
        return abs(column - want) <= 5e-7 + 4 * math.ulp(want)
    if unit is Unit.RATIO:  # a quotient of two doubles near the exact one
        return abs(column - want) <= 4 * math.ulp(want)
    return column == want


def number(value: Any) -> float | None:
    """A figure as a view writes it (a number, ``"p/q"`` or decimal text; NaN unknown)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return float(Fraction(value))
    return float(value)
