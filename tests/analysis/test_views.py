"""Views of an assessment: JSON, text, Markdown, HTML, DataFrames and charts."""

from __future__ import annotations

import json

import pytest

from sqfw import reports
from sqfw.analysis import assess


class TestPlainViews:
    def test_json_has_every_finding_and_indicator_with_clauses(self, small):
        """to_json lists targets, indicators and findings, each with clause ids."""
        data = json.loads(reports.to_json(assess(small)))
        assert data["kind"] == "assessment"
        assert data["communities"] == 5
        assert len(data["findings"]) == 5 * 4
        assert all(f["clauses"] for f in data["findings"])
        assert all(i["clauses"] for i in data["indicators"])
        area = next(
            t
            for t in data["targets"]
            if t["target"] == "facility_area" and t["place"] == "150000000000"
        )
        assert (area["attainment"], area["gap"], area["gap_unit"]) == ("not_met", "420", "m2")
        assert {p["id"] for p in data["parameters"]} >= {"facility.area.per_100_households"}

    @pytest.mark.parametrize("findings", ["all", "failing", "none"])
    @pytest.mark.parametrize("indent", [None, 2])
    def test_streamed_json_is_the_same_data(self, small, tmp_path, findings, indent):
        """write_json writes what to_json gives, whatever the findings and indentation."""
        import io

        a = assess(small)
        stream = io.StringIO()
        reports.write_json(a, stream, findings=findings, indent=indent)
        expected = json.loads(reports.to_json(a, findings=findings))
        assert json.loads(stream.getvalue()) == expected
        reports.write_json(a, tmp_path / "a.json", findings=findings)
        assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == expected

    def test_streamed_json_keeps_skipped_rows(self, tmp_path):
        """Skipped rows of a table load come after the findings in the streamed output."""
        import io

        from sqfw.analysis import load_table

        path = tmp_path / "t.csv"
        path.write_text("社区代码,户数\n150102001001,10\n150102001002,很多\n", encoding="utf-8")
        a = assess(load_table(path, on_error="skip"))
        stream = io.StringIO()
        reports.write_json(a, stream)
        data = json.loads(stream.getvalue())
        assert [r["row"] for r in data["skipped_rows"]] == [3]
        assert data == json.loads(reports.to_json(a))

    def test_failing_findings_only(self, small):
        """findings="failing" keeps fail and unknown only."""
        data = reports.to_dict(assess(small), findings="failing")
        assert {f["status"] for f in data["findings"]} == {"fail", "unknown"}

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_text_and_markdown(self, small, lang):
        """The report names every target (on one line in a wide terminal; a narrower one
        wraps the longer labels); Markdown has table rows."""
        a = assess(small)
        text = reports.text(a, lang=lang, width=200)
        for d in a.target_definitions:
            assert (d.label_zh if lang == "zh" else d.label_en) in text
        assert "社区综合服务设施面积" in reports.text(a, lang="zh")
        markdown = reports.markdown(a, lang=lang)
        assert markdown.startswith("# ")
        assert "| §2.14 |" in markdown

    def test_top_below_one_is_refused(self, small):
        """A report listing no place per gap would print empty tables: refused."""
        a = assess(small)
        for top in (0, -1):
            with pytest.raises(ValueError, match="top: expected a whole number of at least 1"):
                reports.text(a, top=top)

    def test_html(self, small):
        """_repr_html_ gives escaped tables for Jupyter."""
        html = reports.html(assess(small))
        assert "<table>" in html
        assert "<script" not in html

    def test_explain_gives_the_calculators_results(self, small):
        """explain(code) returns the full explained results for one community."""
        results = assess(small).explain("150102001002")
        assert results[0].norm == "facility_area"
        assert "§2.1" in results[0].trace()


class TestFramesAndCharts:
    def test_frames(self, small):
        """Every table converts to a DataFrame with the analysis extra."""
        pytest.importorskip("pandas")
        a = assess(small)
        targets = reports.frame(a, "targets")
        assert set(targets["attainment"]) <= {"met", "not_met", "unknown", "not_applicable"}
        # fails by hand: area 乙丙戊, office 乙, barrier-free 乙, volunteers 乙戊
        assert len(reports.frame(a, "findings", status="fail")) == 7
        gaps = reports.frame(a, "gaps", target="facility_area")
        assert list(gaps["gap"]) == [300.0, 120.0]
        assert "numerator" in reports.frame(a, "indicators").columns

    def test_charts(self, small, cjk_font):
        """The three charts draw on Agg without error."""
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        a = assess(small)
        fig, axes = plt.subplots(1, 3)
        reports.plot_attainment(a, axes[0])
        reports.plot_area_per_household(a, axes[1])
        reports.plot_gap(a, "facility_area", axes[2])
        assert axes[2].get_title() == "Largest gaps by banner/county: area still to build"
        assert axes[2].get_xlabel() == "area still to build (m²)"  # units on the axis
        # places by name, the largest gap at the top (the last bar drawn)
        assert [t.get_text() for t in axes[2].get_yticklabels()] == ["新城区", "土默特左旗"]
        plt.close(fig)
