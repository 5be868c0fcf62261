"""Numbers and lines in words: what the result and every view print figures with.

The views (terminal and Markdown report, HTML, JSON, DataFrames, charts) sit on top of the
assessment result; this module sits below both, so that a target's explanation and a
report's cell write a percentage or an area the same way.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from sqfw.standards import Unit

if TYPE_CHECKING:
    from sqfw.analysis._targets import TargetDef
    from sqfw.labels import LabeledEnum

__all__ = ["amount", "percent", "rate", "target_lines"]


def percent(value: Fraction | None) -> str:
    """``Fraction(1, 5)`` → ``"20.00%"``; ``None`` → ``"—"``."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.2f}%"


def amount(value: Decimal | Fraction | int | None, unit: Unit) -> str:
    """A gap or shortfall with its unit symbol (``"1,234.5 m²"``, ``"12"``; ``"—"``)."""
    if value is None:
        return "—"
    if unit is Unit.M2:
        number = (
            Decimal(value.numerator) / value.denominator if isinstance(value, Fraction) else value
        )
        return f"{Decimal(number):,.2f} m²".replace(".00 m²", " m²")
    return f"{int(value):,}"


def is_share(per: int | None) -> bool:
    """Whether a figure per ``per`` units is a share (none given, or per one unit)."""
    return per is None or per == 1


def rate(value: Fraction | None, per: int | None) -> str:
    """A rate per ``per`` units, two decimals (``"28.40 / 100"``); ``"—"`` when unknown."""
    if value is None:
        return "—"
    if is_share(per):
        return percent(value)
    return f"{float(value):,.2f} / {per:,}"


def target_lines(
    target: TargetDef,
    attainment: LabeledEnum,
    measured: Fraction | None,
    required: Fraction | None,
    gap: Decimal | int | None,
    yes: int | Decimal,
    total: int,
    unknown: int,
) -> tuple[str, str]:
    """One line in Chinese and one in English for a target at a place."""
    unknown_zh = f",{unknown} 个情况未知" if unknown else ""
    unknown_en = f"; {unknown} unknown" if unknown else ""
    need = rate(required, target.per) if required is not None else "?(缺少基期数据 / no baseline)"
    zh, en = target.kind.lines(
        head_zh=f"{target.label_zh}:{attainment.label_zh}",
        head_en=f"{target.label_en}: {attainment.label_en}",
        now=rate(measured, target.per),
        need=need,
        yes=yes,
        total=total,
        unknown_zh=unknown_zh,
        unknown_en=unknown_en,
    )
    gap_text = amount(gap, target.gap_unit)
    return f"{zh};{target.gap_zh} {gap_text}", f"{en}; {target.gap_en} {gap_text}"
