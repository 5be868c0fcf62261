"""The same communities as a table and as entities: unknown stays unknown, kinds by one rule.

Run from the repository root: ``python examples/one_community_model.py``.
"""

# %% [markdown]
# A survey table of three communities. The first left its facility area blank: §2.1 can
# say neither "pass" nor "fail", and that stays so when the rows become entities. The
# third lies in a town (镇) whose row answers the street-hall column: the town stays a
# town, its answer is kept, and only streets count for §2.11.

# %%
import tempfile
from pathlib import Path

from sqfw.analysis import RegionDataset, assess, load_region, save_table
from sqfw.calculators import Status, facility_area
from sqfw.entities import DivisionKind
from sqfw.entities.divisions import division_kind

folder = Path(tempfile.mkdtemp())
table = folder / "survey.csv"
table.write_text(
    "社区代码,社区名称,苏木乡镇街道,户数,常住人口,综合服务设施面积,办公面积,街道公共服务大厅\n"
    "150102001001,新华社区,海拉尔东路街道,1000,2600,,,否\n"
    "150102001002,东风社区,海拉尔东路街道,1000,2500,300,60,否\n"
    "150102101001,保合少社区,保合少镇,800,2000,299,50,是\n",
    encoding="utf-8",
)
dataset = load_region(table)

# %% [markdown]
# The blank area is unknown as columns (NaN), as an entity (a comprehensive facility whose
# area is not recorded) and for §2.1 either way.

# %%
unknown = dataset.community(0)
print(unknown.facilities[0].total_area_m2)  # None: not recorded
assert facility_area(unknown).status is Status.UNKNOWN
as_table = assess(dataset, norms=["facility_area"])
as_entities = assess(dataset.to_region(), norms=["facility_area"])
for result in (as_table, as_entities):
    counts = result.status_counts("facility_area")
    print({status.value: n for status, n in counts.items() if n})
    assert counts[Status.UNKNOWN] == 1  # the blank area
    assert counts[Status.PASS] == 1  # exactly 300 m² for 1,000 households
    assert counts[Status.FAIL] == 1  # 299 m²: below the 300 m² total minimum

# %% [markdown]
# A township's kind comes from its name (else from its code's township digits), never from
# the columns its rows answer.

# %%
street, town = dataset.townships
assert street.kind is DivisionKind.STREET
assert town.kind is DivisionKind.TOWN
assert town.public_service_hall is True  # kept, but only a street's hall counts
assert division_kind("150102101000") is DivisionKind.TOWN  # 100–199: towns (GB/T 10114)
hall = assess(dataset).indicator("street_hall.coverage")
print(f"streets with a hall: {hall.numerator} of {hall.denominator}")
assert (hall.numerator, hall.denominator) == (0, 1)

# %% [markdown]
# Written as CSV or a JSON region document and read back, the columns are the same; so
# are the entities read back as columns.

# %%
for suffix in ("json", "csv"):
    again = load_region(save_table(dataset, folder / f"again.{suffix}"))
    assert [str(x) for x in again.communities.area] == [str(x) for x in dataset.communities.area]
back = RegionDataset.from_region(dataset.to_region())
assert [str(x) for x in back.communities.office] == ["nan", "60.0", "50.0"]
print("the same figures in every form")
