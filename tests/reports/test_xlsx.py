"""The Excel workbook: the sheets offices circulate, the same figures read back by pandas."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqfw import reports
from sqfw.analysis import Assessment
from sqfw.reports import write_report

pd = pytest.importorskip("pandas")
pytest.importorskip("xlsxwriter")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, sample_assessment: Assessment) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    write_report(sample_assessment, path, lang="en")
    return path


class TestWorkbook:
    def test_sheets(self, workbook: Path) -> None:
        sheets = pd.read_excel(workbook, engine="openpyxl", sheet_name=None)
        assert list(sheets) == [
            "targets",
            "leagues",
            "counties",
            "townships",
            "gaps",
            "failing findings",
            "parameters",
            "skipped rows",
            "about",
        ]

    def test_targets_read_back_with_the_same_figures(
        self, workbook: Path, sample_assessment: Assessment
    ) -> None:
        """Measured, required and gap of every target at every place are the assessment's."""
        sheet = pd.read_excel(
            workbook, engine="openpyxl", sheet_name="targets", dtype={"place code": str}
        )
        frame = reports.frame(sample_assessment, "targets")
        assert len(sheet) == len(frame)
        keys = zip(sheet["place code"], sheet["clause"], sheet["target"], strict=True)
        values = zip(sheet["now"], sheet["gap"], strict=True)
        got = dict(zip(keys, values, strict=True))
        labels = {t.target.id: t.target.label_en for t in sample_assessment.targets}
        for row in frame.itertuples():
            now, gap = got[(row.place, row.clauses, labels[row.target])]
            if row.attainment == "unknown":  # what cannot be said is blank, never 0
                assert pd.isna(gap)
                continue
            assert now == pytest.approx(row.measured)
            assert gap == pytest.approx(row.gap)

    def test_indicators_and_findings(self, workbook: Path, sample_assessment: Assessment) -> None:
        leagues = pd.read_excel(workbook, engine="openpyxl", sheet_name="leagues")
        first = sample_assessment.places[1]
        value = sample_assessment.indicator("facility_area.compliance", first.code).value
        assert leagues.loc[
            leagues["place"] == first.name, "facility area compliance"
        ].item() == pytest.approx(float(value))
        findings = pd.read_excel(
            workbook,
            engine="openpyxl",
            sheet_name="failing findings",
            dtype={"community code": str},
        )
        counts = [sample_assessment.status_counts(n) for n in sample_assessment.runs]
        assert len(findings) == sum(
            c[s] for c in counts for s in c if s.value in ("fail", "unknown")
        )
        assert set(findings["status"]) == {"fail", "unknown"}

    def test_formats_frozen_headers_and_filters(self, workbook: Path) -> None:
        """Percent and m² number formats, a frozen header row and a filter on each table."""
        import openpyxl

        book = openpyxl.load_workbook(workbook)
        sheet = book["targets"]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
        assert sheet["G2"].number_format == "0.00%"
        assert "m²" in sheet["I2"].number_format
        assert sheet["F2"].fill.fgColor.rgb.endswith("FFEBE9")  # not met: red
        assert sheet.column_dimensions["D"].width > 20

    def test_an_area_rankings_cells_have_two_decimals(
        self, workbook: Path, sample_assessment: Assessment
    ) -> None:
        """The area gap ranking's cells are numbers with one format of two decimals, a whole
        area (12,685) as its neighbours with a fraction (17,378.7), as the page shows them."""
        import openpyxl

        book = openpyxl.load_workbook(workbook, read_only=True)
        try:
            rows = list(book["gaps"].iter_rows())
        finally:
            book.close()
        header = [c.value for c in rows[0]]
        label = sample_assessment.target("facility_area").target.label_en
        cells = [r[header.index("gap")] for r in rows[1:] if r[1].value == label]
        assert len(cells) == len([r for r in sample_assessment.gaps("facility_area") if r.gap])
        assert {c.number_format for c in cells} == {'#,##0.00" m²"'}
        assert any(float(c.value).is_integer() for c in cells)  # both sides are there
        assert any(not float(c.value).is_integer() for c in cells)

    def test_chinese_headers(self, tmp_path: Path, sample_assessment: Assessment) -> None:
        path = tmp_path / "zh.xlsx"
        write_report(sample_assessment, path)
        sheets = pd.read_excel(path, engine="openpyxl", sheet_name=None)
        assert list(sheets)[:3] == ["目标", "盟市指标", "旗县指标"]
        assert "达成" in sheets["目标"].columns
