"""Words and tables: terminal and Markdown reports, and the HTML fragment for notebooks.

Nothing here needs pandas. The tables come from :mod:`sqfw.reports._tables`; the terminal
table is laid out by :mod:`sqfw._terminal` to fit the terminal's width, counting
a Chinese character as two columns, and long tables are cut with a note.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqfw._terminal import fit_table, terminal_width, wrap
from sqfw.entities import DivisionLevel
from sqfw.errors import InvalidArgumentError
from sqfw.labels import check_lang
from sqfw.reports import _tables as rp

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["check_top", "html_report", "markdown_table", "render", "report", "table"]

LONG = 30
"""A terminal or Markdown table shows at most this many rows; a note says how many more."""


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    markdown: bool,
    right: Sequence[int] = (),
    limit: int | None = None,
) -> str:
    """A table as aligned text (fitted to ``limit`` columns) or as Markdown."""
    if markdown:
        return markdown_table(header, rows, right=right)
    return fit_table(header, rows, right=right, limit=limit)


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    """A Markdown table (pipes in cells escaped)."""
    escape = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    lines = ["| " + " | ".join(h.replace("|", "\\|") for h in header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in escape]
    return "\n".join(lines)


def render(
    t: rp.Table, lang: str, *, markdown: bool, limit: int | None = None, long: int | None = LONG
) -> str:
    """A report table as terminal text or Markdown, cut after ``long`` rows with a note."""
    shown = t.visible(detail=False)
    fields = [t.fields[i] for i in shown]
    rows = t.rows if long is None else t.rows[:long]
    cells = [
        [
            rp.cell_text(row[i], f.kind, lang) if row[i] is not None or f.kind != "text" else ""
            for i, f in zip(shown, fields, strict=True)
        ]
        for row in rows
    ]
    right = [k for k, f in enumerate(fields) if f.numeric]
    text = table(
        [f.label(lang) for f in fields], cells, markdown=markdown, right=right, limit=limit
    )
    if len(t.rows) > len(rows):
        note = rp.t("cut", lang).format(n=f"{len(t.rows) - len(rows):,}")
        text += ("\n\n" if markdown else "\n") + note
    return text


def check_top(top: int) -> int:
    """``top`` when it is a whole number of at least 1.

    Raises:
        InvalidArgumentError: ``top`` below 1 (a report with empty gap tables says nothing).
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidArgumentError("top", top, "a whole number of at least 1")
    return top


def _sections(
    a: Assessment, lang: str, markdown: bool, top: int, limit: int | None
) -> list[tuple[str, str]]:
    check_top(top)
    tables = [
        *([rp.targets_table(a, lang)] if a.sets_region_targets else []),
        *([rp.norms_table(a, lang)] if a.runs else []),  # a plan without per-community norms
    ]
    leagues = rp.indicators_table(a, lang, DivisionLevel.PREFECTURE, only=rp.LEAGUE_INDICATORS)
    if any(f.numeric for f in leagues.fields):  # a table of names alone says nothing
        tables.append(leagues)
    for target_id in ("facility_area", "volunteers"):
        gaps = rp.gaps_table(a, target_id, lang, top)
        if gaps is not None:
            tables.append(gaps)
    for attached in (rp.processes_table(a, lang), rp.service_table(a, lang)):
        if attached is not None:  # what a host attached with Assessment.with_processes
            tables.append(attached)
    sections = [(t.title(lang), render(t, lang, markdown=markdown, limit=limit)) for t in tables]
    if not a.sets_region_targets:
        sections.insert(0, (rp.t("targets", lang), rp.t("no_targets", lang)))
    notes = [
        f"- {r.target.label_zh if lang == 'zh' else r.target.label_en}: {why}"
        for r in a.targets_at()
        if (why := rp.lacking(a, r, lang))
    ]
    unused = rp.unused_columns(a)
    if unused:
        notes.insert(0, "- " + rp.t("unused_note", lang).format(names=", ".join(unused)))
    if notes:
        sections.append((rp.t("unused", lang), "\n".join(notes)))
    if a.skipped:
        sections.append(
            (
                rp.t("skipped", lang),
                "\n".join(f"- {row}" for row in a.skipped[:50])
                + (f"\n- … {len(a.skipped) - 50}" if len(a.skipped) > 50 else ""),
            )
        )
    return sections


def summary(a: Assessment, lang: str) -> str:
    """The report's first lines: region, communities, date, standards and overrides."""
    line = rp.t("summary", lang).format(
        name=a.region.name, n=f"{len(a.dataset):,}", on=a.on, std=a.standards.name
    )
    overrides = a.standards.overrides_in_force(a.on)
    if overrides:
        line += f"\n{rp.t('overrides', lang)}: " + "; ".join(str(o) for o in overrides)
    line += f"\n{a.carried_forward.note(lang)}" if a.carried_forward is not None else ""
    return line


def report(a: Assessment, *, lang: str, markdown: bool, top: int, width: int | None = None) -> str:
    """The report as a terminal table (fitted to ``width``, default the terminal's) or Markdown."""
    check_lang(lang)
    limit = None if markdown else (width or terminal_width())
    parts = []
    if markdown:
        parts.append(f"# {rp.t('title', lang)}\n\n{summary(a, lang)}")
        for title, body in _sections(a, lang, True, top, limit):
            parts.append(f"## {title}\n\n{body}")
    else:
        lines = [
            part for line in summary(a, lang).splitlines() for part in wrap(line, limit or 100)
        ]
        parts.append("\n".join([rp.t("title", lang), *lines]))
        size = limit or 100
        for title, body in _sections(a, lang, False, top, limit):
            # tables fit already; notes and skipped rows wrap at words, indented under "- "
            lines = [
                (" " * 2 if k and line.startswith("- ") else "") + piece
                for line in body.splitlines()
                for k, piece in enumerate(wrap(line, size - 2 if line.startswith("- ") else size))
            ]
            parts.append("\n".join([*wrap(title, size), *lines]))
    return "\n\n".join(parts) + "\n"


def html_report(a: Assessment, *, lang: str, top: int) -> str:
    """The report as an HTML fragment of headed tables (for notebooks; no scripts).

    :func:`sqfw.analysis.write_report` writes the standalone page.
    """
    out = [f"<div class='sqfw-assessment'><h3>{html.escape(rp.t('title', lang))}</h3>"]
    out.append(f"<p>{html.escape(summary(a, lang)).replace(chr(10), '<br>')}</p>")
    for title, body in _sections(a, lang, True, top, None):
        out.append(f"<h4>{html.escape(title)}</h4>")
        out.append(_markdown_table_to_html(body))
    out.append("</div>")
    return "\n".join(out)


def _markdown_table_to_html(body: str) -> str:
    lines = body.splitlines()
    if lines and not lines[0].startswith(("|", "- ")):  # a sentence (no targets …)
        return "".join(f"<p>{html.escape(line)}</p>" for line in lines)
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
        if line.startswith("|")
    )
    note = "".join(
        f"<p>{html.escape(line)}</p>" for line in lines[2:] if line and not line.startswith("|")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"
