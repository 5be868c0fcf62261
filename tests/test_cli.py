"""The ``sqfw`` command: assess and sample."""

from __future__ import annotations

import json

import pytest

from sqfw.cli import main


class TestAssessCommand:
    def test_sample_region_report(self, capsys):
        """Without PATH it assesses the bundled sample and exits 0 whatever the findings."""
        assert main(["assess", "--lang", "en", "--top", "3"]) == 0
        out = capsys.readouterr().out
        assert "Targets of the plan" in out
        assert "§5.11" in out

    def test_json_output_to_file(self, tmp_path):
        """--format json --output writes every target and finding with clause ids."""
        out = tmp_path / "report.json"
        assert (
            main(["assess", "--format", "json", "--findings", "failing", "--output", str(out)]) == 0
        )
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["targets"]
        assert data["findings"]
        assert all(f["clauses"] for f in data["findings"])

    def test_json_to_an_unwritable_place_is_a_clear_error(self, tmp_path, capsys):
        """A JSON report that cannot be written ends with exit 2 and says where."""
        target = tmp_path / "no-such-folder" / "report.json"
        assert main(["assess", "--format", "json", "--output", str(target)]) == 2
        assert f"cannot write {target}" in capsys.readouterr().err

    def test_override_and_date(self, capsys):
        """--override and --date reach the standards; the override is named in the report."""
        args = [
            "assess",
            "--override",
            "facility.area.per_100_households=40",
            "--date",
            "2019-12-31",
        ]
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "facility.area.per_100_households = 40" in out
        assert "2019-12-31" in out

    @pytest.mark.parametrize(
        "args",
        [
            ["assess", "/no/such/file.csv"],
            ["assess", "--override", "no.such.parameter=1"],
            ["assess", "--date", "2030-01-01"],
        ],
    )
    def test_unreadable_input_exits_non_zero(self, args, capsys):
        """Unreadable input, an unknown parameter or a date out of force: exit 2, a message."""
        assert main(args) == 2
        assert "sqfw: error:" in capsys.readouterr().err

    def test_bad_table_lists_rows(self, tmp_path, capsys):
        """A table with a bad row names its row and column; --skip-bad-rows goes on."""
        path = tmp_path / "bad.csv"
        path.write_text(
            "社区代码,户数,常住人口\n150102001001,10,30\n150102001002,abc,30\n", encoding="utf-8"
        )
        assert main(["assess", str(path)]) == 2
        assert "row 3:column 户数" in capsys.readouterr().err
        assert main(["assess", str(path), "--skip-bad-rows", "--lang", "en"]) == 0
        assert "Skipped rows" in capsys.readouterr().out


class TestSampleCommand:
    def test_writes_csv_that_assess_reads(self, tmp_path, capsys):
        """sqfw sample --output x.csv writes a table that sqfw assess reads back."""
        out = tmp_path / "region.csv"
        assert main(["sample", "--size", "region", "--output", str(out)]) == 0
        assert out.read_text(encoding="utf-8-sig").startswith("社区代码,")
        assert main(["assess", str(out), "--format", "markdown"]) == 0
        assert "## " in capsys.readouterr().out

    def test_rejects_unknown_suffix(self, tmp_path):
        """An output that is not .csv, .xlsx or .json is refused."""
        assert main(["sample", "--output", str(tmp_path / "x.txt")]) == 2

    def test_version(self, capsys):
        """--version still prints the version."""
        with pytest.raises(SystemExit) as done:
            main(["--version"])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith("sqfw ")
