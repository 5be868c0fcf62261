"""The assessment as one standalone HTML page: opens offline in any browser, prints well.

One file: ``<!DOCTYPE html>``, UTF-8, the styles and a small sorting script inline, the
charts as inline SVG, and nothing fetched from anywhere (a content security policy
forbids it). It shows the targets with their status in colour and their citations, the
per-community norms, the indicators by league/city and by banner/county (click a heading
to sort), the gaps ranked, the parameters and overrides in force, the columns not used,
the rows skipped, and a methods section saying what each target means, with its clauses.

Figures come from the :class:`~sqfw.analysis.Assessment` through the report's tables
(:mod:`sqfw.reports._tables`) and are written with :mod:`sqfw.formatting`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
import os
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sqfw._files import atomic_write
from sqfw._version import __version__
from sqfw.analysis import Attainment
from sqfw.calculators import NORMS
from sqfw.entities import DivisionLevel
from sqfw.labels import check_lang
from sqfw.reports import _tables as rp
from sqfw.reports._charts import chart_names
from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._text import summary

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["html_page", "write_html"]

_FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", '
    '"WenQuanYi Zen Hei", "Heiti SC", system-ui, -apple-system, "Segoe UI", Roboto, '
    '"Helvetica Neue", Arial, sans-serif'
)

_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --band: #f6f8fa;
  --met: #1a7f37; --met-bg: #dafbe1; --not: #b42318; --not-bg: #ffebe9;
  --unk: #59636e; --unk-bg: #eaeef2; --na-bg: #f6f8fa; }
* { box-sizing: border-box; }
html { font-family: FONTS; color: var(--ink); line-height: 1.5; font-size: 15px; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 64px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 40px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
p.summary { color: var(--muted); margin: 0 0 16px; white-space: pre-line; }
nav { background: var(--band); border: 1px solid var(--rule); border-radius: 6px;
  padding: 8px 14px; margin: 16px 0; }
nav { display: flex; flex-wrap: wrap; row-gap: 2px; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--rule); border-radius: 8px; padding: 10px 16px;
  min-width: 150px; }
.card b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.card.met b { color: var(--met); } .card.not_met b { color: var(--not); }
.card.unknown b { color: var(--unk); }
.scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 4px; }
.scroll.long { max-height: min(80vh, 42rem); overflow-y: auto;
  border-bottom: 1px solid var(--rule); }
p.rows { color: var(--muted); font-size: 0.85rem; margin: 2px 0 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.93rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; vertical-align: top;
  text-align: left; min-width: calc(4.2em + 16px); }  /* four characters and padding */
thead th { background: var(--band); position: sticky; top: 0; font-weight: 600;
  vertical-align: bottom; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.name { min-width: calc(6.2em + 16px); }  /* a name of 12 characters takes two lines */
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
.status { display: inline-block; border-radius: 10px; padding: 0 8px; white-space: nowrap;
  font-weight: 600; }
.status.met { color: var(--met); background: var(--met-bg); }
.status.not_met { color: var(--not); background: var(--not-bg); }
.status.unknown { color: var(--unk); background: var(--unk-bg); }
.status.not_applicable { color: var(--muted); background: var(--na-bg); font-weight: 400; }
td.note { color: var(--muted); font-size: 0.85rem; min-width: 18em; }
details summary { cursor: pointer; color: #0969da; }
details p { margin: 4px 0; font-size: 0.85rem; color: var(--muted); }
.lacking { color: var(--not); }
figure { margin: 16px 0 28px; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.85rem; }
.note { color: var(--muted); }
dl.methods dt { font-weight: 600; margin-top: 12px; }
dl.methods dd { margin: 2px 0 0 0; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.8rem; }
details.fold { margin: 8px 0; }
details.fold > summary { padding: 4px 0; }
details.fold > summary h3 { display: inline; margin: 0; font-size: 1.05rem; color: var(--ink); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr));
  column-gap: 24px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  html { font-size: 10.5pt; } body { max-width: none; padding: 0; }
  nav, p.rows { display: none; }
  .scroll, .scroll.long { overflow: visible; max-height: none; border: 0; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 4px; min-width: calc(4.2em + 8px); }
  td.name { min-width: calc(6.2em + 8px); }
  table.wide { font-size: 7.5pt; } table.wide th, table.wide td { padding: 2px 3px; }
  thead { display: table-header-group; } tr, figure, .card { break-inside: avoid; }
  h2 { break-after: avoid; } thead th { position: static; }
  details.fold::details-content { content-visibility: visible; }  /* paper: all of it */
  details.fold > summary { list-style: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".replace("FONTS", _FONTS)

_SCRIPT = """
(function () {
  "use strict";
  function key(cell, numeric) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (!numeric) { return raw; }
    var value = parseFloat(raw);
    return isNaN(value) ? null : value;
  }
  function sort(table, column, header) {
    var numeric = header.classList.contains("num");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column], numeric), y = key(b.cells[column], numeric);
      if (x === y) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.fold").forEach(function (d) { d.open = true; });
  });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.addEventListener("click", function () { sort(table, column, th); });
      th.title = th.title || "click to sort / 点击排序";
    });
  });
}());
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_PAGE = {
    "contents": ("目录", "Contents"),
    "region_targets": ("全区目标", "targets of the region"),
    "communities": ("社区", "communities"),
    "generated": (
        "由 sqfw {version} 生成;评估日期 {on}。数字取自评估结果,未经重新计算。",
        "Generated by sqfw {version}; assessed on {on}. Every figure is the assessment's own.",
    ),
    "no_charts": (
        "未生成图表:需要 matplotlib(pip install 'sqfw[analysis]')。",
        "Charts not drawn: they need matplotlib (pip install 'sqfw[analysis]').",
    ),
    "more_charts": ("其余差距图表({n} 张)", "More gap charts ({n})"),
    "citation": ("依据", "citation"),
    "gaps_title": ("差距排名", "Gaps ranked"),
    "data": ("数据说明", "About the data"),
    "none_unused": ("所有列均已读取。", "Every column of the source was read."),
    "none_skipped": ("没有跳过的行。", "No row was skipped."),
    "overrides_none": ("没有覆盖参数。", "No parameter is overridden."),
    "standards": ("标准与参数", "Standards and parameters"),
    "kind_every": (
        "每个适用的社区都须达到该规范;达成率为达标社区占可判断社区的比例,差距为未达标社区的差额合计。",
        "every community the norm applies to must meet it; the rate is the share of decided "
        "communities that do, the gap the sum of the shortfalls of those that do not.",
    ),
    "kind_at_least": (
        "比例须不低于规定值;差距为达到规定比例尚需的数量。",
        "the share must reach the required ratio; the gap is how many more are needed.",
    ),
    "kind_above_baseline": (
        "比例须高于基期数值(见 --baselines);没有基期数据时无法判断。",
        "the share must be higher than the earlier figure (see --baselines); without it the "
        "target cannot be decided.",
    ),
    "kind_per_at_least": (
        "每百户(或每万人)的数值须不低于规定值;差距为达到规定值尚需的面积或人数。",
        "the figure per 100 households (or per 10,000 residents) must reach the required "
        "value; the gap is the area or the people still needed.",
    ),
    "norms_methods": ("社区逐项规范", "Per-community norms"),
    "chart_attainment": ("各盟市规划目标达成情况", "Targets attained by league/city"),
    "chart_area_per_household": ("每百户社区综合服务设施面积", "Facility area per 100 households"),
    "no_charts_plan": (
        "该评估没有图表:没有按盟市判断的目标、每百户面积的规定值或旗县市区的差距。",
        "This assessment has no charts: no target decided by league/city, no area per 100 "
        "households in its plan and no banner/county with a gap.",
    ),
    "level_region": ("全区", "region"),
    "rows": ("共 {n} 行,在表内滚动查看。", "{n} rows: scroll within the table to see them all."),
    "parameters": ("参数表(共 {n} 项)", "Parameters ({n})"),
    "norm_rules": ("各项规范的检查方法", "How each norm is checked"),
    "target_meanings": ("各项目标的含义(共 {n} 项)", "What each target means ({n})"),
    "quoted": ("参数与依据({n} 项)", "parameters and citations ({n})"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _PAGE[key]
    return zh if lang == "zh" else en


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _sort_value(value: Any, kind: str) -> str | None:
    if value is None:
        return ""
    if kind == "amount":
        number = value.number
        return "" if number is None else repr(number)
    if kind == "percent":
        number = float(value)
        return "" if number != number else repr(number)
    if kind in ("count", "rank"):
        return str(value)
    if kind == "status":
        return str(list(Attainment).index(value) if isinstance(value, Attainment) else value)
    return None


def _cell(value: Any, field: rp.Field, lang: str) -> str:
    if field.kind == "status":
        text = rp.cell_text(value, "status", lang)
        return (
            f'<td data-sort="{_sort_value(value, "status")}">'
            f'<span class="status {value.value}">{_e(text)}</span></td>'
        )
    if field.key == "citation":
        lines = "".join(f"<p>{_e(line)}</p>" for line in str(value).splitlines())
        return f"<td><details><summary>{_e(_w('citation', lang))}</summary>{lines}</details></td>"
    text = rp.cell_text(value, field.kind, lang)
    if field.numeric:
        return f'<td class="num" data-sort="{_sort_value(value, field.kind)}">{_e(text)}</td>'
    klass = _TEXT_CLASS.get(field.key, "")
    return f"<td{klass}>{_e(text)}</td>"


_TEXT_CLASS = {"note": ' class="note"', "place": ' class="name"', "parent": ' class="name"'}
"""Notes are muted; places' names are kept at least six characters wide."""

WIDE = 10
"""A table of more columns is printed in a smaller type, to fit A4 landscape."""

LONG = 25
"""A table of more rows scrolls in a box of its own (on paper it runs over pages)."""

OPEN_CHARTS = 4
"""The charts shown as the page opens (two rows of two); the others are folded."""


def table_html(t: rp.Table, lang: str, *, sortable: bool = True) -> str:
    """A report table as an HTML table (figures right-aligned, status in colour)."""
    heads = "".join(  # a heading may break after "/" ("banners/<wbr>counties")
        f'<th scope="col"{" class=num" if f.numeric else ""}>'
        f"{_e(f.label(lang)).replace('/', '/<wbr>')}</th>"
        for f in t.fields
    )
    rows = []
    for index, row in enumerate(t.rows):
        level = t.levels[index] if index < len(t.levels) else None
        klass = f' class="{level}"' if level else ""
        cells = "".join(_cell(v, f, lang) for v, f in zip(row, t.fields, strict=True))
        rows.append(f"<tr{klass}>{cells}</tr>")
    classes = (["sortable"] if sortable else []) + (["wide"] if len(t.fields) > WIDE else [])
    klass = f' class="{" ".join(classes)}"' if classes else ""
    box, rows_note = "scroll", ""
    if len(t.rows) > LONG:  # scrolls within its box, its headings kept in view
        box = "scroll long"
        rows_note = f'<p class="rows">{_e(_w("rows", lang).format(n=f"{len(t.rows):,}"))}</p>'
    return (
        f'<div class="{box}" tabindex="0" role="region" aria-label="{_e(t.title(lang))}">'
        f'<table{klass} id="table-{_e(t.id)}">'
        f"<thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{rows_note}"
    )


def fold(summary: str, content: str, *, open: bool = False) -> str:
    """``content`` under a ``summary`` a reader clicks to open or close (``<details>``).

    A closed fold keeps its content in the page (found by the browser's search, by a
    screen reader when opened, and printed: the print styles and a ``beforeprint``
    handler open every fold), so nothing is lost; it only keeps a long page short.
    """
    return (
        f'<details class="fold"{" open" if open else ""}><summary>{summary}</summary>'
        f"{content}</details>"
    )


def _cards(a: Assessment, lang: str) -> str:
    regional = a.targets_at()
    counts = {s: sum(1 for r in regional if r.attainment is s) for s in Attainment}
    cards = [
        f'<div class="card"><b>{len(a.dataset):,}</b>{_e(_w("communities", lang))}</div>',
    ]
    if not a.sets_region_targets:
        cards.append(f'<div class="card">{_e(rp.t("no_targets", lang))}</div>')
        return f'<div class="cards">{"".join(cards)}</div>'
    for state in (Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN):
        cards.append(
            f'<div class="card {state.value}"><b>{counts[state]}/{len(regional)}</b>'
            f"{_e(state.label(lang))}</div>"
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _caption(a: Assessment, name: str, lang: str) -> str:
    """A chart's caption: the page's words, or a gap chart's target as its ranking says."""
    if not name.startswith("gap_"):
        return _w("chart_" + name, lang)
    target = name.removeprefix("gap_")
    d = next(d for d in a.target_definitions if d.id == target)
    label = d.label_zh if lang == "zh" else d.label_en
    gap = d.gap_zh if lang == "zh" else d.gap_en
    return f"{label} — {rp.t('gaps', lang).format(label=gap)}"  # the ranking's heading


def _charts(a: Assessment, lang: str) -> str:
    if not chart_names(a):  # said, not an empty box
        return f'<p class="note">{_e(_w("no_charts_plan", lang))}</p>'
    try:
        from sqfw.reports._charts import FontWarning, svg_charts

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FontWarning)
            charts = svg_charts(a, lang=lang)
    except ImportError:
        return f'<p class="note">{_e(_w("no_charts", lang))}</p>'
    notes = "".join(f'<p class="note">{_e(w.message)}</p>' for w in caught)
    figures = [
        f'<figure id="chart-{_e(name)}">{svg}<figcaption>{_e(_caption(a, name, lang))}'
        "</figcaption></figure>"
        for name, svg in charts
    ]
    shown = f'<div class="charts">{"".join(figures[:OPEN_CHARTS])}</div>'
    more = figures[OPEN_CHARTS:]
    if more:  # folded like the gap rankings: in the page, printed, opened with a click
        summary = _e(_w("more_charts", lang).format(n=len(more)))
        shown += fold(summary, f'<div class="charts">{"".join(more)}</div>')
    return notes + shown


def _methods(a: Assessment, lang: str) -> str:
    items = []
    regional = {r.target.id: r for r in a.targets_at()}
    for d in a.target_definitions:
        label = d.label_zh if lang == "zh" else d.label_en
        parameters = regional[d.id].parameters if d.id in regional else ()
        quoted = "".join(
            f"<p>{_e(p.id)} = {_e(_shown(p.value))}: {_e(p.citation)}</p>" for p in parameters
        )
        if quoted:  # the parameters' citations, opened on demand
            quoted = fold(_e(_w("quoted", lang).format(n=len(parameters))), quoted)
        items.append(
            f"<dt>{_e(label)} ({_e('/'.join(d.clauses))})</dt>"
            f"<dd>{_e(_w('kind_' + d.kind.name, lang))}{quoted}</dd>"
        )
    norms = "".join(
        f"<dt>{_e(n.label_zh if lang == 'zh' else n.label_en)} "
        f"({_e('/'.join(a.runs[n.id].params.clauses()))})</dt>"
        f"<dd>{_e(_norm_text(n, lang))}</dd>"
        for n in NORMS
        if n.id in a.runs
    )
    rules = ""
    if norms:
        rules = f"<h3>{_e(_w('norms_methods', lang))}</h3>" + fold(
            _e(_w("norm_rules", lang)), f'<dl class="methods">{norms}</dl>'
        )
    meanings = fold(
        _e(_w("target_meanings", lang).format(n=len(items))),
        f'<dl class="methods">{"".join(items)}</dl>',
    )
    return meanings + rules


def _norm_text(norm: Any, lang: str) -> str:
    unit = norm.shortfall_unit.label(lang)
    if lang == "zh":  # the rule's own summary is English: the Chinese page says it in Chinese
        return f"逐个社区检查“{norm.label_zh}”,统计达标、未达标和无法判断的社区(差额单位 {unit})"
    doc = (norm.kernel.__doc__ or "").strip().splitlines()
    first = doc[0] if doc else ""
    return f"{first} (shortfall in {unit})"


def _shown(value: object) -> str:
    if isinstance(value, Fraction):
        return str(value) if value.denominator == 1 else f"{value} ({float(value):.2%})"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _data_notes(a: Assessment, lang: str) -> str:
    parts = []
    unused = rp.unused_columns(a)
    parts.append(f"<h3>{_e(rp.t('unused', lang))}</h3>")
    if unused:
        names = ", ".join(unused)
        parts.append(f'<p class="lacking">{_e(rp.t("unused_note", lang).format(names=names))}</p>')
    else:
        parts.append(f"<p>{_e(_w('none_unused', lang))}</p>")
    lacking = [
        f"<li>{_e(r.target.label_zh if lang == 'zh' else r.target.label_en)}: {_e(why)}</li>"
        for r in a.targets_at()
        if (why := rp.lacking(a, r, lang))
    ]
    if lacking:
        parts.append(f'<ul class="lacking">{"".join(lacking)}</ul>')
    parts.append(f"<h3>{_e(rp.t('skipped', lang))}</h3>")
    if a.skipped:
        parts.append(table_html(rp.skipped_table(a), lang))
    else:
        parts.append(f"<p>{_e(_w('none_skipped', lang))}</p>")
    return "".join(parts)


def html_page(a: Assessment, *, lang: str = "zh", top: int = 20, charts: bool = True) -> str:
    """The whole report as one standalone HTML page.

    Args:
        a: the assessment.
        lang: ``"zh"`` or ``"en"``.
        top: how many banners/counties each gap ranking lists.
        charts: embed the charts (needs matplotlib; a note says so without it).

    Returns:
        The page's text (UTF-8 when written).
    """
    check_assessment(a)
    from sqfw.reports._text import check_top

    check_lang(lang)
    check_top(top)
    title = rp.t("title", lang)
    sections: list[tuple[str, str, str]] = []
    if a.sets_region_targets:
        targets = table_html(rp.targets_table(a, lang), lang)
    else:  # the laws set none: said, not an empty table
        targets = f'<p class="note">{_e(rp.t("no_targets", lang))}</p>'
    sections.append(("targets", rp.t("targets", lang), targets))
    if a.runs:  # a plan without per-community norms has no table of them
        sections.append(("norms", rp.t("norms", lang), table_html(rp.norms_table(a, lang), lang)))
    if charts:
        sections.append(("charts", rp.t("charts", lang), _charts(a, lang)))
    leagues = rp.indicators_table(a, lang, DivisionLevel.PREFECTURE)
    sections.append(("leagues", leagues.title(lang), table_html(leagues, lang)))
    counties = rp.indicators_table(a, lang, DivisionLevel.COUNTY)
    sections.append(("counties", counties.title(lang), table_html(counties, lang)))
    gaps: list[str] = []
    for d in a.target_definitions:  # one ranking per target, each folded but the first
        ranked = rp.gaps_table(a, d.id, lang, top)
        if ranked is not None:
            label = d.label_zh if lang == "zh" else d.label_en  # two targets may share a gap
            heading = f"<h3>{_e(label)} — {_e(ranked.title(lang))}</h3>"
            gaps.append(fold(heading, table_html(ranked, lang), open=not gaps))
    sections.append(("gaps", _w("gaps_title", lang), "".join(gaps)))
    for attached in (rp.processes_table(a, lang), rp.service_table(a, lang)):
        if attached is not None:  # what a host attached with Assessment.with_processes
            sections.append((attached.id, attached.title(lang), table_html(attached, lang)))
    overrides = a.standards.overrides_in_force(a.on)
    parameters = rp.parameters_table(a, lang)
    standards = (
        f"<p>{_e(a.standards.name)}</p>"
        + (
            "<ul>" + "".join(f"<li>{_e(o)}</li>" for o in overrides) + "</ul>"
            if overrides
            else f"<p>{_e(_w('overrides_none', lang))}</p>"
        )
        + fold(
            _e(_w("parameters", lang).format(n=len(parameters.rows))),
            table_html(parameters, lang),
        )
    )
    sections.append(("standards", _w("standards", lang), standards))
    sections.append(("data", _w("data", lang), _data_notes(a, lang)))
    sections.append(("methods", rp.t("methods", lang), _methods(a, lang)))
    nav = "".join(f'<a href="#{key}">{_e(name)}</a>' for key, name, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{_e(name)}</h2>{content}</section>'
        for key, name, content in sections
    )
    footer = _w("generated", lang).format(version=__version__, on=a.on)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="sqfw {_e(__version__)}">\n'
        f"<title>{_e(title)} — {_e(a.region.name)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{_e(title)}</h1>"
        f'<p class="summary">{_e(summary(a, lang))}</p>{_cards(a, lang)}</header>\n'
        f'<nav aria-label="{_e(_w("contents", lang))}">{nav}</nav>\n'
        f"<main>{body}</main>\n"
        f"<footer>{_e(footer)}</footer>\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def write_html(
    a: Assessment,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    top: int = 20,
    charts: bool = True,
) -> None:
    """Write :func:`html_page` to ``path`` (UTF-8, atomically)."""
    check_assessment(a)
    text = html_page(a, lang=lang, top=top, charts=charts)
    with atomic_write(path, "w", encoding="utf-8") as stream:
        stream.write(text)
