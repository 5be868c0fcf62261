"""Documents: an entity's fields plus a header, written and read as JSON.

.. versionadded:: 0.1.0
   Split out of the former ``sqfw.serialization`` module.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, Final, TypeVar

import cattrs
from cattrs.errors import BaseValidationError

from sqfw._bulk import collector_paused
from sqfw._json import limit_problems, parse_json
from sqfw.entities import (
    Building,
    Candidate,
    Committee,
    CommitteeMember,
    Community,
    CommunityFoundation,
    CommunityUnits,
    CommunityWorker,
    Division,
    Election,
    Facility,
    FacilityProject,
    FloatingRegistration,
    Grid,
    IncubationRecord,
    JointMeeting,
    OwnersCommittee,
    Region,
    ResidentGroup,
    ServiceCertificate,
    ServicePeriod,
    ServiceProject,
    ServiceRecord,
    ServiceTicket,
    SmartCommunity,
    SocialOrganization,
    TrainingRecord,
    Volunteer,
)
from sqfw.errors import DocumentError, InvalidArgumentError, Problem
from sqfw.serialization._converter import _default
from sqfw.serialization._problems import describe as _describe
from sqfw.serialization._problems import problems_from
from sqfw.serialization._writer import entity_fields, field_data, write_document
from sqfw.workflows import WorkflowRecord

__all__ = [
    "DOCUMENT_KINDS",
    "SCHEMA_VERSION",
    "document_kind",
    "dump_document",
    "dumps",
    "load_document",
    "loads",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 1
"""The version of the document layout this sqfw writes and reads."""

DOCUMENT_KINDS: Final[Mapping[str, type[Any]]] = {
    "building": Building,
    "candidate": Candidate,
    "committee": Committee,
    "committee_member": CommitteeMember,
    "community": Community,
    "community_foundation": CommunityFoundation,
    "community_units": CommunityUnits,
    "community_worker": CommunityWorker,
    "division": Division,
    "election": Election,
    "facility": Facility,
    "facility_project": FacilityProject,
    "floating_registration": FloatingRegistration,
    "grid": Grid,
    "incubation_record": IncubationRecord,
    "joint_meeting": JointMeeting,
    "owners_committee": OwnersCommittee,
    "region": Region,
    "resident_group": ResidentGroup,
    "service_period": ServicePeriod,
    "service_project": ServiceProject,
    "service_record": ServiceRecord,
    "service_ticket": ServiceTicket,
    "smart_community": SmartCommunity,
    "social_organization": SocialOrganization,
    "training_record": TrainingRecord,
    "volunteer": Volunteer,
    "volunteer_certificate": ServiceCertificate,
    "workflow_record": WorkflowRecord,
}
"""Every document kind and the entity class it holds."""

_KIND_OF: Final = {cls: kind for kind, cls in DOCUMENT_KINDS.items()}
_HEADER: Final = ("schema_version", "document")


def document_kind(cls: type[Any]) -> str:
    """The document kind of an entity class (``Community`` → ``"community"``).

    Raises:
        InvalidArgumentError: ``cls`` is not an entity with a document kind (a
            ``TypeError``).
    """
    try:
        return _KIND_OF[cls]
    except (KeyError, TypeError):  # an unhashable cls is no entity either
        raise InvalidArgumentError(
            "cls", cls, "an entity class with a document kind: " + ", ".join(DOCUMENT_KINDS)
        ) from None


def dump_document(obj: object, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """Unstructure an entity into a JSON-ready document.

    Args:
        obj: any entity of :data:`DOCUMENT_KINDS`.
        converter: the converter to use; the default masks personal data.

    Returns:
        ``{"schema_version": 1, "document": kind, **fields}``, made only of dicts, lists,
        strings, numbers, booleans and ``None``.

    Raises:
        InvalidArgumentError: ``obj`` is not an entity with a document kind (a
            ``TypeError``).
    """
    document_kind(type(obj))
    conv = converter or _default()
    body = {name: field_data(value, conv) for name, value in entity_fields(obj)}
    return {**_header(type(obj)), **body}


def _header(cls: type[Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": document_kind(cls)}


def write_fields(
    stream: IO[str],
    cls: type[Any],
    fields: Iterable[tuple[str, Any]],
    *,
    converter: cattrs.Converter | None = None,
    indent: int | None = 2,
) -> None:
    """Write a document of kind ``cls`` from its ``(field, value)`` pairs, in order.

    A value that is a tuple, a list or an iterator is written item by item, so a region
    can be written from an iterator of its communities without building the region (the
    document is the one :func:`dumps` writes of the entity with those fields).

    Args:
        stream: a text stream to write to.
        cls: the entity class of the document, e.g. :class:`~sqfw.entities.Region`.
        fields: ``(field name, value)`` pairs, in the order the document lists them.
        converter: the converter to use; the default masks personal data.
        indent: spaces per level, or ``None`` for one line.

    Raises:
        InvalidArgumentError: ``cls`` has no document kind, ``stream`` cannot be written
            to, ``converter`` is no converter or ``indent`` no count (before anything is
            written); an item of ``fields`` that is no ``(name, value)`` pair (when it is
            reached: write to an atomic file, as sqfw's writers do).

    .. versionadded:: 0.1.0
    """
    header = _header(cls)
    if not callable(getattr(stream, "write", None)):
        raise InvalidArgumentError("stream", stream, "a text stream")
    if converter is not None and not isinstance(converter, cattrs.Converter):
        raise InvalidArgumentError("converter", converter, "a converter or None")
    if indent is not None and (type(indent) is not int or not 0 <= indent <= 16):
        raise InvalidArgumentError("indent", indent, "a number of spaces from 0 to 16, or None")
    write_document(stream, header, _pairs(fields), converter or _default(), indent=indent)


def _pairs(fields: object) -> Iterator[tuple[str, Any]]:
    if isinstance(fields, str | bytes) or not isinstance(fields, Iterable):
        raise InvalidArgumentError("fields", fields, "(field name, value) pairs")
    for pair in fields:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise InvalidArgumentError("fields", pair, "a (field name, value) pair")
        yield pair


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
            value the entities' validators refuse; or a limit of :mod:`sqfw.limits`
            broken (nesting, digits, string length, lone surrogates, duplicate keys).
    """
    kind = document_kind(cls)
    problems = limit_problems(data)  # before anything reads the data
    if problems:
        raise DocumentError(problems, source=source)
    if not isinstance(data, Mapping):
        raise DocumentError(
            [Problem("$", f"expected an object, got {_describe(data)}")], source=source
        )
    version = data.get("schema_version")
    if "schema_version" not in data:
        problems.append(
            Problem("$.schema_version", f"required key is missing; expected {SCHEMA_VERSION}")
        )
    elif type(version) is not int or version != SCHEMA_VERSION:
        message = f"expected the integer {SCHEMA_VERSION}, got {_describe(version)}"
        if type(version) is int and version > SCHEMA_VERSION:
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
    stream = io.StringIO()
    write_fields(stream, type(obj), entity_fields(obj), converter=converter, indent=indent)
    return stream.getvalue()


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
        text: the JSON text, or UTF-8 bytes.
        source: where the text came from, for the error message.
        converter: the converter to use.

    Returns:
        The entity.

    Raises:
        DocumentError: the text is not UTF-8 (the message gives the byte offset) or not
            JSON, breaks a limit, or the document has problems.
    """
    document_kind(cls)
    if not isinstance(text, str | bytes):
        raise InvalidArgumentError("text", text, "JSON text or UTF-8 bytes")
    with collector_paused():  # millions of objects, none in a cycle
        data = parse_json(text, source=source)
        return load_document(cls, data, source=source, converter=converter)
