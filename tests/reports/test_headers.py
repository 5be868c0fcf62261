"""The columns people actually write: units, full-width forms, synonyms, unused columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sqfw import reports
from sqfw.analysis import assess, load_region, load_table
from sqfw.cli import main

PLAIN = "社区代码,户数,常住人口,注册志愿者,综合服务设施面积,办公面积\n"
WRITTEN = (
    "社区代码,户数(户),常住人口（人）,注册志愿者人数,综合服务设施面积(平方米),办公面积（㎡）\n"
)
ROWS = "150102001001,1500,4000,800,450,135\n150102001002,2000,5000,900,500,160\n"


def _write(path: Path, header: str, extra: str = "") -> Path:
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        for line in (header + ROWS).splitlines():
            sheet.append(line.split(","))
        book.save(path)
    else:
        path.write_text(header + ROWS + extra, encoding="utf-8")
    return path


def _targets(path: Path) -> list[tuple[object, ...]]:
    a = assess(load_table(path))
    return [(t.target.id, t.attainment, t.measured, t.gap) for t in a.targets_at()]


class TestHeadersWithUnits:
    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_units_and_brackets_read_as_the_plain_headers(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """Headers with units give the assessment the plain headers give; none is left out."""
        plain = _write(tmp_path / f"plain{suffix}", PLAIN)
        written = _write(tmp_path / f"written{suffix}", WRITTEN)
        assert _targets(written) == _targets(plain)
        assert dict(load_table(written).communities.extra) == {}
        area = assess(load_table(written)).target("facility_area")
        assert area.attainment.value != "unknown"

    def test_a_host_header(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--header H=FIELD reads a column the catalogue does not know."""
        path = _write(tmp_path / "t.csv", PLAIN.replace("综合服务设施面积", "综合楼建筑面积"))
        assert "综合楼建筑面积" in load_table(path).communities.extra
        assert main(["assess", str(path), "--header", "综合楼建筑面积=area"]) == 0
        assert "综合楼建筑面积" not in capsys.readouterr().err
        assert main(["assess", str(path), "--header", "x=floor"]) == 2


class TestUnusedColumnsAreNamed:
    def test_on_stderr_and_in_the_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every unused column is named on stderr (with a hint) and in the report."""
        path = _write(
            tmp_path / "t.csv", PLAIN.replace("办公面积", "办公面职").rstrip() + ",备注\n"
        )
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("135\n", "135,甲\n")
            .replace("160\n", "160,乙\n"),
            encoding="utf-8",
        )
        assert main(["assess", str(path), "--lang", "en"]) == 0
        captured = capsys.readouterr()
        assert "sqfw: warning: column '办公面职' is not used" in captured.err
        assert "closest known header: 办公面积 (office)" in captured.err
        assert "column '备注' is not used" in captured.err
        assert "Columns not used" in captured.out
        assert "备注" in captured.out

    def test_a_target_names_the_column_it_lacked(self, tmp_path: Path) -> None:
        """A target left unknown by a missing column says which (never 0.00%)."""
        path = _write(tmp_path / "t.csv", PLAIN)
        a = assess(load_region(path))
        text = reports.text(a, lang="en")
        line = next(x for x in text.splitlines() if x.startswith("- every facility barrier-free"))
        assert "missing column: barrier-free" in line
        smart = next(x for x in text.splitlines() if x.startswith("smart-community infrastructure"))
        cells = re.split(r"\s{2,}", smart.strip())
        assert cells[3:] == ["—", "100.00%", "—"]  # now, required, gap
