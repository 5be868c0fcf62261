"""Shares of a whole that must reach a threshold, with unknown members bounded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from sqfw.calculators._result import Finding, Reader, Result, Status, fmt
from sqfw.standards import Unit

__all__ = ["needed_for", "share_result", "share_status"]


def needed_for(threshold: Fraction, total: int, *, strict: bool = False) -> int:
    """The fewest members out of ``total`` whose share reaches ``threshold``.

    ``strict`` asks for a share above the threshold (高于/提高) instead of at least it
    (不低于/以上).
    """
    if strict:
        return math.floor(threshold * total) + 1
    return math.ceil(threshold * total)


def share_status(
    yes: int, unknown: int, total: int, threshold: Fraction, *, strict: bool = False
) -> tuple[Status, int]:
    """Status and shortfall (members still needed) of ``yes`` out of ``total``.

    Members whose answer is unknown are counted both ways: the share passes only if it
    passes without them, fails only if it fails with all of them, and is unknown between.
    """
    needed = needed_for(threshold, total, strict=strict)
    if yes >= needed:
        return Status.PASS, 0
    if yes + unknown < needed:
        return Status.FAIL, needed - yes
    return Status.UNKNOWN, needed - yes


def share_result(
    read: Reader,
    *,
    norm: str,
    clause: str,
    subject: str,
    answers: Sequence[tuple[str, bool | None]],
    threshold: Fraction,
    what_zh: str,
    what_en: str,
    noun_zh: str,
    noun_en: str,
) -> Result:
    """A :class:`Result` for "the share of ``answers`` that are yes is at least ``threshold``".

    Each answer is ``(id, True | False | None)``; ``None`` (unknown) is bounded as in
    :func:`share_status`. One finding per member.
    """
    total = len(answers)
    if total == 0:
        return read.result(
            norm=norm,
            clauses=(clause,),
            subject=subject,
            status=Status.UNKNOWN,
            required=threshold,
            unit=Unit.RATIO,
            shortfall_unit=Unit.COUNT,
            explanation_zh=f"没有{noun_zh}数据,无法计算{what_zh}",
            explanation_en=f"no {noun_en} given: {what_en} cannot be computed",
        )
    yes = sum(1 for _, a in answers if a is True)
    unknown = sum(1 for _, a in answers if a is None)
    status, short = share_status(yes, unknown, total, threshold)
    share = Fraction(yes, total)
    findings = tuple(
        Finding(
            subject=ident,
            clause=clause,
            status={True: Status.PASS, False: Status.FAIL, None: Status.UNKNOWN}[answer],
            measured=answer,
            required=True,
            explanation_zh=f"{ident}:" + {True: "是", False: "否", None: "未知"}[answer],
            explanation_en=f"{ident}: " + {True: "yes", False: "no", None: "unknown"}[answer],
        )
        for ident, answer in answers
    )
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
        findings=findings,
        explanation_zh=zh,
        explanation_en=en,
    )
