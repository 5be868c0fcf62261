"""The HTML page's tables as a browser lays them out, on screen and on paper.

Headless Chromium renders the page of the bundled sample region (the 13th and 14th plans,
in Chinese and English) at 1280×800 and 1920×1080, and as printed on A4 landscape (print
media, 273 mm of width between the page margins). Script measures the boxes
(``getBoundingClientRect``) against things outside the page's styles: the width of "社区名称"
and "0000" drawn in the cell's own font, the line height, the viewport.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sqfw.analysis import assess, choose_plan, sample_region
from sqfw.reports import write_report

from .browser import Browser

A4_LANDSCAPE = round((297 - 2 * 12) / 25.4 * 96)
"""CSS pixels between the margins of an A4 landscape page (12 mm each side)."""

MEASURE = """
(() => {
  const view = document.documentElement.clientWidth, tall = window.innerHeight;
  const found = {page: document.documentElement.scrollWidth, view, tables: []};
  const sizes = new Map();
  function fourChars(cell, s) {  // measured once per font: re-layout per cell is slow
    const key = s.fontFamily + s.fontSize + s.fontWeight;
    if (!sizes.has(key)) {
      sizes.set(key, Math.max(width(cell, "社区名称"), width(cell, "0000")));
    }
    return sizes.get(key);
  }
  function width(cell, text) {
    const probe = document.createElement("span");
    probe.textContent = text;
    probe.style.whiteSpace = "nowrap";
    cell.appendChild(probe);
    const size = probe.getBoundingClientRect().width;
    probe.remove();
    return size;
  }
  found.folded = [];
  for (const table of document.querySelectorAll("main table")) {
    if (!table.checkVisibility()) {  // in a closed fold: not drawn
      found.folded.push(table.id);
      continue;
    }
    const box = table.parentElement, kept = getComputedStyle(box);
    const b = box.getBoundingClientRect();
    const t = {id: table.id, right: b.right, boxWidth: box.clientWidth,
      tableWidth: table.getBoundingClientRect().width, overflowX: kept.overflowX,
      rows: table.tBodies[0].rows.length, boxHeight: b.height,
      scrollHeight: box.scrollHeight, clientHeight: box.clientHeight, tall,
      narrow: [], tallNames: []};
    for (const cell of table.querySelectorAll("th, td")) {
      const s = getComputedStyle(cell), r = cell.getBoundingClientRect();
      const inner = r.width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      const four = fourChars(cell, s);
      if (inner + 0.5 < four) { t.narrow.push([cell.textContent.slice(0, 20), inner, four]); }
      if (cell.classList.contains("name")) {
        const range = document.createRange();  // one box per line the text takes
        range.selectNodeContents(cell);
        const tops = new Set(Array.from(range.getClientRects()).map(x => Math.round(x.top)));
        if (tops.size > 2) { t.tallNames.push([cell.textContent, tops.size]); }
      }
    }
    found.tables.push(t);
  }
  return found;
})()
"""

LONG_NAME = "伊金霍洛旗乌兰木伦镇街道"  # 12 Chinese characters, longer than the sample's names


@pytest.fixture(scope="module", params=[("im-13th", "zh"), ("cn-14th", "zh"), ("im-13th", "en")])
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The standalone page of the sample region under a bundled plan."""
    plan_id, lang = request.param
    region = sample_region()
    plan, day = choose_plan(plan_id, None, region.root.code)
    path = tmp_path_factory.mktemp("layout") / f"{plan_id}-{lang}.html"
    write_report(assess(region, on=day, plan=plan), path, lang=lang)
    return path


OPEN_FOLDS = "document.querySelectorAll('details.fold').forEach(d => d.open = true)"


def _measure(
    browser: Browser, page: Path, *, print_media: bool, opened: bool = False
) -> dict[str, Any]:
    if print_media:
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    browser.open(page)
    if opened:  # what a reader sees who opens every fold
        browser.evaluate(OPEN_FOLDS)
    browser.evaluate(  # a long name in every name cell: still at most two lines
        f"document.querySelectorAll('td.name').forEach(c => c.textContent = '{LONG_NAME}')"
    )
    found: dict[str, Any] = browser.evaluate(MEASURE)
    assert browser.errors() == []
    return found


def _check_widths(found: dict[str, Any], page_width: int) -> None:
    assert found["page"] <= page_width, "the page is wider than the window"
    assert len(found["tables"]) >= 4
    for t in found["tables"]:
        assert t["narrow"] == [], (t["id"], t["narrow"][:5])  # no column under 4 characters
        assert t["tallNames"] == [], (t["id"], t["tallNames"][:5])  # names on ≤ 2 lines
        assert t["right"] <= page_width + 0.5, t["id"]  # the box stays on the page
        if t["tableWidth"] > t["boxWidth"] + 0.5:  # a wide table scrolls in its own box
            assert t["overflowX"] in ("auto", "scroll"), t["id"]


@pytest.mark.parametrize("opened", [False, True], ids=["as-opened", "folds-open"])
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080)])
def test_tables_on_screen(chromium: str, page: Path, width: int, height: int, opened: bool) -> None:
    """On screen: readable columns, nothing off the page, long tables scroll in a box —
    as the page opens, and with every fold opened (the folded tables measured too)."""
    with Browser(chromium, width=width, height=height) as browser:
        found = _measure(browser, page, print_media=False, opened=opened)
    _check_widths(found, width)
    if opened:
        assert found["folded"] == []
    tables = {t["id"]: t for t in found["tables"]}
    counties = tables["table-counties"]
    assert counties["rows"] > 25
    for t in found["tables"]:
        if t["rows"] > 25:  # paged in its own box, no taller than the window
            assert t["boxHeight"] <= height, t["id"]
            assert t["scrollHeight"] > t["clientHeight"], t["id"]
        else:  # short tables are shown whole
            assert t["scrollHeight"] <= t["clientHeight"] + 1, t["id"]


def test_tables_on_a4_landscape(chromium: str, page: Path) -> None:
    """Printed: every table fits the width of the paper and every row is printed."""
    with Browser(chromium, width=A4_LANDSCAPE, height=794) as browser:
        found = _measure(browser, page, print_media=True)
    _check_widths(found, A4_LANDSCAPE)
    assert found["folded"] == []  # paper shows what the screen folds
    for t in found["tables"]:
        assert t["tableWidth"] <= A4_LANDSCAPE + 0.5, t["id"]  # nothing to scroll on paper
        assert t["scrollHeight"] <= t["clientHeight"] + 1, t["id"]  # all rows printed


def test_the_measure_sees_a_squeezed_column(chromium: str, tmp_path: Path) -> None:
    """The measuring script can fail: a narrow column, a stacked name and an overflowing
    table that does not scroll are seen."""
    squeezed = tmp_path / "squeezed.html"
    squeezed.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><main><div style="width:300px">'
        '<table style="width:100%;table-layout:fixed"><thead><tr>'
        '<th style="width:20px">地区</th><th>综合服务设施面积达标率</th></tr>'
        '</thead><tbody><tr><td class="name">呼和浩特市</td>'
        '<td style="white-space:nowrap">综合服务设施面积达标率一二三四</td></tr></tbody></table>'
        '</div><div style="width:300px"><table><tbody><tr>'
        '<td style="white-space:nowrap">综合服务设施面积达标率一二三四五六七八九十</td>'
        "</tr></tbody></table></div></main>",
        encoding="utf-8",
    )
    with Browser(chromium, width=1280, height=800) as browser:
        browser.open(squeezed)
        found = browser.evaluate(MEASURE)
    stacked, wide = found["tables"]
    assert stacked["narrow"]
    assert stacked["tallNames"]
    assert wide["tableWidth"] > wide["boxWidth"]
    assert wide["overflowX"] == "visible"


PAGE_HEIGHT = """
(() => {
  const folds = Array.from(document.querySelectorAll("details.fold"));
  const closed = folds.filter(d => !d.open);
  const rows = t => t.tBodies[0] ? t.tBodies[0].rows.length : 0;
  const before = document.documentElement.scrollHeight;
  const hidden = closed.map(d => Array.from(d.querySelectorAll("table")).map(
    t => [t.id, rows(t), t.checkVisibility() ? 1 : 0]));
  folds.forEach(d => d.open = true);
  const shown = closed.map(d => Array.from(d.querySelectorAll("table")).map(
    t => [t.id, rows(t), t.checkVisibility() ? Math.round(t.getBoundingClientRect().height) : 0]));
  return {before, after: document.documentElement.scrollHeight, folds: folds.length,
    closed: closed.length, hidden, shown,
    text: closed.map(d => d.textContent.length)};
})()
"""

MOST_HEIGHT = 7_000
"""The page as it opens at 1280 px, at most (CSS px): about nine screens of 800 px. The
sample's page was 13,900 px tall before its long parts were folded; it is ~5,200 now."""


def test_page_height_and_folds(chromium: str, page: Path) -> None:
    """At 1280×800 the page a person opens is at most nine screens tall; the folded parts
    (gap rankings but the first, the parameters, the methods' details) are in the page —
    every row of every folded table is there and laid out once its fold is opened."""
    with Browser(chromium, width=1280, height=800) as browser:
        browser.open(page)
        found = browser.evaluate(PAGE_HEIGHT)
        assert browser.errors() == []
    assert found["before"] <= MOST_HEIGHT, found["before"]
    assert found["closed"] >= 2  # the parameters and the methods at least
    assert found["after"] > found["before"] + 500  # opening them shows what was folded
    for hidden, shown in zip(found["hidden"], found["shown"], strict=True):
        for (name, rows, boxes), (again, rows_shown, height) in zip(hidden, shown, strict=True):
            assert name == again
            assert boxes == 0, name  # folded: not drawn
            assert rows >= 1, name  # but every row is in the page
            assert rows == rows_shown, name
            assert height > 20 * min(rows, 5), name  # and drawn once opened
    assert all(length > 20 for length in found["text"])


def test_gap_rankings_keep_every_row(chromium: str, tmp_path: Path) -> None:
    """Each gap ranking of the assessment is a table of the page, folded or not, with
    the rows the assessment ranks (its top 20)."""
    region = sample_region()
    a = assess(region)
    path = tmp_path / "gaps.html"
    write_report(a, path, lang="en")
    with Browser(chromium, width=1280, height=800) as browser:
        browser.open(path)
        counted = browser.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll("
            "'table[id^=\"table-gaps.\"]')).map(t => [t.id, t.tBodies[0].rows.length]))"
        )
    expected = {
        f"table-gaps.{d.id}": min(20, len([r for r in a.gaps(d.id) if r.gap]))
        for d in a.target_definitions
    }
    assert counted == {k: n for k, n in expected.items() if n}
