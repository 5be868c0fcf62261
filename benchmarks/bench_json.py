"""Benchmark: a JSON region document in, the JSON report and Parquet findings out.

Prints, in one run and against its anchor measured in the same run:

- ``load_region`` of the national JSON region document (595,663 communities, about
  630 MB) against ``msgspec.json.decode`` of the same bytes (target ≤ 2× msgspec's
  decode, peak ≤ 1.5 GB); each in a fresh process, so its peak memory
  (``ru_maxrss``) is that step's alone;
- the national JSON report with every finding (target ≤ 10 s) and the findings as
  Parquet (target ≤ 3 s), written from the assessment of the region just loaded.

Run with ``python benchmarks/bench_json.py`` (several minutes on two shared cores), or
``--size region`` for the bundled sample's size (14,315 communities; no targets then).
``--document FILE`` reads an existing document instead of writing one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_STEP = r"""
import json, resource, sys, time
step, path = sys.argv[1], sys.argv[2]
from pathlib import Path
from sqfw._bulk import collector_paused
if step == "msgspec":
    import msgspec
    data = Path(path).read_bytes()
    started = time.perf_counter()
    with collector_paused():
        count = len(msgspec.json.decode(data)["communities"])
else:
    from sqfw.analysis import load_region
    started = time.perf_counter()
    count = len(load_region(path))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
print(json.dumps({"seconds": seconds, "peak_gb": peak, "count": count}))
"""


def _step(step: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _STEP, step, str(path)], check=True, capture_output=True, text=True
    )
    [line] = [x for x in done.stdout.splitlines() if x.startswith("{")]
    found: dict[str, float] = json.loads(line)
    return found


def _goal(value: float, target: float | None, unit: str) -> str:
    if target is None:
        return ""
    return f"  (target ≤ {target:g} {unit}: {'ok' if value <= target else 'MISSED'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=("region", "national"), default="national")
    parser.add_argument("--document", type=Path, help="an existing region document")
    args = parser.parse_args()
    national = args.size == "national"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        path = args.document
        if path is None:
            path = out / f"{args.size}.json"
            command = [sys.executable, "-m", "sqfw", "sample", "--size", args.size]
            subprocess.run([*command, "--output", str(path)], check=True, capture_output=True)
        size = path.stat().st_size / 1e6
        anchor = _step("msgspec", path)
        loaded = _step("load_region", path)
        ratio = loaded["seconds"] / anchor["seconds"]
        print(f"document: {path.name}, {size:,.0f} MB, {int(loaded['count']):,} communities")
        print(
            f"msgspec.json.decode (anchor):  {anchor['seconds']:7.2f} s, "
            f"peak {anchor['peak_gb']:.2f} GB"
        )
        print(
            f"load_region:                   {loaded['seconds']:7.2f} s = {ratio:.2f}× msgspec"
            f"{_goal(ratio, 2 if national else None, '×')}, peak {loaded['peak_gb']:.2f} GB"
            f"{_goal(loaded['peak_gb'], 1.5 if national else None, 'GB')}"
        )

        from sqfw.analysis import assess, load_region
        from sqfw.reports import write_report

        started = time.perf_counter()
        result = assess(load_region(path), plan="im-13th")
        findings = sum(sum(result.status_counts(n).values()) for n in result.runs)
        print(
            f"assessment: {findings:,} findings "
            f"(loaded and assessed in {time.perf_counter() - started:.1f} s)"
        )
        for label, name, target in (
            ("JSON report (every finding)", "report.json", 10 if national else None),
            ("findings to Parquet", "findings.parquet", 3 if national else None),
        ):
            started = time.perf_counter()
            files = write_report(result, out / name)
            seconds = time.perf_counter() - started
            written = sum(f.stat().st_size for f in files) / 1e6
            print(f"{label:<31}{seconds:7.2f} s, {written:,.0f} MB{_goal(seconds, target, 's')}")


if __name__ == "__main__":
    main()
