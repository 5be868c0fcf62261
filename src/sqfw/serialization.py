"""Documents: entities to JSON-ready data and back, with every problem reported at once.

One factory, :func:`make_converter`, builds a :class:`cattrs.Converter` that knows every
sqfw entity. There is no global state to configure: pass the converter you want, or use
the module's default :data:`converter` (personal data masked).

What the converter writes:

* dates as ISO text ``"2020-12-31"``; instants as ISO text with their offset and, for a
  named zone, the zone in brackets: ``"2020-06-01T21:00:00+08:00[Asia/Shanghai]"``
  (see :func:`sqfw.periods.format_datetime`);
* :class:`~decimal.Decimal` amounts as JSON numbers: an integer when the amount is whole,
  otherwise a number whose shortest text is the amount itself (``12.5``). An amount that
  a binary float cannot carry digit for digit (more than 15 significant digits) is
  written as a string instead, so no digit is ever lost. Both forms are read back; so are
  numbers parsed as ``Decimal`` (:func:`loads` does that, so JSON text is read exactly);
* enumerations by value (``"pastoral"``), tuples as lists, ``None`` as ``null``;
* personal data (:mod:`sqfw.privacy`) **masked** (``"1501**********123X"``), unless the
  converter was made with ``reveal_personal_data=True``.

Reading is strict: unknown keys, a string where a number belongs, a number where a string
belongs, a naive date-time are all refused. A masked value cannot be read back (the
privacy wrappers refuse ``*``), so a full round trip of personal data needs a converter
made with ``reveal_personal_data=True`` on the writing side.

A *document* is an entity's fields plus two header keys, ``"schema_version"`` (``1``) and
``"document"`` (its kind: ``"community"``, ``"region"`` …). The header key is not called
``kind`` because :class:`~sqfw.entities.Community` and :class:`~sqfw.entities.Facility`
already have a ``kind`` field. :func:`load_document` raises one
:class:`~sqfw.errors.DocumentError` listing every problem with its ``$.path``::

    $.communities[3].facilities[0].total_area_m2: expected a number ≥ 0, got -5

:func:`json_schema` derives a JSON Schema (draft 2020-12) of each document kind from the
entity classes themselves, so it cannot drift from the code.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from sqfw.entities import (
    Candidate,
    Committee,
    CommitteeMember,
    Community,
    CommunityWorker,
    Division,
    Election,
    Facility,
    Region,
    ServiceRecord,
    ServiceTicket,
    SmartCommunity,
    SocialOrganization,
    TrainingRecord,
    Volunteer,
    _fields,
)
from sqfw.entities import (
    community as _community,
)
from sqfw.entities import (
    divisions as _divisions,
)
from sqfw.errors import DocumentError, InvalidEntityError, Problem, show_value
from sqfw.labels import LabeledEnum
from sqfw.periods import format_date, format_datetime, parse_date, parse_datetime
from sqfw.privacy import PersonalData
from sqfw.workflows import _records as _workflow_records

__all__ = [
    "DOCUMENT_KINDS",
    "SCHEMA_VERSION",
    "converter",
    "document_kind",
    "dump_document",
    "dumps",
    "json_schema",
    "load_document",
    "loads",
    "make_converter",
    "problems_from",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 1
"""The version of the document layout this sqfw writes and reads."""

DOCUMENT_KINDS: Final[Mapping[str, type[Any]]] = {
    "candidate": Candidate,
    "committee": Committee,
    "committee_member": CommitteeMember,
    "community": Community,
    "community_worker": CommunityWorker,
    "division": Division,
    "election": Election,
    "facility": Facility,
    "region": Region,
    "service_record": ServiceRecord,
    "service_ticket": ServiceTicket,
    "smart_community": SmartCommunity,
    "social_organization": SocialOrganization,
    "training_record": TrainingRecord,
    "volunteer": Volunteer,
    "workflow_record": _workflow_records.WorkflowRecord,
}
"""Every document kind and the entity class it holds."""

_KIND_OF: Final = {cls: kind for kind, cls in DOCUMENT_KINDS.items()}
_HEADER: Final = ("schema_version", "document")

# A float's shortest repr carries at most 17 significant digits, but only 15 are
# guaranteed to survive text → float → text; past that an amount is written as a string.
_FLOAT_DIGITS: Final = 15
_DECIMAL_TEXT: Final = r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
_DATE_TEXT: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATETIME_TEXT: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)(\[[A-Za-z0-9_+/-]+\])?$"
)


# ---------------------------------------------------------------------------------------
# The converter


def make_converter(*, reveal_personal_data: bool = False) -> cattrs.Converter:
    """Build a converter that round-trips every sqfw entity to JSON-ready data.

    Args:
        reveal_personal_data: write personal data (names, identity numbers, phones) in
            full. The default writes the masked form, which cannot be read back; pass
            ``True`` only where the full value is needed, e.g. to store records.

    Returns:
        A new :class:`cattrs.Converter` with detailed validation and unknown keys
        refused. Its structuring errors can be turned into ``$.path`` problems with
        :func:`problems_from`.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    # Dispatched on the class, most specific first: a StrEnum is also a str, a DateTime
    # also a Date, a bool also an int; each gets its own strict hook.
    hooks: list[tuple[type[Any], Callable[[Any, Any], Any]]] = [
        (str, _structure_str),
        (bool, _structure_bool),
        (int, _structure_int),
        (Decimal, _structure_decimal),
        (pendulum.Date, _structure_date),
        (pendulum.DateTime, _structure_datetime),
        (enum.Enum, _structure_enum),
        (enum.StrEnum, _structure_enum),
        (enum.IntEnum, _structure_enum),
    ]
    for cls, hook in hooks:
        conv.register_structure_hook(cls, hook)
    conv.register_structure_hook_func(_is_personal, _structure_personal)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_structure_factory)
    conv.register_structure_hook_factory(_is_attrs_class, _entity_structure_factory)

    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(pendulum.Date, format_date)
    conv.register_unstructure_hook(pendulum.DateTime, format_datetime)
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(base, _unstructure_enum)
    conv.register_unstructure_hook_func(_is_personal, _reveal if reveal_personal_data else _mask)
    conv.register_unstructure_hook_factory(_is_homogeneous_tuple, _tuple_unstructure_factory)
    return conv


def _describe(value: object) -> str:
    """How a rejected value is shown in a message, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:57] + "...")
    return show_value(value)


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_describe(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {_describe(value)}")
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    amount: Decimal | None = None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str) and re.match(_DECIMAL_TEXT, value.strip()):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        raise TypeError(f"expected a number, got {_describe(value)}")
    return amount


def _unstructure_decimal(value: Decimal) -> int | float | str:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    digits = len(value.normalize().as_tuple().digits)
    if digits <= _FLOAT_DIGITS and Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _structure_date(value: object, _: type) -> pendulum.Date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date like '2020-12-31', got {_describe(value)}")
    return parse_date(value)


def _structure_datetime(value: object, _: type) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise TypeError(
            "expected an ISO date-time with offset like '2020-06-01T21:00:00+08:00', "
            f"got {_describe(value)}"
        )
    return parse_datetime(value)


def _is_enum(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _structure_enum(value: object, type_: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, type_):
        return value
    for member in type_:
        if type(member.value) is type(value) and member.value == value:
            return member
    allowed = ", ".join(repr(m.value) for m in type_)
    raise ValueError(f"expected one of {allowed}, got {_describe(value)}")


def _unstructure_enum(value: enum.Enum) -> object:
    return value.value


def _is_personal(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, PersonalData)


def _structure_personal(value: object, type_: type[PersonalData]) -> PersonalData:
    if not isinstance(value, str):
        # never echo the value: it may be the personal data itself
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return type_(value)


def _mask(value: PersonalData) -> str:
    return value.masked()


def _reveal(value: PersonalData) -> str:
    return value.reveal()


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_structure_factory(
    type_: Any, conv: cattrs.Converter
) -> Callable[[object, Any], tuple[Any, ...]]:
    item_type = typing.get_args(type_)[0]
    item_hook = conv.get_structure_hook(item_type)

    def structure(value: object, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected an array, got {_describe(value)}")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"@ index {index}", index, item_type))
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return tuple(items)

    return structure


def _tuple_unstructure_factory(
    type_: Any, conv: cattrs.Converter
) -> Callable[[tuple[Any, ...]], list[Any]]:
    item_hook = conv.get_unstructure_hook(typing.get_args(type_)[0])

    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return [item_hook(item) for item in value]

    return unstructure


def _is_attrs_class(type_: Any) -> bool:
    return isinstance(type_, type) and attrs.has(type_)


def _entity_structure_factory(cls: type[T], conv: cattrs.Converter) -> Callable[[object, Any], T]:
    entity: type[Any] = cls
    attrs.resolve_types(entity)
    fields = attrs.fields(entity)
    names = frozenset(field.name for field in fields)
    order = {field.name: index for index, field in enumerate(fields)}

    def document_order(error: Exception) -> int:
        step = _step(error)
        return order.get(step.removeprefix("."), len(order))

    hooks = {field.name: conv.get_structure_hook(field.type) for field in fields}

    def structure(value: object, _: Any) -> T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_describe(value)}")
        values: dict[str, Any] = {}
        errors: list[Exception] = []
        for field in fields:
            if field.name in value:
                try:
                    values[field.name] = hooks[field.name](value[field.name], field.type)
                except Exception as exc:
                    exc.add_note(_attribute_note(field))
                    errors.append(exc)
            elif field.default is attrs.NOTHING:
                missing = KeyError(field.name)
                missing.add_note(_attribute_note(field))
                errors.append(missing)
        extra = set(value) - names
        if extra:
            errors.append(ForbiddenExtraKeysError("", cls, extra))
        if not errors:
            try:
                return cls(**values)
            except InvalidEntityError as exc:
                refused: Exception = exc
            except (TypeError, ValueError) as exc:
                raise ClassValidationError(
                    f"While structuring {cls.__qualname__}", [exc], cls
                ) from None
        # attrs validators stop at the first refusal; run each field's own to list them all,
        # also next to type errors elsewhere in the object.
        errors.extend(_every_invalid_field(cls, values))
        if not errors:
            errors.append(refused)
        errors.sort(key=document_order)
        raise ClassValidationError(f"While structuring {cls.__qualname__}", errors, cls)

    return structure


def _attribute_note(field: attrs.Attribute[Any]) -> AttributeValidationNote:
    return AttributeValidationNote(f"@ attribute {field.name}", field.name, field.type)


def _every_invalid_field(cls: type[Any], structured: Mapping[str, Any]) -> list[Exception]:
    """Run each attrs validator of ``cls`` on its own and collect every refusal.

    Fields that could not be structured are left out; a validator that needs one of them
    fails with something other than :class:`InvalidEntityError` and is skipped, because the
    missing sibling is reported already.
    """
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name in structured:
            item = structured[field.name]
        elif field.default is attrs.NOTHING:
            continue
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            item = field.default.factory()
        else:
            item = field.default
        try:
            if field.converter is not None:
                item = typing.cast(Callable[[Any], Any], field.converter)(item)
        except Exception:  # the type was checked already; this refusal is not ours
            continue
        values[field.name] = item
    # An instance that skips validation, only so that each validator can read its siblings.
    draft = object.__new__(cls)
    for name, item in values.items():
        object.__setattr__(draft, name, item)
    errors: list[Exception] = []
    for field in attrs.fields(cls):
        if field.validator is None or field.name not in values:
            continue
        try:
            field.validator(draft, field, values[field.name])
        except InvalidEntityError as exc:
            exc.add_note(_attribute_note(field))
            errors.append(exc)
        except Exception:  # a consequence of a sibling's problem, reported there
            continue
    return errors


# ---------------------------------------------------------------------------------------
# Problems with paths


def problems_from(error: BaseException, path: str = "$") -> list[Problem]:
    """Turn a structuring error of a sqfw converter into ``$.path`` problems.

    Walks cattrs' exception groups (one per object and per array), so every problem found
    anywhere in the data is listed, in document order.

    Args:
        error: the exception raised by ``converter.structure``.
        path: the path of the structured value in its document (``"$"`` for the root).

    Returns:
        One :class:`~sqfw.errors.Problem` per problem.
    """
    if isinstance(error, BaseValidationError):
        found: list[Problem] = []
        for sub in error.exceptions:
            found.extend(problems_from(sub, path + _step(sub)))
        return found
    if isinstance(error, ForbiddenExtraKeysError):
        known = ", ".join(f.name for f in attrs.fields(error.cl)) if attrs.has(error.cl) else ""
        return [
            Problem(f"{path}.{key}", f"unknown key; expected one of: {known}")
            for key in sorted(error.extra_fields)
        ]
    return [Problem(path, _message(error))]


def _step(error: BaseException) -> str:
    for note in reversed(getattr(error, "__notes__", ())):
        if isinstance(note, AttributeValidationNote):
            return f".{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
    return ""


def _message(error: BaseException) -> str:
    if isinstance(error, InvalidEntityError):
        return f"expected {error.expected}, got {show_value(error.value)}"
    if type(error) is KeyError:
        return "required key is missing"
    text = str(error)
    return text or type(error).__name__


# ---------------------------------------------------------------------------------------
# Documents


converter: Final = make_converter()
"""The default converter: personal data masked on export."""


def document_kind(cls: type[Any]) -> str:
    """The document kind of an entity class (``Community`` → ``"community"``).

    Raises:
        TypeError: ``cls`` is not an entity with a document kind.
    """
    try:
        return _KIND_OF[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} has no document kind") from None


def dump_document(obj: object, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """Unstructure an entity into a JSON-ready document.

    Args:
        obj: any entity of :data:`DOCUMENT_KINDS`.
        converter: the converter to use; the default masks personal data.

    Returns:
        ``{"schema_version": 1, "document": kind, **fields}``, made only of dicts, lists,
        strings, numbers, booleans and ``None``.

    Raises:
        TypeError: ``obj`` is not an entity with a document kind.
    """
    kind = document_kind(type(obj))
    body = (converter or _default()).unstructure(obj)
    return {"schema_version": SCHEMA_VERSION, "document": kind, **body}


def load_document(
    cls: type[T],
    data: object,
    *,
    source: str | None = None,
    converter: cattrs.Converter | None = None,
) -> T:
    """Structure a document into an entity, or report every problem in it.

    Args:
        cls: the entity class expected, e.g. :class:`~sqfw.entities.Region`.
        data: the parsed document (a mapping).
        source: where the document came from, for the error message.
        converter: the converter to use (any made by :func:`make_converter`).

    Returns:
        The entity.

    Raises:
        DocumentError: one error whose ``problems`` lists every problem with its path:
            a wrong or missing header, unknown or missing keys, wrong types, and every
            value the entities' validators refuse.
    """
    kind = document_kind(cls)
    if not isinstance(data, Mapping):
        raise DocumentError(
            [Problem("$", f"expected an object, got {_describe(data)}")], source=source
        )
    problems: list[Problem] = []
    version = data.get("schema_version")
    if "schema_version" not in data:
        problems.append(
            Problem("$.schema_version", f"required key is missing; expected {SCHEMA_VERSION}")
        )
    elif isinstance(version, bool) or version != SCHEMA_VERSION:
        message = f"expected {SCHEMA_VERSION}, got {_describe(version)}"
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            message += f"; this sqfw reads schema version {SCHEMA_VERSION}"
            raise DocumentError([Problem("$.schema_version", message)], source=source)
        problems.append(Problem("$.schema_version", message))
    if "document" not in data:
        problems.append(Problem("$.document", f"required key is missing; expected {kind!r}"))
    elif data["document"] != kind:
        problems.append(
            Problem("$.document", f"expected {kind!r}, got {_describe(data['document'])}")
        )
    body = {key: value for key, value in data.items() if key not in _HEADER}
    result: T | None = None
    try:
        result = (converter or _default()).structure(body, cls)
    except (BaseValidationError, TypeError, ValueError) as exc:
        problems.extend(problems_from(exc))
    if problems or result is None:
        raise DocumentError(problems, source=source)
    return result


def dumps(obj: object, *, converter: cattrs.Converter | None = None, indent: int | None = 2) -> str:
    """Write an entity as JSON text (a document, see :func:`dump_document`).

    Args:
        obj: the entity.
        converter: the converter to use; the default masks personal data.
        indent: JSON indentation; ``None`` for one line.

    Returns:
        UTF-8-ready JSON text; Chinese is written as is, not escaped.
    """
    return json.dumps(dump_document(obj, converter=converter), ensure_ascii=False, indent=indent)


def loads(
    cls: type[T],
    text: str | bytes,
    *,
    source: str | None = None,
    converter: cattrs.Converter | None = None,
) -> T:
    """Read an entity from JSON text; numbers with a fraction are read exactly as Decimal.

    Args:
        cls: the entity class expected.
        text: the JSON text.
        source: where the text came from, for the error message.
        converter: the converter to use.

    Returns:
        The entity.

    Raises:
        DocumentError: the text is not JSON, or the document has problems.
    """
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        problem = Problem("$", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        raise DocumentError([problem], source=source) from None
    return load_document(cls, data, source=source, converter=converter)


def _default() -> cattrs.Converter:
    return converter


# ---------------------------------------------------------------------------------------
# JSON Schema


def json_schema(kind: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of one document kind, derived from the entity classes.

    Each entity becomes an object with ``additionalProperties: false``; fields without a
    default are ``required``; enumerations list their values; known validators add
    patterns and minimums (division codes, identifiers, non-negative counts and areas).
    What a schema cannot say (an office area within the total, check digits of identity
    numbers) is still checked by :func:`load_document`.

    Args:
        kind: a key of :data:`DOCUMENT_KINDS`, e.g. ``"community"`` or ``"region"``.

    Returns:
        The schema as a JSON-ready dict.

    Raises:
        LookupError: no document has this kind.
    """
    try:
        cls = DOCUMENT_KINDS[kind]
    except KeyError:
        raise LookupError(
            f"no document kind {kind!r}; expected one of {', '.join(DOCUMENT_KINDS)}"
        ) from None
    defs: dict[str, Any] = {}
    body = _object_schema(cls, defs)
    properties = {
        "schema_version": {"const": SCHEMA_VERSION, "description": "Document layout version."},
        "document": {"const": kind, "description": "The document kind."},
        **body["properties"],
    }
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"sqfw {kind} document, schema version {SCHEMA_VERSION}",
        **{k: v for k, v in body.items() if k not in ("properties", "required")},
        "properties": properties,
        "required": ["schema_version", "document", *body["required"]],
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _object_schema(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    described = _described_args(cls.__doc__ or "")
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        schema = _type_schema(field.type, defs)
        for check in _flat_validators(field.validator):
            schema = _refine(schema, _VALIDATOR_SCHEMA.get(check, {}))
        if field.name in described:
            schema = {"description": described[field.name], **schema}
        properties[field.name] = schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    summary = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
    return {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _type_schema(type_: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(type_)
    if origin is typing.Union or origin is types.UnionType:
        return {"anyOf": [_type_schema(arg, defs) for arg in typing.get_args(type_)]}
    if _is_homogeneous_tuple(type_):
        return {"type": "array", "items": _type_schema(typing.get_args(type_)[0], defs)}
    if origin is Mapping:  # event data: any JSON object (no floats, see freeze_data)
        return {"type": "object"}
    if type_ is type(None):
        return {"type": "null"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is str:
        return {"type": "string"}
    if type_ is Decimal:
        return {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": _DECIMAL_TEXT},
            ]
        }
    if type_ is pendulum.DateTime:
        return {"type": "string", "pattern": _DATETIME_TEXT}
    if type_ is pendulum.Date:
        return {"type": "string", "format": "date", "pattern": _DATE_TEXT}
    if _is_enum(type_):
        schema: dict[str, Any] = {"type": "string", "enum": [m.value for m in type_]}
        if issubclass(type_, LabeledEnum):
            schema["description"] = "; ".join(
                f"{m.value} = {m.label_zh} / {m.label_en}" for m in type_
            )
        return schema
    if _is_personal(type_):
        return {
            "type": "string",
            "minLength": 1,
            "description": f"{type_.kind} (personal data; masked values with '*' do not load)",
        }
    if _is_attrs_class(type_):
        name = type_.__name__
        if name not in defs:
            defs[name] = {}  # reserve the name first, so a cycle ends here
            defs[name] = _object_schema(type_, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for type {type_!r}")


# attrs keeps composed validators in private slots; the schema test notices if that changes.
def _flat_validators(validator: Any) -> list[Any]:
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)
    if inner is not None:
        return [v for part in inner for v in _flat_validators(part)]
    if type(validator).__name__ == "_OptionalValidator":
        return _flat_validators(validator.validator)
    return [validator]


_VALIDATOR_SCHEMA: Final[Mapping[object, Mapping[str, Any]]] = {
    # division codes as divisions.py reads them: every level, or communities' level
    _divisions.division_code: {"pattern": _divisions.code_pattern()},
    _community._village_level: {
        "pattern": _divisions.code_pattern(_divisions.DivisionLevel.VILLAGE)
    },
    _fields.identifier: {"pattern": _fields._IDENT.pattern},
    _fields.non_negative_int: {"minimum": 0},
    _fields.positive_int: {"minimum": 1},
    _fields.non_negative_amount: {"minimum": 0},
    _fields.positive_amount: {"exclusiveMinimum": 0},
    _workflow_records._hash_text: {"pattern": _workflow_records._HASH.pattern},
    _workflow_records._positive: {"minimum": 1},
}


def _refine(schema: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Add ``extra`` to the branches of ``schema`` whose type it constrains."""
    if not extra:
        return schema
    if "anyOf" in schema:
        return {**schema, "anyOf": [_refine(branch, extra) for branch in schema["anyOf"]]}
    kind = schema.get("type")
    numeric = kind in ("integer", "number")
    wanted = {
        key: value
        for key, value in extra.items()
        if (key == "pattern" and kind == "string") or (key != "pattern" and numeric)
    }
    return {**schema, **wanted}


def _described_args(doc: str) -> dict[str, str]:
    """The ``Attributes:`` (or ``Args:``) section of a Google-style docstring, by name.

    The docstring is dedented first: Python 3.13 stores docstrings dedented already, older
    versions as written, and entries are recognised by their indentation in the section.
    """
    found: dict[str, str] = {}
    inside = False
    current: str | None = None
    for line in inspect.cleandoc(doc).splitlines():
        stripped = line.strip()
        if stripped in ("Args:", "Attributes:"):
            inside = True
            continue
        if not inside:
            continue
        if not stripped or (stripped.endswith(":") and " " not in stripped):
            if found:
                break
            continue
        match = re.match(r"^(\w+): (.*)$", stripped)
        if match and line.startswith(" " * 4) and not line.startswith(" " * 8):
            current = match.group(1)
            found[current] = match.group(2)
        elif current is not None:
            found[current] += " " + stripped
    return found
