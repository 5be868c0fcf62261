"""The findings as JSON lines: one encoding, written by one process or by several."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from sqfw.analysis import Assessment, assess, sample_region
from sqfw.errors import InvalidArgumentError
from sqfw.reports import write_report
from sqfw.reports._columnar import write_ndjson
from sqfw.reports._json import write_assessment_json
from sqfw.reports._lines import PARALLEL_FROM, _workers, finding_lines, write_lines


def _report(
    a: Assessment, findings: str, workers: int, path: Path, *, newline: str = ""
) -> tuple[bytes, int]:
    """The JSON report in ``path`` (opened with ``newline``), and the shares written elsewhere."""
    with path.open("w", encoding="utf-8", newline=newline) as stream:
        written = write_assessment_json(a, stream, findings=findings, indent=2, workers=workers)
    return path.read_bytes(), written.shares_elsewhere


def _ndjson(a: Assessment, workers: int, stream: io.StringIO | None = None) -> tuple[str, int]:
    out = stream if stream is not None else io.StringIO()
    written = write_lines(a, out, "all", sep="\n", end="\n", stage="ndjson", workers=workers)
    assert written.findings == len(a.dataset) * len(a.runs)
    return out.getvalue(), written.shares_elsewhere


def _figure(found: object, expected: Decimal | Fraction | int | None) -> None:
    if expected is None or isinstance(expected, int):
        assert found == expected
    else:
        assert isinstance(found, str)
        assert "e" not in found.lower()  # never an exponent
        assert Fraction(found) == Fraction(expected)


class TestLines:
    def test_each_line_says_what_the_finding_says(self, small):
        """Every line holds the finding's place, norm, clauses, status and exact figures."""
        a = assess(small)
        lines = list(finding_lines(a, "all"))
        found = list(a.findings())
        assert len(lines) == len(found) == 5 * len(a.runs)
        for line, f in zip(lines, found, strict=True):
            data = json.loads(line)
            assert list(data) == [
                "code",
                "name",
                "county",
                "norm",
                "clauses",
                "status",
                "measured",
                "required",
                "shortfall",
                "unit",
                "shortfall_unit",
            ]
            assert (data["code"], data["name"], data["county"]) == (
                f.code,
                f.name,
                f.county_code,
            )
            assert (data["norm"], data["clauses"], data["status"]) == (
                f.norm,
                list(f.clauses),
                f.status.value,
            )
            _figure(data["measured"], f.measured)
            _figure(data["required"], f.required)
            _figure(data["shortfall"], f.shortfall)
            assert (data["unit"], data["shortfall_unit"]) == (
                f.unit.value,
                f.shortfall_unit.value,
            )

    @pytest.mark.parametrize("window", [1, 2, 3])
    @pytest.mark.parametrize("findings", ["all", "failing"])
    def test_windows_of_any_size_write_each_finding(self, small, monkeypatch, window, findings):
        """Rows read a few at a time (windows ending mid-region) give each finding as the
        assessment says it, in row order."""
        monkeypatch.setattr("sqfw.reports._lines._WINDOW", window)
        a = assess(small)
        status = None if findings == "all" else ["fail", "unknown"]
        expected = list(a.findings(status=status))
        lines = [json.loads(line) for line in finding_lines(a, findings)]
        assert [(d["code"], d["norm"]) for d in lines] == [(f.code, f.norm) for f in expected]
        assert expected  # the check reads something
        for data, f in zip(lines, expected, strict=True):
            assert (data["clauses"], data["status"]) == (list(f.clauses), f.status.value)
            _figure(data["measured"], f.measured)
            _figure(data["required"], f.required)
            _figure(data["shortfall"], f.shortfall)

    @pytest.mark.parametrize("findings", ["all", "failing"])
    def test_rows_worked_out_once_per_distinct_values_write_the_same_lines(
        self, monkeypatch, findings
    ):
        """A norm whose rows repeat (barrier-free counts) is worked out once per distinct
        row: the lines are those worked out row by row."""
        import functools

        from sqfw.reports import _lines
        from sqfw.reports._rows import per_distinct_row

        a = assess(sample_region(seed=3))
        run = a.runs["barrier_free"]
        rows = range(len(a.dataset))
        grouped = per_distinct_row(run, functools.partial(_lines._says, run), rows, most=0.2)
        assert grouped is not None  # the grouped path is the one checked

        class _Never:  # figures not declared: the norms' rows are worked out by ``_said``
            pass

        monkeypatch.setattr(_lines, "FigureReading", _Never)
        once = list(finding_lines(a, findings))
        monkeypatch.setattr(_lines, "_GROUPED_FROM", 10**9)  # every row worked out
        assert once == list(finding_lines(a, findings))

    def test_said_many_says_what_said_says(self):
        """A window of rows (not from row 0, with a row decided again at a boundary) says
        for each row what :meth:`NormRun.said` says of it alone."""
        region = sample_region(seed=3)
        a = assess(region)
        for run in a.runs.values():
            rows = [1, 2, 5, 8, len(region) - 1]
            rows += sorted(run.evaluated.exact_rows)[:3]
            rows = sorted(set(rows))
            many = run.said_many(rows)
            assert len(many) == len(rows)
            for index, said in zip(rows, many, strict=True):
                alone = run.said(index)
                assert said[1:] == alone[1:]
                assert type(said.measured) is type(alone.measured)
        assert run.said_many([]) == []

    def test_failing_selects_fail_and_unknown_in_row_order(self, small):
        a = assess(small)
        lines = [json.loads(line) for line in finding_lines(a, "failing")]
        expected = list(a.findings(status=["fail", "unknown"]))
        assert [(d["code"], d["norm"]) for d in lines] == [(f.code, f.norm) for f in expected]
        assert list(finding_lines(a, "none")) == []

    def test_a_bad_selection_is_refused_before_anything_is_written(self, small):
        stream = io.StringIO()
        with pytest.raises(ValueError, match="findings: expected 'all', 'failing' or 'none'"):
            write_assessment_json(assess(small), stream, findings="some")
        assert stream.getvalue() == ""


class TestShares:
    @pytest.mark.parametrize("findings", ["all", "failing", "none"])
    @pytest.mark.parametrize("workers", [2, 8])
    def test_other_processes_write_the_same_bytes(self, small, tmp_path, findings, workers):
        """Shares written elsewhere (some of them empty: 8 shares of 5 rows) make the
        same report, byte for byte, as one process."""
        a = assess(small)
        one, alone = _report(a, findings, 1, tmp_path / "one.json")
        more, elsewhere = _report(a, findings, workers, tmp_path / "more.json")
        assert more == one
        assert (alone, elsewhere) == (0, 0 if findings == "none" else workers - 1)
        json.loads(one)  # separators right whatever shares are empty

    def test_a_stream_that_translates_newlines_gets_its_own(self, small, tmp_path):
        """A stream opened with newline="\\r\\n" (standard output on Windows): the shares
        written elsewhere go through it too."""
        a = assess(small)
        one, _ = _report(a, "all", 1, tmp_path / "one.json", newline="\r\n")
        assert _report(a, "all", 3, tmp_path / "more.json", newline="\r\n") == (one, 2)
        assert b"\r\n" in one
        assert b"\n" not in one.replace(b"\r\n", b"")

    def test_shares_are_written_by_other_processes(self, small):
        """Each share past the first is written by a process of its own, and the text
        (here to a stream without a byte buffer) is what one process writes."""
        a = assess(small)
        one, elsewhere = _ndjson(a, 1)
        assert elsewhere == 0
        assert one == "".join(line + "\n" for line in finding_lines(a, "all"))
        assert _ndjson(a, 3) == (one, 2)
        empty = io.StringIO()
        write_ndjson(a, empty, findings="none", workers=3)
        assert empty.getvalue() == ""

    @pytest.mark.parametrize("python", ["false", "true", "missing"])
    def test_a_share_whose_process_fails_is_written_here(self, small, monkeypatch, python):
        """An interpreter that exits with an error, one that exits at once without a word
        (no done file), or none at all: nothing is lost, nothing is added."""
        a = assess(small)
        one, _ = _ndjson(a, 1)
        executable = shutil.which(python) if python != "missing" else "/nonexistent/python"
        monkeypatch.setattr(sys, "executable", executable)
        assert _ndjson(a, 3) == (one, 0)

    @pytest.mark.parametrize("workers", [0, -1, True, 1.5, "2"])
    @pytest.mark.parametrize("findings", ["all", "none"])
    def test_workers_are_whole_numbers_from_one(self, small, workers, findings):
        with pytest.raises(InvalidArgumentError, match="workers: expected a whole number"):
            write_ndjson(assess(small), io.StringIO(), findings=findings, workers=workers)

    @pytest.mark.parametrize("findings", ["all", "none"])
    def test_progress_counts_every_share(self, small, findings):
        """Progress reaches the total with the shares written elsewhere counted."""
        a = assess(small)
        seen: list[tuple[str, int, int]] = []
        written = write_lines(
            a,
            io.StringIO(),
            findings,
            sep="\n",
            end="\n",
            stage="ndjson",
            progress=lambda *call: seen.append(call),
            workers=3,
        )
        assert seen[-1] == ("ndjson", written.findings, written.findings)

    def test_write_report_takes_the_number_of_processes(self, small, tmp_path):
        a = assess(small)
        one = write_report(a, tmp_path / "one.json", workers=1)[0].read_bytes()
        assert write_report(a, tmp_path / "two.json", workers=2)[0].read_bytes() == one
        with pytest.raises(InvalidArgumentError, match="workers: expected"):
            write_report(a, tmp_path / "none.ndjson", workers=0)
        assert not (tmp_path / "none.ndjson").exists()

    def test_other_processes_from_a_number_of_findings(self):
        """By default one process below PARALLEL_FROM findings, one per CPU (up to 4) from it."""
        assert _workers(None, PARALLEL_FROM - 1) == 1
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        assert _workers(None, PARALLEL_FROM) == max(1, min(cpus or 1, 4))
        assert _workers(1, 10**9) == 1


class TestDeclaredFigures:
    @pytest.mark.parametrize("findings", ["all", "failing"])
    @pytest.mark.parametrize("window", [7, 20_000])
    def test_windows_write_what_rows_worked_out_one_by_one_write(
        self, monkeypatch, findings, window
    ):
        """The declared figures read a window at a time (each input once, remembered from
        one window to the next) write the bytes the row-by-row path writes."""
        from sqfw.reports import _lines

        a = assess(sample_region(seed=3))
        assert any(run.evaluated.exact_rows for run in a.runs.values())
        monkeypatch.setattr(_lines, "_WINDOW", window)
        declared = list(finding_lines(a, findings))

        class _Never:  # no norm's figures are declared: each row is worked out alone
            pass

        monkeypatch.setattr(_lines, "FigureReading", _Never)
        assert declared == list(finding_lines(a, findings))


class TestSplitAndCopy:
    @pytest.mark.parametrize("n", [0, 1, 2, 5, 99, 595_663])
    @pytest.mark.parametrize("parts", [1, 2, 3, 4, 8])
    def test_shares_cover_every_row_once_in_order(self, n, parts):
        from sqfw.reports._lines import _split

        shares = _split(n, parts)
        assert len(shares) == parts
        assert [i for share in shares for i in share] == list(range(n))
        assert all(share.start <= share.stop <= n for share in shares)
        if parts > 1 and n >= 100:  # this process's share is the smaller: it writes the head
            assert len(shares[0]) < len(shares[1])

    @pytest.mark.parametrize("kernel", [True, False])
    def test_a_share_is_copied_after_what_was_written(self, tmp_path, monkeypatch, kernel):
        """A share's bytes go after the text already written, by the kernel or by reading."""
        from sqfw.reports import _lines

        if not kernel:
            monkeypatch.delattr(os, "copy_file_range", raising=False)
        share = tmp_path / "share"
        share.write_bytes("乙,\n丙".encode() * 50_000)
        out = tmp_path / "out"
        with out.open("w", encoding="utf-8", newline="") as stream:
            stream.write("甲,\n")
            _lines._copy(share, stream, verbatim=True)
            stream.write(",\n丁")
        assert out.read_text(encoding="utf-8") == "甲,\n" + "乙,\n丙" * 50_000 + ",\n丁"
