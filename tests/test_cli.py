"""The ``sqfw`` command: assess and sample."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

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
            ["assess", "--date", "2030-01-01", "--strict-plan"],
            ["assess", "--date", "2015-06-30"],
        ],
    )
    def test_unreadable_input_exits_non_zero(self, args, capsys):
        """Unreadable input, an unknown parameter or a date out of force (before every
        plan, or after with --strict-plan): exit 2, a message."""
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


class TestRefusalsAndInterrupts:
    """Bad input ends with one clear line and status 2; SIGINT with one line and 130."""

    def test_a_folder_as_path(self, tmp_path, capsys):
        assert main(["assess", str(tmp_path)]) == 2
        assert capsys.readouterr().err.strip() == (
            f"sqfw: error: cannot read {tmp_path}: a folder, not a file"
        )

    @pytest.mark.parametrize("top", ["-1", "-3", "0"])
    def test_top_below_one_refused(self, top, capsys):
        with pytest.raises(SystemExit) as caught:
            main(["assess", "--top", top])
        assert caught.value.code == 2
        assert "at least 1" in capsys.readouterr().err

    def test_personal_data_in_a_field_is_masked_on_stderr(self, tmp_path, capsys):
        path = tmp_path / "region.csv"
        path.write_text("社区代码,户数\n11010519491231002X,10\n", encoding="utf-8")
        assert main(["assess", str(path)]) == 2
        err = capsys.readouterr().err
        assert "11010519491231002X" not in err
        assert "1101**********002X" in err

    def test_error_messages_are_bounded(self, tmp_path, capsys):
        path = tmp_path / "region.csv"
        rows = "".join(f"150102001{i:03d},{'x' * 50}\n" for i in range(1, 1000))
        path.write_text("社区代码,户数\n" + rows, encoding="utf-8")
        assert main(["assess", str(path)]) == 2
        err = capsys.readouterr().err
        assert "… and 979 more" in err
        assert len(err) < 10_500

    def test_an_output_encoding_that_cannot_write_chinese(self):
        run = subprocess.run(
            [sys.executable, "-m", "sqfw", "assess"],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "ascii"},
            check=False,
        )
        assert run.returncode == 2
        lines = run.stderr.decode("ascii").strip().splitlines()
        assert lines[-1].startswith("sqfw: error: cannot write standard output: its encoding")
        assert "Traceback" not in run.stderr.decode("ascii")

    def test_sigint_while_writing_leaves_no_file(self, tmp_path):
        """Interrupted while the national sample is written: 130, one line, nothing left."""
        target = tmp_path / "national.csv"
        process = subprocess.Popen(
            [sys.executable, "-m", "sqfw", "sample", "--size", "national", "--output", str(target)],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the temporary file beside the target appears
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130
        assert err.decode() == "sqfw: interrupted\n"
        assert list(tmp_path.iterdir()) == []


class _Terminal:
    """Standard error as a terminal (isatty) that keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


class TestProgress:
    def test_a_json_document_is_read_with_progress_on_a_terminal(self, tmp_path, monkeypatch):
        """Reading a big JSON region document draws one bar, in MiB, ending at the file's
        size; the same run logged to a file gets no carriage-return line."""
        from sqfw.analysis import sample_region, save_table

        path = save_table(sample_region(seed=4), tmp_path / "r.json")
        assert path.stat().st_size > 5_000_000  # big enough to be shown
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        assert main(["assess", str(path), "--output", str(tmp_path / "r.txt")]) == 0
        import re

        reading = re.findall(r"\rreading +\[[█·]+\] (\d+)/(\d+)", terminal.text)
        mib = str(-(-path.stat().st_size >> 20))
        assert len(reading) > 1
        assert reading[-1] == (mib, mib)
        logged = tmp_path / "log.txt"
        with logged.open("w", encoding="utf-8") as log:
            monkeypatch.setattr(sys, "stderr", log)
            assert main(["assess", str(path), "--output", str(tmp_path / "r2.txt")]) == 0
        assert "\r" not in logged.read_text(encoding="utf-8")
