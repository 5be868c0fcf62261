"""Reading user-given ratios (previous figures, baselines, scenario rates) exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqfw.errors import InvalidArgumentError
from sqfw.standards import Unit
from sqfw.standards._coerce import coerce

__all__ = ["as_ratio"]


def as_ratio(value: Fraction | Decimal | int | float | str | None, name: str) -> Fraction | None:
    """An exact ratio, read by the standards' one rule for ratios (``None`` stays ``None``).

    ``Fraction``, ``Decimal``, ``int``, text (``"1/2"``, ``"35%"``, ``"0.35"``) and floats,
    which are read as the decimal they print as (``0.1`` is ``1/10``, never the binary
    fraction ``3602879701896397/36028797018963968``). The same rule reads every ratio of
    the standards files, overrides, baselines and scenarios.

    Raises:
        InvalidArgumentError: the value is not a ratio between 0 and 1; it names ``name``.
    """
    if value is None:
        return None
    try:
        result = coerce(Unit.RATIO, value)
    except ValueError as exc:  # the one rule's own words: "expected …, got …"
        expected = str(exc).removeprefix("expected ").rpartition(", got ")[0]
        raise InvalidArgumentError(name, value, expected) from None
    assert isinstance(result, Fraction)
    return result
