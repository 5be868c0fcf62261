"""Charts from the command line: PNG and SVG, places by name, units on the axes, zh or en;
without a CJK font, one warning that says what to install and English labels."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sqfw.analysis import assess, sample_region
from sqfw.cli import main
from sqfw.errors import InvalidArgumentError, SqfwWarning

pytest.importorskip("matplotlib")

from sqfw.reports import _charts

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
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{c}.{k}" for c in _charts.CHARTS for k in ("png", "svg"))
    for chart in _charts.CHARTS:
        assert (folder / f"{chart}.png").read_bytes()[:8] == PNG
        root = ET.parse(folder / f"{chart}.svg").getroot()
        assert root.tag.endswith("svg")
    assert f"wrote 8 chart files to {folder}" in capsys.readouterr().err
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
