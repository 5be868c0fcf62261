"""A host's screen for one service ticket, built from ``allowed_events`` alone.

Run it with ``python examples/workflow_buttons.py``. Each ``# %%`` cell can also be run
on its own in an editor that understands cells. The script ends in asserts, and the test
suite runs it. The host knows nothing of the ticket's rules: each button, its form
fields and why a button is greyed out come from the workflow. The time limits come from
the bundled EXAMPLE catalogue, which is not the plan's.
"""

# %% A ticket received at the window
import json

import pendulum

from sqfw.store import SqlStore
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

workflow = TicketWorkflow(catalogue=example_catalogue())
at = pendulum.datetime(2019, 9, 20, 9, tz="Asia/Shanghai")
record = workflow.apply(
    workflow.new("T-001"),
    "receive",
    actor="window-3",
    at=at,
    data={"service_code": "hrss.pension_certification", "kind": "handling", "channel": "window"},
)


# %% The buttons: one per event out of the state, greyed out with its reasons
def screen(record, actor, when):  # type: ignore[no-untyped-def]
    """Print the buttons as a host would draw them; return them as its API would send."""
    options = workflow.allowed_events(record, actor=actor, at=when)
    for option in options:
        fields = ", ".join(
            f"{k.name}{'*' if k.required else ''} ({k.label_zh})" for k in option.data
        )
        mark = "[ ]" if option.allowed else "[x]"
        print(
            f"{mark} {option.label_zh} / {option.label_en}: {fields or '-'}"
            + ("  (reason required)" if option.needs_reason else "")
        )
        for why in option.reasons:
            print(f"      {why}")
    return [o.as_data() for o in options]


buttons = {b["event"]: b for b in screen(record, "window-3", at.add(hours=1))}
assert buttons["dispatch"]["allowed"]
assert [k["name"] for k in buttons["dispatch"]["data"]] == ["offices", "lead"]
assert not buttons["escalate"]["allowed"]  # not overdue yet: the reason says until when
assert "not overdue" in buttons["escalate"]["reasons"][0]
assert json.loads(json.dumps(list(buttons.values()), ensure_ascii=False))

# %% Pressing a button with the form's fields; a misspelt field is refused
misspelt = workflow.check(
    record,
    "dispatch",
    actor="window-3",
    at=at.add(hours=1),
    data={"office": ["human_resources_social_security"]},
)
print(misspelt[0])
assert "allowed: offices, lead" in misspelt[0]
record = workflow.apply(
    record,
    "dispatch",
    actor="window-3",
    at=at.add(hours=1),
    data={"offices": ["human_resources_social_security"]},
)

# %% An actor name with an invisible character greys out every button
ghost = screen(record, "window-3\u200b", at.add(hours=2))
assert ghost
assert not any(b["allowed"] for b in ghost)
assert "U+200B" in ghost[0]["reasons"][0]

# %% The work list gives its times in Asia/Shanghai
store = SqlStore(":memory:", workflows=[workflow])
store.save(record)
(item,) = store.find(office="human_resources_social_security")
print("due", item.due)
assert item.due is not None
assert item.due.timezone_name == "Asia/Shanghai"
store.dispose()
