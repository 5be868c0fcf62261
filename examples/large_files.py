"""Large files: a region document read into columns, findings written by several processes.

Run it as a script from the repository root: ``python examples/large_files.py`` uses the
bundled region (about 14,000 communities, a few seconds); ``--national`` the synthetic
country (about 600,000 communities: a 627 MB document, 2.4 million findings, a few
minutes on two cores). Progress is printed as the document is written and read.
"""

# %% A region document on disk, written community by community
import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqfw.analysis import assess, load_region, sample_region, save_table
from sqfw.reports import write_report

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--national", action="store_true", help="the synthetic country")
args = parser.parse_args()
size = "national" if args.national else "region"

workdir = Path(tempfile.mkdtemp())
shown: dict[str, int] = {}


def progress(stage: str) -> Callable[[int, int], None]:
    """A callback that prints each tenth of ``stage``."""

    def seen(done: int, total: int) -> None:
        tenth = 10 * done // max(total, 1)
        if shown.get(stage) != tenth:
            shown[stage] = tenth
            print(f"  {stage}: {done:,} of {total:,}", file=sys.stderr)

    return seen


data = sample_region(size)
document = save_table(data, workdir / "region.json", progress=progress("writing rows"))
print(f"{len(data):,} communities: {document.stat().st_size / 1e6:,.0f} MB of JSON")

# %% Read it back: with msgspec (the analysis extra) straight into columns, every value
# checked by the entities' own rules; without it, item by item into entities
started = time.perf_counter()
region = load_region(document, progress=progress("reading MiB"))
print(f"read back in {time.perf_counter() - started:.1f} s: {len(region):,} communities")
assert len(region) == len(data)

# %% The ordinary reading, item by item into entities, gives the same columns
if not args.national:  # a few seconds for the region, minutes for the country
    from sqfw.analysis import RegionDataset
    from sqfw.entities import Region
    from sqfw.serialization import load_file

    entities = RegionDataset.from_region(load_file(Region, document))
    for column in ("code", "township", "kind", "households", "area", "barrier_free_yes"):
        fast, ordinary = getattr(region.communities, column), getattr(entities.communities, column)
        known = [None if x != x else x for x in fast]  # NaN (unknown) equal to NaN
        assert known == [None if x != x else x for x in ordinary], column
    print("the compiled and the ordinary reading agree")

# %% The findings as JSON and NDJSON: shares of the rows written by other processes
result = assess(region, plan="im-13th")
for name, workers in (("alone.ndjson", 1), ("shared.ndjson", 2)):
    started = time.perf_counter()
    write_report(result, workdir / name, workers=workers)
    print(f"{name}: {time.perf_counter() - started:.1f} s")
alone = (workdir / "alone.ndjson").read_bytes()
assert (workdir / "shared.ndjson").read_bytes() == alone  # the same bytes either way
lines = alone.count(b"\n")
assert lines == sum(sum(result.status_counts(norm).values()) for norm in result.runs)
print(f"{lines:,} findings, one JSON object a line")
