"""A street's year of the plan's processes, and their indicators in the region's report.

兴华街道 (150101001000) of the bundled sample region in 2020: a consultation topic from
raising to closing (§1.6), an owners' committee and its joint meetings (§1.5), a
three-society service project bought by the government (§1.7, §5.7, §5.8), the
floating-population register read once with its access log (§3.5), and the workers due a
commendation (§5.5). Their indicators are attached to the region's assessment, and the
report — terminal text here, the HTML page and the workbook alike — shows them.

Run with ``python examples/plan_processes.py``.
"""

# %% Local rules: the plan sets no figures for consultation or commendation
import tempfile
from pathlib import Path

from sqfw import reports
from sqfw.analysis import (
    assess,
    commendation_indicators,
    consultation_indicators,
    floating_indicators,
    owners_indicators,
    sample_region,
    three_society_indicators,
)
from sqfw.calculators import commendation_list
from sqfw.entities import FloatingRegistration, ServicePeriod, ServiceProject
from sqfw.entities.owners import JointMeeting, OwnersCommittee
from sqfw.population import FloatingRegister
from sqfw.reports import write_report
from sqfw.standards import default_standards
from sqfw.workflows.consultation import ConsultationWorkflow, consultation_rules
from sqfw.workflows.local_examples import example_local_standards

STREET, JIA, YI = "150101001000", "150101001001", "150101001002"
std = default_standards().extended(example_local_standards())


def at(month: int, day: int, hour: int = 9) -> str:
    return f"2020-{month:02d}-{day:02d}T{hour:02d}:00:00+08:00"


# %% Consultation (§1.6): lifts for old buildings, agreed, published, implemented
rules = consultation_rules(
    STREET,
    standards=std,
    on="2020-06-01",
    proposers=["residents_committee", "owners_committee"],
    participants=["residents_representatives", "owners_committee", "property_company"],
    forms=["meeting"],
)
consult = ConsultationWorkflow(rules=[rules])
topic = {
    "title": "加装电梯 / lifts for old buildings",
    "community_code": JIA,
    "street_code": STREET,
    "proposer": "owners_committee",
}
notice = {
    "first_session_on": "2020-06-08",
    "form": "meeting",
    "parties": ["residents_representatives", "owners_committee"],
    "invited": 30,
}
r = consult.apply(consult.new("t1"), "raise_topic", actor="street", at=at(6, 1, 8), data=topic)
r = consult.apply(r, "accept", actor="street", at=at(6, 1))
print(
    "too early a session:",
    consult.check(r, "give_notice", actor="street", at=at(6, 3), data=notice),
)
r = consult.apply(r, "give_notice", actor="street", at=at(6, 1), data=notice)
r = consult.apply(
    r, "hold_session", actor="street", at=at(6, 8), data={"attended": 24, "minutes": "m-1"}
)
agreement = {"outcome": "agreement", "votes_for": 20, "votes_cast": 24}
r = consult.apply(r, "conclude", actor="street", at=at(6, 8, 11), data=agreement)
r = consult.apply(r, "publish", actor="street", at=at(6, 9), data={"channel": "公示栏"})
r = consult.apply(r, "follow_up", actor="street", at=at(9, 1), data={"implemented": True})
topic_record = consult.apply(r, "close", actor="street", at=at(9, 2), reason="已落实 / implemented")
print("topic:", topic_record.state, "trail entries:", len(topic_record.trail))

# %% Owners' committees (§1.5): one filed with the street, one not yet
committees = [
    OwnersCommittee(
        id="oc1",
        estate="阳光小区",
        community_code=JIA,
        members=["李四", "王五", "赵六"],
        term_start="2018-01-01",
        term_end="2022-12-31",
        filed_with=STREET,
        filed_on="2018-02-01",
    ),
    OwnersCommittee(
        id="oc2",
        estate="和平小区",
        community_code=YI,
        members=["钱七", "孙八", "周九"],
        term_start="2019-05-01",
        term_end="2024-04-30",
    ),
]
meetings = [
    JointMeeting(id=f"m{i}", owners_committee_id="oc1", community_code=JIA, on=day)
    for i, day in enumerate(["2020-03-15", "2020-09-15"])
]

# %% Three societies (§1.7, §5.7, §5.8): a project bought by the government
project = ServiceProject(
    id="sp1",
    title="老年人日间照料 / day care for the elderly",
    community_code=JIA,
    organization_id="org-1",
    social_workers=2,
    funding="government_purchase",
    amount_yuan="120000",
    start="2020-01-01",
    end="2020-12-31",
    beneficiaries=180,
)

# %% The floating-population register (§3.5): masked, and every full read logged
person = FloatingRegistration(
    id="f1",
    community_code=JIA,
    identity_number="11010519491231002X",
    name="王小明",
    address="兴华街12号",
    origin="河北省保定市",
    arrived_on="2020-03-01",
    registered_on="2020-03-02",
    registered_by_role="building_leader",
    registered_by="leader-17",
)
register = FloatingRegister(register_id="xinghua", registrations=[person])
print("shown:", register.view("f1").identity_number)
read = register.read_full("f1", actor="police-3", purpose="核查 / check", at=at(6, 1, 10))
register = read.register
print("access log entries:", register.log.version)

# %% Commendation (§5.5): ten years of service on the day
periods = [
    ServicePeriod(worker_id="w1", community_code=JIA, start="2010-06-01"),
    ServicePeriod(worker_id="w2", community_code=YI, start="2015-03-01"),
]
commended = commendation_list(["w1", "w2"], periods, on="2020-06-01", standards=std)
print("commended:", [s.worker_id for s in commended.qualifying])

# %% The indicators, attached to the region's assessment
indicators = [
    *consultation_indicators([topic_record], consult),
    *owners_indicators(committees, meetings, year=2020),
    *three_society_indicators([project], on="2020-06-01"),
    *floating_indicators(register, on="2020-06-01"),
    *commendation_indicators(commended, periods),
]
region = assess(sample_region(), on="2020-12-31").with_processes(indicators=indicators)
report = reports.text(region, lang="en", top=3)
print(report[report.index("Indicators of the plan's processes") :])
with tempfile.TemporaryDirectory() as folder:
    written = write_report(region, Path(folder) / "xinghua.html", lang="zh")
    page = written[0].read_text(encoding="utf-8")

# %% Checks
assert topic_record.state == "closed"
assert register.view("f1").identity_number == "1101**********002X"
assert [s.worker_id for s in commended.qualifying] == ["w1"]
shown = {(i.id, i.place): i.value for i in region.process_indicators}
assert shown[("consultation.agreement_share", STREET)] == 1
assert shown[("owners.filed_share", YI)] == 0
assert shown[("owners.joint_meetings", JIA)] == 2
assert shown[("floating.registered", JIA)] == 1
assert shown[("commendation.qualifying", JIA)] == 1
assert '<section id="processes">' in page
assert "11010519491231002X" not in page  # the report shows counts, never a person
