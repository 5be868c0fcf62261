"""Words and tables: explanations, terminal and Markdown reports, HTML.

Nothing here needs pandas: the terminal table is laid out by hand, counting a Chinese
character as two columns wide.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from sqfw.analysis._format import amount, percent
from sqfw.analysis._result import Attainment, register_view
from sqfw.analysis._targets import INDICATORS
from sqfw.calculators import NORMS, Status
from sqfw.entities import DivisionLevel
from sqfw.standards import Unit

if TYPE_CHECKING:
    from sqfw.analysis._result import Assessment, TargetResult

__all__ = ["html_report", "report", "table"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    markdown: bool,
    right: Sequence[int] = (),
) -> str:
    """A table as aligned text or as Markdown."""
    if markdown:
        escape = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        lines = ["| " + " | ".join(header) + " |"]
        lines.append(
            "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"
        )
        lines += ["| " + " | ".join(row) + " |" for row in escape]
        return "\n".join(lines)
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(
        _pad(h, w, i in right) for i, (h, w) in enumerate(zip(header, widths, strict=True))
    )
    rule = "  ".join("─" * w for w in widths)
    body = [
        "  ".join(_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    return "\n".join([line, rule, *body])


_MARK = {"met": "✔", "not_met": "✘", "unknown": "?", "not_applicable": "–"}

_T = {
    "title": ("社区服务体系规划目标评估", "Community service plan assessment"),
    "summary": (
        "{name}:{n} 个社区,评估日期 {on};标准:{std}",
        "{name}: {n} communities, assessed on {on}; standards: {std}",
    ),
    "overrides": ("覆盖参数", "overrides"),
    "targets": ("规划目标", "Targets of the plan"),
    "target": ("目标", "target"),
    "clause": ("条款", "clause"),
    "status": ("达成", "attained"),
    "now": ("现状", "now"),
    "required": ("要求", "required"),
    "gap": ("差距", "gap"),
    "leagues": ("各盟市指标", "Indicators by league/city"),
    "place": ("地区", "place"),
    "norms": ("社区逐项检查", "Per-community norms"),
    "norm": ("规范", "norm"),
    "pass": ("达标", "pass"),
    "fail": ("未达标", "fail"),
    "unknown": ("未知", "unknown"),
    "na": ("不适用", "n/a"),
    "shortfall": ("差额合计", "total shortfall"),
    "gaps": ("差距最大的旗县市区:{label}", "Largest gaps by banner/county: {label}"),
    "skipped": ("跳过的行", "Skipped rows"),
    "met_count": ("达成目标", "targets met"),
}


def _t(key: str, lang: str) -> str:
    zh, en = _T[key]
    return zh if lang == "zh" else en


def _target_rows(results: Sequence[TargetResult], lang: str) -> list[list[str]]:
    rows = []
    for t in results:
        d = t.target
        label = d.label_zh if lang == "zh" else d.label_en
        rows.append(
            [
                label,
                "/".join(d.clauses),
                f"{_MARK[t.attainment.value]} {t.attainment.label(lang)}",
                percent(t.measured),
                "100%" if d.kind == "every" and t.required is not None else percent(t.required),
                amount(t.gap, d.gap_unit),
            ]
        )
    return rows


_LEAGUE_INDICATORS = (
    "facility_area.compliance",
    "volunteers.share",
    "street_hall.coverage",
    "smart.infrastructure",
    "direct_election.ratio",
    "workforce.pay_share",
)


def _sections(a: Assessment, lang: str, markdown: bool, top: int) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    header = [_t(k, lang) for k in ("target", "clause", "status", "now", "required", "gap")]
    regional = a.targets_at(DivisionLevel.REGION)
    sections.append(
        (
            _t("targets", lang),
            table(header, _target_rows(regional, lang), markdown=markdown, right=(3, 4, 5)),
        )
    )
    norm_rows = []
    for item in NORMS:
        counts = a.status_counts(item.id)
        shortfall = a.shortfall_total(item.id)
        unit = item.shortfall_unit
        norm_rows.append(
            [
                item.label_zh if lang == "zh" else item.label_en,
                f"{counts[Status.PASS]:,}",
                f"{counts[Status.FAIL]:,}",
                f"{counts[Status.UNKNOWN]:,}",
                f"{counts[Status.NOT_APPLICABLE]:,}",
                amount(
                    Decimal(repr(round(shortfall, 2))) if unit is Unit.M2 else int(shortfall), unit
                ),
            ]
        )
    sections.append(
        (
            _t("norms", lang),
            table(
                [_t(k, lang) for k in ("norm", "pass", "fail", "unknown", "na", "shortfall")],
                norm_rows,
                markdown=markdown,
                right=(1, 2, 3, 4, 5),
            ),
        )
    )
    defs = [d for d in INDICATORS if d.id in _LEAGUE_INDICATORS]
    league_rows = []
    for place in a.places:
        if place.level is not DivisionLevel.PREFECTURE:
            continue
        met = sum(
            1 for t in a.targets if t.place.code == place.code and t.attainment is Attainment.MET
        )
        decided = sum(1 for t in a.targets if t.place.code == place.code)
        league_rows.append(
            [place.name]
            + [percent(a.indicator(d.id, place.code).value) for d in defs]
            + [f"{met}/{decided}"]
        )
    sections.append(
        (
            _t("leagues", lang),
            table(
                [_t("place", lang)]
                + [d.label_zh if lang == "zh" else d.label_en for d in defs]
                + [_t("met_count", lang)],
                league_rows,
                markdown=markdown,
                right=tuple(range(1, len(defs) + 2)),
            ),
        )
    )
    for target_id in ("facility_area", "volunteers"):
        ranked = [t for t in a.gaps(target_id) if t.gap]
        if not ranked:
            continue
        d = ranked[0].target
        rows = [
            [
                str(i + 1),
                t.place.name,
                a.place(t.place.parent_code).name if t.place.parent_code else "",
                amount(t.gap, d.gap_unit),
                percent(t.measured),
            ]
            for i, t in enumerate(ranked[:top])
        ]
        label = d.gap_zh if lang == "zh" else d.gap_en
        sections.append(
            (
                _t("gaps", lang).format(label=label),
                table(
                    ["#", _t("place", lang), "", _t("gap", lang), _t("now", lang)],
                    rows,
                    markdown=markdown,
                    right=(0, 3, 4),
                ),
            )
        )
    if a.skipped:
        sections.append(
            (
                _t("skipped", lang),
                "\n".join(f"- {row}" for row in a.skipped[:50])
                + (f"\n- … {len(a.skipped) - 50}" if len(a.skipped) > 50 else ""),
            )
        )
    return sections


def _summary(a: Assessment, lang: str) -> str:
    line = _t("summary", lang).format(
        name=a.region.name, n=f"{len(a.dataset):,}", on=a.on, std=a.standards.name
    )
    overrides = a.standards.overrides_in_force(a.on)
    if overrides:
        line += f"\n{_t('overrides', lang)}: " + "; ".join(str(o) for o in overrides)
    return line


def report(a: Assessment, *, lang: str, markdown: bool, top: int) -> str:
    """The report as a terminal table or Markdown."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang: expected 'zh' or 'en', got {lang!r}")
    parts = []
    if markdown:
        parts.append(f"# {_t('title', lang)}\n\n{_summary(a, lang)}")
        for title, body in _sections(a, lang, True, top):
            parts.append(f"## {title}\n\n{body}")
    else:
        parts.append(f"{_t('title', lang)}\n{_summary(a, lang)}")
        for title, body in _sections(a, lang, False, top):
            parts.append(f"{title}\n{body}")
    return "\n\n".join(parts) + "\n"


def html_report(a: Assessment, *, lang: str, top: int) -> str:
    """The report as an HTML fragment of headed tables."""
    out = [f"<div class='sqfw-assessment'><h3>{html.escape(_t('title', lang))}</h3>"]
    out.append(f"<p>{html.escape(_summary(a, lang)).replace(chr(10), '<br>')}</p>")
    for title, body in _sections(a, lang, True, top):
        out.append(f"<h4>{html.escape(title)}</h4>")
        out.append(_markdown_table_to_html(body))
    out.append("</div>")
    return "\n".join(out)


def _markdown_table_to_html(body: str) -> str:
    lines = body.splitlines()
    if not lines or not lines[0].startswith("|"):
        items = "".join(f"<li>{html.escape(line.removeprefix('- '))}</li>" for line in lines)
        return f"<ul>{items}</ul>"

    def cells(line: str) -> list[str]:
        parts = line.strip().strip("|").split(" | ")
        return [html.unescape(p.strip().replace("\\|", "|")) for p in parts]

    head = "".join(f"<th>{html.escape(c)}</th>" for c in cells(lines[0]))
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(line)) + "</tr>"
        for line in lines[2:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


register_view("text", report)
register_view("html", html_report)
