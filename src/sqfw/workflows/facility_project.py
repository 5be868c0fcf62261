"""Facility projects from plan to use (§2.5–§2.7).

Where an old area lacks community service facilities, the banner/county (district)
government builds them, swaps space from another facility, buys or leases (§2.7); new
estates and contiguous old-town renovations include them in their design (§2.6); the
space is planned together with health, police, culture, sport and elderly care, and its
property rights are settled (§2.5). A project's record goes::

    planned → approved → under_way → completed → in_use
       └──────────┴───────────┴──→ cancelled (with a reason)

A facility is put in use only once its property rights are settled (§2.5). A project may
be rescheduled (a new planned completion, with a reason) while approved or under way; the
trail keeps every date, so lateness is read from it.

Whether the community then meets its facility-area minimum is the facility-area norm's
to say (:func:`area_after`), never restated here.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect, expect_items, named_fields, read_only_mapping
from sqfw.calculators import Result, Rounding, facility_area
from sqfw.entities.community import Community
from sqfw.entities.facility import Ownership
from sqfw.entities.projects import FacilityProject, FundingSource, Provision
from sqfw.errors import InvalidArgumentError
from sqfw.labels import LabeledEnum
from sqfw.periods import DEFAULT_TZ, as_date
from sqfw.standards import Standards
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry, WorkflowRecord
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine

__all__ = [
    "FacilityProjectEvent",
    "FacilityProjectFacts",
    "FacilityProjectMachine",
    "FacilityProjectState",
    "FacilityProjectWorkflow",
    "area_after",
    "project_data",
]


def _day(at: pendulum.DateTime) -> pendulum.Date:
    """The calendar day of an instant, in Asia/Shanghai (the plan's zone)."""
    local = at.in_timezone(DEFAULT_TZ)
    return pendulum.Date(local.year, local.month, local.day)


class FacilityProjectState(LabeledEnum):
    """States of a facility project."""

    PLANNED = "planned"
    APPROVED = "approved"
    UNDER_WAY = "under_way"
    COMPLETED = "completed"
    IN_USE = "in_use"
    CANCELLED = "cancelled"

    __labels__ = {
        "planned": ("已列入计划", "planned"),
        "approved": ("已批准", "approved"),
        "under_way": ("实施中", "under way"),
        "completed": ("已竣工", "completed"),
        "in_use": ("已投入使用", "in use"),
        "cancelled": ("已取消", "cancelled"),
    }


class FacilityProjectEvent(LabeledEnum):
    """Events of a facility project."""

    APPROVE = "approve"
    START_WORKS = "start_works"
    RESCHEDULE = "reschedule"
    COMPLETE = "complete"
    SETTLE_RIGHTS = "settle_rights"
    PUT_IN_USE = "put_in_use"
    CANCEL = "cancel"

    __labels__ = {
        "approve": ("批准立项", "approve"),
        "start_works": ("开工(签约)", "start the works (or sign the purchase or lease)"),
        "reschedule": ("调整计划竣工时间", "reschedule the completion"),
        "complete": ("竣工验收", "complete"),
        "settle_rights": ("明确产权归属", "settle the property rights"),
        "put_in_use": ("投入使用", "put in use"),
        "cancel": ("取消项目", "cancel"),
    }


def project_data(project: FacilityProject) -> dict[str, Any]:
    """The ``approve`` data of a project (JSON-plain; areas and money as text)."""
    expect("project_data(project)", project, FacilityProject)
    return {
        "id": project.id,
        "community_code": project.community_code,
        "name": project.name,
        "provision": project.provision.value,
        "kind": project.kind.value,
        "area_m2": str(project.area_m2),
        "office_area_m2": str(project.office_area_m2),
        "cost_yuan": str(project.cost_yuan),
        "funding": [s.value for s in project.funding],
        "ownership": project.ownership.value,
        "co_located": [s.value for s in project.co_located],
        "swapped_from": project.swapped_from,
        "planned_completion": project.planned_completion.isoformat(),
    }


_DATE_KEYS = {"reschedule": "planned_completion", "complete": "completed_on"}


class FacilityProjectMachine(WorkflowMachine):
    """The facility project as a python-statemachine definition."""

    s = States.from_enum(
        FacilityProjectState,
        initial=FacilityProjectState.PLANNED,
        final={FacilityProjectState.IN_USE, FacilityProjectState.CANCELLED},
    )

    approve = s.PLANNED.to(s.APPROVED, validators=["project_valid", "funded"])
    start_works = s.APPROVED.to(s.UNDER_WAY)
    reschedule = s.APPROVED.to.itself(
        validators=["needs_reason", "date_given"]
    ) | s.UNDER_WAY.to.itself(validators=["needs_reason", "date_given"])
    complete = s.UNDER_WAY.to(s.COMPLETED, validators=["date_given", "not_before_approval"])
    settle_rights = (
        s.APPROVED.to.itself(validators="ownership_settled")
        | s.UNDER_WAY.to.itself(validators="ownership_settled")
        | s.COMPLETED.to.itself(validators="ownership_settled")
    )
    put_in_use = s.COMPLETED.to(s.IN_USE, validators="rights_settled")
    cancel = (
        s.PLANNED.to(s.CANCELLED, validators="needs_reason")
        | s.APPROVED.to(s.CANCELLED, validators="needs_reason")
        | s.UNDER_WAY.to(s.CANCELLED, validators="needs_reason")
    )

    def project_valid(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """The project data describes a valid :class:`FacilityProject` (§2.7)."""
        problem = _project_problem(ctx.data)
        if problem is not None:
            raise Refusal(
                reason(f"项目资料有误：{problem}", f"the project data is invalid: {problem}")
            )

    def funded(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """A project is approved with its cost and at least one funding source."""
        if not ctx.data.get("funding"):
            raise Refusal(reason("须写明资金来源", "funding: at least one source of money"))

    def date_given(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """The event names its date (``planned_completion`` or ``completed_on``)."""
        key = _DATE_KEYS[ctx.event]
        try:
            as_date(str(ctx.data.get(key, "")))
        except (TypeError, ValueError):
            raise Refusal(reason(f"须给出日期 {key}", f"{key}: a date (YYYY-MM-DD)")) from None

    def not_before_approval(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """A project is not completed before the day it was approved."""
        approved = ctx.facts.approved_on
        try:
            done = as_date(str(ctx.data.get("completed_on", "")))
        except (TypeError, ValueError):
            return  # date_given says so
        if approved is not None and done < approved:
            raise Refusal(
                reason(
                    f"竣工日期 {done} 早于批准日期 {approved}",
                    f"completed_on {done} is before the approval on {approved}",
                )
            )

    def ownership_settled(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """Settling the rights names an owner other than 'unsettled' (§2.5)."""
        value = ctx.data.get("ownership")
        try:
            owner = Ownership(str(value))
        except ValueError:
            owner = Ownership.UNSETTLED
        if owner is Ownership.UNSETTLED:
            raise Refusal(
                reason(
                    f"须写明产权归属，不能为“产权未明确”：{value!r}（§2.5）",
                    f"ownership: who holds the property rights, not 'unsettled', got {value!r} "
                    "(§2.5)",
                )
            )

    def rights_settled(self, ctx: EventContext[FacilityProjectFacts]) -> None:
        """A facility is put in use only once its property rights are settled (§2.5)."""
        if ctx.facts.ownership is Ownership.UNSETTLED:
            raise Refusal(
                reason(
                    "产权归属尚未明确，不能投入使用（§2.5）",
                    "the property rights are not settled yet: the facility cannot be put in "
                    "use (§2.5)",
                )
            )


def _project_problem(data: Mapping[str, Any]) -> str | None:
    try:
        _project_from(data)
    except (TypeError, ValueError, KeyError) as exc:
        return str(exc)[:300]
    return None


def _project_from(data: Mapping[str, Any]) -> FacilityProject:
    return FacilityProject(
        id=str(data["id"]),
        community_code=str(data["community_code"]),
        name=str(data["name"]),
        provision=Provision(str(data["provision"])),
        kind=str(data.get("kind", "comprehensive")),
        area_m2=str(data["area_m2"]),
        office_area_m2=str(data.get("office_area_m2", "0")),
        cost_yuan=str(data.get("cost_yuan", "0")),
        funding=tuple(FundingSource(str(s)) for s in data.get("funding") or ()) or ("other",),
        ownership=str(data.get("ownership", "unsettled")),
        co_located=tuple(data.get("co_located") or ()),
        swapped_from=data.get("swapped_from"),
        planned_completion=str(data["planned_completion"]),
    )


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class FacilityProjectFacts:
    """What the trail of a facility project says so far.

    Attributes:
        project: the approved project data.
        approved_on: the day it was approved.
        planned_completion: the planned completion in force (after any reschedule).
        first_planned: the planned completion when it was approved.
        completed_on: the day it was completed.
        ownership: who holds the property rights (§2.5).
    """

    project: Mapping[str, Any] = attrs.field(factory=dict, converter=read_only_mapping)
    approved_on: pendulum.Date | None = None
    planned_completion: pendulum.Date | None = None
    first_planned: pendulum.Date | None = None
    completed_on: pendulum.Date | None = None
    ownership: Ownership = Ownership.UNSETTLED

    @property
    def late_days(self) -> int | None:
        """Days completed after the first planned date (negative if early), once completed."""
        if self.completed_on is None or self.first_planned is None:
            return None
        return (self.completed_on - self.first_planned).in_days()


class FacilityProjectWorkflow(Workflow[FacilityProjectFacts]):
    """A facility project (§2.5–§2.7).

    Events and their data:

    - ``approve``: the project (use :func:`project_data`); refused without funding or
      with data a :class:`~sqfw.entities.FacilityProject` refuses (e.g. a swap without
      the facility it is swapped from).
    - ``start_works``: none.
    - ``reschedule``: a reason and ``planned_completion``.
    - ``complete``: ``completed_on`` (not before the approval).
    - ``settle_rights``: ``ownership`` (not ``unsettled``).
    - ``put_in_use``: refused while the property rights are unsettled (§2.5).
    - ``cancel``: a reason.
    """

    name = "facility_project"
    machine = FacilityProjectMachine
    states = FacilityProjectState
    events = FacilityProjectEvent
    event_data = {
        "approve": (
            key("id", "text", "项目编号", "the project's id"),
            key("community_code", "text", "社区代码", "the community's code"),
            key("name", "text", "项目名称", "the project's name"),
            key("provision", "text", "建设方式", "how it is provided"),
            key("area_m2", "text", "建筑面积（平方米，文本）", "floor area in m² (text)"),
            key("planned_completion", "date", "计划竣工日期", "planned completion"),
            key("funding", "list", "资金来源", "sources of money"),
            key("kind", "text", "设施类别", "the facility's kind", required=False),
            key(
                "office_area_m2", "text", "办公用房面积", "office area in m² (text)", required=False
            ),
            key("cost_yuan", "text", "投资（元，文本）", "cost in yuan (text)", required=False),
            key("ownership", "text", "产权归属", "who holds the property rights", required=False),
            key("co_located", "list", "合设设施", "facilities sharing the site", required=False),
            key("swapped_from", "text", "置换前设施", "the facility swapped from", required=False),
        ),
        "start_works": (),
        "reschedule": (key("planned_completion", "date", "计划竣工日期", "planned completion"),),
        "complete": (key("completed_on", "date", "竣工日期", "completed on"),),
        "settle_rights": (key("ownership", "text", "产权归属", "who holds the property rights"),),
        "put_in_use": (),
        "cancel": (),
    }

    def initial_facts(self) -> FacilityProjectFacts:
        """A project not yet approved."""
        return FacilityProjectFacts()

    def fold(self, facts: FacilityProjectFacts, entry: AuditEntry) -> FacilityProjectFacts:
        """Fold one audit entry into the project's facts."""
        data = entry.data
        if entry.event == "approve":
            planned = as_date(str(data["planned_completion"]))
            return attrs.evolve(
                facts,
                project=dict(data),
                approved_on=_day(entry.at),
                planned_completion=planned,
                first_planned=planned,
                ownership=Ownership(str(data.get("ownership", "unsettled"))),
            )
        if entry.event == "reschedule":
            return attrs.evolve(facts, planned_completion=as_date(str(data["planned_completion"])))
        if entry.event == "complete":
            return attrs.evolve(facts, completed_on=as_date(str(data["completed_on"])))
        if entry.event == "settle_rights":
            return attrs.evolve(facts, ownership=Ownership(str(data["ownership"])))
        return facts

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """The planned completion (end of day, Asia/Shanghai) of an approved or running project."""
        if record.state not in ("approved", "under_way"):
            return None
        planned = self.facts(record).planned_completion
        if planned is None:
            return None
        return pendulum.datetime(
            planned.year, planned.month, planned.day, 23, 59, 59, tz=DEFAULT_TZ
        )

    def project(self, record: WorkflowRecord) -> FacilityProject | None:
        """The project as an entity, with its completion (``None`` before approval)."""
        facts = self.facts(record)
        if not facts.project:
            return None
        project = _project_from(facts.project)
        return attrs.evolve(
            project,
            ownership=facts.ownership,
            planned_completion=facts.planned_completion or project.planned_completion,
            actual_completion=facts.completed_on,
        )


def area_after(
    community: Community,
    projects: Iterable[FacilityProject],
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> Result:
    """The facility-area check (§2.1, §2.12, §2.13) of a community once its projects are done.

    The minimum is the facility-area norm's (:func:`~sqfw.calculators.facility_area`): this
    adds each project's facility to the community and asks the norm.

    Raises:
        InvalidArgumentError: a project for another community.
    """
    expect("area_after(community)", community, Community)
    chosen = expect_items("area_after(projects)", projects, FacilityProject)
    for project in chosen:
        if project.community_code != community.code:
            raise InvalidArgumentError(
                "projects",
                f"{project.id} of {project.community_code}",
                f"projects of community {community.code}",
            )
    added = attrs.evolve(
        community, facilities=(*community.facilities, *(p.as_facility() for p in chosen))
    )
    return facility_area(added, on=on, standards=standards, rounding=rounding)
