"""Shares of a whole that must reach a threshold, with unknown members bounded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from sqfw.calculators._count import Count
from sqfw.calculators._result import Finding, Reader, Result, Status, every, fmt
from sqfw.standards import Unit

__all__ = [
    "Decision",
    "above",
    "at_least",
    "every",
    "needed_for",
    "rate_at_least",
    "share_result",
]


def needed_for(threshold: Fraction, total: int, *, strict: bool = False) -> int:
    """The fewest members out of ``total`` whose share reaches ``threshold``.

    ``strict`` asks for a share above the threshold (高于/提高) instead of at least it
    (不低于/以上).
    """
    if strict:
        return math.floor(threshold * total) + 1
    return math.ceil(threshold * total)


@attrs.frozen(kw_only=True)
class Decision:
    """A region rule decided from counts: what the region calculators and targets share.

    Attributes:
        status: the :class:`Status`.
        measured: the share found (``None`` without members).
        required: the share required (``None`` when it cannot be said).
        shortfall: the members still needed (``None`` when it cannot be said).
    """

    status: Status
    measured: Fraction | None
    required: Fraction | None
    shortfall: int | Fraction | None


def at_least(
    yes: int, unknown: int, total: int, threshold: Fraction, *, missing: int = 0
) -> Decision:
    """ "The share of yes among ``total`` members is at least ``threshold``" (不低于, 以上).

    Members whose answer is unknown (``unknown`` of the ``total``) are counted both ways:
    the share passes only if it passes without them, fails only if it fails with all of
    them, and is unknown between. Without members the rule does not apply — unless
    ``missing`` members were left out because their figures are unknown, when it is
    unknown.
    """
    if total == 0:
        status = Status.UNKNOWN if missing else Status.NOT_APPLICABLE
        return Decision(status=status, measured=None, required=threshold, shortfall=None)
    needed = needed_for(threshold, total)
    if yes >= needed:
        status = Status.PASS
    elif yes + unknown < needed:
        status = Status.FAIL
    else:
        status = Status.UNKNOWN
    return Decision(
        status=status,
        measured=Fraction(yes, total),
        required=threshold,
        shortfall=max(needed - yes, 0),
    )


def rate_at_least(
    amount: Fraction | Decimal | int,
    base: Fraction | Decimal | int,
    threshold: Fraction | Decimal | int,
    *,
    per: int,
    whole: bool,
    missing: int = 0,
) -> Decision:
    """ "``amount`` per ``per`` units of ``base`` is at least ``threshold``" (每百户…不低于).

    The 14th plan's region figures: facility area per 100 households (``per=100``, an area,
    ``whole=False``), community workers per 10,000 urban residents (``per=10_000``, people,
    ``whole=True``: the shortfall is whole people). Without a base the rule does not apply,
    unless ``missing`` members were left out for unknown figures, when it is unknown.
    """
    required = Fraction(threshold)
    if not base:
        status = Status.UNKNOWN if missing else Status.NOT_APPLICABLE
        return Decision(status=status, measured=None, required=required, shortfall=None)
    measured = Fraction(amount) * per / Fraction(base)
    needed = required * Fraction(base) / per
    if whole:
        needed = Fraction(math.ceil(needed))
    short = max(needed - Fraction(amount), Fraction(0))
    return Decision(
        status=Status.PASS if measured >= required else Status.FAIL,
        measured=measured,
        required=required,
        shortfall=int(short) if whole else short,
    )


def above(
    yes: int, total: int, baseline: Fraction | None, *, must_rise: bool, unknown: int = 0
) -> Decision:
    """ "The share of yes among ``total`` is higher than ``baseline``" (提高, 有所提升).

    Not applicable when the rising requirement is switched off; unknown without a baseline
    or without members (a rise cannot be judged). ``unknown`` further members whose answer
    is not known (left out of ``total``) are counted both ways: the share passes only if
    it is above the baseline with all of them no, fails only if it is not with all of them
    yes. The measured share is that of the known members; the shortfall is the number of
    further members needed out of the same total.
    """
    measured = Fraction(yes, total) if total else None
    if not must_rise:
        return Decision(
            status=Status.NOT_APPLICABLE, measured=measured, required=None, shortfall=None
        )
    if baseline is None or measured is None:
        return Decision(status=Status.UNKNOWN, measured=measured, required=baseline, shortfall=None)
    counted = total + unknown
    if Fraction(yes, counted) > baseline:
        status = Status.PASS
    elif Fraction(yes + unknown, counted) <= baseline:
        status = Status.FAIL
    else:
        status = Status.UNKNOWN
    return Decision(
        status=status,
        measured=measured,
        required=baseline,
        shortfall=max(needed_for(baseline, total, strict=True) - yes, 0),
    )


def share_result(
    read: Reader,
    *,
    norm: str,
    clause: str,
    subject: str,
    findings: Sequence[Finding],
    count: Count,
    decided: Decision,
    what_zh: str,
    what_en: str,
    noun_zh: str,
    noun_en: str,
) -> Result:
    """A :class:`Result` for "the share of yes is at least a threshold", as decided.

    Args:
        read: the reader of the parameters.
        norm: the result's rule id.
        clause: its clause.
        subject: what it is about.
        findings: one per member counted (the kernel's rows).
        count: the members counted (yes, total, unknown among the total).
        decided: the decision from ``count``.
        what_zh: the share's name, in Chinese.
        what_en: the share's name, in English.
        noun_zh: the members, in Chinese.
        noun_en: the members, in English.
    """
    threshold = decided.required
    assert threshold is not None
    yes, total, unknown = count.yes, count.total, count.unknown
    if decided.measured is None:
        return read.result(
            norm=norm,
            clauses=(clause,),
            subject=subject,
            status=decided.status,
            required=threshold,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            explanation_zh=f"没有{noun_zh},{what_zh}不适用",
            explanation_en=f"no {noun_en}: {what_en} does not apply",
        )
    status, short, share = decided.status, decided.shortfall, decided.measured
    tail_zh = f"({unknown} 个{noun_zh}情况未知)" if unknown else ""
    tail_en = f" ({unknown} {noun_en} unknown)" if unknown else ""
    head_zh = f"{what_zh} {fmt(share)}({yes}/{total})"
    head_en = f"{what_en} {fmt(share)} ({yes} of {total})"
    if status is Status.PASS:
        zh = f"{head_zh},不低于 {fmt(threshold)}{tail_zh}"
        en = f"{head_en} is at least {fmt(threshold)}{tail_en}"
    elif status is Status.FAIL:
        zh = f"{head_zh},低于 {fmt(threshold)},还差 {short} 个{noun_zh}{tail_zh}"
        en = f"{head_en} is below {fmt(threshold)}: {short} {noun_en} short{tail_en}"
    else:
        zh = f"{head_zh},是否达到 {fmt(threshold)} 取决于 {unknown} 个情况未知的{noun_zh}"
        en = (
            f"{head_en}: whether it reaches {fmt(threshold)} "
            f"depends on {unknown} {noun_en} with unknown answers"
        )
    return read.result(
        norm=norm,
        clauses=(clause,),
        subject=subject,
        status=status,
        measured=share,
        required=threshold,
        shortfall=short,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        findings=tuple(findings),
        explanation_zh=zh,
        explanation_en=en,
    )
