"""Benchmark: writing the reports of a national assessment (about 600,000 communities).

Prints the seconds each output takes and its size: the findings as Parquet (goal ≤ 3 s),
the JSON report with every finding (goal ≤ 10 s; then in one process, for the ratio),
NDJSON, and, for the bundled region, the HTML page and the Excel workbook. Run with
``python benchmarks/bench_reports.py`` (``--quick`` for the region only).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqfw.analysis import assess, sample_region
from sqfw.reports import write_report


def _timed(label: str, target: float | None, run) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    files = run()
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in files) / 1e6
    goal = (
        ""
        if target is None
        else f"  (goal ≤ {target:g} s: {'ok' if seconds <= target else 'MISSED'})"
    )
    print(f"{label:<44} {seconds:7.2f} s  {size:9.1f} MB{goal}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the bundled region only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        region = assess(sample_region())
        print(f"region: {len(region.dataset):,} communities")
        _timed("HTML page (charts embedded)", None, lambda: write_report(region, out / "r.html"))
        _timed("Excel workbook", None, lambda: write_report(region, out / "r.xlsx"))
        _timed(
            "Parquet (findings, targets, indicators)",
            None,
            lambda: write_report(region, out / "r.parquet"),
        )
        if args.quick:
            return
        started = time.perf_counter()
        national = assess(sample_region("national"), plan="im-13th")  # a synthetic country
        findings = sum(sum(national.status_counts(n).values()) for n in national.runs)
        print(
            f"national: {len(national.dataset):,} communities, {findings:,} findings "
            f"(generated and assessed in {time.perf_counter() - started:.1f} s)"
        )
        _timed(
            "national findings to Parquet",
            3,
            lambda: write_report(national, out / "n.parquet"),
        )
        shared = _timed(
            "national JSON report (every finding)",
            10,
            lambda: write_report(national, out / "n.json"),
        )
        alone = _timed(
            "national JSON report, one process",
            None,
            lambda: write_report(national, out / "n1.json", workers=1),
        )
        same = (out / "n.json").read_bytes() == (out / "n1.json").read_bytes()
        print(f"  shares in other processes: {alone / shared:.2f}× faster, same bytes: {same}")
        _timed("national NDJSON findings", None, lambda: write_report(national, out / "n.ndjson"))


if __name__ == "__main__":
    main()
