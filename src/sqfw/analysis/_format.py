"""A target's explanation in words, written with the figures of :mod:`sqfw.formatting`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from sqfw.formatting import amount, percent, rate

if TYPE_CHECKING:
    from sqfw.analysis._targets import TargetDef
    from sqfw.labels import LabeledEnum

__all__ = ["target_lines"]


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
