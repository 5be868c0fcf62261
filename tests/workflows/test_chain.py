"""Tamper-evident trails: every change after sealing is found, and the first bad entry named.

Each kind of tampering a host could meet (an edited actor, time, reason or data; an entry
deleted, inserted, duplicated or moved; a forged state, version or head) is tried on
election, filing and ticket records, through :meth:`Workflow.verify`, the bulk
:class:`TrailValidator`, :meth:`Workflow.replay` and :meth:`Workflow.apply`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from workflow_helpers import SETUP, T0, election_at_counting

from sqfw.errors import TrailBroken, TransitionRefused, WorkflowError
from sqfw.workflows import (
    GENESIS,
    AuditEntry,
    HostKey,
    Workflow,
    WorkflowRecord,
)
from sqfw.workflows._chain import canonical_time, record_prefix
from sqfw.workflows._records import seal
from sqfw.workflows.election import ElectionWorkflow
from sqfw.workflows.filing import OrgFilingWorkflow
from sqfw.workflows.ticket import TicketWorkflow

ORG = {"id": "O1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}


def filing_record(wf: OrgFilingWorkflow, reviews: int = 2) -> WorkflowRecord:
    """A filed organisation with ``reviews`` annual reviews passed."""
    r = wf.apply(wf.new("O1"), "submit", actor="clerk", at=T0, data=ORG)
    r = wf.apply(r, "start_review", actor="clerk", at=T0.add(days=1))
    r = wf.apply(r, "accept", actor="clerk", at=T0.add(days=2), reason="材料齐全")
    for year in range(reviews):
        when = T0.add(years=year + 1)
        r = wf.apply(r, "start_annual_review", actor="clerk", at=when, data={"year": 2018 + year})
        r = wf.apply(r, "pass_annual_review", actor="clerk", at=when.add(days=3))
    return r


def ticket_record(wf: TicketWorkflow) -> WorkflowRecord:
    """A ticket dispatched to two offices, each of which accepted it (self-transitions)."""
    r = wf.apply(
        wf.new("T1"),
        "receive",
        actor="window",
        at=T0,
        data={
            "service_code": "family_planning.birth_registration",
            "kind": "handling",
            "channel": "window",
        },
    )
    offices = ["family_planning", "public_security"]
    r = wf.apply(r, "dispatch", actor="window", at=T0.add(hours=1), data={"offices": offices})
    r = wf.apply(
        r, "office_accept", actor="fp", at=T0.add(hours=2), data={"office": "family_planning"}
    )
    return wf.apply(
        r, "office_accept", actor="ps", at=T0.add(hours=3), data={"office": "public_security"}
    )


@pytest.fixture(params=["election", "filing", "ticket"])
def case(
    request: pytest.FixtureRequest, election_wf: ElectionWorkflow, ticket_wf: TicketWorkflow
) -> tuple[Workflow[Any], WorkflowRecord]:
    if request.param == "election":
        return election_wf, election_at_counting(election_wf)
    if request.param == "filing":
        wf = OrgFilingWorkflow()
        return wf, filing_record(wf)
    return ticket_wf, ticket_record(ticket_wf)


def with_trail(record: WorkflowRecord, trail: list[AuditEntry]) -> WorkflowRecord:
    """The record with another trail, its version, head and state made to look consistent."""
    return WorkflowRecord(
        workflow=record.workflow,
        record_id=record.record_id,
        state=trail[-1].target if trail else record.state,
        trail=trail,
        version=len(trail),
        head=trail[-1].hash if trail else GENESIS,
    )


def edit(record: WorkflowRecord, index: int, **changes: Any) -> WorkflowRecord:
    trail = list(record.trail)
    trail[index] = attrs.evolve(trail[index], **changes)
    return with_trail(record, trail)


def first_bad(wf: Workflow[Any], record: WorkflowRecord) -> tuple[int, str]:
    """Index and message of the first bad entry, from verify; the bulk validator agrees."""
    with pytest.raises(TrailBroken) as info:
        wf.verify(record)
    problems = type(wf).validator().check_records([record])
    assert [(p.record_id, p.index) for p in problems] == [(record.record_id, info.value.index)]
    assert problems[0].message == info.value.problem
    with pytest.raises(TrailBroken):
        wf.replay(record.record_id, record.trail)
    return info.value.index, info.value.problem


class TestSealedRecords:
    """What ``apply`` makes verifies, and every entry links to the one before."""

    def test_chain_links(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """seq counts from 1, prev names the previous hash, head is the last hash."""
        wf, record = case
        assert [e.seq for e in record.trail] == list(range(1, record.version + 1))
        assert record.trail[0].prev == GENESIS
        for before, after in zip(record.trail, record.trail[1:], strict=False):
            assert after.prev == before.hash
        assert record.head == record.trail[-1].hash
        wf.verify(record)
        assert type(wf).validator().check_records([record]) == []

    def test_hash_is_sha256_of_the_documented_form(self) -> None:
        """The canonical form is pinned: a verifier in another language gets the same hash."""
        at = pendulum.datetime(2024, 5, 1, 9, 30, tz="Asia/Shanghai")
        entry = seal(
            "org_filing",
            "O-1",
            seq=1,
            prev=GENESIS,
            event="submit",
            source="draft",
            target="submitted",
            actor="clerk",
            at=at,
            reason=None,
            data={"name": "互助会", "kind": "mutual_aid", "n": [1, True, None]},
        )
        text = (
            '["sqfw-audit-2","org_filing","O-1",1,"submit","draft","submitted","clerk",'
            '"2024-05-01T01:30:00.000000Z",null,'
            '{"kind":"mutual_aid","n":[1,true,null],"name":"互助会"},"'
            + "0" * 64
            + '","Asia/Shanghai"]'
        )
        assert entry.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert record_prefix("org_filing", "O-1") + entry.body == text

    def test_the_zone_is_hashed(self) -> None:
        """The same instant given in another zone is another entry: moving an entry's
        ``at`` to another zone, its hash kept, breaks the chain at that entry."""
        wf = OrgFilingWorkflow()
        record = filing_record(wf, reviews=0)
        first = record.trail[0]
        moved = attrs.evolve(first, at=first.at.in_timezone("UTC"))
        assert moved.at == first.at  # the same instant
        assert (first.zone, moved.zone) == ("Asia/Shanghai", "UTC")
        forged = attrs.evolve(record, trail=(moved, *record.trail[1:]))
        with pytest.raises(TrailBroken, match="changed") as info:
            wf.verify(forged)
        assert info.value.index == 0
        fixed = attrs.evolve(first, at=first.at.in_timezone(pendulum.FixedTimezone(8 * 3600)))
        assert fixed.zone == "+08:00"  # a fixed offset is not the named zone either
        with pytest.raises(TrailBroken):
            wf.verify(attrs.evolve(record, trail=(fixed, *record.trail[1:])))

    def test_entries_sealed_in_the_earlier_form_still_verify(self) -> None:
        """A trail sealed in ``sqfw-audit-1`` (without the zone) verifies, and so does a
        record that continued it in ``sqfw-audit-2``; its entries' zones are not covered."""
        wf = OrgFilingWorkflow()
        at = pendulum.datetime(2024, 5, 1, 9, 30, tz="Asia/Shanghai")
        text = (
            '["sqfw-audit-1","org_filing","O-1",1,"submit","draft","submitted","clerk",'
            '"2024-05-01T01:30:00.000000Z",null,'
            '{"community_code":"150102001001","id":"O1","kind":"mutual_aid",'
            '"name":"互助会"},"' + "0" * 64 + '"]'
        )
        old = AuditEntry(
            seq=1,
            event="submit",
            source="draft",
            target="submitted",
            actor="clerk",
            at=at,
            data=ORG,
            prev=GENESIS,
            hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        )
        record = WorkflowRecord(
            workflow="org_filing",
            record_id="O-1",
            state="submitted",
            trail=(old,),
            version=1,
            head=old.hash,
        )
        wf.verify(record)
        later = wf.apply(record, "start_review", actor="clerk", at=at.add(days=1))
        wf.verify(later)
        assert later.trail[1].prev == old.hash
        assert type(wf).validator().check_records([later]) == []
        # the earlier form's hash covers everything but the zone
        edited = attrs.evolve(old, actor="intruder")
        with pytest.raises(TrailBroken, match="changed"):
            wf.verify(attrs.evolve(record, trail=(edited,)))

    def test_canonical_time_is_utc_and_fixed_width(self) -> None:
        """Text order is time order, whatever zone the time was given in."""
        shanghai = pendulum.datetime(2020, 1, 1, 8, tz="Asia/Shanghai")
        assert canonical_time(shanghai) == "2020-01-01T00:00:00.000000Z"
        assert canonical_time(shanghai.in_timezone("UTC")) == canonical_time(shanghai)
        assert canonical_time(pendulum.datetime(999, 1, 1, tz="UTC")).startswith("0999-")
        with pytest.raises(ValueError, match="aware"):
            canonical_time(pendulum.naive(2020, 1, 1))

    def test_pickle_and_deepcopy(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """Records pickle and deep-copy to equal records that verify and take events."""
        wf, record = case
        for again in (pickle.loads(pickle.dumps(record)), copy.deepcopy(record)):
            assert again == record
            assert again is not record
            wf.verify(again)
        wf.trust(pickle.loads(pickle.dumps(record)))


EDITS: dict[str, Callable[[AuditEntry], dict[str, Any]]] = {
    "actor": lambda e: {"actor": e.actor + "x"},
    "time": lambda e: {"at": e.at.add(minutes=1)},
    "reason": lambda e: {"reason": (e.reason or "") + "改"},
    "event": lambda e: {"event": e.event + "x"},
    "data": lambda e: {"data": {**e.data, "extra": 1}},
    "seq": lambda e: {"seq": e.seq + 1},
    "prev": lambda e: {"prev": "1" * 64},
}


class TestTampering:
    """Every edit, insertion, deletion, move and duplication is found at its entry."""

    @pytest.mark.parametrize("field", sorted(EDITS))
    @pytest.mark.parametrize("index", [0, 1, -1])
    def test_edited_entry(
        self, case: tuple[Workflow[Any], WorkflowRecord], field: str, index: int
    ) -> None:
        """Changing any field of any entry (first, middle, last) is found there."""
        wf, record = case
        position = index % record.version
        tampered = edit(record, position, **EDITS[field](record.trail[position]))
        assert first_bad(wf, tampered)[0] == position

    def test_seats_three_to_seven(self, election_wf: ElectionWorkflow) -> None:
        """The issue's example: the seats of an election edited from 3 to 7."""
        record = election_at_counting(election_wf)
        tampered = edit(record, 0, data={**SETUP, "seats": 7})
        index, message = first_bad(election_wf, tampered)
        assert index == 0
        assert "changed" in message

    def test_hash_recomputed_but_not_linked(self, election_wf: ElectionWorkflow) -> None:
        """An edit whose own hash is recomputed breaks the next entry's link."""
        record = election_at_counting(election_wf)
        first = record.trail[0]
        resealed = seal(
            "election",
            "E1",
            seq=1,
            prev=GENESIS,
            event=first.event,
            source=first.source,
            target=first.target,
            actor=first.actor,
            at=first.at,
            reason=first.reason,
            data={**SETUP, "seats": 7},
        )
        tampered = with_trail(record, [resealed, *record.trail[1:]])
        index, message = first_bad(election_wf, tampered)
        assert index == 1
        assert "previous hash" in message

    def test_deleted_entry(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """A deleted entry (first or middle) is found where it was."""
        wf, record = case
        for position in (0, 1, record.version - 2):
            trail = list(record.trail)
            del trail[position]
            assert first_bad(wf, with_trail(record, trail))[0] == position

    def test_duplicated_entry(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """A duplicated entry is found at the copy."""
        wf, record = case
        for position in range(record.version):
            trail = list(record.trail)
            trail.insert(position + 1, trail[position])
            assert first_bad(wf, with_trail(record, trail))[0] == position + 1

    def test_inserted_entry(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """An entry from another record's chain inserted anywhere is found."""
        wf, record = case
        stranger = attrs.evolve(record.trail[1], actor="intruder")
        trail = [*record.trail[:2], stranger, *record.trail[2:]]
        assert first_bad(wf, with_trail(record, trail))[0] == 2

    def test_swapped_self_transitions(self, ticket_wf: TicketWorkflow) -> None:
        """Two offices' acceptances swapped (same states, same event) are found."""
        record = ticket_record(ticket_wf)
        trail = list(record.trail)
        trail[2], trail[3] = trail[3], trail[2]
        assert first_bad(ticket_wf, with_trail(record, trail))[0] == 2
        renumbered = [
            *trail[:2],
            attrs.evolve(trail[2], seq=3, prev=trail[1].hash),
            attrs.evolve(trail[3], seq=4),
        ]
        assert first_bad(ticket_wf, with_trail(record, renumbered))[0] == 2

    def test_moved_to_another_record(self, case: tuple[Workflow[Any], WorkflowRecord]) -> None:
        """A whole trail copied under another record id does not verify: the id is hashed."""
        wf, record = case
        moved = attrs.evolve(record, record_id="elsewhere")
        assert first_bad(wf, moved)[0] == 0

    def test_times_backwards(self, election_wf: ElectionWorkflow) -> None:
        """A trail whose times go backwards is refused by replay, even correctly sealed."""
        record = election_at_counting(election_wf)
        trail: list[AuditEntry] = []
        prev = GENESIS
        for entry in record.trail:
            at = T0.subtract(days=entry.seq)  # each earlier than the one before
            trail.append(
                seal(
                    "election",
                    "E1",
                    seq=entry.seq,
                    prev=prev,
                    event=entry.event,
                    source=entry.source,
                    target=entry.target,
                    actor=entry.actor,
                    at=at,
                    reason=entry.reason,
                    data=entry.data,
                )
            )
            prev = trail[-1].hash
        index, message = first_bad(election_wf, with_trail(record, trail))
        assert index == 1
        assert "before the previous" in message

    @given(data=st.data())
    def test_any_single_change_is_found(self, data: st.DataObject) -> None:
        """Property: whatever field of whatever entry changes, verify names that entry."""
        wf = OrgFilingWorkflow()
        record = filing_record(wf, reviews=data.draw(st.integers(0, 3), label="reviews"))
        position = data.draw(st.integers(0, record.version - 1), label="entry")
        field = data.draw(st.sampled_from(sorted(EDITS)), label="field")
        tampered = edit(record, position, **EDITS[field](record.trail[position]))
        assert first_bad(wf, tampered)[0] == position


class TestForgedRecords:
    """A record's state, version and head must follow from its trail."""

    def test_forged_state_refused_by_apply(self, election_wf: ElectionWorkflow) -> None:
        """The issue's example: results announced with an empty trail cannot be handed over."""
        forged = WorkflowRecord(workflow="election", record_id="E1", state="results_announced")
        with pytest.raises(TrailBroken, match="trail ends in 'preparation'") as info:
            election_wf.apply(forged, "hand_over", actor="x", at=T0, data={"members": []})
        assert info.value.index == 0
        assert isinstance(info.value, ValueError)
        with pytest.raises(TrailBroken):
            election_wf.check(forged, "hand_over", actor="x", at=T0)

    def test_forged_state_on_real_trail(self, election_wf: ElectionWorkflow) -> None:
        """A state moved on without an entry is found at the end of the trail."""
        record = election_at_counting(election_wf)
        forged = attrs.evolve(record, state="results_announced")
        with pytest.raises(TrailBroken) as info:
            election_wf.apply(forged, "hand_over", actor="x", at=T0.add(days=80))
        assert info.value.index == record.version

    def test_version_and_head_checked_at_construction(self, election_wf: ElectionWorkflow) -> None:
        """A version or head that is not the trail's is refused when the record is built."""
        record = election_at_counting(election_wf)
        with pytest.raises(ValueError, match="one per audit entry"):
            attrs.evolve(record, version=record.version + 1)
        with pytest.raises(ValueError, match="last entry's hash"):
            attrs.evolve(record, head="a" * 64)

    def test_a_truncated_chain_is_found_against_a_published_head(
        self, election_wf: ElectionWorkflow
    ) -> None:
        """Cutting the last entries off verifies on its own (a rewrite of the whole tail),
        but not against a head published before: the threat model of a hash chain."""
        record = election_at_counting(election_wf)
        published = (record.version, record.head)
        cut = with_trail(record, list(record.trail[:-1]))
        election_wf.verify(cut)  # consistent by itself
        version, head = published
        assert not (cut.version >= version and cut.trail[version - 1].hash == head)

    def test_other_workflow_refused(self, election_wf: ElectionWorkflow) -> None:
        """A record of another workflow is an error, not a trail problem."""
        record = OrgFilingWorkflow().new("O1")
        with pytest.raises(WorkflowError, match="belongs to workflow"):
            ElectionWorkflow.verify(record)

    def test_backwards_event_still_refused(self, election_wf: ElectionWorkflow) -> None:
        """apply refuses an event earlier than the last entry."""
        record = election_at_counting(election_wf)
        with pytest.raises(TransitionRefused, match="before the previous step"):
            election_wf.apply(record, "cancel", actor="x", at=T0, reason="r")


class TestHostKeys:
    """A host that signs can prove which host wrote an entry."""

    KEY = HostKey(key_id="county-a", secret=b"0123456789abcdef0123")

    def test_signed_entries_verify_with_the_key(self) -> None:
        wf = OrgFilingWorkflow(key=self.KEY)
        record = filing_record(wf, reviews=1)
        assert all(e.mac and e.mac.startswith("county-a:") for e in record.trail)
        OrgFilingWorkflow.verify(record, keys=[self.KEY])
        other = HostKey(key_id="county-a", secret=b"another secret of 16+")
        with pytest.raises(TrailBroken, match="mac") as info:
            OrgFilingWorkflow.verify(record, keys=[other])
        assert info.value.index == 0

    def test_unsigned_entries_fail_when_keys_are_required(self) -> None:
        record = filing_record(OrgFilingWorkflow(), reviews=0)
        OrgFilingWorkflow.verify(record)
        with pytest.raises(TrailBroken, match="mac"):
            OrgFilingWorkflow.verify(record, keys=[self.KEY])

    def test_key_rules(self) -> None:
        with pytest.raises(ValueError, match="16 bytes"):
            HostKey(key_id="a", secret=b"short")
        with pytest.raises(ValueError, match="without ':'"):
            HostKey(key_id="a:b", secret=b"0123456789abcdef")
        assert "0123" not in repr(self.KEY)


class TestDocuments:
    """A record edited in its JSON document does not verify after loading."""

    def test_edit_in_json(self, election_wf: ElectionWorkflow) -> None:
        from sqfw.serialization import dumps, loads

        record = election_at_counting(election_wf)
        document = json.loads(dumps(record))
        document["trail"][0]["data"]["seats"] = 7
        loaded = loads(WorkflowRecord, json.dumps(document, ensure_ascii=False))
        assert first_bad(election_wf, loaded)[0] == 0
