"""The region indicators, declared once: what each one counts, over columns.

A :class:`RegionRule` is the single definition of a region indicator, as a
:class:`~sqfw.calculators.Norm` is of a per-community norm. Its **kernel** maps the rows of
one level — communities, townships (for street halls) or banners/counties (for workers and
pay) — to each row's part in the count: ``yes``, ``total`` and ``unknown``, over an array
namespace. The same kernel runs

* in the region assessment, on the dataset's columns, summed per county, league and region
  by :mod:`sqfw.analysis._rollup`;
* in the region calculators (:func:`~sqfw.calculators.direct_election_ratio`,
  :func:`~sqfw.calculators.facility_coverage` …), on the columns read from their entities by
  the same readers (:func:`~sqfw.calculators._columns.community_values`,
  :func:`township_columns`, :func:`county_columns`), summed, and decided by the same
  :class:`~sqfw.calculators._kinds.TargetKind`; their findings are the kernel's rows.

So an indicator counts the same members the same way wherever it is asked.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import pendulum

from sqfw._args import expect_items
from sqfw.calculators import _arrays
from sqfw.calculators._columns import COMMUNITY_KINDS, UNKNOWN_FLAG
from sqfw.calculators._count import Count, Unknowns
from sqfw.calculators._result import Finding, Status
from sqfw.entities import CommunityKind, Division, DivisionKind
from sqfw.errors import InvalidArgumentError, NotFoundError
from sqfw.labels import LabeledEnum
from sqfw.standards import ParameterValue, Standards

__all__ = [
    "COUNTY_COLUMNS",
    "REGION_RULES",
    "TOWNSHIP_COLUMNS",
    "Level",
    "RegionRule",
    "Tally",
    "county_columns",
    "has_facility",
    "region_rule",
    "row_findings",
    "township_columns",
    "urban_residents",
]


class Level(LabeledEnum):
    """The rows a region rule counts over."""

    COMMUNITY = "community"
    TOWNSHIP = "township"
    COUNTY = "county"

    __labels__ = {
        "community": ("社区", "community"),
        "township": ("苏木乡镇街道", "sumu/township/street"),
        "county": ("旗县市区", "banner/county"),
    }


class Tally(NamedTuple):
    """Each row's part in a count (arrays of one namespace, one value per row)."""

    yes: Any
    total: Any
    unknown: Any

    def summed(self) -> Count:
        """The rows summed (pure Python, exact for whole counts)."""
        yes = math.fsum(float(v) for v in self.yes)
        return Count(
            yes=int(yes) if yes.is_integer() else yes,
            total=round(math.fsum(float(v) for v in self.total)),
            unknown=round(math.fsum(float(v) for v in self.unknown)),
        )

    def answer(self, index: int) -> bool | None:
        """Row ``index``'s answer: yes, no, unknown (``None``); rows not counted raise."""
        if float(self.unknown[index]):
            return None
        if not float(self.total[index]):
            raise LookupError(f"row {index} is not counted")
        return bool(float(self.yes[index]))

    def counted(self, index: int) -> bool:
        """Whether row ``index`` takes part in the count (counted, or unknown)."""
        return bool(float(self.total[index]) or float(self.unknown[index]))


Kernel = Callable[[Any, Mapping[str, Any], Mapping[str, Any]], Tally]
"""``kernel(xp, columns, values)``: the rows' parts; ``values`` are the rule's parameters by
id (numbers as the standards give them)."""


@attrs.frozen(kw_only=True, eq=False)
class RegionRule:
    """A region indicator of the plan, declared once.

    Attributes:
        id: the rule's id (an indicator's ``key`` in ``targets.toml``).
        label_zh: Chinese label.
        label_en: English label.
        unit_zh: what it counts, in Chinese.
        unit_en: what it counts, in English.
        level: the rows it counts over.
        reads: the columns its kernel reads.
        kernel: the rule, over an array namespace.
        unknowns: how its unknown cases stand to the count
            (:data:`~sqfw.calculators._count.Unknowns`).
        parameters: the parameters its kernel reads (their citations are its clauses).

    .. versionadded:: 0.1.0
    """

    id: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    level: Level
    reads: tuple[str, ...]
    kernel: Kernel
    unknowns: Unknowns = "within"
    parameters: tuple[str, ...] = ()

    def lookups(self, standards: Standards, on: pendulum.Date) -> tuple[ParameterValue, ...]:
        """The parameters the kernel reads, looked up on ``on``."""
        return tuple(standards.lookup(pid, on) for pid in self.parameters)

    def values(self, standards: Standards, on: pendulum.Date) -> dict[str, Any]:
        """The kernel's parameter values by id."""
        return {p.id: p.value for p in self.lookups(standards, on)}

    def clauses(self, standards: Standards, on: pendulum.Date) -> tuple[str, ...]:
        """The clauses its parameters cite on ``on``."""
        return tuple(dict.fromkeys(p.citation.clause for p in self.lookups(standards, on)))

    def tally(self, xp: Any, columns: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
        """Each row's part (``columns``: arrays of namespace ``xp`` of this rule's level)."""
        return self.kernel(xp, columns, values)

    def run(self, columns: Mapping[str, Sequence[Any]], values: Mapping[str, Any]) -> Tally:
        """The kernel on plain columns (pure Python): what the region calculators run."""
        arrays = {name: _arrays.PyArray(list(columns[name])) for name in self.reads}
        return self.tally(_arrays, arrays, values)


# -- the columns of townships and counties, read from entities --------------------------------

TOWNSHIP_COLUMNS: tuple[str, ...] = ("street", "hall")
"""A township's columns: it is a street (1/0); it has a public service hall (1/0/-1)."""

COUNTY_COLUMNS: tuple[str, ...] = (
    "pay",
    "workers",
    "workers_associate",
    "urban_residents",
    "urban_residents_unknown",
)
"""A banner/county's columns: it meets the pay documents (1/0/-1); its professional
community workers and of them with an associate degree or above (``NaN`` unknown); the
resident population of its urban communities whose population is known, and the number of
its urban communities whose population is not."""


def _flag(value: bool | None) -> int:
    return UNKNOWN_FLAG if value is None else int(value)


def township_columns(townships: Sequence[Division]) -> dict[str, list[Any]]:
    """The :data:`TOWNSHIP_COLUMNS` of ``townships`` (the one reading of a township).

    Raises:
        InvalidArgumentError: ``townships`` is not a sequence of divisions.
    """
    townships = expect_items("townships", townships, Division)
    return {
        "street": [int(d.kind is DivisionKind.STREET) for d in townships],
        "hall": [_flag(d.public_service_hall) for d in townships],
    }


def county_columns(
    counties: Sequence[Division],
    *,
    workers: Sequence[float] | None = None,
    associate: Sequence[float] | None = None,
    urban: Sequence[float] | None = None,
    urban_unknown: Sequence[float] | None = None,
) -> dict[str, list[Any]]:
    """The :data:`COUNTY_COLUMNS` of ``counties`` (the one reading of a county's pay).

    Figures not given are unknown (``NaN``; no urban residents).

    Raises:
        InvalidArgumentError: ``counties`` is not a sequence of divisions, or a column of
            figures is not one number per county.
    """
    counties = expect_items("counties", counties, Division)
    n = len(counties)
    given = {
        "workers": workers,
        "associate": associate,
        "urban": urban,
        "urban_unknown": urban_unknown,
    }
    for argument, figures in given.items():
        if figures is None:
            continue
        items = expect_items(argument, figures, float | int)
        if len(items) != n or any(isinstance(v, bool) for v in items):
            raise InvalidArgumentError(argument, figures, f"{n} numbers, one per county")
    return {
        "pay": [_flag(d.meets_pay_requirements) for d in counties],
        "workers": list(workers) if workers is not None else [math.nan] * n,
        "workers_associate": list(associate) if associate is not None else [math.nan] * n,
        "urban_residents": list(urban) if urban is not None else [0.0] * n,
        "urban_residents_unknown": list(urban_unknown) if urban_unknown is not None else [0.0] * n,
    }


# -- the kernels ------------------------------------------------------------------------------

_URBAN = COMMUNITY_KINDS.index(CommunityKind.URBAN)


def has_facility(area: Any) -> Any:
    """§2.11: whether a community is covered, from the floor area of its comprehensive
    facilities (m²) — one figure, or a column of them (an unknown area, NaN, is not).

    Raises:
        InvalidArgumentError: ``area`` is neither a number nor an array of numbers.
    """
    if isinstance(area, str | bytes | bool | None | list | tuple | dict):
        raise InvalidArgumentError("has_facility(area)", area, "a number or an array of them")
    try:
        return area > 0
    except (TypeError, ArithmeticError):  # an object that does not compare with 0
        raise InvalidArgumentError(
            "has_facility(area)", area, "a number or an array of them"
        ) from None


def urban_residents(xp: Any, c: Mapping[str, Any]) -> tuple[Any, Any]:
    """Each community's part in its county's urban residents: (residents, unknown).

    The residents of an urban community whose population is known; 1 for an urban
    community whose population is not (summed per county into :data:`COUNTY_COLUMNS`).

    Raises:
        InvalidArgumentError: ``c`` has no ``kind`` and ``residents`` columns of ``xp``.
    """
    if not isinstance(c, Mapping) or "kind" not in c or "residents" not in c:
        raise InvalidArgumentError("c", c, "community columns with 'kind' and 'residents'")
    try:
        urban = c["kind"] == _URBAN
        residents = c["residents"]
        return (
            xp.where(urban & ~xp.isnan(residents), residents, 0.0),
            urban & xp.isnan(residents),
        )
    except (AttributeError, TypeError):
        raise InvalidArgumentError("xp", xp, "an array namespace of the columns of 'c'") from None


def _coverage(urban_side: bool) -> Kernel:
    def kernel(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
        members = c["kind"] == _URBAN
        if not urban_side:
            members = ~members
        area = c["area"]
        unknown = members & xp.isnan(area)
        return Tally(members & has_facility(area), members & ~xp.isnan(area), unknown)

    return kernel


def _volunteers(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    v, r = c["volunteers"], c["residents"]
    unknown = xp.isnan(v) | xp.isnan(r)
    return Tally(xp.where(unknown, 0.0, v), xp.where(unknown, 0.0, r), unknown)


def _area_households(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    area, households = c["area"], c["households"]
    counted = ~(xp.isnan(area) | xp.isnan(households))
    return Tally(xp.where(counted, area, 0.0), xp.where(counted, households, 0.0), ~counted)


def _activity_space(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    area, activity = c["area"], c["activity"]
    covered = has_facility(area)
    counted = covered & ~xp.isnan(activity)
    return Tally(
        xp.where(counted, activity, 0.0),
        xp.where(counted, area, 0.0),
        covered & xp.isnan(activity),
    )


def _new_commercial(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    floor, commercial = c["floor_area"], c["commercial_area"]
    new = c["new_or_renovated"] == 1
    missing = xp.isnan(floor) | xp.isnan(commercial)
    counted = new & ~missing
    return Tally(xp.where(counted, commercial, 0.0), xp.where(counted, floor, 0.0), new & missing)


def _self_service(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    urban = c["kind"] == _URBAN
    terminal = c["self_service"]
    return Tally(urban & (terminal == 1), urban, urban & (terminal == UNKNOWN_FLAG))


_TERM = "governance.direct_election.term"


def _direct(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    # a residents' committee (the flag is -1 without one) of the plan's term; one whose
    # term is not known may or may not be of it: unknown
    committee = c["direct"] != UNKNOWN_FLAG
    term = c["term"]
    of_term = committee & (term == float(values[_TERM]))
    return Tally(of_term & (c["direct"] == 1), of_term, committee & xp.isnan(term))


def _flags(column: str) -> Kernel:
    def kernel(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
        flags = c[column]
        return Tally(flags == 1, xp.full(flags.shape, 1.0), flags == UNKNOWN_FLAG)

    return kernel


def _hall(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    street = c["street"] == 1
    hall = c["hall"]
    return Tally(street & (hall == 1), street, street & (hall == UNKNOWN_FLAG))


def _associate(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    workers, associate = c["workers"], c["workers_associate"]
    known = ~(xp.isnan(workers) | xp.isnan(associate))
    return Tally(xp.where(known, associate, 0.0), xp.where(known, workers, 0.0), ~known)


def _workers_urban(xp: Any, c: Mapping[str, Any], values: Mapping[str, Any]) -> Tally:
    # counted wherever the worker count is known, whatever the associate-degree figure
    workers = c["workers"]
    known = ~xp.isnan(workers)
    return Tally(
        xp.where(known, workers, 0.0),
        xp.where(known, c["urban_residents"], 0.0),
        xp.where(known, 0.0, 1.0) + c["urban_residents_unknown"],
    )


def _rule(rule_id: str, zh: str, en: str, unit: tuple[str, str], **kw: Any) -> RegionRule:
    return RegionRule(
        id=rule_id,
        label_zh=zh,
        label_en=en,
        unit_zh=unit[0],
        unit_en=unit[1],
        level=kw.pop("level", Level.COMMUNITY),
        **kw,
    )


_COMMUNITIES = ("个社区", "communities")
_URBAN_COMMUNITIES = ("个城镇社区", "urban communities")

REGION_RULES: tuple[RegionRule, ...] = (
    _rule(
        "coverage",
        "城镇社区综合服务设施覆盖率",
        "urban facility coverage",
        _URBAN_COMMUNITIES,
        reads=("kind", "area"),
        kernel=_coverage(True),
        unknowns="members",
    ),
    _rule(
        "rural_coverage",
        "农村社区综合服务设施覆盖率",
        "rural facility coverage",
        ("个农村社区", "rural communities"),
        reads=("kind", "area"),
        kernel=_coverage(False),
        unknowns="members",
    ),
    _rule(
        "hall",
        "街道公共服务大厅覆盖率",
        "street public service hall coverage",
        ("个街道", "streets"),
        level=Level.TOWNSHIP,
        reads=TOWNSHIP_COLUMNS,
        kernel=_hall,
    ),
    _rule(
        "direct",
        "居委会直选比例",
        "direct-election ratio of residents' committees",
        ("个居委会", "residents' committees"),
        reads=("direct", "term"),
        kernel=_direct,
        unknowns="members",
        parameters=(_TERM,),
    ),
    _rule(
        "volunteers",
        "注册志愿者占常住人口比例",
        "registered volunteers / residents",
        ("人", "persons"),
        reads=("volunteers", "residents"),
        kernel=_volunteers,
        unknowns="amounts",
    ),
    _rule(
        "smart_infrastructure",
        "智慧社区基础设施覆盖率",
        "smart-community infrastructure",
        _COMMUNITIES,
        reads=("smart_infrastructure",),
        kernel=_flags("smart_infrastructure"),
    ),
    _rule(
        "smart_sharing",
        "平台资源共享社区比例",
        "communities sharing through the platform",
        _COMMUNITIES,
        reads=("smart_sharing",),
        kernel=_flags("smart_sharing"),
    ),
    _rule(
        "smart_online",
        "网上便民服务社区比例",
        "communities with online convenience services",
        _COMMUNITIES,
        reads=("smart_online",),
        kernel=_flags("smart_online"),
    ),
    _rule(
        "workers",
        "大专以上工作人员占比",
        "workers with an associate degree or above",
        ("人", "workers"),
        level=Level.COUNTY,
        reads=("workers", "workers_associate"),
        kernel=_associate,
        unknowns="amounts",
    ),
    _rule(
        "pay",
        "报酬达标旗县市区比例",
        "banners/counties meeting the pay documents",
        ("个旗县市区", "banners/counties"),
        level=Level.COUNTY,
        reads=("pay",),
        kernel=_flags("pay"),
    ),
    _rule(
        "area_households",
        "每百户居民拥有社区综合服务设施面积",
        "facility floor area per 100 resident households",
        ("平方米/百户", "m² per 100 households"),
        reads=("area", "households"),
        kernel=_area_households,
        unknowns="amounts",
    ),
    _rule(
        "workers_urban",
        "每万名城镇常住人口拥有社区工作者人数",
        "community workers per 10,000 urban residents",
        ("人/万人", "workers per 10,000 residents"),
        level=Level.COUNTY,
        reads=("workers", "urban_residents", "urban_residents_unknown"),
        kernel=_workers_urban,
        unknowns="amounts",
    ),
    _rule(
        "new_commercial",
        "新建社区商业和综合服务设施面积占社区总建筑面积比例",
        "new communities' floor area for commerce and services",
        ("平方米", "m²"),
        reads=("new_or_renovated", "floor_area", "commercial_area"),
        kernel=_new_commercial,
        unknowns="amounts",
    ),
    _rule(
        "activity_space",
        "居民活动区域面积占社区综合服务设施总建筑面积比例",
        "facility floor area for residents' activities",
        ("平方米", "m²"),
        reads=("area", "activity"),
        kernel=_activity_space,
        unknowns="amounts",
    ),
    _rule(
        "self_service",
        "城市社区政务通用自助服务覆盖率",
        "urban communities with self-service government terminals",
        _URBAN_COMMUNITIES,
        reads=("kind", "self_service"),
        kernel=_self_service,
    ),
)
"""Every region rule: the indicators of the plans' targets that are not a norm's compliance."""

_BY_ID = {rule.id: rule for rule in REGION_RULES}


def region_rule(rule_id: str) -> RegionRule:
    """The region rule ``rule_id``.

    Args:
        rule_id: the rule's id (an indicator's ``key`` in ``targets.toml``).

    Returns:
        The :class:`RegionRule`.

    Raises:
        NotFoundError: no such rule (a ``KeyError``).

    .. versionadded:: 0.1.0
    """
    found = _BY_ID.get(rule_id) if isinstance(rule_id, str) else None
    if found is None:
        raise NotFoundError("region_rule", rule_id, "a region rule: " + ", ".join(_BY_ID))
    return found


def row_findings(
    members: Sequence[str],
    tally: Tally,
    *,
    clause: str,
    yes: tuple[str, str] = ("是", "yes"),
    no: tuple[str, str] = ("否", "no"),
) -> tuple[Finding, ...]:
    """One finding per row the kernel counted, from its own part: yes, no or unknown.

    Args:
        members: each row's subject (a code).
        tally: the kernel's parts.
        clause: the clause the findings cite.
        yes: what a yes says (Chinese, English).
        no: what a no says.
    """
    found = []
    for index, member in enumerate(members):
        if not tally.counted(index):
            continue
        answer = tally.answer(index)
        zh, en = {True: yes, False: no, None: ("未知", "unknown")}[answer]
        found.append(
            Finding(
                subject=member,
                clause=clause,
                status={True: Status.PASS, False: Status.FAIL, None: Status.UNKNOWN}[answer],
                measured=answer,
                required=True,
                explanation_zh=f"{member}:{zh}",
                explanation_en=f"{member}: {en}",
            )
        )
    return tuple(found)
