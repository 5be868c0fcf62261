"""Five-Year periods and the plan in force on a date, carried forward when a period's plan
is not bundled.

Plans belong to the national Five-Year periods (13th 2016–2020, 14th 2021–2025, 15th
2026–2030; ``data/periods.toml``). On a date inside a period whose plan sqfw does not
bundle (and the user did not give), :func:`resolve_plan` follows the latest plan that
was in force for the place, **carried forward** (沿用): its norms, targets and parameters
as they stood on its last day, and a :class:`PlanInForce` that says so, with one note in
Chinese and one in English that every view shows. ``strict=True`` refuses instead with
:class:`~sqfw.errors.PlanNotFound`, naming the same plan and period.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from importlib import resources
from typing import Any

import attrs
import pendulum

from sqfw.errors import PlanNotFound, StandardsError
from sqfw.periods import as_date, format_date
from sqfw.standards._loader import read_date, read_text, require_text
from sqfw.standards._plans import Plan, bundled_plans, get_plan, plan_in_force

__all__ = ["FiveYearPeriod", "PlanInForce", "five_year_period", "five_year_periods", "resolve_plan"]

_PERIOD_KEYS = frozenset(
    {
        "number",
        "label_zh",
        "label_en",
        "start",
        "end",
        "outline",
        "outline_status",
        "community_plan",
    }
)


@attrs.frozen(kw_only=True)
class FiveYearPeriod:
    """A national Five-Year period (五年规划期).

    Attributes:
        number: 13, 14, 15 …
        label_zh: ``"“十五五”时期"``.
        label_en: ``"15th Five-Year period"``.
        start: its first day.
        end: its last day.
        outline: the national outline (规划纲要) of the period.
        outline_status: when and by whom it was adopted, as sqfw's sources say.
        community_plan: the national community-service plan of the period, if sqfw's
            sources give one (``None``: none published in them).

    .. versionadded:: 0.1.0
    """

    number: int
    label_zh: str
    label_en: str
    start: pendulum.Date
    end: pendulum.Date
    outline: str
    outline_status: str
    community_plan: str | None = None

    @property
    def years(self) -> str:
        """``"2026–2030"``."""
        return f"{self.start.year}–{self.end.year}"

    def covers(self, on: pendulum.Date) -> bool:
        """Whether ``on`` lies in the period."""
        return self.start <= on <= self.end


@functools.cache
def five_year_periods() -> tuple[FiveYearPeriod, ...]:
    """The Five-Year periods sqfw knows, oldest first (read strictly from its data).

    Raises:
        StandardsError: the data file is malformed (a broken installation).
    """
    origin = "periods.toml"
    entry = resources.files("sqfw.standards").joinpath("data").joinpath(origin)
    raw = tomllib.loads(read_text(entry, origin))
    found = []
    for i, item in enumerate(raw.get("periods", [])):
        where = f"periods[{i}]"
        unknown = sorted(set(item) - _PERIOD_KEYS)
        if unknown:
            raise StandardsError(origin, f"{where}.{unknown[0]}", "unknown key")
        text: dict[str, Any] = {
            k: require_text(item[k], source=origin, where=f"{where}.{k}")
            for k in ("label_zh", "label_en", "outline", "outline_status")
        }
        found.append(
            FiveYearPeriod(
                number=int(item["number"]),
                start=read_date(item["start"], source=origin, where=f"{where}.start"),
                end=read_date(item["end"], source=origin, where=f"{where}.end"),
                community_plan=item.get("community_plan"),
                **text,
            )
        )
    return tuple(sorted(found, key=lambda p: p.start))


def five_year_period(on: pendulum.Date | str) -> FiveYearPeriod | None:
    """The Five-Year period ``on`` falls in (``None`` outside every known one)."""
    day = as_date(on)
    return next((p for p in five_year_periods() if p.covers(day)), None)


@attrs.frozen(kw_only=True)
class PlanInForce:
    """The plan an assessment follows on a date, and whether it is carried forward.

    Attributes:
        plan: the plan followed.
        on: the date asked about.
        dated: the date its parameters and targets are read on: ``on`` itself, or, when
            carried forward, the last day of the plan's period.
        period: the Five-Year period ``on`` falls in (``None`` outside the known ones).
        carried_forward: no plan of ``period`` is bundled or given, so ``plan`` — the
            latest in force for the place — is followed as it stood on its last day.

    .. versionadded:: 0.1.0
    """

    plan: Plan
    on: pendulum.Date
    dated: pendulum.Date
    period: FiveYearPeriod | None
    carried_forward: bool = False

    @property
    def note_zh(self) -> str:
        """The note in Chinese (empty when the plan is not carried forward)."""
        if not self.carried_forward:
            return ""
        return (
            f"沿用{self.plan.label_zh}({self.plan.id},{self.plan.period_text}):"
            f"{self._period_zh()}的规划未收录,目标按{format_date(self.dated)}计"
        )

    @property
    def note_en(self) -> str:
        """The note in English (empty when the plan is not carried forward)."""
        if not self.carried_forward:
            return ""
        return (
            f"carried forward: {self.plan.id} ({self.plan.period_text}); no plan of the "
            f"{self._period_en()} is bundled; targets are dated at {format_date(self.dated)}"
        )

    def note(self, lang: str) -> str:
        """:attr:`note_zh` or :attr:`note_en`."""
        return self.note_zh if lang == "zh" else self.note_en

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: plan, period, dates, carried forward, both notes."""
        return {
            "plan": self.plan.id,
            "plan_period": self.plan.period_text,
            "on": format_date(self.on),
            "dated": format_date(self.dated),
            "period": None if self.period is None else self.period.years,
            "carried_forward": self.carried_forward,
            "note_zh": self.note_zh,
            "note_en": self.note_en,
        }

    def _period_zh(self) -> str:
        p = self.period
        return f"{p.label_zh}({p.years})" if p is not None else format_date(self.on)

    def _period_en(self) -> str:
        p = self.period
        return f"{p.label_en} ({p.years})" if p is not None else f"date {format_date(self.on)}"


def _latest_before(day: pendulum.Date, code: str | None, plans: Sequence[Plan]) -> Plan | None:
    """The plan in force for the place on the last day any plan covered before ``day``."""
    ends = [
        p.end
        for p in (*bundled_plans(), *plans)
        if p.layer != "law"
        and p.end is not None
        and p.end < day
        and (code is None or p.jurisdiction.contains(code))
    ]
    if not ends:
        return None
    return plan_in_force(max(ends), code, plans=plans)


def resolve_plan(
    plan: Plan | str | None,
    on: pendulum.Date | str,
    code: str | None = None,
    *,
    plans: Sequence[Plan] = (),
    strict: bool = False,
) -> PlanInForce:
    """The plan to follow on ``on`` for the place ``code``, carried forward if need be.

    Without ``plan``, the plan in force (:func:`~sqfw.standards.plan_in_force`); on a date
    after every plan for the place (a period whose plan is not bundled), the latest one,
    carried forward. A ``plan`` given is followed; on a date after its period it is
    carried forward too.

    Args:
        plan: a plan or its id, or ``None`` to choose by date and place.
        on: the date.
        code: the place's 12-digit code (``None``: national).
        plans: a user's own plans, considered with the bundled ones (a user's plan of the
            period replaces the carry-forward).
        strict: refuse to carry a plan forward.

    Returns:
        A :class:`PlanInForce`.

    Raises:
        PlanNotFound: an unknown id; no plan covers a date before every plan; or, with
            ``strict``, a date after the plan's period (the message names the plan that
            would be carried forward and the period).

    .. versionadded:: 0.1.0
    """
    day = as_date(on)
    period = five_year_period(day)
    if plan is not None:
        chosen = get_plan(plan, plans=plans) if isinstance(plan, str) else plan
    else:
        try:
            chosen = plan_in_force(day, code, plans=plans)
        except PlanNotFound as missing:
            latest = _latest_before(day, code, plans)
            if latest is None:
                raise
            if strict:
                raise _refused(latest, day, period, missing.plans) from None
            chosen = latest
    if chosen.end is None or day <= chosen.end:
        return PlanInForce(plan=chosen, on=day, dated=day, period=period)
    if strict:
        raise _refused(chosen, day, period, chosen.describe())
    return PlanInForce(plan=chosen, on=day, dated=chosen.end, period=period, carried_forward=True)


def _refused(
    plan: Plan, day: pendulum.Date, period: FiveYearPeriod | None, listing: str
) -> PlanNotFound:
    name = f"the {period.label_en} ({period.years})" if period is not None else "that date"
    return PlanNotFound(
        f"no plan is in force on {format_date(day)}: no plan of {name} is bundled, and "
        f"strict refuses to carry {plan.id} ({plan.period_text}) forward",
        format_date(day),
        listing,
    )
