"""The standalone HTML report: one file, offline, charts and Chinese rendered by a browser."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from sqfw.analysis import TARGETS, Assessment, assess, load_table
from sqfw.cli import main
from sqfw.reports import chart_names, write_report
from sqfw.reports._html import OPEN_CHARTS

CJK_FAMILIES = re.compile(r"CJK|Source Han|WenQuanYi|YaHei|PingFang|Hiragino|Heiti|SimHei", re.I)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``sqfw assess --format html --output r.html`` of the bundled sample."""
    path = tmp_path_factory.mktemp("html") / "r.html"
    assert main(["assess", "--format", "html", "--output", str(path)]) == 0
    return path


class TestPageText:
    """What the file holds, read as text."""

    def test_a_whole_document_in_utf8(self, page: Path) -> None:
        """A doctype, a charset, a title, the styles and the script: a page, not a fragment."""
        text = page.read_text(encoding="utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
        assert '<meta charset="utf-8">' in text
        assert "<style>" in text
        assert "<script>" in text
        assert text.rstrip().endswith("</html>")
        assert "Noto Sans CJK SC" in text  # a CJK-capable font stack
        assert "@media print" in text

    def test_nothing_is_fetched(self, page: Path) -> None:
        """No external resource: no src/href to a network address, no @import, no url()."""
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
        assert "@import" not in text
        assert not re.search(r"url\((?!#)", text)  # only the charts' own clip paths
        assert "default-src 'none'" in text  # and the page forbids any fetch

    def test_targets_with_status_and_citation(
        self, page: Path, sample_assessment: Assessment
    ) -> None:
        """Each target is listed with its coloured status and its citation's quote."""
        text = page.read_text(encoding="utf-8")
        for result in sample_assessment.targets_at():
            assert result.target.label_zh in text
            assert f'<span class="status {result.attainment.value}">' in text
            quote = result.parameters[0].citation.quote
            assert quote.replace('"', "&quot;") in text or quote in text

    def test_charts_sections_and_methods(self, page: Path, sample_assessment: Assessment) -> None:
        """An inline SVG chart for each of the assessment's charts (attainment, area and
        one per gap ranking), indicators by league and banner, gaps, standards, methods."""
        text = page.read_text(encoding="utf-8")
        charts = chart_names(sample_assessment)
        gaps = text.split('<section id="gaps">', 1)[1].split("</section>", 1)[0]
        assert len(charts) == 2 + gaps.count("<table")  # one gap chart per ranking
        assert text.count("<svg") == len(charts)
        for section in ("targets", "norms", "charts", "leagues", "counties", "gaps"):
            assert f'<section id="{section}">' in text
        for section in ("standards", "data", "methods"):
            assert f'<section id="{section}">' in text
        assert re.search(r'table class="sortable( wide)?" id="table-counties"', text)
        for target in TARGETS:
            assert "/".join(target.clauses) in text

    def test_english(self, sample_assessment: Assessment, tmp_path: Path) -> None:
        """lang="en" gives the English page."""
        path = tmp_path / "en.html"
        write_report(sample_assessment, path, lang="en")
        text = path.read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert "Targets of the plan" in text
        assert "Methods" in text

    def test_unused_columns_lacking_inputs_and_skipped_rows(self, tmp_path: Path) -> None:
        """The data section names unused columns, what each target lacked and skipped rows."""
        table = tmp_path / "t.csv"
        table.write_text(
            "社区代码,户数(户),备注,综合服务设施面积(平方米)\n"
            "150102001001,1500,新建,450\n150102001002,很多,,500\n",
            encoding="utf-8",
        )
        a = assess(load_table(table, on_error="skip"))
        path = tmp_path / "t.html"
        write_report(a, path)
        text = path.read_text(encoding="utf-8")
        assert "备注" in text
        assert "缺少列:常住人口" in text
        assert "row" not in text or "很多" in text
        assert "很多" in text  # the skipped row's reason quotes the cell

    def test_top_is_checked(self, sample_assessment: Assessment, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="top: expected a whole number of at least 1"):
            write_report(sample_assessment, tmp_path / "x.html", top=0)
        assert not (tmp_path / "x.html").exists()


class TestInABrowser:
    """Headless Chromium renders the page: no console error, Chinese in a CJK font, charts."""

    def test_renders_with_charts_and_chinese(  # type: ignore[no-untyped-def]
        self, browser, page: Path, tmp_path: Path, cjk_font: str, sample_assessment: Assessment
    ) -> None:
        browser.open(page)
        assert browser.errors() == []
        assert browser.evaluate("document.characterSet") == "UTF-8"
        for selector in ("h1", "#table-targets tbody td", "#table-leagues tbody td"):
            fonts = browser.fonts(selector)
            assert any(CJK_FAMILIES.search(f["familyName"]) and f["glyphCount"] for f in fonts), (
                selector,
                fonts,
            )
        size = (
            "Array.from(document.querySelectorAll('figure svg')).map(s => s.checkVisibility()"
            " ? [s.getBoundingClientRect().width, s.getBoundingClientRect().height] : [0, 0])"
        )
        sizes = browser.evaluate(size)
        assert len(sizes) == len(chart_names(sample_assessment)) > OPEN_CHARTS
        assert all(w > 300 and h > 150 for w, h in sizes[:OPEN_CHARTS])  # the first open
        assert all(w == h == 0 for w, h in sizes[OPEN_CHARTS:])  # the others folded
        browser.evaluate("document.querySelectorAll('details.fold').forEach(d => d.open = true)")
        assert all(w > 300 and h > 150 for w, h in browser.evaluate(size))  # drawn when opened
        shot = browser.screenshot(tmp_path / "page.png")
        width, height = _png_size(shot)
        assert width == 1280
        assert height > 3000
        assert len(shot) > 100_000  # text, tables and charts, not a blank page

    def test_sorting_a_column(self, browser, page: Path) -> None:  # type: ignore[no-untyped-def]
        """A click on a figure's heading sorts the rows by it, again the other way."""
        browser.open(page)
        column = "document.querySelectorAll('#table-counties thead th')[2]"
        values = (
            "Array.from(document.querySelectorAll('#table-counties tbody tr'))"
            ".map(r => r.cells[2].getAttribute('data-sort'))"
            ".filter(v => v !== '').map(Number)"
        )
        browser.evaluate(f"{column}.click()")
        ascending = browser.evaluate(values)
        assert ascending == sorted(ascending)
        assert len(set(ascending)) > 1
        browser.evaluate(f"{column}.click()")
        assert browser.evaluate(values) == sorted(ascending, reverse=True)
        assert browser.errors() == []

    def test_a_script_error_is_seen(self, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """The console check can fail: a page with a broken script reports its error."""
        broken = tmp_path / "broken.html"
        broken.write_text(
            "<!DOCTYPE html><meta charset=utf-8><p>测试</p><script>nothing.here()</script>",
            encoding="utf-8",
        )
        browser.open(broken)
        assert any("nothing" in e for e in browser.errors())


@pytest.mark.parametrize("plan_id", ["im-13th", "cn-14th"])
def test_the_chinese_page_is_chinese(plan_id: str) -> None:
    """The text a reader of the Chinese page sees holds no English phrase (ids and units
    aside): two or more English words in a row are a sentence left untranslated."""
    import html as html_module

    from sqfw.analysis import choose_plan, sample_region
    from sqfw.reports._html import html_page

    region = sample_region()
    plan, day = choose_plan(plan_id, None, region.root.code)
    page = html_page(assess(region, on=day, plan=plan), lang="zh", charts=False)
    shown = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", page, flags=re.S)
    shown = html_module.unescape(re.sub(r"<[^>]+>", " ", shown))
    english = re.findall(r"[A-Za-z][A-Za-z'-]+(?: [A-Za-z][A-Za-z'-]+)+", shown)
    assert english == []
    english_page = html_page(assess(region, on=day, plan=plan), lang="en", charts=False)
    assert re.findall(r"[A-Za-z][A-Za-z'-]+(?: [A-Za-z][A-Za-z'-]+)+", english_page)  # can fail


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "社区服务体系规划目标评估"),
    ("en", "Community service plan assessment"),
])  # fmt: skip
def test_the_page_title_is_the_reports_own(lang: str, expected: str) -> None:
    """The <title> and the <h1> name the report, whatever section headings come after."""
    from sqfw import reports
    from sqfw.analysis import sample_region

    page = reports.html_page(assess(sample_region(), on="2025-12-31", plan="cn-14th"), lang=lang)
    [title] = re.findall(r"<title>(.*?)</title>", page)
    [h1] = re.findall(r"<h1>(.*?)</h1>", page)
    assert title.startswith(expected + " — ")
    assert h1 == expected


_AREA = re.compile(r"(\d[\d,]*(?:\.\d+)?) m²")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_area_ranking_writes_every_cell_to_two_decimals(
    lang: str, sample_assessment: Assessment
) -> None:
    """In the ranking of the area still to build, a whole area (12,685.00 m²) has the same
    two decimals as its neighbours with a fraction (17,378.70 m²), in the page and in the
    text report; each cell's digits are the figure the page sorts by (not rounded)."""
    from sqfw.reports import html_page, text

    page = html_page(sample_assessment, lang=lang, top=20, charts=False)
    ranking = page.split('id="table-gaps.facility_area"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="num" data-sort="([^"]*)">([^<]*)</td>', ranking)
    areas = [(float(sort), _AREA.fullmatch(shown)) for sort, shown in cells if "m²" in shown]
    assert len(areas) == 20
    assert any(figure.is_integer() for figure, _ in areas)  # both sides are in the ranking
    assert any(not figure.is_integer() for figure, _ in areas)
    for figure, shown in areas:
        assert shown is not None
        digits = shown.group(1)
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", digits), digits
        assert float(digits.replace(",", "")) == figure
    report = text(sample_assessment, lang=lang, top=20, width=120)
    ranked = report.split("\n\n")
    [table] = [part for part in ranked if "17,378.70 m²" in part and "12,685" in part]
    shown_areas = _AREA.findall(table)
    assert len(shown_areas) == 20
    assert all(re.fullmatch(r"[\d,]+\.\d\d", a) for a in shown_areas), shown_areas
    assert "12,685.00 m²" in table
