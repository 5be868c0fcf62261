"""A one-window service ticket across the 2019 National Day holiday (§3.8, §3.9, §4.7).

Run it with ``python examples/service_ticket_workflow.py``. Each ``# %%`` cell can also be
run on its own in an editor that understands cells. The script ends in asserts, and the
test suite runs it. The time limits come from the bundled EXAMPLE catalogue, which is not
the plan's (the plan sets none): a host supplies its own.
"""

# %% The catalogue, the calendar and the ticket
import pendulum

from sqfw import ServiceTicket, TransitionRefused
from sqfw.calendar import WorkingDayCalendar
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

catalogue = example_catalogue()
print(catalogue.source)
workflow = TicketWorkflow(catalogue=catalogue, calendar=WorkingDayCalendar())
received_at = pendulum.datetime(2019, 9, 27, 10, tz="Asia/Shanghai")
ticket = ServiceTicket(
    id="T-20190927-001",
    service_code="family_planning.birth_registration",  # 5 working days in the example
    kind="handling",
    community_code="150102001001",
    received_at=received_at,
    applicant="李娜",
    channel="window",
    departments=["family_planning", "public_security"],
)

# %% Front window accepts, two back offices handle it together
record = workflow.receive(workflow.new(ticket.id), ticket, actor="window-3")
clock = workflow.clock_at(record, received_at)
print("deadline", clock.deadline if clock else None)  # 2019-10-10: Sun 9-29 is worked
record = workflow.apply(
    record,
    "dispatch",
    actor="window-3",
    at=received_at.add(hours=1),
    data={"offices": ["family_planning", "public_security"]},
)
for office in ("family_planning", "public_security"):
    record = workflow.apply(
        record, "office_accept", actor=office, at=received_at.add(hours=2), data={"office": office}
    )

# %% Waiting for materials pauses the clock; a late ticket is escalated (督办)
record = workflow.apply(
    record,
    "request_materials",
    actor="public_security",
    at=pendulum.datetime(2019, 9, 30, 9, tz="Asia/Shanghai"),
    reason="请补交户口簿复印件",
)
record = workflow.apply(
    record,
    "materials_received",
    actor="window-3",
    at=pendulum.datetime(2019, 10, 9, 9, tz="Asia/Shanghai"),
)
late = pendulum.datetime(2019, 10, 14, 9, tz="Asia/Shanghai")
clock = workflow.clock_at(record, late)
print(
    "deadline after the pause",
    clock.deadline if clock else None,
    "overdue",
    clock and clock.overdue,
)
try:
    workflow.apply(record, "escalate", actor="supervisor", at=late.subtract(days=3))
except TransitionRefused as refused:
    print(refused.reasons)
record = workflow.apply(record, "escalate", actor="supervisor", at=late)

# %% The co-handler reports, the lead office finishes, the resident is answered and rates
record = workflow.apply(
    record,
    "office_finish",
    actor="public_security",
    at=late.add(hours=2),
    data={"office": "public_security"},
)
assert record.state == "processing"  # the lead office (family planning) is still working
record = workflow.apply(
    record,
    "office_finish",
    actor="family_planning",
    at=late.add(hours=3),
    data={"office": "family_planning"},
)
record = workflow.apply(record, "answer", actor="window-3", at=late.add(hours=4), reason="已办结")
record = workflow.apply(
    record, "rate", actor="resident", at=late.add(days=1), data={"satisfaction": "satisfied"}
)
record = workflow.apply(record, "close", actor="window-3", at=late.add(days=1))

# %% Checks
assert record.state == "closed"
assert clock is not None
assert clock.overdue
assert workflow.facts(record).escalations == 1
assert "李娜" not in repr(record.trail)
assert TicketWorkflow.validator().check_records([record]) == []
