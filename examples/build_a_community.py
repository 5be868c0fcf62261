"""Build a community with its committee, a facility and volunteers; validate and serialize.

Run it with ``python examples/build_a_community.py``. Each ``# %%`` cell can also be run
on its own in an editor that understands cells. The script ends in asserts, and the test
suite runs it.
"""

# %% A facility and a committee
from decimal import Decimal

import attrs
import pendulum

from sqfw import (
    Committee,
    CommitteeMember,
    Community,
    DocumentError,
    Facility,
    InvalidEntityError,
    ServiceRecord,
    Volunteer,
)
from sqfw.serialization import dump_document, dumps, load_document, loads, make_converter

centre = Facility(
    id="centre",
    kind="comprehensive",  # 社区综合服务设施 (§2.3)
    total_area_m2="620.5",
    office_area_m2=150,  # the plan's 30% office share (§2.14) is a finding, not checked here
    barrier_free=True,  # §2.4
    multi_use_rooms=3,  # 一室多用, §2.8
)

committee = Committee(
    term=10,  # 第十届 (§1.1)
    kind="residents",
    method="direct",  # 直选 (§1.2)
    elected_on="2017-05-20",
    members=[
        CommitteeMember(id="m1", name="张丽", gender="female", role="chair"),
        CommitteeMember(
            id="m2",
            name="王伟",
            gender="male",
            role="member",
            is_community_police=True,  # §1.3
            phone="13800138000",
        ),
    ],
)
print(committee.members[1])  # personal data is masked in every repr

# %% The community
community = Community(
    code="150102001001",  # a 12-digit statistical division code, village level
    name="光明社区",
    kind="urban",
    households=1_800,
    resident_population=5_200,
    floating_population=400,
    new_or_renovated=True,  # §2.1: at least 500 m² for a new or renovated community
    facilities=[centre],
    committee=committee,
)
print(community.name, community.kind.label_zh, community.kind.label_en)

# %% Volunteers with a service ledger (§5.10); an overnight record is fine
shanghai = "Asia/Shanghai"
volunteers = [
    Volunteer(
        id="v1",
        name="李娜",
        community_code=community.code,
        registered_on="2019-03-05",
        groups=["party_member"],
        identity_number="11010519491231002X",
        records=[
            ServiceRecord(
                id="r1",
                start=pendulum.datetime(2020, 6, 1, 21, tz=shanghai),
                end=pendulum.datetime(2020, 6, 2, 1, 30, tz=shanghai),
                activity="防疫值守",
            )
        ],
    ),
    Volunteer(id="v2", name="巴特尔", community_code=community.code, registered_on="2020-01-10"),
]
print("hours:", volunteers[0].total_hours)
community = attrs.evolve(community, registered_volunteers=len(volunteers))

# %% Invalid data is refused at construction, naming the field and the value
try:
    attrs.evolve(centre, office_area_m2=700)
except InvalidEntityError as error:
    print("refused:", error)
    refused = error
assert refused.field == "office_area_m2"
assert "700" in str(refused)

# %% Serialize: the default export masks personal data
masked = dump_document(community)
print(dumps(community)[:300], "…")
assert masked["committee"]["members"][1]["phone"] == "138****8000"
assert masked["facilities"][0]["total_area_m2"] == 620.5

# %% A full export needs the explicit opt-in, and it loads back equal
full = make_converter(reveal_personal_data=True)
text = dumps(community, converter=full)
assert loads(Community, text, converter=full) == community
for volunteer in volunteers:
    document = dump_document(volunteer, converter=full)
    assert load_document(Volunteer, document, converter=full) == volunteer

# %% A masked export does not load back: stars are never stored as data
try:
    load_document(Community, masked)
except DocumentError as error:
    print(error)
    problems = error.problems
assert [p.path for p in problems] == [
    "$.committee.members[0].name",
    "$.committee.members[1].name",
    "$.committee.members[1].phone",
]

# %% A malformed document: one error listing every problem with its path
broken = dump_document(community, converter=full)
broken["facilities"][0]["total_area_m2"] = -5
broken["households"] = 0
broken["colour"] = "red"
try:
    load_document(Community, broken, converter=full)
except DocumentError as error:
    print(error)
    problems = error.problems
assert [str(p) for p in problems] == [
    "$.households: expected households > 0 for 5200 residents, got 0",
    "$.facilities[0].total_area_m2: expected an area in m² from 0 to 10,000,000, got -5",
    "$.colour: unknown key; expected one of: code, name, kind, households, "
    "resident_population, floating_population, registered_volunteers, new_or_renovated, "
    "smart, facilities, committee, set_up_as_needed, self_service_terminal, floor_area_m2, "
    "commercial_service_area_m2",
]
assert community.facilities[0].total_area_m2 == Decimal("620.5")
print("ok")
