# %% [markdown]
# # Volunteer service records: record, certify, correct, certificate (§5.9–§5.11)
#
# A community volunteer team records a volunteer's service, certifies it, corrects it
# when the volunteer asks, and issues a certificate of volunteer service record from its
# records (谁组织谁记录，谁记录谁证明; 《志愿服务条例》第十九条, 民政部令第67号). The records
# live in a SQLite store and their hash-chained trails are verified from it. Then the
# community's registry is counted into §5.11.

# %%
import tempfile
from decimal import Decimal
from pathlib import Path

import pendulum

from sqfw.analysis import assess
from sqfw.entities import (
    Community,
    Division,
    Region,
    ServiceRecord,
    Volunteer,
    with_registry_counts,
)
from sqfw.store import SqlStore
from sqfw.workflows.volunteer_service import (
    VolunteerServiceWorkflow,
    record_data,
    service_certificate,
    service_hours,
)

TZ = "Asia/Shanghai"
folder = Path(tempfile.mkdtemp())
workflow = VolunteerServiceWorkflow()
store = SqlStore(str(folder / "volunteers.db"), workflows=[workflow])
team = {"organization_id": "qc-team"}  # the organising body: 青城社区志愿服务队

volunteer = Volunteer(
    id="v1",
    name="李娜",
    community_code="150102001001",
    registered_on="2025-03-05",
    identity_number="11010519491231002X",
)
start = pendulum.datetime(2026, 3, 1, 9, tz=TZ)
visit = ServiceRecord(id="r1", start=start, end=start.add(hours=3, minutes=30), activity="助老探访")

# %% The team records the service and certifies it
at = pendulum.datetime(2026, 3, 1, 13, tz=TZ)
record = workflow.apply(
    workflow.new("r1"),
    "record",
    actor="记录员王芳",
    at=at,
    data=record_data(volunteer, visit, organization_id="qc-team"),
)
record = workflow.apply(record, "certify", actor="记录员王芳", at=at.add(hours=1), data=team)
store.save(record)
print(record.state, workflow.facts(record).hours, "hours")

# %% The volunteer finds the end time wrong and asks for a correction; the team corrects
record = store.load("volunteer_service", "r1")
record = workflow.apply(
    record,
    "request_correction",
    actor="李娜",
    at=at.add(days=1),
    reason="服务实际到13:00结束",
    data={"volunteer_id": "v1", "items": ["end"]},
)
record = workflow.apply(
    record,
    "correct",
    actor="记录员王芳",
    at=at.add(days=2),
    data={**team, "end": "2026-03-01T13:00:00+08:00"},
)
record = workflow.apply(
    record, "certify", actor="记录员王芳", at=at.add(days=2, hours=1), data=team
)
store.save(record)
for entry in record.trail:
    print(entry.seq, entry.event, entry.actor, dict(entry.data).get("previous", ""))
assert [e.event for e in record.trail] == [
    "record",
    "certify",
    "request_correction",
    "correct",
    "certify",
]

# %% The trail verifies from the store: every entry, every link
stored = store.load("volunteer_service", "r1")  # verified on load
assert stored == record
assert not store.verify_all()
workflow.verify(stored)
correction = workflow.facts(stored).corrections[0]
assert correction.changes["end"] == ("2026-03-01T12:30:00+08:00", "2026-03-01T13:00:00+08:00")

# %% A certificate from the records, personal data masked
certificate = service_certificate(
    workflow,
    store.records("volunteer_service"),
    volunteer=volunteer,
    organization_id="qc-team",
    organization_name="青城社区志愿服务队",
    number="QC-2026-001",
    issued_on="2026-03-05",
)
print(certificate.render("zh"))
print(certificate.render("en"))
assert certificate.total_hours == Decimal(4)
assert "李娜" not in certificate.render("zh")
assert "1101**********002X" in certificate.render("zh")

# %% Hours by volunteer, organisation and month
rows = service_hours(workflow, store.records("volunteer_service"))
assert [(r.group["period"], r.hours) for r in rows] == [("2026-03", Decimal(4))]

# %% §5.11: the community's registry counted into the assessment (20% of residents)
region = Region(
    root=Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region"),
    communities=[
        Community(code="150102001001", name="青城社区", kind="urban", resident_population=5)
    ],
    volunteers=[volunteer],
)
verdict = assess(with_registry_counts(region, on="2026-12-31"), on="2020-12-31").target(
    "volunteers"
)
print(verdict.explanation_en)
assert verdict.attainment.value == "met"  # 1 of 5 residents: exactly 20%
store.dispose()
