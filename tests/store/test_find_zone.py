"""The work list speaks the zone the workflows speak: Asia/Shanghai, whatever was sent."""

from __future__ import annotations

import pendulum

from sqfw.store import SqlStore
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

# 01:00 UTC is 09:00 in Beijing: the same instant, sent by a host whose clock is in UTC.
SENT_IN_UTC = pendulum.datetime(2019, 9, 20, 1, tz="UTC")


def test_find_gives_times_in_asia_shanghai() -> None:
    wf = TicketWorkflow(catalogue=example_catalogue())
    store = SqlStore(":memory:", workflows=[wf])
    data = {"service_code": "hrss.pension_certification", "kind": "handling", "channel": "phone"}
    record = wf.apply(wf.new("T1"), "receive", actor="w", at=SENT_IN_UTC, data=data)
    record = wf.apply(
        record,
        "dispatch",
        actor="w",
        at=SENT_IN_UTC,
        data={"offices": ["human_resources_social_security"]},
    )
    store.save(record)
    (found,) = store.find(workflow="service_ticket")
    assert found.updated_at is not None
    assert found.due is not None
    assert found.updated_at.timezone_name == "Asia/Shanghai"
    assert found.due.timezone_name == "Asia/Shanghai"
    assert found.updated_at.isoformat() == "2019-09-20T09:00:00+08:00"
    assert found.updated_at == SENT_IN_UTC  # the same instant
    due = wf.due(record)
    assert due is not None
    assert found.due == due
    assert found.due.isoformat() == due.in_timezone("Asia/Shanghai").isoformat()
    (overdue,) = store.overdue(found.due.add(seconds=1))
    assert overdue.due is not None
    assert overdue.due.timezone_name == "Asia/Shanghai"
    store.dispose()
