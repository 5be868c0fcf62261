"""`sqfw assess --tickets STORE`: the stored tickets' 好差评 indicators in the region report."""

from __future__ import annotations

import json

import pendulum
import pytest
from tests.tickets import rated_legal_aid

from sqfw.cli import main
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

pytest.importorskip("sqlalchemy")

from sqfw.store import SqlStore

HANDLED = pendulum.datetime(2019, 9, 27, 11, tz="Asia/Shanghai")


@pytest.fixture
def store_file(tmp_path):
    path = tmp_path / "tickets.db"
    wf = TicketWorkflow(catalogue=example_catalogue())
    store = SqlStore(str(path), workflows=[wf])
    rated = [
        rated_legal_aid(wf, f"T{i}", s, at=HANDLED, rated_at=HANDLED.add(days=1))
        for i, s in enumerate(("satisfied", "dissatisfied"))
    ]
    store.save_new(rated)
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
