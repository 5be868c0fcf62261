"""National-scale benchmark of the region assessment (~600,000 communities).

Run it from the repository root::

    python benchmarks/bench_assessment.py            # national, seed 2016
    python benchmarks/bench_assessment.py --size region

It prints: the time to assess every norm and target from an in-memory dataset and its
peak memory (traced allocations and the process's maximum resident size); the time of
the facility-area and volunteer norms' kernels against the same two rules written directly
in NumPy on the same arrays, as a ratio; the time to explain one community from a national
assessment (its findings, parameters and lines in Chinese and English); and the time to
load the same region from CSV. Goals: the assessment ≤ 3 s (and no slower than before,
0.45–0.65 s) and ≤ 2 GB; the two kernels ≤ 1.5× the hand-written NumPy; explaining a
community ≤ 50 µs; the CSV load ≤ 5 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from sqfw.analysis import assess, load_table, sample_region, save_table
from sqfw.analysis._engine import RuleParameters, evaluate, numpy_view
from sqfw.calculators import PLAN_TARGET_DATE
from sqfw.entities import CommunityKind
from sqfw.standards import default_standards

PLAN = "im-13th"
"""The plan the synthetic regions are assessed under (a national sample lies in no province,
and the 13th plan's norms are the ones measured)."""


def _timed(label: str, func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed:8.3f} s")
    return result, elapsed


def handwritten(dataset: Any, std: Any) -> tuple[Any, ...]:
    """The facility-area and volunteer rules written directly in NumPy, for comparison.

    The same parameters are read from the standards; status codes: 0 pass, 1 fail,
    2 unknown, 3 not applicable. No boundary is decided exactly here.
    """
    import numpy as np

    def value(pid: str) -> float:
        return float(std.value(pid, PLAN_TARGET_DATE))

    c = dataset.communities
    kind = numpy_view(c.kind)
    area = numpy_view(c.area)
    households = numpy_view(c.households)
    new = numpy_view(c.new_or_renovated).astype(bool)
    township = (
        CommunityKind.TOWNSHIP_SEAT,
        CommunityKind.URBAN_VILLAGE,
        CommunityKind.SUBURBAN_VILLAGE,
    )
    table = np.array(
        [
            value("facility.area.total_min")
            if k is CommunityKind.URBAN
            else value("facility.area.township_min")
            if k in township
            else value("facility.area.village_min")
            for k in CommunityKind
        ]
    )
    minimum = table[kind]
    minimum = np.where(
        new, np.maximum(minimum, value("facility.area.new_or_renovated_min")), minimum
    )
    per_h = value("facility.area.per_100_households") * households / 100
    known_h = households > 0
    minimum = np.where(known_h, np.fmax(minimum, per_h), minimum)
    short = np.maximum(minimum - area, 0.0)
    area_status = np.where(short > 0, 1, np.where(known_h, 0, 2))
    v = numpy_view(c.volunteers)
    r = numpy_view(c.residents)
    share = std.value("workforce.volunteers.registered_share.at_least", PLAN_TARGET_DATE)
    known = ~np.isnan(v) & ~np.isnan(r)
    ok = v * share.denominator >= share.numerator * r
    vol_status = np.where(~known, 2, np.where(r == 0, 3, np.where(ok, 0, 1)))
    need = (np.where(known, r, 0) * share.numerator + share.denominator - 1) // share.denominator
    vol_short = np.maximum(need - v, 0)
    return area_status, short, vol_status, vol_short


def explain_time(result: Any, count: int) -> float:
    """Seconds per community to explain ``count`` communities spread over the region."""
    codes = result.dataset.communities.code
    step = max(1, len(codes) // count)
    chosen = codes[::step][:count]
    result.explain(chosen[0])  # builds the code index once
    start = time.perf_counter()
    lines = 0
    for code in chosen:
        lines += sum(len(r.explanation_zh) + len(r.explanation_en) for r in result.explain(code))
    elapsed = time.perf_counter() - start
    assert lines, "every result has its lines"
    return elapsed / len(chosen)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("region", "national"), default="national")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions (best is kept)")
    args = parser.parse_args(argv)
    std = default_standards()
    print(f"sqfw assessment benchmark — size {args.size}, seed {args.seed}")
    dataset, _ = _timed("generate the synthetic region", sample_region, args.size, seed=args.seed)
    print(f"{'communities':<48} {len(dataset):>10,}")

    assess(dataset, plan=PLAN, standards=std)  # warm up imports and caches
    best = min(
        _timed(
            "assess every norm and target (in memory)", assess, dataset, plan=PLAN, standards=std
        )[1]
        for _ in range(args.repeat)
    )
    tracemalloc.start()
    assess(dataset, plan=PLAN, standards=std)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{'peak traced memory of one assessment':<48} {peak / 2**20:8.1f} MiB")
    print(f"{'max resident size of the process so far':<48} {rss:8.1f} MiB")

    params = RuleParameters.read(std, PLAN_TARGET_DATE)
    ours_rules = min(
        _timed(
            "our kernels, area + volunteer norms",
            evaluate,
            dataset,
            params,
            norms=("facility_area", "volunteer_ratio"),
        )[1]
        for _ in range(args.repeat)
    )
    hand = min(
        _timed("hand-written NumPy, area + volunteer rules", handwritten, dataset, std)[1]
        for _ in range(args.repeat)
    )
    print(f"{'ratio: full assessment / hand-written':<48} {best / hand:8.2f} x")
    print(f"{'ratio: our same two rules / hand-written':<48} {ours_rules / hand:8.2f} x")
    result = assess(dataset, plan=PLAN, standards=std)
    per_community = min(explain_time(result, 2000) for _ in range(args.repeat))
    print(f"{'explain one community (4 norms, zh/en, params)':<48} {per_community * 1e6:8.1f} µs")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "region.csv"
        _timed("write the region as CSV", save_table, dataset, path)
        print(f"{'CSV size':<48} {path.stat().st_size / 2**20:8.1f} MiB")
        loads = []
        for attempt in range(args.repeat):
            label = "load the region from CSV" + (" (first: imports)" if not attempt else "")
            loaded, elapsed = _timed(label, load_table, path)
            assert len(loaded) == len(dataset)
            del loaded
            loads.append(elapsed)
        load_time = min(loads)
    print()
    print(f"assessment {best:.2f} s (goal ≤ 3 s), peak traced {peak / 2**30:.2f} GiB (goal ≤ 2)")
    print(f"CSV load {load_time:.2f} s best, {loads[0]:.2f} s first (goal ≤ 5 s)")
    print(f"same rules {ours_rules / hand:.2f}x the hand-written NumPy (aim ≤ 1.5x)")
    print(f"explain a community {per_community * 1e6:.1f} µs (goal ≤ 50 µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
