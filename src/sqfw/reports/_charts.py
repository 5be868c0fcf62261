"""Charts with matplotlib (the ``sqfw[analysis]`` extra): attainment, area, gaps.

Each ``plot`` function draws on the axes given (or new ones) and returns them, so a
notebook can arrange several in a figure; :func:`write_charts` writes them as PNG and SVG
files (``sqfw assess --charts DIR``) and :func:`svg_charts` gives them as SVG text for the
HTML page. Places are shown by name, axes carry their units, titles and labels are in
Chinese or English.

Which charts an assessment has follows its plan (:func:`chart_names`): one gap chart per
target of the plan that leaves a banner/county a gap (``gap_<target id>``), drawing the
same ranking as the reports' gap tables, never a chart with nothing in it.

Chinese (and the places' names in either language) needs a CJK font. One is looked for
among the fonts matplotlib knows and the system's font files (Noto Sans CJK, Source Han
Sans, WenQuanYi, Microsoft YaHei, PingFang …) — nothing to configure. English charts
never depend on one: without it they name places by their division code, silently.
Chinese charts without one give a :class:`FontWarning` that says what to install and fall
back to English labels and division codes, which any font draws.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import io
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqfw._extras import require
from sqfw._files import atomic_write
from sqfw.analysis import Attainment
from sqfw.entities import DivisionLevel
from sqfw.entities.divisions import code_prefix
from sqfw.errors import InvalidArgumentError, SqfwWarning
from sqfw.reports import _tables as rp
from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._text import check_top
from sqfw.standards import Unit

if TYPE_CHECKING:
    from sqfw.analysis import Assessment, TargetResult

__all__ = [
    "TOP",
    "FontWarning",
    "area_per_household",
    "attainment_by_league",
    "chart_names",
    "cjk_font",
    "gap_by_banner",
    "svg_charts",
    "write_charts",
]


class FontWarning(SqfwWarning):
    """No font with Chinese glyphs was found: Chinese charts use English labels and codes.

    .. versionchanged:: 0.1.0
       A :class:`~sqfw.errors.SqfwWarning` (still a ``UserWarning``); English charts no
       longer give it.
    """


_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
_CJK_FILES = (
    "notosanscjk",
    "notosanssc",
    "sourcehansans",
    "wqy",
    "msyh",
    "simhei",
    "pingfang",
    "hiragino",
    "droidsansfallback",
    "uming",
)
INSTALL_HINT = (
    "no font with Chinese glyphs found; install one, e.g. 'apt-get install fonts-noto-cjk' "
    "(Debian/Ubuntu), 'dnf install google-noto-sans-cjk-fonts' (Fedora) or Noto Sans CJK SC "
    "from https://fonts.google.com/noto (Windows and macOS have one already)"
)


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs matplotlib can use, or ``None``.

    Fonts matplotlib already knows come first; otherwise the system's font files are
    looked through and the first CJK one is added to matplotlib's font list.
    """
    fm = require("matplotlib.font_manager")
    known = {f.name for f in fm.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in known:
            return family
    files = sorted(fm.findSystemFonts())
    for pattern in _CJK_FILES:
        for path in files:
            name = os.path.basename(path).lower().replace("-", "").replace("_", "")
            if pattern in name and "serif" not in name and "bold" not in name:
                try:
                    fm.fontManager.addfont(path)
                    return str(fm.FontProperties(fname=path).get_name())
                except (OSError, RuntimeError, ValueError):
                    continue
    return None


def _font(lang: str) -> tuple[str | None, str]:
    """The CJK font (or ``None``) and the language the labels can be drawn in.

    English needs no CJK font (places are then named by their codes); Chinese without
    one warns with :class:`FontWarning` and is drawn in English.
    """
    found = cjk_font()
    if found is None:
        if lang != "en":
            warnings.warn(f"charts: {INSTALL_HINT}", FontWarning, stacklevel=3)
        return None, "en"
    return found, lang


@contextmanager
def _style(font: str | None) -> Iterator[None]:
    matplotlib = require("matplotlib")
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": families,
            "svg.fonttype": "path",  # glyphs drawn as paths: the same in every browser
            "svg.hashsalt": "sqfw",  # the same file for the same assessment
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


_FEWEST_SLOTS = 5
"""Bar places a gap chart's axes hold at least, so a lone bar is drawn as a bar."""


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    plt = require("matplotlib.pyplot")
    _, axes = plt.subplots(figsize=(9, 4.5))
    return axes


def _place_label(name: str, code: str, named: bool) -> str:
    return name if named else code_prefix(code)


def _words(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


_COLOURS = {"met": "#2e7d32", "not_met": "#c62828", "unknown": "#9e9e9e"}


def attainment_by_league(
    a: Assessment, *, ax: Any = None, lang: str = "en", named: bool = True
) -> Any:
    """Stacked bars: how many targets each league/city has met, not met or unknown."""
    axes = _axes(ax)
    leagues = [p for p in a.places if p.level is DivisionLevel.PREFECTURE]
    labels = [_place_label(p.name, p.code, named) for p in leagues]
    counts = {p.code: dict.fromkeys(Attainment, 0) for p in leagues}
    for t in a.targets:
        if t.place.code in counts:
            counts[t.place.code][t.attainment] += 1
    bottom = [0] * len(leagues)
    for state in (Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN):
        heights = [counts[p.code][state] for p in leagues]
        axes.bar(
            labels, heights, bottom=bottom, label=state.label(lang), color=_COLOURS[state.value]
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel(_words(lang, "目标数(个)", "targets (count)"))
    axes.set_xlabel(_words(lang, "盟市", "league/city"))
    axes.set_title(_words(lang, "各盟市规划目标达成情况", "Targets attained by league/city"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    axes.tick_params(axis="x", rotation=45)
    return axes


def _area_values(a: Assessment) -> Any:
    """Each community's facility area per hundred households as the facility-area norm
    counts them (its own column, its rounding of the households), where it is known, as
    a NumPy array; none when the plan runs no such norm (a region's figure per 100
    households is a target, not a community's)."""
    np = require("numpy")  # (matplotlib's own dependency)
    run = a.runs.get("facility_area")
    if run is None:
        return np.empty(0)
    values = np.asarray(run.columns["area_per_100_households"], dtype=np.float64)
    return values[~np.isnan(values)]


def area_per_household(a: Assessment, *, ax: Any = None, lang: str = "en") -> Any:
    """Histogram of facility area per 100 households, with the §2.1 norm as a line."""
    axes = _axes(ax)
    values = _area_values(a).tolist()
    cap = sorted(values)[int(len(values) * 0.99)] if values else 1.0
    axes.hist([min(v, cap) for v in values], bins=60, color="#1565c0")
    run = a.runs.get("facility_area")
    if run is not None:  # the per-community minimum the norm holds the figure against
        lookup = run.params.lookups["per_100_households"]
        norm = float(lookup.value)
        clause = lookup.citation.clause
        axes.axvline(
            norm,
            color="#c62828",
            linestyle="--",
            label=_words(lang, f"{clause}:每百户 {norm:g} 平方米", f"{clause}: {norm:g} m²/100"),
        )
    axes.set_xlabel(_words(lang, "每百户面积(平方米/百户)", "area per 100 households (m²)"))
    axes.set_ylabel(_words(lang, "社区数(个)", "communities (count)"))
    axes.set_title(_words(lang, "每百户社区综合服务设施面积", "Facility area per 100 households"))
    axes.legend(fontsize="small")
    return axes


def _gap_unit(a: Assessment, result: TargetResult, lang: str) -> str:
    d = result.target
    if d.gap_unit is Unit.M2:
        return _words(lang, "平方米", "m²")
    indicator = next((i for i in a.indicator_definitions if i.id == d.indicator), None)
    unit_zh = indicator.unit_zh if indicator else "个"
    unit_en = indicator.unit_en if indicator else "count"
    return _words(lang, unit_zh, unit_en)


TOP = 15
"""How many banners/counties a gap chart shows: the first of its ranking's rows."""


def _no_data(axes: Any, lang: str) -> None:
    """Says on the axes that there is nothing to draw (no axis of made-up figures)."""
    axes.text(
        0.5,
        0.5,
        _words(lang, "没有旗县市区存在差距", "no banner/county has a gap"),
        transform=axes.transAxes,
        ha="center",
        va="center",
        color="#59636e",
    )
    axes.set_xticks([])
    axes.set_yticks([])


def gap_by_banner(
    a: Assessment,
    target: str,
    *,
    ax: Any = None,
    top: int = TOP,
    lang: str = "en",
    named: bool = True,
) -> Any:
    """Horizontal bars: a target's gap by banner/county, largest first.

    The bars are the first ``top`` rows of the target's gap ranking, the rows of the
    reports' gap tables, each the gap the assessment decided.
    """
    axes = _axes(ax)
    d = next(d for d in a.target_definitions if d.id == target)
    ranked = rp.ranked_gaps(a, target)[:top]
    labels = [_place_label(t.place.name, t.place.code, named) for t in reversed(ranked)]
    what = d.gap_zh if lang == "zh" else d.gap_en
    if ranked:
        # by position, not by name: two banners/counties may share a name (新城区)
        at = list(range(len(ranked)))
        axes.barh(at, [float(t.gap or 0) for t in reversed(ranked)], color="#ef6c00")
        axes.set_yticks(at, labels)
        # room for at least five bars: one or two gaps are bars, not bands across the axes
        spare = max(0, _FEWEST_SLOTS - len(ranked)) / 2
        axes.set_ylim(-0.5 - spare, len(ranked) - 0.5 + spare)
        ticker = require("matplotlib.ticker")
        axes.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        unit = _gap_unit(a, ranked[0], lang)
        axes.set_xlabel(f"{what}({unit})" if lang == "zh" else f"{what} ({unit})")
        axes.set_ylabel(_words(lang, "旗县市区", "banner/county"))
    else:
        _no_data(axes, lang)
    title = _words(
        lang, f"{what}最大的旗县市区:{d.label_zh}", f"Largest gaps by banner/county: {what}"
    )
    axes.set_title(title)
    return axes


# -- files and SVG -----------------------------------------------------------------------


def chart_names(a: Assessment) -> tuple[str, ...]:
    """The charts of an assessment, by file name (without suffix), in the order drawn.

    * ``"attainment"``: the targets met by league/city, when the plan decides targets
      there;
    * ``"area_per_household"``: the facility-area norm's area per hundred households
      (as the norm counts them) against its minimum, when the plan runs that norm and
      some community has both an area and households;
    * ``"gap_<target id>"``: for each target of the plan (``a.target_definitions``, in
      its order) whose ranking by banner/county has a gap — the ranking the text report,
      the HTML page and the workbook show, drawn as bars.

    A plan that decides no targets (``cn-laws``) has no attainment or gap charts, and a
    target no banner/county falls short of has no chart: no chart is drawn empty.

    Args:
        a: the assessment.

    Returns:
        The names, e.g. ``("attainment", "area_per_household", "gap_facility_area", …)``
        for the 13th plan and ``(…, "gap_urban_facility_coverage", …)`` for the 14th.

    Raises:
        InvalidArgumentError: ``a`` is not an assessment.

    .. versionadded:: 0.1.0
    """
    check_assessment(a)
    names = []
    if a.targets_at(DivisionLevel.PREFECTURE):
        names.append("attainment")
    if _area_values(a).size:  # the facility-area norm's own figure, for some community
        names.append("area_per_household")
    names += [f"gap_{d.id}" for d in a.target_definitions if rp.ranked_gaps(a, d.id)]
    return tuple(names)


def _figures(a: Assessment, lang: str) -> Iterator[tuple[str, Any]]:
    """Each chart on its own figure, drawn in ``lang`` (``named``: places by name)."""
    names = chart_names(a)
    if not names:  # nothing to draw: no font looked for, no warning
        return
    figure_type = require("matplotlib.figure").Figure
    font, drawn = _font(lang)
    named = font is not None
    with _style(font):
        for name in names:
            figure = figure_type(figsize=(9, 4.8), dpi=110, layout="constrained")
            axes = figure.subplots()
            if name == "attainment":
                attainment_by_league(a, ax=axes, lang=drawn, named=named)
            elif name == "area_per_household":
                area_per_household(a, ax=axes, lang=drawn)
            else:
                gap_by_banner(a, name.removeprefix("gap_"), ax=axes, lang=drawn, named=named)
            yield name, figure


def write_charts(
    a: Assessment,
    folder: str | os.PathLike[str],
    *,
    lang: str = "zh",
    formats: tuple[str, ...] = ("png", "svg"),
) -> list[Path]:
    """Write the assessment's charts (:func:`chart_names`) to ``folder`` (made if
    missing), each atomically.

    Args:
        a: the assessment.
        folder: where the files go (``attainment.png``, ``attainment.svg``,
            ``gap_facility_area.png`` …); nothing is written for an assessment that has
            no charts.
        lang: ``"zh"`` or ``"en"``.
        formats: ``"png"`` and/or ``"svg"``.

    Returns:
        The files written, chart by chart in :func:`chart_names`' order.

    Raises:
        InvalidArgumentError: a format other than ``"png"`` and ``"svg"``.
        OSError: the folder cannot be made or written.
        ImportError: matplotlib is not installed (the ``sqfw[analysis]`` extra).
    """
    check_assessment(a)
    for kind in formats:
        if kind not in ("png", "svg"):
            raise InvalidArgumentError("formats", kind, "'png' or 'svg'")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, figure in _figures(a, lang):
        for kind in formats:
            path = target / f"{name}.{kind}"
            with atomic_write(path, "wb") as stream:
                figure.savefig(stream, format=kind, metadata=_METADATA[kind])
            written.append(path)
    return written


_METADATA: dict[str, dict[str, Any]] = {"png": {"Software": None}, "svg": {"Date": None}}


def svg_charts(a: Assessment, *, lang: str = "zh") -> list[tuple[str, str]]:
    """Every chart as SVG text (``(name, svg)``), for pages that embed them."""
    charts = []
    for name, figure in _figures(a, lang):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_METADATA["svg"])
        text = buffer.getvalue()
        charts.append((name, text[text.index("<svg") :]))
    return charts


def _in_notebook(draw: Any) -> Any:
    """A plot for a notebook: the CJK font found is set on every text the plot drew."""

    @functools.wraps(draw)
    def plot(a: Assessment, *args: Any, lang: str = "en", **options: Any) -> Any:
        font, drawn = _font(lang)
        if "named" in draw.__code__.co_varnames:
            options.setdefault("named", font is not None)
        axes = draw(a, *args, lang=drawn, **options)
        text_type = require("matplotlib.text").Text
        for text in axes.findobj(text_type):
            text.set_fontfamily([font, "DejaVu Sans"] if font else ["DejaVu Sans"])
        return axes

    return plot


_attainment = _in_notebook(attainment_by_league)
_area = _in_notebook(area_per_household)
_gap = _in_notebook(gap_by_banner)


def plot_attainment(a: Assessment, ax: Any = None, *, lang: str = "en") -> Any:
    """Bar chart: targets met by league/city (needs ``sqfw[analysis]``).

    Args:
        a: the assessment.
        ax: the matplotlib axes to draw on (default: new ones).
        lang: ``"en"`` or ``"zh"`` (Chinese when a CJK font is found, else English).
    """
    check_assessment(a)
    return _attainment(a, ax=ax, lang=lang)


def plot_area_per_household(a: Assessment, ax: Any = None, *, lang: str = "en") -> Any:
    """Histogram: facility area per household against the norm (needs the extra)."""
    check_assessment(a)
    return _area(a, ax=ax, lang=lang)


def plot_gap(
    a: Assessment,
    target: str | None = None,
    ax: Any = None,
    *,
    top: int = TOP,
    lang: str = "en",
) -> Any:
    """Bar chart: a target's gap by banner/county, largest first (needs the extra).

    The bars are the first ``top`` rows of the target's gap ranking, as the reports' gap
    tables list them; a target no banner/county falls short of is drawn as axes that say
    so (:func:`chart_names` leaves such a target out).

    Args:
        a: the assessment.
        target: the id of one of the plan's targets (``a.target_definitions``); default:
            the first of the plan's targets that leaves a banner/county a gap (the first
            gap chart of :func:`chart_names`), else the plan's first target.
        ax: the matplotlib axes to draw on (default: new ones).
        top: how many banners/counties to show.
        lang: ``"en"`` or ``"zh"`` (Chinese when a CJK font is found, else English).

    Returns:
        The axes drawn on.

    Raises:
        InvalidArgumentError: ``target`` is not a target of the assessment's plan, or
            ``top`` is not a whole number of at least 1.

    .. versionchanged:: 0.1.0
       Any target of the plan; an unknown one is refused (it was drawn as empty axes).
       Without a target, the plan's first target with a gap (it was the 13th plan's
       ``"facility_area"``, which other plans refused).
    """
    check_assessment(a)
    ids = [d.id for d in a.target_definitions]
    if target is None and ids:
        target = next((i for i in ids if rp.ranked_gaps(a, i)), ids[0])
    if target not in ids:
        expected = "one of " + ", ".join(ids) if ids else "no target: the plan sets none"
        raise InvalidArgumentError("target", target, expected)
    check_top(top)
    return _gap(a, target, ax=ax, top=top, lang=lang)
