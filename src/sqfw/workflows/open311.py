"""Open311 GeoReport v2: service requests and the service list, exchanged as JSON or XML.

GeoReport v2 is the open format in which service-request systems exchange requests
(``GET requests``) and their service list (``GET services``). Here:

- :class:`GeoRequest` and :class:`GeoService` hold one document entry each, field for
  field; :func:`parse_requests` / :func:`dump_requests` and :func:`parse_services` /
  :func:`dump_services` read and write them as JSON (numbers kept exactly: coordinates
  as :class:`~decimal.Decimal`) or XML (``<service_requests><request>…``);
- :func:`request_from_record` maps a ticket onto a request: ``closed`` for a closed,
  declined or merged ticket, ``open`` otherwise; ``status_notes`` is the state in
  Chinese and English with the last note; ``expected_datetime`` is the ticket's
  deadline (``service_notice`` says when it is estimated: a year without an official
  holiday schedule); ``agency_responsible`` the lead office; ``address_id`` the community code;
- :func:`services_from_catalogue` lists a catalogue's services (type ``realtime``,
  the class as ``group``);
- :func:`import_requests` receives the open requests of a document as tickets, keeping
  their description, address, coordinates (exactly, as decimals) and media address.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from sqfw.entities.ticket import Department, ServiceTicket
from sqfw.errors import DocumentError, InvalidArgumentError, Problem
from sqfw.periods import as_datetime
from sqfw.workflows._definition import shown
from sqfw.workflows._records import WorkflowRecord
from sqfw.workflows.ticket import ServiceCatalogue, ServiceClass, TicketState, TicketWorkflow

__all__ = [
    "GeoRequest",
    "GeoService",
    "dump_requests",
    "dump_services",
    "import_requests",
    "parse_requests",
    "parse_services",
    "request_from_record",
    "services_from_catalogue",
]

Scalar = str | int | Decimal | bool | None

_REQUEST_FIELDS = (
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
_SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)


@attrs.frozen(kw_only=True)
class GeoRequest:
    """One service request of a GeoReport v2 document (values as the document has them)."""

    service_request_id: Scalar
    status: str
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


@attrs.frozen(kw_only=True)
class GeoService:
    """One service of a GeoReport v2 service list."""

    service_code: Scalar
    service_name: Scalar = None
    description: Scalar = None
    metadata: Scalar = None
    type: Scalar = None
    keywords: Scalar = None
    group: Scalar = None


def _problem(where: str, expected: str, got: object) -> DocumentError:
    return DocumentError(
        [Problem(where, f"expected {expected}, got {shown(got)}")], source="GeoReport v2"
    )


def _entries(
    text: str, fields: Sequence[str], root: str, item: str, fmt: str
) -> list[dict[str, Any]]:
    if fmt == "json":
        try:
            data = json.loads(text, parse_float=Decimal)
        except ValueError as exc:
            raise _problem("$", "a JSON array", str(exc)[:80]) from None
        if not isinstance(data, list):
            raise _problem("$", "a JSON array", type(data).__name__)
        entries = data
    elif fmt == "xml":
        try:
            tree = ET.fromstring(text)
        except ET.ParseError as exc:
            raise _problem("$", f"an XML <{root}> document", str(exc)[:80]) from None
        if tree.tag != root:
            raise _problem("$", f"<{root}>", f"<{tree.tag[:40]}>")
        entries = [{child.tag: child.text for child in node} for node in tree if node.tag == item]
    else:
        raise ValueError(f"format: expected 'json' or 'xml', got {fmt!r:.20}")
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _problem(f"$[{i}]", "an object", type(entry).__name__)
        unknown = sorted(set(entry) - set(fields))
        if unknown:
            raise _problem(
                f"$[{i}].{unknown[0][:40]}", f"one of {list(fields)}", "an unknown field"
            )
        out.append(entry)
    return out


def parse_requests(text: str, *, format: str = "json") -> list[GeoRequest]:
    """Read the requests of a GeoReport v2 ``requests`` document.

    Raises:
        DocumentError: not a document of requests; names the entry and the field.
    """
    requests = []
    for i, entry in enumerate(
        _entries(text, _REQUEST_FIELDS, "service_requests", "request", format)
    ):
        if entry.get("service_request_id") in (None, ""):
            raise _problem(f"$[{i}].service_request_id", "an id", None)
        if entry.get("status") not in ("open", "closed"):
            raise _problem(f"$[{i}].status", "open or closed", entry.get("status"))
        requests.append(GeoRequest(**entry))
    return requests


def parse_services(text: str, *, format: str = "json") -> list[GeoService]:
    """Read a GeoReport v2 service list.

    Raises:
        DocumentError: not a service list; names the entry and the field.
    """
    services = []
    for i, entry in enumerate(_entries(text, _SERVICE_FIELDS, "services", "service", format)):
        if entry.get("type") not in (None, "realtime", "batch", "blackbox"):
            raise _problem(f"$[{i}].type", "realtime, batch or blackbox", entry.get("type"))
        services.append(GeoService(**entry))
    return services


def _json(entries: Iterable[Mapping[str, Any]]) -> str:
    # Decimals are written as their own digits (json would round them through float).
    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"\u0000{len(marks)}\u0000"
            marks[key] = str(value)
            return key
        return value

    items = [{k: mark(v) for k, v in e.items()} for e in entries]
    text = json.dumps(items, ensure_ascii=False, indent=2)
    for key, digits in marks.items():
        text = text.replace(json.dumps(key), digits)
    return text


def _xml(entries: Iterable[Mapping[str, Any]], root: str, item: str) -> str:
    top = ET.Element(root)
    for entry in entries:
        node = ET.SubElement(top, item)
        for key, value in entry.items():
            child = ET.SubElement(node, key)
            if value is not None:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="unicode")


def dump_requests(requests: Iterable[GeoRequest], *, format: str = "json") -> str:
    """Write requests as a GeoReport v2 ``requests`` document (JSON or XML)."""
    entries = [attrs.asdict(r) for r in requests]
    return _json(entries) if format == "json" else _xml(entries, "service_requests", "request")


def dump_services(services: Iterable[GeoService], *, format: str = "json") -> str:
    """Write a GeoReport v2 service list (JSON or XML)."""
    entries = [attrs.asdict(s) for s in services]
    return _json(entries) if format == "json" else _xml(entries, "services", "service")


def _w3c(at: pendulum.DateTime | None) -> str | None:
    return None if at is None else at.isoformat()


_CLOSED = {TicketState.CLOSED.value, TicketState.DECLINED.value, TicketState.MERGED.value}


def request_from_record(
    workflow: TicketWorkflow,
    record: WorkflowRecord,
    *,
    ticket: ServiceTicket | None = None,
    lang: str = "zh",
    reveal_personal_data: bool = False,
) -> GeoRequest:
    """The GeoReport v2 request of a ticket.

    With ``ticket`` (the record's own), the request also has its description
    (``ticket.summary``), address, ``lat``/``long`` and ``media_url``. The address is
    personal data: masked, and the coordinates rounded to 0.001° (about 100 m), unless
    ``reveal_personal_data`` — for a partner system entitled to them.

    Raises:
        InvalidArgumentError: a ticket that is not the record's.
    """
    if ticket is not None and ticket.id != record.record_id:
        raise InvalidArgumentError("ticket", ticket.id, f"the ticket of record {record.record_id}")
    facts = workflow.facts(workflow.trust(record))
    spec = workflow.catalogue.get(facts.service_code or "")
    state = TicketState(record.state)
    last = record.last
    note = f"{state.label_zh} / {state.label_en}"
    if facts.original is not None:
        note += f": 并入 {facts.original} / merged into {facts.original}"
    elif last is not None and last.reason:
        note += f": {last.reason}"
    due = workflow.due(record)
    return GeoRequest(
        service_request_id=record.record_id,
        status="closed" if record.state in _CLOSED else "open",
        status_notes=note,
        service_name=None if spec is None else (spec.label_zh if lang == "zh" else spec.label_en),
        service_code=facts.service_code,
        description=None if ticket is None else ticket.summary,
        agency_responsible=None
        if facts.lead is None
        else workflow.catalogue.office_label(facts.lead, lang),
        service_notice="预估期限 / estimated deadline" if workflow.due_estimated(record) else None,
        requested_datetime=_w3c(facts.received_at),
        updated_datetime=_w3c(None if last is None else last.at),
        expected_datetime=_w3c(due),
        address=_address(ticket, reveal_personal_data),
        address_id=facts.community_code,
        lat=_degrees(None if ticket is None else ticket.latitude, reveal_personal_data),
        long=_degrees(None if ticket is None else ticket.longitude, reveal_personal_data),
        media_url=None if ticket is None else ticket.media_url,
    )


_COARSE = Decimal("0.001")
"""Coordinates exported without personal data: to 0.001° (about 100 m)."""


def _address(ticket: ServiceTicket | None, reveal: bool) -> str | None:
    if ticket is None or ticket.address is None:
        return None
    return ticket.address.reveal() if reveal else ticket.address.masked()


def _degrees(value: Decimal | None, reveal: bool) -> Decimal | None:
    if value is None or reveal:
        return value
    return value.quantize(_COARSE) if value.as_tuple().exponent < -3 else value  # type: ignore[operator]


def services_from_catalogue(catalogue: ServiceCatalogue, *, lang: str = "zh") -> list[GeoService]:
    """A catalogue's services as a GeoReport v2 service list."""
    return [
        GeoService(
            service_code=spec.code,
            service_name=spec.label_zh if lang == "zh" else spec.label_en,
            description=spec.label_en if lang == "zh" else spec.label_zh,
            metadata=False,
            type="realtime",
            keywords=None,
            group=spec.service_class.value,
        )
        for spec in catalogue.services.values()
    ]


def _kind(spec_class: ServiceClass) -> str:
    if spec_class is ServiceClass.CONSULTATION:
        return "consultation"
    if spec_class in (ServiceClass.COMPLAINT, ServiceClass.SUGGESTION):
        return "complaint"
    return "handling"


def _text(value: Scalar) -> str | None:
    """A document's text for the ticket; blank (as many feeds send a missing value) is none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(value)


def _coordinate(value: Scalar) -> Decimal | str | None:
    """A document's coordinate for the ticket (which refuses what is not a number)."""
    if isinstance(value, Decimal):
        return value
    return _text(value)


def import_requests(
    workflow: TicketWorkflow,
    requests: Iterable[GeoRequest],
    *,
    community_code: str,
    applicant: str,
    actor: str,
    channel: str = "online",
) -> list[tuple[ServiceTicket, WorkflowRecord]]:
    """Receive the open requests as tickets (closed ones are another system's history).

    Args:
        workflow: the ticket workflow (its catalogue must list each service code).
        requests: parsed requests (:func:`parse_requests`).
        community_code: the community the requests are for (GeoReport has no division
            codes).
        applicant: the name to record (GeoReport's lists carry none), e.g. "匿名".
        actor: who imports them.
        channel: the channel to record.

    Raises:
        InvalidEntityError: a request that makes no valid ticket (its id, its time, a
            latitude without a longitude, coordinates out of range, a media address that
            is not http(s)).
        TransitionRefused: a service code the catalogue does not list.
    """
    out = []
    departments = {d.value for d in Department}
    for request in requests:
        if request.status != "open":
            continue
        code = str(request.service_code)
        spec = workflow.catalogue.get(code)
        kind = _kind(spec.service_class) if spec is not None else "handling"
        offices = [] if spec is None else [o for o in spec.offices if o in departments]
        ticket = ServiceTicket(
            id=str(request.service_request_id),
            service_code=code,
            kind=kind,
            community_code=community_code,
            received_at=as_datetime(str(request.requested_datetime)),
            applicant=applicant,
            channel=channel,
            departments=offices or (["other"] if kind == "handling" else []),
            summary=_text(request.description),
            address=_text(request.address),
            latitude=_coordinate(request.lat),
            longitude=_coordinate(request.long),
            media_url=_text(request.media_url),
        )
        out.append((ticket, workflow.receive(workflow.new(ticket.id), ticket, actor=actor)))
    return out
