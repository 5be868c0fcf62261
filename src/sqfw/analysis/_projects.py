"""A pipeline of facility projects in the scenario engine (§2.5–§2.7, §2.1).

A :class:`ProjectPipeline` is an intervention (:class:`~sqfw.analysis.Intervention`): in
each year of a projection it adds to every community the comprehensive facility space of
the projects that complete that year, exactly as the community's facility list would hold
the project's facility (:meth:`~sqfw.entities.FacilityProject.as_facility`). It works in any
:class:`~sqfw.analysis.Scenario` and in :func:`~sqfw.analysis.project`.

:func:`pipeline_outlook` projects a pipeline year by year and says, for each community,
the first year it meets the facility-area norm (:data:`~sqfw.calculators.FACILITY_AREA`,
the one statement of the §2.1/§2.12/§2.13 minimums) and, for each target at each place, the
first year it is met. :func:`slippage` compares the outlook with one project late.

As in :func:`~sqfw.analysis.project`, the first year is the data as it is: a project that
completes in or before it is taken to be in the data already (the outlook lists it in
``already_in_data``), and one that completes after the last year in ``beyond``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.analysis._assessment import assess
from sqfw.analysis._dataset import RegionDataset
from sqfw.analysis._engine import STATUSES, RuleParameters
from sqfw.analysis._interventions import Effect
from sqfw.analysis._result import Attainment
from sqfw.calculators import FACILITY_AREA, Rounding, Status
from sqfw.entities.facility import FacilityKind
from sqfw.entities.projects import FacilityProject
from sqfw.errors import InvalidArgumentError, UnknownProject
from sqfw.standards import Standards, Unit, default_standards

__all__ = [
    "PipelineOutlook",
    "ProjectPipeline",
    "Slip",
    "Slippage",
    "UnknownProject",
    "pipeline_outlook",
    "slippage",
]


def _projects(value: Iterable[FacilityProject]) -> tuple[FacilityProject, ...]:
    found = expect_items("projects", value, FacilityProject)
    seen: set[str] = set()
    for item in found:
        if not isinstance(item, FacilityProject):
            raise InvalidArgumentError("projects", type(item).__name__, "FacilityProject items")
        if item.id in seen:
            raise UnknownProject("projects", item.id, "unique project ids")
        seen.add(item.id)
    return found


def _delays(value: Mapping[str, int]) -> Mapping[str, int]:
    if not isinstance(value, Mapping):
        raise InvalidArgumentError("delays", value, "a mapping of project id to whole years")
    for key, years in value.items():
        if not isinstance(years, int) or isinstance(years, bool) or years < 0:
            raise UnknownProject("delays", f"{key}={years!r}", "whole years ≥ 0 per project id")
    return dict(value)


@attrs.frozen(kw_only=True)
class ProjectPipeline:
    """Facility projects that complete year by year, as a scenario intervention.

    Args:
        projects: the projects (unique ids).
        delays: years of delay per project id (a late project completes that many years
            after its planned date; a completed project's actual date is used otherwise).
        name: what the pipeline is called.

    Raises:
        UnknownProject: duplicate ids, or a delay for a project not in the pipeline.
    """

    projects: tuple[FacilityProject, ...] = attrs.field(converter=_projects)
    delays: Mapping[str, int] = attrs.field(factory=dict, converter=_delays)
    name: str = "pipeline"

    def __attrs_post_init__(self) -> None:
        ids = {p.id for p in self.projects}
        for key in self.delays:
            if key not in ids:
                raise UnknownProject("delays", key, "the id of a project in the pipeline")

    def __str__(self) -> str:
        return f"{self.name}: {len(self.projects)} facility project(s)"

    def completion_year(self, project: FacilityProject) -> int:
        """The year the project completes, with its delay."""
        return project.completion(delay_years=self.delays.get(project.id, 0)).year

    def delayed(self, project_id: str, years: int = 1) -> ProjectPipeline:
        """The same pipeline with one project ``years`` later (added to any delay it has).

        Raises:
            UnknownProject: no project with that id.
        """
        if project_id not in {p.id for p in self.projects}:
            raise UnknownProject("delayed", project_id, "the id of a project in the pipeline")
        delays = dict(self.delays)
        delays[project_id] = delays.get(project_id, 0) + years
        return attrs.evolve(self, delays=delays)

    def completing_in(self, year: int) -> tuple[FacilityProject, ...]:
        """The projects that complete in ``year``."""
        return tuple(p for p in self.projects if self.completion_year(p) == year)

    def apply(self, dataset: RegionDataset, params: RuleParameters) -> tuple[RegionDataset, Effect]:
        """Add the facilities of the projects completing in the year of ``params.on``.

        Raises:
            UnknownProject: a project for a community that is not in the dataset.
        """
        year = params.on.year
        c = dataset.communities
        index = {code: i for i, code in enumerate(c.code)}
        area = array("d", c.area)
        office = array("d", c.office)
        facilities = array(c.facilities.typecode, c.facilities)
        yes = array(c.barrier_free_yes.typecode, c.barrier_free_yes)
        no = array(c.barrier_free_no.typecode, c.barrier_free_no)
        by_county: dict[str, Decimal] = {}
        changed: list[str] = []
        for project in self.completing_in(year):
            i = index.get(project.community_code)
            if i is None:
                raise UnknownProject(
                    "community_code", project.community_code, "a community of the dataset"
                )
            # the same sums as a community whose facility list holds project.as_facility()
            if project.kind is FacilityKind.COMPREHENSIVE:
                area[i] = float(Decimal(repr(area[i])) + project.area_m2)
                office[i] = float(Decimal(repr(office[i])) + project.office_area_m2)
            facilities[i] += 1
            if project.barrier_free:
                yes[i] += 1
            else:
                no[i] += 1
            if c.code[i] not in changed:
                changed.append(c.code[i])
            county = project.county_code
            by_county[county] = by_county.get(county, Decimal(0)) + project.area_m2
        columns = c.copy(
            area=area,
            office=office,
            facilities=facilities,
            barrier_free_yes=yes,
            barrier_free_no=no,
        )
        return dataset.evolve(communities=columns), Effect(
            intervention=f"{self} completing in {year}",
            unit=Unit.M2,
            total=sum(by_county.values(), Decimal(0)),
            by_county=by_county,
            changed=tuple(changed),
        )


@attrs.frozen(kw_only=True)
class PipelineOutlook:
    """When each community and each target would be met if the projects complete as planned.

    Attributes:
        years: the years assessed (each on 31 December; the first is the data as it is).
        communities: community code → the first year it meets the facility-area norm
            (``None``: not within the years).
        targets: ``(target id, place code)`` → the first year the target is met there.
        already_in_data: ids of projects completing in or before the first year.
        beyond: ids of projects completing after the last year.
    """

    years: tuple[int, ...]
    communities: Mapping[str, int | None]
    targets: Mapping[tuple[str, str], int | None]
    region_code: str
    already_in_data: tuple[str, ...]
    beyond: tuple[str, ...]

    def year_met(self, target_id: str, place: str | None = None) -> int | None:
        """The first year a target is met at a place (default: the region).

        Raises:
            KeyError: unknown target or place.
        """
        return self.targets[(target_id, place or self.region_code)]

    def community_year(self, code: str) -> int | None:
        """The first year a community meets the facility-area norm.

        Raises:
            KeyError: a community not in the data.
        """
        return self.communities[code]


def _first_years(
    dataset: RegionDataset,
    pipeline: ProjectPipeline,
    years: tuple[int, ...],
    standards: Standards,
    rounding: Rounding,
) -> tuple[dict[str, int | None], dict[tuple[str, str], int | None], str]:
    passing = STATUSES.index(Status.PASS)
    communities: dict[str, int | None] = dict.fromkeys(dataset.communities.code)
    targets: dict[tuple[str, str], int | None] = {}
    region = dataset.root.code
    current = dataset
    for step, year in enumerate(years):
        on = pendulum.Date(year, 12, 31)
        if step > 0:
            current, _ = pipeline.apply(current, RuleParameters.read(standards, on, rounding))
        result = assess(current, on=on, standards=standards, rounding=rounding)
        region = result.region.code
        status = result.runs[FACILITY_AREA.id].status
        for i, code in enumerate(current.communities.code):
            if communities[code] is None and int(status[i]) == passing:
                communities[code] = year
        for t in result.targets:
            key = (t.target.id, t.place.code)
            if key not in targets:
                targets[key] = None
            if targets[key] is None and t.attainment is Attainment.MET:
                targets[key] = year
    return communities, targets, region


def pipeline_outlook(
    dataset: RegionDataset,
    pipeline: ProjectPipeline,
    *,
    years: Sequence[int] | range = range(2016, 2021),
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> PipelineOutlook:
    """Project a pipeline of facility projects year by year (consecutive years).

    Args:
        dataset: the data of the first year.
        pipeline: the projects, with any delays.
        years: consecutive years (default 2016–2020, the plan's period).
        standards: the standards (default: the bundled ones).
        rounding: the §2.1 option.

    Returns:
        A :class:`PipelineOutlook`.

    Raises:
        UnknownProject: a project for a community not in the data.
        InvalidArgumentError: no years, or years that are not consecutive (a project completing in
            a skipped year would be lost).
    """
    expect("dataset", dataset, RegionDataset)
    expect("pipeline", pipeline, ProjectPipeline)
    chosen = tuple(years)
    if not chosen or any(b != a + 1 for a, b in itertools.pairwise(chosen)):
        raise InvalidArgumentError("years", chosen[:10], "consecutive years")
    std = standards if standards is not None else default_standards()
    communities, targets, region = _first_years(dataset, pipeline, chosen, std, Rounding(rounding))
    return PipelineOutlook(
        years=chosen,
        communities=communities,
        targets=targets,
        region_code=region,
        already_in_data=tuple(
            p.id for p in pipeline.projects if pipeline.completion_year(p) <= chosen[0]
        ),
        beyond=tuple(p.id for p in pipeline.projects if pipeline.completion_year(p) > chosen[-1]),
    )


@attrs.frozen(kw_only=True)
class Slip:
    """A community or target whose first year changes when a project is late.

    Attributes:
        what: the community code, or ``"target id @ place code"``.
        on_time: the first year with every project on time.
        late: the first year with the project late (``None``: not within the years).
    """

    what: str
    on_time: int | None
    late: int | None


@attrs.frozen(kw_only=True)
class Slippage:
    """What slips when one project is late.

    Attributes:
        project_id: the late project.
        delay_years: by how many years.
        communities: communities whose first year changes.
        targets: targets (at places) whose first year changes.
        on_time: the outlook with every project on time.
        late: the outlook with the project late.
    """

    project_id: str
    delay_years: int
    communities: tuple[Slip, ...]
    targets: tuple[Slip, ...]
    on_time: PipelineOutlook
    late: PipelineOutlook


def slippage(
    dataset: RegionDataset,
    pipeline: ProjectPipeline,
    project_id: str,
    *,
    delay_years: int = 1,
    years: Sequence[int] | range = range(2016, 2021),
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> Slippage:
    """Compare the outlook of a pipeline with the same pipeline but one project late.

    Raises:
        UnknownProject: no project with that id in the pipeline.
    """
    expect("dataset", dataset, RegionDataset)
    expect("pipeline", pipeline, ProjectPipeline)
    late_pipeline = pipeline.delayed(project_id, delay_years)
    kwargs = {"years": years, "standards": standards, "rounding": rounding}
    on_time = pipeline_outlook(dataset, pipeline, **kwargs)  # type: ignore[arg-type]
    late = pipeline_outlook(dataset, late_pipeline, **kwargs)  # type: ignore[arg-type]
    communities = tuple(
        Slip(what=code, on_time=year, late=late.communities[code])
        for code, year in on_time.communities.items()
        if late.communities[code] != year
    )
    targets = tuple(
        Slip(what=f"{target} @ {place}", on_time=year, late=late.targets.get((target, place)))
        for (target, place), year in on_time.targets.items()
        if late.targets.get((target, place)) != year
    )
    return Slippage(
        project_id=project_id,
        delay_years=delay_years,
        communities=communities,
        targets=targets,
        on_time=on_time,
        late=late,
    )
