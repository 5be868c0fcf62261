"""Indicators of the units below the community: grids, grid events, registrations by
building (§3.5), per community, street and county.

No national standard fixes the size of a grid or the number of grid workers
(REQUIREMENTS, "Below the community"): the households a grid should hold is a
:class:`HouseholdsNorm` the host supplies, and without one no grid is ever found within
it (the explained check says "unknown", and the share is not counted at all).

- :func:`grid_households`: one grid's households against the host's norm, explained
  (a :class:`~sqfw.calculators.Result` with a line in Chinese and one in English);
- :func:`grid_indicators`: :class:`~sqfw.analysis.ProcessIndicator` rows — grids with a
  grid worker assigned, grids within the households norm, grid events handled within
  their limits, floating residents registered with their building — that
  :meth:`~sqfw.analysis.Assessment.with_processes` attaches to the region report, every
  view alike.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw._fields import fail, non_negative_int, text, to_text
from sqfw.analysis._processes import PROCESS_LEVELS, ProcessIndicator, _add, _place, _rows
from sqfw.calculators import PLAN_TARGET_DATE, Result, Status
from sqfw.entities.grid import CommunityUnits, Grid
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.population import FloatingRegister
from sqfw.standards import Unit
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.grid_event import GridEventWorkflow

__all__ = ["GRID_INDICATORS", "HouseholdsNorm", "grid_households", "grid_indicators"]

_CLAUSES = ("§3.5",)

GRID_INDICATORS: dict[str, tuple[str, str]] = {
    "grid.with_worker": ("配备网格员的网格", "grids with a grid worker assigned"),
    "grid.households_within_norm": (
        "户数符合本地标准的网格",
        "grids whose households are within the local norm",
    ),
    "grid_event.within_limits": (
        "在时限内处置的网格事件",
        "grid events handled within their time limits",
    ),
    "floating.with_building": (
        "登记到楼栋的流动人员",
        "floating residents registered with their building",
    ),
}
"""Each grid indicator's id and its Chinese and English label."""


def _bounds(instance: HouseholdsNorm, attribute: attrs.Attribute[Any], value: object) -> None:
    low, high = instance.min_households, value
    if low is None and high is None:
        fail(instance, attribute, value, "a minimum, a maximum or both")
    if isinstance(low, int) and isinstance(high, int) and high < low:
        fail(instance, attribute, value, f"a maximum not below the minimum ({low})")


@attrs.frozen(kw_only=True)
class HouseholdsNorm:
    """A host's norm of households per grid (a local rule: no national one exists).

    Attributes:
        source: the local rule it comes from (a county's grid-management measures).
        min_households: the fewest households a grid should hold, if the rule says.
        max_households: the most, if the rule says; not below the minimum.

    Raises:
        InvalidEntityError: neither bound, a negative bound, a maximum below the minimum.

    .. versionadded:: 0.1.0
    """

    source: str = attrs.field(converter=to_text, validator=text(200))
    min_households: int | None = attrs.field(default=None, validator=non_negative_int)
    max_households: int | None = attrs.field(default=None, validator=[non_negative_int, _bounds])

    def holds(self, households: int) -> bool:
        """Whether ``households`` lies within the norm (both bounds included)."""
        low, high = self.min_households, self.max_households
        return (low is None or households >= low) and (high is None or households <= high)

    def describe(self) -> str:
        """``"100–300"``, ``"≥ 100"`` or ``"≤ 300"`` households."""
        low, high = self.min_households, self.max_households
        if low is not None and high is not None:
            return f"{low}–{high}"
        return f"≥ {low}" if low is not None else f"≤ {high}"


def grid_households(
    grid: Grid,
    *,
    norm: HouseholdsNorm | None = None,
    on: pendulum.Date | str | None = None,
) -> Result:
    """One grid's households against the host's norm (§3.5; the norm is local).

    Args:
        grid: the grid.
        norm: the host's :class:`HouseholdsNorm`; without one the result is unknown,
            never met.
        on: the date the check is made for (default: the plan's target date,
            2020-12-31, as for every calculator; never today).

    Returns:
        A :class:`~sqfw.calculators.Result`: pass within the norm (both bounds included),
        fail outside it with the shortfall (or excess) in households, unknown without a
        norm or without the grid's households.

    Raises:
        InvalidArgumentError: ``grid`` is not a :class:`~sqfw.entities.Grid` or ``norm``
            not a :class:`HouseholdsNorm`.

    .. versionadded:: 0.1.0
    """
    expect("grid", grid, Grid)
    if norm is not None:
        expect("norm", norm, HouseholdsNorm)
    day = as_date(on) if on is not None else PLAN_TARGET_DATE
    base: dict[str, Any] = {
        "norm": "grid_households",
        "clauses": _CLAUSES,
        "subject": grid.code,
        "on": day,
        "unit": Unit.COUNT,
        "measured": grid.households,
    }
    if norm is None:
        return Result(
            **base,
            status=Status.UNKNOWN,
            explanation_zh=f"网格 {grid.code}：未提供本地网格户数标准，不作达标判断（无全国标准）",
            explanation_en=(
                f"grid {grid.code}: no local norm of households per grid was supplied, so "
                "none is met (there is no national one)"
            ),
            assumptions=("网格户数标准须由本地提供 / the households norm is a local rule",),
        )
    if grid.households is None:
        return Result(
            **base,
            status=Status.UNKNOWN,
            explanation_zh=(
                f"网格 {grid.code}：户数未知（标准 {norm.describe()} 户，{norm.source}）"
            ),
            explanation_en=(
                f"grid {grid.code}: households unknown (norm {norm.describe()} households, "
                f"{norm.source})"
            ),
        )
    households = grid.households
    within = norm.holds(households)
    if within:
        shortfall = 0
    elif norm.min_households is not None and households < norm.min_households:
        shortfall = norm.min_households - households
    else:
        shortfall = households - (norm.max_households or 0)
    status = Status.PASS if within else Status.FAIL
    verdict_zh = "符合" if within else "不符合"
    verdict_en = "within" if within else "outside"
    return Result(
        **{**base, "required": norm.min_households or norm.max_households},
        status=status,
        shortfall=shortfall,
        explanation_zh=(
            f"网格 {grid.code}：{households} 户，{verdict_zh}本地标准 {norm.describe()} 户"
            f"（{norm.source}）"
        ),
        explanation_en=(
            f"grid {grid.code}: {households} households, {verdict_en} the local norm of "
            f"{norm.describe()} ({norm.source})"
        ),
    )


def _levels(levels: Iterable[str]) -> tuple[str, ...]:
    expected = "an iterable of community, street or county"
    chosen: tuple[str, ...] = expect_items("levels", levels, str, expected=expected)
    for level in chosen:
        if level not in PROCESS_LEVELS:
            raise InvalidArgumentError("levels", level, "community, street or county")
    return chosen


def grid_indicators(
    units: Iterable[CommunityUnits],
    *,
    on: pendulum.Date | str,
    norm: HouseholdsNorm | None = None,
    events: Iterable[WorkflowRecord] = (),
    workflow: GridEventWorkflow | None = None,
    register: FloatingRegister | None = None,
    levels: Iterable[str] = ("community", "street", "county"),
) -> list[ProcessIndicator]:
    """The grid indicators (§3.5) per community, street and county, as process rows.

    Args:
        units: every community's :class:`~sqfw.entities.CommunityUnits`.
        on: the day grid workers' assignments and residents' presence are read for.
        norm: the host's households norm; without it ``grid.households_within_norm`` is
            not counted at all (never "met" by default).
        events: grid-event records; counted when handled (on the spot, or their ticket
            done), by the community of their grid.
        workflow: the grid-event workflow the records belong to (needed with ``events``).
        register: the floating-population register; residents present on ``on`` that
            name their building, out of all present, per community.
        levels: the levels to count at (``"community"``, ``"street"``, ``"county"``).

    Returns:
        Rows of :data:`GRID_INDICATORS` ids: a share (numerator over denominator) at each
        place and level, sorted by id, level and place.

    Raises:
        InvalidArgumentError: an argument of the wrong kind, ``events`` without a
            ``workflow``, an unknown level.

    .. versionadded:: 0.1.0
    """
    units = expect_items("units", units, CommunityUnits)
    records = expect_items("events", events, WorkflowRecord)
    chosen = _levels(levels)
    day = as_date(on)
    if norm is not None:
        expect("norm", norm, HouseholdsNorm)
    if records and workflow is None:
        raise InvalidArgumentError("workflow", None, "the GridEventWorkflow of the events")
    if workflow is not None:
        expect("workflow", workflow, GridEventWorkflow)
    if register is not None:
        expect("register", register, FloatingRegister)

    by_community: dict[str, dict[str, list[int]]] = {ident: {} for ident in GRID_INDICATORS}
    for community in units:
        code = community.community_code
        for grid in community.grids:
            _add(by_community["grid.with_worker"], code, int(bool(grid.workers_on(day))), 1)
            if norm is not None:
                result = grid_households(grid, norm=norm, on=day)
                if result.status is not Status.UNKNOWN:
                    _add(
                        by_community["grid.households_within_norm"],
                        code,
                        int(result.passed),
                        1,
                    )
    if workflow is not None:
        for record in records:
            facts = workflow.facts(record)
            within = facts.within_limits()
            if within is not None and facts.community_code is not None:
                _add(by_community["grid_event.within_limits"], facts.community_code, within, 1)
    if register is not None:
        present = register.counts(day)
        named: dict[str, int] = {}
        for building, count in register.by_building(day).items():
            named[building[:12]] = named.get(building[:12], 0) + count
        for code, total in present.items():
            _add(by_community["floating.with_building"], code, named.get(code, 0), total)

    rows: list[ProcessIndicator] = []
    for ident, counts in by_community.items():
        zh, en = GRID_INDICATORS[ident]
        for level in chosen:
            table: dict[str, list[int]] = {}
            for code, (top, bottom) in counts.items():
                _add(table, _place(code, level), top, bottom)
            rows.extend(_rows(ident, table, level, zh, en, _CLAUSES, True))
    return rows
