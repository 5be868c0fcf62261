"""Charts from the command line: PNG and SVG, places by name, units on the axes, zh or en;
without a CJK font, one warning that says what to install and English labels."""

from __future__ import annotations

import html
import io
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sqfw.analysis import assess, sample_region
from sqfw.cli import main
from sqfw.errors import InvalidArgumentError, SqfwWarning

pytest.importorskip("matplotlib")

from sqfw.reports import _charts
from sqfw.reports import _tables as rp

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def region():
    return assess(sample_region(), on="2020-12-31")


def _texts(figure) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text a figure draws: titles, axis labels, tick labels."""
    out = []
    for axes in figure.axes:
        out += [axes.get_title(), axes.get_xlabel(), axes.get_ylabel()]
        out += [t.get_text() for t in (*axes.get_xticklabels(), *axes.get_yticklabels())]
    return out


def test_the_command_writes_png_and_svg(tmp_path, capsys):
    folder = tmp_path / "charts"
    assert main(["assess", "--charts", str(folder), "--lang", "en", "--top", "3"]) == 0
    charts = _charts.chart_names(assess(sample_region()))  # the command's assessment
    assert {"attainment", "gap_facility_area", "gap_volunteers"} <= set(charts)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{c}.{k}" for c in charts for k in ("png", "svg"))
    for chart in charts:
        assert (folder / f"{chart}.png").read_bytes()[:8] == PNG
        root = ET.parse(folder / f"{chart}.svg").getroot()
        assert root.tag.endswith("svg")
    assert f"wrote {2 * len(charts)} chart files to {folder}" in capsys.readouterr().err
    assert not list(folder.glob("*.tmp*"))  # each file written atomically


def test_chinese_charts_name_places_and_units(region, cjk_font):
    """Leagues and banners by name (呼和浩特市 …), areas in 平方米, in Chinese."""
    texts = {name: _texts(figure) for name, figure in _charts._figures(region, "zh")}
    leagues = {p.name for p in region.places if p.level.name == "PREFECTURE"}
    assert leagues & set(texts["attainment"])
    assert any("平方米" in t or "m²" in t for t in texts["gap_facility_area"])
    assert any("旗县市区" in t for t in texts["gap_facility_area"])
    counties = {p.name for p in region.places if p.level.name == "COUNTY"}
    assert counties & set(texts["gap_volunteers"])


def test_english_charts_have_units(region):
    texts = {name: _texts(figure) for name, figure in _charts._figures(region, "en")}
    assert any("m²" in t for t in texts["gap_facility_area"])
    assert any("banner/county" in t for t in texts["gap_volunteers"])


@pytest.fixture
def no_cjk_font(monkeypatch):
    """A machine whose matplotlib and system know no font with Chinese glyphs."""
    import matplotlib.font_manager as fm

    plain = [f for f in fm.fontManager.ttflist if f.name not in _charts._CJK_FAMILIES]
    monkeypatch.setattr(fm.fontManager, "ttflist", plain)
    monkeypatch.setattr(fm, "findSystemFonts", lambda *a, **k: [])
    _charts.cjk_font.cache_clear()
    yield
    _charts.cjk_font.cache_clear()


def test_without_a_cjk_font_a_warning_says_what_to_install(region, no_cjk_font, tmp_path):
    with pytest.warns(_charts.FontWarning, match="apt-get install fonts-noto-cjk"):
        figures = dict(_charts._figures(region, "zh"))
    texts = _texts(figures["gap_facility_area"])
    assert not any("旗县" in t for t in texts)  # labels fall back to English
    assert any("banner/county" in t for t in texts)
    counties = {p.code[:6] for p in region.places if p.level.name == "COUNTY"}
    assert counties & set(_texts(figures["gap_volunteers"]))  # places by their code


def test_english_charts_need_no_cjk_font(region, no_cjk_font):
    """Without a CJK font English charts give no warning at all (sqfw's or matplotlib's
    missing glyphs) and name places by their division code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = dict(_charts._figures(region, "en"))
        for figure in figures.values():  # drawing is where missing glyphs are found
            figure.savefig(io.BytesIO(), format="png")
    assert [str(w.message) for w in caught] == []
    texts = _texts(figures["gap_volunteers"])
    counties = {p.code[:6] for p in region.places if p.level.name == "COUNTY"}
    assert counties & set(texts)
    assert not any(p.name in texts for p in region.places)


def test_chinese_charts_without_a_font_warn_as_sqfw(region, no_cjk_font):
    """The warning of a Chinese chart is sqfw's own, not matplotlib's."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dict(_charts._figures(region, "zh"))
    assert [type(w.message) for w in caught] == [_charts.FontWarning]
    assert issubclass(_charts.FontWarning, SqfwWarning)


def test_the_command_prints_the_warning_once_as_a_line(no_cjk_font, tmp_path, capsys):
    assert main(["assess", "--charts", str(tmp_path), "--top", "3"]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "fonts-noto-cjk" in line]
    assert len(lines) == 1
    assert lines[0].startswith("sqfw: warning: charts: no font with Chinese glyphs")


def test_only_png_and_svg(region, tmp_path):
    with pytest.raises(InvalidArgumentError, match="formats: expected 'png' or 'svg'"):
        _charts.write_charts(region, tmp_path, formats=("gif",))
    assert list(Path(tmp_path).iterdir()) == []


# -- the charts follow the assessment's plan ---------------------------------------------

PLANS = ("im-13th", "cn-14th", "cn-laws")
NO_GAP = ("没有旗县市区存在差距", "no banner/county has a gap")  # the placeholder's words


@pytest.fixture(scope="module", params=PLANS)
def planned(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The sample assessed under each bundled plan."""
    return assess(sample_region(), plan=request.param)


@pytest.fixture(scope="module")
def drawn(planned):  # type: ignore[no-untyped-def]
    """Each chart of the assessment, drawn in English, by name."""
    figures = dict(_charts._figures(planned, "en"))
    yield figures
    for figure in figures.values():
        figure.clear()


def _bars(figure) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    """A gap chart's bars from the top down: (tick label, length)."""
    [axes] = figure.axes
    ticks = {
        round(t): label.get_text()
        for t, label in zip(axes.get_yticks(), axes.get_yticklabels(), strict=True)
    }
    bars = sorted(axes.patches, key=lambda p: -(p.get_y() + p.get_height() / 2))
    return [(ticks[round(p.get_y() + p.get_height() / 2)], p.get_width()) for p in bars]


class TestChartsFollowThePlan:
    """The charts of an assessment are its plan's: one gap chart per target that has a gap
    ranking, drawing that ranking's figures; no chart is empty."""

    def test_one_gap_chart_per_ranking_of_the_html_page(self, planned) -> None:  # type: ignore[no-untyped-def]
        """A gap chart is named after its target, for every target whose gap ranking the
        reports show (``gaps_table``), in the plan's order, and for no other target."""
        names = _charts.chart_names(planned)
        ranked = [
            d.id for d in planned.target_definitions if rp.gaps_table(planned, d.id, "en", 20)
        ]
        assert [n for n in names if n.startswith("gap_")] == [f"gap_{i}" for i in ranked]
        assert len(set(names)) == len(names)

    def test_each_plans_own_charts(self) -> None:
        """The 13th plan keeps its area and volunteer gap charts; the 14th has its own
        targets' and none of the 13th's; the laws, which set no target, have no chart."""
        by_plan = {p: _charts.chart_names(assess(sample_region(), plan=p)) for p in PLANS}
        assert by_plan["im-13th"][:2] == ("attainment", "area_per_household")
        assert {"gap_facility_area", "gap_volunteers"} <= set(by_plan["im-13th"])
        assert "gap_urban_facility_coverage" in by_plan["cn-14th"]
        assert not {"gap_facility_area", "gap_volunteers"} & set(by_plan["cn-14th"])
        assert by_plan["cn-laws"] == ()

    def test_no_chart_is_empty(self, planned, drawn) -> None:  # type: ignore[no-untyped-def]
        """Every chart drawn has bars of some size and none says it has nothing to show."""
        assert list(drawn) == list(_charts.chart_names(planned))
        for name, figure in drawn.items():
            [axes] = figure.axes
            assert any(p.get_width() * p.get_height() > 0 for p in axes.patches), name
            assert not {t.get_text() for t in axes.texts} & set(NO_GAP), name

    def test_gap_bars_are_the_rankings_figures(self, planned, drawn) -> None:  # type: ignore[no-untyped-def]
        """Each gap chart's bars, from the top, are the first rows of the target's gap
        ranking as the HTML page and the text report list it: place and figure."""
        named = _charts.cjk_font() is not None  # English charts name places by code without
        checked = 0
        for name, figure in drawn.items():
            if not name.startswith("gap_"):
                continue
            table = rp.gaps_table(planned, name.removeprefix("gap_"), "en", _charts.TOP)
            assert table is not None
            bars = _bars(figure)
            assert [length for _, length in bars] == [row[3].number for row in table.rows]
            if named:
                assert [label for label, _ in bars] == [row[1] for row in table.rows]
            checked += 1
        assert checked == sum(n.startswith("gap_") for n in _charts.chart_names(planned))

    def test_write_charts_writes_exactly_the_assessments_charts(  # type: ignore[no-untyped-def]
        self, planned, tmp_path
    ) -> None:
        written = _charts.write_charts(planned, tmp_path, lang="en", formats=("svg",))
        names = _charts.chart_names(planned)
        assert written == [tmp_path / f"{n}.svg" for n in names]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)

    def test_the_page_has_one_figure_per_chart(self, planned) -> None:  # type: ignore[no-untyped-def]
        """The HTML page embeds each chart once, as a figure named after it and captioned
        with its target's own label and gap in the page's language; nothing else."""
        from sqfw.reports import html_page

        names = _charts.chart_names(planned)
        for lang in ("zh", "en"):
            if names and lang == "zh" and planned.plan.id != "cn-14th":
                continue  # drawing every page twice is slow: the 14th plan's in both
            page = html_page(planned, lang=lang, top=5)
            charts = page.split('<section id="charts">', 1)[1].split("</section>", 1)[0]
            assert re.findall(r'<figure id="chart-([^"]+)">', page) == list(names)
            assert charts.count("<figure") == charts.count("<svg") == len(names)
            captions = dict(
                zip(names, re.findall(r"<figcaption>([^<]*)</figcaption>", charts), strict=True)
            )
            for d in planned.target_definitions:
                if f"gap_{d.id}" in captions:
                    label, gap = (d.label_zh, d.gap_zh) if lang == "zh" else (d.label_en, d.gap_en)
                    caption = html.unescape(captions[f"gap_{d.id}"])
                    assert caption.startswith(label)
                    assert gap in caption
            if not names:  # said in words, not an empty box
                assert ("没有图表" if lang == "zh" else "has no charts") in charts

    def test_a_target_without_a_gap_is_drawn_as_saying_so(self) -> None:
        """plot_gap of a target no banner/county falls short of draws no bar and says why;
        a target the plan does not set is refused with the plan's own targets named."""
        a = assess(sample_region())
        unranked = next(d.id for d in a.target_definitions if not rp.ranked_gaps(a, d.id))
        axes = _charts.plot_gap(a, unranked)
        assert len(axes.patches) == 0
        assert [t.get_text() for t in axes.texts] == [NO_GAP[1]]
        with pytest.raises(InvalidArgumentError, match="target: expected one of facility_area"):
            _charts.plot_gap(a, "urban_facility_coverage")
        laws = assess(sample_region(), plan="cn-laws")
        with pytest.raises(InvalidArgumentError, match="the plan sets none"):
            _charts.plot_gap(laws, "facility_area")

    @pytest.mark.parametrize(
        ("plan", "expected"),
        [("im-13th", "facility_area"), ("cn-14th", "urban_facility_coverage")],
    )
    def test_without_a_target_the_first_gap_of_the_plan_is_drawn(self, plan, expected) -> None:
        """plot_gap without a target draws the plan's first gap chart (chart_names'), the
        same bars as naming it; a plan without targets is refused, saying so."""
        a = assess(sample_region(), plan=plan)
        first = next(n for n in _charts.chart_names(a) if n.startswith("gap_"))
        assert first == f"gap_{expected}"
        drawn = [p.get_width() for p in _charts.plot_gap(a).patches]
        assert drawn == [p.get_width() for p in _charts.plot_gap(a, expected).patches]
        assert drawn
        with pytest.raises(InvalidArgumentError, match="the plan sets none"):
            _charts.plot_gap(assess(sample_region(), plan="cn-laws"))

    def test_two_places_of_one_name_are_two_bars(self) -> None:
        """The sample has two banners/counties named 兴齐区: a chart of the whole ranking
        draws a bar for each (bars by rank, not by name), one per ranked place."""
        a = assess(sample_region())
        ranked = rp.ranked_gaps(a, "facility_area")
        assert [r.place.name for r in ranked].count("兴齐区") == 2
        axes = _charts.plot_gap(a, "facility_area", top=len(ranked))
        assert len(axes.patches) == len(ranked)
        labels = [t.get_text() for t in axes.get_yticklabels()]
        if _charts.cjk_font() is not None:  # else places are named by their codes
            assert labels.count("兴齐区") == 2
        else:
            assert len(set(labels)) == len(ranked)


def test_a_lone_gap_is_drawn_as_a_bar(tmp_path):
    """One banner/county with a gap: its bar takes a fifth of the axes' height at most,
    as measured on the drawn figure, not the whole height."""
    from sqfw.analysis import load_table

    path = tmp_path / "one.csv"
    path.write_text(
        "社区代码,户数,常住人口,综合服务设施面积\n"
        "150102001001,800,2000,100\n150102001002,900,2100,120\n",
        encoding="utf-8",
    )
    a = assess(load_table(path))
    assert len(rp.ranked_gaps(a, "facility_area")) == 1
    axes = _charts.plot_gap(a, "facility_area")
    figure = axes.figure
    figure.canvas.draw()
    [bar] = axes.patches
    height = bar.get_window_extent().height / axes.get_window_extent().height
    assert 0.05 < height <= 0.2


@pytest.mark.parametrize("rounding", ["pro_rata", "per_started_hundred"])
def test_the_area_histogram_draws_the_norms_own_figure(rounding):
    """§2.1: the histogram's values are the facility-area norm's area per hundred
    households, counted as the norm counts them: where that minimum is the one required,
    a community is drawn at or right of the line exactly when the norm passes it (with
    ``per_started_hundred``, 150 households count as 200, which 100 × area ÷ households
    would not show). The line is the norm's own figure."""
    import math

    from sqfw.analysis import STATUSES
    from sqfw.calculators import Status

    passed, unknown = STATUSES.index(Status.PASS), STATUSES.index(Status.UNKNOWN)
    data = sample_region(seed=5)
    a = assess(data, rounding=rounding)
    run = a.runs["facility_area"]
    figure = _charts.area_per_household(a).figure
    [axes] = figure.axes
    drawn = sum(p.get_height() for p in axes.patches)
    values = _charts._area_values(a)
    assert drawn == len(values) > 0
    [line] = axes.get_lines()
    minimum = float(run.params.lookups["per_100_households"].value)
    assert line.get_xdata()[0] == minimum
    per_100, status = run.columns["area_per_100_households"], run.status
    required, per_households = run.columns["required"], run.columns["per_households"]
    checked = 0
    for index in range(len(data)):
        value = float(per_100[index])
        binding = float(required[index]) == float(per_households[index])
        if math.isnan(value) or not binding or status[index] == unknown:
            continue
        assert (value >= minimum) == bool(status[index] == passed), index
        checked += 1
    assert checked > 100
    if rounding == "per_started_hundred":  # a count not of whole hundreds is rounded up
        c = data.communities
        shown = [
            100 * area / h
            for area, h in zip(c.area, c.households, strict=True)
            if h > 0 and h % 100 and not math.isnan(area)
        ]
        assert sorted(values) != sorted(shown)


def test_a_plan_without_the_facility_area_norm_draws_no_histogram():
    """The 14th plan's 30 m² per 100 households is a region's target, shown by its gap
    chart: no community's figure is made up for a histogram."""
    a = assess(sample_region(), plan="cn-14th")
    names = _charts.chart_names(a)
    assert "area_per_household" not in names
    assert "gap_area_per_100_households" in names


def test_the_command_says_when_an_assessment_has_no_charts(tmp_path, capsys):
    """The laws set no target: the command writes no chart file and says so."""
    folder = tmp_path / "charts"
    assert main(["assess", "--plan", "cn-laws", "--charts", str(folder), "--top", "3"]) == 0
    assert list(folder.iterdir()) == []
    err = capsys.readouterr().err
    assert f"this assessment has no charts; none written to {folder}" in err
    assert "wrote" not in err
