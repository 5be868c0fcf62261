"""The shortcuts that make an event cost the same on any trail cannot be abused.

A record made by ``apply`` (or verified once) is trusted by identity, its facts are
remembered by head and an idle machine is reused. A record whose trail was edited after
``apply`` made it, whether by ``attrs.evolve``, by hand, through pickling or through a
document, is a different object: it is verified before anything is applied, and its facts
are folded from its own trail, never looked up, even when it keeps the original head.
"""

from __future__ import annotations

import concurrent.futures
import copy
import gc
import json
import pickle
import weakref
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqfw.errors import TrailBroken, TransitionRefused
from sqfw.workflows import AuditEntry, WorkflowRecord
from sqfw.workflows._memo import FactsByHead, MachinePool, is_trusted
from sqfw.workflows.filing import FilingMachine, OrgFilingWorkflow

T0 = pendulum.datetime(2020, 1, 2, 9, tz="Asia/Shanghai")
ORG = {"id": "O1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}


def reviewed(wf: OrgFilingWorkflow, years: int, record_id: str = "O1") -> WorkflowRecord:
    """A filed organisation with ``years`` annual reviews passed (3 + 2 × years entries)."""
    r = wf.apply(wf.new(record_id), "submit", actor="clerk", at=T0, data=ORG)
    r = wf.apply(r, "start_review", actor="clerk", at=T0)
    r = wf.apply(r, "accept", actor="clerk", at=T0)
    for n in range(years):
        when = T0.add(days=n + 1)
        r = wf.apply(r, "start_annual_review", actor="clerk", at=when, data={"year": 2000 + n})
        r = wf.apply(r, "pass_annual_review", actor="clerk", at=when)
    return r


def keep_head(record: WorkflowRecord, trail: list[AuditEntry]) -> WorkflowRecord:
    """The record with another trail whose last entry still claims the original hash."""
    return attrs.evolve(record, trail=tuple(trail), version=len(trail), head=trail[-1].hash)


def next_review(wf: OrgFilingWorkflow, record: WorkflowRecord) -> WorkflowRecord:
    return wf.apply(
        record,
        "start_annual_review",
        actor="clerk",
        at=T0.add(years=50),
        data={"year": 3000},
    )


EDITS: dict[str, Callable[[AuditEntry], dict[str, Any]]] = {
    "actor": lambda e: {"actor": "intruder"},
    "time": lambda e: {"at": e.at.add(seconds=1)},
    "reason": lambda e: {"reason": "改过"},
    "data": lambda e: {"data": {**e.data, "year": 1900}},
}


class TestTrustedByIdentity:
    """Only the very object ``apply``, ``replay``, ``verify`` or ``load`` vouched for is trusted."""

    def test_apply_and_replay_results_are_trusted(self) -> None:
        """What apply and replay return is trusted; an equal copy is not until verified."""
        wf = OrgFilingWorkflow()
        record = reviewed(wf, 2)
        assert is_trusted(record)
        replayed = wf.replay(record.record_id, record.trail)
        assert is_trusted(replayed)
        for copied in (
            attrs.evolve(record),
            copy.deepcopy(record),
            pickle.loads(pickle.dumps(record)),
        ):
            assert copied == record
            assert not is_trusted(copied)
            wf.trust(copied)
            assert is_trusted(copied)

    def test_hand_built_record_is_not_trusted(self) -> None:
        """A record built field by field from a trusted one's fields is verified first."""
        wf = OrgFilingWorkflow()
        record = reviewed(wf, 1)
        built = WorkflowRecord(
            workflow=record.workflow,
            record_id=record.record_id,
            state="revoked",
            trail=record.trail,
            version=record.version,
            head=record.head,
        )
        assert not is_trusted(built)
        with pytest.raises(TrailBroken, match="revoked"):
            wf.apply(built, "reinstate", actor="clerk", at=T0.add(years=9), reason="x")

    def test_trust_does_not_keep_records_alive(self) -> None:
        """The table holds records weakly: a dead record leaves it, so its id() is free."""
        wf = OrgFilingWorkflow()
        record = reviewed(wf, 1)
        ref = weakref.ref(record)
        del record
        gc.collect()
        assert ref() is None

    def test_verify_with_keys_does_not_mark(self) -> None:
        """A check against host keys says nothing about the plain chain check: no mark."""
        from sqfw.workflows import HostKey

        key = HostKey(key_id="h", secret=b"0123456789abcdef")
        wf = OrgFilingWorkflow(key=key)
        copied = pickle.loads(pickle.dumps(reviewed(wf, 1)))
        OrgFilingWorkflow.verify(copied, keys=[key])
        assert not is_trusted(copied)


class TestEditedAfterApply:
    """A trail edited after apply made it is refused, however it was edited."""

    @settings(max_examples=60, deadline=None)
    @given(
        years=st.integers(min_value=1, max_value=4),
        field=st.sampled_from(sorted(EDITS)),
        pick=st.integers(min_value=0, max_value=1000),
        route=st.sampled_from(["evolve", "pickle", "deepcopy", "document"]),
    )
    def test_edited_trail_refused(self, years: int, field: str, pick: int, route: str) -> None:
        """Any entry edited, its own hash kept (so the head still matches), is refused by
        apply, check and trust, on every route a record can travel."""
        from sqfw.serialization import dumps, loads

        wf = OrgFilingWorkflow()
        record = reviewed(wf, years)
        wf.facts(record)  # remembered under the head the forgery keeps
        index = pick % record.version
        trail = list(record.trail)
        trail[index] = attrs.evolve(trail[index], **EDITS[field](trail[index]))
        forged = keep_head(record, trail)
        assert forged.head == record.head
        if route == "pickle":
            forged = pickle.loads(pickle.dumps(forged))
        elif route == "deepcopy":
            forged = copy.deepcopy(forged)
        elif route == "document":
            document = json.loads(dumps(record))
            entry = document["trail"][index]
            if field == "data":
                entry["data"] = {**entry["data"], "year": 1900}
            elif field == "time":
                entry["at"] = record.trail[index].at.add(seconds=1).isoformat()
            else:
                entry[field] = EDITS[field](record.trail[index])[field]
            forged = loads(WorkflowRecord, json.dumps(document, ensure_ascii=False))
        assert not is_trusted(forged)
        with pytest.raises(TrailBroken) as info:
            next_review(wf, forged)
        assert info.value.index == index
        with pytest.raises(TrailBroken):
            wf.check(forged, "suspend", actor="clerk", at=T0.add(years=50), reason="x")
        with pytest.raises(TrailBroken):
            wf.trust(forged)
        assert not is_trusted(forged)
        # the original is untouched and still takes events
        assert next_review(wf, record).version == record.version + 1

    def test_facts_of_a_forgery_come_from_its_own_trail(self) -> None:
        """A forgery that keeps the head of a remembered record gets the facts its own trail
        says, never the remembered ones."""
        wf = OrgFilingWorkflow()
        record = reviewed(wf, 3)
        assert wf.facts(record).reviewed_years == (2000, 2001, 2002)
        trail = list(record.trail)
        review = next(i for i, e in enumerate(trail) if e.event == "start_annual_review")
        trail[review] = attrs.evolve(trail[review], data={"year": 1900})
        forged = keep_head(record, trail)
        assert wf.facts(forged).reviewed_years == (1900, 2001, 2002)
        assert wf.facts(record).reviewed_years == (2000, 2001, 2002)

    def test_state_forged_on_a_trusted_trail(self) -> None:
        """attrs.evolve of a trusted record's state makes an untrusted record: refused."""
        wf = OrgFilingWorkflow()
        record = reviewed(wf, 1)
        with pytest.raises(TrailBroken, match="revoked"):
            wf.apply(
                attrs.evolve(record, state="revoked"),
                "reinstate",
                actor="clerk",
                at=T0.add(years=9),
                reason="x",
            )


class TestFactsByHead:
    """Facts folded one entry at a time are the facts folded over the whole trail."""

    @settings(max_examples=40, deadline=None)
    @given(
        steps=st.lists(
            st.sampled_from(["review", "suspend", "reinstate", "correction"]), max_size=12
        )
    )
    def test_incremental_equals_full_fold(self, steps: list[str]) -> None:
        """After every event, the remembered facts equal a fresh fold of the trail (a new
        workflow with nothing remembered, on an untrusted copy)."""
        wf = OrgFilingWorkflow()
        r = wf.apply(wf.new("O1"), "submit", actor="clerk", at=T0, data=ORG)
        r = wf.apply(r, "start_review", actor="clerk", at=T0)
        when = T0
        for n, step in enumerate(steps):
            when = when.add(days=1)
            if step == "review" and r.state == "filed":
                r = wf.apply(r, "start_annual_review", actor="c", at=when, data={"year": 2000 + n})
                r = wf.apply(r, "pass_annual_review", actor="c", at=when)
            elif step == "suspend" and r.state == "filed":
                r = wf.apply(r, "suspend", actor="c", at=when, reason="整改")
            elif step == "reinstate" and r.state == "suspended":
                r = wf.apply(r, "reinstate", actor="c", at=when, reason="已整改")
            elif step == "correction" and r.state == "under_review":
                r = wf.apply(
                    r, "request_correction", actor="c", at=when, reason="缺", data={"items": ["x"]}
                )
                r = wf.apply(
                    r,
                    "resubmit",
                    actor="c",
                    at=when,
                    data={"corrected": ["x"], "changes": {"members": n}},
                )
                r = wf.apply(r, "start_review", actor="c", at=when)
            elif r.state == "under_review":
                r = wf.apply(r, "accept", actor="c", at=when)
            assert wf.facts(r) == OrgFilingWorkflow().facts(pickle.loads(pickle.dumps(r)))

    def test_facts_are_read_only(self) -> None:
        """Remembered facts are shared, so their mappings cannot be changed in place."""
        wf = OrgFilingWorkflow()
        facts = wf.facts(reviewed(wf, 1))
        with pytest.raises(TypeError):
            facts.organization["members"] = 1  # type: ignore[index]

    def test_memory_is_bounded(self) -> None:
        """The least recently used head is forgotten first."""
        memo: FactsByHead[int] = FactsByHead(size=2)
        memo.put("a", 1)
        memo.put("b", 2)
        assert memo.get("a") == 1
        memo.put("c", 3)
        assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)
        assert len(memo) == 2


class TestMachinePool:
    """A reused machine behaves as a new one; a stopped or failed one is not reused."""

    def test_moved_machine_takes_the_state(self) -> None:
        """An idle machine moved to a state sends from there."""
        pool: MachinePool[FilingMachine] = MachinePool(FilingMachine)
        machine = pool.take("filed")
        pool.give(machine)
        again = pool.take("under_review")
        assert again is machine
        assert again.current_state_value == "under_review"

    def test_refusal_then_final_state_then_more_events(self) -> None:
        """A refused event, then a record reaching a final state, leave every later event
        of other records right."""
        wf = OrgFilingWorkflow()
        first = reviewed(wf, 1, "A")
        with pytest.raises(TransitionRefused):
            wf.apply(first, "start_annual_review", actor="c", at=T0.add(days=5), data={})
        ended = wf.apply(first, "revoke", actor="c", at=T0.add(days=6), reason="违规")
        assert ended.state == "revoked"
        other = reviewed(wf, 2, "B")
        assert wf.facts(other).reviewed_years == (2000, 2001)
        assert wf.apply(other, "suspend", actor="c", at=T0.add(days=9), reason="x").state == (
            "suspended"
        )

    def test_threads_share_a_workflow(self) -> None:
        """Threads applying events through one workflow each get a machine of their own."""
        wf = OrgFilingWorkflow()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            done = list(pool.map(lambda i: reviewed(wf, 20, f"O{i}"), range(8)))
        for record in done:
            assert record.version == 43
            assert record.state == "filed"
            OrgFilingWorkflow.verify(pickle.loads(pickle.dumps(record)))
