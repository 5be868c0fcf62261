"""Office tables in: the same region from Excel and CSV, bad rows named, progress on a terminal.

Run it as a script from the repository root: ``python examples/office_tables.py``. It needs
the analysis extra (``pip install 'sqfw[analysis]'``): pyarrow reads the CSV, python-calamine
the workbook, and every column is checked whole by the rules of the community model.
"""

# %% The bundled sample region written as the tables offices send
import tempfile
import time
from pathlib import Path

from sqfw.analysis import assess, load_table, sample_region, save_table

folder = Path(tempfile.mkdtemp())
region = sample_region("region")
save_table(region, folder / "社区台账.xlsx")
save_table(region, folder / "社区台账.csv")

# %% Read both: a progress bar is drawn on a terminal when a load takes over a second
# (never in a notebook's output or a pipe; show_progress=True or False decides yourself)
timings = {}
loaded = {}
for name in ("社区台账.xlsx", "社区台账.csv"):
    started = time.perf_counter()
    loaded[name] = load_table(folder / name)
    timings[name] = time.perf_counter() - started
    print(f"{name}: {len(loaded[name]):,} communities in {timings[name]:.2f} s")

# %% The same table in either format gives the same verdicts
from_xlsx = assess(loaded["社区台账.xlsx"])
from_csv = assess(loaded["社区台账.csv"])
assert [t.attainment for t in from_xlsx.targets] == [t.attainment for t in from_csv.targets]
print("the same verdicts from .xlsx and .csv")

# %% A bad cell is named by row and column, never dropped silently
bad = folder / "bad.csv"
bad.write_text(
    "社区代码,户数,常住人口,直选,居委会届次\n"
    "150102001001,1500,4000,是,10\n"
    "150102001002,2000,5000,是,0\n"  # a term below 1: Committee refuses it, so does the table
    "150102001003,2500,2400,否,10\n",  # more households than residents
    encoding="utf-8",
)
kept = load_table(bad, on_error="skip")
for row in kept.skipped:
    print(row)
assert [r.row for r in kept.skipped] == [3, 4]
assert kept.communities.code == ["150102001001"]
