"""Benchmark: a national JSON region document (595,663 communities) written and read.

Prints, each measured in a fresh process (so the peak memory is that step's alone):

- writing it with ``sqfw sample --size national --output n.json`` (target ≤ 1.5 GB);
- loading it with ``load_region`` (targets ≤ 10 s and ≤ 1.5 GB), which reads the file item
  by item (``sqfw.serialization.load_file``), and, for the ratio, the same region read from
  the whole text (``loads`` of the file's bytes, then ``RegionDataset.from_region``);
- what the bounded JSON reader costs: the standard library's ``json.loads`` of the same
  text (with the cycle collector paused, as sqfw reads), sqfw's ``parse_json`` (exact
  decimals, digit limits, duplicate keys), and the walk of :func:`limit_problems` (depth,
  string lengths, lone surrogates), with the ratio of the bounded reading to the plain
  one.

Run with ``python benchmarks/bench_documents.py`` (about four minutes on two cores).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_STEP = r"""
import json, resource, sys, time
step, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if step == "load":
    from sqfw.analysis import load_region
    count = len(load_region(path))
elif step == "whole":
    from pathlib import Path
    from sqfw._bulk import collector_paused
    from sqfw.analysis import RegionDataset
    from sqfw.entities import Region
    from sqfw.serialization import loads
    with collector_paused():
        region = loads(Region, Path(path).read_bytes())
        count = len(RegionDataset.from_region(region))
elif step == "plain":
    from sqfw._bulk import collector_paused
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    started = time.perf_counter()
    with collector_paused():  # as the bounded reading runs
        count = len(json.loads(text)["communities"])
elif step == "bounded":
    from sqfw._json import limit_problems, parse_json
    from sqfw._bulk import collector_paused
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    started = time.perf_counter()
    with collector_paused():
        data = parse_json(text)
        parsed = time.perf_counter()
        assert limit_problems(data) == []
    count = len(data["communities"])
    print(json.dumps({"parse": parsed - started, "walk": time.perf_counter() - parsed}))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
print(json.dumps({"seconds": seconds, "peak_gb": peak, "count": count}))
"""


def _run(*args: str) -> list[dict[str, float]]:
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _verdict(value: float, target: float, unit: str) -> str:
    return f"(target ≤ {target:g} {unit}: {'ok' if value <= target else 'MISSED'})"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.json"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sqfw", "sample", "--size", "national", "--output", str(path)],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
        size = path.stat().st_size / 1e6
        print(
            f"write (sqfw sample --size national): {seconds:6.1f} s, {size:,.0f} MB, "
            f"peak {peak:.2f} GB {_verdict(peak, 1.5, 'GB')}"
        )
        [load] = _run(sys.executable, "-c", _STEP, "load", str(path))
        print(
            f"load_region: {load['seconds']:6.1f} s {_verdict(load['seconds'], 10, 's')}, "
            f"peak {load['peak_gb']:.2f} GB {_verdict(load['peak_gb'], 1.5, 'GB')}"
        )
        [whole] = _run(sys.executable, "-c", _STEP, "whole", str(path))
        print(
            f"from the whole text: {whole['seconds']:6.1f} s, peak {whole['peak_gb']:.2f} GB "
            f"(item by item: {load['peak_gb'] / whole['peak_gb']:.2f}× the memory, "
            f"{load['seconds'] / whole['seconds']:.2f}× the time)"
        )
        [plain] = _run(sys.executable, "-c", _STEP, "plain", str(path))
        parts, bounded = _run(sys.executable, "-c", _STEP, "bounded", str(path))
        print(f"json.loads (standard library): {plain['seconds']:6.1f} s")
        print(
            f"bounded reading: {bounded['seconds']:6.1f} s (parse_json {parts['parse']:.1f} s "
            f"+ limit walk {parts['walk']:.1f} s) = "
            f"{bounded['seconds'] / plain['seconds']:.2f}× json.loads"
        )


if __name__ == "__main__":
    main()
