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
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reports.figures import agrees, number

from sqfw import reports
from sqfw.analysis import Assessment, Attainment, RegionDataset, assess, sample_region
from sqfw.entities import DivisionLevel
from sqfw.formatting import amount, rate
from sqfw.reports import _tables as rp
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
    found = _terminal_table(text, TITLE[lang])
    assert found is not None
    return found


def _terminal_table(text: str, title: str) -> list[dict[str, str]] | None:
    """A table of a terminal report by its title, cut into columns at the rule's gaps
    (``None``: the report has no such table)."""
    lines = text.splitlines()
    if title not in lines:
        return None
    start = lines.index(title)
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
    found = _markdown_table(text, TITLE[lang])
    assert found is not None, TITLE[lang]
    return found


class _Tables(HTMLParser):
    """The text of every cell of every table in a section of the page."""

    def __init__(self, section: str | None) -> None:
        super().__init__()
        self.section = section
        self.inside = 0
        self.depth = 0
        self.tables: list[list[list[str]]] = []
        self.ids: list[str] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.depth += 1
            if dict(attrs).get("id") == self.section:
                self.inside = self.depth
        if not self.inside and self.section is not None:
            return
        if tag == "table":
            self.tables.append([])
            self.ids.append(dict(attrs).get("id") or "")
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            if self.inside == self.depth:
                self.inside = 0
            self.depth -= 1
        if tag in ("td", "th") and self.cell is not None:
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


def _close(got: Any, expected: Any) -> bool:
    a, b = number(got), number(expected)
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


def _table_ids(page: str) -> dict[str, list[dict[str, str]]]:
    """Every table of the page by its id (``table-leagues`` …), rows keyed by heading."""
    parser = _Tables(None)  # every section
    parser.feed(page)
    out: dict[str, list[dict[str, str]]] = {}
    for table_id, table in zip(parser.ids, parser.tables, strict=True):
        names = table[0]
        out[table_id] = [dict(zip(names, row, strict=True)) for row in table[1:]]
    return out


def _markdown_table(text: str, title: str) -> list[dict[str, str]] | None:
    """A table of a Markdown report by its ``##`` title (``None``: absent)."""
    lines = text.splitlines()
    if f"## {title}" not in lines:
        return None
    start = lines.index(f"## {title}")
    end = next(
        (i for i, line in enumerate(lines[start + 1 :], start + 1) if line.startswith("## ")),
        len(lines),
    )
    table = [line for line in lines[start + 1 : end] if line.startswith("|")]

    def cells(line: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")]

    names = cells(table[0])
    return [dict(zip(names, cells(line), strict=True)) for line in table[2:]]


def _place_rows(a: Assessment, level: DivisionLevel, lang: str) -> list[dict[str, str]]:
    """Each place of ``level`` as the indicators tables should show it, by heading."""
    values: dict[str, dict[str, Any]] = {}
    for v in a.indicators:
        if v.place.level is level:
            values.setdefault(v.place.code, {})[v.indicator.id] = v
    defs = list(dict.fromkeys(v.indicator for v in a.indicators))
    rows = []
    for place in a.places:
        if place.level is not level:
            continue
        row = {"place" if lang == "en" else "地区": place.name}
        for d in defs:
            got = values.get(place.code, {}).get(d.id)
            row[d.label_zh if lang == "zh" else d.label_en] = rate(
                None if got is None else got.value, d.per
            )
        decided = [t for t in a.targets if t.place == place]
        if a.sets_region_targets:
            met = sum(1 for t in decided if t.attainment is Attainment.MET)
            row["达成目标" if lang == "zh" else "targets met"] = f"{met}/{len(decided)}"
        rows.append(row)
    return rows


def _same_places(got: list[dict[str, str]], expected: list[dict[str, str]], view: str) -> None:
    """Every cell a view shows of the places' table is the one expected (by heading);
    a view may leave columns out (the terminal's league table shows a few indicators)."""
    assert len(got) == len(expected), view
    for row, want in zip(got, expected, strict=True):
        shown = [key for key in want if key in row]
        assert len(shown) >= 2, (view, list(row))  # the place and at least one figure
        for key in shown:
            assert row[key] == want[key], (view, want, key, row[key])


def _gap_rows(a: Assessment, target: str, lang: str, top: int) -> list[dict[str, str]]:
    """A target's gap ranking by banner/county as every view should show it."""
    ranked = [r for r in a.gaps(target) if r.gap][:top]
    return [
        {
            "#": str(i),
            "place" if lang == "en" else "地区": r.place.name,
            "league/city" if lang == "en" else "所属盟市": a.place(r.place.parent_code).name
            if r.place.parent_code
            else "",
            "now" if lang == "en" else "现状": rate(r.measured, r.target.per),
            "gap": amount(r.gap, r.target.gap_unit),
        }
        for i, r in enumerate(ranked, start=1)
    ]


def _same_gaps(got: list[dict[str, str]], expected: list[dict[str, str]], view: str) -> None:
    assert len(got) == len(expected), view
    for row, want in zip(got, expected, strict=True):
        gap = want.pop("gap")
        for key, value in want.items():
            assert row[key] == value, (view, key, row[key], value)
        assert gap in row.values(), (view, gap, row)  # the gap's heading is the target's


def _findings_truth(a: Assessment) -> dict[tuple[str, str], Any]:
    return {(f.code, f.norm): f for f in a.findings()}


def _check_findings(
    truth: dict[tuple[str, str], Any], rows: list[dict[str, Any]], view: str, *, floats: bool
) -> None:
    """Findings keyed by (code, norm): status, measured, required, shortfall."""
    for row in rows:
        key = (row["code"], row["norm"])
        f = truth[key]
        assert row["status"] == f.status.value, (view, key)
        for field in ("measured", "required", "shortfall"):
            figure = getattr(f, field)
            unit = f.shortfall_unit if field == "shortfall" else f.unit
            if floats:  # a float column: as close as a double holds the exact figure
                assert agrees(number(row[field]), figure, unit), (view, key, field, row)
            else:
                assert number(row[field]) == number(figure), (view, key, field, row)


def check_no_targets(a: Assessment, folder: Path) -> None:
    """A plan without region targets (the laws) says so in every view."""
    for lang, words in (
        ("zh", "该规划没有区域指标目标"),
        ("en", "This plan sets no region targets"),
    ):
        views = {
            "text": " ".join(reports.text(a, lang=lang, width=100).split()),
            "markdown": reports.markdown(a, lang=lang),
            "notebook": reports.html(a, lang=lang),
            "html": reports.html_page(a, lang=lang, charts=False),
        }
        for view, shown in views.items():
            assert words in shown, view
            assert "0/0" not in shown, view
        frame = reports.frame(a, "targets", lang=lang)
        assert frame.empty
        assert "attainment" in frame.columns  # the same columns as any plan's
        assert frame.attrs["sets_region_targets"] is False
        assert words in frame.attrs["note"]
        openpyxl = pytest.importorskip("openpyxl")
        book = folder / f"laws-{lang}.xlsx"
        reports.write_workbook(a, book, lang=lang, findings="none")
        workbook = openpyxl.load_workbook(book, read_only=True)
        try:
            about = [row[0] for row in workbook.worksheets[-1].iter_rows(values_only=True)]
        finally:
            workbook.close()
        assert any(words in (cell or "") for cell in about), "workbook"
    data = reports.to_dict(a, findings="none")
    assert data["targets"] == []
    assert data["sets_region_targets"] is False
    lines = folder / "laws.ndjson"
    reports.write_ndjson(a, lines, workers=1)
    # the findings' lines only: a plan of laws runs no norm, so none, and no "0/0"
    assert all(json.loads(line)["norm"] for line in lines.read_text().splitlines())
    pq = pytest.importorskip("pyarrow.parquet")
    files = reports.write_parquet(a, folder / "laws.parquet")
    for file in files:
        meta = {k.decode(): v.decode() for k, v in pq.read_schema(file).metadata.items()}
        assert meta["sqfw.sets_region_targets"] == "false", file
        assert "该规划没有区域指标目标" in meta["sqfw.note"], file
        assert "This plan sets no region targets" in meta["sqfw.note"], file
    assert pq.read_table(files[0]).num_rows == len(list(a.findings()))
    assert pq.read_table(files[1]).num_rows == 0


def check_every_view(a: Assessment, folder: Path, *, findings: bool = True) -> None:
    """The agreement of every view of ``a`` (the whole test, for one assessment).

    With ``findings``, every community's finding of every norm is compared too, in JSON,
    NDJSON, the DataFrame, Parquet and the workbook (the sample region's 56,000 findings
    take minutes: its findings are left to the drawn regions, which run the same code).
    """
    pq = pytest.importorskip("pyarrow.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    data = json.loads(reports.to_json(a, findings="all" if findings else "none"))
    files = reports.write_parquet(a, folder / "r.parquet", findings="all" if findings else "none")
    if findings:  # -- JSON, NDJSON, the DataFrame, Parquet (the workbook's below) -----
        truth = _findings_truth(a)
        _check_findings(truth, data["findings"], "json", floats=False)
        assert len(data["findings"]) == len(truth)
        lines = folder / "r.ndjson"
        reports.write_ndjson(a, lines, workers=1)
        ndjson = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
        assert ndjson == data["findings"]  # the same lines, the same figures
        _check_findings(truth, ndjson, "ndjson", floats=False)
        frame = reports.frame(a, "findings")
        _check_findings(truth, frame.to_dict("records"), "frame", floats=True)
        rows = pq.read_table(files[0]).to_pylist()
        assert len(rows) == len(truth)
        _check_findings(truth, rows, "parquet", floats=True)
        files = files[1:]
    if not a.sets_region_targets:
        check_no_targets(a, folder)
        return
    # -- targets at the region: the text views, cell by cell ---------------------------
    for lang in ("zh", "en"):
        expected = _shown(a, lang)
        text = reports.text(a, lang=lang, width=400)
        markdown = reports.markdown(a, lang=lang)
        page = reports.html_page(a, lang=lang, charts=False)
        _same_cells(_terminal_targets(text, lang), expected, lang)
        _same_cells(_markdown_targets(markdown, lang), expected, lang)
        _same_cells(_html_targets(page, lang), expected, lang)
        # -- leagues and banners/counties: their indicators and targets met -----------
        tables = _table_ids(page)
        leagues = _place_rows(a, DivisionLevel.PREFECTURE, lang)
        counties = _place_rows(a, DivisionLevel.COUNTY, lang)
        _same_places(tables["table-leagues"], leagues, "html leagues")
        _same_places(tables["table-counties"], counties, "html counties")
        title = leagues_title(lang)
        for view, shown in (
            ("text", _terminal_table(text, title)),
            ("markdown", _markdown_table(markdown, title)),
        ):
            if shown is not None:
                _same_places(shown, leagues, f"{view} leagues")
        # -- gaps by banner/county: the terminal and Markdown reports' two, the page's all
        for d in a.target_definitions:
            if d.id not in ("facility_area", "volunteers"):
                continue
            want = _gap_rows(a, d.id, lang, 10)
            ranked = rp.gaps_table(a, d.id, lang, 10)
            assert (ranked is None) == (not want), d.id
            if ranked is None:
                continue
            title = ranked.title(lang)
            for view, shown in (
                ("text", _terminal_table(text, title)),
                ("markdown", _markdown_table(markdown, title)),
            ):
                assert shown is not None, (view, d.id)
                _same_gaps(shown, [dict(w) for w in want], f"{view} gaps {d.id}")
        for d in a.target_definitions:
            want = _gap_rows(a, d.id, lang, 20)
            got = tables.get(f"table-gaps.{d.id}")
            assert (got is None) == (not want), d.id
            if got is not None:
                _same_gaps(got, [dict(w) for w in want], f"html gaps {d.id}")
    # -- every place's targets: JSON, the DataFrame, Parquet ----------------------------
    _check_records(a, data["targets"], "json")
    _check_records(a, reports.frame(a, "targets").to_dict("records"), "frame")
    _check_records(a, pq.read_table(files[0]).to_pylist(), "parquet")
    # -- every place's indicators (sumu/township/street included) -----------------------
    places = {(v.indicator.id, v.place.level.name.lower(), v.place.code): v for v in a.indicators}
    for view, rows in (
        ("parquet", pq.read_table(files[1]).to_pylist()),
        ("json", data["indicators"]),
        ("frame", reports.frame(a, "indicators").to_dict("records")),
    ):
        indicators = {(r["indicator"], r["level"], r["place"]): r for r in rows}
        assert indicators.keys() == places.keys(), view
        for key, v in places.items():
            assert _close(indicators[key]["value"], v.value), (view, key)
    townships = reports.frame(a, "townships").to_dict("records")
    assert len(townships) == len(a.township_indicators)
    for row, v in zip(townships, a.township_indicators, strict=True):
        assert (row["indicator"], row["place"]) == (v.indicator.id, v.place.code)
        assert _close(row["value"], v.value)
    # -- the workbook: targets at every level, indicators, townships, findings ----------
    book = folder / "r.xlsx"
    reports.write_workbook(a, book, lang="en", findings="failing" if findings else "none")
    workbook = openpyxl.load_workbook(book, read_only=True)
    try:
        sheets = {
            name: list(workbook[name].iter_rows(values_only=True))
            for name in ("targets", "leagues", "counties", "townships", "failing findings")
            if name in workbook.sheetnames
        }
    finally:
        workbook.close()
    header = [str(c) for c in sheets["targets"][0]]
    rows = [dict(zip(header, row, strict=True)) for row in sheets["targets"][1:]]
    results = [
        t
        for level in (DivisionLevel.REGION, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY)
        for t in a.targets_at(level)
    ]
    assert len(rows) == len(results)
    for row, t in zip(rows, results, strict=True):
        assert row["place code"] == t.place.code
        assert str(row["attained"]).endswith(t.attainment.label("en"))
        for field, key in (("measured", "now"), ("required", "required"), ("gap", "gap")):
            assert _close(row[key], getattr(t, field)), ("xlsx", t.target.id, field, row[key])
    defs = {d.label_en: d for d in dict.fromkeys(v.indicator for v in a.indicators)}
    for sheet, level in (
        ("leagues", DivisionLevel.PREFECTURE),
        ("counties", DivisionLevel.COUNTY),
    ):
        header = [str(c) for c in sheets[sheet][0]]
        shown = [p for p in a.places if p.level is level]
        assert len(sheets[sheet]) - 1 == len(shown), sheet
        for place, row in zip(shown, sheets[sheet][1:], strict=True):
            cells = dict(zip(header, row, strict=True))
            for label, d in defs.items():
                want = places.get((d.id, level.name.lower(), place.code))
                assert _close(cells[label], None if want is None else want.value), (
                    sheet,
                    place.code,
                    label,
                )
    if not findings:
        return
    failing = [f for f in a.findings() if f.status.value in ("fail", "unknown")]
    assert len(sheets.get("failing findings", [()])) - 1 == len(failing)
    for row, f in zip(sheets["failing findings"][1:], failing, strict=True):
        assert row[0] == f.code
        for index, figure in ((7, f.measured), (8, f.required), (9, f.shortfall)):
            assert _close(row[index], figure), ("xlsx findings", f.code, f.norm, index)


def leagues_title(lang: str) -> str:
    """The title of the leagues' table (the report's own words)."""
    return "各盟市指标" if lang == "zh" else "Indicators by league/city"


@pytest.fixture(scope="module")
def sample() -> RegionDataset:
    return sample_region(seed=11)


class TestEveryViewAgrees:
    """Text, Markdown, HTML, JSON, the DataFrame, Parquet and the workbook agree."""

    @pytest.mark.parametrize("plan", PLANS)
    def test_the_sample_region(self, sample: RegionDataset, plan: str, tmp_path: Path) -> None:
        """Every bundled plan on the bundled sample."""
        check_every_view(assess(sample, plan=plan), tmp_path, findings=False)

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(region=regions(), plan=st.sampled_from(PLANS))
    def test_drawn_regions(self, region: Any, plan: str, tmp_path: Path) -> None:
        """Every bundled plan on regions hypothesis draws (unknowns, empty places)."""
        check_every_view(assess(region, plan=plan), tmp_path)
