"""A county's facility projects (§2.5–§2.7): from plan to use, and when the targets are met.

Run it with ``python examples/facility_project_pipeline.py``. Each ``# %%`` cell can also
be run on its own in an editor that understands cells. The script ends in asserts, and the
test suite runs it.
"""

# %% Two communities that fall short of their facility-area minimum
from decimal import Decimal

from sqfw.analysis import ProjectPipeline, RegionDataset, pipeline_outlook, slippage
from sqfw.entities import Community, Division, Facility, FacilityProject, Region
from sqfw.workflows.facility_project import FacilityProjectWorkflow, area_after, project_data


def centre(area: str) -> Facility:
    return Facility(id="centre", kind="comprehensive", total_area_m2=area, barrier_free=True)


jia = Community(
    code="150102001001",
    name="甲社区",
    kind="urban",
    households=1500,
    resident_population=4000,
    facilities=(centre("400"),),
)
ding = Community(
    code="150121100001",
    name="丁嘎查",
    kind="pastoral",
    households=100,
    resident_population=300,
    facilities=(centre("100"),),
)
region = Region(
    root=Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region"),
    communities=(jia, ding),
)

# %% The projects: a new build for 甲 and a lease for 丁 (§2.7)
build = FacilityProject(
    id="p-jia",
    community_code=jia.code,
    name="甲社区服务中心扩建",
    provision="new_build",
    area_m2="60",
    office_area_m2="10",
    cost_yuan="900000",
    funding=["county_budget", "welfare_lottery"],
    co_located=["elderly_care"],
    planned_completion="2018-06-30",
)
lease = FacilityProject(
    id="p-ding",
    community_code=ding.code,
    name="丁嘎查租用活动室",
    provision="lease",
    area_m2="50",
    ownership="leased",
    planned_completion="2019-03-01",
)
# the facility-area norm says whether each closes its community's gap
assert area_after(jia, [build]).shortfall == 0
assert area_after(ding, [lease]).required == Decimal(150)

# %% The build from plan to use: the rights are settled before use (§2.5)
workflow = FacilityProjectWorkflow()
record = workflow.apply(
    workflow.new(build.id),
    "approve",
    actor="county",
    at="2017-03-01T09:00:00+08:00",
    data=project_data(build),
)
record = workflow.apply(record, "start_works", actor="county", at="2017-04-01T09:00:00+08:00")
record = workflow.apply(
    record,
    "complete",
    actor="county",
    at="2018-07-02T09:00:00+08:00",
    data={"completed_on": "2018-06-30"},
)
refused = workflow.check(record, "put_in_use", actor="county", at="2018-07-02T10:00:00+08:00")
assert any("§2.5" in r for r in refused)
record = workflow.apply(
    record,
    "settle_rights",
    actor="county",
    at="2018-07-02T10:00:00+08:00",
    data={"ownership": "government"},
)
record = workflow.apply(record, "put_in_use", actor="county", at="2018-07-03T09:00:00+08:00")
FacilityProjectWorkflow.verify(record)

# %% The pipeline in the scenario engine: when is each target met, and what slips?
data = RegionDataset.from_region(region)
pipeline = ProjectPipeline(projects=[build, lease])
outlook = pipeline_outlook(data, pipeline)
print({code: outlook.community_year(code) for code in (jia.code, ding.code)})
print("region:", outlook.year_met("facility_area"))
late = slippage(data, pipeline, "p-ding")
for slip in late.targets:
    print(f"{slip.what}: {slip.on_time} → {slip.late}")

assert outlook.community_year(jia.code) == 2018
assert outlook.community_year(ding.code) == 2019
assert outlook.year_met("facility_area") == 2019
assert late.late.year_met("facility_area") == 2020
