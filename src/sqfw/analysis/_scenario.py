"""What-if scenarios: parameter overrides plus data interventions, compared with a baseline.

A :class:`Scenario` is a name, a set of parameter overrides (a stricter norm, a local
standard) and a sequence of interventions on the data (:class:`BuildFacilityArea`,
:class:`RegisterVolunteers`, :class:`ConvertToDirectElection`, :class:`EquipStreetHalls`).
:meth:`Scenario.run` applies it and assesses the result; :func:`compare` says which
targets and which communities change, where, and at what cost; :func:`project` applies the
interventions once a year (2016→2020) and gives the year each target is first met.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, Protocol

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw._extras import require
from sqfw.analysis._assessment import assess, choose_plan
from sqfw.analysis._dataset import COMMUNITY_KINDS, RegionDataset
from sqfw.analysis._engine import STATUSES, RuleParameters, evaluate
from sqfw.analysis._result import Assessment, Attainment, TargetResult
from sqfw.calculators import FACILITY_AREA, NORMS, PLAN_TARGET_DATE, Rounding, Status
from sqfw.calculators.model import as_ratio
from sqfw.entities import CommunityKind, DivisionKind
from sqfw.entities.divisions import contains
from sqfw.errors import InvalidArgumentError, NotInForceError
from sqfw.periods import as_date
from sqfw.standards import Plan, Standards, Unit, default_standards, plan_standards

__all__ = [
    "BuildFacilityArea",
    "CommunityChange",
    "Comparison",
    "ConvertToDirectElection",
    "Effect",
    "EquipStreetHalls",
    "Intervention",
    "PlanComparison",
    "Projection",
    "RegisterVolunteers",
    "Scenario",
    "ScenarioRun",
    "TargetChange",
    "compare",
    "compare_plans",
    "project",
]


@attrs.frozen(kw_only=True)
class Effect:
    """What an intervention did: where, to whom, and how much.

    Attributes:
        intervention: a description of the intervention.
        unit: the unit of the amounts (m², persons, committees, streets).
        total: the total amount.
        by_county: the amount per banner/county code.
        changed: the codes changed (communities, or streets for halls).
        intervention_zh: the description in Chinese (``""``: none given).
    """

    intervention: str
    unit: Unit
    total: Decimal | int
    by_county: Mapping[str, Decimal | int]
    changed: tuple[str, ...]
    intervention_zh: str = ""

    def label(self, lang: str) -> str:
        """The intervention's description in ``lang`` (English when none in Chinese)."""
        return self.intervention_zh if lang == "zh" and self.intervention_zh else self.intervention

    def __repr__(self) -> str:
        from sqfw.formatting import amount

        return (
            f"<Effect {self.intervention}: {amount(self.total, self.unit)}, "
            f"{len(self.changed):,} changed in {len(self.by_county):,} banners/counties>"
        )


class Intervention(Protocol):
    """A change to the data: returns the changed dataset and what it did."""

    def apply(
        self, dataset: RegionDataset, params: RuleParameters
    ) -> tuple[RegionDataset, Effect]: ...  # pragma: no cover - protocol


def _float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _in_places(code: str, places: tuple[str, ...]) -> bool:
    return not places or any(contains(place, code) for place in places)


def _county_code(dataset: RegionDataset, index: int) -> str:
    return dataset.counties[dataset.township_county[dataset.communities.township[index]]].code


def _to_places(value: Iterable[str] | None) -> tuple[str, ...]:
    return () if value is None else expect_items("places", value, str)


def _ratio(value: Fraction | Decimal | int | float | str) -> Fraction:
    found = as_ratio(value, "rate")
    if found is None:
        raise InvalidArgumentError("rate", value, "a ratio such as Fraction(1, 10) or '10%'")
    return found


_M2 = "square metres: a finite number of at least 0, or None"


def _optional_m2(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidArgumentError("m2", value, _M2)
    try:
        found = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except ArithmeticError:  # decimal.InvalidOperation: text that is no number
        raise InvalidArgumentError("m2", value, _M2) from None
    if not found.is_finite() or found < 0:
        raise InvalidArgumentError("m2", value, _M2)
    return found


def _count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a whole number of at least 0 (``None`` where the field allows it)."""
    if value is None and attribute.default is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            f"{type(instance).__name__}.{attribute.name}", value, "a whole number of at least 0"
        )


def _order(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ("largest", "code") or type(value) is not str:
        raise InvalidArgumentError("ConvertToDirectElection.order", value, "'largest' or 'code'")


def _interventions(value: Iterable[Intervention]) -> tuple[Intervention, ...]:
    expected = "an iterable of interventions (each with an apply method)"
    found = expect_items("interventions", value, object)
    for item in found:
        if not callable(getattr(item, "apply", None)):
            raise InvalidArgumentError("interventions", item, expected)
    return found


def _norms_in_force(standards: Standards, on: pendulum.Date) -> list[str]:
    """The per-community norms whose parameters are all in force on ``on``."""
    found = []
    for item in NORMS:
        try:
            item.read(standards, on)
        except NotInForceError:
            continue
        found.append(item.id)
    return found


@attrs.frozen(kw_only=True)
class BuildFacilityArea:
    """Build comprehensive-facility floor area in the communities that fall short (§2.1).

    Args:
        m2: square metres to build in each short community; ``None`` builds exactly each
            one's shortfall.
        places: only communities in these leagues/banners (codes); default everywhere.
        barrier_free: whether what is built meets the barrier-free standard (§2.4); a
            community that had no facility gets one.
    """

    m2: Decimal | None = attrs.field(default=None, converter=_optional_m2)
    places: tuple[str, ...] = attrs.field(default=(), converter=_to_places)
    barrier_free: bool = True

    def __str__(self) -> str:
        amount = "shortfall" if self.m2 is None else f"{self.m2} m²"
        return f"build {amount} where the facility area is short"

    def label_zh(self) -> str:
        """The intervention in Chinese."""
        amount = "差额面积" if self.m2 is None else f"各 {self.m2} 平方米"
        return f"面积不足的社区补建{amount}"

    def apply(self, dataset: RegionDataset, params: RuleParameters) -> tuple[RegionDataset, Effect]:
        """Add area to every community whose facility area fails.

        Under a plan without the per-community minimum (§2.1), nothing is built.
        """
        if FACILITY_AREA.id not in params.norms:
            return dataset, Effect(
                intervention=f"{self} (no per-community minimum in force)",
                intervention_zh=f"{self.label_zh()}(未执行社区面积下限,未建设)",
                unit=Unit.M2,
                total=Decimal(0),
                by_county={},
                changed=(),
            )
        run = evaluate(dataset, params, norms=[FACILITY_AREA.id])[FACILITY_AREA.id]
        c = dataset.communities
        area = array("d", c.area)
        facilities = array(c.facilities.typecode, c.facilities)
        yes = array(c.barrier_free_yes.typecode, c.barrier_free_yes)
        changed: list[str] = []
        by_county: dict[str, Decimal] = {}
        fail = STATUSES.index(Status.FAIL)
        for i, status in enumerate(run.status):
            if status != fail or not _in_places(c.code[i], self.places):
                continue
            short = FACILITY_AREA.figures(run.row(i), run.params)[2]
            assert isinstance(short, Decimal)
            built = short if self.m2 is None else self.m2
            if built <= 0:
                continue
            new_area = Decimal(repr(area[i])) + built
            area[i] = float(new_area)
            if facilities[i] == 0:
                facilities[i] = 1
                yes[i] = 1 if self.barrier_free else 0
            changed.append(c.code[i])
            county = _county_code(dataset, i)
            by_county[county] = by_county.get(county, Decimal(0)) + built
        columns = c.copy(area=area, facilities=facilities, barrier_free_yes=yes)
        total = sum(by_county.values(), Decimal(0))
        return dataset.evolve(communities=columns), Effect(
            intervention=str(self),
            intervention_zh=self.label_zh(),
            unit=Unit.M2,
            total=total,
            by_county=by_county,
            changed=tuple(changed),
        )


@attrs.frozen(kw_only=True)
class RegisterVolunteers:
    """Register a share more volunteers in every community with a known count (§5.11).

    Args:
        rate: the growth, e.g. ``Fraction(1, 10)`` or ``"10%"`` for 10% more; the new
            count is rounded down to whole people.
        places: only communities in these leagues/banners (codes).
    """

    rate: Fraction = attrs.field(converter=_ratio)
    places: tuple[str, ...] = attrs.field(default=(), converter=_to_places)

    def __str__(self) -> str:
        return f"register {float(self.rate) * 100:g}% more volunteers"

    def label_zh(self) -> str:
        """The intervention in Chinese."""
        return f"注册志愿者增加 {float(self.rate) * 100:g}%"

    def apply(self, dataset: RegionDataset, params: RuleParameters) -> tuple[RegionDataset, Effect]:
        """Grow every known volunteer count by the rate."""
        del params
        c = dataset.communities
        volunteers = array("d", c.volunteers)
        factor = 1 + self.rate
        changed: list[str] = []
        by_county: dict[str, int] = {}
        for i, v in enumerate(volunteers):
            if math.isnan(v) or not _in_places(c.code[i], self.places):
                continue
            grown = math.floor(int(v) * factor)
            added = grown - int(v)
            if added <= 0:
                continue
            volunteers[i] = float(grown)
            changed.append(c.code[i])
            county = _county_code(dataset, i)
            by_county[county] = by_county.get(county, 0) + added
        return dataset.evolve(communities=c.copy(volunteers=volunteers)), Effect(
            intervention=str(self),
            intervention_zh=self.label_zh(),
            unit=Unit.COUNT,
            total=sum(by_county.values()),
            by_county=by_county,
            changed=tuple(changed),
        )


@attrs.frozen(kw_only=True)
class ConvertToDirectElection:
    """Hold the next election of ``count`` residents' committees by direct election (§1.4).

    Args:
        count: how many committees to convert.
        order: ``"largest"`` converts the committees of the most populous communities
            first; ``"code"`` goes by community code.
        places: only communities in these leagues/banners (codes).
    """

    count: int = attrs.field(validator=_count)
    order: Literal["largest", "code"] = attrs.field(default="largest", validator=_order)
    places: tuple[str, ...] = attrs.field(default=(), converter=_to_places)

    def __str__(self) -> str:
        return f"convert {self.count} committees to direct election ({self.order} first)"

    def label_zh(self) -> str:
        """The intervention in Chinese."""
        first = "人口最多的社区优先" if self.order == "largest" else "按社区代码"
        return f"{self.count} 个居委会改为直接选举({first})"

    def apply(self, dataset: RegionDataset, params: RuleParameters) -> tuple[RegionDataset, Effect]:
        """Switch the chosen committees to direct election."""
        del params
        c = dataset.communities
        urban = COMMUNITY_KINDS.index(CommunityKind.URBAN)
        candidates = [
            i
            for i in range(len(c))
            if c.kind[i] == urban and c.direct[i] == 0 and _in_places(c.code[i], self.places)
        ]
        if self.order == "largest":
            candidates.sort(
                key=lambda i: (-(0 if math.isnan(c.residents[i]) else c.residents[i]), c.code[i])
            )
        else:
            candidates.sort(key=lambda i: c.code[i])
        chosen = candidates[: max(self.count, 0)]
        direct = array("b", c.direct)
        by_county: dict[str, int] = {}
        for i in chosen:
            direct[i] = 1
            county = _county_code(dataset, i)
            by_county[county] = by_county.get(county, 0) + 1
        return dataset.evolve(communities=c.copy(direct=direct)), Effect(
            intervention=str(self),
            intervention_zh=self.label_zh(),
            unit=Unit.COUNT,
            total=len(chosen),
            by_county=by_county,
            changed=tuple(sorted(c.code[i] for i in chosen)),
        )


@attrs.frozen(kw_only=True)
class EquipStreetHalls:
    """Open a public service hall in streets without one (§2.10, §2.11).

    Args:
        count: how many streets (by code); ``None`` for every street without a hall.
        places: only streets in these leagues/banners (codes).
    """

    count: int | None = attrs.field(default=None, validator=_count)
    places: tuple[str, ...] = attrs.field(default=(), converter=_to_places)

    def __str__(self) -> str:
        return f"open a public service hall in {self.count or 'every'} street(s) without one"

    def label_zh(self) -> str:
        """The intervention in Chinese."""
        streets = f"{self.count} 个" if self.count else "所有"
        return f"在{streets}没有公共服务大厅的街道建设大厅"

    def apply(self, dataset: RegionDataset, params: RuleParameters) -> tuple[RegionDataset, Effect]:
        """Set ``public_service_hall`` on the chosen streets."""
        del params
        townships = list(dataset.townships)
        chosen = [
            i
            for i, t in enumerate(townships)
            if t.kind is DivisionKind.STREET
            and t.public_service_hall is not True
            and _in_places(t.code, self.places)
        ]
        chosen = chosen if self.count is None else chosen[: self.count]
        by_county: dict[str, int] = {}
        for i in chosen:
            townships[i] = attrs.evolve(townships[i], public_service_hall=True)
            county = dataset.counties[dataset.township_county[i]].code
            by_county[county] = by_county.get(county, 0) + 1
        return dataset.evolve(townships=tuple(townships)), Effect(
            intervention=str(self),
            intervention_zh=self.label_zh(),
            unit=Unit.COUNT,
            total=len(chosen),
            by_county=by_county,
            changed=tuple(townships[i].code for i in chosen),
        )


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
