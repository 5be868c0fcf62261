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
  for (const table of document.querySelectorAll("main table")) {
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


def _measure(browser: Browser, page: Path, *, print_media: bool) -> dict[str, Any]:
    if print_media:
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    browser.open(page)
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


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080)])
def test_tables_on_screen(chromium: str, page: Path, width: int, height: int) -> None:
    """On screen: readable columns, nothing off the page, long tables scroll in a box."""
    with Browser(chromium, width=width, height=height) as browser:
        found = _measure(browser, page, print_media=False)
    _check_widths(found, width)
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
