"""How figures are written: an area always to two decimals, a count whole."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from sqfw.formatting import amount
from sqfw.standards import Unit


class TestAmount:
    """``amount`` writes every area of a column with the same two decimals."""

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (Decimal("12685"), "12,685.00 m²"),  # whole: keeps its .00
            (Decimal("12685.00"), "12,685.00 m²"),
            (Decimal("17378.7"), "17,378.70 m²"),  # one decimal: a second one
            (Decimal("0.004999"), "0.00 m²"),  # below half a hundredth
            (Decimal("0.005001"), "0.01 m²"),  # above it
            (Fraction(1, 3), "0.33 m²"),
            (300, "300.00 m²"),
        ],
    )
    def test_an_area_has_two_decimals(self, value: Decimal | Fraction | int, shown: str) -> None:
        assert amount(value, Unit.M2) == shown

    def test_a_count_is_whole(self) -> None:
        assert amount(297319, Unit.COUNT) == "297,319"

    def test_unknown_is_a_dash(self) -> None:
        assert amount(None, Unit.M2) == "—"
