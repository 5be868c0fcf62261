"""GeoReport v2 service definitions (``GET services/{service_code}``): the attributes a
service asks for, read and written as JSON or XML.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from sqfw._args import expect_items, named_fields, read_only_mapping
from sqfw.errors import InvalidArgumentError, shorten
from sqfw.workflows._georeport import (
    MAX_DOCUMENT_CHARS,
    MAX_TEXT_CHARS,
    Scalar,
    _described,
    _format,
    _json,
    _json_text,
    _no_constant,
    _no_twice,
    _plain,
    _Problems,
    _refuse,
    _xml_document,
    _xml_root,
)

__all__ = [
    "DATATYPES",
    "MAX_ATTRIBUTES",
    "GeoAttribute",
    "GeoAttributeValue",
    "GeoServiceDefinition",
    "dump_service_definition",
    "parse_service_definition",
]

DATATYPES: Final = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
"""The datatypes of an attribute, as the specification lists them."""

MAX_ATTRIBUTES: Final = 1_000
"""Most attributes of one service, and most values of one attribute."""

_ATTRIBUTE_FIELDS: Final = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
)


@attrs.frozen(kw_only=True)
class GeoAttributeValue:
    """One option of a ``singlevaluelist`` or ``multivaluelist`` attribute.

    Attributes:
        key: the option's identifier (as sent: a JSON number stays a number).
        name: its human-readable name.

    .. versionadded:: 0.1.0
    """

    key: Scalar
    name: Scalar = None


def _attribute_values(value: Iterable[GeoAttributeValue]) -> tuple[GeoAttributeValue, ...]:
    return expect_items("items", value, GeoAttributeValue)  # named after the field by named_fields


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class GeoAttribute:
    """One attribute of a service definition (values as the document has them).

    Attributes:
        values: the options of a list attribute, in document order.
        extensions: the attribute's fields the specification does not define.

    The other attributes are the specification's fields of the same names.

    .. versionadded:: 0.1.0
    """

    code: Scalar
    variable: Scalar = None
    datatype: Scalar = None
    required: Scalar = None
    datatype_description: Scalar = None
    order: Scalar = None
    description: Scalar = None
    values: tuple[GeoAttributeValue, ...] = attrs.field(default=(), converter=_attribute_values)
    extensions: Mapping[str, Any] = attrs.field(
        factory=dict, converter=read_only_mapping, hash=False
    )


def _attributes(value: Iterable[GeoAttribute]) -> tuple[GeoAttribute, ...]:
    return expect_items("items", value, GeoAttribute)  # named after the field by named_fields


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class GeoServiceDefinition:
    """A GeoReport v2 service definition: the attributes a service's requests carry.

    Attributes:
        service_code: the service.
        attributes: its attributes, in document order.
        extensions: the definition's fields the specification does not define.

    .. versionadded:: 0.1.0
    """

    service_code: Scalar
    attributes: tuple[GeoAttribute, ...] = attrs.field(default=(), converter=_attributes)
    extensions: Mapping[str, Any] = attrs.field(
        factory=dict, converter=read_only_mapping, hash=False
    )


def _items(value: Any, name: str) -> list[Any]:
    """The entries of a list: a JSON array, or in XML the mapping of repeated elements."""
    if value is None:
        return []
    if isinstance(value, Mapping) and set(value) <= {name}:
        inner = value.get(name)
        return [] if inner is None else inner if isinstance(inner, list) else [inner]
    return value if isinstance(value, list) else [value]


def _scalar(entry: Mapping[str, Any], field: str, where: str, problems: _Problems) -> Scalar:
    value = entry.get(field)
    if isinstance(value, dict | list):
        problems.add(f"{where}.{field}", "a text, a number, true, false or null", field, value)
        return None
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        problems.add(f"{where}.{field}", f"at most {MAX_TEXT_CHARS:,} characters", field, value)
        return None
    result: Scalar = value
    return result


def _attribute(raw: Any, where: str, problems: _Problems) -> GeoAttribute | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "an object", "", raw)
        return None
    fields = {f: _scalar(raw, f, where, problems) for f in _ATTRIBUTE_FIELDS if f in raw}
    code = fields.get("code")
    if code is None or (isinstance(code, str) and not code.strip()):
        problems.add(f"{where}.code", "a code", "code", code)
    datatype = fields.get("datatype")
    if datatype is not None and str(datatype).strip().lower() not in DATATYPES:
        problems.add(f"{where}.datatype", f"one of {', '.join(DATATYPES)}", "datatype", datatype)
    values = []
    listed = _items(raw.get("values"), "value")
    if len(listed) > MAX_ATTRIBUTES:
        problems.add(f"{where}.values", f"at most {MAX_ATTRIBUTES:,} values", "", len(listed))
        listed = []
    for j, item in enumerate(listed):
        at = f"{where}.values[{j}]"
        if not isinstance(item, Mapping):
            problems.add(at, "an object with key and name", "", item)
            continue
        unknown = sorted(set(item) - {"key", "name"})
        if unknown:
            problems.add(f"{at}.{shorten(unknown[0], 40)}", "key or name", "", "another field")
        key = _scalar(item, "key", at, problems)
        if key is None or (isinstance(key, str) and not key.strip()):
            problems.add(f"{at}.key", "a key", "key", key)
        values.append(GeoAttributeValue(key=key, name=_scalar(item, "name", at, problems)))
    extra = {k: v for k, v in raw.items() if k not in _ATTRIBUTE_FIELDS and k != "values"}
    return GeoAttribute(**{"code": None, **fields}, values=values, extensions=extra)


def parse_service_definition(text: str, *, format: str = "json") -> GeoServiceDefinition:
    """Read a GeoReport v2 service definition (JSON or XML).

    Args:
        text: the document (``{"service_code": …, "attributes": […]}`` or
            ``<service_definition>…``).
        format: ``"json"`` or ``"xml"``.

    Returns:
        The definition; fields the specification does not define are kept in
        ``extensions``.

    Raises:
        DocumentError: not a service definition: every problem with its path (no
            ``service_code``, an attribute without ``code``, a ``datatype`` the
            specification does not list, a value without ``key``, more than
            :data:`MAX_ATTRIBUTES` attributes or values …).
        InvalidArgumentError: ``format`` is neither ``"json"`` nor ``"xml"``.

    .. versionadded:: 0.1.0
    """
    fmt = _format(format)
    if not isinstance(text, str):
        raise InvalidArgumentError("text", type(text).__name__, "the document as text (str)")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise _refuse(
            "$", f"a document of at most {MAX_DOCUMENT_CHARS:,} characters", f"{len(text):,}"
        )
    if fmt == "xml":
        data: Any = _xml_root(text, "service_definition")
    else:
        plain = _json_text(text)
        try:
            data = json.loads(
                plain, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_twice
            )
        except ValueError as exc:
            raise _refuse("$", "a JSON object", repr(shorten(str(exc), 80))) from None
    if not isinstance(data, Mapping):
        raise _refuse("$", "an object with service_code and attributes", _described("", data))
    problems = _Problems()
    code = _scalar(data, "service_code", "$", problems)
    if code is None or (isinstance(code, str) and not code.strip()):
        problems.add("$.service_code", "a code", "service_code", code)
    listed = _items(data.get("attributes"), "attribute")
    if len(listed) > MAX_ATTRIBUTES:
        raise _refuse("$.attributes", f"at most {MAX_ATTRIBUTES:,} attributes", f"{len(listed):,}")
    attributes = [_attribute(a, f"$.attributes[{i}]", problems) for i, a in enumerate(listed)]
    problems.raise_any()
    extra = {k: v for k, v in data.items() if k not in ("service_code", "attributes")}
    return GeoServiceDefinition(
        service_code=code,
        attributes=[a for a in attributes if a is not None],
        extensions=extra,
    )


def dump_service_definition(definition: GeoServiceDefinition, *, format: str = "json") -> str:
    """Write a GeoReport v2 service definition (JSON or XML).

    Every field of an attribute is written (``null``, or an empty element, where it has
    none), its ``values`` as a list (in XML ``<values><value>…``), extensions after.

    Args:
        definition: the definition.
        format: ``"json"`` or ``"xml"``.

    Returns:
        The document.

    Raises:
        InvalidArgumentError: not a definition, or a value or field name the format
            cannot hold.

    .. versionadded:: 0.1.0
    """
    fmt = _format(format)
    if not isinstance(definition, GeoServiceDefinition):
        raise InvalidArgumentError(
            "definition", type(definition).__name__, "a GeoServiceDefinition"
        )
    attributes = []
    for i, attribute in enumerate(definition.attributes):
        where = f"attributes[{i}]"
        entry: dict[str, Any] = {
            f: _plain(getattr(attribute, f), f"{where}.{f}") for f in _ATTRIBUTE_FIELDS
        }
        entry["values"] = [{"key": v.key, "name": v.name} for v in attribute.values]
        for key, value in attribute.extensions.items():
            if key in entry:
                raise InvalidArgumentError(
                    f"{where}.extensions", key, "no field the specification defines"
                )
            entry[key] = _plain(value, f"{where}.{key}")
        attributes.append(entry)
    extra = {k: _plain(v, k) for k, v in definition.extensions.items()}
    if "service_code" in extra or "attributes" in extra:
        raise InvalidArgumentError(
            "definition.extensions", sorted(extra)[0], "no field the specification defines"
        )
    if fmt == "json":
        code = _plain(definition.service_code, "service_code")
        return _json({"service_code": code, "attributes": attributes, **extra})
    xml_attributes = [
        {**a, "values": {"value": a["values"]} if a["values"] else None} for a in attributes
    ]
    root: dict[str, Any] = {
        "service_code": definition.service_code,
        "attributes": {"attribute": xml_attributes} if xml_attributes else None,
        **extra,
    }
    return _xml_document("service_definition", root, "definition")
