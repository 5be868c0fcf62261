"""Assessment tables as pandas DataFrames (the ``sqfw[analysis]`` extra).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sqfw._extras import require
from sqfw.entities import DivisionLevel
from sqfw.errors import InvalidArgumentError
from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._tables import t as t_

if TYPE_CHECKING:
    from sqfw.analysis import Assessment, IndicatorValue

__all__ = ["frame"]


TARGET_COLUMNS = (
    "target",
    "label",
    "clauses",
    "level",
    "place",
    "place_name",
    "attainment",
    "measured",
    "required",
    "gap",
    "gap_unit",
)
"""The columns of ``frame(a, "targets")``, also when the plan sets no targets."""


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _indicator_row(v: IndicatorValue, lang: str) -> dict[str, Any]:
    return {
        "indicator": v.indicator.id,
        "label": v.indicator.label_zh if lang == "zh" else v.indicator.label_en,
        "clauses": "/".join(v.indicator.clauses),
        "level": v.place.level.name.lower(),
        "place": v.place.code,
        "place_name": v.place.name,
        "parent": v.place.parent_code,
        "numerator": _number(v.numerator),
        "denominator": v.denominator,
        "unknown": v.unknown,
        "value": _number(v.value),
    }


def frame(a: Assessment, table: str, **options: Any) -> Any:
    """A DataFrame of one of the assessment's tables.

    The targets' frame has the same columns for every plan; its ``attrs`` record
    ``sets_region_targets`` and, for a plan that sets none (the laws), a ``note`` in
    ``lang`` saying so ("该规划没有区域指标目标。" / "This plan sets no region targets.").
    """
    check_assessment(a)
    pd = require("pandas")
    lang = options.pop("lang", "zh")
    if table == "targets":
        level = options.pop("level", None)
        rows = [
            {
                "target": t.target.id,
                "label": t.target.label_zh if lang == "zh" else t.target.label_en,
                "clauses": "/".join(t.target.clauses),
                "level": t.place.level.name.lower(),
                "place": t.place.code,
                "place_name": t.place.name,
                "attainment": t.attainment.value,
                "measured": _number(t.measured),
                "required": _number(t.required),
                "gap": _number(t.gap),
                "gap_unit": t.target.gap_unit.value,
            }
            for t in a.targets
            if level is None or t.place.level is DivisionLevel[str(level).upper()]
        ]
        targets = pd.DataFrame(rows, columns=TARGET_COLUMNS)
        # what the plan sets, for a reader of the frame alone (pandas keeps attrs along)
        targets.attrs["sets_region_targets"] = a.sets_region_targets
        if not a.sets_region_targets:
            targets.attrs["note"] = t_("no_targets", lang)
        return targets
    if table in ("indicators", "townships"):
        values = a.indicators if table == "indicators" else a.township_indicators
        return pd.DataFrame([_indicator_row(v, lang) for v in values])
    if table == "gaps":
        target = options.pop("target", "facility_area")
        level = DivisionLevel[str(options.pop("level", "county")).upper()]
        rows = [
            {
                "rank": rank,
                "place": t.place.code,
                "place_name": t.place.name,
                "parent": t.place.parent_code,
                "gap": _number(t.gap),
                "gap_unit": t.target.gap_unit.value,
                "attainment": t.attainment.value,
                "measured": _number(t.measured),
            }
            for rank, t in enumerate(a.gaps(target, level), start=1)
        ]
        return pd.DataFrame(rows)
    if table == "findings":
        rows = [
            {
                "code": f.code,
                "name": f.name,
                "county": f.county_code,
                "prefecture": f.prefecture_code,
                "norm": f.norm,
                "clauses": "/".join(f.clauses),
                "status": f.status.value,
                "measured": _number(f.measured),
                "required": _number(f.required),
                "shortfall": _number(f.shortfall),
                "unit": f.unit.value,
                "shortfall_unit": f.shortfall_unit.value,
            }
            for f in a.findings(**options)
        ]
        return pd.DataFrame(rows)
    if table == "processes":
        rows = [
            {
                "indicator": i.id,
                "label": i.label_zh if lang == "zh" else i.label_en,
                "clauses": "/".join(i.clauses),
                "level": i.level,
                "place": i.place,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "value": _number(i.value),
            }
            for i in a.process_indicators
        ]
        return pd.DataFrame(rows)
    if table == "service":
        rows = [
            {
                **{f"{k}_name": r.label(k, lang) for k in r.group},
                **{k: _number(v) if isinstance(v, Fraction) else v for k, v in r.as_dict().items()},
            }
            for r in a.service_indicators
        ]
        return pd.DataFrame(rows)
    raise InvalidArgumentError(
        "table",
        table,
        "'targets', 'indicators', 'townships', 'gaps', 'findings', 'processes' or 'service'",
    )
