"""Projections year by year (:func:`project`: the year each target is first met) and the
same region under two plans (:func:`compare_plans`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw._extras import require
from sqfw.analysis._assessment import assess, choose_plan
from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._engine import RuleParameters
from sqfw.analysis._interventions import (
    Effect,
    _float,
)
from sqfw.analysis._result import Assessment, Attainment, TargetResult
from sqfw.analysis._scenario import (
    Scenario,
)
from sqfw.calculators import Rounding
from sqfw.standards import Plan, Standards, plan_standards

__all__ = [
    "PlanComparison",
    "Projection",
    "compare_plans",
    "project",
]


@attrs.frozen(kw_only=True)
class Projection:
    """Targets year by year, each year judged by the plan in force that year.

    Attributes:
        years: the years assessed (each on 31 December).
        plans: for each year, the id of the plan it was judged by.
        targets: for each year, the region's target results.
        effects: for each year, what the interventions did that year.
    """

    years: tuple[int, ...]
    plans: tuple[str, ...]
    targets: tuple[tuple[TargetResult, ...], ...]
    effects: tuple[tuple[Effect, ...], ...]

    def attainment(self, target_id: str, year: int) -> Attainment | None:
        """A target's attainment in a year (``None``: not a target of that year's plan)."""
        row = self.targets[self.years.index(year)]
        return next((t.attainment for t in row if t.target.id == target_id), None)

    def year_met(self, target_id: str) -> int | None:
        """The first year the target is met (``None``: not within the years)."""
        for year in self.years:
            if self.attainment(target_id, year) is Attainment.MET:
                return year
        return None

    def __repr__(self) -> str:
        years = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
        met = ", ".join(
            f"{year} {sum(t.attainment is Attainment.MET for t in row)}/{len(row)}"
            for year, row in list(zip(self.years, self.targets, strict=True))[:20]
        )
        plans = "/".join(dict.fromkeys(self.plans))
        return f"<Projection {years} ({plans}): targets met {met}>"

    def table(self, *, lang: Literal["zh", "en"] | None = None) -> Any:
        """The attainment of each target year by year, as a pandas DataFrame.

        Needs pandas (the ``sqfw[analysis]`` extra). One row per target (the index, named
        ``target``, holds its id), one column per year; a cell is the attainment's value
        (``"met"``, ``"not_met"`` …) or, with ``lang``, its label in that language, and
        ``None`` in years whose plan lacks the target.

        .. versionchanged:: 0.1.0
           A DataFrame of plain values (it was a dict of dicts of :class:`Attainment`).
        """
        pd = require("pandas")
        ids = dict.fromkeys(t.target.id for row in self.targets for t in row)

        def shown(state: Attainment | None) -> str | None:
            if state is None:
                return None
            return state.value if lang is None else state.label(lang)

        cells = {year: [shown(self.attainment(i, year)) for i in ids] for year in self.years}
        return pd.DataFrame(cells, index=pd.Index(list(ids), name="target"), dtype=object)


def project(
    dataset: RegionDataset | Mapping[int, RegionDataset],
    scenario: Scenario | None = None,
    *,
    years: Sequence[int] | range = range(2016, 2021),
    plan: Plan | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
    progress: Callable[[int, int], None] | None = None,
) -> Projection:
    """Project the targets over the years: the first year is the data as it is.

    Either give yearly snapshots (a mapping year → dataset, each assessed on 31 December
    of its year), or one dataset and a scenario whose interventions are applied once a
    year after the first (e.g. 10% more volunteers a year). Each year is judged by the
    plan in force on its 31 December for the region (2016–2020 the 13th plan, 2021–2025 the
    national 14th plan for Inner Mongolia), unless ``plan`` fixes one.

    Args:
        dataset: the first year's data, or yearly snapshots.
        scenario: the yearly interventions and overrides (for a single dataset).
        years: the years (default 2016–2020, the 13th plan's period).
        plan: one plan for every year (default: the plan in force each year).
        standards: the base standards (default: each year's plan's); the scenario's
            overrides go on top.
        rounding: the §2.1 option.
        progress: called with (years done, years in all).

    Returns:
        A :class:`Projection`.

    Raises:
        PlanNotFound: a year in which no plan is in force for the region.
    """
    if isinstance(dataset, Mapping):
        expect_items("dataset", dataset.values(), RegionDataset)
    else:
        expect("dataset", dataset, RegionDataset)
    year_list = tuple(sorted(dataset)) if isinstance(dataset, Mapping) else tuple(years)
    rows: list[tuple[TargetResult, ...]] = []
    effects: list[tuple[Effect, ...]] = []
    used: list[str] = []
    current = None if isinstance(dataset, Mapping) else dataset
    for step, year in enumerate(year_list):
        on = pendulum.Date(year, 12, 31)
        data = dataset[year] if isinstance(dataset, Mapping) else current
        assert data is not None
        chosen, _ = choose_plan(plan, on, data.root.code)
        base = standards if standards is not None else plan_standards(chosen)
        std = scenario.standards(base) if scenario is not None else base
        done: tuple[Effect, ...] = ()
        if not isinstance(dataset, Mapping) and step > 0 and scenario is not None:
            params = RuleParameters.read(std, on, Rounding(rounding), norms=chosen.norms)
            applied = []
            for intervention in scenario.interventions:
                data, effect = intervention.apply(data, params)
                applied.append(effect)
            done = tuple(applied)
            current = data
        result = assess(data, on=on, plan=chosen, standards=std, rounding=rounding)
        rows.append(result.targets_at())
        effects.append(done)
        used.append(chosen.id)
        if progress is not None:
            progress(step + 1, len(year_list))
    return Projection(
        years=year_list, plans=tuple(used), targets=tuple(rows), effects=tuple(effects)
    )


@attrs.frozen(kw_only=True)
class PlanComparison:
    """One region under several plans, side by side.

    Attributes:
        assessments: the region assessed under each plan (in the order given).
    """

    assessments: tuple[Assessment, ...]

    def __repr__(self) -> str:
        inner = ", ".join(repr(a) for a in self.assessments[:6])
        more = f", … {len(self.assessments) - 6} more" if len(self.assessments) > 6 else ""
        return f"<PlanComparison of {len(self.assessments)} plans: {inner}{more}>"

    def table(self, *, lang: Literal["zh", "en"] = "zh") -> Any:
        """Each plan's region targets side by side, as a pandas DataFrame.

        Needs pandas (the ``sqfw[analysis]`` extra). One row per plan and target:
        ``plan`` (id), ``on``, ``target`` (id), ``label``, ``attainment`` (label in
        ``lang``), ``gap`` (float), ``gap_label`` (what the gap counts) and ``gap_unit``.

        .. versionadded:: 0.1.0
        """
        pd = require("pandas")
        rows = [
            {
                "plan": a.plan.id,
                "on": str(a.on),
                "target": t.target.id,
                "label": t.target.label_zh if lang == "zh" else t.target.label_en,
                "attainment": t.attainment.label(lang),
                "gap": _float(t.gap),
                "gap_label": t.target.gap_zh if lang == "zh" else t.target.gap_en,
                "gap_unit": t.target.gap_unit.value,
            }
            for a in self.assessments
            for t in a.targets_at()
        ]
        return pd.DataFrame(rows)

    def gaps(self) -> dict[str, list[tuple[TargetResult, str]]]:
        """Plan id → each region target with what its gap counts (``"m²"``, a label)."""
        return {a.plan.id: [(t, t.target.gap_en) for t in a.targets_at()] for a in self.assessments}

    def totals(self) -> dict[str, dict[str, Decimal | int]]:
        """Plan id → what is still to do, summed by what it counts (m², workers …)."""
        out: dict[str, dict[str, Decimal | int]] = {}
        for a in self.assessments:
            sums: dict[str, Decimal | int] = {}
            for t in a.targets_at():
                if t.gap is None or t.attainment is Attainment.NOT_SUPPLIED:
                    continue
                label = t.target.gap_en
                sums[label] = sums.get(label, 0) + t.gap
            out[a.plan.id] = sums
        return out

    def to_text(self, *, lang: Literal["zh", "en"] = "zh") -> str:
        """Each plan's region targets with their state and gap, one block per plan."""
        from sqfw.formatting import amount

        zh = lang == "zh"
        lines: list[str] = []
        for a in self.assessments:
            p = a.plan
            lines.append(f"{p.label_zh if zh else p.label_en} ({p.id}, {a.on})")
            for t in a.targets_at():
                label = t.target.label_zh if zh else t.target.label_en
                gap_label = t.target.gap_zh if zh else t.target.gap_en
                lines.append(
                    f"- {label}: {t.attainment.label(lang)}; {gap_label} "
                    f"{amount(t.gap, t.target.gap_unit)}"
                )
        return "\n".join(lines) + "\n"


def compare_plans(
    data: RegionDataset,
    plans: Sequence[Plan | str] = ("im-13th", "cn-14th"),
    *,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> PlanComparison:
    """One region under several plans, each judged at the end of its period.

    What the national 14th plan asks beyond the 13th, for the same communities: the
    area still to build (per community under the 13th plan, as a region figure under the
    14th), the communities still to equip, the workers still to recruit.

    Raises:
        PlanNotFound: an unknown plan.
    """
    expect("data", data, RegionDataset)
    chosen = expect_items("plans", plans, Plan | str)
    return PlanComparison(
        assessments=tuple(assess(data, plan=p, rounding=rounding) for p in chosen)
    )
