"""JSON Schema (draft 2020-12) of each document kind, derived from the entity classes.

.. versionadded:: 0.1.0
   Split out of the former ``sqfw.serialization`` module.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
import pendulum

from sqfw import _fields
from sqfw.entities import divisions as _divisions
from sqfw.entities import grid as _grid
from sqfw.entities import owners as _owners
from sqfw.entities import projects as _projects
from sqfw.entities import register as _register
from sqfw.entities import ticket as _ticket
from sqfw.errors import UnknownDocumentKind
from sqfw.labels import LabeledEnum
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_HOURS, MAX_ORDINAL
from sqfw.serialization._converter import (
    DATE_TEXT,
    DATETIME_TEXT,
    DECIMAL_TEXT,
    _is_attrs_class,
    _is_enum,
    _is_personal,
    is_homogeneous_tuple,
)
from sqfw.serialization._documents import DOCUMENT_KINDS, SCHEMA_VERSION
from sqfw.workflows import _records as _workflow_records

__all__ = ["json_schema"]

_KIND_BY_CLASS_NAME: Final = {cls.__name__: kind for kind, cls in DOCUMENT_KINDS.items()}


def _kind_and_class(kind: object) -> tuple[str, type[Any]]:
    """The document kind and its class, from a kind, a class or a class's name."""
    if isinstance(kind, type):
        for name, cls in DOCUMENT_KINDS.items():
            if cls is kind:
                return name, cls
    elif isinstance(kind, str):
        name = _KIND_BY_CLASS_NAME.get(kind, kind)
        if name in DOCUMENT_KINDS:
            return name, DOCUMENT_KINDS[name]
    shown = kind.__name__ if isinstance(kind, type) else kind
    raise UnknownDocumentKind(
        "kind",
        shown,
        f"a document kind ({', '.join(DOCUMENT_KINDS)}), its entity class or the class's name",
    )


def json_schema(kind: str | type[Any]) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of one document kind, derived from the entity classes.

    Each entity becomes an object with ``additionalProperties: false``; fields without a
    default are ``required``; enumerations list their values; known validators add
    patterns and minimums (division codes, identifiers, non-negative counts and areas).
    What a schema cannot say (an office area within the total, check digits of identity
    numbers) is still checked by :func:`load_document`.

    Args:
        kind: the document kind (a key of :data:`DOCUMENT_KINDS`, e.g. ``"community"``),
            its entity class (``Community``) or that class's name (``"Community"``).

    Returns:
        The schema as a JSON-ready dict.

    Raises:
        UnknownDocumentKind: no document has this kind (a ``LookupError``); the message
            lists every kind.

    .. versionchanged:: 0.1.0
       Also accepts the entity class or its name.
    """
    kind, cls = _kind_and_class(kind)
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
            if check in _ITEM_VALIDATOR_SCHEMA and schema.get("type") == "array":
                items = _refine(schema["items"], _ITEM_VALIDATOR_SCHEMA[check])
                schema = {**schema, "items": items}
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
    if is_homogeneous_tuple(type_):
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
                {"type": "string", "pattern": DECIMAL_TEXT},
            ]
        }
    if type_ is pendulum.DateTime:
        return {"type": "string", "pattern": DATETIME_TEXT}
    if type_ is pendulum.Date:
        return {"type": "string", "format": "date", "pattern": DATE_TEXT}
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
    _divisions.village_code: {"pattern": _divisions.code_pattern(_divisions.DivisionLevel.VILLAGE)},
    _owners._street: {"pattern": _divisions.code_pattern(_divisions.DivisionLevel.TOWNSHIP)},
    _fields.identifier: {"pattern": _fields._IDENT.pattern},
    # a unit below a community: its community's code and a serial (the scheme says how long)
    _grid.unit_code: {"pattern": _grid.UNIT_CODE_TEXT},
    _grid._optional_unit_code: {"pattern": _grid.UNIT_CODE_TEXT},
    _register._optional_building: {"pattern": _grid.UNIT_CODE_TEXT},
    _ticket.LATITUDE: {"minimum": -90, "maximum": 90},
    _ticket.LONGITUDE: {"minimum": -180, "maximum": 180},
    _ticket._optional_url: {"pattern": f"^{_ticket._URL.pattern}$"},
    _fields.non_negative_int: {"minimum": 0, "maximum": MAX_COUNT},
    _fields.positive_int: {"minimum": 1, "maximum": MAX_ORDINAL},
    _fields.area_m2: {"minimum": 0, "maximum": MAX_AREA_M2},
    _fields.duration_hours: {"minimum": 0, "maximum": MAX_HOURS},
    _workflow_records._hash_text: {"pattern": _workflow_records._HASH.pattern},
    _workflow_records._positive: {"minimum": 1},
}

# validators that check each item of an array field
_ITEM_VALIDATOR_SCHEMA: Final[Mapping[object, Mapping[str, Any]]] = {
    _grid._building_codes: {"pattern": _grid.UNIT_CODE_TEXT},
    _projects._each_code: {"pattern": _divisions.code_pattern()},
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
