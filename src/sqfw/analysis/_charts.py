"""Charts with matplotlib (the ``sqfw[analysis]`` extra): attainment, area, gaps.

Each function draws on the axes given (or new ones) and returns them, so a notebook can
arrange several in a figure. Labels are English by default: matplotlib's default fonts
have no Chinese glyphs; pass ``lang="zh"`` when a CJK font is configured.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sqfw.analysis._frames import require
from sqfw.analysis._result import Attainment, register_view
from sqfw.entities import DivisionLevel
from sqfw.entities.divisions import code_prefix

if TYPE_CHECKING:
    from sqfw.analysis._result import Assessment

__all__ = ["area_per_household", "attainment_by_league", "gap_by_banner"]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    plt = require("matplotlib.pyplot")
    _, axes = plt.subplots(figsize=(9, 4.5))
    return axes


def _place_label(name: str, code: str, lang: str) -> str:
    return name if lang == "zh" else code_prefix(code)


def attainment_by_league(a: Assessment, *, ax: Any = None, lang: str = "en") -> Any:
    """Stacked bars: how many targets each league/city has met, not met or unknown."""
    axes = _axes(ax)
    leagues = [p for p in a.places if p.level is DivisionLevel.PREFECTURE]
    labels = [_place_label(p.name, p.code, lang) for p in leagues]
    bottom = [0] * len(leagues)
    colours = {"met": "#2e7d32", "not_met": "#c62828", "unknown": "#9e9e9e"}
    for state in (Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN):
        counts = [
            sum(1 for t in a.targets if t.place.code == p.code and t.attainment is state)
            for p in leagues
        ]
        axes.bar(labels, counts, bottom=bottom, label=state.label(lang), color=colours[state.value])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_ylabel("targets" if lang == "en" else "目标数")
    axes.set_title("Attainment by league/city" if lang == "en" else "各盟市目标达成")
    axes.legend()
    axes.tick_params(axis="x", rotation=45)
    return axes


def area_per_household(a: Assessment, *, ax: Any = None, lang: str = "en") -> Any:
    """Histogram of facility area per 100 households, with the §2.1 norm as a line."""
    axes = _axes(ax)
    c = a.dataset.communities
    values = [
        100 * area / h
        for area, h in zip(c.area, c.households, strict=True)
        if not math.isnan(area) and not math.isnan(h) and h > 0
    ]
    cap = sorted(values)[int(len(values) * 0.99)] if values else 1.0
    axes.hist([min(v, cap) for v in values], bins=60, color="#1565c0")
    norm = float(a.parameters.norms["facility_area"].values.per_100_households)
    axes.axvline(norm, color="#c62828", linestyle="--", label=f"§2.1: {norm:g} m²/100")
    axes.set_xlabel("m² per 100 households" if lang == "en" else "每百户面积(m²)")
    axes.set_ylabel("communities" if lang == "en" else "社区数")
    axes.set_title(
        "Facility area per 100 households" if lang == "en" else "每百户社区综合服务设施面积"
    )
    axes.legend()
    return axes


def gap_by_banner(
    a: Assessment, target: str, *, ax: Any = None, top: int = 15, lang: str = "en"
) -> Any:
    """Horizontal bars: a target's gap by banner/county, largest first."""
    axes = _axes(ax)
    ranked = [t for t in a.gaps(target, DivisionLevel.COUNTY) if t.gap][:top]
    labels = [_place_label(t.place.name, t.place.code, lang) for t in reversed(ranked)]
    axes.barh(labels, [float(t.gap or 0) for t in reversed(ranked)], color="#ef6c00")
    unit = (
        ranked[0].target.gap_en
        if ranked and lang == "en"
        else (ranked[0].target.gap_zh if ranked else "")
    )
    axes.set_xlabel(unit)
    axes.set_title(f"Gap by banner/county: {target}" if lang == "en" else f"各旗县差距:{target}")
    return axes


register_view("plot_attainment", attainment_by_league)
register_view("plot_area_per_household", area_per_household)
register_view("plot_gap", gap_by_banner)
