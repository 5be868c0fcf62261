"""A host's dispatch catalogue: services, who handles them, time limits, and the rules.

The plan sets no time limits (§3.8, §3.9): they, the objection period (退单), what a
return does to the clock, the escalation levels (催办 → 督办 → 提级), the 好差评
call-back and rectification deadlines and the duplicate (并单) window are local rules. A
:class:`ServiceCatalogue` holds them as data; :func:`load_catalogue` reads one from a
TOML file strictly (unknown keys, wrong types and missing keys are errors naming the
file and the key path); :func:`example_catalogue` reads the bundled
``workflows/data/example_catalogue.toml``, which says it is an example.

Re-exported by :mod:`sqfw.workflows.ticket`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from sqfw._args import expect_items, instance_validator, path_argument
from sqfw.errors import CatalogueError
from sqfw.labels import LabeledEnum

__all__ = [
    "CatalogueError",
    "EscalationLevel",
    "EscalationStep",
    "OfficeLevel",
    "OfficeSpec",
    "ReturnClock",
    "ServiceCatalogue",
    "ServiceClass",
    "ServiceRules",
    "ServiceSpec",
    "example_catalogue",
    "load_catalogue",
]


class ServiceClass(LabeledEnum):
    """How a request is sorted (12345: requests are sorted by kind and passed on at once)."""

    EMERGENCY = "emergency"
    CONSULTATION = "consultation"
    REQUEST = "request"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"

    __labels__ = {
        "emergency": ("紧急", "emergency"),
        "consultation": ("咨询", "consultation"),
        "request": ("求助办理", "request"),
        "complaint": ("投诉", "complaint"),
        "suggestion": ("建议", "suggestion"),
    }


class OfficeLevel(LabeledEnum):
    """Where an office stands: a functional department, the street, or a community."""

    DEPARTMENT = "department"
    STREET = "street"
    COMMUNITY = "community"

    __labels__ = {
        "department": ("职能部门", "functional department"),
        "street": ("街道", "street"),
        "community": ("社区（村）", "community (village)"),
    }


class ReturnClock(LabeledEnum):
    """What an accepted objection (退单改派) does to the ticket's clock."""

    CONTINUE = "continue"
    PAUSE_REVIEW = "pause_review"
    RESTART = "restart"

    __labels__ = {
        "continue": ("继续计时（退单期间计入时限）", "the clock runs on (the return counts)"),
        "pause_review": (
            "退单审核期间暂停计时",
            "the clock pauses from the objection to its acceptance",
        ),
        "restart": ("改派后重新计时", "the clock starts again at the reassignment"),
    }


class EscalationLevel(LabeledEnum):
    """Levels of an overdue ticket, in order."""

    REMINDER = "reminder"
    SUPERVISION = "supervision"
    ELEVATION = "elevation"

    __labels__ = {
        "reminder": ("催办", "reminder"),
        "supervision": ("督办", "supervision (督办)"),
        "elevation": ("提级督办", "elevation to the level above (提级)"),
    }

    @property
    def rank(self) -> int:
        """1 for a reminder, 2 for supervision, 3 for elevation."""
        return list(EscalationLevel).index(self) + 1


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in expect_items("ServiceSpec.offices", value, str))


def _positive_or_none(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise CatalogueError(
            type(instance).__name__, attribute.name, f"expected an integer ≥ 1, got {value!r:.80}"
        )


@attrs.frozen(kw_only=True)
class OfficeSpec:
    """An office that tickets may be dispatched to.

    Args:
        code: the office's code (what ``dispatch`` names).
        label_zh: its Chinese name.
        label_en: its English name.
        level: department, street or community.
    """

    code: str
    label_zh: str
    label_en: str
    level: OfficeLevel = attrs.field(default=OfficeLevel.DEPARTMENT, converter=OfficeLevel)


@attrs.frozen(kw_only=True)
class ServiceSpec:
    """One service of a catalogue: who handles it, its class and its time limit.

    Args:
        code: the service code (``ServiceTicket.service_code``).
        label_zh: the service's Chinese name.
        label_en: its English name.
        time_limit_working_days: working days from acceptance to completion; or
        time_limit_hours: clock hours (emergencies are handled round the clock);
            exactly one of the two.
        offices: the lead office first, then the co-handling offices.
        service_class: emergency, consultation, request, complaint or suggestion.
        co_handler_working_days: each co-handling office's own limit from its dispatch
            (defaults to the service's limit).
        community_may_handle: ``False`` reserves the matter to functional departments:
            a dispatch of it to a community is refused.
    """

    code: str
    label_zh: str
    label_en: str
    time_limit_working_days: int | None = attrs.field(default=None, validator=_positive_or_none)
    time_limit_hours: int | None = attrs.field(default=None, validator=_positive_or_none)
    offices: tuple[str, ...] = attrs.field(default=(), converter=_names)
    service_class: ServiceClass = attrs.field(default=ServiceClass.REQUEST, converter=ServiceClass)
    co_handler_working_days: int | None = attrs.field(default=None, validator=_positive_or_none)
    community_may_handle: bool = True

    def __attrs_post_init__(self) -> None:
        if (self.time_limit_working_days is None) == (self.time_limit_hours is None):
            raise CatalogueError(
                "ServiceSpec",
                self.code,
                "expected exactly one of time_limit_working_days and time_limit_hours, got "
                f"{self.time_limit_working_days!r} and {self.time_limit_hours!r}",
            )

    @property
    def lead(self) -> str | None:
        """The lead office (牵头单位), if the catalogue names one."""
        return self.offices[0] if self.offices else None

    @property
    def co_handlers(self) -> tuple[str, ...]:
        """The co-handling offices (协办单位)."""
        return self.offices[1:]


@attrs.frozen(kw_only=True)
class EscalationStep:
    """One escalation level and how long past the deadline it is reached.

    Args:
        level: reminder, supervision or elevation.
        after_hours: hours past the deadline (0: as soon as it is overdue).
    """

    level: EscalationLevel = attrs.field(converter=EscalationLevel)
    after_hours: int


def _steps(value: Iterable[EscalationStep]) -> tuple[EscalationStep, ...]:
    steps = tuple(value)
    ranks = [s.level.rank for s in steps]
    hours = [s.after_hours for s in steps]
    if ranks != sorted(set(ranks)) or hours != sorted(hours) or any(h < 0 for h in hours):
        raise CatalogueError(
            "ServiceRules",
            "escalation",
            "expected levels in order (reminder, supervision, elevation), each once, with "
            f"non-negative hours that never decrease, got {list(zip(ranks, hours, strict=True))}",
        )
    return steps


def _fraction(value: Fraction | str) -> Fraction:
    try:
        share = Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise CatalogueError(
            "ServiceRules", "duplicate_similarity", f"expected a fraction, got {value!r:.80}"
        ) from None
    if not 0 < share <= 1:
        raise CatalogueError(
            "ServiceRules", "duplicate_similarity", f"expected a share in (0, 1], got {share}"
        )
    return share


@attrs.frozen(kw_only=True)
class ServiceRules:
    """The local rules of a one-window service (none is the plan's).

    Args:
        objection_hours: how long after its dispatch an office may object (退单).
        return_clock: what an accepted objection does to the clock.
        callback_working_days: working days after a bad rating to call the resident back.
        rectify_working_days: working days after a bad rating to rectify.
        duplicate_window_days: requests of the same service and community within this
            many days may be duplicates.
        duplicate_similarity: the least similarity of their texts (see
            :func:`~sqfw.workflows.duplicates.similarity`) to suggest them.
        escalation: the levels of an overdue ticket, in order.
    """

    objection_hours: int = attrs.field(validator=_positive_or_none)
    return_clock: ReturnClock = attrs.field(converter=ReturnClock)
    callback_working_days: int = attrs.field(validator=_positive_or_none)
    rectify_working_days: int = attrs.field(validator=_positive_or_none)
    duplicate_window_days: int = attrs.field(validator=_positive_or_none)
    duplicate_similarity: Fraction = attrs.field(converter=_fraction)
    escalation: tuple[EscalationStep, ...] = attrs.field(converter=_steps)


def _specs(value: Iterable[ServiceSpec] | Mapping[str, ServiceSpec]) -> Mapping[str, ServiceSpec]:
    items = value.values() if isinstance(value, Mapping) else value
    specs: dict[str, ServiceSpec] = {}
    for spec in expect_items("ServiceCatalogue.services", items, ServiceSpec):
        if spec.code in specs:
            raise CatalogueError("ServiceCatalogue", "services", f"{spec.code!r} listed twice")
        specs[spec.code] = spec
    return specs


def _offices(value: Iterable[OfficeSpec] | Mapping[str, OfficeSpec]) -> Mapping[str, OfficeSpec]:
    items = value.values() if isinstance(value, Mapping) else value
    offices: dict[str, OfficeSpec] = {}
    for office in expect_items("ServiceCatalogue.offices", items, OfficeSpec):
        if office.code in offices:
            raise CatalogueError("ServiceCatalogue", "offices", f"{office.code!r} listed twice")
        offices[office.code] = office
    return offices


def _default_rules() -> ServiceRules:
    return example_catalogue().rules


@attrs.frozen(kw_only=True)
class ServiceCatalogue:
    """A host's dispatch catalogue: services, offices and rules (the plan sets none).

    Args:
        name: the catalogue's name (kept in each ticket's trail).
        source: where the limits come from (a county's service list, a hotline's rules).
        services: the services, by code.
        offices: the offices with their level; an office not listed is a department.
        rules: the objection, escalation, rating and duplicate rules; the example's when
            not given (which is only an example).
        is_example: marks a catalogue that is only an example.
    """

    name: str = attrs.field(validator=instance_validator(str))
    source: str = attrs.field(validator=instance_validator(str))
    services: Mapping[str, ServiceSpec] = attrs.field(converter=_specs)
    offices: Mapping[str, OfficeSpec] = attrs.field(factory=dict, converter=_offices)
    rules: ServiceRules = attrs.field(
        factory=_default_rules, validator=instance_validator(ServiceRules)
    )
    is_example: bool = attrs.field(default=False, validator=instance_validator(bool))

    def get(self, code: str) -> ServiceSpec | None:
        """The service with this code, if listed."""
        return self.services.get(code)

    def level_of(self, office: str) -> OfficeLevel:
        """The level of an office (a department when the catalogue does not list it)."""
        spec = self.offices.get(office)
        return OfficeLevel.DEPARTMENT if spec is None else spec.level

    def office_label(self, office: str, lang: str = "zh") -> str:
        """The office's name in ``lang`` (its code when not listed)."""
        spec = self.offices.get(office)
        if spec is None:
            return office
        return spec.label_zh if lang == "zh" else spec.label_en


# --- the strict loader ------------------------------------------------------------------

_TOP = {"catalogue", "rules", "offices", "services"}
_CATALOGUE = {"name": str, "source": str, "is_example": bool}
_RULES = {
    "objection_hours": int,
    "return_clock": str,
    "callback_working_days": int,
    "rectify_working_days": int,
    "duplicate_window_days": int,
    "duplicate_similarity": str,
    "escalation": list,
}
_STEP = {"level": str, "after_hours": int}
_OFFICE = {"code": str, "label_zh": str, "label_en": str, "level": str}
_SERVICE = {
    "code": str,
    "label_zh": str,
    "label_en": str,
    "class": str,
    "time_limit_working_days": int,
    "time_limit_hours": int,
    "offices": list,
    "co_handler_working_days": int,
    "community_may_handle": bool,
}
_OPTIONAL = {
    "time_limit_working_days",
    "time_limit_hours",
    "co_handler_working_days",
    "is_example",
}


def _table(source: str, path: str, value: object, keys: Mapping[str, type]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogueError(source, path, f"expected a table, got {type(value).__name__}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise CatalogueError(source, f"{path}.{unknown[0]}", f"unknown key (known: {sorted(keys)})")
    missing = sorted(set(keys) - set(value) - _OPTIONAL)
    if missing:
        raise CatalogueError(source, f"{path}.{missing[0]}", "missing")
    for key, kind in keys.items():
        item = value.get(key)
        if item is None:
            continue
        bad = not isinstance(item, kind) or (kind is int and isinstance(item, bool))
        if bad:
            raise CatalogueError(
                source, f"{path}.{key}", f"expected {kind.__name__}, got {item!r:.80}"
            )
    return value


def _array(source: str, path: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise CatalogueError(source, path, f"expected an array, got {type(value).__name__}")
    return value


def _build(file: str, path: str, make: Any, /, **fields: Any) -> Any:
    try:
        return make(**fields)
    except CatalogueError as exc:
        raise CatalogueError(file, f"{path}.{exc.key_path}", exc.problem) from None
    except (TypeError, ValueError) as exc:
        raise CatalogueError(file, path, str(exc)[:200]) from None


def parse_catalogue(
    document: Mapping[str, Any], *, source: str = "<catalogue>"
) -> ServiceCatalogue:
    """Build a catalogue from a parsed TOML document (see :func:`load_catalogue`)."""
    top = _table(source, "$", dict(document), dict.fromkeys(_TOP, object))
    head = _table(source, "catalogue", top["catalogue"], _CATALOGUE)
    raw_rules = _table(source, "rules", top["rules"], _RULES)
    steps = [
        _build(
            source,
            f"rules.escalation[{i}]",
            EscalationStep,
            **_table(source, f"rules.escalation[{i}]", step, _STEP),
        )
        for i, step in enumerate(_array(source, "rules.escalation", raw_rules["escalation"]))
    ]
    rules = _build(source, "rules", ServiceRules, **{**raw_rules, "escalation": steps})
    offices = [
        _build(source, f"offices[{i}]", OfficeSpec, **_table(source, f"offices[{i}]", o, _OFFICE))
        for i, o in enumerate(_array(source, "offices", top["offices"]))
    ]
    services = []
    for i, raw in enumerate(_array(source, "services", top["services"])):
        where = f"services[{i}]"
        fields = dict(_table(source, where, raw, _SERVICE))
        for j, office in enumerate(fields["offices"]):
            if not isinstance(office, str):
                raise CatalogueError(
                    source, f"{where}.offices[{j}]", f"expected str, got {office!r:.80}"
                )
        fields["service_class"] = fields.pop("class")
        services.append(_build(source, where, ServiceSpec, **fields))
    catalogue = _build(
        source,
        "$",
        ServiceCatalogue,
        name=head["name"],
        source=head["source"],
        is_example=head.get("is_example", False),
        rules=rules,
        offices=offices,
        services=services,
    )
    for i, spec in enumerate(catalogue.services.values()):
        unknown = [o for o in spec.offices if catalogue.offices and o not in catalogue.offices]
        if unknown:
            raise CatalogueError(source, f"services[{i}].offices", f"unknown offices {unknown}")
    assert isinstance(catalogue, ServiceCatalogue)
    return catalogue


def load_catalogue(path: str | Path) -> ServiceCatalogue:
    """Read a dispatch catalogue from a TOML file (the form of the bundled example).

    Raises:
        CatalogueError: the file cannot be read or parsed, or a key is unknown, missing
            or of the wrong type; the message names the file and the key path.

    .. versionadded:: 0.1.0
    """
    source = str(path_argument("load_catalogue(path)", path))
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(source, "$", f"cannot be read: {exc}") from None
    return parse_catalogue(document, source=source)


_EXAMPLE: list[ServiceCatalogue] = []


def example_catalogue() -> ServiceCatalogue:
    """The bundled EXAMPLE catalogue (``workflows/data/example_catalogue.toml``).

    示例目录：时限和规则为演示而设，既非规划的规定，也非任何地方的派单目录。/ The time limits
    and rules are made up for demonstration: they are neither the plan's (it sets none)
    nor any county's.
    """
    if not _EXAMPLE:
        ref = resources.files("sqfw.workflows") / "data" / "example_catalogue.toml"
        document = tomllib.loads(ref.read_text(encoding="utf-8"))
        _EXAMPLE.append(
            parse_catalogue(document, source="sqfw/workflows/data/example_catalogue.toml")
        )
    return _EXAMPLE[0]
