"""Write the documentation's screenshots: the HTML report and the Excel workbook.

    python docs/scripts/screenshots.py   # docs/images/report.png, report-tables.png,
                                         # report-folds.png, workbook.png

All are taken by headless Chromium (the browser driver of the tests,
``tests/reports/browser.py``). The workbook is shown as its first sheet's cells, read back
with openpyxl (values, number formats as shown, fills) and laid out as a grid — no
spreadsheet program needed. ``report-tables.png`` shows the indicator tables as a
1280×800 window shows them (the banner/county table scrolls in its own box), and
``report-folds.png`` the gap rankings, the first open and the others folded.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from browser import Browser, find_chromium  # noqa: E402

from sqfw.analysis import assess, sample_region  # noqa: E402
from sqfw.reports import write_report  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def _shown(cell) -> str:  # type: ignore[no-untyped-def]
    value = cell.value
    if value is None:
        return ""
    fmt = cell.number_format or ""
    if isinstance(value, float | int) and "%" in fmt:
        return f"{value:.2%}"
    if isinstance(value, float | int) and "m²" in fmt:
        return f"{value:,.2f} m²"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def workbook_page(path: Path, rows: int = 24) -> str:
    """The first sheet of a workbook as an HTML grid that looks like a spreadsheet."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = book.sheetnames
    sheet = book[sheets[0]]
    body = []
    for r, row in enumerate(sheet.iter_rows(max_row=rows, max_col=9)):
        cells = []
        for cell in row:
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
            style = f"background:#{fill[-6:]};" if isinstance(fill, str) else ""
            if (
                cell.font is not None
                and cell.font.color is not None
                and isinstance(cell.font.color.rgb, str)
            ):
                style += f"color:#{cell.font.color.rgb[-6:]};"
            if isinstance(cell.value, float | int):
                style += "text-align:right;"
            tag = "th" if r == 0 else "td"
            cells.append(f'<{tag} style="{style}">{html.escape(_shown(cell))}</{tag}>')
        body.append(f"<tr><th class=n>{r + 1}</th>{''.join(cells)}</tr>")
    tabs = "".join(
        f'<span class="{"on" if i == 0 else ""}">{html.escape(n)}</span>'
        for i, n in enumerate(sheets)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font: 12px "Noto Sans CJK SC", sans-serif; background: #fff; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #d0d7de; padding: 3px 6px; max-width: 260px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
tr:first-child th {{ background: #eaeef2; position: sticky; top: 0; }}
th.n {{ background: #f6f8fa; color: #59636e; font-weight: 400; }}
.tabs {{ padding: 6px; border-top: 1px solid #d0d7de; background: #f6f8fa; }}
.tabs span {{ padding: 3px 10px; margin-right: 4px; }}
.tabs .on {{ background: #fff; font-weight: 600; }}
</style></head><body><table>{"".join(body)}</table><div class="tabs">{tabs}</div></body></html>"""


def main() -> None:
    binary = find_chromium()
    if binary is None:
        raise SystemExit("no Chromium found (apt-get install chromium fonts-noto-cjk)")
    IMAGES.mkdir(parents=True, exist_ok=True)
    a = assess(sample_region())
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        write_report(a, page)
        book = Path(folder) / "report.xlsx"
        write_report(a, book)
        grid = Path(folder) / "workbook.html"
        grid.write_text(workbook_page(book), encoding="utf-8")
        with Browser(binary, width=1000, height=1050) as browser:
            browser.open(page)
            browser.screenshot(IMAGES / "report.png", full_page=False)
        with Browser(binary, width=1280, height=800) as browser:
            browser.open(page)
            top = browser.evaluate(
                "document.getElementById('leagues').getBoundingClientRect().top + scrollY"
            )
            browser.evaluate(f"window.scrollTo(0, {top} - 8)")
            browser.screenshot(IMAGES / "report-tables.png", full_page=False)
        with Browser(binary, width=1280, height=1120) as browser:
            browser.open(page)
            top = browser.evaluate(
                "document.getElementById('gaps').getBoundingClientRect().top + scrollY"
            )
            browser.evaluate(f"window.scrollTo(0, {top} - 8)")
            browser.screenshot(IMAGES / "report-folds.png", full_page=False)
        with Browser(binary, width=1100, height=640) as browser:
            browser.open(grid)
            browser.screenshot(IMAGES / "workbook.png", full_page=False)
    for name in ("report.png", "report-tables.png", "report-folds.png", "workbook.png"):
        print(f"{IMAGES / name}: {(IMAGES / name).stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
