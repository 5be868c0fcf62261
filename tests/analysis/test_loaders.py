"""Loading regions from CSV, Excel and JSON, with Chinese or English headers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sqfw.analysis import assess, load_region, load_table, save_table
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
        assert a.to_dict(findings="none")["skipped_rows"][0]["row"] == 3

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
        with pytest.raises(DataLoadError, match=r"expected a \.csv or \.xlsx"):
            load_region(odd)
