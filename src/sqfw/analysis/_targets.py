"""The plans' indicators and targets: data read by a strict loader.

Each plan's ``targets.toml`` declares the indicators and targets its region assessment
decides.
The loader refuses unknown keys, missing or blank labels, unknown parameters, norms,
indicators, baselines, levels and units, and an indicator ``key`` that names no declared
rule (a :class:`~sqfw.calculators.Norm` or a region rule of
:data:`~sqfw.calculators._region.REGION_RULES`), naming the file and the key path
(:class:`~sqfw.errors.StandardsError`, as for the standards). A target's clauses are
derived from the citations of the parameters it reads, never written by hand; its kind is
one of the :class:`~sqfw.calculators._kinds.TargetKind` objects.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from sqfw._text import require_text
from sqfw.analysis._dataset import Baselines
from sqfw.calculators import NORMS, REGION_RULES, RegionRule, TargetKind, region_rule
from sqfw.calculators.assess import norm as norm_by_id
from sqfw.calculators.kernels import KINDS
from sqfw.entities import DivisionLevel
from sqfw.errors import StandardsError
from sqfw.standards import Plan, Standards, Unit, default_standards, get_plan, plan_standards

__all__ = ["INDICATORS", "TARGETS", "IndicatorDef", "TargetDef", "load_targets"]

BASELINES = tuple(f.name for f in attrs.fields(Baselines))
"""The earlier figures an ``above_baseline`` target may compare with (:class:`Baselines`)."""

_ALL_PLACES = (DivisionLevel.REGION, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY)


@attrs.frozen(kw_only=True)
class IndicatorDef:
    """An indicator: a numerator over a denominator, with its clauses and labels.

    Attributes:
        id: the indicator's id.
        clauses: the clauses its parameters (or its norm's) cite.
        key: the rule it counts: the norm's id, or a region rule's
            (:func:`~sqfw.calculators._region.region_rule`).
        label_zh: Chinese label.
        label_en: English label.
        unit_zh: what it counts, in Chinese.
        unit_en: what it counts, in English.
        norm: the per-community norm it counts, if any.
        parameters: the parameters behind it.
        per: for a rate, the units of the denominator it is counted per (100 households,
            10,000 residents); ``None`` for a share.
        unknown: how cases with an unknown answer or figure stand to the count (its
            region rule's :attr:`~sqfw.calculators._region.RegionRule.unknowns`):
            ``"within"`` — members of the denominator whose answer is unknown (streets with
            no answer on a hall); ``"members"`` — members left out of the denominator
            (urban communities whose area is unknown); ``"amounts"`` — rows whose amounts
            are left out of both sums (volunteers and residents of a community with an
            unknown count). A share target bounds the first two both ways, and is unknown
            for the third only when nothing at all is known.
    """

    id: str
    clauses: tuple[str, ...]
    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    norm: str | None = None
    parameters: tuple[str, ...] = ()
    per: int | None = None
    unknown: Literal["within", "members", "amounts"] = "within"

    @property
    def rule(self) -> RegionRule | None:
        """The region rule it counts (``None`` for a norm's compliance)."""
        return None if self.norm is not None else region_rule(self.key)


@attrs.frozen(kw_only=True)
class TargetDef:
    """A target of the plan: what is counted, against which parameter, in which unit.

    Attributes:
        id: the target's id.
        clauses: the clauses its parameters cite.
        label_zh: Chinese label.
        label_en: English label.
        kind: how it decides (a :class:`~sqfw.calculators._kinds.TargetKind`): ``every``
            (every community meets a norm), ``at_least`` (a share reaches a parameter),
            ``above_baseline`` (a share is higher than an earlier figure), ``per_at_least``
            (a rate per ``per`` units reaches a parameter).
        indicator: the indicator it reads.
        parameters: the parameters that define it (for ``every``, the norm's).
        gap_unit: the unit of the gap.
        gap_zh: what the gap counts, in Chinese.
        gap_en: what the gap counts, in English.
        norm: for ``every``, the per-community norm.
        baseline: for ``above_baseline``, the :class:`Baselines` attribute.
        places: the levels the target is decided at.
        per: for ``per_at_least``, the units of the denominator (100, 10,000).
    """

    id: str
    clauses: tuple[str, ...]
    label_zh: str
    label_en: str
    kind: TargetKind
    indicator: str
    parameters: tuple[str, ...]
    gap_unit: Unit
    gap_zh: str
    gap_en: str
    norm: str | None = None
    baseline: str | None = None
    places: tuple[DivisionLevel, ...] = _ALL_PLACES
    per: int | None = None


_INDICATOR_KEYS = {
    "id",
    "key",
    "norm",
    "parameters",
    "label_zh",
    "label_en",
    "unit_zh",
    "unit_en",
    "per",
}
_TARGET_KEYS = {
    "id",
    "kind",
    "indicator",
    "norm",
    "parameters",
    "baseline",
    "places",
    "label_zh",
    "label_en",
    "gap_unit",
    "gap_zh",
    "gap_en",
    "per",
}
_LABELS = ("label_zh", "label_en")


class _Reader:
    def __init__(self, source: str, standards: Standards) -> None:
        self.source = source
        self.standards = standards

    def fail(self, where: str, message: str) -> StandardsError:
        return StandardsError(self.source, where, message)

    def table(
        self, raw: object, where: str, allowed: set[str], required: set[str]
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(where, f"expected a table, got {type(raw).__name__}")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.fail(
                f"{where}.{unknown[0]}",
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )
        for key in sorted(required):
            if key not in raw:
                raise self.fail(f"{where}.{key}", f"missing {key!r}")
        return raw

    def text(self, raw: dict[str, Any], key: str, where: str) -> str:
        return require_text(raw[key], source=self.source, where=f"{where}.{key}")

    def parameters(self, raw: dict[str, Any], where: str) -> tuple[str, ...]:
        value = raw.get("parameters", [])
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            raise self.fail(f"{where}.parameters", "expected a list of parameter ids")
        for index, pid in enumerate(value):
            if pid not in self.standards:
                raise self.fail(f"{where}.parameters[{index}]", f"no parameter {pid!r}")
        return tuple(value)

    def norm(self, raw: dict[str, Any], where: str) -> str | None:
        value = raw.get("norm")
        if value is None:
            return None
        if value not in {n.id for n in NORMS}:
            raise self.fail(
                f"{where}.norm",
                f"no norm {value!r}; expected one of {', '.join(n.id for n in NORMS)}",
            )
        return str(value)

    def per(self, raw: dict[str, Any], where: str) -> int | None:
        value = raw.get("per")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{where}.per", f"expected a whole number ≥ 1, got {value!r}")
        return value

    def clauses(self, parameters: Sequence[str], where: str) -> tuple[str, ...]:
        if not parameters:
            raise self.fail(where, "expected a norm or parameters: the clauses come from them")
        return tuple(
            dict.fromkeys(
                value.citation.clause
                for pid in parameters
                for value in self.standards.parameter(pid).values
            )
        )


def _norm_parameters(norm_id: str) -> tuple[str, ...]:
    bundle = norm_by_id(norm_id).parameters
    return tuple(
        f.metadata["sqfw_parameter"] for f in attrs.fields(bundle) if "sqfw_parameter" in f.metadata
    )


def load_targets(
    text: str | None = None,
    *,
    source: str = "targets.toml",
    standards: Standards | None = None,
) -> tuple[tuple[IndicatorDef, ...], tuple[TargetDef, ...]]:
    """Read the indicators and targets (default: the bundled ``data/targets.toml``).

    Args:
        text: the TOML text; ``None`` reads the bundled file.
        source: the file name errors name.
        standards: where parameter ids are looked up (default: the bundled standards).

    Raises:
        StandardsError: the file is not valid, naming the key path.
    """
    if text is None:
        bundled = get_plan("im-13th").targets_text()
        assert bundled is not None
        text = bundled
    read = _Reader(source, standards if standards is not None else default_standards())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise read.fail("", f"not valid TOML: {exc}") from None
    read.table(data, "$", {"indicators", "targets"}, {"indicators", "targets"})
    indicators = tuple(
        _indicator(read, raw, f"indicators[{i}]")
        for i, raw in enumerate(_list(read, data, "indicators"))
    )
    ids = {i.id for i in indicators}
    targets = tuple(
        _target(read, raw, f"targets[{i}]", ids)
        for i, raw in enumerate(_list(read, data, "targets"))
    )
    for kind, ids_in_order in (
        ("indicator", [i.id for i in indicators]),
        ("target", [t.id for t in targets]),
    ):
        seen: set[str] = set()
        for index, ident in enumerate(ids_in_order):
            if ident in seen:
                raise read.fail(f"{kind}s[{index}].id", f"duplicate {kind} id {ident!r}")
            seen.add(ident)
    return indicators, targets


def _list(read: _Reader, data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list) or not value:
        raise read.fail(key, "expected a non-empty array of tables")
    return value


def _indicator(read: _Reader, raw: object, where: str) -> IndicatorDef:
    table = read.table(raw, where, _INDICATOR_KEYS, {"id", "key", *_LABELS, "unit_zh", "unit_en"})
    norm = read.norm(table, where)
    key = read.text(table, "key", where)
    rule = _rule(read, key, norm, where)
    parameters = _norm_parameters(norm) if norm else read.parameters(table, where)
    if rule is not None:  # what its kernel reads: checked, and cited
        for pid in rule.parameters:
            if pid not in read.standards:
                raise read.fail(f"{where}.key", f"rule {key!r} reads {pid!r}, not in the plan")
        parameters = tuple(dict.fromkeys((*parameters, *rule.parameters)))
    return IndicatorDef(
        id=read.text(table, "id", where),
        key=key,
        clauses=read.clauses(parameters, where),
        label_zh=read.text(table, "label_zh", where),
        label_en=read.text(table, "label_en", where),
        unit_zh=read.text(table, "unit_zh", where),
        unit_en=read.text(table, "unit_en", where),
        norm=norm,
        parameters=parameters,
        per=read.per(table, where),
        unknown="within" if rule is None else rule.unknowns,
    )


def _rule(read: _Reader, key: str, norm: str | None, where: str) -> RegionRule | None:
    """The region rule an indicator's ``key`` names (``None`` for a norm's, whose key is
    the norm's id)."""
    if norm is not None:
        if key != norm:
            raise read.fail(f"{where}.key", f"expected the norm's id {norm!r}, got {key!r}")
        return None
    try:
        return region_rule(key)
    except KeyError:
        raise read.fail(
            f"{where}.key",
            f"no region rule {key!r}; expected one of {', '.join(r.id for r in REGION_RULES)}",
        ) from None


def _target(read: _Reader, raw: object, where: str, indicators: set[str]) -> TargetDef:
    table = read.table(
        raw,
        where,
        _TARGET_KEYS,
        {"id", "kind", "indicator", *_LABELS, "gap_unit", "gap_zh", "gap_en"},
    )
    kind = KINDS.get(table["kind"]) if isinstance(table["kind"], str) else None
    if kind is None:
        raise read.fail(
            f"{where}.kind", f"expected one of {', '.join(KINDS)}, got {table['kind']!r}"
        )
    indicator = read.text(table, "indicator", where)
    if indicator not in indicators:
        raise read.fail(f"{where}.indicator", f"no indicator {indicator!r}")
    norm = read.norm(table, where)
    if kind.with_norm != (norm is not None):
        raise read.fail(f"{where}.norm", "a norm is given exactly for targets of kind 'every'")
    parameters = _norm_parameters(norm) if norm else read.parameters(table, where)
    baseline = table.get("baseline")
    if kind.with_baseline != (baseline is not None):
        raise read.fail(
            f"{where}.baseline", "a baseline is given exactly for targets of kind 'above_baseline'"
        )
    if baseline is not None and baseline not in BASELINES:
        raise read.fail(
            f"{where}.baseline", f"expected one of {', '.join(BASELINES)}, got {baseline!r}"
        )
    per = read.per(table, where)
    if kind.with_per != (per is not None):
        raise read.fail(f"{where}.per", "per is given exactly for targets of kind 'per_at_least'")
    try:
        gap_unit = Unit(table["gap_unit"])
    except ValueError:
        raise read.fail(
            f"{where}.gap_unit",
            f"expected one of {', '.join(u.value for u in Unit)}, got {table['gap_unit']!r}",
        ) from None
    places_raw = table.get("places", [level.name.lower() for level in _ALL_PLACES])
    names = {level.name.lower(): level for level in _ALL_PLACES}
    if (
        not isinstance(places_raw, list)
        or not places_raw
        or any(p not in names for p in places_raw)
    ):
        raise read.fail(
            f"{where}.places",
            f"expected a non-empty list of {', '.join(names)}, got {places_raw!r}",
        )
    return TargetDef(
        id=read.text(table, "id", where),
        clauses=read.clauses(parameters, where),
        label_zh=read.text(table, "label_zh", where),
        label_en=read.text(table, "label_en", where),
        kind=kind,
        indicator=indicator,
        parameters=parameters,
        gap_unit=gap_unit,
        gap_zh=read.text(table, "gap_zh", where),
        gap_en=read.text(table, "gap_en", where),
        norm=norm,
        baseline=baseline,
        places=tuple(names[p] for p in places_raw),
        per=per,
    )


def plan_targets(
    plan: Plan, *, standards: Standards | None = None
) -> tuple[tuple[IndicatorDef, ...], tuple[TargetDef, ...]]:
    """The indicators and targets of a plan (none when the plan has no ``targets.toml``).

    Read once per plan and standards; parameter ids are checked against the plan's own
    standards (or ``standards``).
    """
    key = (plan.id, id(plan), None if standards is None else id(standards))
    found = _CACHE.get(key)
    if found is None:
        text = plan.targets_text()
        if text is None:
            found = ((), ())
        else:
            found = load_targets(
                text,
                source=f"{plan.id}/targets.toml",
                standards=standards if standards is not None else plan_standards(plan),
            )
        _CACHE[key] = found
    return found


_CACHE: dict[tuple[object, ...], tuple[tuple[IndicatorDef, ...], tuple[TargetDef, ...]]] = {}

INDICATORS, TARGETS = plan_targets(get_plan("im-13th"))
"""The indicators and targets of the Inner Mongolia 13th plan, in report order."""
