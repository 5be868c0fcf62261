"""Run a villagers' committee election through the workflow, from preparation to handover.

Run it with ``python examples/election_workflow.py``. Each ``# %%`` cell can also be run
on its own in an editor that understands cells. The script ends in asserts, and the test
suite runs it.
"""

# %% Rules from the standards data, and the region's election window (§1.1)
import pendulum

from sqfw import Committee, CommitteeMember, TransitionRefused
from sqfw.standards import default_standards
from sqfw.workflows.election import ElectionRules, ElectionWindow, ElectionWorkflow

rules = ElectionRules.from_standards(default_standards(), "villagers", "2017-05-10")
print(rules.committee_size_min, rules.committee_size_max, rules.valid_turnout_more_than)

workflow = ElectionWorkflow(
    standards=default_standards(),
    windows=[ElectionWindow(term=10, opens="2017-03-01", closes="2017-08-31")],
)
start = pendulum.datetime(2017, 3, 1, 9, tz="Asia/Shanghai")

# %% Preparation, voter registration, competitive candidates
record = workflow.new("gacha-150102201001-term10")
record = workflow.apply(
    record,
    "open_registration",
    actor="election-committee",
    at=start,
    data={
        "kind": "villagers",
        "method": "direct",
        "term": 10,
        "seats": 3,
        "polling_date": "2017-05-10",
    },
)
record = workflow.apply(
    record,
    "close_registration",
    actor="election-committee",
    at=start.add(days=20),
    data={"registered_voters": 400},
)
try:  # as many candidates as seats is not a competitive election
    workflow.apply(
        record,
        "announce_candidates",
        actor="election-committee",
        at=start.add(days=40),
        data={"candidates": ["c1", "c2", "c3"]},
    )
except TransitionRefused as refused:
    print(refused.reasons)
record = workflow.apply(
    record,
    "announce_candidates",
    actor="election-committee",
    at=start.add(days=40),
    data={"candidates": ["c1", "c2", "c3", "c4", "c5"]},
)

# %% Polling day and the tally
polling = pendulum.datetime(2017, 5, 10, 8, tz="Asia/Shanghai")
record = workflow.apply(record, "open_polls", actor="election-committee", at=polling)
record = workflow.apply(record, "close_polls", actor="election-committee", at=polling.add(hours=9))
record = workflow.apply(
    record,
    "announce_results",
    actor="election-committee",
    at=polling.add(hours=12),
    data={
        "voters_voted": 300,
        "votes": {"c1": 240, "c2": 198, "c3": 148, "c4": 120, "c5": 60},
    },
)
for line in record.trail[-1].data["tally"]["explanation"]:
    print(line)

# %% A further round among the unelected with the most votes (at least one third)
facts = workflow.facts(record)
print(facts.elected, facts.unfilled_seats)
record = workflow.apply(
    record,
    "call_further_round",
    actor="election-committee",
    at=polling.add(days=1),
    data={"candidates": ["c3", "c4"]},
)
record = workflow.apply(record, "close_polls", actor="election-committee", at=polling.add(days=1))
record = workflow.apply(
    record,
    "announce_results",
    actor="election-committee",
    at=polling.add(days=1, hours=3),
    data={"voters_voted": 260, "votes": {"c3": 150, "c4": 100}},
)

# %% Handover: women among the members, community police recorded (§1.3)
committee = Committee(
    term=10,
    kind="villagers",
    method="direct",
    members=[
        CommitteeMember(id="c1", name="其其格", gender="female", role="chair"),
        CommitteeMember(id="c2", name="巴特尔", gender="male", is_community_police=True),
        CommitteeMember(id="c3", name="王芳", gender="female", is_social_org_head=True),
    ],
)
record = workflow.apply(
    record,
    "hand_over",
    actor="township",
    at=polling.add(days=10),
    data=ElectionWorkflow.committee_data(committee),
)
print(ElectionWorkflow.mermaid())

# %% Checks
assert record.state == "handed_over"
assert record.version == len(record.trail) == 10
assert workflow.facts(record).elected == ("c1", "c2", "c3")
assert ElectionWorkflow.validator().check_records([record]) == []
assert workflow.replay(record.record_id, record.trail) == record
