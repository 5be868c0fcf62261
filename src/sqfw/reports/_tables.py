"""The report's tables as data: what the terminal, Markdown, HTML and Excel views lay out.

Each table is read from the :class:`~sqfw.analysis.Assessment` (its targets, indicators,
status counts, shortfall totals, gaps and findings); nothing is computed here but counts
of what the result already decided. A cell keeps its figure exact (a ``Fraction``, a
``Decimal`` area, an ``int``) with the kind that says how to show it, so every view
formats it with :mod:`sqfw.formatting` or writes it as a number.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

from sqfw.analysis import COLUMNS, UNKNOWN, Attainment
from sqfw.calculators import Status
from sqfw.entities import DivisionLevel
from sqfw.formatting import amount, is_share, percent, rate
from sqfw.reports._check import assessment as check_assessment
from sqfw.standards import Unit

if TYPE_CHECKING:
    from sqfw.analysis import Assessment, IndicatorDef, IndicatorValue, TargetResult

__all__ = [
    "LEAGUE_INDICATORS",
    "Amount",
    "Field",
    "Table",
    "cell_text",
    "column_warnings",
    "gaps_table",
    "indicators_table",
    "lacking",
    "norms_table",
    "parameters_table",
    "processes_table",
    "ranked_gaps",
    "service_table",
    "skipped_table",
    "t",
    "targets_table",
    "townships_table",
    "unused_columns",
]

Kind = Literal["text", "percent", "amount", "count", "status", "rank"]


@attrs.frozen
class Amount:
    """A gap or shortfall with its unit (``value`` ``None`` when it cannot be said)."""

    value: Decimal | Fraction | int | None
    unit: Unit

    @property
    def number(self) -> float | None:
        """The figure as a float, for spreadsheets and charts."""
        return None if self.value is None else float(self.value)


@attrs.frozen
class Rate:
    """A figure per ``per`` units (m² per 100 households, workers per 10,000 residents),
    shown where a share would be."""

    value: Fraction | None
    per: int

    def __float__(self) -> float:
        return math.nan if self.value is None else float(self.value)


def as_shown(value: Fraction | None, per: int | None) -> Fraction | Rate | None:
    """A share as it is, a rate wrapped as :class:`Rate`."""
    return value if per is None or is_share(per) else Rate(value, per)  # None: for mypy


@attrs.frozen(kw_only=True)
class Field:
    """A column of a report table.

    Attributes:
        key: a short id (also the English heading of machine-readable outputs).
        label_zh: the Chinese heading.
        label_en: the English heading.
        kind: how its cells are shown.
        detail: shown in the HTML page and the workbook, left out of the terminal table.
        unit: the unit cells of kind ``"count"`` count (for the workbook's number format).
    """

    key: str
    label_zh: str
    label_en: str
    kind: Kind = "text"
    detail: bool = False
    unit: str = ""

    def label(self, lang: str) -> str:
        """The heading in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en

    @property
    def numeric(self) -> bool:
        """Whether the cells are figures (aligned right, sorted as numbers)."""
        return self.kind in ("percent", "amount", "count", "rank")


@attrs.frozen(kw_only=True)
class Table:
    """A table of a report: a title, its fields and rows of exact cells.

    Attributes:
        id: a short id (``"targets"``, ``"leagues"`` …).
        title_zh: the Chinese title.
        title_en: the English title.
        fields: the columns.
        rows: one tuple of cells per row.
        levels: the attainment of each row for colouring (``None`` when rows have none).
    """

    id: str
    title_zh: str
    title_en: str
    fields: tuple[Field, ...]
    rows: tuple[tuple[Any, ...], ...]
    levels: tuple[str | None, ...] = ()

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en

    def visible(self, *, detail: bool) -> list[int]:
        """The positions of the fields shown (all, or only the terminal's)."""
        return [i for i, f in enumerate(self.fields) if detail or not f.detail]


_MARK = {"met": "✔", "not_met": "✘", "unknown": "?", "not_applicable": "–", "not_supplied": "∅"}

_WORDS = {
    "title": ("社区服务体系规划目标评估", "Community service plan assessment"),
    "summary": (
        "{name}:{n} 个社区,评估日期 {on};标准:{std}",
        "{name}: {n} communities, assessed on {on}; standards: {std}",
    ),
    "overrides": ("覆盖参数", "overrides"),
    "targets": ("规划目标", "Targets of the plan"),
    "norms": ("社区逐项检查", "Per-community norms"),
    "leagues": ("各盟市指标", "Indicators by league/city"),
    "counties": ("各旗县市区指标", "Indicators by banner/county"),
    "townships": ("各苏木乡镇街道指标", "Indicators by sumu/township/street"),
    "gaps": ("差距最大的旗县市区:{label}", "Largest gaps by banner/county: {label}"),
    "skipped": ("跳过的行", "Skipped rows"),
    "parameters": ("所用参数", "Parameters in force"),
    "unused": ("未使用的列", "Columns not used"),
    "unused_note": (
        "下列列名未对应任何已知字段,未被读取:{names}",
        "these columns match no known field and were not read: {names}",
    ),
    "lacking": ("缺少列:{names}", "missing column: {names}"),
    "lacking_baseline": (
        "缺少基期数据 {name}(--baselines FILE)",
        "no baseline {name} (--baselines FILE)",
    ),
    "cut": (
        "…… 另有 {n} 行未列出(全部见 --format html、xlsx 或 json)",
        "… {n} more rows not shown (all of them in --format html, xlsx or json)",
    ),
    "processes": ("规划过程指标", "Indicators of the plan's processes"),
    "service": ("一窗受理服务评价(好差评)", "One-window service ratings (好差评)"),
    "methods": ("方法说明", "Methods"),
    "no_targets": ("该规划没有区域指标目标。", "This plan sets no region targets."),
    "charts": ("图表", "Charts"),
}


def t(key: str, lang: str) -> str:
    """A fixed phrase of the reports in ``lang``."""
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def cell_text(value: Any, kind: Kind, lang: str) -> str:
    """A cell as the terminal, Markdown and HTML views show it."""
    if kind == "percent":
        return rate(value.value, value.per) if isinstance(value, Rate) else percent(value)
    if kind == "amount":
        return amount(value.value, value.unit)
    if kind == "count":
        return "—" if value is None else f"{value:,}"
    if kind == "status":
        return f"{_MARK[value.value]} {value.label(lang)}"
    return "" if value is None else str(value)


def _label(item: Any, lang: str) -> str:
    return str(item.label_zh if lang == "zh" else item.label_en)


# -- the tables --------------------------------------------------------------------------


def targets_table(
    a: Assessment,
    lang: str,
    level: DivisionLevel = DivisionLevel.REGION,
    *,
    with_place: bool = False,
) -> Table:
    """The targets at places of ``level`` (the region by default), with the place's name
    as first column for other levels (or when ``with_place``)."""
    results = a.targets_at(level)
    with_place = with_place or level is not DivisionLevel.REGION
    fields = [
        Field(key="target", label_zh="目标", label_en="target"),
        Field(key="clauses", label_zh="条款", label_en="clause"),
        Field(key="attainment", label_zh="达成", label_en="attained", kind="status"),
        Field(key="measured", label_zh="现状", label_en="now", kind="percent"),
        Field(key="required", label_zh="要求", label_en="required", kind="percent"),
        Field(key="gap", label_zh="差距", label_en="gap", kind="amount"),
        Field(key="note", label_zh="说明", label_en="explanation", detail=True),
        Field(key="citation", label_zh="依据", label_en="citation", detail=True),
    ]
    if with_place:
        fields.insert(0, Field(key="place", label_zh="地区", label_en="place"))
    rows = []
    for r in results:
        d = r.target
        # the result decided what is shown: a gap that cannot be said, a share of
        # nothing known and an "every" target's 100% are already in its figures
        measured, required, gap = r.measured, r.required, r.gap
        note = r.explanation(lang)
        missing = lacking(a, r, lang)
        if missing:
            note += f" — {missing}"
        row: list[Any] = [
            _label(d, lang),
            "/".join(d.clauses),
            r.attainment,
            as_shown(measured, d.per),
            as_shown(required, d.per),
            Amount(gap, d.gap_unit),
            note,
            r.citation,
        ]
        if with_place:
            row.insert(0, r.place.name)
        rows.append(tuple(row))
    return Table(
        id="targets",
        title_zh=_WORDS["targets"][0],
        title_en=_WORDS["targets"][1],
        fields=tuple(fields),
        rows=tuple(rows),
        levels=tuple(r.attainment.value for r in results),
    )


def _indicator_fields(defs: Iterable[IndicatorDef]) -> list[Field]:
    """A column per indicator, shown as a share (or a rate)."""
    return [Field(key=d.id, label_zh=d.label_zh, label_en=d.label_en, kind="percent") for d in defs]


def _indicator_cells(
    values: dict[str, Fraction | None], defs: Iterable[IndicatorDef]
) -> list[Fraction | Rate | None]:
    """A place's cells of those columns (from :func:`_shown_by_place`)."""
    return [as_shown(values.get(d.id), d.per) for d in defs]


def _shown_by_place(values: Iterable[IndicatorValue]) -> dict[str, dict[str, Fraction | None]]:
    """Each place's indicators as the result gives them (``None`` when nothing was known)."""
    by_place: dict[str, dict[str, Fraction | None]] = {}
    for v in values:
        by_place.setdefault(v.place.code, {})[v.indicator.id] = v.value
    return by_place


def norms_table(a: Assessment, lang: str) -> Table:
    """How many communities pass, fail or are unknown for each per-community norm."""
    rows = []
    for item in (run.norm for run in a.runs.values()):  # the plan's norms
        counts = a.status_counts(item.id)
        shortfall = a.shortfall_total(item.id)
        unit = item.shortfall_unit
        total: Decimal | int = (
            Decimal(repr(round(shortfall, 2))) if unit is Unit.M2 else int(shortfall)
        )
        rows.append(
            (
                _label(item, lang),
                counts[Status.PASS],
                counts[Status.FAIL],
                counts[Status.UNKNOWN],
                counts[Status.NOT_APPLICABLE],
                Amount(total, unit),
            )
        )
    return Table(
        id="norms",
        title_zh=_WORDS["norms"][0],
        title_en=_WORDS["norms"][1],
        fields=(
            Field(key="norm", label_zh="规范", label_en="norm"),
            Field(key="pass", label_zh="达标", label_en="pass", kind="count", unit="个"),
            Field(key="fail", label_zh="未达标", label_en="fail", kind="count", unit="个"),
            Field(key="unknown", label_zh="未知", label_en="unknown", kind="count", unit="个"),
            Field(key="na", label_zh="不适用", label_en="n/a", kind="count", unit="个"),
            Field(key="shortfall", label_zh="差额合计", label_en="total shortfall", kind="amount"),
        ),
        rows=tuple(rows),
    )


LEAGUE_INDICATORS = (
    "facility_area.compliance",
    "volunteers.share",
    "street_hall.coverage",
    "smart.infrastructure",
    "direct_election.ratio",
    "workforce.pay_share",
)
"""The indicators the terminal's league table shows (every one in the page and workbook)."""


def indicators_table(
    a: Assessment, lang: str, level: DivisionLevel, *, only: Sequence[str] | None = None
) -> Table:
    """Indicators by place of ``level``, one column each, and the targets met there."""
    plan_defs = list(dict.fromkeys(v.indicator for v in a.indicators))
    chosen = [d for d in plan_defs if only is None or d.id in only]
    defs = chosen or plan_defs  # another plan's indicators: all of them
    by_place = _shown_by_place(v for v in a.indicators if v.place.level is level)
    met: dict[str, int] = {}
    decided: dict[str, int] = {}
    for r in a.targets:
        if r.place.level is level:
            decided[r.place.code] = decided.get(r.place.code, 0) + 1
            met[r.place.code] = met.get(r.place.code, 0) + (r.attainment is Attainment.MET)
    fields = [Field(key="place", label_zh="地区", label_en="place")]
    county = level is DivisionLevel.COUNTY
    if county:
        fields.append(Field(key="parent", label_zh="所属盟市", label_en="league/city"))
    fields += _indicator_fields(defs)
    targets = a.sets_region_targets  # a plan without targets has no "0/0" column
    if targets:
        fields.append(Field(key="met", label_zh="达成目标", label_en="targets met"))
    rows = []
    for place in a.places:
        if place.level is not level:
            continue
        values = by_place.get(place.code, {})
        row: list[Any] = [place.name]
        if county:
            row.append(a.place(place.parent_code).name if place.parent_code else "")
        row += _indicator_cells(values, defs)
        if targets:
            row.append(f"{met.get(place.code, 0)}/{decided.get(place.code, 0)}")
        rows.append(tuple(row))
    key = "counties" if county else "leagues"
    return Table(
        id=key,
        title_zh=_WORDS[key][0],
        title_en=_WORDS[key][1],
        fields=tuple(fields),
        rows=tuple(rows),
    )


def townships_table(a: Assessment, lang: str) -> Table:
    """Indicators by sumu/township/street, one column each (no targets are decided there)."""
    values = a.township_indicators
    defs = list(dict.fromkeys(v.indicator for v in values))
    by_place = _shown_by_place(values)
    places = {v.place.code: v.place for v in values}
    rows = []
    for code, place in places.items():
        county = a.place(place.parent_code) if place.parent_code else None
        row: list[Any] = [place.name, code, county.name if county else ""]
        row += _indicator_cells(by_place[code], defs)
        rows.append(tuple(row))
    return Table(
        id="townships",
        title_zh=_WORDS["townships"][0],
        title_en=_WORDS["townships"][1],
        fields=(
            Field(key="place", label_zh="苏木乡镇街道", label_en="sumu/township/street"),
            Field(key="code", label_zh="代码", label_en="code"),
            Field(key="parent", label_zh="所属旗县市区", label_en="banner/county"),
            *_indicator_fields(defs),
        ),
        rows=tuple(rows),
    )


def ranked_gaps(a: Assessment, target_id: str) -> list[TargetResult]:
    """A target's banners/counties with a gap, largest first: the rows of its ranking.

    The gap ranking of every view (the tables of the text report, the HTML page and the
    workbook, and the charts) lists these results in this order.
    """
    return [r for r in a.gaps(target_id) if r.gap]


def gaps_table(a: Assessment, target_id: str, lang: str, top: int | None) -> Table | None:
    """A target's gaps by banner/county, largest first (``None`` when there is none)."""
    ranked = ranked_gaps(a, target_id)
    if not ranked:
        return None
    d = ranked[0].target
    label = d.gap_zh if lang == "zh" else d.gap_en
    shown = ranked if top is None else ranked[:top]
    return Table(
        id=f"gaps.{target_id}",
        title_zh=_WORDS["gaps"][0].format(label=d.gap_zh),
        title_en=_WORDS["gaps"][1].format(label=d.gap_en),
        fields=(
            Field(key="rank", label_zh="#", label_en="#", kind="rank"),
            Field(key="place", label_zh="地区", label_en="place"),
            Field(key="parent", label_zh="所属盟市", label_en="league/city"),
            Field(key="gap", label_zh=label, label_en=label, kind="amount"),
            Field(key="measured", label_zh="现状", label_en="now", kind="percent"),
        ),
        rows=tuple(
            (
                i + 1,
                r.place.name,
                a.place(r.place.parent_code).name if r.place.parent_code else "",
                Amount(r.gap, d.gap_unit),
                as_shown(r.measured, d.per),  # a rate as the targets table shows it
            )
            for i, r in enumerate(shown)
        ),
        levels=tuple(r.attainment.value for r in shown),
    )


def parameters_table(a: Assessment, lang: str) -> Table:
    """Every parameter the assessment read: value, period, clause, source, override."""
    seen: dict[str, Any] = dict(a.parameters.lookups)
    for r in a.targets_at():
        for p in r.parameters:
            seen.setdefault(p.id, p)
    rows = tuple(
        (
            p.id,
            _label(p.parameter, lang),
            _value_text(p.value),
            p.period_text,
            p.citation.clause,
            str(p.citation),
            str(p.override) if p.override is not None else "",
        )
        for p in seen.values()
    )
    return Table(
        id="parameters",
        title_zh=_WORDS["parameters"][0],
        title_en=_WORDS["parameters"][1],
        fields=(
            Field(key="id", label_zh="参数", label_en="parameter"),
            Field(key="label", label_zh="名称", label_en="name"),
            Field(key="value", label_zh="取值", label_en="value"),
            Field(key="period", label_zh="有效期", label_en="period"),
            Field(key="clause", label_zh="条款", label_en="clause"),
            Field(key="citation", label_zh="依据", label_en="citation"),
            Field(key="override", label_zh="覆盖", label_en="override"),
        ),
        rows=rows,
    )


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "是 / yes" if value else "否 / no"
    if isinstance(value, Fraction):
        return f"{value} ({percent(value)})" if value.denominator != 1 else str(value.numerator)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def skipped_table(a: Assessment) -> Table:
    """The rows the loader left out, with the reason."""
    return Table(
        id="skipped",
        title_zh=_WORDS["skipped"][0],
        title_en=_WORDS["skipped"][1],
        fields=(
            Field(key="source", label_zh="文件", label_en="file"),
            Field(key="row", label_zh="行", label_en="row", kind="count"),
            Field(key="column", label_zh="列", label_en="column"),
            Field(key="reason", label_zh="原因", label_en="reason"),
        ),
        rows=tuple((s.source, s.row, s.column or "", s.reason) for s in a.skipped),
    )


# -- the plan's processes and the one-window service ------------------------------------


def _place_names(a: Assessment, codes: set[str]) -> dict[str, str]:
    """The names of these places as the region knows them (communities, streets, counties)."""
    names = {p.code: p.name for p in a.places if p.code in codes}
    names.update((d.code, d.name) for d in a.dataset.townships if d.code in codes)
    c = a.dataset.communities
    if codes - names.keys():
        pairs = zip(c.code, c.name, strict=True)
        names.update((code, name) for code, name in pairs if code in codes)
    return names


def processes_table(a: Assessment, lang: str) -> Table | None:
    """The indicators of the plan's processes attached to the assessment (``None``: none)."""
    from sqfw.analysis import PROCESS_LEVELS

    shown = a.process_indicators
    if not shown:
        return None
    names = _place_names(a, {i.place for i in shown})
    rows = tuple(
        (
            _label(i, lang),
            i.place,
            names.get(i.place, ""),
            PROCESS_LEVELS[i.level][1 if lang == "zh" else 2],
            i.value if i.denominator is not None else None,
            i.numerator,
            i.denominator,
            ", ".join(i.clauses),
        )
        for i in shown
    )
    return Table(
        id="processes",
        title_zh=_WORDS["processes"][0],
        title_en=_WORDS["processes"][1],
        fields=(
            Field(key="indicator", label_zh="指标", label_en="indicator"),
            Field(key="code", label_zh="代码", label_en="code", detail=True),
            Field(key="place", label_zh="地区", label_en="place"),
            Field(key="level", label_zh="层级", label_en="level", detail=True),
            Field(key="share", label_zh="比例", label_en="share", kind="percent"),
            Field(key="count", label_zh="数量", label_en="count", kind="count"),
            Field(key="of", label_zh="总数", label_en="out of", kind="count"),
            Field(key="clauses", label_zh="条款", label_en="clauses"),
        ),
        rows=rows,
    )


def service_table(a: Assessment, lang: str) -> Table | None:
    """The one-window service's 好差评 indicators attached to the assessment (``None``: none)."""
    from sqfw.workflows.indicators import COUNTS, INDICATOR_LABELS, SHARES

    shown = a.service_indicators
    if not shown:
        return None
    keys = [k for k in ("office", "service", "month") if any(k in r.group for r in shown)]
    rows = tuple(
        (
            *(r.label(k, lang) for k in keys),
            *(getattr(r, k) for k in COUNTS),
            *(getattr(r, k) for k in SHARES),
        )
        for r in shown
    )

    def field(key: str, kind: Kind, detail: bool = False) -> Field:
        zh, en = INDICATOR_LABELS[key]
        return Field(key=key, label_zh=zh, label_en=en, kind=kind, detail=detail)

    return Table(
        id="service",
        title_zh=_WORDS["service"][0],
        title_en=_WORDS["service"][1],
        fields=(
            *(field(k, "text") for k in keys),
            *(field(k, "count", detail=k != "tickets") for k in COUNTS),
            *(field(k, "percent") for k in SHARES),
        ),
        rows=rows,
    )


# -- what the data lacked ----------------------------------------------------------------


def unused_columns(a: Assessment) -> tuple[str, ...]:
    """The columns of the source table that no field reads (kept as ``extra``)."""
    return tuple(a.dataset.communities.extra)


def _all_unknown(a: Assessment, field: str) -> bool:
    """Whether the dataset knows nothing of the facts a column fills."""
    d = a.dataset
    c = d.communities
    if not len(c):
        return True
    if field in ("households", "residents", "floating", "volunteers", "area", "office"):
        return all(math.isnan(v) for v in getattr(c, field))
    if field in ("direct", "smart_infrastructure", "smart_sharing", "smart_online"):
        return all(v == UNKNOWN for v in getattr(c, field))
    if field == "barrier_free":
        return not any(c.barrier_free_yes) and not any(c.barrier_free_no)
    if field == "street_hall":
        return all(t.public_service_hall is None for t in d.townships)
    if field == "pay":
        return all(k.meets_pay_requirements is None for k in d.counties)
    if field in ("workers", "workers_associate"):
        return all(math.isnan(v) for v in d.county_workers)
    return False


def lacking(a: Assessment, result: TargetResult, lang: str) -> str:
    """Why a target cannot be decided, when it is for want of data: the columns or baseline.

    Empty when the target is decided or nothing it reads is wholly missing.
    """
    if result.attainment is not Attainment.UNKNOWN:
        return ""
    d = result.target
    parts = []
    names = [_label(c, lang) for c in COLUMNS if d.id in c.needed_by and _all_unknown(a, c.field)]
    if names:
        parts.append(t("lacking", lang).format(names=", ".join(names)))
    if d.baseline is not None and getattr(a.dataset.baselines, d.baseline) is None:
        parts.append(t("lacking_baseline", lang).format(name=d.baseline))
    return "; ".join(parts)


def column_warnings(a: Assessment, lang: str = "en") -> list[str]:
    """One line per column left unused (with the closest known header as a hint) and per
    target that a missing column or baseline leaves undecided."""
    check_assessment(a)
    from sqfw.analysis import closest_column

    lines = []
    for name in unused_columns(a):
        hint = closest_column(name)
        if lang == "zh":
            line = f"列“{name}”未被读取(没有已知字段使用此列名)"
            if hint is not None:
                line += f";最接近的已知列:{hint.headers[0]}({hint.field})"
        else:
            line = f"column {name!r} is not used (no known field has this header)"
            if hint is not None:
                line += f"; closest known header: {hint.headers[0]} ({hint.field})"
        lines.append(line)
    for r in a.targets_at():
        why = lacking(a, r, lang)
        if why:
            label = r.target.label_zh if lang == "zh" else r.target.label_en
            lines.append(
                f"目标“{label}”无法判断:{why}" if lang == "zh" else f"{label}: unknown; {why}"
            )
    return lines
