"""Assess a region against every norm and target of the plan on a date.

:func:`assess` evaluates the per-community norms over columns (:mod:`._engine`), sums
them by banner/county, league/city and region (:mod:`._rollup`), and decides every target
of the plan at each of those places: its attainment (met / not met / unknown), its
citation, and the gap still to close in the target's own unit.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TextIO

import attrs
import pendulum

from sqfw.analysis._dataset import COMMUNITY_KINDS, RegionDataset, SkippedRow
from sqfw.analysis._engine import (
    RULES,
    STATUSES,
    RuleColumns,
    RuleParameters,
    evaluate,
    have_numpy,
)
from sqfw.analysis._rollup import rollup
from sqfw.calculators import PLAN_TARGET_DATE, Result, Rounding, Status, assess_community
from sqfw.entities import CommunityKind, DivisionLevel, Region
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date
from sqfw.standards import ParameterValue, Standards, Unit, default_standards

__all__ = [
    "INDICATORS",
    "TARGETS",
    "Assessment",
    "Attainment",
    "CommunityFinding",
    "IndicatorDef",
    "IndicatorValue",
    "Place",
    "TargetDef",
    "TargetResult",
    "assess",
]

Progress = Callable[[str, int, int], None]
"""A progress callback: (stage, done, total)."""


class Attainment(LabeledEnum):
    """Whether a target of the plan is attained at a place."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    __labels__ = {
        "met": ("已达成", "met"),
        "not_met": ("未达成", "not met"),
        "unknown": ("无法判断", "unknown"),
        "not_applicable": ("不适用", "not applicable"),
    }


@attrs.frozen(kw_only=True)
class Place:
    """A place the assessment reports on: the region, a league/city or a banner/county.

    Attributes:
        level: its :class:`~sqfw.entities.DivisionLevel`.
        code: its 12-digit code.
        name: its name.
        parent_code: the code of the league/city it belongs to (counties only).
    """

    level: DivisionLevel
    code: str
    name: str
    parent_code: str | None = None


@attrs.frozen(kw_only=True)
class IndicatorDef:
    """An indicator: a numerator over a denominator, with its clause and labels."""

    id: str
    clauses: tuple[str, ...]
    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        id="facility_area.compliance",
        clauses=("§2.1", "§2.12", "§2.13"),
        key="facility_area",
        label_zh="综合服务设施面积达标率",
        label_en="facility area compliance",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="office_share.compliance",
        clauses=("§2.14",),
        key="office_share",
        label_zh="办公面积占比达标率",
        label_en="office share compliance",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="barrier_free.compliance",
        clauses=("§2.4",),
        key="barrier_free",
        label_zh="无障碍达标率",
        label_en="barrier-free compliance",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="volunteer_ratio.compliance",
        clauses=("§5.11",),
        key="volunteer_ratio",
        label_zh="志愿者注册比例达标社区比例",
        label_en="communities meeting the volunteer share",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="volunteers.share",
        clauses=("§5.11",),
        key="volunteers",
        label_zh="注册志愿者占常住人口比例",
        label_en="registered volunteers / residents",
        unit_zh="人",
        unit_en="persons",
    ),
    IndicatorDef(
        id="facility.coverage",
        clauses=("§2.11",),
        key="coverage",
        label_zh="城镇社区综合服务设施覆盖率",
        label_en="urban facility coverage",
        unit_zh="个城镇社区",
        unit_en="urban communities",
    ),
    IndicatorDef(
        id="street_hall.coverage",
        clauses=("§2.10", "§2.11"),
        key="hall",
        label_zh="街道公共服务大厅覆盖率",
        label_en="street public service hall coverage",
        unit_zh="个街道",
        unit_en="streets",
    ),
    IndicatorDef(
        id="smart.infrastructure",
        clauses=("§3.11",),
        key="smart_infrastructure",
        label_zh="智慧社区基础设施覆盖率",
        label_en="smart-community infrastructure",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="smart.platform_sharing",
        clauses=("§3.11",),
        key="smart_sharing",
        label_zh="平台资源共享社区比例",
        label_en="communities sharing through the platform",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="smart.online_convenience",
        clauses=("§3.11",),
        key="smart_online",
        label_zh="网上便民服务社区比例",
        label_en="communities with online convenience services",
        unit_zh="个社区",
        unit_en="communities",
    ),
    IndicatorDef(
        id="direct_election.ratio",
        clauses=("§1.2", "§1.4"),
        key="direct",
        label_zh="居委会直选比例",
        label_en="direct-election ratio of residents' committees",
        unit_zh="个居委会",
        unit_en="residents' committees",
    ),
    IndicatorDef(
        id="workforce.associate_share",
        clauses=("§5.3",),
        key="workers",
        label_zh="大专以上工作人员占比",
        label_en="workers with an associate degree or above",
        unit_zh="人",
        unit_en="workers",
    ),
    IndicatorDef(
        id="workforce.pay_share",
        clauses=("§5.2",),
        key="pay",
        label_zh="报酬达标旗县市区比例",
        label_en="banners/counties meeting the pay documents",
        unit_zh="个旗县市区",
        unit_en="banners/counties",
    ),
)

_RULE_KEYS = frozenset(RULES)

Kind = Literal["every", "at_least", "above_baseline"]


@attrs.frozen(kw_only=True)
class TargetDef:
    """A target of the plan: what is counted, against which parameter, in which unit.

    Attributes:
        id: the target's id.
        clauses: the clause ids.
        label_zh: Chinese label.
        label_en: English label.
        kind: ``"every"`` (every community meets a norm), ``"at_least"`` (a share reaches
            a parameter), ``"above_baseline"`` (a share is higher than an earlier figure).
        indicator: the indicator it reads.
        parameters: the parameters that define it.
        gap_unit: the unit of the gap.
        gap_zh: what the gap counts, in Chinese.
        gap_en: what the gap counts, in English.
        baseline: for ``above_baseline``, the :class:`Baselines` attribute.
        places: the levels the target is decided at.
    """

    id: str
    clauses: tuple[str, ...]
    label_zh: str
    label_en: str
    kind: Kind
    indicator: str
    parameters: tuple[str, ...]
    gap_unit: Unit
    gap_zh: str
    gap_en: str
    baseline: str | None = None
    places: tuple[DivisionLevel, ...] = (
        DivisionLevel.REGION,
        DivisionLevel.PREFECTURE,
        DivisionLevel.COUNTY,
    )


_REGION_ONLY = (DivisionLevel.REGION,)

TARGETS: tuple[TargetDef, ...] = (
    TargetDef(
        id="facility_area",
        clauses=("§2.1", "§2.12", "§2.13"),
        label_zh="社区综合服务设施面积全部达标",
        label_en="every community's facility meets its minimum area",
        kind="every",
        indicator="facility_area.compliance",
        parameters=(
            "facility.area.per_100_households",
            "facility.area.total_min",
            "facility.area.new_or_renovated_min",
            "facility.area.township_min",
            "facility.area.village_min",
        ),
        gap_unit=Unit.M2,
        gap_zh="待建面积",
        gap_en="area still to build",
    ),
    TargetDef(
        id="office_share",
        clauses=("§2.14",),
        label_zh="办公面积不超过总面积的规定比例",
        label_en="office area within its maximum share",
        kind="every",
        indicator="office_share.compliance",
        parameters=("facility.office.max_share",),
        gap_unit=Unit.M2,
        gap_zh="须调整为服务用房的办公面积",
        gap_en="office area to give over to services",
    ),
    TargetDef(
        id="barrier_free",
        clauses=("§2.4",),
        label_zh="服务设施均符合无障碍标准",
        label_en="every facility barrier-free",
        kind="every",
        indicator="barrier_free.compliance",
        parameters=("facility.barrier_free.required",),
        gap_unit=Unit.COUNT,
        gap_zh="待改造设施(处)",
        gap_en="facilities still to adapt",
    ),
    TargetDef(
        id="volunteers",
        clauses=("§5.11",),
        label_zh="注册志愿者达到常住人口的规定比例",
        label_en="registered volunteers at least the required share of residents",
        kind="at_least",
        indicator="volunteers.share",
        parameters=("workforce.volunteers.registered_share.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待注册志愿者(人)",
        gap_en="volunteers still to register",
    ),
    TargetDef(
        id="facility_coverage",
        clauses=("§2.11",),
        label_zh="城镇社区服务设施覆盖率继续提高",
        label_en="urban facility coverage keeps rising",
        kind="above_baseline",
        indicator="facility.coverage",
        parameters=("facility.coverage.must_rise",),
        gap_unit=Unit.COUNT,
        gap_zh="待建设施的城镇社区(个)",
        gap_en="urban communities still to equip",
        baseline="urban_facility_coverage_previous",
        places=_REGION_ONLY,
    ),
    TargetDef(
        id="street_hall",
        clauses=("§2.10", "§2.11"),
        label_zh="街道公共服务场所基本全覆盖",
        label_en="street public service halls basically everywhere",
        kind="at_least",
        indicator="street_hall.coverage",
        parameters=("facility.coverage.street_hall.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待建大厅的街道(个)",
        gap_en="streets still to equip",
    ),
    TargetDef(
        id="smart_infrastructure",
        clauses=("§3.11",),
        label_zh="智慧社区基础设施覆盖",
        label_en="smart-community infrastructure",
        kind="at_least",
        indicator="smart.infrastructure",
        parameters=("informatization.smart.infrastructure.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待建设的社区(个)",
        gap_en="communities still to connect",
    ),
    TargetDef(
        id="smart_platform_sharing",
        clauses=("§3.11",),
        label_zh="平台资源共享、协同工作基本全覆盖",
        label_en="platform sharing basically everywhere",
        kind="at_least",
        indicator="smart.platform_sharing",
        parameters=("informatization.smart.platform_sharing.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待接入的社区(个)",
        gap_en="communities still to connect",
    ),
    TargetDef(
        id="smart_online_convenience",
        clauses=("§3.11",),
        label_zh="网上便民服务基本全覆盖",
        label_en="online convenience services basically everywhere",
        kind="at_least",
        indicator="smart.online_convenience",
        parameters=("informatization.smart.online_convenience.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待接入的社区(个)",
        gap_en="communities still to connect",
    ),
    TargetDef(
        id="direct_election",
        clauses=("§1.2", "§1.4"),
        label_zh="第十届居委会直选比例高于上一届",
        label_en="10th-term direct-election ratio above the previous term's",
        kind="above_baseline",
        indicator="direct_election.ratio",
        parameters=("governance.direct_election.must_rise",),
        gap_unit=Unit.COUNT,
        gap_zh="须改为直选的居委会(个)",
        gap_en="committees still to convert to direct election",
        baseline="previous_direct_election_ratio",
        places=_REGION_ONLY,
    ),
    TargetDef(
        id="associate_share",
        clauses=("§5.3",),
        label_zh="大专以上工作人员占比较十二五提升",
        label_en="share of workers with an associate degree above the 12th plan's",
        kind="above_baseline",
        indicator="workforce.associate_share",
        parameters=("workforce.education.associate_share.must_rise",),
        gap_unit=Unit.COUNT,
        gap_zh="还需的大专以上工作人员(人)",
        gap_en="further workers with an associate degree needed",
        baseline="associate_share_12th_plan",
        places=_REGION_ONLY,
    ),
    TargetDef(
        id="pay_compliance",
        clauses=("§5.2",),
        label_zh="报酬达标的旗县市区达到规定比例",
        label_en="enough banners/counties meet the pay documents",
        kind="at_least",
        indicator="workforce.pay_share",
        parameters=("workforce.pay.county_share.at_least",),
        gap_unit=Unit.COUNT,
        gap_zh="待达标的旗县市区(个)",
        gap_en="banners/counties still to meet the pay rules",
        places=(DivisionLevel.REGION, DivisionLevel.PREFECTURE),
    ),
)


@attrs.frozen(kw_only=True)
class IndicatorValue:
    """An indicator at a place: numerator, denominator and how many were unknown.

    Attributes:
        indicator: the :class:`IndicatorDef`.
        place: the :class:`Place`.
        numerator: what counts (communities passing, volunteers, streets with a hall …).
        denominator: out of how many (known cases only).
        unknown: cases left out because a figure was unknown.
    """

    indicator: IndicatorDef
    place: Place
    numerator: int
    denominator: int
    unknown: int

    @property
    def value(self) -> Fraction | None:
        """The exact ratio, ``None`` for an empty denominator."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None


@attrs.frozen(kw_only=True)
class TargetResult:
    """A target at a place: attainment, figures, citation and the gap to close.

    Attributes:
        target: the :class:`TargetDef`.
        place: the :class:`Place`.
        attainment: :class:`Attainment`.
        measured: the measured share (or, for ``every`` targets, the compliance rate).
        required: the required share (``None`` for ``every`` targets and unknown baselines).
        gap: what is still to do, in ``target.gap_unit`` (``None`` when it cannot be said).
        parameters: every parameter read, with its period and citation.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
    """

    target: TargetDef
    place: Place
    attainment: Attainment
    measured: Fraction | None
    required: Fraction | None
    gap: Decimal | int | None
    parameters: tuple[ParameterValue, ...]
    explanation_zh: str
    explanation_en: str

    @property
    def citation(self) -> str:
        """The citations of the parameters read, one per line."""
        return "\n".join(str(p.citation) for p in self.parameters)

    def explanation(self, lang: str = "zh") -> str:
        """The explanation in ``lang``."""
        return self.explanation_zh if lang == "zh" else self.explanation_en


@attrs.frozen(kw_only=True)
class CommunityFinding:
    """One per-community norm for one community, read from the columns.

    For the calculator's full explained result (every parameter, finding and
    assumption), call :meth:`Assessment.explain` with the code.

    Attributes:
        code: community code.
        name: community name.
        county_code: its banner/county.
        prefecture_code: its league/city.
        norm: the calculator's name (``"facility_area"`` …).
        clauses: the clause ids applied.
        status: the :class:`~sqfw.calculators.Status`.
        measured: the measured figure (m², share, count), ``None`` when unknown.
        required: the required figure.
        shortfall: the shortfall in ``shortfall_unit``.
        unit: the unit of measured and required.
        shortfall_unit: the unit of the shortfall.
    """

    code: str
    name: str
    county_code: str
    prefecture_code: str
    norm: str
    clauses: tuple[str, ...]
    status: Status
    measured: Decimal | Fraction | int | None
    required: Decimal | Fraction | int | None
    shortfall: Decimal | Fraction | int | None
    unit: Unit
    shortfall_unit: Unit

    def explanation(self, lang: str = "zh") -> str:
        """A one-line explanation in ``lang``."""
        from sqfw.analysis._text import finding_line

        return finding_line(self, lang)


_UNITS = {
    "facility_area": (Unit.M2, Unit.M2),
    "office_share": (Unit.RATIO, Unit.M2),
    "barrier_free": (Unit.COUNT, Unit.COUNT),
    "volunteer_ratio": (Unit.RATIO, Unit.COUNT),
}
_KIND_CLAUSE = {
    CommunityKind.URBAN: ("§2.1",),
    CommunityKind.TOWNSHIP_SEAT: ("§2.1", "§2.12"),
    CommunityKind.URBAN_VILLAGE: ("§2.1", "§2.12"),
    CommunityKind.SUBURBAN_VILLAGE: ("§2.1", "§2.12"),
    CommunityKind.CENTRAL_VILLAGE: ("§2.1", "§2.13"),
    CommunityKind.RURAL_VILLAGE: ("§2.1", "§2.13"),
    CommunityKind.PASTORAL: ("§2.1", "§2.13"),
}
_RULE_CLAUSES = {
    "office_share": ("§2.14",),
    "barrier_free": ("§2.4",),
    "volunteer_ratio": ("§5.11",),
}


@functools.lru_cache(maxsize=4096)  # a norm's required share is the same on every row
def _ratio(value: float) -> Fraction:
    """A share computed in floating point, as the simplest fraction within 10⁻⁶ steps."""
    return Fraction(value).limit_denominator(10**6)


def tidy(value: Decimal) -> Decimal:
    """A decimal without trailing zeros and without an exponent (``12670``, not ``1.267E+4``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _m2(value: float) -> Decimal | None:
    if math.isnan(value):
        return None
    return tidy(Decimal(repr(value)).quantize(Decimal("0.01")))


def _count(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _gap_number(value: float, unit: Unit) -> Decimal | int:
    if unit is Unit.M2:
        return tidy(Decimal(repr(round(value, 2))))
    return round(value)


@attrs.frozen(kw_only=True, eq=False)
class Assessment:
    """The outcome of :func:`assess`: findings, indicators, targets and gaps.

    Attributes:
        dataset: the region assessed.
        on: the evaluation date.
        standards: the standards in force (with their overrides).
        parameters: the per-community rules' parameters as read on ``on``.
        rules: the per-community rule columns, by norm name.
        places: the region, its leagues/cities and its banners/counties.
        indicators: every indicator at every place.
        targets: every target at every place it is decided at.
        fast_path: ``"numpy"`` or ``"python"``.
    """

    dataset: RegionDataset
    on: pendulum.Date
    standards: Standards
    parameters: RuleParameters
    rules: dict[str, RuleColumns]
    places: tuple[Place, ...]
    indicators: tuple[IndicatorValue, ...]
    targets: tuple[TargetResult, ...]
    fast_path: str

    @property
    def skipped(self) -> tuple[SkippedRow, ...]:
        """Rows the loader skipped (never silently lost)."""
        return self.dataset.skipped

    @property
    def region(self) -> Place:
        """The region as a :class:`Place`."""
        return self.places[0]

    # -- lookups ---------------------------------------------------------------------------

    def place(self, code: str) -> Place:
        """The place with this code.

        Raises:
            KeyError: no such place.
        """
        for place in self.places:
            if place.code == code:
                return place
        raise KeyError(code)

    def target(self, target_id: str, place: str | None = None) -> TargetResult:
        """A target at a place (default: the region).

        Raises:
            KeyError: unknown target or place.
        """
        code = place or self.region.code
        for result in self.targets:
            if result.target.id == target_id and result.place.code == code:
                return result
        raise KeyError((target_id, code))

    def targets_at(self, level: DivisionLevel = DivisionLevel.REGION) -> tuple[TargetResult, ...]:
        """Every target decided at places of ``level``."""
        return tuple(t for t in self.targets if t.place.level is level)

    def indicator(self, indicator_id: str, place: str | None = None) -> IndicatorValue:
        """An indicator at a place (default: the region).

        Raises:
            KeyError: unknown indicator or place.
        """
        code = place or self.region.code
        for value in self.indicators:
            if value.indicator.id == indicator_id and value.place.code == code:
                return value
        raise KeyError((indicator_id, code))

    def indicators_at(
        self, level: DivisionLevel = DivisionLevel.REGION
    ) -> tuple[IndicatorValue, ...]:
        """Every indicator at places of ``level``."""
        return tuple(v for v in self.indicators if v.place.level is level)

    def gaps(
        self, target_id: str, level: DivisionLevel = DivisionLevel.COUNTY
    ) -> tuple[TargetResult, ...]:
        """A target's results at places of ``level``, largest gap first (unknown gaps last).

        Ties are broken by the place code, so the ranking is stable.
        """
        rows = [t for t in self.targets if t.target.id == target_id and t.place.level is level]
        return tuple(
            sorted(
                rows,
                key=lambda t: (t.gap is None, -(t.gap or 0), t.place.code),
            )
        )

    def status_counts(self, norm: str) -> dict[Status, int]:
        """How many communities have each status for a per-community norm."""
        counts = dict.fromkeys(STATUSES, 0)
        for code in self.rules[norm].status:
            counts[STATUSES[code]] += 1
        return counts

    # -- findings --------------------------------------------------------------------------

    def finding(self, index: int, norm: str) -> CommunityFinding:
        """The finding of ``norm`` for the community at row ``index``."""
        d = self.dataset
        c = d.communities
        columns = self.rules[norm]
        township = d.townships[c.township[index]]
        county = d.counties[d.township_county[c.township[index]]]
        prefecture = d.prefectures[d.county_prefecture[d.township_county[c.township[index]]]]
        unit, shortfall_unit = _UNITS[norm]
        clauses = (
            _KIND_CLAUSE[COMMUNITY_KINDS[c.kind[index]]]
            if norm == "facility_area"
            else _RULE_CLAUSES[norm]
        )
        if norm == "facility_area" and c.new_or_renovated[index]:
            clauses = tuple(dict.fromkeys((*clauses, "§2.1")))
        del township
        return CommunityFinding(
            code=c.code[index],
            name=c.name[index],
            county_code=county.code,
            prefecture_code=prefecture.code,
            norm=norm,
            clauses=clauses,
            status=STATUSES[columns.status[index]],
            measured=self._measured(index, norm, columns.measured[index], unit),
            required=self._figure(columns.required[index], unit),
            shortfall=self._figure(columns.shortfall[index], shortfall_unit),
            unit=unit,
            shortfall_unit=shortfall_unit,
        )

    def _measured(
        self, index: int, norm: str, value: float, unit: Unit
    ) -> Decimal | Fraction | int | None:
        """The measured figure; shares exactly from the figures they divide."""
        if math.isnan(value):
            return None
        c = self.dataset.communities
        if norm == "volunteer_ratio":
            return Fraction(int(c.volunteers[index]), int(c.residents[index]))
        if norm == "office_share":
            office, area = _m2(c.office[index]), _m2(c.area[index])
            if office is not None and area:
                return Fraction(office) / Fraction(area)
        return self._figure(value, unit)

    def _figure(self, value: float, unit: Unit) -> Decimal | Fraction | int | None:
        if math.isnan(value):
            return None
        if unit is Unit.RATIO:
            return _ratio(value)
        if unit is Unit.COUNT:
            return int(value)
        return _m2(value)

    def findings(
        self,
        *,
        norm: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        place: str | None = None,
    ) -> Iterator[CommunityFinding]:
        """Per-community findings, in row order, built as they are read.

        Args:
            norm: only this norm (``"facility_area"`` …).
            status: only these statuses (``"fail"``, ``[Status.FAIL, Status.UNKNOWN]``).
            place: only communities in this league/city or banner/county (code).
        """
        norms = (norm,) if norm else RULES
        wanted: set[int] | None = None
        if status is not None:
            statuses = [status] if isinstance(status, str | Status) else list(status)
            wanted = {STATUSES.index(Status(s)) for s in statuses}
        prefix = self._prefix(place) if place else None
        codes = self.dataset.communities.code
        for index in range(len(codes)):
            if prefix is not None and not codes[index].startswith(prefix):
                continue
            for name in norms:
                if wanted is not None and self.rules[name].status[index] not in wanted:
                    continue
                yield self.finding(index, name)

    def _prefix(self, code: str) -> str:
        level = self.place(code).level
        keep = {DivisionLevel.REGION: 2, DivisionLevel.PREFECTURE: 4, DivisionLevel.COUNTY: 6}
        return code[: keep[level]]

    def explain(self, community_code: str) -> tuple[Result, ...]:
        """The calculators' full results for one community (every parameter and finding).

        Raises:
            KeyError: no community with this code.
        """
        try:
            index = self.dataset.communities.code.index(community_code)
        except ValueError:
            raise KeyError(community_code) from None
        return assess_community(
            self.dataset.community(index),
            on=self.on,
            standards=self.standards,
            rounding=self.parameters.rounding,
        )

    # -- views -----------------------------------------------------------------------------

    def to_dict(self, *, findings: Literal["all", "failing", "none"] = "all") -> dict[str, Any]:
        """Everything as plain JSON-ready data (see ``docs/analysis.md`` for the shape).

        Args:
            findings: every per-community finding, only those not passing (fail or
                unknown), or none.
        """
        from sqfw.analysis._views import assessment_dict

        return assessment_dict(self, findings=findings)

    def to_json(
        self, *, findings: Literal["all", "failing", "none"] = "all", indent: int | None = 2
    ) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, Chinese kept as is)."""
        import json

        return json.dumps(self.to_dict(findings=findings), ensure_ascii=False, indent=indent)

    def write_json(
        self,
        target: str | os.PathLike[str] | TextIO,
        *,
        findings: Literal["all", "failing", "none"] = "all",
        indent: int | None = 2,
    ) -> None:
        """Write :meth:`to_json`'s object to a file or stream without holding it in memory.

        The findings are written one per line as they are built, so a national assessment
        (millions of findings) is written in little memory. ``json.load`` of the output
        gives the same data as ``json.loads(to_json())``.

        Args:
            target: a path (written as UTF-8) or an open text stream.
            findings: as for :meth:`to_dict`.
            indent: indentation of everything but the findings (``None``: compact).
        """
        from sqfw.analysis._views import write_assessment_json

        if isinstance(target, str | os.PathLike):
            with open(target, "w", encoding="utf-8") as stream:
                write_assessment_json(self, stream, findings=findings, indent=indent)
        else:
            write_assessment_json(self, target, findings=findings, indent=indent)

    def to_text(
        self,
        *,
        lang: Literal["zh", "en"] = "zh",
        format: Literal["table", "markdown"] = "table",
        top: int = 10,
    ) -> str:
        """A report: targets, indicators by league, the largest gaps by banner.

        Args:
            lang: ``"zh"`` or ``"en"``.
            format: a terminal table or Markdown.
            top: how many places to list per gap.
        """
        from sqfw.analysis._text import report

        return report(self, lang=lang, markdown=format == "markdown", top=top)

    def to_markdown(self, *, lang: Literal["zh", "en"] = "zh", top: int = 10) -> str:
        """The report as Markdown."""
        return self.to_text(lang=lang, format="markdown", top=top)

    def to_html(self, *, lang: Literal["zh", "en"] = "zh", top: int = 10) -> str:
        """The report as a standalone HTML fragment (tables, no scripts)."""
        from sqfw.analysis._text import html_report

        return html_report(self, lang=lang, top=top)

    def _repr_html_(self) -> str:
        return self.to_html(lang="zh")

    def __repr__(self) -> str:
        met = sum(1 for t in self.targets_at() if t.attainment is Attainment.MET)
        return (
            f"<Assessment {self.region.name} on {self.on}: {len(self.dataset)} communities, "
            f"{met}/{len(self.targets_at())} targets met>"
        )

    def to_frame(self, table: str = "targets", **options: Any) -> Any:
        """A pandas DataFrame of ``"targets"``, ``"indicators"``, ``"findings"`` or ``"gaps"``.

        Needs the ``sqfw[analysis]`` extra.

        Args:
            table: which table.
            **options: for ``"gaps"``: ``target=`` and ``level=``; for ``"findings"``:
                the filters of :meth:`findings`; ``lang=`` for labels.
        """
        from sqfw.analysis._frames import frame

        return frame(self, table, **options)

    def plot_attainment(self, ax: Any = None, *, lang: Literal["zh", "en"] = "en") -> Any:
        """Bar chart: targets met by league/city (needs ``sqfw[analysis]``)."""
        from sqfw.analysis._charts import attainment_by_league

        return attainment_by_league(self, ax=ax, lang=lang)

    def plot_area_per_household(self, ax: Any = None, *, lang: Literal["zh", "en"] = "en") -> Any:
        """Histogram: facility area per household against the norm (needs the extra)."""
        from sqfw.analysis._charts import area_per_household

        return area_per_household(self, ax=ax, lang=lang)

    def plot_gap(
        self,
        target: str = "facility_area",
        ax: Any = None,
        *,
        top: int = 15,
        lang: Literal["zh", "en"] = "en",
    ) -> Any:
        """Bar chart: a target's gap by banner/county, largest first (needs the extra)."""
        from sqfw.analysis._charts import gap_by_banner

        return gap_by_banner(self, target, ax=ax, top=top, lang=lang)


# -- deciding targets -----------------------------------------------------------------------


def _needed(threshold: Fraction, total: int, *, strict: bool) -> int:
    if strict:
        return math.floor(threshold * total) + 1
    return math.ceil(threshold * total)


def _indicator_counts(key: str, sums: dict[str, float]) -> tuple[int, int, int]:
    if key in _RULE_KEYS:
        passed = sums[f"{key}.pass"]
        failed = sums[f"{key}.fail"]
        unknown = sums[f"{key}.unknown"]
        return round(passed), round(passed + failed + unknown), round(unknown)
    yes = sums[f"{key}.yes"]
    total = sums[f"{key}.total"]
    unknown = sums[f"{key}.unknown"]
    if key in ("hall", "pay") or key.startswith("smart_"):
        # unknown answers are members of the whole whose answer is missing
        return round(yes), round(total), round(unknown)
    return round(yes), round(total), round(unknown)


def _decide(
    target: TargetDef,
    place: Place,
    sums: dict[str, float],
    assessment_on: pendulum.Date,
    standards: Standards,
    dataset: RegionDataset,
) -> TargetResult:
    from sqfw.analysis._text import target_lines

    looked = tuple(standards.lookup(p, assessment_on) for p in target.parameters)
    indicator = next(i for i in INDICATORS if i.id == target.indicator)
    yes, total, unknown = _indicator_counts(indicator.key, sums)
    measured = Fraction(yes, total) if total else None
    required: Fraction | None = None
    gap: Decimal | int | None = None
    if target.kind == "every":
        key = indicator.key
        failed = round(sums[f"{key}.fail"])
        gap = _gap_number(sums[f"{key}.shortfall"], target.gap_unit)
        flag = looked[0].value if isinstance(looked[0].value, bool) else True
        if not flag or total == 0:
            attainment = Attainment.NOT_APPLICABLE
            gap = None
        elif failed:
            attainment = Attainment.NOT_MET
        elif unknown:
            attainment = Attainment.UNKNOWN
        else:
            attainment = Attainment.MET
        required = Fraction(1) if attainment is not Attainment.NOT_APPLICABLE else None
    elif target.kind == "at_least":
        value = looked[0].value
        assert isinstance(value, Fraction)
        required = value
        if indicator.key == "volunteers":
            total_known = total
            if total_known == 0:
                attainment = Attainment.UNKNOWN
            else:
                need = _needed(value, total_known, strict=False)
                gap = max(need - yes, 0)
                attainment = Attainment.MET if yes >= need else Attainment.NOT_MET
        elif total == 0:
            attainment = Attainment.NOT_APPLICABLE
        else:
            # unknown members bounded both ways, as the calculators do
            need = _needed(value, total, strict=False)
            gap = max(need - yes, 0)
            if yes >= need:
                attainment = Attainment.MET
            elif yes + unknown < need:
                attainment = Attainment.NOT_MET
            else:
                attainment = Attainment.UNKNOWN
    else:
        baseline = getattr(dataset.baselines, target.baseline or "")
        rising = looked[0].value
        required = baseline
        if not rising:
            attainment = Attainment.NOT_APPLICABLE
        elif baseline is None or total == 0:
            attainment = Attainment.UNKNOWN
        else:
            need = _needed(baseline, total, strict=True)
            gap = max(need - yes, 0)
            attainment = (
                Attainment.MET
                if measured is not None and measured > baseline
                else Attainment.NOT_MET
            )
    zh, en = target_lines(target, attainment, measured, required, gap, yes, total, unknown)
    return TargetResult(
        target=target,
        place=place,
        attainment=attainment,
        measured=measured,
        required=required,
        gap=gap,
        parameters=looked,
        explanation_zh=zh,
        explanation_en=en,
    )


def _places(dataset: RegionDataset) -> tuple[Place, ...]:
    root = dataset.root
    region = Place(level=DivisionLevel.REGION, code=root.code, name=root.name)
    prefectures = tuple(
        Place(level=DivisionLevel.PREFECTURE, code=p.code, name=p.name) for p in dataset.prefectures
    )
    counties = tuple(
        Place(
            level=DivisionLevel.COUNTY,
            code=c.code,
            name=c.name,
            parent_code=dataset.prefectures[p].code,
        )
        for c, p in zip(dataset.counties, dataset.county_prefecture, strict=True)
    )
    return (region, *prefectures, *counties)


def assess(
    data: RegionDataset | Region,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
    use_numpy: bool | None = None,
    progress: Progress | None = None,
) -> Assessment:
    """Assess a region against every per-community norm and every target of the plan.

    Args:
        data: a :class:`RegionDataset` (from a loader or :func:`sample_region`) or a
            :class:`~sqfw.entities.Region`.
        on: the evaluation date (default 2020-12-31, the plan's "到2020年").
        standards: the standards in force, with any overrides (default: bundled).
        rounding: the §2.1 per-100-households option.
        use_numpy: force the NumPy (``True``) or pure-Python (``False``) path; by default
            NumPy when installed. Both give the same results.
        progress: called with (stage, done, total) as the stages finish.

    Returns:
        An :class:`Assessment`.

    Raises:
        NotInForceError: a parameter has no value on ``on`` (e.g. a date after 2020).

    Example:
        >>> from sqfw.analysis import assess, sample_region
        >>> result = assess(sample_region(seed=1))
        >>> result.target("volunteers").attainment.value in {"met", "not_met", "unknown"}
        True
    """
    dataset = data if isinstance(data, RegionDataset) else RegionDataset.from_region(data)
    day = PLAN_TARGET_DATE if on is None else as_date(on)
    std = standards if standards is not None else default_standards()
    params = RuleParameters.read(std, day, Rounding(rounding))
    numpy_path = have_numpy() if use_numpy is None else use_numpy
    stages = 3

    def report(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, stages)

    rules = evaluate(dataset, params, use_numpy=numpy_path)
    report("norms", 1)
    by_county, by_prefecture, region_sums = rollup(dataset, rules, use_numpy=numpy_path)
    report("rollup", 2)
    places = _places(dataset)
    n_pref = len(dataset.prefectures)

    def sums_of(index: int) -> dict[str, float]:
        if index == 0:
            return region_sums
        if index <= n_pref:
            return {k: v[index - 1] for k, v in by_prefecture.items()}
        return {k: v[index - 1 - n_pref] for k, v in by_county.items()}

    indicators: list[IndicatorValue] = []
    targets: list[TargetResult] = []
    for index, place in enumerate(places):
        sums = sums_of(index)
        for definition in INDICATORS:
            yes, total, unknown = _indicator_counts(definition.key, sums)
            indicators.append(
                IndicatorValue(
                    indicator=definition,
                    place=place,
                    numerator=yes,
                    denominator=total,
                    unknown=unknown,
                )
            )
        for target in TARGETS:
            if place.level in target.places:
                targets.append(_decide(target, place, sums, day, std, dataset))
    report("targets", 3)
    return Assessment(
        dataset=dataset,
        on=day,
        standards=std,
        parameters=params,
        rules=rules,
        places=places,
        indicators=tuple(indicators),
        targets=tuple(targets),
        fast_path="numpy" if numpy_path else "python",
    )
