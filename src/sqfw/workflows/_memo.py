"""What a workflow remembers between events, so that an event costs the same on any trail.

Three memories, none of which is ever stored, pickled or part of a document:

- **trusted records**: a record that :meth:`~sqfw.workflows.Workflow.verify` passed, or
  that :meth:`~sqfw.workflows.Workflow.apply` made from a trusted record, is remembered by
  identity for as long as it lives. Records are frozen, so the object that was checked
  is the object that is used; any other object (built by hand, unpickled, deep-copied,
  loaded from a document, made by ``attrs.evolve``) is verified before it is trusted,
  even if it is equal to a trusted one.
- **facts by head**: the facts of a trusted record, keyed by its head hash. The head of a
  verified trail is the hash of the workflow's name, the record's id and every entry
  (each entry names the one before), so one head stands for one trail: the facts after
  one more event are the facts under the previous head folded with the new entry. Facts
  of a record that is not trusted are folded from its own trail, never looked up.
- **idle machines**: python-statemachine machines are costly to build (every callback is
  resolved per instance) and cheap to move: ``current_state_value`` puts an idle machine
  at any state without running a hook, the library's own low-level way in. A machine
  that failed or reached a final state is dropped rather than reused.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Generic, TypeVar

from statemachine import StateMachine

from sqfw.workflows._records import WorkflowRecord

__all__ = ["FactsByHead", "MachinePool", "is_trusted", "mark_trusted"]

F = TypeVar("F")
M = TypeVar("M", bound=StateMachine)

# Keyed by identity (records hold mappings, so they are not hashable); the weak value
# makes a record that dies leave the table by itself, so a later object that happens to
# get the same id() is not mistaken for it.
_TRUSTED: weakref.WeakValueDictionary[int, WorkflowRecord] = weakref.WeakValueDictionary()


def mark_trusted(record: WorkflowRecord) -> None:
    """Remember that ``record`` (this very object) follows from its trail."""
    _TRUSTED[id(record)] = record


def is_trusted(record: WorkflowRecord) -> bool:
    """Whether this very object was verified or made by ``apply`` from a trusted record."""
    return _TRUSTED.get(id(record)) is record


class FactsByHead(Generic[F]):
    """The facts of the most recently used trusted trails, by head hash (thread-safe).

    Args:
        size: how many heads to keep; the least recently used goes first.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._facts: OrderedDict[str, F] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, head: str) -> F | None:
        """The facts under ``head``, if remembered."""
        with self._lock:
            found = self._facts.get(head)
            if found is not None:
                self._facts.move_to_end(head)
            return found

    def put(self, head: str, facts: F) -> None:
        """Remember the facts under ``head``."""
        with self._lock:
            self._facts[head] = facts
            self._facts.move_to_end(head)
            while len(self._facts) > self.size:
                self._facts.popitem(last=False)

    def __len__(self) -> int:
        return len(self._facts)


class MachinePool(Generic[M]):
    """Idle machines of one class, each used by one caller at a time.

    Args:
        machine: the machine class.
        size: how many idle machines to keep.
    """

    def __init__(self, machine: type[M], size: int = 8) -> None:
        self.machine = machine
        self.size = size
        self._idle: list[M] = []

    def take(self, state: str) -> M:
        """A machine in ``state``: an idle one moved there, or a new one."""
        try:
            machine = self._idle.pop()  # atomic: no two callers get the same machine
        except IndexError:
            return self.machine(start_value=state)
        machine.current_state_value = state
        return machine

    def give(self, machine: M) -> None:
        """Return a machine whose last event (if any) completed in a non-final state."""
        if len(self._idle) < self.size:
            self._idle.append(machine)
