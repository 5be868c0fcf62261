"""The shared workflow machinery: records, refusals, concurrency, trails, diagrams."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from statemachine import State
from workflow_helpers import SETUP, T0, election_at_counting

from sqfw.errors import ConcurrencyConflict, TrailBroken, TransitionRefused, WorkflowError
from sqfw.labels import LabeledEnum
from sqfw.serialization import make_converter
from sqfw.workflows import GENESIS, AuditEntry, Workflow, WorkflowMachine, WorkflowRecord
from sqfw.workflows._records import seal
from sqfw.workflows.election import ElectionWorkflow
from sqfw.workflows.filing import OrgFilingWorkflow
from sqfw.workflows.ticket import TicketWorkflow

CONVERTER = make_converter()
ENTRY = {
    "seq": 1,
    "event": "e",
    "source": "a",
    "target": "b",
    "actor": "x",
    "at": T0,
    "prev": GENESIS,
    "hash": "f" * 64,
}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "workflows"


def dump(record: WorkflowRecord) -> str:
    return json.dumps(CONVERTER.unstructure(record), ensure_ascii=False, sort_keys=True)


class TestRecords:
    """A record holds the state, a version and an append-only trail."""

    def test_new_record(self, election_wf: ElectionWorkflow) -> None:
        """A new record starts in the initial state at version 0 with no trail."""
        record = election_wf.new("E1")
        assert (record.state, record.version, record.trail) == ("preparation", 0, ())
        assert record.last is None

    def test_each_event_appends_one_entry(self, election_wf: ElectionWorkflow) -> None:
        """Version + 1 and one entry per accepted event; earlier entries are kept as they were."""
        r0 = election_wf.new("E1")
        r1 = election_wf.apply(r0, "open_registration", actor="clerk", at=T0, data=SETUP)
        assert r1.version == 1
        assert r1.trail[0] == AuditEntry(
            seq=1,
            event="open_registration",
            source="preparation",
            target="voter_registration",
            actor="clerk",
            at=T0,
            data=SETUP,
            prev=GENESIS,
            hash=r1.head,
        )
        r2 = election_wf.apply(
            r1, "close_registration", actor="clerk", at=T0, data={"registered_voters": 10}
        )
        assert r2.trail[:1] == r1.trail
        assert r0.version == 0  # records are immutable

    def test_version_must_match_trail(self) -> None:
        """A record whose version is not its trail's length is refused."""
        with pytest.raises(TrailBroken, match="one per audit entry"):
            WorkflowRecord(workflow="election", record_id="E1", state="preparation", version=2)

    def test_data_is_json_plain_and_frozen(self) -> None:
        """Floats are refused (exact numbers only); lists become tuples."""
        entry = AuditEntry(**ENTRY, data={"a": [1, {"b": "c"}]})
        assert entry.data["a"] == (1, {"b": "c"})
        with pytest.raises(TypeError, match=r"\$\.share"):
            AuditEntry(**ENTRY, data={"share": 0.5})

    def test_naive_time_refused(self, election_wf: ElectionWorkflow) -> None:
        """Events need a time-zone-aware time (no guessing across midnight)."""
        with pytest.raises(ValueError, match="naive"):
            election_wf.apply(
                election_wf.new("E1"),
                "open_registration",
                actor="clerk",
                at=pendulum.naive(2017, 3, 1),
                data=SETUP,
            )


class TestRefusals:
    """A refused event lists every reason and changes nothing."""

    def test_wrong_state(self, election_wf: ElectionWorkflow) -> None:
        """The error names the event, the state and what is allowed there."""
        record = election_wf.new("E1")
        with pytest.raises(TransitionRefused) as info:
            election_wf.apply(record, "close_polls", actor="clerk", at=T0)
        assert info.value.workflow == "election"
        assert info.value.event == "close_polls"
        assert info.value.state == "preparation"
        assert "allowed: open_registration, cancel" in info.value.reasons[0]

    def test_unknown_event(self, election_wf: ElectionWorkflow) -> None:
        """An unknown event is refused by name."""
        with pytest.raises(TransitionRefused, match="unknown event 'fly'"):
            election_wf.apply(election_wf.new("E1"), "fly", actor="clerk", at=T0)

    def test_every_reason_listed_and_record_unchanged(self, election_wf: ElectionWorkflow) -> None:
        """Three failed rules give three reasons; the serialized record is identical after."""
        record = election_wf.new("E1")
        before = dump(record)
        bad = {**SETUP, "seats": 9, "polling_date": "2017-09-10"}
        with pytest.raises(TransitionRefused) as info:
            election_wf.apply(record, "open_registration", actor=" ", at=T0, data=bad)
        reasons = info.value.reasons
        assert len(reasons) == 3
        assert any("an actor is required" in r for r in reasons)
        assert any("committee size 3–7" in r for r in reasons)
        assert any("outside the election window" in r for r in reasons)
        assert dump(record) == before

    def test_time_cannot_go_backwards(self, election_wf: ElectionWorkflow) -> None:
        """An event dated before the previous entry is refused."""
        record = election_wf.apply(
            election_wf.new("E1"), "open_registration", actor="c", at=T0, data=SETUP
        )
        reasons = election_wf.check(
            record,
            "close_registration",
            actor="c",
            at=T0.subtract(days=1),
            data={"registered_voters": 5},
        )
        assert len(reasons) == 1
        assert "before the previous step" in reasons[0]

    def test_check_and_allowed_events(self, election_wf: ElectionWorkflow) -> None:
        """``check`` reports without applying; ``allowed_events`` lists what would pass."""
        record = election_wf.new("E1")
        assert election_wf.check(record, "open_registration", actor="c", at=T0, data=SETUP) == ()
        options = {o.event: o for o in election_wf.allowed_events(record, actor="c", at=T0)}
        assert set(options) == {"open_registration", "cancel"}
        assert options["open_registration"].allowed
        assert options["open_registration"].required_data == tuple(SETUP)
        assert options["cancel"].allowed
        assert options["cancel"].needs_reason
        done = election_at_counting(election_wf)
        counting = election_wf.allowed_events(done, actor="c", at=T0.add(days=71))
        assert [(o.event, o.allowed) for o in counting] == [
            ("announce_results", True),
            ("declare_failed", True),
            ("cancel", True),
        ]

    def test_wrong_workflow(self, election_wf: ElectionWorkflow) -> None:
        """A record of another workflow is refused."""
        other = OrgFilingWorkflow().new("O1")
        with pytest.raises(WorkflowError, match="belongs to workflow 'org_filing'"):
            election_wf.apply(other, "open_registration", actor="c", at=T0, data=SETUP)


class TestConcurrency:
    """Optimistic concurrency: two clerks cannot overwrite each other."""

    def test_stale_version_refused(self, election_wf: ElectionWorkflow) -> None:
        """The second clerk, who read version 0, is refused once version 1 is stored."""
        stored = election_wf.new("E1")
        read_by_second_clerk = stored.version
        stored = election_wf.apply(
            stored, "open_registration", actor="a", at=T0, data=SETUP, expected_version=0
        )
        with pytest.raises(ConcurrencyConflict) as info:
            election_wf.apply(
                stored,
                "cancel",
                actor="b",
                at=T0,
                reason="dup",
                expected_version=read_by_second_clerk,
            )
        assert (info.value.expected_version, info.value.actual_version) == (0, 1)
        assert info.value.record_id == "E1"

    def test_current_version_accepted(self, election_wf: ElectionWorkflow) -> None:
        """The matching version goes through."""
        stored = election_wf.new("E1")
        after = election_wf.apply(
            stored, "cancel", actor="b", at=T0, reason="x", expected_version=0
        )
        assert after.state == "cancelled"


class TestClock:
    """Time is passed explicitly or by an injected clock; there is no hidden now()."""

    def test_clock_used_when_at_missing(self) -> None:
        """An injected clock supplies the time."""
        wf = OrgFilingWorkflow(clock=lambda: T0)
        record = wf.apply(wf.new("O1"), "submit", actor="a", data=_org())
        assert record.trail[0].at == T0

    def test_no_clock_no_time(self) -> None:
        """Without a clock, ``at`` is required."""
        wf = OrgFilingWorkflow()
        with pytest.raises(TypeError, match="at: required"):
            wf.apply(wf.new("O1"), "submit", actor="a", data=_org())


class TestTrails:
    """Trails round-trip, replay, and are checked in bulk from the same definition."""

    def test_round_trip_through_converter(self, election_wf: ElectionWorkflow) -> None:
        """A record survives JSON through ``make_converter()`` unchanged."""
        record = election_at_counting(election_wf)
        text = dump(record)
        back = CONVERTER.structure(json.loads(text), WorkflowRecord)
        assert back == record

    def test_replay_gives_the_same_record(self, election_wf: ElectionWorkflow) -> None:
        """Replaying a trail gives the same state, version and facts."""
        record = election_at_counting(election_wf)
        again = election_wf.replay(record.record_id, record.trail)
        assert again == record
        assert election_wf.facts(again) == election_wf.facts(record)

    def test_replay_refuses_a_forged_step(self, election_wf: ElectionWorkflow) -> None:
        """A trail entry the machine does not allow is refused, even correctly sealed."""
        forged = seal(
            "election",
            "E1",
            seq=1,
            prev=GENESIS,
            event="close_polls",
            source="preparation",
            target="handed_over",
            actor="x",
            at=T0,
            reason=None,
            data={},
        )
        with pytest.raises(TrailBroken, match="no transition") as info:
            election_wf.replay("E1", [forged])
        assert (info.value.record_id, info.value.index) == ("E1", 0)

    def test_bulk_validator_accepts_valid_trails(self, election_wf: ElectionWorkflow) -> None:
        """Valid records give no problems."""
        records = [election_at_counting(election_wf), election_wf.new("E2")]
        assert ElectionWorkflow.validator().check_records(records) == []

    def test_bulk_validator_finds_problems(self) -> None:
        """A broken chain, an unknown transition and a wrong final state are reported."""
        validator = ElectionWorkflow.validator()
        problems = validator.check_columns(
            ["E1", "E1", "E2", "E3"],
            ["open_registration", "close_polls", "open_registration", "fly"],
            ["preparation", "voting", "voter_registration", "preparation"],
            ["voter_registration", "counting", "candidate_nomination", "voting"],
        )
        assert [(p.record_id, p.index) for p in problems] == [("E1", 1), ("E2", 0), ("E3", 0)]
        assert "no transition" in str(problems[2])
        assert "starts in" in problems[0].message

    def test_validator_table_is_the_machine(self) -> None:
        """The table is compiled from the machine class, event by event."""
        validator = TicketWorkflow.validator()
        expected = {
            (str(s.value), str(e.id), str(t.target.value))
            for s in TicketWorkflow.machine.states_map.values()
            for t in s.transitions
            for e in t.events
        }
        assert validator.allowed == expected


class TestDefinitionChecks:
    """Labels are checked against the machine when a workflow is defined."""

    def test_missing_label_fails_at_definition(self) -> None:
        """A state without a label is a TypeError at class creation."""

        class Tiny(WorkflowMachine):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)

        class TinyState(LabeledEnum):
            A = "a"
            __labels__ = {"a": ("甲", "a")}

        class TinyEvent(LabeledEnum):
            GO = "go"
            __labels__ = {"go": ("走", "go")}

        with pytest.raises(TypeError, match=r"missing \['b'\]"):

            class TinyWorkflow(Workflow[None]):
                name = "tiny"
                machine = Tiny
                states = TinyState
                events = TinyEvent


class TestDiagrams:
    """Each workflow exports Mermaid and DOT text generated from its machine."""

    @pytest.mark.parametrize("wf", [ElectionWorkflow, OrgFilingWorkflow, TicketWorkflow])
    def test_every_state_and_transition_drawn(self, wf: type[Workflow[object]]) -> None:
        """Every state appears with both labels; every transition appears as an edge."""
        mermaid = wf.mermaid()
        dot = wf.dot()
        assert mermaid.startswith("stateDiagram-v2\n")
        assert dot.startswith(f'digraph "{wf.name}"')
        for state in wf.states:
            assert f"{state.value}: {state.label_zh} {state.label_en}" in mermaid
            assert f'{state.value} [label="{state.label_zh}\\n{state.label_en}"' in dot
        for source, event in wf.transition_table():
            assert any(
                line.startswith(f"    {source} --> ") and line.endswith(f" {event}")
                for line in mermaid.splitlines()
            )

    @pytest.mark.parametrize(
        ("wf", "page"),
        [
            (ElectionWorkflow, "election.md"),
            (OrgFilingWorkflow, "filing.md"),
            (TicketWorkflow, "ticket.md"),
        ],
    )
    def test_docs_show_the_current_diagram(self, wf: type[Workflow[object]], page: str) -> None:
        """Each docs page shows the diagram generated from the machine as it is now."""
        text = (DOCS / page).read_text(encoding="utf-8")
        assert f"```mermaid\n{wf.mermaid()}```" in text


def _org() -> dict[str, object]:
    return {"id": "O1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}
