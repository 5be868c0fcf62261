"""Progress of a long write: drawn on a terminal only, and only once it takes a second.

A stream that says it is a terminal stands in for one; the clock is set forward by hand
(the bar reads ``time.monotonic``), so the test does not depend on how fast it runs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sqfw import _terminal
from sqfw._terminal import Progress, terminal_progress
from sqfw.analysis import Assessment, assess, sample_region
from sqfw.reports import write_report


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """A monotonic clock that moves only when told (``step``: seconds per reading)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    found = _Clock()
    monkeypatch.setattr(_terminal.time, "monotonic", found)
    monkeypatch.delenv("TERM", raising=False)
    return found


class TestAfterASecond:
    """``after``: nothing is drawn until the work has taken that long."""

    def test_short_work_draws_nothing(self, clock: _Clock) -> None:
        stream = _Terminal()
        bar = Progress(stream, after=1.0)
        clock.now += 0.99  # just under a second
        bar("writing", 50, 100)
        bar("writing", 100, 100)
        assert stream.getvalue() == ""

    def test_long_work_is_drawn_to_its_end(self, clock: _Clock) -> None:
        stream = _Terminal()
        bar = Progress(stream, after=1.0)
        clock.now += 1.0  # exactly a second
        bar("writing", 50, 100)
        clock.now += 0.5
        bar("writing", 100, 100)
        drawn = stream.getvalue()
        assert drawn.count("\r") == 2
        assert "50/100" in drawn
        assert drawn.endswith("100/100   1.5s\n")

    def test_not_a_terminal(self, clock: _Clock) -> None:
        stream = io.StringIO()  # a log or a pipe
        bar = Progress(stream, after=1.0)
        clock.now += 5
        bar("writing", 100, 100)
        assert stream.getvalue() == ""

    def test_the_writers_default_is_standard_error(
        self, clock: _Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stream = _Terminal()
        monkeypatch.setattr(_terminal.sys, "stderr", stream)
        bar = terminal_progress()
        assert bar.stream is stream
        assert bar.after == 1.0


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    return assess(sample_region(seed=3))


class TestWriters:
    """write_report draws its bar on a terminal's standard error and on nothing else."""

    @pytest.mark.parametrize("suffix", [".json", ".ndjson", ".parquet"])
    def test_terminal(
        self,
        assessment: Assessment,
        tmp_path: Path,
        clock: _Clock,
        monkeypatch: pytest.MonkeyPatch,
        suffix: str,
    ) -> None:
        if suffix == ".parquet":
            pytest.importorskip("pyarrow", reason="Parquet needs pyarrow")
        stream = _Terminal()
        monkeypatch.setattr(_terminal.sys, "stderr", stream)
        clock.step = 1.0  # each reading of the clock a second later
        write_report(assessment, tmp_path / f"r{suffix}")
        assert stream.getvalue().endswith("s\n")
        assert "█" in stream.getvalue()

    def test_not_a_terminal(
        self, assessment: Assessment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        write_report(assessment, tmp_path / "r.ndjson")
        assert capsys.readouterr().err == ""
