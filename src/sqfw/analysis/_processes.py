"""Indicators of the plan's processes, as plain data (§1.5–§1.7, §2.5–§2.7, §3.5, §5.5, §5.7, §5.8).

Each function returns :class:`ProcessIndicator` values: one figure (a count, or a share
as numerator over denominator) at one place (a community, a street or a county), with
bilingual labels and the clauses it rests on. Views (the region report, a table, a chart)
read them as they are: ``(indicator, place, numerator, denominator)`` rows.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw._fields import fail
from sqfw.calculators.commendation import Commendation, by_community
from sqfw.entities.divisions import DivisionLevel, ancestor_code
from sqfw.entities.owners import JointMeeting, OwnersCommittee
from sqfw.entities.projects import (
    CommunityFoundation,
    FacilityProject,
    FundingSource,
    IncubationRecord,
    ServiceProject,
)
from sqfw.entities.service import ServicePeriod
from sqfw.errors import InvalidArgumentError
from sqfw.limits import MAX_YEAR, MIN_YEAR
from sqfw.periods import as_date
from sqfw.population import FloatingRegister
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.consultation import ConsultationWorkflow, Outcome

__all__ = [
    "PROCESS_LEVELS",
    "ProcessIndicator",
    "commendation_indicators",
    "consultation_indicators",
    "facility_project_indicators",
    "floating_indicators",
    "owners_indicators",
    "three_society_indicators",
]


PROCESS_LEVELS: Mapping[str, tuple[DivisionLevel, str, str]] = {
    "community": (DivisionLevel.VILLAGE, "社区", "community"),
    "street": (DivisionLevel.TOWNSHIP, "街道(乡镇)", "street/township"),
    "county": (DivisionLevel.COUNTY, "旗县市区", "banner/county"),
}
"""The levels a process indicator is counted at: its division level, its zh/en label."""


def _level(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in PROCESS_LEVELS:
        fail(instance, attribute, value, "one of " + ", ".join(map(repr, PROCESS_LEVELS)))


@attrs.frozen(kw_only=True)
class ProcessIndicator:
    """One indicator of a process at one place.

    Raises:
        InvalidEntityError: a level other than those three.

    Attributes:
        id: the indicator's id (``"consultation.agreement_share"``).
        level: ``"community"``, ``"street"`` or ``"county"``.
        place: the place's 12-digit code.
        numerator: what counts.
        denominator: out of how many (``None`` for a plain count).
        label_zh: what it is, in Chinese.
        label_en: what it is, in English.
        clauses: the clauses of the plan it speaks to.
    """

    id: str
    level: str = attrs.field(validator=_level)
    place: str
    numerator: int
    denominator: int | None
    label_zh: str
    label_en: str
    clauses: tuple[str, ...]

    @property
    def value(self) -> Fraction | int | None:
        """The count, or the share (``None`` for a share of nothing)."""
        if self.denominator is None:
            return self.numerator
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)


def _place(code: str, level: str) -> str:
    return ancestor_code(code, PROCESS_LEVELS[level][0])


def _rows(
    ident: str,
    counts: dict[str, list[int]],
    level: str,
    zh: str,
    en: str,
    clauses: tuple[str, ...],
    share: bool,
) -> list[ProcessIndicator]:
    return [
        ProcessIndicator(
            id=ident,
            level=level,
            place=place,
            numerator=pair[0],
            denominator=pair[1] if share else None,
            label_zh=zh,
            label_en=en,
            clauses=clauses,
        )
        for place, pair in sorted(counts.items())
    ]


def _add(table: dict[str, list[int]], key: str, top: int, bottom: int = 0) -> None:
    pair = table.setdefault(key, [0, 0])
    pair[0] += top
    pair[1] += bottom


def consultation_indicators(
    records: Iterable[WorkflowRecord], workflow: ConsultationWorkflow
) -> list[ProcessIndicator]:
    """Topics, agreements and implementation, by community and street (§1.6).

    A topic counts once raised; the agreement share is over topics concluded, the
    implemented share over agreements followed up.
    """
    records = expect_items("records", records, WorkflowRecord)
    expect("workflow", workflow, ConsultationWorkflow)
    rows: list[ProcessIndicator] = []
    clauses = ("§1.6",)
    for level in ("community", "street"):
        topics: dict[str, list[int]] = {}
        agreed: dict[str, list[int]] = {}
        implemented: dict[str, list[int]] = {}
        for record in records if isinstance(records, list | tuple) else list(records):
            facts = workflow.facts(record)
            code = facts.topic.get("community_code")
            if not code:
                continue
            place = _place(str(code), level)
            _add(topics, place, 1)
            if facts.outcome is not None:
                _add(agreed, place, int(facts.outcome == Outcome.AGREEMENT.value), 1)
            if facts.implemented is not None:
                _add(implemented, place, int(facts.implemented), 1)
        rows += _rows(
            "consultation.topics",
            topics,
            level,
            "协商议题数",
            "consultation topics",
            clauses,
            False,
        )
        rows += _rows(
            "consultation.agreement_share",
            agreed,
            level,
            "达成协商一致的比例",
            "share reaching agreement",
            clauses,
            True,
        )
        rows += _rows(
            "consultation.implemented_share",
            implemented,
            level,
            "协商一致事项落实比例",
            "share of agreements implemented",
            clauses,
            True,
        )
    return rows


def owners_indicators(
    committees: Iterable[OwnersCommittee],
    meetings: Iterable[JointMeeting],
    *,
    year: int,
) -> list[ProcessIndicator]:
    """Owners' committees filed, and joint meetings in ``year``, per community (§1.5)."""
    committees = expect_items("committees", committees, OwnersCommittee)
    meetings = expect_items("meetings", meetings, JointMeeting)
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidArgumentError("year", year, f"a year from {MIN_YEAR} to {MAX_YEAR}")
    day = pendulum.Date(year, 12, 31)
    in_term: dict[str, list[int]] = {}
    for c in committees:
        if c.in_term(day):
            _add(in_term, c.community_code, int(c.filed), 1)
    held: dict[str, list[int]] = {}
    for m in meetings:
        if m.on.year == year:
            _add(held, m.community_code, 1)
    clauses = ("§1.5",)
    return [
        *_rows(
            "owners.filed_share",
            in_term,
            "community",
            "已备案业委会比例",
            "owners' committees filed",
            clauses,
            True,
        ),
        *_rows(
            "owners.joint_meetings",
            held,
            "community",
            "业委会与居委会联席会议次数",
            "joint meetings with the residents' committee",
            clauses,
            False,
        ),
    ]


def three_society_indicators(
    projects: Iterable[ServiceProject],
    incubations: Iterable[IncubationRecord] = (),
    foundations: Iterable[CommunityFoundation] = (),
    *,
    on: pendulum.Date | str,
) -> list[ProcessIndicator]:
    """Three-society projects, incubation and foundations (§1.7, §5.7, §5.8).

    Projects running on ``on`` by community and county; foundations by county.
    """
    day = as_date(on)
    chosen = [p for p in projects if p.active_on(day)]
    supports = [i for i in incubations if i.on <= day]
    rows: list[ProcessIndicator] = []
    for level in ("community", "county"):
        linked: dict[str, list[int]] = {}
        bought: dict[str, list[int]] = {}
        for p in chosen:
            place = _place(p.community_code, level)
            _add(linked, place, int(p.links_three_societies), 1)
            _add(bought, place, int(p.funding is FundingSource.GOVERNMENT_PURCHASE), 1)
        incubated: dict[str, list[int]] = {}
        for i in supports:
            _add(incubated, _place(i.community_code, level), 1)
        rows += _rows(
            "three_society.linked_share",
            linked,
            level,
            "三社联动项目比例",
            "projects linking the three societies",
            ("§1.7",),
            True,
        )
        rows += _rows(
            "three_society.government_purchase_share",
            bought,
            level,
            "政府购买服务项目比例",
            "projects bought by the government",
            ("§5.8", "§5.9"),
            True,
        )
        rows += _rows(
            "three_society.incubation_supports",
            incubated,
            level,
            "社会组织孵化培育服务次数",
            "supports given to social organisations",
            ("§5.7",),
            False,
        )
    counted: dict[str, list[int]] = {}
    for f in foundations:
        if f.founded_on <= day:
            _add(counted, _place(f.county_code, "county"), 1)
    rows += _rows(
        "three_society.foundations",
        counted,
        "county",
        "社区基金会数",
        "community foundations",
        ("§5.8",),
        False,
    )
    return rows


def facility_project_indicators(
    projects: Iterable[FacilityProject], *, on: pendulum.Date | str
) -> list[ProcessIndicator]:
    """Per county: projects completed on time, rights settled, area added by ``on`` (§2.5–§2.7)."""
    day = as_date(on)
    on_time: dict[str, list[int]] = {}
    settled: dict[str, list[int]] = {}
    added: dict[str, list[int]] = {}
    for p in projects:
        county = p.county_code
        if p.actual_completion is not None and p.actual_completion <= day:
            _add(on_time, county, int(p.actual_completion <= p.planned_completion), 1)
            _add(added, county, int(p.area_m2))
        elif p.planned_completion <= day:
            _add(on_time, county, 0, 1)  # due and not completed: late
        _add(settled, county, int(p.rights_settled), 1)
    return [
        *_rows(
            "facility_projects.on_time_share",
            on_time,
            "county",
            "设施项目按期竣工比例",
            "facility projects completed on time",
            ("§2.7",),
            True,
        ),
        *_rows(
            "facility_projects.rights_settled_share",
            settled,
            "county",
            "产权明确的设施项目比例",
            "projects with property rights settled",
            ("§2.5",),
            True,
        ),
        *_rows(
            "facility_projects.area_added_m2",
            added,
            "county",
            "已竣工项目新增面积(平方米,取整)",
            "area added by completed projects (m², whole)",
            ("§2.6", "§2.7"),
            False,
        ),
    ]


def floating_indicators(
    register: FloatingRegister, *, on: pendulum.Date | str
) -> list[ProcessIndicator]:
    """Floating residents registered and present on ``on``, per community (§3.5)."""
    expect("register", register, FloatingRegister)
    counts = {code: [n, 0] for code, n in register.counts(on).items()}
    return _rows(
        "floating.registered",
        counts,
        "community",
        "登记在册的流动人员",
        "floating residents registered",
        ("§3.5",),
        False,
    )


def commendation_indicators(
    commendation: Commendation, periods: Iterable[ServicePeriod]
) -> list[ProcessIndicator]:
    """Workers qualifying for commendation, per community (§5.5)."""
    expect("commendation", commendation, Commendation)
    periods = expect_items("periods", periods, ServicePeriod)
    counts = {code: [n, 0] for code, n in by_community(commendation, periods).items()}
    clause = commendation.clause
    return _rows(
        "commendation.qualifying",
        counts,
        "community",
        "可予表彰的长期从事社区工作人员",
        "long-serving workers qualifying for commendation",
        (clause,),
        False,
    )
