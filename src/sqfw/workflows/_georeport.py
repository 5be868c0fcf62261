"""GeoReport v2 documents: requests and service lists read and written as JSON or XML.

The document layer of :mod:`sqfw.workflows.open311`: what a document says, field for field,
with the sender's extension fields kept; nothing here knows about tickets.

Reading is strict on structure (the root, the entries, the standard fields as plain values)
and lenient on what senders commonly write differently (surrounding whitespace is kept as
sent, a bare number with leading zeros such as the specification's own ``"service_code":006``
is read as the text of its digits, statuses other than ``open``/``closed`` are kept as sent).
Writing follows the specification: ``status`` is only ``open`` or ``closed``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from sqfw._args import expect_items, named_fields, read_only_mapping
from sqfw.errors import DocumentError, InvalidArgumentError, Problem, shorten

__all__ = [
    "CLOSED_STATUSES",
    "MAX_DOCUMENT_CHARS",
    "MAX_EXTENSIONS",
    "MAX_EXTENSION_DEPTH",
    "MAX_REQUESTS",
    "MAX_TEXT_CHARS",
    "OPEN_STATUSES",
    "PERSONAL_FIELDS",
    "SENDER_STATUS",
    "GeoRequest",
    "GeoService",
    "dump_requests",
    "dump_services",
    "georeport_status",
    "parse_requests",
    "parse_services",
]

SOURCE: Final = "GeoReport v2"

# --- limits (each one the specification's examples fit in, by far) ------------------------

MAX_REQUESTS: Final = 1_000
"""Most entries in one document: the specification's own default answer to ``GET requests``
("first 1000 requests returned")."""

MAX_TEXT_CHARS: Final = 4_000
"""Longest text of one field: the specification's limit on ``description`` ("free form
text limited to 4,000 characters"), applied to every field."""

MAX_EXTENSIONS: Final = 100
"""Most extension fields (fields the specification does not define) of one entry."""

MAX_EXTENSION_DEPTH: Final = 8
"""Deepest nesting of objects and arrays (JSON) or elements (XML) inside an extension."""

MAX_DOCUMENT_CHARS: Final = 16 * 1024 * 1024
"""Longest document read (16 Mi characters: 1,000 requests of 16,000 characters each)."""

REQUEST_FIELDS: Final = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
"""The fields of a request in ``GET requests``, in the specification's order."""

SERVICE_FIELDS: Final = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)

PERSONAL_FIELDS: Final = frozenset(
    {
        "address",
        "address_string",
        "email",
        "first_name",
        "last_name",
        "phone",
        "device_id",
        "account_id",
        "requestor_name",
        "name",
    }
)
"""Fields whose values are personal data: a message describes them, never echoes them."""

# --- statuses --------------------------------------------------------------------------

OPEN_STATUSES: Final = frozenset(
    {"open", "confirmed", "investigating", "in_progress", "action_scheduled", "planned"}
)
"""Statuses read as ``open``: the specification's, and the open states FixMyStreet sends."""

CLOSED_STATUSES: Final = frozenset(
    {
        "closed",
        "fixed",
        "fixed_council",
        "fixed_user",
        "unable_to_fix",
        "not_responsible",
        "not_councils_responsibility",
        "no_further_action",
        "duplicate",
        "internal_referral",
    }
)
"""Statuses read as ``closed``: the specification's, and the fixed and closed states
FixMyStreet sends."""

SENDER_STATUS: Final = "sqfw_status"
"""The extension field in which a written request keeps a status that was neither ``open``
nor ``closed`` (``investigating``), while ``status`` says which of the two it is."""

_SEPARATORS: Final = re.compile(r"[\s_\-]+")


def georeport_status(status: object) -> Literal["open", "closed"] | None:
    """Which of the specification's two statuses a sender's status is, if known.

    Case, surrounding whitespace and the separators between words (spaces, ``_``, ``-``)
    do not matter: ``" Fixed - council "`` is ``closed``. The statuses known are
    :data:`OPEN_STATUSES` and :data:`CLOSED_STATUSES`.

    Args:
        status: the ``status`` of a document's entry, as sent.

    Returns:
        ``"open"``, ``"closed"``, or ``None`` for a status not in either table.

    .. versionadded:: 0.1.0
    """
    if not isinstance(status, str):
        return None
    key = _SEPARATORS.sub("_", status.strip().casefold()).strip("_")
    if key in OPEN_STATUSES:
        return "open"
    if key in CLOSED_STATUSES:
        return "closed"
    return None


# --- entries ---------------------------------------------------------------------------

Scalar = str | int | Decimal | bool | None


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class GeoRequest:
    """One service request of a GeoReport v2 document, with the values the document has.

    Attributes:
        service_request_id: the request's id (a JSON number stays a number).
        status: as sent (``open``, ``closed``, or a sender's own such as
            ``investigating``); :func:`georeport_status` says which of the two it is.
        extensions: the entry's fields that the specification does not define (a
            FixMyStreet ``external_status_code``, ``extended_attributes`` …), in the
            document's order, kept for the round trip. JSON values as they came; XML
            elements as their text, or for an element with elements inside as a mapping
            of their names to their values (a list where a name repeats).

    The other attributes are the specification's fields of the same names.

    .. versionadded:: 0.1.0
    """

    service_request_id: Scalar
    status: Scalar = None
    status_notes: Scalar = None
    service_name: Scalar = None
    service_code: Scalar = None
    description: Scalar = None
    agency_responsible: Scalar = None
    service_notice: Scalar = None
    requested_datetime: Scalar = None
    updated_datetime: Scalar = None
    expected_datetime: Scalar = None
    address: Scalar = None
    address_id: Scalar = None
    zipcode: Scalar = None
    lat: Scalar = None
    long: Scalar = None
    media_url: Scalar = None
    extensions: Mapping[str, Any] = attrs.field(
        factory=dict, converter=read_only_mapping, hash=False
    )


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class GeoService:
    """One service of a GeoReport v2 service list (values as the document has them).

    Attributes:
        extensions: the entry's fields that the specification does not define.

    .. versionadded:: 0.1.0
    """

    service_code: Scalar
    service_name: Scalar = None
    description: Scalar = None
    metadata: Scalar = None
    type: Scalar = None
    keywords: Scalar = None
    group: Scalar = None
    extensions: Mapping[str, Any] = attrs.field(
        factory=dict, converter=read_only_mapping, hash=False
    )


# --- reading ---------------------------------------------------------------------------


_SHOWN_FIELDS: Final = frozenset(
    {
        "service_request_id",
        "status",
        "service_code",
        "type",
        "datatype",
        "code",
        "key",
        "metadata",
        "variable",
        "required",
        "order",
        "requested_datetime",
    }
)
"""Fields of codes, statuses and times, whose values a message may show (masked and cut);
every other field's value may hold personal data in free text and is only described."""


def _described(field: str, value: object) -> str:
    """What came, for a message: a code or status shown masked and cut; any other value
    described by its kind and size, never echoed (free text may name people, phones,
    e-mails and addresses)."""
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if field in _SHOWN_FIELDS:
        return repr(shorten(value, 60)) if isinstance(value, str) else shorten(repr(value), 60)
    if isinstance(value, str):
        kind = f"a text of {len(value):,} characters"
    elif isinstance(value, bool):
        kind = "a boolean"
    elif isinstance(value, int | Decimal | float):
        kind = "a number"
    else:
        kind = f"a {type(value).__name__}"
    why = "personal data" if field in PERSONAL_FIELDS else "may hold personal data"
    return f"{kind} ({why}, not shown)"


class _Problems:
    """The problems of one document, collected so that one error lists every one."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, where: str, expected: str, field: str, value: object) -> None:
        self.found.append(Problem(where, f"expected {expected}, got {_described(field, value)}"))

    def raise_any(self) -> None:
        if self.found:
            raise DocumentError(self.found, source=SOURCE)


def _refuse(where: str, expected: str, got: str) -> DocumentError:
    return DocumentError([Problem(where, f"expected {expected}, got {got}")], source=SOURCE)


# JSON tokens: whole strings (skipped), brackets (nesting), and numbers (leading zeros).
_JSON_TOKENS: Final = re.compile(
    r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?', re.DOTALL
)
_LEADING_ZEROS: Final = re.compile(r"-?0\d+")
_MAX_JSON_DEPTH: Final = MAX_EXTENSION_DEPTH + 3
_MAX_NUMBER_CHARS: Final = 40


def _json_text(text: str) -> str:
    """The document with bare numbers written with leading zeros (``006``, not JSON) as
    strings of their digits, after checking its nesting depth and number lengths."""
    parts: list[str] = []
    last = 0
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            continue
        if first in "[{":
            depth += 1
            if depth > _MAX_JSON_DEPTH:
                raise _refuse(
                    "$", f"arrays and objects nested at most {_MAX_JSON_DEPTH} deep", "deeper"
                )
        elif first in "]}":
            depth -= 1
        elif len(token) > _MAX_NUMBER_CHARS:
            raise _refuse(
                "$",
                f"numbers of at most {_MAX_NUMBER_CHARS} characters",
                f"one of {len(token):,} at character {match.start():,}",
            )
        elif _LEADING_ZEROS.fullmatch(token):
            parts.append(text[last : match.start()])
            parts.append(f'"{token}"')
            last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are each given once (JSON would keep the last silently)."""
    entry: dict[str, Any] = {}
    for key, value in pairs:
        if key in entry:
            raise ValueError(f"the key {shorten(key, 40)!r} given twice in one object")
        entry[key] = value
    return entry


def _json_entries(text: str) -> list[Any]:
    plain = _json_text(text)
    try:
        data = json.loads(
            plain, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_twice
        )
    except ValueError as exc:
        raise _refuse("$", "a JSON array of objects", repr(shorten(str(exc), 80))) from None
    if not isinstance(data, list):
        raise _refuse("$", "a JSON array of objects", f"a JSON {type(data).__name__}")
    return data


_SPEC_NAMESPACE: Final = "{http://wiki.open311.org/GeoReport_v2}"
"""The namespace the specification names for documents that must declare one."""


def _local(tag: str) -> str:
    return tag[len(_SPEC_NAMESPACE) :] if tag.startswith(_SPEC_NAMESPACE) else tag


def _xml_value(node: ET.Element, where: str, depth: int) -> Any:
    if node.attrib:
        raise _refuse(where, "an element without attributes", f"{len(node.attrib)} attribute(s)")
    children = list(node)
    if not children:
        return node.text
    if depth > MAX_EXTENSION_DEPTH:
        raise _refuse(where, f"elements nested at most {MAX_EXTENSION_DEPTH} deep", "deeper")
    if node.text is not None and node.text.strip():
        raise _refuse(where, "either text or elements", "both")
    value: dict[str, Any] = {}
    for child in children:
        name = _local(child.tag)
        item = _xml_value(child, f"{where}.{name[:40]}", depth + 1)
        if child.tail is not None and child.tail.strip():
            raise _refuse(where, "either text or elements", "both")
        if name in value:
            earlier = value[name]
            value[name] = [*earlier, item] if isinstance(earlier, list) else [earlier, item]
        else:
            value[name] = item
    return value


def _xml_tree(text: str, root: str) -> ET.Element:
    """The root element of an XML document, refused with a DTD (so no entity is expanded)."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise _refuse("$", f"an XML <{root}> document without a DTD", "a document type declaration")
    try:
        tree = ET.fromstring(text)
    except ET.ParseError as exc:
        raise _refuse("$", f"an XML <{root}> document", repr(shorten(str(exc), 80))) from None
    if _local(tree.tag) != root:
        raise _refuse("$", f"<{root}>", f"<{shorten(tree.tag, 40)}>")
    return tree


def _xml_root(text: str, root: str) -> Any:
    """The value of an XML document's root element (a mapping of its elements)."""
    return _xml_value(_xml_tree(text, root), "$", 0)


def _xml_entries(text: str, root: str, item: str) -> list[Any]:
    tree = _xml_tree(text, root)
    entries = []
    for i, node in enumerate(tree):
        if _local(node.tag) != item:
            raise _refuse(f"$[{i}]", f"<{item}>", f"<{shorten(node.tag, 40)}>")
        value = _xml_value(node, f"$[{i}]", 0)
        entries.append(value if isinstance(value, dict) else {})
    return entries


def _depth(value: Any) -> int:
    """How deep objects nest in a value (a list is the same element repeated in XML, so
    it adds no level)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max((_depth(v) for v in value), default=0)
    return 0


def _entries(
    text: str,
    fields: Sequence[str],
    root: str,
    item: str,
    fmt: str,
    check: Callable[[str, dict[str, Any], _Problems], None],
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each entry of a document: its standard fields and its extensions."""
    if not isinstance(text, str):
        raise InvalidArgumentError("text", type(text).__name__, "the document as text (str)")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise _refuse(
            "$", f"a document of at most {MAX_DOCUMENT_CHARS:,} characters", f"{len(text):,}"
        )
    if fmt == "json":
        raw = _json_entries(text)
    elif fmt == "xml":
        raw = _xml_entries(text, root, item)
    else:
        raise InvalidArgumentError("format", fmt, "'json' or 'xml'")
    if len(raw) > MAX_REQUESTS:
        raise _refuse(
            "$", f"at most {MAX_REQUESTS:,} entries (the specification's default)", f"{len(raw):,}"
        )
    problems = _Problems()
    out = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            problems.add(f"$[{i}]", "an object", "", entry)
            continue
        standard: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in entry.items():
            where = f"$[{i}].{shorten(key, 40)}"
            if key in fields:
                if isinstance(value, dict | list):
                    problems.add(where, "a text, a number, true, false or null", key, value)
                elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    problems.add(where, f"at most {MAX_TEXT_CHARS:,} characters", key, value)
                else:
                    standard[key] = value
            else:
                extra[key] = value
                if _depth(value) > MAX_EXTENSION_DEPTH:
                    problems.add(where, f"nesting at most {MAX_EXTENSION_DEPTH} deep", key, value)
                elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    problems.add(where, f"at most {MAX_TEXT_CHARS:,} characters", key, value)
        if len(extra) > MAX_EXTENSIONS:
            problems.add(f"$[{i}]", f"at most {MAX_EXTENSIONS} extension fields", "", len(extra))
        check(f"$[{i}]", standard, problems)
        out.append((standard, extra))
    problems.raise_any()
    return out


def _blank(value: object) -> bool:
    return (
        value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip())
    )


def _check_request(where: str, entry: dict[str, Any], problems: _Problems) -> None:
    rid = entry.get("service_request_id")
    if _blank(rid):
        problems.add(f"{where}.service_request_id", "an id", "service_request_id", rid)


def _check_service(where: str, entry: dict[str, Any], problems: _Problems) -> None:
    kind = entry.get("type")
    if kind is not None and str(kind).strip() not in ("realtime", "batch", "blackbox"):
        problems.add(f"{where}.type", "realtime, batch or blackbox", "type", kind)
    code = entry.get("service_code")
    if _blank(code):
        problems.add(f"{where}.service_code", "a code", "service_code", code)


def parse_requests(text: str, *, format: str = "json") -> list[GeoRequest]:
    """Read the requests of a GeoReport v2 ``requests`` document (JSON or XML).

    Every entry of ``GET requests``, ``GET requests/{id}``, ``POST requests`` (its answer)
    and ``GET tokens/{id}`` reads: the fields the specification defines become the
    attributes, others are kept in ``extensions``. Values are kept as sent (surrounding
    whitespace, statuses other than ``open``/``closed``); an XML element's value is its
    text; an empty element is ``None``; the specification's namespace is allowed.

    Args:
        text: the document.
        format: ``"json"`` or ``"xml"``.

    Returns:
        The requests, in document order.

    Raises:
        DocumentError: not a document of requests: every problem with its ``$[i].field``
            (a standard field that is an object or array, a text over
            :data:`MAX_TEXT_CHARS`, an entry without ``service_request_id``, more than
            :data:`MAX_REQUESTS` entries, a DTD in XML …).
        InvalidArgumentError: ``format`` is neither ``"json"`` nor ``"xml"``.

    .. versionadded:: 0.1.0
    """
    entries = _entries(text, REQUEST_FIELDS, "service_requests", "request", format, _check_request)
    return [GeoRequest(**standard, extensions=extra) for standard, extra in entries]


def parse_services(text: str, *, format: str = "json") -> list[GeoService]:
    """Read a GeoReport v2 service list (JSON or XML).

    Args:
        text: the document.
        format: ``"json"`` or ``"xml"``.

    Returns:
        The services, in document order; fields the specification does not define are
        kept in ``extensions``.

    Raises:
        DocumentError: not a service list: every problem with its ``$[i].field`` (a
            ``type`` other than ``realtime``, ``batch`` or ``blackbox``, an entry without
            ``service_code`` …).
        InvalidArgumentError: ``format`` is neither ``"json"`` nor ``"xml"``.

    .. versionadded:: 0.1.0
    """
    entries = _entries(text, SERVICE_FIELDS, "services", "service", format, _check_service)
    return [GeoService(**standard, extensions=extra) for standard, extra in entries]


# --- writing ---------------------------------------------------------------------------


def _plain(value: Any, where: str) -> Any:
    """A value as a document holds it (mappings as dicts, sequences as lists)."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        if len(str(value)) > _MAX_NUMBER_CHARS:  # what is written must read back
            raise InvalidArgumentError(
                where, value, f"a number of at most {_MAX_NUMBER_CHARS} characters"
            )
        return value
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise InvalidArgumentError(
        where, type(value).__name__, "text, a number, a bool, None, a mapping or a list"
    )


def _request_entry(request: GeoRequest, i: int) -> dict[str, Any]:
    where = f"requests[{i}]"
    if not isinstance(request, GeoRequest):
        raise InvalidArgumentError(where, type(request).__name__, "a GeoRequest")
    entry = {name: _plain(getattr(request, name), f"{where}.{name}") for name in REQUEST_FIELDS}
    extensions = {k: _plain(v, f"{where}.{k}") for k, v in request.extensions.items()}
    clash = [k for k in extensions if k in REQUEST_FIELDS]
    if clash:
        raise InvalidArgumentError(
            f"{where}.extensions", clash[0], "no field the specification defines"
        )
    if request.status is None:  # the answers to POST requests and to tokens have none
        return {**entry, **extensions}
    status = georeport_status(request.status)
    if status is None:
        raise InvalidArgumentError(
            f"{where}.status",
            request.status,
            "open, closed, or a status read as one of them (see georeport_status)",
        )
    if request.status != status:
        extensions[SENDER_STATUS] = request.status
    entry["status"] = status
    return {**entry, **extensions}


def _service_entry(service: GeoService, i: int) -> dict[str, Any]:
    where = f"services[{i}]"
    if not isinstance(service, GeoService):
        raise InvalidArgumentError(where, type(service).__name__, "a GeoService")
    entry = {name: _plain(getattr(service, name), f"{where}.{name}") for name in SERVICE_FIELDS}
    for key, value in service.extensions.items():
        if key in SERVICE_FIELDS:
            raise InvalidArgumentError(f"{where}.extensions", key, "no field the spec defines")
        entry[key] = _plain(value, f"{where}.{key}")
    return entry


def _json(entries: Any) -> str:
    # Decimals are written as their own digits (json would round them through a float):
    # each is first a marker string unique to this call, then replaced by its digits.
    nonce = secrets.token_hex(8)
    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise InvalidArgumentError("number", value, "a finite number")
            key = f"\u0000{nonce}:{len(marks)}\u0000"
            marks[json.dumps(key)] = str(value)
            return key
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(entries), ensure_ascii=False, indent=2)
    for key, digits in marks.items():
        text = text.replace(key, digits, 1)
    return text


_XML_NAME: Final = re.compile(r"[A-Za-z_][\w.\-]*")
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: Any, where: str) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    bad = _NOT_XML.search(text)
    if bad:
        raise InvalidArgumentError(
            where,
            f"a text with U+{ord(bad.group()):04X} at character {bad.start():,}",
            "text without characters XML cannot hold",
        )
    return text


def _xml_fill(node: ET.Element, value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_child(node, key, item, f"{where}.{key}")
    elif value is not None:
        node.text = _xml_text(value, where)


def _xml_child(parent: ET.Element, key: str, value: Any, where: str) -> None:
    if not _XML_NAME.fullmatch(key) or key.lower().startswith("xml"):
        raise InvalidArgumentError(where, key, "a field name that is an XML element name")
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, list):
            raise InvalidArgumentError(where, "a list in a list", "no list directly in a list")
        _xml_fill(ET.SubElement(parent, key), item, where)


def _xml(entries: Iterable[dict[str, Any]], root: str, item: str, name: str) -> str:
    top = ET.Element(root)
    for i, entry in enumerate(entries):
        node = ET.SubElement(top, item)
        for key, value in entry.items():
            _xml_child(node, key, value, f"{name}[{i}].{key}")
    return _xml_written(top)


def _xml_document(root: str, value: dict[str, Any], name: str) -> str:
    """An XML document whose root element holds ``value``'s fields as elements."""
    top = ET.Element(root)
    for key, item in value.items():
        _xml_child(top, key, item, f"{name}.{key}")
    return _xml_written(top)


def _xml_written(top: ET.Element) -> str:
    ET.indent(top, space="    ")
    # A carriage return as a reference: written raw, a parser would read it as a line feed.
    body = ET.tostring(top, encoding="unicode", short_empty_elements=False).replace("\r", "&#13;")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _format(fmt: str) -> str:
    if fmt not in ("json", "xml"):
        raise InvalidArgumentError("format", fmt, "'json' or 'xml'")
    return fmt


def dump_requests(requests: Iterable[GeoRequest], *, format: str = "json") -> str:
    """Write requests as a GeoReport v2 ``requests`` document (JSON or XML).

    Every field of ``GET requests`` is written (``null``, or an empty element, where a
    request has none), then the request's extensions. ``status`` is written as ``open`` or
    ``closed`` (:func:`georeport_status`); a status sent otherwise (``investigating``) is
    kept in the extension :data:`SENDER_STATUS`; a request without one (the answer to
    ``POST requests``) is written without one. Numbers keep their digits; in XML a
    mapping is written as elements and a list as the same element repeated.

    Args:
        requests: the requests.
        format: ``"json"`` or ``"xml"``.

    Returns:
        The document.

    Raises:
        InvalidArgumentError: a status that is neither open nor closed nor known as one
            of them (named ``requests[i].status``), an extension that redefines a standard
            field, a value or field name the format cannot hold.

    .. versionadded:: 0.1.0
    """
    fmt = _format(format)
    given = expect_items("dump_requests(requests)", requests, GeoRequest)
    entries = [_request_entry(r, i) for i, r in enumerate(given)]
    if fmt == "json":
        return _json(entries)
    return _xml(entries, "service_requests", "request", "requests")


def dump_services(services: Iterable[GeoService], *, format: str = "json") -> str:
    """Write a GeoReport v2 service list (JSON or XML), extensions after the fields.

    Args:
        services: the services.
        format: ``"json"`` or ``"xml"``.

    Returns:
        The document.

    Raises:
        InvalidArgumentError: an extension that redefines a standard field, a value or
            field name the format cannot hold.

    .. versionadded:: 0.1.0
    """
    fmt = _format(format)
    given = expect_items("dump_services(services)", services, GeoService)
    entries = [_service_entry(s, i) for i, s in enumerate(given)]
    if fmt == "json":
        return _json(entries)
    return _xml(entries, "services", "service", "services")
