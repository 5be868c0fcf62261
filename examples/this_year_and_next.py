"""This year's figures and next year's deadlines: a plan carried forward, deadlines estimated.

Run it with ``python examples/this_year_and_next.py``. Each ``# %%`` cell can also be run on
its own. The script ends in asserts, and the test suite runs it.

No national community-service plan of 2026–2030 is bundled, so an assessment dated 2026
follows the 14th plan, carried forward (沿用), and says so. The ``holidays`` package knows
the official holiday schedules up to 2026, so a deadline that runs into 2027 is estimated
(weekends and statutory holidays) and says so, until the host adds 2027's schedule. The
2027 schedule below is made up for the example; it is not the State Council's.
"""

# %% An assessment dated 2026: the 14th plan, carried forward
import pendulum

from sqfw.analysis import assess, sample_region
from sqfw.calendar import OfficialSchedule
from sqfw.entities.ticket import ServiceTicket
from sqfw.store import SqlStore
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

result = assess(sample_region(seed=1), on="2026-06-30")
carried = result.carried_forward
assert carried is not None
print(carried.note_zh)
print(carried.note_en)
assert result.plan.id == "cn-14th"
assert carried.dated == pendulum.date(2025, 12, 31)
assert all(t.carried_forward == carried for t in result.targets)

# %% A ticket received 2026-12-28 at a 5-working-day service: an estimated deadline
tz = "Asia/Shanghai"
workflow = TicketWorkflow(catalogue=example_catalogue())
store = SqlStore(":memory:", workflows=[workflow])
ticket = ServiceTicket(
    id="T-20261228-001",
    service_code="hrss.pension_certification",  # 5 working days in the example catalogue
    kind="handling",
    community_code="150102001001",
    received_at=pendulum.datetime(2026, 12, 28, 10, tz=tz),
    applicant="李娜",
    departments=["human_resources_social_security"],
)
record = store.save(workflow.receive(workflow.new(ticket.id), ticket, actor="window"))
clock = workflow.clock_at(record, pendulum.datetime(2026, 12, 28, 11, tz=tz))
assert clock is not None
print(clock.deadline, clock.deadline_note)
assert clock.estimated
assert clock.deadline.date() == pendulum.date(2027, 1, 5)

overdue = store.overdue(pendulum.datetime(2027, 1, 6, 9, tz=tz))
assert [r.record_id for r in overdue] == [ticket.id]
assert overdue[0].due_estimated

# %% The host adds 2027's schedule (made up here): the deadline is recounted, the flag goes
made_up_2027 = OfficialSchedule(
    year=2027,
    days_off={f"2027-01-0{day}": "元旦" for day in range(1, 5)},
    makeup_workdays=["2027-01-09"],
    document="示例:2027年部分节假日安排(非官方)",
    number="示例〔2026〕1号",
    issued="2026-11-20",
    source="examples/this_year_and_next.py",
)
workflow.calendar = workflow.calendar.with_schedule(made_up_2027)
assert store.refresh_due(workflow.name) == 1
[row] = store.find(workflow=workflow.name)
print(row.due, "estimated" if row.due_estimated else "official")
assert not row.due_estimated
assert row.due is not None
assert row.due.date() == pendulum.date(2027, 1, 6)
store.dispose()
