"""What-if scenarios: parameter overrides plus data interventions, compared with a baseline.

A :class:`Scenario` is a name, a set of parameter overrides (a stricter norm, a local
standard) and a sequence of interventions on the data (see ``_interventions``).
:meth:`Scenario.run` applies it and assesses the result; :func:`compare` says which
targets and which communities change, where, and at what cost. Year-by-year projections
and plan comparisons are in ``_projection``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs
import pendulum

from sqfw._args import expect
from sqfw._extras import require
from sqfw.analysis._assessment import assess
from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._engine import STATUSES, RuleParameters
from sqfw.analysis._interventions import (
    Effect,
    Intervention,
    _float,
    _interventions,
    _norms_in_force,
)
from sqfw.analysis._result import Assessment, Attainment, TargetResult
from sqfw.calculators import NORMS, PLAN_TARGET_DATE, Rounding, Status
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.standards import Standards, Unit, default_standards

__all__ = [
    "CommunityChange",
    "Comparison",
    "Scenario",
    "ScenarioRun",
    "TargetChange",
    "compare",
]


@attrs.frozen(kw_only=True)
class Scenario:
    """A named set of parameter overrides and data interventions.

    Args:
        name: what the scenario is called.
        overrides: parameter overrides, as for :meth:`~sqfw.standards.Standards.with_overrides`.
        interventions: data interventions, applied in order.
        description: a sentence for reports.

    Example:
        >>> from sqfw.analysis import BuildFacilityArea, Scenario
        >>> s = Scenario(name="build", interventions=[BuildFacilityArea()])
        >>> s.name
        'build'
    """

    name: str
    overrides: Mapping[str, object] = attrs.field(factory=dict)
    interventions: tuple[Intervention, ...] = attrs.field(default=(), converter=_interventions)
    description: str = ""

    def standards(self, base: Standards | None = None) -> Standards:
        """The standards of the scenario: ``base`` with its overrides."""
        std = base if base is not None else default_standards()
        if not self.overrides:
            return std
        return std.with_overrides(self.overrides, source=f"scenario {self.name!r}")

    def apply(
        self,
        dataset: RegionDataset,
        *,
        on: pendulum.Date | str | None = None,
        standards: Standards | None = None,
        rounding: Rounding | str = Rounding.PRO_RATA,
    ) -> tuple[RegionDataset, Standards, tuple[Effect, ...]]:
        """Apply the overrides and interventions (interventions see the new norms)."""
        day = PLAN_TARGET_DATE if on is None else as_date(on)
        std = self.standards(standards)
        params = RuleParameters.read(std, day, Rounding(rounding), norms=_norms_in_force(std, day))
        effects = []
        for intervention in self.interventions:
            dataset, effect = intervention.apply(dataset, params)
            effects.append(effect)
        return dataset, std, tuple(effects)

    def run(
        self,
        dataset: RegionDataset,
        *,
        on: pendulum.Date | str | None = None,
        standards: Standards | None = None,
        rounding: Rounding | str = Rounding.PRO_RATA,
    ) -> ScenarioRun:
        """Apply the scenario and assess the result."""
        changed, std, effects = self.apply(dataset, on=on, standards=standards, rounding=rounding)
        result = assess(changed, on=on, standards=std, rounding=rounding)
        return ScenarioRun(scenario=self, assessment=result, effects=effects)


@attrs.frozen(kw_only=True)
class ScenarioRun:
    """A scenario applied and assessed.

    Attributes:
        scenario: the :class:`Scenario`.
        assessment: the :class:`Assessment` of the changed data under its standards.
        effects: what each intervention did.
    """

    scenario: Scenario
    assessment: Assessment
    effects: tuple[Effect, ...]

    def __repr__(self) -> str:
        done = "; ".join(e.intervention for e in self.effects) or "no intervention"
        return f"<ScenarioRun {self.scenario.name!r:.60}: {done[:300]}; {self.assessment!r}>"


@attrs.frozen(kw_only=True)
class TargetChange:
    """A target whose attainment or gap changes at a place.

    Attributes:
        target: the target's id.
        place: the place's code.
        place_name: the place's name.
        before: the attainment before.
        after: the attainment after.
        gap_before: the gap before.
        gap_after: the gap after.
        label_zh: the target's Chinese label.
        label_en: the target's English label.
        gap_unit: what the gap counts (``None``: not said).
    """

    target: str
    place: str
    place_name: str
    before: Attainment
    after: Attainment
    gap_before: Decimal | int | None
    gap_after: Decimal | int | None
    label_zh: str = ""
    label_en: str = ""
    gap_unit: Unit | None = None

    def label(self, lang: str) -> str:
        """The target's label in ``lang`` (its id when none was given)."""
        return (self.label_zh if lang == "zh" else self.label_en) or self.target


@attrs.frozen(kw_only=True)
class CommunityChange:
    """A community whose status under a norm changes."""

    code: str
    name: str
    norm: str
    before: Status
    after: Status


@attrs.frozen(kw_only=True)
class Comparison:
    """What a scenario changes compared with the baseline.

    Attributes:
        name: the scenario's name.
        targets: targets whose attainment or gap changed, at every place.
        communities: per-community norms whose status changed.
        effects: the interventions' effects (the cost, per banner/county).
    """

    name: str
    targets: tuple[TargetChange, ...]
    communities: tuple[CommunityChange, ...]
    effects: tuple[Effect, ...]

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.name!r:.60}: {len(self.targets):,} target changes, "
            f"{len(self.communities):,} community changes, {len(self.effects)} interventions>"
        )

    def table(self, *, lang: Literal["zh", "en"] = "zh") -> Any:
        """The targets that change, as a pandas DataFrame (needs ``sqfw[analysis]``).

        One row per target and place: ``target`` (id), ``label``, ``place`` (code),
        ``place_name``, ``before`` and ``after`` (attainment labels in ``lang``),
        ``gap_before`` and ``gap_after`` (floats) and ``gap_unit`` (the unit's value).

        .. versionadded:: 0.1.0
        """
        pd = require("pandas")
        return pd.DataFrame(
            [
                {
                    "target": t.target,
                    "label": t.label(lang),
                    "place": t.place,
                    "place_name": t.place_name,
                    "before": t.before.label(lang),
                    "after": t.after.label(lang),
                    "gap_before": _float(t.gap_before),
                    "gap_after": _float(t.gap_after),
                    "gap_unit": t.gap_unit.value if t.gap_unit is not None else None,
                }
                for t in self.targets
            ],
            columns=[
                "target",
                "label",
                "place",
                "place_name",
                "before",
                "after",
                "gap_before",
                "gap_after",
                "gap_unit",
            ],
        )

    def changed_codes(self, norm: str | None = None) -> set[str]:
        """Codes of the communities whose status changed (under ``norm``, or any)."""
        return {c.code for c in self.communities if norm is None or c.norm == norm}

    def to_text(self, *, lang: Literal["zh", "en"] = "zh", top: int = 10) -> str:
        """A short report: the cost, the region's targets that change, places changed."""
        from sqfw._terminal import fit_table
        from sqfw.formatting import amount

        zh = lang == "zh"
        lines = [f"{'情景' if zh else 'Scenario'}: {self.name}"]
        for e in self.effects:
            changed = f"{len(e.changed):,}"
            lines.append(
                f"- {e.label(lang)}: {amount(e.total, e.unit)}; "
                + (f"涉及 {changed} 处" if zh else f"{changed} places changed")
            )

        def gap(value: Decimal | int | None, unit: Unit | None) -> str:
            if unit is None:  # a change made without its unit: the figure alone
                return "—" if value is None else f"{value:,}"
            return amount(value, unit)

        rows = [
            [
                t.label(lang),
                t.place_name,
                t.before.label(lang),
                t.after.label(lang),
                gap(t.gap_before, t.gap_unit),
                gap(t.gap_after, t.gap_unit),
            ]
            for t in self.targets[: top * 3]
        ]
        header = (
            ["目标", "地区", "之前", "之后", "差距(前)", "差距(后)"]
            if zh
            else ["target", "place", "before", "after", "gap before", "gap after"]
        )
        lines.append(fit_table(header, rows, right=(4, 5)))
        counts: dict[str, int] = {}
        for change in self.communities:
            counts[change.norm] = counts.get(change.norm, 0) + 1
        names = {n.id: (n.label_zh if zh else n.label_en) for n in NORMS}
        lines.append(
            ("社区状态变化:" if zh else "communities changed: ")
            + (("、" if zh else ", ").join(f"{names.get(k, k)} {v:,}" for k, v in counts.items()))
            + ("" if counts else "0")
        )
        return "\n".join(lines) + "\n"


def compare(baseline: Assessment, scenario: ScenarioRun | Assessment) -> Comparison:
    """Which targets and which communities change from the baseline to the scenario.

    Both assessments must cover the same communities in the same order (a scenario
    changes figures, never the list of communities).

    Raises:
        InvalidArgumentError: the assessments cover different communities, or an argument
            is not an assessment.
    """
    expect("baseline", baseline, Assessment)
    expect("scenario", scenario, (ScenarioRun, Assessment))
    if isinstance(scenario, ScenarioRun):
        after, effects, name = scenario.assessment, scenario.effects, scenario.scenario.name
    else:
        after, effects, name = scenario, (), "scenario"
    if baseline.dataset.communities.code != after.dataset.communities.code:
        raise InvalidArgumentError(
            "scenario", name, "an assessment of the baseline's communities, in its order"
        )
    before_targets: dict[tuple[str, str], TargetResult] = {
        (t.target.id, t.place.code): t for t in baseline.targets
    }
    changes = []
    for t in after.targets:
        b = before_targets.get((t.target.id, t.place.code))
        if b is None or (b.attainment, b.gap) == (t.attainment, t.gap):
            continue
        changes.append(
            TargetChange(
                target=t.target.id,
                place=t.place.code,
                place_name=t.place.name,
                before=b.attainment,
                after=t.attainment,
                gap_before=b.gap,
                gap_after=t.gap,
                label_zh=t.target.label_zh,
                label_en=t.target.label_en,
                gap_unit=t.target.gap_unit,
            )
        )
    communities = []
    codes = after.dataset.communities.code
    names = after.dataset.communities.name
    for norm, run in after.runs.items():
        old = baseline.runs[norm].status
        for i, (x, y) in enumerate(zip(old, run.status, strict=True)):
            if x != y:
                communities.append(
                    CommunityChange(
                        code=codes[i],
                        name=names[i],
                        norm=norm,
                        before=STATUSES[int(x)],
                        after=STATUSES[int(y)],
                    )
                )
    return Comparison(
        name=name, targets=tuple(changes), communities=tuple(communities), effects=effects
    )
