"""How a target decides its indicator: one object per kind, holding that kind's logic once.

A target of a plan (``targets.toml``) and a region calculator decide an indicator from the
same :class:`Count` — what was counted at a place — with the same kind object. Each kind
knows its decision (through the shared functions of :mod:`._share`), its bilingual
relation words and its sentence; nothing compares a kind's name.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from sqfw.calculators._count import Count, Unknowns
from sqfw.calculators._result import Status, every
from sqfw.calculators._share import Decision, above, at_least, rate_at_least

__all__ = [
    "KINDS",
    "AboveBaseline",
    "AtLeast",
    "Count",
    "Every",
    "RateAtLeast",
    "TargetKind",
    "Unknowns",
]


@attrs.frozen
class TargetKind:
    """A kind of target: its decision and its words.

    Attributes:
        name: the kind's name in ``targets.toml``.
        relation_zh: how the measured figure must stand to the required one, in Chinese.
        relation_en: the same in English.
        with_norm: whether a target of this kind names a norm (and only then).
        with_baseline: whether it names a baseline.
        with_per: whether it names the units of its rate (``per``).

    .. versionadded:: 0.1.0
    """

    name: ClassVar[str]
    relation_zh: ClassVar[str] = "不低于"
    relation_en: ClassVar[str] = "at least"
    with_norm: ClassVar[bool] = False
    with_baseline: ClassVar[bool] = False
    with_per: ClassVar[bool] = False

    def decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns = "within",
        threshold: Any = None,
        baseline: Fraction | None = None,
        per: int | None = None,
        whole: bool = True,
    ) -> Decision:
        """The :class:`~sqfw.calculators._share.Decision` at a place from its count.

        Args:
            count: what was counted.
            unknowns: how the count's unknown cases stand to it.
            threshold: the value of the target's first parameter (a ratio, a rate, or
                the rising flag).
            baseline: the earlier figure (for :class:`AboveBaseline`).
            per: the units of the denominator (for :class:`RateAtLeast`).
            whole: whether the shortfall is whole members (not an area).

        Returns:
            The decision: what is still to do is not said while the state is unknown
            (``shortfall`` ``None``), and a share of nothing known is no share
            (``measured`` ``None`` when every case counted is unknown) — decided here once,
            for the region calculators, the targets and every view alike.
        """
        decided = self._decide(
            count,
            unknowns=unknowns,
            threshold=threshold,
            baseline=baseline,
            per=per,
            whole=whole,
        )
        nothing_known = count.nothing_known(unknowns)
        if decided.status is Status.UNKNOWN and (decided.shortfall is not None or nothing_known):
            return attrs.evolve(
                decided,
                shortfall=None,
                measured=None if nothing_known else decided.measured,
            )
        return decided

    def _decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns,
        threshold: Any,
        baseline: Fraction | None,
        per: int | None,
        whole: bool,
    ) -> Decision:
        raise NotImplementedError

    def shown_required(self, required: Fraction | None) -> Fraction | None:
        """The required figure a table shows for a decided ``required``."""
        return required

    def lines(
        self,
        *,
        head_zh: str,
        head_en: str,
        now: str,
        need: str,
        yes: Any,
        total: int,
        unknown_zh: str,
        unknown_en: str,
    ) -> tuple[str, str]:
        """The middle of a target's explanation in Chinese and English.

        Args:
            head_zh: the label and state, in Chinese.
            head_en: the label and state, in English.
            now: the measured figure, written.
            need: the required figure, written.
            yes: the numerator.
            total: the denominator.
            unknown_zh: the unknown cases, in Chinese (empty when none).
            unknown_en: the unknown cases, in English (empty when none).

        Returns:
            (Chinese, English).
        """
        zh = f"{head_zh};现为 {now}({yes}/{total}),要求{self.relation_zh} {need}{unknown_zh}"
        en = f"{head_en}; now {now} ({yes} of {total}), required {self.relation_en} {need}"
        return zh, en + unknown_en


@attrs.frozen
class Every(TargetKind):
    """Every community the norm applies to meets it."""

    name: ClassVar[str] = "every"
    with_norm: ClassVar[bool] = True

    def _decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns = "within",
        threshold: Any = None,
        baseline: Fraction | None = None,
        per: int | None = None,
        whole: bool = True,
    ) -> Decision:
        """See :meth:`TargetKind.decide`; the shortfall is the failing rows' sum."""
        status = every(int(count.yes), count.failed, count.unknown)
        applies = status is not Status.NOT_APPLICABLE
        return Decision(
            status=status,
            measured=Fraction(count.yes) / count.total if count.total else None,
            required=Fraction(1) if applies else None,
            shortfall=Fraction(count.shortfall) if applies else None,
        )

    def shown_required(self, required: Fraction | None) -> Fraction | None:
        """All of them: 100%, exactly, whenever the target can be decided."""
        return None if required is None else Fraction(1)

    def lines(
        self,
        *,
        head_zh: str,
        head_en: str,
        now: str,
        need: str,
        yes: Any,
        total: int,
        unknown_zh: str,
        unknown_en: str,
    ) -> tuple[str, str]:
        """See :meth:`TargetKind.lines`: how many comply."""
        return (
            f"{head_zh};达标 {yes}/{total}{unknown_zh}",
            f"{head_en}; {yes} of {total} comply{unknown_en}",
        )


@attrs.frozen
class AtLeast(TargetKind):
    """A share reaches a ratio parameter (不低于, 以上)."""

    name: ClassVar[str] = "at_least"

    def _decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns = "within",
        threshold: Any = None,
        baseline: Fraction | None = None,
        per: int | None = None,
        whole: bool = True,
    ) -> Decision:
        """See :meth:`TargetKind.decide`; unknown members are counted both ways."""
        assert isinstance(threshold, Fraction)
        yes, total, unknown = int(count.yes), int(count.total), count.unknown
        if unknowns == "amounts":  # rows without their figures: nothing to bound
            return at_least(yes, 0, total, threshold, missing=unknown)
        if unknowns == "members":
            return at_least(yes, unknown, total + unknown, threshold)
        return at_least(yes, unknown, total, threshold)


@attrs.frozen
class AboveBaseline(TargetKind):
    """A share is higher than an earlier figure (提高), when the rising flag is on."""

    name: ClassVar[str] = "above_baseline"
    with_baseline: ClassVar[bool] = True
    relation_zh: ClassVar[str] = "高于"
    relation_en: ClassVar[str] = "above"

    def _decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns = "within",
        threshold: Any = None,
        baseline: Fraction | None = None,
        per: int | None = None,
        whole: bool = True,
    ) -> Decision:
        """See :meth:`TargetKind.decide`; unknown members are counted both ways."""
        yes, total, unknown = int(count.yes), int(count.total), count.unknown
        if unknowns == "amounts":
            unknown = 0  # unknown amounts cannot be bounded: the known rows are measured
        elif unknowns == "within":
            total -= unknown
        return above(yes, total, baseline, must_rise=bool(threshold), unknown=unknown)


@attrs.frozen
class RateAtLeast(TargetKind):
    """A rate per ``per`` units reaches a parameter (每百户…不低于)."""

    name: ClassVar[str] = "per_at_least"
    with_per: ClassVar[bool] = True

    def _decide(
        self,
        count: Count,
        *,
        unknowns: Unknowns = "amounts",
        threshold: Any = None,
        baseline: Fraction | None = None,
        per: int | None = None,
        whole: bool = True,
    ) -> Decision:
        """See :meth:`TargetKind.decide`; rows with unknown figures are left out."""
        assert per is not None
        assert not isinstance(threshold, bool)
        return rate_at_least(
            count.yes, count.total, threshold, per=per, whole=whole, missing=count.unknown
        )

    def lines(
        self,
        *,
        head_zh: str,
        head_en: str,
        now: str,
        need: str,
        yes: Any,
        total: int,
        unknown_zh: str,
        unknown_en: str,
    ) -> tuple[str, str]:
        """See :meth:`TargetKind.lines`: the rate now and required."""
        return (
            f"{head_zh};现为 {now},要求不低于 {need}{unknown_zh}",
            f"{head_en}; now {now}, required at least {need}{unknown_en}",
        )


KINDS: Mapping[str, TargetKind] = {
    kind.name: kind for kind in (Every(), AtLeast(), AboveBaseline(), RateAtLeast())
}
"""The kinds of target, by their name in ``targets.toml``."""
