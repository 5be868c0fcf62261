"""Loading benchmark: sqfw's load of a table against the raw read of the same bytes.

Run from the repository root::

    python benchmarks/bench_loading.py                 # region .xlsx and national CSV
    python benchmarks/bench_loading.py --repeat 5

Two figures, each with its anchor measured in the same run, on the same file:

* the synthetic region (~14,000 communities) written as .xlsx: ``load_table`` against
  python-calamine's raw read of the sheet (``to_python``), the goal being at most 2×;
* the synthetic national table (~600,000 communities) written as CSV: ``load_table``
  against ``pyarrow.csv.read_csv`` of the file, the goal being at most 2×.

The anchors only parse; ``load_table`` also checks every cell by the rules of the
community model, builds the division tables and the dataset. The best of ``--repeat``
runs is kept for each (the machine may be shared). Last, the region is loaded from its CSV,
its .xlsx and its JSON region document and assessed: the verdicts must be the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqfw.analysis import assess, load_region, load_table, sample_region, save_table


def _best(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def _calamine(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        book.close()


def _pyarrow(path: Path) -> Any:
    import pyarrow.csv

    return pyarrow.csv.read_csv(path)


def _pair(label: str, ours: Callable[[], Any], anchor: Callable[[], Any], repeat: int) -> float:
    """Both timed in turn, ``repeat`` times each; returns ours / the anchor."""
    ours_best = anchor_best = float("inf")
    for _ in range(repeat):  # interleaved, so both see the same load on the machine
        anchor_best = min(anchor_best, _best(anchor, 1))
        ours_best = min(ours_best, _best(ours, 1))
    ratio = ours_best / anchor_best
    print(f"{label:<46} sqfw {ours_best:7.2f} s   anchor {anchor_best:7.2f} s   {ratio:5.2f} x")
    return ratio


def _verdicts(dataset: Any) -> tuple[Any, ...]:
    result = assess(dataset)
    runs = tuple((norm, tuple(result.runs[norm].status)) for norm in result.runs)
    # places by code: a table names no region (its root is named from the code), a document does
    targets = tuple((t.target.id, t.place.code, t.attainment, t.measured) for t in result.targets)
    return runs, targets


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is kept)")
    args = parser.parse_args(argv)
    print(f"sqfw loading benchmark — seed {args.seed}, best of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder:
        region_csv, region_xlsx = Path(folder) / "region.csv", Path(folder) / "region.xlsx"
        national_csv = Path(folder) / "national.csv"
        region = sample_region("region", seed=args.seed)
        save_table(region, region_csv)
        save_table(region, region_xlsx)
        save_table(sample_region("national", seed=args.seed), national_csv)
        mib = national_csv.stat().st_size / 2**20
        load_table(region_csv)  # imports and caches warmed up for both sides
        _calamine(region_xlsx)
        _pyarrow(region_csv)

        print(f"region .xlsx: {len(region):,} communities, {region_xlsx.stat().st_size:,} bytes")
        xlsx = _pair(
            "region .xlsx vs python-calamine",
            lambda: load_table(region_xlsx, show_progress=False),
            lambda: _calamine(region_xlsx),
            args.repeat,
        )
        print(f"national CSV: {mib:.1f} MiB")
        csv = _pair(
            "national CSV vs pyarrow.csv.read_csv",
            lambda: load_table(national_csv, show_progress=False),
            lambda: _pyarrow(national_csv),
            args.repeat,
        )
        region_json = Path(folder) / "region.json"
        save_table(region, region_json)
        verdicts = [_verdicts(load_region(p)) for p in (region_csv, region_xlsx, region_json)]
        same = verdicts[0] == verdicts[1] == verdicts[2]
    print()
    print(f"xlsx {xlsx:.2f}x calamine (goal ≤ 2x); CSV {csv:.2f}x pyarrow (goal ≤ 2x)")
    print(f"the region from CSV, .xlsx and JSON: {'the same' if same else 'DIFFERENT'} verdicts")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
