"""Loading regions from CSV, Excel and JSON, with Chinese or English headers."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import reports
from sqfw.analysis import assess, load_region, load_table, save_table
from sqfw.analysis._loading import cells, sources
from sqfw.errors import DataLoadError

HEADER_ZH = [
    "社区代码",
    "社区名称",
    "社区类型",
    "户数",
    "常住人口",
    "注册志愿者",
    "综合服务设施面积",
    "办公面积",
    "无障碍",
    "新建改造",
    "直选",
    "街道",
    "旗县市区",
    "盟市",
    "街道公共服务大厅",
    "备注",
]
ROWS = [
    ["150102001001", "甲社区", "城镇社区", "1500", "4000", "800", "450", "135", "是", "否", "是",
     "海拉尔东路街道", "新城区", "呼和浩特市", "是", "示范"],
    ["150102001002", "乙社区", "城镇社区", "2000", "5000", "900", "500", "160", "否", "", "否",
     "海拉尔东路街道", "新城区", "呼和浩特市", "是", ""],
    ["150121100001", "丁嘎查", "牧区", "100", "300", "60", "150", "45", "是", "否", "",
     "察素齐镇", "土默特左旗", "呼和浩特市", "", ""],
]  # fmt: skip


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


class TestCsv:
    def test_chinese_headers(self, tmp_path):
        """社区代码/户数/常住人口/综合服务设施面积 … fill the columns; 备注 is kept as extra."""
        data = load_table(_write_csv(tmp_path / "社区.csv", HEADER_ZH, ROWS))
        assert len(data) == 3
        assert data.communities.households[0] == 1500
        assert data.communities.area[1] == 500
        assert data.communities.extra["备注"] == ["示范", "", ""]
        assert [d.name for d in data.counties] == ["新城区", "土默特左旗"]
        assert data.townships[0].public_service_hall is True
        a = assess(data)
        assert a.finding(1, "facility_area").shortfall == 100
        assert a.finding(1, "office_share").status.value == "fail"

    def test_english_headers(self, tmp_path):
        """English headers are read the same way."""
        header = ["code", "name", "kind", "households", "resident_population", "facility_area"]
        rows = [["150102001001", "A", "urban", "1000", "2500", "300"]]
        data = load_table(_write_csv(tmp_path / "en.csv", header, rows))
        assert assess(data).finding(0, "facility_area").status.value == "pass"

    def test_gb18030_is_read(self, tmp_path):
        """A CSV saved by a Chinese-locale spreadsheet (GB18030) is decoded."""
        path = tmp_path / "gbk.csv"
        text = ",".join(HEADER_ZH) + "\n" + ",".join(ROWS[0]) + "\n"
        path.write_bytes(text.encode("gb18030"))
        assert load_table(path).communities.name == ["甲社区"]

    def test_bad_rows_reported_with_row_and_column(self, tmp_path):
        """Every bad cell is reported together, each with file, row and column."""
        rows = [list(r) for r in ROWS]
        rows[0][3] = "很多"  # households, row 2
        rows[1][2] = "城堡"  # kind, row 3
        rows[2][7] = "200"  # office above the 150 m² area, row 4
        path = _write_csv(tmp_path / "bad.csv", HEADER_ZH, rows)
        with pytest.raises(DataLoadError) as caught:
            load_table(path)
        paths = [p.path for p in caught.value.problems]
        assert paths == [
            "bad.csv:row 2:column 户数",
            "bad.csv:row 3:column 社区类型",
            "bad.csv:row 4:column 办公面积",
        ]
        assert "很多" in caught.value.problems[0].message

    def test_skip_lists_skipped_rows(self, tmp_path):
        """With on_error="skip" the bad rows are left out and listed in the result."""
        rows = [list(r) for r in ROWS]
        rows[1][0] = "15010200100"  # 11 digits
        data = load_table(_write_csv(tmp_path / "skip.csv", HEADER_ZH, rows), on_error="skip")
        assert len(data) == 2
        assert [(s.row, s.column) for s in data.skipped] == [(3, "社区代码")]
        a = assess(data)
        assert a.skipped == data.skipped
        assert reports.to_dict(a, findings="none")["skipped_rows"][0]["row"] == 3

    def test_duplicate_code_and_missing_code_column(self, tmp_path):
        """A repeated code names the first row; a table without a code column is refused."""
        rows = [ROWS[0], ROWS[0]]
        with pytest.raises(DataLoadError, match="already on row 2"):
            load_table(_write_csv(tmp_path / "dup.csv", HEADER_ZH, rows))
        with pytest.raises(DataLoadError, match="no community code column"):
            load_table(_write_csv(tmp_path / "nocode.csv", ["名称"], [["甲"]]))

    def test_round_trip_of_the_sample(self, tmp_path, sample):
        """save_table then load_table gives the same assessment (bar the baselines)."""
        path = save_table(sample, tmp_path / "sample.csv")
        back = load_table(path, baselines=sample.baselines)
        a, b = assess(sample), assess(back)
        assert [(t.attainment, t.gap) for t in a.targets] == [
            (t.attainment, t.gap) for t in b.targets
        ]


class TestCellsAndDivisions:
    def test_name_length_boundary(self, tmp_path):
        """A name of 100 characters loads; 101 is reported with its row and column."""
        rows = [list(r) for r in ROWS]
        rows[0][11] = "街" * 100
        assert load_table(_write_csv(tmp_path / "ok.csv", HEADER_ZH, rows)).townships[0].name == (
            "街" * 100
        )
        rows[2][11] = "镇" * 101
        with pytest.raises(DataLoadError) as caught:
            load_table(_write_csv(tmp_path / "long.csv", HEADER_ZH, rows))
        assert [p.path for p in caught.value.problems] == ["long.csv:row 4:column 街道"]
        assert "at most 100 characters, got 101" in caught.value.problems[0].message

    def test_full_width_digits_are_not_a_code(self, tmp_path):
        """A code typed with full-width digits is refused, not read as a code."""
        rows = [list(r) for r in ROWS]
        rows[0][0] = "１５０１０２００１００１"
        with pytest.raises(DataLoadError) as caught:
            load_table(_write_csv(tmp_path / "wide.csv", HEADER_ZH, rows))
        assert caught.value.problems[0].path == "wide.csv:row 2:column 社区代码"

    def test_blank_rows_are_ignored_not_reported(self, tmp_path):
        """Blank lines and rows of empty or space-only cells are not communities."""
        rows = [ROWS[0], [""] * len(HEADER_ZH), [" "] * len(HEADER_ZH), ROWS[1]]
        data = load_table(_write_csv(tmp_path / "gaps.csv", HEADER_ZH, rows))
        assert data.communities.code == ["150102001001", "150102001002"]
        assert data.skipped == ()

    def test_first_answer_wins_for_division_facts(self, tmp_path):
        """Names, street halls and pay come from the first row that gives them."""
        header = ["社区代码", "街道", "旗县市区", "街道公共服务大厅", "报酬达标"]
        rows = [
            ["150102001001", "", "", "", ""],
            ["150102001002", "海拉尔东路街道", "新城区", "否", "是"],
            ["150102001003", "别名街道", "别名区", "是", "否"],
            ["150102002001", "", "", "", ""],
        ]
        data = load_table(_write_csv(tmp_path / "first.csv", header, rows))
        assert [t.name for t in data.townships] == ["海拉尔东路街道", "150102002000"]
        assert [t.public_service_hall for t in data.townships] == [False, None]
        assert data.counties[0].name == "新城区"
        assert data.counties[0].meets_pay_requirements is True

    def test_county_workers_known_only_when_every_row_gives_both(self, tmp_path):
        """§5.3 workers per county: summed over the rows; the associate-degree count is
        unknown (NaN) when a row gives one figure without the other."""
        header = ["社区代码", "社区工作者", "大专以上工作者"]
        rows = [
            ["150102001001", "12", "7"],
            ["150102001002", "3", ""],  # no associate count: 新城区's count is unknown
            ["150121100001", "", ""],  # 土默特左旗 gives nothing
        ]
        data = load_table(_write_csv(tmp_path / "partial.csv", header, rows))
        assert data.county_workers[0] == 15
        assert math.isnan(data.county_workers_associate[0])
        assert math.isnan(data.county_workers[1])
        share = assess(data).indicator("workforce.associate_share")
        assert (share.numerator, share.denominator, share.unknown) == (0, 0, 2)

        rows[1][2] = "1"
        data = load_table(_write_csv(tmp_path / "whole.csv", header, rows))
        assert (data.county_workers[0], data.county_workers_associate[0]) == (15, 8)
        share = assess(data).indicator("workforce.associate_share")
        assert (share.numerator, share.denominator, share.unknown) == (8, 15, 1)

    @pytest.mark.parametrize("columns", [slice(0, 2), slice(0, 3, 2)])
    def test_one_worker_column_alone_leaves_the_share_unknown(self, tmp_path, columns):
        """Only workers, or only the associate-degree count: the §5.3 share is unknown."""
        header = ["社区代码", "社区工作者", "大专以上工作者"][columns]
        rows = [["150102001001", "12", "7"][columns], ["150121100001", "9", "4"][columns]]
        data = load_table(_write_csv(tmp_path / "one.csv", header, rows))
        share = assess(data).indicator("workforce.associate_share")
        assert (share.numerator, share.denominator, share.unknown) == (0, 0, 2)
        assert assess(data).target("associate_share").attainment.value == "unknown"

    def test_associate_above_workers_is_a_bad_row(self, tmp_path):
        """§5.3: a row cannot have more workers with a degree than workers (equal is fine)."""
        header = ["社区代码", "社区工作者", "大专以上工作者"]
        ok = [["150102001001", "7", "7"]]
        assert load_table(_write_csv(tmp_path / "eq.csv", header, ok)).county_workers[0] == 7
        bad = [["150102001001", "7", "8"]]
        with pytest.raises(DataLoadError) as caught:
            load_table(_write_csv(tmp_path / "gt.csv", header, bad))
        assert caught.value.problems[0].path == "gt.csv:row 2:column 大专以上工作者"

    def test_blank_code_cell_is_reported_as_missing(self, tmp_path):
        """A row with figures but no code is reported, not dropped."""
        rows = [list(r) for r in ROWS]
        rows[1][0] = " "
        with pytest.raises(DataLoadError) as caught:
            load_table(_write_csv(tmp_path / "nocode.csv", HEADER_ZH, rows))
        problem = caught.value.problems[0]
        assert (problem.path, problem.message) == (
            "nocode.csv:row 3:column 社区代码",
            "the community code is missing",
        )

    def test_cells_without_a_header_are_kept(self, tmp_path):
        """Cells under a blank header are kept as extra columns."""
        header = ["社区代码", "", "户数", ""]
        rows = [["150102001001", "甲", "10", "x"], ["150102001002", "", "20", ""]]
        data = load_table(_write_csv(tmp_path / "unnamed.csv", header, rows))
        assert data.communities.extra == {"column 2": ["甲", ""], "column 4": ["x", ""]}

    def test_cells_past_the_header_are_a_bad_row(self, tmp_path):
        """A row longer than the header is refused when its extra cells are not blank."""
        header = ["社区代码", "户数"]
        rows = [["150102001001", "10", "stray"], ["150102001002", "20", " "]]
        path = _write_csv(tmp_path / "long.csv", header, rows)
        with pytest.raises(DataLoadError) as caught:
            load_table(path)
        assert [str(p) for p in caught.value.problems] == [
            "long.csv:row 2: 3 cells, the header has 2"
        ]
        assert load_table(path, on_error="skip").communities.code == ["150102001002"]

    def test_extra_cells_keep_their_spaces_in_csv_and_xlsx(self, tmp_path):
        """Columns sqfw does not read are kept as written, in either format."""
        openpyxl = pytest.importorskip("openpyxl")
        header, rows = ["社区代码", "备注"], [["150102001001", " 示范 "]]
        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        book.save(tmp_path / "x.xlsx")
        from_csv = load_table(_write_csv(tmp_path / "x.csv", header, rows)).communities.extra
        assert from_csv == load_table(tmp_path / "x.xlsx").communities.extra
        assert from_csv == {"备注": [" 示范 "]}

    def test_unreadable_csv_and_bad_options_are_load_errors(self, tmp_path):
        """An oversized cell, an unknown encoding or worksheet: DataLoadError, not a crash."""
        big = tmp_path / "big.csv"
        big.write_text("社区代码,备注\n150102001001," + "x" * 200_000 + "\n", encoding="utf-8")
        with pytest.raises(DataLoadError, match=r"big\.csv:line 2: not readable as CSV"):
            load_table(big)
        small = _write_csv(tmp_path / "s.csv", HEADER_ZH, ROWS)
        with pytest.raises(DataLoadError, match="unknown text encoding 'no-such-codec'"):
            load_table(small, encoding="no-such-codec")
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        book.active.title = "社区"
        book.save(tmp_path / "s.xlsx")
        with pytest.raises(DataLoadError, match="no worksheet '汇总'; the workbook has 社区"):
            load_table(tmp_path / "s.xlsx", sheet="汇总")

    def test_negative_zero_reads_as_zero(self, tmp_path):
        """ "-0" is a zero, not a negative number, and is stored as +0.0."""
        header = ["社区代码", "综合服务设施面积", "户数", "常住人口"]
        data = load_table(
            _write_csv(tmp_path / "z.csv", header, [["150102001001", "-0", "-0", "0"]])
        )
        assert math.copysign(1, data.communities.area[0]) == 1
        assert math.copysign(1, data.communities.households[0]) == 1

    def test_codes_of_two_regions_name_the_file(self, tmp_path):
        """Codes from two provinces are refused; the problem names the file, the error its path."""
        rows = [list(ROWS[0]), list(ROWS[1])]
        rows[1][0] = "110102001001"
        path = _write_csv(tmp_path / "two.csv", HEADER_ZH, rows)
        with pytest.raises(DataLoadError) as caught:
            load_table(path)
        assert caught.value.problems[0].path == "two.csv"
        assert caught.value.source == str(path)

    def test_progress_counts_the_known_columns(self, tmp_path):
        """The progress callback sees each known column once, ending at the total."""
        calls: list[tuple[int, int]] = []
        load_table(
            _write_csv(tmp_path / "p.csv", HEADER_ZH, ROWS),
            progress=lambda done, total: calls.append((done, total)),
        )
        known = len(HEADER_ZH) - 1  # 备注 is kept, not read
        assert calls == [(i, known) for i in range(1, known + 1)]

    def test_big_file_path_reads_the_same(self, tmp_path, monkeypatch):
        """The columnar (pyarrow) CSV path and the csv-module path give the same dataset."""
        pytest.importorskip("pyarrow")
        rows = [list(r) for r in ROWS]
        rows[1][3] = " 2000 "
        rows[2][4] = "3e2"
        path = _write_csv(tmp_path / "same.csv", HEADER_ZH, [*rows, [""] * len(HEADER_ZH)])
        big = load_table(path)
        monkeypatch.setattr(sources, "columnar", lambda: False)
        small = load_table(path)
        assert _columns(big) == _columns(small)
        assert big.townships == small.townships
        assert big.counties == small.counties


def _columns(data):
    import attrs

    c = data.communities
    return {
        f.name: [None if isinstance(v, float) and math.isnan(v) else v for v in getattr(c, f.name)]
        if f.name != "extra"
        else c.extra
        for f in attrs.fields(type(c))
    }


_CELLS = {
    "count": ["", "0", "12", " 12 ", "1,200", "12.0", "12.5", "-1", "1e3", "nan", "inf", "１２",
              "9" * 400, "abc", "1_000"],
    "area": ["", "0", "450", "450.5", " 450.5", "-0.5", "1e400", "nan", "Infinity", "四百",
             "1,000.5"],
    "flag": ["", "是", "否", "Yes", "NO", " 是 ", "√", "maybe", "1", "0", "2"],
    "kind": ["城镇社区", "牧区", "urban", "URBAN", " pastoral ", "城堡", ""],
    "code": ["150102001001", " 150102001001", "150102001000", "15010200100", "",
             "１５０１０２００１００１", "150002001001", "050102001001"],
    "text": ["", " 甲 ", "甲", "x" * 100, "x" * 101],
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(_CELLS))
@given(data=st.data())
def test_bulk_column_reader_agrees_with_the_strict_cell_reader(kind, data):
    """Reading a column at once gives, cell by cell, what the strict reader gives."""
    values = data.draw(st.lists(st.sampled_from(_CELLS[kind]), max_size=30))
    out, bad = cells.parse_column(values, kind)
    problems = dict(bad)
    assert len(out) == len(values)
    for index, value in enumerate(values):
        if kind == "text":
            text = value.strip()
            assert out[index] == text
            assert (index in problems) == (len(text) > 100)
            continue
        expected, message = _strictly(kind, value)
        assert problems.get(index) == message
        if message is not None:
            assert out[index] is None
        else:
            assert out[index] == expected or (math.isnan(out[index]) and math.isnan(expected))


def _strictly(kind, value):
    """The strict reader's answer for one cell: (value, None) or (None, message)."""
    try:
        return cells.READERS[kind](value.strip()), None
    except cells._BadCell as exc:
        return None, str(exc)


class TestExcel:
    def test_xlsx_with_chinese_headers(self, tmp_path):
        """An .xlsx sheet with Chinese headers reads like the CSV, numbers as cells."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER_ZH)
        for row in ROWS:
            sheet.append([int(v) if v.isdigit() and len(v) < 12 else v for v in row])
        path = tmp_path / "社区.xlsx"
        book.save(path)
        data = load_region(path)
        assert (
            data.communities.households
            == load_table(_write_csv(tmp_path / "same.csv", HEADER_ZH, ROWS)).communities.households
        )
        assert assess(data).target("facility_area").gap == 100

    def test_xlsx_bad_cell_reported(self, tmp_path):
        """A bad Excel cell is reported with its row and column header."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER_ZH[:5])
        sheet.append(["150102001001", "甲", "城镇社区", -3, 100])
        path = tmp_path / "bad.xlsx"
        book.save(path)
        with pytest.raises(DataLoadError) as caught:
            load_table(path)
        assert caught.value.problems[0].path == "bad.xlsx:row 2:column 户数"


class TestJson:
    def test_region_document(self, tmp_path, small):
        """A JSON region document (sqfw.serialization) loads into the same figures."""
        from tests.analysis.conftest import small_region

        from sqfw.serialization import dumps, make_converter

        path = tmp_path / "region.json"
        revealing = make_converter(reveal_personal_data=True)
        path.write_text(dumps(small_region(), converter=revealing), encoding="utf-8")
        data = load_region(path, baselines=small.baselines)
        assert assess(data).target("facility_area").gap == assess(small).target("facility_area").gap

    def test_unreadable_file(self, tmp_path):
        """A missing file and a wrong suffix are clear errors."""
        with pytest.raises(FileNotFoundError):
            load_region(tmp_path / "none.csv")
        odd = tmp_path / "data.parquet"
        odd.write_bytes(b"x")
        with pytest.raises(DataLoadError, match=r"expected a \.csv, \.xlsx, \.xls or \.ods"):
            load_region(odd)


def _problems_of(path: Path) -> list[str]:
    with pytest.raises(DataLoadError) as caught:
        load_table(path)
    return [str(p) for p in caught.value.problems]


class TestNothingLostSilently:
    """Every table fault is a bad row, a bad cell or a file error, with its place."""

    def test_unterminated_quote_is_refused_naming_its_row(self, tmp_path):
        path = tmp_path / "quote.csv"
        path.write_text(
            '社区代码,社区名称\n150102001001,"甲\n150102001002,乙\n150102001003,丙\n',
            encoding="utf-8",
        )
        assert _problems_of(path) == [
            "quote.csv:line 2: not readable as CSV: a quote opened on this row is never closed"
        ]

    def test_closed_quotes_across_lines_are_read(self, tmp_path):
        """A quoted cell across lines is read whole (the next row is not lost); a name
        holding a line break is then refused by the text rule, naming the character."""
        path = tmp_path / "quote.csv"
        path.write_text(
            '社区代码,社区名称\n150102001001,"甲\n乙"\n150102001002,丙\n', encoding="utf-8"
        )
        assert _problems_of(path) == [
            "quote.csv:row 2:column 社区名称: expected text without control, bidi, zero-width "
            "or other format characters, got character 2 is U+000A <control>, a control character"
        ]
        assert load_table(path, on_error="skip").communities.name == ["丙"]

    def test_a_file_cut_mid_row_is_a_bad_row(self, tmp_path):
        path = tmp_path / "cut.csv"
        path.write_text("社区代码,户数,常住人口\n150102001001,200,581\n150102001002,58", "utf-8")
        assert _problems_of(path) == ["cut.csv:row 3: 2 cells, the header has 3 (a row cut short?)"]
        kept = load_table(path, on_error="skip")
        assert kept.communities.code == ["150102001001"]
        assert [s.row for s in kept.skipped] == [3]

    def test_a_full_row_and_a_blank_row_are_fine(self, tmp_path):
        path = tmp_path / "ok.csv"
        path.write_text("社区代码,户数,常住人口\n150102001001,200,581\n\n", encoding="utf-8")
        assert list(load_table(path).communities.residents) == [581.0]

    @pytest.mark.parametrize(
        ("text", "value"),
        [("1,200", 1200.0), ("1,234,567", 1234567.0), ("1200", 1200.0), ("12.5", 12.5)],
    )
    def test_thousands_separators_are_read(self, text, value):
        assert cells.read_area(text) == value

    @pytest.mark.parametrize("text", ["1,5", "12,34", "1,2345", ",100", "1,,200", "1.200,5"])
    def test_decimal_commas_are_refused_never_misread(self, text):
        with pytest.raises(cells._BadCell, match="decimals take a point"):
            cells.read_area(text)

    @pytest.mark.parametrize(
        ("text", "ok"),
        [("100000000", True), ("100000001", False), ("9007199254740993", False)],
    )
    def test_counts_within_the_limit(self, text, ok):
        if ok:
            assert cells.read_count(text) == float(text)
        else:
            with pytest.raises(cells._BadCell, match="from 0 to 100,000,000"):
                cells.read_count(text)

    @pytest.mark.parametrize(
        ("text", "ok"),
        [
            ("10000000", True),
            ("10000000.5", False),
            ("123456.789012345", True),
            ("1234567.891234567", False),
            ("1e400", False),
        ],
    )
    def test_areas_within_the_limit_and_a_floats_digits(self, text, ok):
        if ok:
            assert cells.read_area(text) == float(text)
        else:
            with pytest.raises(cells._BadCell):
                cells.read_area(text)

    def test_a_field_named_twice_is_a_file_error(self, tmp_path):
        path = _write_csv(tmp_path / "twice.csv", ["社区代码", "户数", "households"], [])
        (problem,) = _problems_of(path)
        assert problem.startswith("twice.csv:row 1:column households: the column '户数'")

    def test_a_row_in_another_encoding_is_named(self, tmp_path):
        path = tmp_path / "mixed.csv"
        path.write_bytes(
            "社区代码,社区名称\n150102001001,甲社区\n".encode()
            + "150102001002,乙社区\n".encode("gbk")
            + "150102001003,丙社区\n".encode()
        )
        assert _problems_of(path) == [
            "mixed.csv:row 3: not utf-8-sig text (a row in another encoding?)"
        ]
        assert load_table(path, on_error="skip").communities.name == ["甲社区", "丙社区"]

    def test_a_gb18030_file_is_read_as_such(self, tmp_path):
        path = tmp_path / "gbk.csv"
        path.write_bytes("社区代码,社区名称\n150102001001,甲社区\n".encode("gb18030"))
        assert load_table(path).communities.name == ["甲社区"]

    def test_the_header_is_checked_before_the_body_is_read(self, tmp_path, monkeypatch):
        """A file with no code column is refused after reading its first line only."""
        path = tmp_path / "nocode.csv"
        path.write_text("名称,户数\n" + "甲,1\n" * 300_000, encoding="utf-8")
        read: list[Path] = []
        monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
        (problem,) = _problems_of(path)
        assert problem.startswith("nocode.csv:row 1: no community code column")
        assert read == []

    def test_a_big_table_with_a_bad_row_falls_back_to_naming_it(self, tmp_path):
        """The fast reader of big files leaves a short row to the csv module, which names it."""
        path = tmp_path / "big.csv"
        rows = "".join(f"150102{i // 999 + 1:03d}{i % 999 + 1:03d},100\n" for i in range(150_000))
        path.write_text("社区代码,户数\n" + rows + "150102999999\n", encoding="utf-8")
        assert _problems_of(path) == [
            "big.csv:row 150002: 1 cells, the header has 2 (a row cut short?)"
        ]

    def test_formula_cells_without_a_saved_value_are_bad_cells(self, tmp_path):
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        book.active.append(["社区代码", "户数", "常住人口"])
        book.active.append(["150102001001", "=1+1", 581])
        book.active.append(["150102001002", 20, 60])
        book.save(tmp_path / "f.xlsx")
        (problem,) = _problems_of(tmp_path / "f.xlsx")
        assert problem.startswith("f.xlsx:row 2:column 户数: a formula with no saved value")
        assert load_table(tmp_path / "f.xlsx", on_error="skip").communities.code == ["150102001002"]

    def test_an_xlsx_header_is_checked_before_the_body_is_read(self, tmp_path, monkeypatch):
        """A sheet with no code column is refused once its header row is read (openpyxl,
        the reader without python-calamine, reads rows one by one)."""
        openpyxl = pytest.importorskip("openpyxl")
        monkeypatch.setitem(sys.modules, "python_calamine", None)  # not installed
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        book = openpyxl.Workbook()
        book.active.append(["名称", "户数"])
        for i in range(2_000):
            book.active.append([f"社区{i}", i])
        book.save(tmp_path / "nocode.xlsx")
        rows_read: list[int] = []
        real = ReadOnlyWorksheet._cells_by_row

        def counted(self, *args, **kwargs):  # openpyxl's row reader, counted
            for row in real(self, *args, **kwargs):
                rows_read.append(1)
                yield row

        monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
        (problem,) = _problems_of(tmp_path / "nocode.xlsx")
        assert problem.startswith("nocode.xlsx:row 1: no community code column")
        assert 1 <= len(rows_read) <= 4  # the header (and the row read ahead), not 2,001

    @pytest.mark.parametrize(("length", "ok"), [(10_000, True), (10_001, False)])
    def test_a_kept_cell_is_at_most_the_cell_limit(self, tmp_path, length, ok):
        """Cells of columns sqfw does not read are kept as text, up to MAX_CELL_CHARS."""
        from sqfw.limits import MAX_CELL_CHARS

        assert length - MAX_CELL_CHARS in (0, 1)
        path = _write_csv(
            tmp_path / "long.csv", ["社区代码", "备注"], [["150102001001", "注" * length]]
        )
        if ok:
            assert load_table(path).communities.extra["备注"] == ["注" * length]
        else:
            assert _problems_of(path) == [
                "long.csv:row 2:column 备注: expected a cell of at most 10,000 characters, "
                "got 10,001"
            ]

    def test_a_header_line_with_a_lone_carriage_return(self, tmp_path):
        """A header ending in "\\r" plus a stray byte is read as the body's reader reads it."""
        path = tmp_path / "cr.csv"
        path.write_bytes("社区代码,户数\r\x00\n150102001001,5\r\n".encode())
        with pytest.raises(DataLoadError) as error:
            load_table(path)
        assert all(p.path.startswith("cr.csv:row") for p in error.value.problems)

    def test_a_cell_past_the_csv_field_limit_is_a_file_error(self, tmp_path):
        path = tmp_path / "huge.csv"
        path.write_text("社区代码,备注\n150102001001," + "x" * 200_000 + "\n", encoding="utf-8")
        (problem,) = _problems_of(path)
        assert "a cell longer than 131,072 characters" in problem


class TestCitiesWithoutCountiesInTables:
    """A region holding 东莞 (441900): its townships sit directly under the city."""

    def test_loaded_and_assessed(self, tmp_path):
        header = [
            "社区代码",
            "社区名称",
            "社区类型",
            "户数",
            "常住人口",
            "综合服务设施面积",
            "街道",
            "旗县市区",
            "盟市",
            "社区工作者",
        ]
        rows = [
            [
                "441900003001",
                "东城社区",
                "城镇社区",
                "2000",
                "6000",
                "400",
                "东城街道",
                "",
                "东莞市",
                "5",
            ],
            ["441900004001", "某村", "传统农村", "800", "2000", "0", "石龙镇", "", "东莞市", ""],
            [
                "440103001001",
                "沙面社区",
                "城镇社区",
                "1200",
                "3000",
                "250",
                "沙面街道",
                "荔湾区",
                "广州市",
                "3",
            ],
        ]
        data = load_table(_write_csv(tmp_path / "gd.csv", header, rows), region_name="广东省")
        assert [d.code for d in data.prefectures] == ["441900000000", "440100000000"]
        # the city stands in for its county: listed once more, under its own code and name
        assert [(d.code, d.name) for d in data.counties] == [
            ("441900000000", "东莞市"),
            ("440103000000", "荔湾区"),
        ]
        assert [d.code for d in data.townships] == ["441900003000", "441900004000", "440103001000"]
        assert list(data.county_workers) == [5.0, 3.0]
        result = assess(data, on="2023-12-31")
        assert result.place("440103000000").name == "荔湾区"
        assert "东莞市" in reports.text(result, lang="en", top=10)

    def test_the_entities_round_trip(self):
        from sqfw.analysis._dataset import RegionDataset
        from sqfw.entities import Community, Division, Region

        region = Region(
            root=Division(code="440000000000", name="广东省", kind="province"),
            divisions=(Division(code="441900000000", name="东莞市", kind="prefecture_city"),),
            communities=(Community(code="441900003001", name="东城社区", kind="urban"),),
        )
        data = RegionDataset.from_region(region)
        assert [d.name for d in data.counties] == ["东莞市"]
        back = data.to_region()
        assert [c.code for c in back.communities] == ["441900003001"]
