"""§5.4: every community worker trains at least once during a term (1次以上: once passes).

Training counts when it falls inside the worker's term and on or before the evaluation
date. A worker without training whose term is still running could still comply: that is
unknown, not a failure; once the term has ended it is a failure.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from sqfw._args import expect, expect_items
from sqfw.calculators._result import Finding, Reader, Result, Status, combine
from sqfw.entities import CommunityWorker
from sqfw.standards import Standards, Unit

__all__ = ["training_coverage", "training_per_term"]


def _count(worker: CommunityWorker, on: pendulum.Date) -> int:
    last = on if worker.term_end is None else min(on, worker.term_end)
    return sum(1 for t in worker.trainings if worker.term_start <= t.on <= last)


def training_per_term(
    worker: CommunityWorker,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check one worker's trainings in the current term against the minimum.

    Args:
        worker: the community worker.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` counting trainings (shortfall in trainings); unknown while the
        term runs without training yet, not applicable for a term starting after ``on``.
    """
    expect("worker", worker, CommunityWorker)
    read = Reader(standards, on)
    required = read.count("workforce.training.per_term.at_least")
    if worker.term_start > read.on:
        return read.result(
            norm="training_per_term",
            clauses=("§5.4",),
            subject=worker.id,
            status=Status.NOT_APPLICABLE,
            required=required,
            unit=Unit.COUNT,
            explanation_zh=f"任期自 {worker.term_start} 起,晚于评估日期,不适用",
            explanation_en=f"the term starts on {worker.term_start}, after the evaluation date",
        )
    done = _count(worker, read.on)
    short = max(required - done, 0)
    ended = worker.term_end is not None and worker.term_end <= read.on
    if done >= required:
        status = Status.PASS
        zh = f"任期内参加培训 {done} 次,不少于 {required} 次"
        en = f"{done} trainings in the term, at least {required}"
    elif ended:
        status = Status.FAIL
        zh = f"任期内参加培训 {done} 次,少于 {required} 次,还差 {short} 次"
        en = f"{done} trainings in the term, fewer than {required}: {short} short"
    else:
        status = Status.UNKNOWN
        zh = f"任期未满,目前培训 {done} 次,尚差 {short} 次"
        en = f"term still running with {done} trainings so far; {short} still needed"
    return read.result(
        norm="training_per_term",
        clauses=("§5.4",),
        subject=worker.id,
        status=status,
        measured=done,
        required=required,
        shortfall=short,
        unit=Unit.COUNT,
        explanation_zh=zh,
        explanation_en=en,
    )


def training_coverage(
    workers: Sequence[CommunityWorker],
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """§5.4 for a workforce: every worker must comply; one finding per worker.

    Returns:
        A :class:`Result` counting compliant workers against all; the shortfall is the
        number of workers not (yet) compliant.
    """
    chosen = expect_items("workers", workers, CommunityWorker)
    read = Reader(standards, on)
    read.count("workforce.training.per_term.at_least")
    each = [training_per_term(w, on=read.on, standards=read.standards) for w in chosen]
    findings = tuple(
        Finding(
            subject=r.subject,
            clause="§5.4",
            status=r.status,
            measured=r.measured,
            required=r.required,
            shortfall=r.shortfall,
            unit=Unit.COUNT,
            explanation_zh=r.explanation_zh,
            explanation_en=r.explanation_en,
        )
        for r in each
    )
    applicable = [r for r in each if r.status is not Status.NOT_APPLICABLE]
    good = sum(1 for r in applicable if r.passed)
    status = combine(r.status for r in applicable) if applicable else Status.NOT_APPLICABLE
    if not applicable:
        zh, en = "没有任期内的工作人员", "no worker in a running or ended term"
    else:
        zh = (
            f"{len(applicable)} 名工作人员中 {good} "
            f"名任期内已参加培训,还差 {len(applicable) - good} 名"
        )
        en = (
            f"{good} of {len(applicable)} workers trained "
            f"in their term; {len(applicable) - good} short"
        )
    return read.result(
        norm="training_coverage",
        clauses=("§5.4",),
        subject="workers",
        status=status,
        measured=good,
        required=len(applicable),
        shortfall=len(applicable) - good,
        unit=Unit.COUNT,
        findings=findings,
        explanation_zh=zh,
        explanation_en=en,
    )
