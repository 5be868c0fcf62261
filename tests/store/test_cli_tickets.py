"""`sqfw assess --tickets STORE`: the stored tickets' 好差评 indicators in the region report."""

from __future__ import annotations

import json

import pendulum
import pytest

from sqfw.cli import main
from sqfw.entities.ticket import ServiceTicket
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

pytest.importorskip("sqlalchemy")

from sqfw.store import SqlStore

TZ = "Asia/Shanghai"


def _rated(wf: TicketWorkflow, tid: str, satisfaction: str) -> WorkflowRecord:
    when = pendulum.datetime(2019, 9, 27, 11, tz=TZ)
    t = ServiceTicket(
        id=tid,
        service_code="justice.legal_aid",
        kind="handling",
        community_code="150101001001",
        received_at=when.subtract(hours=1),
        applicant="王五",
        departments=["justice"],
    )
    r = wf.receive(wf.new(tid), t, actor="window")
    r = wf.apply(r, "dispatch", actor="d", at=when, data={"offices": ["justice"]})
    r = wf.apply(r, "office_accept", actor="j", at=when, data={"office": "justice"})
    r = wf.apply(r, "office_finish", actor="j", at=when, data={"office": "justice"})
    r = wf.apply(r, "answer", actor="w", at=when, reason="已办结")
    return wf.apply(
        r, "rate", actor="resident", at=when.add(days=1), data={"satisfaction": satisfaction}
    )


@pytest.fixture
def store_file(tmp_path):
    path = tmp_path / "tickets.db"
    wf = TicketWorkflow(catalogue=example_catalogue())
    store = SqlStore(str(path), workflows=[wf])
    store.save_new([_rated(wf, f"T{i}", s) for i, s in enumerate(("satisfied", "dissatisfied"))])
    store.dispose()
    return path


def test_the_report_has_the_stored_tickets_ratings(store_file, tmp_path):
    out = tmp_path / "r.json"
    args = ["assess", "--tickets", str(store_file), "--format", "json", "--findings", "none"]
    assert main([*args, "--output", str(out)]) == 0
    [row] = json.loads(out.read_text(encoding="utf-8"))["service_indicators"]
    assert (row["office"], row["rated"], row["bad"]) == ("justice", 2, 1)
    assert row["satisfaction_rate"] == "1/2"


def test_the_terminal_report_shows_them(store_file, capsys):
    assert main(["assess", "--tickets", str(store_file), "--lang", "en", "--top", "3"]) == 0
    assert "One-window service ratings" in capsys.readouterr().out


@pytest.mark.parametrize("what", ["missing", "not a database"])
def test_a_store_that_cannot_be_read_is_one_line(tmp_path, capsys, what):
    path = tmp_path / "nope.db"
    if what == "not a database":
        path.write_bytes(b"this is not SQLite" * 100)
    assert main(["assess", "--tickets", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sqfw: error: cannot read the tickets of")
    assert "Traceback" not in err


def test_a_catalogue_needs_tickets(capsys):
    assert main(["assess", "--catalogue", "c.toml"]) == 2
    assert "--catalogue applies to the tickets of --tickets STORE" in capsys.readouterr().err
