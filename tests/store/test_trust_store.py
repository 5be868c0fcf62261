"""The store trusts only records it loaded or ``apply`` made; an edited trail is refused.

``save`` skips re-verifying a record ``apply`` just made (that is what makes one event
cost the same on any trail), so it must not skip it for anything else: a record whose
trail was edited after ``apply`` made it, even one that keeps the original head, is
refused and nothing is committed.
"""

from __future__ import annotations

import pickle

import attrs
import pytest
from store_helpers import T0, TICKETS, filed, review_step, ticket

from sqfw.errors import TrailBroken
from sqfw.store import SqlStore
from sqfw.workflows._memo import is_trusted


class TestSaveRefusesEditedTrails:
    """An entry edited after apply, its hash kept, is found by save whatever the route."""

    @pytest.mark.parametrize("route", ["evolve", "pickle"])
    def test_head_kept_but_entry_edited(self, store: SqlStore, route: str) -> None:
        """The last entry's actor changed, its hash (and so the head) kept: refused, and the
        stored record stays where it was."""
        record = filed()
        store.save(record)
        step = review_step(record, T0.add(days=1), "t")
        last = attrs.evolve(step.trail[-1], actor="intruder")
        forged = attrs.evolve(step, trail=(*step.trail[:-1], last))
        assert forged.head == step.head
        if route == "pickle":
            forged = pickle.loads(pickle.dumps(forged))
        with pytest.raises(TrailBroken) as info:
            store.save(forged)
        assert info.value.index == step.version - 1
        assert store.load("org_filing", "O1") == record
        store.save(step)
        assert store.load("org_filing", "O1") == step

    def test_loaded_record_is_trusted_and_takes_events(self, store: SqlStore) -> None:
        """What load returns is verified once; an event applied to it saves, and the work
        list follows the facts folded from it."""
        store.save(ticket("T1", T0, "civil_affairs"))
        loaded = store.load("service_ticket", "T1")
        assert is_trusted(loaded)
        assert [r.record_id for r in store.find(office="civil_affairs")] == ["T1"]
        accepted = TICKETS.apply(
            loaded,
            "office_accept",
            actor="ca",
            at=T0.add(hours=1),
            data={"office": "civil_affairs"},
        )
        finished = TICKETS.apply(
            accepted,
            "office_finish",
            actor="ca",
            at=T0.add(hours=2),
            data={"office": "civil_affairs"},
        )
        store.save(finished)
        assert store.load("service_ticket", "T1").state == "handled"
        assert store.find(office="civil_affairs") == []
