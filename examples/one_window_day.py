"""One day at a street's one-window service (§3.8, §3.9, §4.7).

Run it with ``python examples/one_window_day.py``. Twenty tickets arrive on Monday
2019-09-23; one is objected to and reassigned (退单改派), one is merged into an earlier
request (并单), one is rated badly and rectified (好差评); then the work list from the
store and the indicators. Every time limit and rule comes from the bundled EXAMPLE
catalogue, which is not the plan's (the plan sets none): a host supplies its own.
"""

# %% The catalogue, the workflow and a store
import pendulum

from sqfw import ServiceTicket, reports
from sqfw.analysis import assess, sample_region
from sqfw.store import SqlStore
from sqfw.workflows.duplicates import (
    close_duplicate,
    forward_update,
    merge_duplicate,
    suggest_duplicates,
)
from sqfw.workflows.indicators import INDICATOR_LABELS, service_indicators
from sqfw.workflows.open311 import dump_requests, request_from_record
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

catalogue = example_catalogue()
print(catalogue.source)
wf = TicketWorkflow(catalogue=catalogue)
store = SqlStore(":memory:", workflows=[wf])
day = pendulum.datetime(2019, 9, 23, 9, tz="Asia/Shanghai")

SERVICES = [
    ("hrss.pension_certification", "human_resources_social_security", "养老认证"),
    ("justice.legal_aid", "justice", "申请法律援助"),
    ("urban.street_lighting", "urban_management", "幸福路路灯不亮已经三天"),
    ("public_security.residence_certificate", "public_security", "开具居住证明"),
]

# %% Twenty tickets received and dispatched by the catalogue
tickets: dict[str, ServiceTicket] = {}
records = {}
for i in range(20):
    code, office, summary = SERVICES[i % len(SERVICES)]
    t = ServiceTicket(
        id=f"T{i + 1:02d}",
        service_code=code,
        kind="handling",
        community_code="150102001001",
        received_at=day.add(minutes=20 * i),
        applicant="居民",
        departments=["other"],
        summary=summary if i != 18 else "幸福路的路灯不亮已经三天了",
    )
    tickets[t.id] = t
    r = wf.receive(wf.new(t.id), t, actor="window-1")
    if i != 18:  # T19 waits: the dispatcher checks it for a duplicate first
        r = wf.apply(
            r,
            "dispatch",
            actor="dispatcher",
            at=t.received_at.add(minutes=5),
            data={"offices": [office]},
        )
    records[t.id] = r

# %% T02 is objected to by justice and reassigned to civil affairs (改派)
r = records["T02"]
r = wf.apply(
    r,
    "raise_objection",
    actor="justice",
    at=day.add(hours=2),
    reason="属民政救助事项",
    data={"office": "justice"},
)
r = wf.apply(
    r,
    "accept_objection",
    actor="dispatcher",
    at=day.add(hours=3),
    data={"office": "justice", "reassign_to": ["civil_affairs"]},
)
records["T02"] = r
assert wf.holders(r) == ("civil_affairs",)

# %% T19 repeats T03: suggested, confirmed, merged; its update goes to T03
[suggestion] = suggest_duplicates(tickets["T19"], [tickets["T03"], tickets["T04"]], catalogue.rules)
print("duplicate of", suggestion.original_id, "similarity", suggestion.similarity)
assert suggestion.original_id == "T03"
dup, original = merge_duplicate(
    wf, records["T19"], records["T03"], actor="dispatcher", at=day.add(hours=7)
)
original = forward_update(
    wf,
    dup,
    original,
    actor="window-1",
    at=day.add(hours=7, minutes=5),
    reason="居民补充：东段也不亮",
)
for event in ("office_accept", "office_finish"):
    original = wf.apply(
        original, event, actor="urban", at=day.add(hours=8), data={"office": "urban_management"}
    )
original = wf.apply(
    original, "answer", actor="window-1", at=day.add(hours=8, minutes=30), reason="已更换灯具"
)
dup = close_duplicate(wf, dup, original, actor="dispatcher", at=day.add(hours=9))
records["T03"], records["T19"] = original, dup
assert dup.state == "closed"

# %% T01 is handled and answered; a bad rating is called back and rectified, then re-rated
r = records["T01"]
office = "human_resources_social_security"
r = wf.apply(r, "office_accept", actor="hrss", at=day.add(hours=1), data={"office": office})
r = wf.apply(r, "office_finish", actor="hrss", at=day.add(hours=4), data={"office": office})
r = wf.apply(r, "answer", actor="window-1", at=day.add(hours=5), reason="认证已完成")
r = wf.apply(
    r, "rate", actor="resident", at=day.add(hours=6), data={"satisfaction": "dissatisfied"}
)
print("call back by", wf.facts(r).callback_due, "rectify by", wf.facts(r).rectify_due)
r = wf.apply(r, "call_back", actor="window-1", at=day.add(hours=7), reason="已电话回访")
r = wf.apply(r, "rectify", actor="hrss", at=day.add(hours=8), reason="补发认证回执")
r = wf.apply(r, "rate", actor="resident", at=day.add(hours=9), data={"satisfaction": "satisfied"})
records["T01"] = r

# %% Everything into the store; the work list a week and a half later
store.save_new(records.values())
assert store.verify_all() == []
later = pendulum.datetime(2019, 10, 9, 10, tz="Asia/Shanghai")
work = store.work_list(later, workflow=wf.name)
print(
    "overdue",
    work.total.overdue,
    "due today",
    work.total.due_today,
    "this week",
    work.total.due_this_week,
)
for name, counts in work.by_office.items():
    print(f"  {catalogue.office_label(name)}: {counts}")
print("  by level:", work.overdue_by_level)

# %% The indicators, by office, as plain data
rows = service_indicators(wf, records.values(), by=("office",))
for row in rows:
    data = row.as_dict()
    print(", ".join(f"{INDICATOR_LABELS[k][0]} {v}" for k, v in data.items() if v is not None))
[hrss] = [row for row in rows if row.group["office"] == "human_resources_social_security"]
print(dump_requests([request_from_record(wf, records["T19"])])[:200])

# %% The same indicators in the region's report (every view has the section)
region = assess(sample_region(), on="2019-12-31").with_processes(service=rows)
print(reports.text(region, lang="zh", top=3).split("\n\n")[-1])

# %% Checks
assert len(records) == 20
assert all(wf.validator().check_records([rec]) == [] for rec in records.values())
assert work.total.overdue == 17  # every ticket not yet handled is past its limit
assert sum(work.overdue_by_level.values()) == 17
assert (hrss.bad, hrss.rectified_in_time, hrss.called_back) == (1, 1, 1)
assert hrss.satisfaction_rate == 1
assert region.service_indicators == tuple(rows)
store.dispose()
