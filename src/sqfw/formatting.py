"""How sqfw writes figures in words: shares, rates and amounts.

The assessment's explanations (:mod:`sqfw.analysis`) and every report
(:mod:`sqfw.reports`) write a percentage, a rate per 100 households or an area with these
functions, so the same figure reads the same everywhere.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqfw._args import expect
from sqfw.standards import Unit

__all__ = ["amount", "is_share", "percent", "rate"]


def percent(value: Fraction | None) -> str:
    """``Fraction(1, 5)`` → ``"20.00%"``; ``None`` → ``"—"``.

    Raises:
        InvalidArgumentError: ``value`` is not a number.
    """
    if value is None:
        return "—"
    expect("value", value, (Fraction, Decimal, int))
    return f"{float(value) * 100:.2f}%"


def amount(value: Decimal | Fraction | int | None, unit: Unit) -> str:
    """A gap or shortfall with its unit symbol (``"1,234.50 m²"``, ``"12"``; ``"—"``).

    An area always has two decimals (``"12,685.00 m²"`` beside ``"17,378.70 m²"``), as
    the workbook's ``#,##0.00 m²`` format shows it, so a column of areas lines up and
    reads the same in every view; a count is a whole number.

    .. versionchanged:: 0.1.0
       A whole area keeps its ``.00`` (it was written ``"12,685 m²"``).

    Raises:
        InvalidArgumentError: ``value`` is not a number, or ``unit`` not a Unit.
    """
    expect("unit", unit, Unit)
    if value is None:
        return "—"
    expect("value", value, (Fraction, Decimal, int))
    if unit is Unit.M2:
        number = (
            Decimal(value.numerator) / value.denominator if isinstance(value, Fraction) else value
        )
        return f"{Decimal(number):,.2f} m²"
    return f"{int(value):,}"


def is_share(per: int | None) -> bool:
    """Whether a figure per ``per`` units is a share (none given, or per one unit)."""
    return per is None or per == 1


def rate(value: Fraction | None, per: int | None) -> str:
    """A rate per ``per`` units, two decimals (``"28.40 / 100"``); ``"—"`` when unknown.

    Raises:
        InvalidArgumentError: ``value`` is not a number, or ``per`` not a whole number.
    """
    if per is not None:
        expect("per", per, int)
    if value is None:
        return "—"
    expect("value", value, (Fraction, Decimal, int))
    if is_share(per):
        return percent(value)
    return f"{float(value):,.2f} / {per:,}"
