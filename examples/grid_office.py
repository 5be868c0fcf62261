"""A street's grid office: patrol, event, one-window ticket, close (§3.5, §3.8).

Run it with ``python examples/grid_office.py``. 光明社区 is divided into two grids under
the bundled EXAMPLE unit code scheme (community code + 3-digit grid serial); a grid worker
finds a broken street lamp on patrol, verifies it, and escalates it; the grid office
dispatches it into a one-window service ticket (linked both ways), the back office
handles the ticket, the event is done and checked. A second event is handled on the spot.
Both trails are stored in a SQLite file and verified from it; then the grid indicators.
Every time limit comes from the bundled EXAMPLE local rules, which are not the plan's (the
plan sets none) and not any county's: a host supplies its own.
"""

# %% The community's units: grids with their workers, buildings with their leaders
import tempfile
from pathlib import Path

import pendulum

from sqfw import Community, ServiceTicket
from sqfw.analysis import GRID_INDICATORS, HouseholdsNorm, grid_households, grid_indicators
from sqfw.entities import (
    EXAMPLE_SCHEME,
    Building,
    CommunityUnits,
    Grid,
    GridWorker,
    UnitLeader,
)
from sqfw.standards import default_standards
from sqfw.store import SqlStore
from sqfw.workflows.grid_event import (
    GridEventWorkflow,
    complete_from_ticket,
    escalate_to_ticket,
    grid_event_rules,
    report_data,
)
from sqfw.workflows.local_examples import example_local_standards
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

CODE = "150102001001"
community = Community(
    code=CODE, name="光明社区", kind="urban", households=520, resident_population=1500
)
first, second = (EXAMPLE_SCHEME.code("grid", CODE, n) for n in (1, 2))
units = CommunityUnits(
    community_code=CODE,
    grids=[
        Grid(
            community_code=CODE,
            code=first,
            name="第一网格",
            households=300,
            workers=[GridWorker(id="gw-1", name="王伟", worker_id="cw-7", since="2024-01-01")],
        ),
        Grid(community_code=CODE, code=second, name="第二网格", households=220),
    ],
    buildings=[
        Building(
            community_code=CODE,
            code=EXAMPLE_SCHEME.code("building", CODE, 3),
            name="3号楼",
            grid_code=first,
            households=48,
            leader=UnitLeader(id="L-3", name="李娜", phone="13800138000"),
        )
    ],
)
units.check_community(community)  # same community, households in grids within its own
print(units.scheme.name)
print(units.buildings[0].leader)  # the building leader's name and phone, masked
assert "13800138000" not in repr(units)

# %% The rules: EXAMPLE time limits, layered over the plan's standards
standards = default_standards().extended(example_local_standards())
rules = grid_event_rules(standards=standards, on="2024-05-06")
assert rules.is_example  # the bundled limits say they are an example
events = GridEventWorkflow(rules=rules)
tickets = TicketWorkflow(catalogue=example_catalogue())
t0 = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")

# %% Patrol: a broken street lamp is reported, verified and escalated (巡查发现 → 核实 → 上报)
lamp = events.apply(
    events.new("E-2024-001"),
    "report",
    actor="gw-1",
    at=t0,
    data=report_data(
        units.grids[0],
        found_by="gw-1",
        category="路灯损坏",
        on=t0.date(),
        building=units.buildings[0],
    ),
)
lamp = events.apply(lamp, "verify", actor="gw-1", at=t0.add(hours=2))
lamp = events.apply(lamp, "escalate", actor="gw-1", at=t0.add(hours=3), reason="需城管部门维修")

# %% Dispatched into a one-window ticket: both records name each other
ticket = ServiceTicket(
    id="T-2024-0517",
    service_code="urban.street_lighting",
    kind="handling",
    community_code=CODE,
    received_at=t0.add(hours=4),
    applicant="王伟",
    channel="mobile_app",
    summary="光明路3号楼前路灯不亮",
)
lamp, record = escalate_to_ticket(events, lamp, tickets, ticket, actor="grid-office")
assert events.facts(lamp).ticket == ticket.id
assert tickets.facts(record).grid_event == lamp.record_id

# %% The back office handles the ticket; the event is done and checked (办结 → 核查)
office = {"office": "urban_management"}
record = tickets.apply(
    record,
    "dispatch",
    actor="dispatcher",
    at=t0.add(hours=5),
    data={"offices": ["urban_management"]},
)
record = tickets.apply(record, "office_accept", actor="urban", at=t0.add(hours=6), data=office)
record = tickets.apply(record, "office_finish", actor="urban", at=t0.add(hours=26), data=office)
lamp = complete_from_ticket(events, lamp, tickets, record, actor="grid-office", at=t0.add(hours=27))
lamp = events.apply(lamp, "review", actor="grid-office", at=t0.add(hours=30))
assert lamp.state == "closed"

# %% A second event is handled on the spot (就地处置)
stall = events.apply(
    events.new("E-2024-002"),
    "report",
    actor="gw-1",
    at=t0.add(hours=1),
    data={"grid_code": first, "category": "占道经营", "found_by": "gw-1"},
)
stall = events.apply(stall, "verify", actor="gw-1", at=t0.add(hours=1, minutes=10))
stall = events.apply(
    stall, "handle_on_spot", actor="gw-1", at=t0.add(hours=1, minutes=30), reason="已劝离"
)
stall = events.apply(stall, "review", actor="grid-office", at=t0.add(hours=8))

# %% Both trails into a SQLite file, and verified from it
with tempfile.TemporaryDirectory() as folder:
    store = SqlStore(f"sqlite:///{Path(folder) / 'grid.db'}", workflows=[events, tickets])
    try:
        store.save_new([lamp, stall, record])
        assert store.verify_all() == []
        loaded = store.load("grid_event", lamp.record_id)
        GridEventWorkflow.verify(loaded)
        TicketWorkflow.verify(store.load("service_ticket", ticket.id))
        assert loaded == lamp
        assert tickets.facts(store.load("service_ticket", ticket.id)).grid_event == "E-2024-001"
    finally:
        store.dispose()
print(GridEventWorkflow.mermaid().splitlines()[0], "…")

# %% The grid indicators (§3.5), with a host's households norm (here invented)
norm = HouseholdsNorm(source="示例：某区网格化管理办法", min_households=200, max_households=300)
print(grid_households(units.grids[1], norm=norm, on="2024-06-30").explanation_en)
rows = grid_indicators([units], on="2024-06-30", norm=norm, events=[lamp, stall], workflow=events)
for row in rows:
    if row.level == "community":
        print(f"{GRID_INDICATORS[row.id][1]}: {row.numerator}/{row.denominator}")
shares = {row.id: row.value for row in rows if row.level == "community"}
assert shares["grid.with_worker"] == 0.5  # the second grid has no grid worker yet
assert shares["grid.households_within_norm"] == 1
assert shares["grid_event.within_limits"] == 1
