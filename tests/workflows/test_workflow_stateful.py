"""Random event sequences through each workflow (hypothesis stateful tests).

Whatever the sequence: the record is always in a defined state, the trail has one entry
per accepted event, a refused event changes nothing (the serialized record is identical),
a stale version is refused, and the trail replays to the same record and passes the bulk
validator. ``allowed_events`` agrees with ``apply``: an accepted event was listed as
allowed, sent with its required data keys and no other; an event listed as refused is
refused with at least the reasons listed.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import event as note
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from workflow_helpers import village_rules

from sqfw.errors import ConcurrencyConflict, TransitionRefused
from sqfw.serialization import make_converter
from sqfw.testing import credit_codes
from sqfw.workflows import Workflow, WorkflowRecord
from sqfw.workflows.election import ElectionWorkflow
from sqfw.workflows.filing import OrgFilingWorkflow
from sqfw.workflows.grid_event import GridEventRules, GridEventWorkflow
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

CONVERTER = make_converter()
REASONS = st.none() | st.just("依规定 / per the rules")

CANDIDATES = ["a", "b", "c", "d", "e"]
ELECTION_DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "open_registration": st.fixed_dictionaries(
        {
            "kind": st.just("villagers"),
            "method": st.sampled_from(["direct", "household_representatives", "bogus"]),
            "term": st.just(10),
            "seats": st.sampled_from([3, 3, 3, 8]),
            "polling_date": st.just("2017-05-10"),
        }
    ),
    "close_registration": st.fixed_dictionaries({"registered_voters": st.integers(0, 80)}),
    "announce_candidates": st.fixed_dictionaries(
        {"candidates": st.integers(1, 5).map(lambda k: CANDIDATES[:k])}
    ),
    "announce_results": st.fixed_dictionaries(
        {
            "voters_voted": st.integers(20, 60),
            "votes": st.dictionaries(st.sampled_from(CANDIDATES[:3]), st.integers(0, 30)),
        }
    ),
    "call_further_round": st.fixed_dictionaries(
        {"candidates": st.lists(st.sampled_from(CANDIDATES), min_size=1, max_size=5, unique=True)}
    ),
    "hand_over": st.fixed_dictionaries(
        {
            "members": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.sampled_from(CANDIDATES),
                        "gender": st.sampled_from(["female", "male"]),
                    }
                ),
                max_size=5,
                unique_by=lambda m: m["id"],
            )
        }
    ),
}
ELECTION_DATA["declare_failed"] = ELECTION_DATA["announce_results"]

OFFICES = ["civil_affairs", "justice", "public_security"]
TICKET_DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "receive": st.fixed_dictionaries(
        {
            "service_code": st.sampled_from(
                ["hrss.pension_certification", "general.consultation", "bogus"]
            ),
            "kind": st.sampled_from(["handling", "consultation"]),
            "channel": st.sampled_from(["window", "phone", "mobile_app"]),
        }
    ),
    "dispatch": st.fixed_dictionaries(
        {"offices": st.lists(st.sampled_from(OFFICES), min_size=1, max_size=3, unique=True)}
    ),
    "rate": st.fixed_dictionaries(
        {
            "satisfaction": st.sampled_from(
                [
                    "very_satisfied",
                    "satisfied",
                    "basically_satisfied",
                    "dissatisfied",
                    "very_dissatisfied",
                    "meh",
                ]
            )
        }
    ),
    "accept_objection": st.fixed_dictionaries(
        {
            "office": st.sampled_from(OFFICES),
            "reassign_to": st.lists(st.sampled_from(OFFICES), max_size=2, unique=True),
        }
    ),
    "escalate": st.just({})
    | st.fixed_dictionaries(
        {"level": st.sampled_from(["reminder", "supervision", "elevation", "bogus"])}
    ),
    "link_duplicate": st.fixed_dictionaries({"duplicate": st.sampled_from(["R2", "R3", "R1"])}),
    "merge_into": st.fixed_dictionaries({"original": st.sampled_from(["R0", "R1"])}),
    "close_as_duplicate": st.fixed_dictionaries(
        {"original": st.sampled_from(["R0", "R9"]), "answer": st.sampled_from(["已办结", ""])}
    ),
    "void_rating": st.fixed_dictionaries(
        {"grounds": st.sampled_from(["mistaken", "malicious", "bogus"])}
    ),
    "add_update": st.just({}) | st.just({"via": "R2"}),
}
for _event in (
    "office_accept",
    "office_finish",
    "office_return",
    "raise_objection",
    "refuse_objection",
):
    TICKET_DATA[_event] = st.fixed_dictionaries({"office": st.sampled_from(OFFICES)})

FILING_DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "submit": st.fixed_dictionaries(
        {
            "id": st.just("O1"),
            "name": st.just("互助会"),
            "kind": st.sampled_from(["mutual_aid", "service", "culture_sport"]),
            "community_code": st.just("150102001001"),
            "meets_registration_conditions": st.sampled_from([None, False, True]),
        }
    ),
    "request_correction": st.fixed_dictionaries(
        {"items": st.lists(st.sampled_from(["purpose", "members"]), min_size=1, unique=True)}
    ),
    "resubmit": st.fixed_dictionaries(
        {"corrected": st.lists(st.sampled_from(["purpose", "members"]), unique=True)}
    ),
    "start_annual_review": st.fixed_dictionaries({"year": st.integers(2017, 2019)}),
    "convert": st.fixed_dictionaries(
        {
            "credit_code": credit_codes() | st.just("not-a-code"),
            "meets_registration_conditions": st.booleans(),
        }
    ),
}


GRID_EVENT_DATA: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "report": st.fixed_dictionaries(
        {
            "grid_code": st.sampled_from(["150102001001001", "150102001000001", "x"]),
            "category": st.sampled_from(["路灯损坏", ""]),
            "found_by": st.sampled_from(["gw-1", ""]),
        },
        optional={"building_code": st.sampled_from(["1501020010010003", "1501020010020003"])},
    ),
    "dispatch": st.fixed_dictionaries({"ticket": st.sampled_from(["T1", "T2", "工单"])}),
    "complete": st.fixed_dictionaries(
        {
            "ticket": st.sampled_from(["T1", "T2"]),
            "ticket_state": st.sampled_from(["handled", "closed", "processing"]),
        }
    ),
}


def dump(record: WorkflowRecord) -> str:
    return json.dumps(CONVERTER.unstructure(record), ensure_ascii=False, sort_keys=True)


class WorkflowStateful(RuleBasedStateMachine):
    """Drives one workflow with random events, data, reasons and times."""

    workflow: Workflow[Any]
    payloads: dict[str, st.SearchStrategy[dict[str, Any]]]
    start: pendulum.DateTime
    ending: frozenset[str]  # events that end a case early; drawn less often

    def __init__(self) -> None:
        super().__init__()
        self.record = self.workflow.new("R1")
        self.now = self.start
        self.accepted = 0

    @rule(data=st.data(), hours=st.integers(0, 96), reason=REASONS)
    def send(self, data: st.DataObject, hours: int, reason: str | None) -> None:
        wf = self.workflow
        known = [e.value for e in wf.events]
        here = list(wf.events_from(self.record.state)) or known
        onward = [e for e in here if e not in self.ending] or here
        # mostly an event this state has (ending the case rarely), sometimes any event
        bucket = data.draw(st.integers(0, 19), label="bucket")
        pool = onward if bucket < 16 else (here if bucket < 18 else known)
        event = data.draw(st.sampled_from(pool), label="event")
        payload = data.draw(self.payload_strategy(event), label="data")
        self.now = self.now.add(hours=hours)
        before = dump(self.record)
        options = {o.event: o for o in wf.allowed_events(self.record, actor="clerk", at=self.now)}
        refused: TransitionRefused | None = None
        try:
            after = wf.apply(
                self.record,
                event,
                actor="clerk",
                at=self.now,
                reason=reason,
                data=payload,
                expected_version=self.record.version,
            )
        except TransitionRefused as exc:
            refused = exc
        option = options.get(event)
        if refused is not None:
            assert refused.reasons
            assert refused.state == self.record.state
            assert dump(self.record) == before
            if option is not None and not option.allowed:
                # refused as allowed_events said, with at least the reasons it gave
                assert set(option.reasons) <= set(refused.reasons)
            return
        # accepted: allowed_events listed it as allowed, with the data keys it was sent
        assert option is not None
        assert option.allowed, option.reasons
        assert set(payload) <= {k.name for k in option.data}
        assert set(option.required_data) <= set(payload)
        assert option.needs_reason <= (reason is not None)
        assert after.version == self.record.version + 1
        assert after.trail[:-1] == self.record.trail
        entry = after.trail[-1]
        assert (entry.event, entry.source, entry.target) == (event, self.record.state, after.state)
        self.record = after
        self.accepted += 1

    def payload_strategy(self, event: str) -> st.SearchStrategy[dict[str, Any]]:
        """Data for ``event``: random, some of it wrong on purpose."""
        return self.payloads.get(event, st.just({}))

    @rule()
    def stale_version_refused(self) -> None:
        if self.record.version == 0:
            return
        with pytest.raises(ConcurrencyConflict) as conflict:
            self.workflow.apply(
                self.record,
                "cancel",
                actor="other",
                at=self.now,
                reason="x",
                expected_version=self.record.version - 1,
            )
        assert conflict.value.actual_version == self.record.version

    @invariant()
    def consistent(self) -> None:
        wf = self.workflow
        record = self.record
        assert record.state in {s.value for s in wf.states}
        assert record.version == len(record.trail) == self.accepted
        assert wf.validator().check_records([record]) == []
        assert wf.replay(record.record_id, record.trail) == record
        wf.facts(record)  # folds without error
        note(f"{wf.name}: {record.state}")


class ElectionStateful(WorkflowStateful):
    workflow = ElectionWorkflow(rules=village_rules())
    payloads = ELECTION_DATA
    ending = frozenset({"cancel"})
    start = pendulum.datetime(2017, 3, 1, 9, tz="Asia/Shanghai")

    def payload_strategy(self, event: str) -> st.SearchStrategy[dict[str, Any]]:
        """Mostly data that fits the election so far, so later states are reached too."""
        informed = election_data_for(event, self.workflow.facts(self.record))
        random = super().payload_strategy(event)
        return random if informed is None else st.one_of(informed, informed, random)


def election_data_for(event: str, facts: Any) -> st.SearchStrategy[dict[str, Any]] | None:
    """Data drawn from what the trail says: a count for the registered voters, the elected
    members for the handover, the best unelected candidates for a further round."""
    if event == "open_registration":
        return st.fixed_dictionaries(
            {
                "kind": st.just("villagers"),
                "method": st.sampled_from(["direct", "household_representatives"]),
                "term": st.just(10),
                "seats": st.integers(3, 7),
                "polling_date": st.just("2017-05-10"),
            }
        )
    if event == "close_registration":
        return st.fixed_dictionaries({"registered_voters": st.integers(1, 80)})
    if event == "announce_candidates" and facts.seats:
        names = [f"c{i}" for i in range(facts.seats + 3)]
        return st.integers(facts.seats + 1, len(names)).map(lambda k: {"candidates": names[:k]})
    registered = facts.registered_voters
    if event in ("announce_results", "declare_failed") and registered and facts.candidates:
        low, high = (registered // 2 + 1, registered)
        if event == "declare_failed":
            low, high = (0, registered // 2)
        return st.integers(low, high).flatmap(
            lambda voted: st.fixed_dictionaries(
                {
                    "voters_voted": st.just(voted),
                    "votes": st.fixed_dictionaries(
                        {c: st.integers(0, voted) for c in facts.candidates}
                    ),
                }
            )
        )
    if event == "call_further_round" and facts.last_votes:
        unelected = sorted(
            (c for c in facts.last_votes if c not in facts.elected),
            key=lambda c: -facts.last_votes[c],
        )
        if len(unelected) > facts.unfilled_seats:
            return st.integers(facts.unfilled_seats + 1, len(unelected)).map(
                lambda k: {"candidates": unelected[:k]}
            )
    if event == "hand_over" and facts.elected:
        return st.lists(
            st.sampled_from(["female", "male"]),
            min_size=len(facts.elected),
            max_size=len(facts.elected),
        ).map(
            lambda genders: {
                "members": [
                    {"id": e, "gender": g} for e, g in zip(facts.elected, genders, strict=True)
                ]
            }
        )
    return None


class FilingStateful(WorkflowStateful):
    workflow = OrgFilingWorkflow()
    payloads = FILING_DATA
    ending = frozenset({"refuse", "revoke", "deregister"})
    start = pendulum.datetime(2017, 3, 1, 9, tz="Asia/Shanghai")


class TicketStateful(WorkflowStateful):
    workflow = TicketWorkflow(catalogue=example_catalogue(), offices=OFFICES)
    payloads = TICKET_DATA
    ending = frozenset({"decline", "merge_into"})
    start = pendulum.datetime(2019, 9, 20, 9, tz="Asia/Shanghai")

    @invariant()
    def ticket_rules_hold(self) -> None:
        """At most one rating and one re-rating; the lead holds or finished the ticket
        when it is handled; a merged ticket is held by no office."""
        wf = self.workflow
        assert isinstance(wf, TicketWorkflow)
        facts = wf.facts(self.record)
        assert facts.ratings <= 2
        if self.record.state == "handled":
            assert facts.lead is not None
            assert facts.offices[facts.lead] == "finished"
        if self.record.state == "merged":
            assert wf.holders(self.record) == ()


class GridEventStateful(WorkflowStateful):
    workflow = GridEventWorkflow(
        rules=GridEventRules(verify_hours=24, dispose_hours=72, review_hours=72)
    )
    payloads = GRID_EVENT_DATA
    ending = frozenset({"dismiss"})
    start = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")

    @invariant()
    def grid_event_rules_hold(self) -> None:
        """§3.5: a closed event was handled (on the spot or its ticket done); a dispatched
        or done event names the ticket it is in; nothing is handled before it is verified
        and disposed of."""
        wf = self.workflow
        assert isinstance(wf, GridEventWorkflow)
        facts = wf.facts(self.record)
        state = self.record.state
        if state in ("dispatched", "done"):
            assert facts.ticket is not None
            assert facts.ticket == facts.tickets[-1]
        if state in ("handled", "done") or (state == "closed"):
            assert facts.handled_at is not None
            assert facts.verified_at is not None
            assert facts.disposed_at is not None
        if facts.handled_at is None:
            assert facts.within_limits() is None


class TestGridEventStateful(GridEventStateful.TestCase):  # type: ignore[misc,valid-type]
    """Random grid event sequences keep the record consistent (§3.5)."""


class TestElectionStateful(ElectionStateful.TestCase):  # type: ignore[misc,valid-type]
    """Random election event sequences keep the record consistent."""


class TestFilingStateful(FilingStateful.TestCase):  # type: ignore[misc,valid-type]
    """Random filing event sequences keep the record consistent."""


class TestTicketStateful(TicketStateful.TestCase):  # type: ignore[misc,valid-type]
    """Random service ticket event sequences keep the record consistent."""
