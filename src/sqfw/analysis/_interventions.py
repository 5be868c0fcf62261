"""Interventions on a region's data for what-if scenarios: what each changes and costs.

:class:`BuildFacilityArea`, :class:`RegisterVolunteers`, :class:`ConvertToDirectElection`
and :class:`EquipStreetHalls` each change the communities (or townships) of a dataset
and say what that took (:class:`Effect`); :class:`~sqfw.analysis.Scenario` applies them.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, Protocol

import attrs
import pendulum

from sqfw._args import expect_items
from sqfw.analysis._dataset import COMMUNITY_KINDS, RegionDataset
from sqfw.analysis._engine import STATUSES, RuleParameters, evaluate
from sqfw.calculators import FACILITY_AREA, NORMS, Status
from sqfw.calculators.model import as_ratio
from sqfw.entities import CommunityKind, DivisionKind
from sqfw.entities.divisions import contains
from sqfw.errors import InvalidArgumentError, NotInForceError
from sqfw.standards import Standards, Unit

__all__ = [
    "BuildFacilityArea",
    "ConvertToDirectElection",
    "Effect",
    "EquipStreetHalls",
    "Intervention",
    "RegisterVolunteers",
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
