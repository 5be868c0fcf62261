"""A target's explanation in words, written with the figures of :mod:`sqfw.formatting`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from sqfw.formatting import amount, rate

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
