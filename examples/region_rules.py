"""One region indicator, one answer: the region calculator and the assessment agree.

Run from the repository root: ``python examples/region_rules.py``.
"""

# %% [markdown]
# §1.4 asks that the 10th-term residents' committees be elected directly more often than
# the 9th term's. Two urban communities: the 10th-term committee of one was not elected
# directly; the other's committee, elected directly, is of the 9th term and does not count.
# The region calculator and the plan's assessment count with the same region rule and
# decide with the same kind of target.

# %%
from sqfw.analysis import Baselines, RegionDataset, assess
from sqfw.calculators import Status, direct_election_ratio, region_rule
from sqfw.entities import Committee, Community, Division, Region

root = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
region = Region(
    root=root,
    communities=(
        Community(
            code="150102001001",
            name="甲社区",
            kind="urban",
            committee=Committee(term=10, kind="residents", method="household_representatives"),
        ),
        Community(
            code="150102001002",
            name="乙社区",
            kind="urban",
            committee=Committee(term=9, kind="residents", method="direct"),
        ),
    ),
)

# %% [markdown]
# The calculator, on the entities.

# %%
result = direct_election_ratio(region, previous_ratio="1/3")
print(result.explanation_en)
assert result.status is Status.FAIL
assert result.measured == 0

# %% [markdown]
# The assessment, on the same region as columns (the committee's term is a column).

# %%
dataset = RegionDataset.from_region(
    region, baselines=Baselines(previous_direct_election_ratio="1/3")
)
target = assess(dataset, plan="im-13th").target("direct_election")
print(target.explanation_en)
assert target.attainment.value == "not_met"
assert (target.measured, target.required, target.gap) == (
    result.measured,
    result.required,
    result.shortfall,
)

# %% [markdown]
# The rule both counted with: its rows, its parameters and its way with unknown cases.

# %%
rule = region_rule("direct")
print(rule.id, rule.level.value, rule.reads, rule.parameters, rule.unknowns)
assert rule.parameters == ("governance.direct_election.term",)
