"""Every view of one assessment shows the same figures.

For every bundled plan and several regions (the bundled sample and hypothesis-drawn ones),
each target's attainment, measured share, required share and gap, and each indicator's
value, are read back from every view as a person or a program would read it — the text
table and the Markdown table by their columns, the HTML page by its cells, the JSON
report, the DataFrame, the Parquet files and the workbook by their fields — and compared
with the assessment's own :class:`~sqfw.analysis.TargetResult`. A view that decides a
figure of its own (a gap shown as "—" where the result has one) fails here.
"""

from __future__ import annotations

import json
import math
import unicodedata
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqfw import reports
from sqfw.analysis import Assessment, RegionDataset, assess, sample_region
from sqfw.entities import DivisionLevel
from sqfw.formatting import amount, rate
from sqfw.testing import regions

PLANS = ("im-13th", "cn-14th", "cn-laws")
LABELS = {
    "zh": {"target": "目标", "attained": "达成", "now": "现状", "required": "要求", "gap": "差距"},
    "en": {
        "target": "target",
        "attained": "attained",
        "now": "now",
        "required": "required",
        "gap": "gap",
    },
}
TITLE = {"zh": "规划目标", "en": "Targets of the plan"}


# -- what each figure looks like in a text view --------------------------------------------


def _shown(a: Assessment, lang: str) -> list[dict[str, str]]:
    """The region's targets as the result says they should read, cell by cell."""
    rows = []
    for r in a.targets_at():
        d = r.target
        rows.append(
            {
                "target": d.label_zh if lang == "zh" else d.label_en,
                "attained": r.attainment.label(lang),
                "now": rate(r.measured, d.per),
                "required": rate(r.required, d.per),
                "gap": amount(r.gap, d.gap_unit),
            }
        )
    return rows


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _terminal_targets(text: str, lang: str) -> list[dict[str, str]]:
    """The targets table of a terminal report, cut into columns at the rule's gaps."""
    lines = text.splitlines()
    start = lines.index(TITLE[lang])
    header, rule = lines[start + 1], lines[start + 2]
    spans = []  # (first cell, end cell) of each column, from the rule line
    position = 0
    begin = None
    for ch in rule + " ":
        if ch == "─" and begin is None:
            begin = position
        elif ch != "─" and begin is not None:
            spans.append((begin, position))
            begin = None
        position += _cells(ch)

    def cut(line: str) -> list[str]:
        out = [""] * len(spans)
        position = 0
        for ch in line:
            for index, (first, end) in enumerate(spans):
                if first <= position < end:
                    out[index] += ch
            position += _cells(ch)
        return [cell.strip() for cell in out]

    names = cut(header)
    rows: list[dict[str, str]] = []
    for line in lines[start + 3 :]:
        if not line.strip():
            break
        cells = cut(line)
        if cells[0] == "" and rows:  # a wrapped line continues the row above
            for name, cell in zip(names, cells, strict=True):
                if cell:
                    rows[-1][name] = (rows[-1][name] + " " + cell).strip()
            continue
        rows.append(dict(zip(names, cells, strict=True)))
    return rows


def _markdown_targets(text: str, lang: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    start = lines.index(f"## {TITLE[lang]}")
    table = [line for line in lines[start + 1 :] if line.startswith("|")]
    end = next(
        (i for i, line in enumerate(lines[start + 2 :], start + 2) if line.startswith("## ")),
        len(lines),
    )
    table = [line for line in lines[start + 1 : end] if line.startswith("|")]

    def cells(line: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")]

    names = cells(table[0])
    return [dict(zip(names, cells(line), strict=True)) for line in table[2:]]


class _Tables(HTMLParser):
    """The text of every cell of every table in a section of the page."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section
        self.inside = 0
        self.depth = 0
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.depth += 1
            if dict(attrs).get("id") == self.section:
                self.inside = self.depth
        if not self.inside:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            if self.inside == self.depth:
                self.inside = 0
            self.depth -= 1
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_targets(page: str, lang: str) -> list[dict[str, str]]:
    parser = _Tables("targets")
    parser.feed(page)
    table = parser.tables[0]
    names = table[0]
    return [dict(zip(names, row, strict=True)) for row in table[1:]]


def _same_cells(got: list[dict[str, str]], expected: list[dict[str, str]], lang: str) -> None:
    words = LABELS[lang]
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        for key, value in want.items():
            cell = row[words[key]]
            if key == "attained":
                assert cell.endswith(value), (key, cell, value)
            else:
                assert cell == value, (want["target"], key, cell, value)


# -- what each figure is in a data view ------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return float(Fraction(value))
    return float(value)


def _close(got: Any, expected: Any) -> bool:
    a, b = _number(got), _number(expected)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _check_records(a: Assessment, records: list[dict[str, Any]], view: str) -> None:
    """Records keyed by (target, place) with attainment, measured, required and gap."""
    by_key = {(r["target"], r["level"], r["place"]): r for r in records}
    assert len(by_key) == len(a.targets), view
    for t in a.targets:
        row = by_key[(t.target.id, t.place.level.name.lower(), t.place.code)]
        assert row["attainment"] == t.attainment.value, (view, t.target.id)
        for field in ("measured", "required", "gap"):
            assert _close(row[field], getattr(t, field)), (view, t.target.id, field, row[field])


def check_every_view(a: Assessment, folder: Path) -> None:
    """The agreement of every view of ``a`` (the whole test, for one assessment)."""
    if not a.sets_region_targets:
        # a plan without region targets says so in every view, in words a person reads
        for lang, words in (
            ("zh", "该规划没有区域指标目标"),
            ("en", "This plan sets no region targets"),
        ):
            assert words in " ".join(reports.text(a, lang=lang, width=100).split())
            assert words in reports.markdown(a, lang=lang)
            assert words in reports.html_page(a, lang=lang, charts=False)
        data = reports.to_dict(a, findings="none")
        assert data["targets"] == []
        assert data["sets_region_targets"] is False
        return
    for lang in ("zh", "en"):
        expected = _shown(a, lang)
        _same_cells(_terminal_targets(reports.text(a, lang=lang, width=400), lang), expected, lang)
        _same_cells(_markdown_targets(reports.markdown(a, lang=lang), lang), expected, lang)
        page = reports.html_page(a, lang=lang, charts=False)
        _same_cells(_html_targets(page, lang), expected, lang)
    data = json.loads(reports.to_json(a, findings="none"))
    _check_records(a, data["targets"], "json")
    frame = reports.frame(a, "targets")
    _check_records(a, frame.to_dict("records"), "frame")
    pq = pytest.importorskip("pyarrow.parquet")
    files = reports.write_parquet(a, folder / "r.parquet", findings="none")
    _check_records(a, pq.read_table(files[0]).to_pylist(), "parquet")
    for rows in (pq.read_table(files[1]).to_pylist(), data["indicators"]):
        indicators = {(r["indicator"], r["level"], r["place"]): r for r in rows}
        for v in a.indicators:
            key = (v.indicator.id, v.place.level.name.lower(), v.place.code)
            assert _close(indicators[key]["value"], v.value)
    openpyxl = pytest.importorskip("openpyxl")
    book = folder / "r.xlsx"
    reports.write_workbook(a, book, lang="en", findings="none")
    workbook = openpyxl.load_workbook(book, read_only=True)
    try:
        rows = list(workbook["targets"].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [str(c) for c in rows[0]]
    region_rows = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] == "region"]
    results = a.targets_at(DivisionLevel.REGION)
    assert len(region_rows) == len(results)
    for row, t in zip(region_rows, results, strict=True):
        for field, key in (("measured", "now"), ("required", "required"), ("gap", "gap")):
            assert _close(row[key], getattr(t, field)), ("xlsx", t.target.id, field, row[key])


@pytest.fixture(scope="module")
def sample() -> RegionDataset:
    return sample_region(seed=11)


class TestEveryViewAgrees:
    """Text, Markdown, HTML, JSON, the DataFrame, Parquet and the workbook agree."""

    @pytest.mark.parametrize("plan", PLANS)
    def test_the_sample_region(self, sample: RegionDataset, plan: str, tmp_path: Path) -> None:
        """Every bundled plan on the bundled sample."""
        check_every_view(assess(sample, plan=plan), tmp_path)

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(region=regions(), plan=st.sampled_from(PLANS))
    def test_drawn_regions(self, region: Any, plan: str, tmp_path: Path) -> None:
        """Every bundled plan on regions hypothesis draws (unknowns, empty places)."""
        check_every_view(assess(region, plan=plan), tmp_path)
