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
    state_zh, state_en = attainment.label_zh, attainment.label_en
    unknown_zh = f",{unknown} 个情况未知" if unknown else ""
    unknown_en = f"; {unknown} unknown" if unknown else ""
    gap_text = amount(gap, target.gap_unit)
    if target.kind == "every":
        zh = (
            f"{target.label_zh}:{state_zh};达标 {yes}/{total}{unknown_zh};"
            f"{target.gap_zh} {gap_text}"
        )
        en = (
            f"{target.label_en}: {state_en}; {yes} of {total} comply{unknown_en}; "
            f"{target.gap_en} {gap_text}"
        )
        return zh, en
    if target.kind == "per_at_least":
        now, need = rate(measured, target.per), rate(required, target.per)
        zh = (
            f"{target.label_zh}:{state_zh};现为 {now},要求不低于 {need}{unknown_zh};"
            f"{target.gap_zh} {gap_text}"
        )
        en = (
            f"{target.label_en}: {state_en}; now {now}, required at least {need}{unknown_en}; "
            f"{target.gap_en} {gap_text}"
        )
        return zh, en
    relation_zh = "高于" if target.kind == "above_baseline" else "不低于"
    relation_en = "above" if target.kind == "above_baseline" else "at least"
    req = percent(required) if required is not None else "?(缺少基期数据 / no baseline)"
    zh = (
        f"{target.label_zh}:{state_zh};现为 {percent(measured)}({yes}/{total}),"
        f"要求{relation_zh} {req}{unknown_zh};{target.gap_zh} {gap_text}"
    )
    en = (
        f"{target.label_en}: {state_en}; now {percent(measured)} ({yes} of {total}), "
        f"required {relation_en} {req}{unknown_en}; {target.gap_en} {gap_text}"
    )
    return zh, en
