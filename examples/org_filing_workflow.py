"""File a community social organisation (§5.6), review it yearly, convert it to registration.

Run it with ``python examples/org_filing_workflow.py``. Each ``# %%`` cell can also be run
on its own in an editor that understands cells. The script ends in asserts, and the test
suite runs it.
"""

# %% The organisation and its filing form (no personal data in the trail)
import pendulum

from sqfw import SocialOrganization, TransitionRefused
from sqfw.workflows.filing import OrgFilingWorkflow, filing_data

org = SocialOrganization(
    id="org-001",
    name="幸福里邻里互助会",
    kind="mutual_aid",
    community_code="150102001001",
    responsible_person="张三",
    meets_registration_conditions=False,
)
workflow = OrgFilingWorkflow()
day = pendulum.datetime(2018, 3, 5, 9, tz="Asia/Shanghai")

# %% Submit, review, correct, file
record = workflow.apply(
    workflow.new(org.id), "submit", actor="applicant", at=day, data=filing_data(org)
)
record = workflow.apply(record, "start_review", actor="street-office", at=day.add(days=1))
record = workflow.apply(
    record,
    "request_correction",
    actor="street-office",
    at=day.add(days=2),
    reason="请补充活动章程和成员人数",
    data={"items": ["purpose", "members"]},
)
record = workflow.apply(
    record,
    "resubmit",
    actor="applicant",
    at=day.add(days=5),
    data={
        "corrected": ["purpose", "members"],
        "changes": {"purpose": "邻里互助、助老服务", "members": 28},
    },
)
record = workflow.apply(record, "start_review", actor="street-office", at=day.add(days=6))
record = workflow.apply(record, "accept", actor="street-office", at=day.add(days=7))

# %% Annual review, then conversion to registration with a credit code
record = workflow.apply(
    record, "start_annual_review", actor="street-office", at=day.add(years=1), data={"year": 2018}
)
record = workflow.apply(record, "pass_annual_review", actor="street-office", at=day.add(years=1))
try:
    workflow.apply(
        record, "convert", actor="civil-affairs", at=day.add(years=2), data={"credit_code": "bad"}
    )
except TransitionRefused as refused:
    for line in refused.reasons:
        print(line)
record = workflow.apply(
    record,
    "convert",
    actor="civil-affairs",
    at=day.add(years=2),
    data={"credit_code": "91110000600037341L", "meets_registration_conditions": True},
)
print(OrgFilingWorkflow.mermaid())

# %% Checks
assert record.state == "converted"
assert workflow.facts(record).organization["members"] == 28
assert "张三" not in repr(record.trail)
assert OrgFilingWorkflow.validator().check_records([record]) == []
