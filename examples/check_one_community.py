"""Check one community against every norm of the plan and print the explained results.

Run from the repository root: ``python examples/check_one_community.py``.
"""

# %% [markdown]
# One urban community in Hohhot's Xincheng district, its workers, and the region-level
# figures it contributes to. Every result says which parameter (with its date and the
# clause of the plan) it used.

# %%
from fractions import Fraction

from sqfw.calculators import (
    Status,
    assess_community,
    associate_degree_share,
    direct_election_ratio,
    facility_coverage,
    smart_community_coverage,
    training_coverage,
)
from sqfw.entities import (
    Committee,
    Community,
    CommunityWorker,
    Facility,
    SmartCommunity,
    TrainingRecord,
)
from sqfw.standards import default_standards

community = Community(
    code="150102001001",
    name="海拉尔东路社区",
    kind="urban",
    households=1500,
    resident_population=9995,
    registered_volunteers=1999,
    smart=SmartCommunity(infrastructure=True, platform_sharing=True, online_convenience=None),
    facilities=[
        Facility(
            id="centre",
            kind="comprehensive",
            total_area_m2="405",
            office_area_m2="121.5",
            barrier_free=True,
        ),
        Facility(id="outlet", kind="service_outlet", total_area_m2="60", barrier_free=False),
    ],
    committee=Committee(term=10, kind="residents", method="direct"),
)
workers = [
    CommunityWorker(
        id="w1",
        name="王芳",
        community_code=community.code,
        education="bachelor",
        term_start="2017-04-01",
        trainings=[TrainingRecord(id="t1", on="2019-05-20", title="社区工作实务")],
    ),
    CommunityWorker(
        id="w2",
        name="巴特尔",
        community_code=community.code,
        education="senior_secondary",
        term_start="2017-04-01",
        term_end="2020-03-31",
    ),
]

# %% [markdown]
# The per-community norms (§2.1/§2.12/§2.13, §2.14, §2.4, §5.11), then the norms that
# are shares over many subjects, computed here over this one community and its workers.

# %%
results = [
    *assess_community(community),
    training_coverage(workers),
    associate_degree_share(workers, baseline=Fraction(2, 5)),
    direct_election_ratio([community], previous_ratio=None),
    facility_coverage([community], previous_coverage="90%"),
    smart_community_coverage([community]),
]
for result in results:
    print(f"[{result.status.label_zh}/{result.status.label_en}] {'、'.join(result.clauses)}")
    print(f"  {result.explanation_zh}")
    print(f"  {result.explanation_en}")

# %% [markdown]
# The trace of one result: each parameter with its period and citation.

# %%
print(results[0].trace())

# %% [markdown]
# A local rule can override a number without touching the bundled standards.

# %%
local = default_standards().with_overrides(
    {"facility.area.per_100_households": 25}, source="某区实施细则(示例)"
)
relaxed = assess_community(community, standards=local)[0]
print(relaxed.explanation_zh, "|", relaxed.overrides[0])

# %%
by_norm = {r.norm: r for r in results}
assert by_norm["facility_area"].status is Status.FAIL
assert by_norm["facility_area"].shortfall == 45
assert "还差 45 m²" in by_norm["facility_area"].explanation_zh
assert by_norm["office_share"].status is Status.PASS  # exactly 30% is allowed
assert by_norm["barrier_free"].status is Status.FAIL
assert by_norm["volunteer_ratio"].status is Status.PASS  # 1999 / 9995 is exactly 20%
assert by_norm["training_coverage"].status is Status.FAIL
assert by_norm["associate_degree_share"].status is Status.PASS
assert by_norm["direct_election_ratio"].status is Status.UNKNOWN  # no previous ratio
assert by_norm["facility_coverage"].status is Status.PASS
assert by_norm["smart_community_coverage"].status is Status.UNKNOWN
assert relaxed.status is Status.PASS
assert default_standards().overrides == ()
print("all checks done")
