"""Repeated requests merged into one ticket (并单), and likely duplicates suggested.

A duplicate is linked both ways: its own trail says ``merge_into`` the original, the
original's trail says ``link_duplicate``. Later updates sent to the duplicate go to the
original (:func:`forward_update`); the duplicate closes with the original's answer
(:func:`close_duplicate`). Each function checks every event before applying any, so a
refusal changes neither record.

Likely duplicates are *suggested* for a dispatcher to confirm, never merged by
themselves (:func:`suggest_duplicates`): same service and community, received within the
catalogue's ``duplicate_window_days``, and texts at least ``duplicate_similarity``
alike by :func:`similarity`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.entities.ticket import ServiceTicket
from sqfw.errors import TransitionRefused
from sqfw.workflows._records import WorkflowRecord
from sqfw.workflows.ticket import ServiceRules, TicketWorkflow

__all__ = [
    "DuplicateSuggestion",
    "close_duplicate",
    "forward_update",
    "merge_duplicate",
    "similarity",
    "suggest_duplicates",
]

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def _bigrams(text: str) -> frozenset[str]:
    compact = _NOT_TEXT.sub("", text.lower())
    if len(compact) < 2:
        return frozenset({compact}) if compact else frozenset()
    return frozenset(compact[i : i + 2] for i in range(len(compact) - 1))


def similarity(a: str, b: str) -> Fraction:
    """How alike two request texts are: the Jaccard index of their character bigrams.

    Case, spaces and punctuation are left out; the bigrams of "路灯不亮" are 路灯, 灯不,
    不亮. The result is exact: shared bigrams over all bigrams, 0 to 1 (two empty texts
    are 0). Simple on purpose: Chinese has no spaces between words, and bigrams need no
    dictionary.

    Raises:
        InvalidArgumentError: ``a`` or ``b`` is not text.
    """
    x, y = _bigrams(expect("a", a, str)), _bigrams(expect("b", b, str))
    union = x | y
    return Fraction(len(x & y), len(union)) if union else Fraction(0)


@attrs.frozen(kw_only=True)
class DuplicateSuggestion:
    """A ticket that may repeat another, for a dispatcher to confirm.

    Attributes:
        ticket_id: the later ticket.
        original_id: the earlier ticket it may repeat.
        similarity: how alike their texts are (:func:`similarity`).
    """

    ticket_id: str
    original_id: str
    similarity: Fraction


def suggest_duplicates(
    ticket: ServiceTicket, earlier: Iterable[ServiceTicket], rules: ServiceRules
) -> list[DuplicateSuggestion]:
    """The earlier tickets ``ticket`` may repeat, most alike first.

    Same service code and community, received at most ``rules.duplicate_window_days``
    days before it (and not after it), and summaries at least
    ``rules.duplicate_similarity`` alike.
    """
    expect("suggest_duplicates(ticket)", ticket, ServiceTicket)
    earlier = expect_items("suggest_duplicates(earlier)", earlier, ServiceTicket)
    expect("suggest_duplicates(rules)", rules, ServiceRules)
    window = pendulum.duration(days=rules.duplicate_window_days)
    found = []
    for other in earlier:
        if other.id == ticket.id or other.service_code != ticket.service_code:
            continue
        if other.community_code != ticket.community_code:
            continue
        gap = ticket.received_at - other.received_at
        if gap < pendulum.duration() or gap > window:
            continue
        score = similarity(ticket.summary or "", other.summary or "")
        if score >= rules.duplicate_similarity:
            found.append(
                DuplicateSuggestion(ticket_id=ticket.id, original_id=other.id, similarity=score)
            )
    return sorted(found, key=lambda s: (-s.similarity, s.original_id))


def _pair(
    function: str, wf: object, duplicate: object, original: object
) -> tuple[TicketWorkflow, WorkflowRecord, WorkflowRecord]:
    """The three positional arguments of the functions below, each checked once."""
    return (
        expect(f"{function}(wf)", wf, TicketWorkflow),
        expect(f"{function}(duplicate)", duplicate, WorkflowRecord),
        expect(f"{function}(original)", original, WorkflowRecord),
    )


def _check(wf: TicketWorkflow, record: WorkflowRecord, event: str, **kwargs: object) -> None:
    reasons = wf.check(record, event, **kwargs)  # type: ignore[arg-type]
    if reasons:
        raise TransitionRefused(wf.name, event, record.state, reasons)


def merge_duplicate(
    wf: TicketWorkflow,
    duplicate: WorkflowRecord,
    original: WorkflowRecord,
    *,
    actor: str,
    at: pendulum.DateTime,
    reason: str | None = None,
) -> tuple[WorkflowRecord, WorkflowRecord]:
    """Merge ``duplicate`` into ``original``, linking both ways.

    Returns:
        The duplicate (state ``merged``) and the original (with the link), to save.

    Raises:
        TransitionRefused: either event is refused; neither record is changed.
    """
    wf, duplicate, original = _pair("merge_duplicate", wf, duplicate, original)
    into = {"original": original.record_id}
    link = {"duplicate": duplicate.record_id}
    _check(wf, duplicate, "merge_into", actor=actor, at=at, reason=reason, data=into)
    _check(wf, original, "link_duplicate", actor=actor, at=at, reason=reason, data=link)
    merged = wf.apply(duplicate, "merge_into", actor=actor, at=at, reason=reason, data=into)
    linked = wf.apply(original, "link_duplicate", actor=actor, at=at, reason=reason, data=link)
    return merged, linked


def _linked(wf: TicketWorkflow, duplicate: WorkflowRecord, original: WorkflowRecord) -> None:
    dup, orig = wf.facts(duplicate), wf.facts(original)
    if dup.original != original.record_id or duplicate.record_id not in orig.duplicates:
        raise TransitionRefused(
            wf.name,
            "add_update",
            duplicate.state,
            [
                f"{duplicate.record_id} 未并入 {original.record_id} / {duplicate.record_id!r:.80} "
                f"is not merged into {original.record_id!r:.80}"
            ],
        )


def forward_update(
    wf: TicketWorkflow,
    duplicate: WorkflowRecord,
    original: WorkflowRecord,
    *,
    actor: str,
    at: pendulum.DateTime,
    reason: str,
) -> WorkflowRecord:
    """Send an update that came to ``duplicate`` to its original (``add_update`` there,
    with ``via`` naming the duplicate).

    Raises:
        TransitionRefused: the two are not linked, or the original takes no update now.
    """
    wf, duplicate, original = _pair("forward_update", wf, duplicate, original)
    _linked(wf, duplicate, original)
    return wf.apply(
        original, "add_update", actor=actor, at=at, reason=reason, data={"via": duplicate.record_id}
    )


def close_duplicate(
    wf: TicketWorkflow,
    duplicate: WorkflowRecord,
    original: WorkflowRecord,
    *,
    actor: str,
    at: pendulum.DateTime,
) -> WorkflowRecord:
    """Close ``duplicate`` with its original's answer.

    Raises:
        TransitionRefused: the two are not linked, or the original has no answer yet.
    """
    wf, duplicate, original = _pair("close_duplicate", wf, duplicate, original)
    _linked(wf, duplicate, original)
    answer = wf.facts(original).answer
    if answer is None:
        raise TransitionRefused(
            wf.name,
            "close_as_duplicate",
            duplicate.state,
            [
                f"原件 {original.record_id} 尚未答复 / the original {original.record_id!r:.80} "
                "has not been answered yet"
            ],
        )
    return wf.apply(
        duplicate,
        "close_as_duplicate",
        actor=actor,
        at=at,
        data={"original": original.record_id, "answer": answer},
    )
