"""Open311 GeoReport v2: service requests and the service list, exchanged as JSON or XML.

GeoReport v2 is the open format in which service-request systems exchange requests
(``GET requests``), their service list (``GET services``) and the attributes a service
asks for (``GET services/{service_code}``). Here:

- :class:`GeoRequest` and :class:`GeoService` hold one document entry each, field for
  field, with the sender's extension fields; :func:`parse_requests` /
  :func:`dump_requests` and :func:`parse_services` / :func:`dump_services` read and
  write them as JSON (numbers kept exactly: coordinates as :class:`~decimal.Decimal`) or
  XML (``<service_requests><request>…``), within the documented limits
  (:data:`MAX_REQUESTS`, :data:`MAX_TEXT_CHARS` …);
- :func:`parse_service_definition` / :func:`dump_service_definition` read and write a
  :class:`GeoServiceDefinition` (its :class:`GeoAttribute` list and their
  :class:`GeoAttributeValue` options);
- :func:`georeport_status` reads a sender's status as ``open`` or ``closed``
  (FixMyStreet's ``investigating`` is open, its ``fixed`` closed);
- :func:`request_from_record` maps a ticket onto a request: ``closed`` for a closed,
  declined or merged ticket, ``open`` otherwise; ``status_notes`` is the state in
  Chinese and English with the last note; ``expected_datetime`` is the ticket's
  deadline (``service_notice`` says when it is estimated: a year without an official
  holiday schedule); ``agency_responsible`` the lead office; ``address_id`` the community
  code. Given the request a ticket was imported from (``origin``), the sender's fields and
  extensions are kept, and sqfw's own only where it has acted since;
- :func:`services_from_catalogue` lists a catalogue's services (type ``realtime``,
  the class as ``group``);
- :func:`import_requests` receives the open requests of a document as tickets, keeping
  their description, address, coordinates (exactly, as decimals) and media address,
  and reports the requests it did not receive (closed, or of a status it does not know).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.entities.register import to_optional_address
from sqfw.entities.ticket import Department, ServiceTicket
from sqfw.errors import DocumentError, InvalidArgumentError, InvalidEntityError, Problem
from sqfw.periods import as_datetime
from sqfw.workflows._georeport import (
    CLOSED_STATUSES,
    MAX_DOCUMENT_CHARS,
    MAX_EXTENSION_DEPTH,
    MAX_EXTENSIONS,
    MAX_REQUESTS,
    MAX_TEXT_CHARS,
    OPEN_STATUSES,
    SENDER_STATUS,
    SOURCE,
    GeoRequest,
    GeoService,
    Scalar,
    _described,
    dump_requests,
    dump_services,
    georeport_status,
    parse_requests,
    parse_services,
)
from sqfw.workflows._georeport_definition import (
    DATATYPES,
    MAX_ATTRIBUTES,
    GeoAttribute,
    GeoAttributeValue,
    GeoServiceDefinition,
    dump_service_definition,
    parse_service_definition,
)
from sqfw.workflows._records import WorkflowRecord
from sqfw.workflows.ticket import ServiceCatalogue, ServiceClass, TicketState, TicketWorkflow

__all__ = [
    "CLOSED_STATUSES",
    "DATATYPES",
    "MAX_ATTRIBUTES",
    "MAX_DOCUMENT_CHARS",
    "MAX_EXTENSIONS",
    "MAX_EXTENSION_DEPTH",
    "MAX_REQUESTS",
    "MAX_TEXT_CHARS",
    "OPEN_STATUSES",
    "SENDER_STATUS",
    "STATE_EXTENSION",
    "GeoAttribute",
    "GeoAttributeValue",
    "GeoImport",
    "GeoRequest",
    "GeoService",
    "GeoServiceDefinition",
    "ImportedRequest",
    "dump_requests",
    "dump_service_definition",
    "dump_services",
    "georeport_status",
    "import_requests",
    "parse_requests",
    "parse_service_definition",
    "parse_services",
    "request_from_record",
    "services_from_catalogue",
]

STATE_EXTENSION: Final = "sqfw_state"
"""The extension field that carries a ticket's own state (``processing``, ``rated`` …)
when :func:`request_from_record` is asked for it (``state_extension=True``)."""


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise InvalidArgumentError("lang", lang, "'zh' or 'en'")


def _w3c(at: pendulum.DateTime | None) -> str | None:
    return None if at is None else at.isoformat()


_CLOSED = {TicketState.CLOSED.value, TicketState.DECLINED.value, TicketState.MERGED.value}

_PROGRESS: Final = (
    "status",
    "status_notes",
    "updated_datetime",
    "expected_datetime",
    "agency_responsible",
)
"""The fields that say how the request progresses: sqfw's once it has acted on the ticket,
the sender's until then."""

_STANDARD: Final = tuple(f.name for f in attrs.fields(GeoRequest) if f.name != "extensions")


def request_from_record(
    workflow: TicketWorkflow,
    record: WorkflowRecord,
    *,
    ticket: ServiceTicket | None = None,
    origin: GeoRequest | None = None,
    lang: str = "zh",
    reveal_personal_data: bool = False,
    state_extension: bool = False,
) -> GeoRequest:
    """The GeoReport v2 request of a ticket.

    With ``ticket`` (the record's own), the request also has its description
    (``ticket.summary``), address, ``lat``/``long`` and ``media_url``. The address is
    personal data: masked, and the coordinates rounded to 0.001° (about 100 m), unless
    ``reveal_personal_data`` — for a partner system entitled to them.

    With ``origin`` (the request the ticket was imported from, see
    :attr:`ImportedRequest.request`), the request is the sender's: its fields as sent and
    its extensions. Until sqfw acts on the ticket after receiving it, every field is the
    sender's, as sent; once it has, the fields of progress (``status``, ``status_notes``,
    ``updated_datetime``, ``expected_datetime``, ``agency_responsible``) are sqfw's where
    it has a value. The address and coordinates are masked and rounded as above.

    Args:
        workflow: the ticket workflow.
        record: the ticket's record.
        ticket: the record's ticket, for the fields of where and what.
        origin: the request the ticket was imported from.
        lang: ``"zh"`` or ``"en"``, for the service's and office's names.
        reveal_personal_data: write the address and coordinates as they are.
        state_extension: add the ticket's own state in the extension
            :data:`STATE_EXTENSION` (``"processing"``, ``"rated"`` …).

    Returns:
        The request.

    Raises:
        InvalidArgumentError: a ticket or origin that is not the record's; a ``lang``
            other than ``"zh"`` and ``"en"``.

    .. versionadded:: 0.1.0
    """
    _check_lang(lang)
    expect("request_from_record(workflow)", workflow, TicketWorkflow)
    expect("request_from_record(record)", record, WorkflowRecord)
    if ticket is not None:
        expect("request_from_record(ticket)", ticket, ServiceTicket)
    if origin is not None:
        expect("request_from_record(origin)", origin, GeoRequest)
    if ticket is not None and ticket.id != record.record_id:
        raise InvalidArgumentError("ticket", ticket.id, f"the ticket of record {record.record_id}")
    if origin is not None and str(origin.service_request_id).strip() != record.record_id:
        raise InvalidArgumentError(
            "origin",
            origin.service_request_id,
            f"the request of record {record.record_id}",
        )
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
    own: dict[str, Any] = {
        "service_request_id": record.record_id,
        "status": "closed" if record.state in _CLOSED else "open",
        "status_notes": note,
        "service_name": None
        if spec is None
        else (spec.label_zh if lang == "zh" else spec.label_en),
        "service_code": facts.service_code,
        "description": None if ticket is None else ticket.summary,
        "agency_responsible": None
        if facts.lead is None
        else workflow.catalogue.office_label(facts.lead, lang),
        "service_notice": (
            "预估期限 / estimated deadline" if workflow.due_estimated(record) else None
        ),
        "requested_datetime": _w3c(facts.received_at),
        "updated_datetime": _w3c(None if last is None else last.at),
        "expected_datetime": _w3c(due),
        "address": None if ticket is None or ticket.address is None else ticket.address.reveal(),
        "address_id": facts.community_code,
        "zipcode": None,
        "lat": None if ticket is None else ticket.latitude,
        "long": None if ticket is None else ticket.longitude,
        "media_url": None if ticket is None else ticket.media_url,
    }
    fields = own
    extensions: dict[str, Any] = {}
    if origin is not None:
        acted = last is not None and last.event != "receive"
        fields = {}
        for name in _STANDARD:
            sent = getattr(origin, name)
            ours = own[name]
            fields[name] = ours if acted and name in _PROGRESS and ours is not None else sent
        extensions = dict(origin.extensions)
    if state_extension:
        extensions[STATE_EXTENSION] = record.state
    fields["address"] = _address(fields["address"], reveal_personal_data)
    fields["lat"] = _degrees(fields["lat"], reveal_personal_data)
    fields["long"] = _degrees(fields["long"], reveal_personal_data)
    return GeoRequest(**fields, extensions=extensions)


_COARSE = Decimal("0.001")
"""Coordinates exported without personal data: to 0.001° (about 100 m)."""


def _address(value: Scalar, reveal: bool) -> Scalar:
    if value is None or reveal:
        return value
    address = to_optional_address(str(value).strip() or None)
    return None if address is None else address.masked()


def _degrees(value: Scalar, reveal: bool) -> Scalar:
    if value is None or reveal or isinstance(value, bool):
        return value
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except ArithmeticError:
        return None  # not a number: nothing to round, and not to be shown as it came
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int):
        return None
    return number.quantize(_COARSE) if exponent < -3 else number


def services_from_catalogue(catalogue: ServiceCatalogue, *, lang: str = "zh") -> list[GeoService]:
    """A catalogue's services as a GeoReport v2 service list.

    Args:
        catalogue: the service catalogue.
        lang: ``"zh"`` or ``"en"``: the language of ``service_name`` (the other one is
            the ``description``).

    Returns:
        One service per catalogue entry, type ``realtime``, its class as ``group``.

    Raises:
        InvalidArgumentError: ``lang`` is neither ``"zh"`` nor ``"en"``.

    .. versionadded:: 0.1.0
    """
    _check_lang(lang)
    expect("services_from_catalogue(catalogue)", catalogue, ServiceCatalogue)
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
    """A document's text for the ticket: surrounding whitespace trimmed; blank (as many
    feeds send a missing value) is none."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _coordinate(value: Scalar) -> Decimal | str | None:
    """A document's coordinate for the ticket (which refuses what is not a number)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return _text(value)


@attrs.frozen(kw_only=True)
class ImportedRequest:
    """A request received as a ticket.

    Attributes:
        request: the request as the document has it (pass it as ``origin`` to
            :func:`request_from_record` to send the sender's fields back).
        ticket: the ticket made of it.
        record: the ticket's record, received.

    .. versionadded:: 0.1.0
    """

    request: GeoRequest
    ticket: ServiceTicket
    record: WorkflowRecord


@attrs.frozen(kw_only=True)
class GeoImport:
    """What :func:`import_requests` did with a document's requests.

    Attributes:
        received: the open requests, each received as a ticket, in document order.
        skipped: one :class:`~sqfw.errors.Problem` per request not received, at its
            ``$[i].status``: closed (another system's history) or of a status that
            :func:`georeport_status` does not know.

    .. versionadded:: 0.1.0
    """

    received: tuple[ImportedRequest, ...]
    skipped: tuple[Problem, ...]


_TICKET_TO_GEO: Final = {
    "id": "service_request_id",
    "service_code": "service_code",
    "received_at": "requested_datetime",
    "summary": "description",
    "address": "address",
    "latitude": "lat",
    "longitude": "long",
    "media_url": "media_url",
}


def import_requests(
    workflow: TicketWorkflow,
    requests: Iterable[GeoRequest],
    *,
    community_code: str,
    applicant: str,
    actor: str,
    channel: str = "online",
) -> GeoImport:
    """Receive the open requests as tickets (closed ones are another system's history).

    A request is open or closed as :func:`georeport_status` reads its status; one of a
    status it does not know is not received but reported in :attr:`GeoImport.skipped`.
    Texts are taken without their surrounding whitespace (a ``media_url`` that ends in a
    space is the address without it); a blank one is a missing value.

    Args:
        workflow: the ticket workflow (its catalogue must list each service code).
        requests: parsed requests (:func:`parse_requests`), in document order.
        community_code: the community the requests are for (GeoReport has no division
            codes).
        applicant: the name to record (GeoReport's lists carry none), e.g. "匿名".
        actor: who imports them.
        channel: the channel to record.

    Returns:
        The received requests and the skipped ones.

    Raises:
        DocumentError: an open request that makes no valid ticket: every problem with
            its ``$[i].field`` (no or a malformed id, an id twice, no or a malformed
            ``requested_datetime``, a service code the catalogue does not list, a
            latitude without a longitude, coordinates out of range, a media address that
            is not http(s), a description over :data:`MAX_TEXT_CHARS`). Nothing is
            received then.

    .. versionadded:: 0.1.0
    """
    expect("import_requests(workflow)", workflow, TicketWorkflow)
    requests = expect_items("import_requests(requests)", requests, GeoRequest)
    for name, value in (
        ("community_code", community_code),
        ("applicant", applicant),
        ("actor", actor),
        ("channel", channel),
    ):
        expect(f"import_requests({name})", value, str)
    departments = {d.value for d in Department}
    problems: list[Problem] = []
    skipped: list[Problem] = []
    tickets: list[tuple[GeoRequest, ServiceTicket]] = []
    seen: set[str] = set()
    for i, request in enumerate(requests):
        status = georeport_status(request.status)
        if status is None:
            skipped.append(
                Problem(
                    f"$[{i}].status",
                    f"expected open, closed or a status known as one of them, got "
                    f"{_described('status', request.status)}: not received",
                )
            )
            continue
        if status == "closed":
            skipped.append(Problem(f"$[{i}].status", "closed (another system's history)"))
            continue
        code = _text(request.service_code) or ""
        spec = workflow.catalogue.get(code)
        if spec is None:
            problems.append(
                Problem(
                    f"$[{i}].service_code",
                    f"expected a code of catalogue {workflow.catalogue.name!r}, got "
                    f"{_described('service_code', request.service_code)}",
                )
            )
            continue
        when = _text(request.requested_datetime)
        if when is None:
            problems.append(Problem(f"$[{i}].requested_datetime", "expected a date-time, got none"))
            continue
        kind = _kind(spec.service_class)
        offices = [o for o in spec.offices if o in departments]
        try:
            ticket = ServiceTicket(
                id=_text(request.service_request_id) or "",
                service_code=code,
                kind=kind,
                community_code=community_code,
                received_at=as_datetime(when, argument=f"$[{i}].requested_datetime"),
                applicant=applicant,
                channel=channel,
                departments=offices or (["other"] if kind == "handling" else []),
                summary=_text(request.description),
                address=_text(request.address),
                latitude=_coordinate(request.lat),
                longitude=_coordinate(request.long),
                media_url=_text(request.media_url),
            )
        except InvalidEntityError as exc:
            field = _TICKET_TO_GEO.get(exc.field.split(",")[0].strip(), "")
            where = f"$[{i}].{field}" if field else f"$[{i}] (ServiceTicket.{exc.field})"
            problems.append(
                Problem(where, f"expected {exc.expected}, got {_described(field, exc.value)}")
            )
            continue
        except InvalidArgumentError as exc:
            problems.append(
                Problem(
                    exc.argument,
                    f"expected {exc.expected}, got {_described(exc.argument, exc.value)}",
                )
            )
            continue
        if ticket.id in seen:
            problems.append(
                Problem(
                    f"$[{i}].service_request_id", f"expected an id not yet seen, got {ticket.id!r}"
                )
            )
            continue
        seen.add(ticket.id)
        tickets.append((request, ticket))
    if problems:
        raise DocumentError(problems, source=SOURCE)
    received = tuple(
        ImportedRequest(
            request=request,
            ticket=ticket,
            record=workflow.receive(workflow.new(ticket.id), ticket, actor=actor),
        )
        for request, ticket in tickets
    )
    return GeoImport(received=received, skipped=tuple(skipped))
