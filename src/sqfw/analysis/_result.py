"""The result of a region assessment: places, indicators, targets and findings.

These classes hold what :func:`~sqfw.analysis.assess` decided; they compute no rule. A
finding is one row of a norm's kernel outputs, and its explanation is that norm's own
(:meth:`CommunityFinding.result`), built from the row without running the rule again.

The views (:mod:`sqfw.reports`: text, HTML, JSON, DataFrames, charts) are built on top of
this result and import it; it never imports them, and nothing registers them here.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

from sqfw.analysis._dataset import RegionDataset, SkippedRow
from sqfw.analysis._engine import STATUSES, NormRun, RuleParameters
from sqfw.analysis._rollup import PlaceSums
from sqfw.analysis._targets import IndicatorDef, TargetDef
from sqfw.calculators import Count, Result, Status
from sqfw.calculators.kernels import Row
from sqfw.entities import DivisionLevel
from sqfw.entities.divisions import code_prefix
from sqfw.errors import InvalidArgumentError, NotFoundError
from sqfw.labels import LabeledEnum, Lang, check_lang
from sqfw.standards import ParameterValue, Plan, PlanInForce, Standards, Unit

if TYPE_CHECKING:
    from sqfw.analysis._processes import ProcessIndicator
    from sqfw.workflows.indicators import IndicatorRow

__all__ = [
    "Assessment",
    "Attainment",
    "CommunityFinding",
    "FindingSelection",
    "IndicatorValue",
    "Place",
    "Ranking",
    "TargetResult",
]


class Attainment(LabeledEnum):
    """Whether a target of the plan is attained at a place.

    ``NOT_SUPPLIED``: the plan names the target but not its figure, and the user has not
    supplied it (an override or their own plan): never met, never invented.
    """

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    NOT_SUPPLIED = "not_supplied"

    __labels__ = {
        "met": ("已达成", "met"),
        "not_met": ("未达成", "not met"),
        "unknown": ("无法判断", "unknown"),
        "not_applicable": ("不适用", "not applicable"),
        "not_supplied": ("指标值未提供", "value not supplied"),
    }

    @classmethod
    def of(cls, status: Status) -> Attainment:
        """The attainment a rule's :class:`~sqfw.calculators.Status` stands for."""
        return _ATTAINMENT[status]


_ATTAINMENT = {
    Status.PASS: Attainment.MET,
    Status.FAIL: Attainment.NOT_MET,
    Status.UNKNOWN: Attainment.UNKNOWN,
    Status.NOT_APPLICABLE: Attainment.NOT_APPLICABLE,
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
    numerator: int | Decimal
    denominator: int
    unknown: int

    @property
    def nothing_known(self) -> bool:
        """Whether no case counted was known (every view then shows "—", not "0.00%")."""
        count = Count(yes=self.numerator, total=self.denominator, unknown=self.unknown)
        return count.nothing_known(self.indicator.unknown)

    @property
    def value(self) -> Fraction | None:
        """The exact ratio — per ``indicator.per`` units for a rate — ``None`` for an empty
        denominator."""
        if not self.denominator or self.nothing_known:
            return None
        ratio = Fraction(self.numerator) / self.denominator
        return ratio * self.indicator.per if self.indicator.per else ratio

    def __repr__(self) -> str:
        value = self.value
        shown = "—" if value is None else f"{float(value):.4g}"
        return (
            f"<IndicatorValue {self.indicator.id} at {self.place.name}: {shown} "
            f"({self.numerator}/{self.denominator}, {self.unknown} unknown)>"
        )


@attrs.frozen(kw_only=True)
class TargetResult:
    """A target at a place: attainment, figures, citation and the gap to close.

    Attributes:
        target: the :class:`TargetDef`.
        place: the :class:`Place`.
        attainment: :class:`Attainment`.
        measured: the measured share (or, for ``every`` targets, the compliance rate).
        required: the required share (``None`` when it cannot be said).
        gap: what is still to do, in ``target.gap_unit`` (``None`` when it cannot be said).
        parameters: every parameter read, with its period and citation.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
        carried_forward: the plan carried forward when the target is one of a plan
            followed past its period (its note says which plan, which period and the date
            the target is dated at); ``None`` otherwise.
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
    carried_forward: PlanInForce | None = None

    @property
    def citation(self) -> str:
        """The citations of the parameters read, one per line."""
        return "\n".join(str(p.citation) for p in self.parameters)

    def explanation(self, lang: str = "zh") -> str:
        """The explanation in ``lang``."""
        return self.explanation_zh if lang == "zh" else self.explanation_en

    def __repr__(self) -> str:
        def share(value: Fraction | None) -> str:
            return "—" if value is None else f"{float(value):.4g}"

        gap = "—" if self.gap is None else f"{self.gap} {self.target.gap_unit.value}"
        return (
            f"<TargetResult {self.target.id} at {self.place.name}: {self.attainment.value}, "
            f"measured {share(self.measured)}, required {share(self.required)}, gap {gap}>"
        )


class Ranking(tuple[TargetResult, ...]):
    """Target results ranked by gap, largest first: what :meth:`Assessment.gaps` returns.

    A tuple (index it, slice it, loop over it) whose ``repr`` stays short however many
    places it ranks; ``Assessment.to_frame("gaps", target=…)`` gives it as a DataFrame.

    .. versionadded:: 0.1.0
    """

    __slots__ = ()

    def __repr__(self) -> str:
        if not self:
            return "<Ranking: no places>"
        shown = ", ".join(f"{t.place.name} {'—' if t.gap is None else t.gap}" for t in self[:5])
        more = f", … {len(self) - 5:,} more" if len(self) > 5 else ""
        unit = self[0].target.gap_unit.value
        return f"<Ranking of {self[0].target.id} by gap ({unit}), largest first: {shown}{more}>"


@attrs.frozen(kw_only=True)
class CommunityFinding:
    """One per-community norm for one community, read from the assessment's columns.

    Its figures are those the norm's explained check gives for the same community;
    :meth:`result` gives that check's full explanation (parameters with their periods and
    citations, sub-checks, lines in Chinese and English), built from the same row.

    Attributes:
        code: community code.
        name: community name.
        county_code: its banner/county.
        prefecture_code: its league/city.
        norm: the norm's id (``"facility_area"`` …).
        clauses: the clauses of the parameters the finding rests on.
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
    run: NormRun = attrs.field(eq=False, repr=False)
    row: Row = attrs.field(eq=False, repr=False)

    def result(self) -> Result:
        """The norm's explained result for this community (no rule is run again)."""
        return self.run.norm.result(self.row, self.run.params, self.code)

    def explanation(self, lang: Lang = "zh") -> str:
        """The norm's one-line explanation in ``lang`` (``"zh"`` or ``"en"``)."""
        chosen = check_lang(lang)
        said = self.run.norm.explain(self.row, self.run.params)
        return said.explanation_zh if chosen == "zh" else said.explanation_en


@attrs.frozen(kw_only=True, eq=False)
class FindingSelection:
    """Which per-community findings to read, in row order (picklable: plain columns).

    Attributes:
        codes: the communities' codes.
        statuses: each selected norm's status codes (indices into ``STATUSES``).
        wanted: the status codes kept (``None``: every status).
        prefix: the code prefix of the place kept (``None``: everywhere).
    """

    codes: Sequence[str]
    statuses: Mapping[str, Any]
    wanted: frozenset[int] | None
    prefix: str | None

    def keys(self, rows: range) -> Iterator[tuple[int, str]]:
        """The (row index, norm) of each selected finding among ``rows``."""
        codes, prefix, wanted = self.codes, self.prefix, self.wanted
        for index in rows:
            if prefix is not None and not codes[index].startswith(prefix):
                continue
            for name, column in self.statuses.items():
                if wanted is not None and int(column[index]) not in wanted:
                    continue
                yield index, name


_T = TypeVar("_T")


def _lookup(table: Mapping[tuple[str, str], _T], what: str, key: str, place: str) -> _T:
    """The item of ``table`` at ``(key, place)``, or a NotFoundError naming which is wrong."""
    found = table.get((key, place)) if isinstance(key, str) and isinstance(place, str) else None
    if found is not None:
        return found
    if not any(k == key for k, _ in table):
        raise NotFoundError(what, key, "one of " + ", ".join(sorted({k for k, _ in table})))
    raise NotFoundError("place", place, f"the code of a place where {key!r} is decided")


def _items(argument: str, items: Iterable[_T], kind: type[_T]) -> tuple[_T, ...]:
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidArgumentError(argument, items, f"an iterable of {kind.__name__}")
    out = tuple(items)
    article = "an" if kind.__name__[0] in "AEIOU" else "a"
    for index, item in enumerate(out):
        if not isinstance(item, kind):
            raise InvalidArgumentError(
                f"{argument}[{index}]", type(item).__name__, f"{article} {kind.__name__}"
            )
    return out


@attrs.frozen(kw_only=True, eq=False)
class Assessment:
    """The outcome of :func:`assess`: findings, indicators, targets and gaps.

    Attributes:
        dataset: the region assessed.
        on: the evaluation date.
        standards: the standards in force (with their overrides).
        plan: the plan the assessment follows (its norms and targets).
        parameters: the per-community norms' parameters as read on ``on``.
        runs: each per-community norm evaluated over the dataset, by norm id.
        places: the region, its leagues/cities and its banners/counties.
        sums: the rolled-up figures of each place, by place code.
        indicators: every indicator at every place.
        targets: every target at every place it is decided at.
        fast_path: ``"numpy"`` or ``"python"``.
        process_indicators: the indicators of the plan's processes (consultation, owners'
            committees, three-society projects, facility projects, the floating-population
            register, commendation) a host attached with :meth:`with_processes`.
        service_indicators: the one-window service's 好差评 indicators (by office,
            service and month) a host attached with :meth:`with_processes`.
        count_townships: counts :attr:`township_indicators` when first asked for (given
            by :func:`assess`; ``None``: no township figures).
        in_force: how the plan was chosen for ``on``: carried forward past its period or
            not, with the date its parameters and targets are read on
            (:class:`~sqfw.standards.PlanInForce`).
    """

    dataset: RegionDataset
    on: pendulum.Date
    standards: Standards
    plan: Plan
    parameters: RuleParameters
    runs: Mapping[str, NormRun]
    places: tuple[Place, ...]
    sums: Mapping[str, PlaceSums]
    indicators: tuple[IndicatorValue, ...]
    targets: tuple[TargetResult, ...]
    fast_path: str
    process_indicators: tuple[ProcessIndicator, ...] = ()
    service_indicators: tuple[IndicatorRow, ...] = ()
    in_force: PlanInForce | None = None
    count_townships: Callable[[Assessment], tuple[IndicatorValue, ...]] | None = attrs.field(
        default=None, repr=False
    )

    @property
    def carried_forward(self) -> PlanInForce | None:
        """The plan carried forward past its period, if it is (see :attr:`in_force`)."""
        found = self.in_force
        return found if found is not None and found.carried_forward else None

    @property
    def skipped(self) -> tuple[SkippedRow, ...]:
        """Rows the loader skipped (never silently lost)."""
        return self.dataset.skipped

    @property
    def region(self) -> Place:
        """The region as a :class:`Place`."""
        return self.places[0]

    @property
    def sets_region_targets(self) -> bool:
        """Whether the plan sets any target for the region.

        A plan of laws (``cn-laws``) sets none: its reports say so ("该规划没有区域指标
        目标" / "this plan sets no region targets") instead of an empty table of targets
        and "0/0" targets met.

        .. versionadded:: 0.1.0
        """
        return bool(self.targets_at())

    def with_processes(
        self,
        *,
        indicators: Iterable[ProcessIndicator] = (),
        service: Iterable[IndicatorRow] = (),
    ) -> Assessment:
        """This assessment with the indicators of processes, for the region report.

        The indicators are computed from records and entities a host keeps (see
        :mod:`sqfw.analysis` ``*_indicators`` and
        :func:`sqfw.workflows.indicators.service_indicators`); the report shows them in
        its process and one-window sections, every view alike. Attaching again replaces
        what was attached.

        Args:
            indicators: :class:`~sqfw.analysis.ProcessIndicator` values.
            service: :class:`~sqfw.workflows.indicators.IndicatorRow` values.

        Raises:
            InvalidArgumentError: an item of another kind.
        """
        from sqfw.analysis._processes import ProcessIndicator
        from sqfw.workflows.indicators import IndicatorRow

        process = _items("indicators", indicators, ProcessIndicator)
        ratings = _items("service", service, IndicatorRow)
        return attrs.evolve(self, process_indicators=process, service_indicators=ratings)

    @functools.cached_property
    def township_indicators(self) -> tuple[IndicatorValue, ...]:
        """The indicators by sumu/township/street (counted when first asked for).

        Only indicators the communities' figures give (not the county's pay or worker
        figures); no target is decided at a township. The workbook's township sheet and
        ``to_frame("townships")`` show them.
        """
        if self.count_townships is None:
            return ()
        return self.count_townships(self)

    @functools.cached_property
    def target_definitions(self) -> tuple[TargetDef, ...]:
        """The targets of the assessed plan, in the plan's order (each once).

        Every view lists the targets from here, so a ``cn-14th`` assessment shows the 14th
        plan's targets and a plan without region targets shows none.
        """
        return tuple(dict.fromkeys(t.target for t in self.targets))

    @functools.cached_property
    def indicator_definitions(self) -> tuple[IndicatorDef, ...]:
        """The indicators of the assessed plan, in the plan's order (each once)."""
        return tuple(dict.fromkeys(v.indicator for v in self.indicators))

    # -- lookups ---------------------------------------------------------------------------

    @functools.cached_property
    def _places_by_code(self) -> dict[str, Place]:
        return {p.code: p for p in self.places}

    @functools.cached_property
    def _targets_by_key(self) -> dict[tuple[str, str], TargetResult]:
        found: dict[tuple[str, str], TargetResult] = {}
        for t in self.targets:
            found.setdefault((t.target.id, t.place.code), t)
        return found

    @functools.cached_property
    def _indicators_by_key(self) -> dict[tuple[str, str], IndicatorValue]:
        found: dict[tuple[str, str], IndicatorValue] = {}
        for v in self.indicators:
            found.setdefault((v.indicator.id, v.place.code), v)
        return found

    @functools.cached_property
    def _row_of(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.dataset.communities.code)}

    def place(self, code: str) -> Place:
        """The place with this code.

        Raises:
            NotFoundError: no such place (a ``KeyError``).
        """
        found = self._places_by_code.get(code) if isinstance(code, str) else None
        if found is None:
            raise NotFoundError("place", code, "the code of a place of the assessment")
        return found

    def target(self, target_id: str, place: str | None = None) -> TargetResult:
        """A target at a place (default: the region).

        Raises:
            NotFoundError: unknown target or place (a ``KeyError``).
        """
        return _lookup(self._targets_by_key, "target", target_id, place or self.region.code)

    def targets_at(self, level: DivisionLevel = DivisionLevel.REGION) -> tuple[TargetResult, ...]:
        """Every target decided at places of ``level``."""
        return tuple(t for t in self.targets if t.place.level is level)

    def indicator(self, indicator_id: str, place: str | None = None) -> IndicatorValue:
        """An indicator at a place (default: the region).

        Raises:
            NotFoundError: unknown indicator or place (a ``KeyError``).
        """
        return _lookup(
            self._indicators_by_key, "indicator", indicator_id, place or self.region.code
        )

    def indicators_at(
        self, level: DivisionLevel = DivisionLevel.REGION
    ) -> tuple[IndicatorValue, ...]:
        """Every indicator at places of ``level``."""
        return tuple(v for v in self.indicators if v.place.level is level)

    def gaps(self, target_id: str, level: DivisionLevel = DivisionLevel.COUNTY) -> Ranking:
        """A target's results at places of ``level``, largest gap first (unknown gaps last).

        Ties are broken by the place code, so the ranking is stable.

        Returns:
            A :class:`Ranking` (a tuple of :class:`TargetResult` with a short ``repr``).
        """
        rows = [t for t in self.targets if t.target.id == target_id and t.place.level is level]
        return Ranking(sorted(rows, key=lambda t: (t.gap is None, -(t.gap or 0), t.place.code)))

    def status_counts(self, norm: str, place: str | None = None) -> dict[Status, int]:
        """How many communities have each status for a per-community norm (at a place)."""
        statuses = self.sums[place or self.region.code].norms[norm].statuses
        return {s: round(statuses[s]) for s in STATUSES}

    def shortfall_total(self, norm: str, place: str | None = None) -> float:
        """The sum of the shortfalls of the communities failing a norm (at a place)."""
        return self.sums[place or self.region.code].norms[norm].shortfall

    # -- findings --------------------------------------------------------------------------

    def finding(self, index: int, norm: str) -> CommunityFinding:
        """The finding of ``norm`` for the community at row ``index``."""
        d = self.dataset
        c = d.communities
        run = self.runs[norm]
        said = run.said(index)
        county_index = d.township_county[c.township[index]]
        return CommunityFinding(
            code=c.code[index],
            name=c.name[index],
            county_code=d.counties[county_index].code,
            prefecture_code=d.prefectures[d.county_prefecture[county_index]].code,
            norm=norm,
            clauses=said.clauses,
            status=said.status,
            measured=said.measured,
            required=said.required,
            shortfall=said.shortfall,
            unit=run.norm.unit,
            shortfall_unit=run.norm.shortfall_unit,
            run=run,
            row=said.row,
        )

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
        for index, name in self.finding_keys(norm=norm, status=status, place=place):
            yield self.finding(index, name)

    def finding_keys(
        self,
        *,
        norm: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        place: str | None = None,
    ) -> Iterator[tuple[int, str]]:
        """The row index and norm of each finding :meth:`findings` yields, in its order.

        The arguments are those of :meth:`findings`; nothing is built but the pairs.
        """
        selection = self.finding_selection(norm=norm, status=status, place=place)
        return selection.keys(range(len(self.dataset)))

    def finding_selection(
        self,
        *,
        norm: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        place: str | None = None,
    ) -> FindingSelection:
        """Which findings :meth:`findings` yields (the arguments are the same)."""
        norms = (norm,) if norm else tuple(self.runs)
        wanted: frozenset[int] | None = None
        if status is not None:
            statuses = [status] if isinstance(status, str | Status) else list(status)
            wanted = frozenset(STATUSES.index(Status(s)) for s in statuses)
        if place is not None:
            self.place(place)
        return FindingSelection(
            codes=self.dataset.communities.code,
            statuses={name: self.runs[name].status for name in norms},
            wanted=wanted,
            prefix=code_prefix(place) if place else None,
        )

    def explain(self, community_code: str) -> tuple[Result, ...]:
        """Each norm's explained result for one community, from the assessment's rows.

        Every parameter with its period and citation, the sub-checks and the lines in
        Chinese and English are those the explained check of the same community gives;
        no rule is run again.

        Raises:
            NotFoundError: no community with this code (a ``KeyError``).
        """
        index = self._row_of.get(community_code) if isinstance(community_code, str) else None
        if index is None:
            raise NotFoundError(
                "community_code", community_code, "the code of a community of the assessment"
            )
        return tuple(
            run.norm.result(run.row(index), run.params, community_code)
            for run in self.runs.values()
        )

    def __repr__(self) -> str:
        head = f"<Assessment {self.region.name} on {self.on} ({self.plan.id}): "
        head += f"{len(self.dataset)} communities, "
        if not self.sets_region_targets:
            return head + "the plan sets no region targets>"
        met = sum(1 for t in self.targets_at() if t.attainment is Attainment.MET)
        return head + f"{met}/{len(self.targets_at())} targets met>"
