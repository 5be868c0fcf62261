"""Plans: named standards sets that layer — national, regional, local, user overrides.

A plan is a folder: ``plan.toml`` says what it is (id, document, issuer, jurisdiction,
period, source, layer, the sets it layers over, the per-community norms its assessment
runs), ``parameters/`` holds its dated, cited parameters (the folder path is the id
prefix, as for any standards folder), and ``targets.toml`` (optional) the targets its
assessment decides. sqfw bundles:

* ``cn-laws`` — the organic laws of residents' and villagers' committees (layer ``law``);
* ``im-13th`` — the Inner Mongolia 13th Five-Year plan, 2016–2020 (``regional``);
* ``cn-14th`` — the national 14th Five-Year plan, 2021–2025 (``national``).

Sets layer by rank — ``law`` < ``national`` < ``regional`` < ``local`` — and a user's
overrides (:meth:`Standards.with_overrides`) go on top. A parameter of a higher layer
replaces the same parameter of a lower one; two sets of the same layer that both define a
parameter are an error. Every parameter names the set and the layer it came from.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import attrs
import pendulum

from sqfw._args import expect, expect_items, path_argument
from sqfw.entities.divisions import contains, division_level
from sqfw.errors import PlanNotFound, StandardsError
from sqfw.periods import as_date, format_date
from sqfw.standards._loader import read_date, read_text, require_text
from sqfw.standards._standards import Standards, load_standards

__all__ = [
    "LAYERS",
    "Jurisdiction",
    "Plan",
    "bundled_plans",
    "default_standards",
    "get_plan",
    "load_plan",
    "plan_in_force",
    "plan_standards",
]

LAYERS: tuple[str, ...] = ("law", "national", "regional", "local")
"""The layers, lowest first: a higher layer's parameter replaces a lower one's."""

_PLAN_KEYS = frozenset(
    {
        "id",
        "layer",
        "label_zh",
        "label_en",
        "document",
        "issuer",
        "source",
        "base",
        "norms",
        "period",
        "jurisdiction",
        "user_supplied",
    }
)
_REQUIRED = ("id", "layer", "label_zh", "label_en", "document", "issuer", "source", "period")
_JURISDICTION_KEYS = frozenset({"code", "name_zh", "name_en"})


@attrs.frozen(kw_only=True)
class Jurisdiction:
    """Where a plan applies.

    Attributes:
        code: the 12-digit code of its division; ``None`` for the whole country.
        name_zh: its name in Chinese.
        name_en: its name in English.
    """

    code: str | None
    name_zh: str
    name_en: str

    def contains(self, code: str) -> bool:
        """Whether the division ``code`` lies within the jurisdiction."""
        return self.code is None or contains(self.code, code)

    @property
    def label(self) -> str:
        """``"内蒙古自治区 / Inner Mongolia Autonomous Region"``."""
        return f"{self.name_zh} / {self.name_en}"


@attrs.frozen(kw_only=True, eq=False)
class Plan:
    """A bundled or user plan: a named standards set and what its assessment decides.

    Attributes:
        id: the plan's id (``"cn-14th"``).
        layer: one of :data:`LAYERS`.
        label_zh: short name in Chinese.
        label_en: short name in English.
        document: the document, with its number where it has one.
        issuer: who issued it.
        source: where sqfw's figures of it come from.
        start: the first day of its period.
        end: the last day of its period (``None``: no end, as for a law).
        jurisdiction: where it applies.
        base: the ids of the sets it layers over.
        norms: the per-community norms its assessment runs (ids of ``NORMS``).
        parameters: its own parameters (each naming this plan and its layer).
        folder: where it was read from.
    """

    id: str
    layer: str
    label_zh: str
    label_en: str
    document: str
    issuer: str
    source: str
    start: pendulum.Date
    end: pendulum.Date | None
    jurisdiction: Jurisdiction
    base: tuple[str, ...]
    norms: tuple[str, ...]
    parameters: Standards
    folder: Traversable

    def covers(self, on: pendulum.Date | str) -> bool:
        """Whether ``on`` falls in the plan's period."""
        day = as_date(on)
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def period_text(self) -> str:
        """``"2021-01-01–2025-12-31"`` (``"1990-01-01–"`` without an end)."""
        end = format_date(self.end) if self.end is not None else ""
        return f"{format_date(self.start)}–{end}"

    @property
    def must_supply(self) -> tuple[str, ...]:
        """Its parameters whose value the user must supply."""
        return tuple(pid for pid in self.parameters if self.parameters.parameter(pid).must_supply)

    def describe(self) -> str:
        """One line: id, period, jurisdiction, document."""
        return f"{self.id} ({self.period_text}, {self.jurisdiction.name_en}: {self.document})"

    def targets_text(self) -> str | None:
        """The text of its ``targets.toml``, or ``None`` when it has none."""
        entry = self.folder.joinpath("targets.toml")
        return read_text(entry, f"{self.id}/targets.toml") if entry.is_file() else None


def _fail(source: str, where: str, message: str) -> StandardsError:
    return StandardsError(source, where, message)


def _text(raw: Mapping[str, Any], key: str, source: str) -> str:
    return require_text(raw[key], source=source, where=key)


def _ids(raw: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, key, f"expected a list of ids, got {value!r}")
    return tuple(value)


def _jurisdiction(raw: object, source: str) -> Jurisdiction:
    if raw is None:
        return Jurisdiction(code=None, name_zh="全国", name_en="national")
    if not isinstance(raw, dict):
        raise _fail(source, "jurisdiction", "expected a table with code, name_zh and name_en")
    unknown = sorted(set(raw) - _JURISDICTION_KEYS)
    if unknown:
        raise _fail(
            source, f"jurisdiction.{unknown[0]}", "unknown key; expected code, name_zh, name_en"
        )
    for key in ("name_zh", "name_en"):
        if key not in raw:
            raise _fail(source, f"jurisdiction.{key}", f"missing {key!r}")
    code = raw.get("code")
    if code is not None:
        try:
            division_level(code)
        except (TypeError, ValueError) as exc:
            raise _fail(source, "jurisdiction.code", str(exc)) from None
    return Jurisdiction(
        code=code,
        name_zh=_text(raw, "name_zh", f"{source} jurisdiction"),
        name_en=_text(raw, "name_en", f"{source} jurisdiction"),
    )


def _period(raw: object, source: str) -> tuple[pendulum.Date, pendulum.Date | None]:
    if not isinstance(raw, dict) or "start" not in raw:
        raise _fail(source, "period", "expected a table with start (and end, for a plan)")
    unknown = sorted(set(raw) - {"start", "end"})
    if unknown:
        raise _fail(source, f"period.{unknown[0]}", "unknown key; expected start, end")
    start = read_date(raw["start"], source=source, where="period.start")
    end = read_date(raw["end"], source=source, where="period.end") if "end" in raw else None
    if end is not None and end < start:
        raise _fail(source, "period.end", f"end {end} is before start {start}")
    return start, end


def read_plan(folder: Traversable, *, source: str | None = None) -> Plan:
    """Read one plan folder strictly (``plan.toml``, ``parameters/``).

    Raises:
        StandardsError: a missing or malformed ``plan.toml`` (naming the file and key), or
            a malformed parameter file.
    """
    name = source or str(folder)
    entry = folder.joinpath("plan.toml")
    origin = f"{name}/plan.toml"
    if not entry.is_file():
        raise _fail(origin, "", "no plan.toml: a plan folder says what the plan is")
    try:
        raw = tomllib.loads(read_text(entry, origin))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(origin, "", f"not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - _PLAN_KEYS)
    if unknown:
        raise _fail(
            origin, unknown[0], f"unknown key; expected one of {', '.join(sorted(_PLAN_KEYS))}"
        )
    for key in _REQUIRED:
        if key not in raw:
            raise _fail(origin, key, f"missing {key!r}")
    to_fill = raw.get("user_supplied", [])
    if to_fill:
        raise _fail(
            origin,
            "user_supplied",
            f"fields still to fill: {', '.join(map(str, to_fill))[:200]}; fill each and "
            "remove it from user_supplied",
        )
    layer = raw["layer"]
    if layer not in LAYERS:
        raise _fail(origin, "layer", f"expected one of {', '.join(LAYERS)}, got {layer!r}")
    start, end = _period(raw["period"], origin)
    if end is None and layer != "law":
        raise _fail(origin, "period.end", "a plan has an end to its period (only a law has none)")
    plan_id = _text(raw, "id", origin)
    parameters_folder = folder.joinpath("parameters")
    if parameters_folder.is_dir():
        own = load_standards(parameters_folder, name=plan_id)
    else:
        own = Standards(name=plan_id, parameters={})
    tagged = {pid: attrs.evolve(own.parameter(pid), origin=plan_id, layer=layer) for pid in own}
    return Plan(
        id=plan_id,
        layer=layer,
        label_zh=_text(raw, "label_zh", origin),
        label_en=_text(raw, "label_en", origin),
        document=_text(raw, "document", origin),
        issuer=_text(raw, "issuer", origin),
        source=_text(raw, "source", origin),
        start=start,
        end=end,
        jurisdiction=_jurisdiction(raw.get("jurisdiction"), origin),
        base=_ids(raw, "base", origin),
        norms=_ids(raw, "norms", origin),
        parameters=Standards(name=plan_id, parameters=tagged),
        folder=folder,
    )


@functools.cache
def bundled_plans() -> tuple[Plan, ...]:
    """The plans sqfw bundles, lowest layer first, then by start date."""
    root = resources.files("sqfw.standards").joinpath("data").joinpath("plans")
    found = [
        read_plan(entry, source=f"plans/{entry.name}") for entry in root.iterdir() if entry.is_dir()
    ]
    return tuple(sorted(found, key=lambda p: (LAYERS.index(p.layer), p.start, p.id)))


def load_plan(folder: str | os.PathLike[str], *, plans: Iterable[Plan] = ()) -> Plan:
    """A user's own plan (a province's plan, a city's standard) read from a folder.

    Its ``base`` may name bundled plans or ``plans`` given here; they are checked when
    its standards are built (:func:`plan_standards`).

    Raises:
        StandardsError: the folder is not a valid plan, or its id is taken.
        InvalidArgumentError: ``folder`` is not a path.
    """
    path = path_argument("folder", folder)
    if not path.is_dir():
        raise _fail(str(path), "", "no such folder")
    plan = read_plan(path)
    taken = {p.id for p in (*bundled_plans(), *plans)}
    if plan.id in taken:
        raise _fail(f"{path}/plan.toml", "id", f"the id {plan.id!r} is taken by another plan")
    return plan


def _all(plans: Iterable[Plan]) -> dict[str, Plan]:
    return {p.id: p for p in (*bundled_plans(), *plans)}


def _listing(plans: Iterable[Plan]) -> str:
    return "; ".join(p.describe() for p in plans)


def get_plan(plan_id: str, *, plans: Iterable[Plan] = ()) -> Plan:
    """The plan with this id, bundled or among ``plans``.

    Raises:
        PlanNotFound: no such plan; the message lists the plans and their periods.
        InvalidArgumentError: ``plan_id`` is not text, or ``plans`` not plans.
    """
    expect("plan_id", plan_id, str)
    known = _all(expect_items("plans", plans, Plan))
    try:
        return known[plan_id]
    except KeyError:
        raise PlanNotFound(
            f"no plan with the id {plan_id!r}", plan_id, _listing(known.values())
        ) from None


def _layers(plan: Plan, known: Mapping[str, Plan], seen: tuple[str, ...] = ()) -> list[Plan]:
    if plan.id in seen:
        raise _fail(
            f"{plan.id}/plan.toml",
            "base",
            f"plans layer over each other in a circle: {' → '.join((*seen, plan.id))}",
        )
    found: list[Plan] = []
    for base_id in plan.base:
        if base_id not in known:
            raise _fail(f"{plan.id}/plan.toml", "base", f"no plan with the id {base_id!r}")
        base = known[base_id]
        if LAYERS.index(base.layer) > LAYERS.index(plan.layer):
            raise _fail(
                f"{plan.id}/plan.toml",
                "base",
                f"{base_id!r} is of layer {base.layer!r}, above {plan.layer!r}: a plan layers "
                "over lower layers only",
            )
        for item in _layers(base, known, (*seen, plan.id)):
            if item not in found:
                found.append(item)
    found.append(plan)
    return found


def plan_standards(plan: Plan | str, *, plans: Iterable[Plan] = ()) -> Standards:
    """The standards in force under ``plan``: its layers merged, lowest first.

    Raises:
        PlanNotFound: an unknown plan id.
        StandardsError: an unknown base, a base of a higher layer, a circle, or two sets of
            the same layer defining the same parameter.
    """
    extra = expect_items("plans", plans, Plan)
    chosen = get_plan(plan, plans=extra) if isinstance(plan, str) else expect("plan", plan, Plan)
    known = _all((*extra, chosen))
    layered = sorted(_layers(chosen, known), key=lambda p: LAYERS.index(p.layer))
    merged: dict[str, Any] = {}
    for item in layered:
        for pid in item.parameters:
            parameter = item.parameters.parameter(pid)
            earlier = merged.get(pid)
            if earlier is not None and earlier.layer == parameter.layer:
                raise _fail(
                    f"{item.id}/parameters",
                    pid,
                    f"also defined by {earlier.origin!r} in the same layer "
                    f"({parameter.layer}): layers of one rank may not overlap",
                )
            merged[pid] = parameter
    name = chosen.document if chosen.layer != "law" else chosen.label_zh
    return Standards(name=f"{name} ({chosen.id})", parameters=merged)


def plan_in_force(
    on: pendulum.Date | _dt.date | str,
    code: str | None = None,
    *,
    plans: Sequence[Plan] = (),
) -> Plan:
    """The plan in force on ``on`` for the place ``code``: the most local one.

    Laws are not plans to choose: only plans (``national``, ``regional``, ``local``) whose
    period covers the date and whose jurisdiction holds the place are candidates, and the
    highest layer wins.

    Raises:
        PlanNotFound: no plan covers the date for the place; the message names the plans
            and their periods. Two plans of the same layer both covering it is also refused.
    """
    day = as_date(on)
    known = _all(plans)
    candidates = [
        p
        for p in known.values()
        if p.layer != "law" and p.covers(day) and (code is None or p.jurisdiction.contains(code))
    ]
    listing = _listing(p for p in known.values() if p.layer != "law")
    where = f" for {code}" if code else ""
    if not candidates:
        raise PlanNotFound(
            f"no plan is in force on {format_date(day)}{where}", format_date(day), listing
        )
    top = max(LAYERS.index(p.layer) for p in candidates)
    best = [p for p in candidates if LAYERS.index(p.layer) == top]
    if len(best) > 1:
        raise PlanNotFound(
            f"several plans of one layer are in force on {format_date(day)}{where}: "
            f"{', '.join(p.id for p in best)}; choose one",
            format_date(day),
            listing,
        )
    return best[0]


@functools.cache
def default_standards() -> Standards:
    """The standards of the plan sqfw was built from: the Inner Mongolia 13th plan
    (``im-13th``) over the organic laws (``cn-laws``).

    Loaded once and cached; the set is immutable, so sharing it is safe. Other plans:
    :func:`plan_standards`.
    """
    return plan_standards("im-13th")
