"""Volunteer service records as the regulations set them out (§5.9–§5.11).

《志愿服务条例》(国务院令第685号, in force 2017-12-01) 第十九条: the volunteer service
organisation that arranges a volunteer's service records it truthfully (the volunteer's
basic information, the service, training, commendations and evaluations).
《志愿服务记录与证明出具办法（试行）》(民政部令第67号, in force 2021-02-01) 第二条: the record
is the organisation's record of the service; a certificate (志愿服务记录证明) is formed by the
organisation from that record; 第三条: recording and certifying are true, accurate,
complete, unpaid and timely; 第四条: what a record holds. The ministry's own summary of
the measures: whoever organises records, whoever records certifies (谁组织谁记录，谁记录谁
证明), and a volunteer who finds an error or omission in their record may ask the
organisation, which checks and corrects it promptly (及时核实、修改).

One service period is one record of :class:`VolunteerServiceWorkflow`::

    new ──record──→ recorded ──certify──→ certified
    recorded, certified ──request_correction──→ correction_requested
    correction_requested ──correct──→ recorded (to be certified again)
    correction_requested ──decline_correction──→ certified or recorded (as it was)
    recorded, certified ──void──→ voided

- ``record``: the organising body records the service (its ``organization_id``, the
  volunteer's id, start, end, activity); the hours are computed and kept in the trail;
- ``certify``: the same organisation confirms the record (谁记录谁证明);
- ``request_correction``: the volunteer (their own id) asks for a correction, naming the
  fields and saying what is wrong (a reason);
- ``correct``: the organisation corrects; the trail keeps the previous and the new
  values, and the record must be certified again;
- ``decline_correction``: the organisation keeps the record as it was, saying why;
- ``void``: the organisation withdraws a record made in error, saying why.

What no source fixes is the host's: how soon a correction is answered ("promptly" has no
number: ``VolunteerServiceWorkflow(correction_within=...)`` gives a store's work list a
deadline, and there is none by default), how certificates are numbered, and the periods
hours are reported by.

:func:`service_certificate` builds a :class:`~sqfw.entities.ServiceCertificate` from the
records; :func:`service_hours` reports hours by volunteer, organisation and period, and
:func:`hours_frame` gives them as a pandas DataFrame (the ``analysis`` extra).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pendulum
from statemachine.states import States

from sqfw._args import expect, expect_items
from sqfw._extras import require
from sqfw.entities.volunteer import ServiceCertificate, ServiceRecord, Volunteer
from sqfw.errors import CertificateRefused, InvalidArgumentError, InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.periods import DEFAULT_TZ, as_date
from sqfw.workflows._chain import HostKey
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry, WorkflowRecord
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine, guard

__all__ = [
    "HOURS_LABELS",
    "PERIODS",
    "Correction",
    "HoursRow",
    "VolunteerServiceEvent",
    "VolunteerServiceFacts",
    "VolunteerServiceMachine",
    "VolunteerServiceState",
    "VolunteerServiceWorkflow",
    "hours_frame",
    "record_data",
    "service_certificate",
    "service_hours",
]

_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")  # the entities' identifier rule
_CORRECTABLE = ("start", "end", "activity")
_SECONDS_PER_HOUR = Decimal(3600)


class VolunteerServiceState(LabeledEnum):
    """States of one volunteer service record."""

    NEW = "new"
    RECORDED = "recorded"
    CERTIFIED = "certified"
    CORRECTION_REQUESTED = "correction_requested"
    VOIDED = "voided"

    __labels__ = {
        "new": ("待记录", "not yet recorded"),
        "recorded": ("已记录", "recorded"),
        "certified": ("已核实确认", "certified"),
        "correction_requested": ("申请更正中", "correction requested"),
        "voided": ("已作废", "voided"),
    }


class VolunteerServiceEvent(LabeledEnum):
    """Events of one volunteer service record."""

    RECORD = "record"
    CERTIFY = "certify"
    REQUEST_CORRECTION = "request_correction"
    CORRECT = "correct"
    DECLINE_CORRECTION = "decline_correction"
    VOID = "void"

    __labels__ = {
        "record": ("记录志愿服务", "record the service"),
        "certify": ("核实确认记录", "certify the record"),
        "request_correction": ("志愿者申请更正", "the volunteer asks for a correction"),
        "correct": ("核实并更正记录", "correct the record"),
        "decline_correction": ("核实后不予更正", "decline the correction"),
        "void": ("作废记录", "void the record"),
    }


def _text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) else None


def _service(record_id: str, data: Mapping[str, Any], organization_id: str) -> ServiceRecord:
    """The service a record's data describes: the entity's rules (aware times, an end
    after the start, text that is only text) and its exact hours, written once."""
    return ServiceRecord(
        id=record_id,
        start=data.get("start"),  # type: ignore[arg-type]  # the entity refuses a non-time
        end=data.get("end"),  # type: ignore[arg-type]
        activity=data.get("activity"),
        organization_id=organization_id,
    )


def _service_reason(error: InvalidEntityError) -> str:
    return reason(
        f"服务记录无效：{error.field} 应为 {error.expected}",
        f"the service is not valid: {error.field}: expected {error.expected}",
    )


@attrs.frozen(kw_only=True)
class Correction:
    """One correction of a record, as its trail keeps it.

    Attributes:
        at: when it was made.
        actor: who made it (for the organisation).
        reason: what was wrong, as the volunteer said.
        changes: each field corrected → (previous value, new value), as ISO text.
    """

    at: pendulum.DateTime
    actor: str
    reason: str | None
    changes: Mapping[str, tuple[str | None, str | None]]


@attrs.frozen(kw_only=True)
class VolunteerServiceFacts:
    """What a record's trail says so far.

    Attributes:
        volunteer_id: the volunteer served.
        organization_id: the organising body that recorded the service.
        community_code: the community the service was given in, if recorded.
        service: the service as recorded now (corrections applied).
        certified_at: when it was last certified (``None`` after a correction).
        requested: the fields the volunteer asked to correct (while a request is open).
        request_reason: what the volunteer said was wrong.
        was_certified: the record was certified when the correction was asked for.
        corrections: every correction made, in order.
    """

    volunteer_id: str | None = None
    organization_id: str | None = None
    community_code: str | None = None
    service: ServiceRecord | None = None
    certified_at: pendulum.DateTime | None = None
    requested: tuple[str, ...] = ()
    request_reason: str | None = None
    was_certified: bool = False
    corrections: tuple[Correction, ...] = ()

    @property
    def hours(self) -> Decimal | None:
        """The exact hours of the service as recorded now."""
        return None if self.service is None else self.service.hours


def _iso(value: object) -> str | None:
    if isinstance(value, pendulum.DateTime):
        return value.isoformat()
    return value if isinstance(value, str) else None


class VolunteerServiceMachine(WorkflowMachine):
    """One volunteer service record as a python-statemachine definition."""

    s = States.from_enum(
        VolunteerServiceState,
        initial=VolunteerServiceState.NEW,
        final={VolunteerServiceState.VOIDED},
    )

    record = s.NEW.to(s.RECORDED, validators="service_given")
    certify = s.RECORDED.to(s.CERTIFIED, validators="by_recorder")
    request_correction = s.RECORDED.to(
        s.CORRECTION_REQUESTED, validators=["needs_reason", "by_volunteer", "items_named"]
    ) | s.CERTIFIED.to(
        s.CORRECTION_REQUESTED, validators=["needs_reason", "by_volunteer", "items_named"]
    )
    correct = s.CORRECTION_REQUESTED.to(s.RECORDED, validators=["by_recorder", "corrections_valid"])
    decline_correction = s.CORRECTION_REQUESTED.to(
        s.CERTIFIED, cond="was_certified", validators=["needs_reason", "by_recorder"]
    ) | s.CORRECTION_REQUESTED.to(s.RECORDED, validators=["needs_reason", "by_recorder"])
    void = s.RECORDED.to(s.VOIDED, validators=["needs_reason", "by_recorder"]) | s.CERTIFIED.to(
        s.VOIDED, validators=["needs_reason", "by_recorder"]
    )

    def service_given(self, ctx: EventContext[VolunteerServiceFacts]) -> None:
        """The organising body records who served, for whom it records, and a valid service."""
        reasons = []
        if not _IDENT.fullmatch(ctx.record.record_id):
            reasons.append(
                reason(
                    "记录编号须为 1–64 个字母、数字或 . _ : -（以字母或数字开头）",
                    "the record id must be an identifier: 1–64 letters, digits, '.', '_', ':' "
                    "or '-', starting with a letter or digit",
                )
            )
        for name, zh in (("volunteer_id", "志愿者编号"), ("organization_id", "记录组织编号")):
            value = _text(ctx.data, name)
            if value is None or not _IDENT.fullmatch(value):
                reasons.append(
                    reason(f"须给出{zh}", f"{name}: an identifier of 1–64 letters or digits")
                )
        code = ctx.data.get("community_code")
        if code is not None and not (isinstance(code, str) and re.fullmatch(r"\d{12}", code)):
            reasons.append(reason("社区代码须为12位数字", "community_code: 12 digits"))
        if not reasons:
            try:
                _service(ctx.record.record_id, ctx.data, str(ctx.data["organization_id"]))
            except InvalidEntityError as error:
                reasons.append(_service_reason(error))
        if reasons:
            raise Refusal(*reasons)

    def by_recorder(self, ctx: EventContext[VolunteerServiceFacts]) -> None:
        """Only the organisation that recorded the service acts on it (谁记录谁证明)."""
        sent = ctx.data.get("organization_id")
        if sent != ctx.facts.organization_id:
            raise Refusal(
                reason(
                    f"只有记录该服务的组织（{ctx.facts.organization_id}）可以办理",
                    f"organization_id: only the recording organisation "
                    f"{ctx.facts.organization_id!r} may do this",
                )
            )

    def by_volunteer(self, ctx: EventContext[VolunteerServiceFacts]) -> None:
        """Only the volunteer whose service it is asks for a correction."""
        if ctx.data.get("volunteer_id") != ctx.facts.volunteer_id:
            raise Refusal(
                reason(
                    "只有本人可以申请更正其志愿服务记录",
                    "volunteer_id: only the volunteer whose service it is may ask",
                )
            )

    def items_named(self, ctx: EventContext[VolunteerServiceFacts]) -> None:
        """A request names the fields to correct: start, end or activity."""
        items = ctx.data.get("items")
        if (
            not isinstance(items, tuple)
            or not items
            or any(i not in _CORRECTABLE for i in items)
            or len(set(items)) != len(items)
        ):
            raise Refusal(
                reason(
                    "须列出需更正的项目（start、end、activity）",
                    "items: the fields to correct, each once, of start, end, activity",
                )
            )

    def corrections_valid(self, ctx: EventContext[VolunteerServiceFacts]) -> None:
        """The correction answers every field asked for, changes nothing else, and the
        corrected service is valid."""
        asked = set(ctx.facts.requested)
        given = {k for k in _CORRECTABLE if k in ctx.data}
        if given != asked:
            raise Refusal(
                reason(
                    f"更正须恰好答复所申请的项目：{', '.join(sorted(asked))}",
                    f"a correction answers exactly the fields asked for: "
                    f"{', '.join(sorted(asked))}; got {', '.join(sorted(given)) or '-'}",
                )
            )
        try:
            _corrected(ctx.facts, ctx.data)
        except InvalidEntityError as error:
            raise Refusal(_service_reason(error)) from None

    @guard("申请更正时记录已核实确认", "the record was certified when the correction was asked for")
    def was_certified(self, ctx: EventContext[VolunteerServiceFacts]) -> bool:
        """The record was certified when the correction was asked for."""
        return ctx.facts.was_certified


def _corrected(facts: VolunteerServiceFacts, data: Mapping[str, Any]) -> ServiceRecord:
    assert facts.service is not None
    current = facts.service
    values = {
        "start": current.start,
        "end": current.end,
        "activity": current.activity,
        **{k: data[k] for k in _CORRECTABLE if k in data},
    }
    return _service(current.id, values, current.organization_id or "")


_ORG = key("organization_id", "text", "记录组织编号", "the recording organisation's id")


class VolunteerServiceWorkflow(Workflow[VolunteerServiceFacts]):
    """One volunteer service record: recorded, certified, corrected on request.

    Events and their data (see the module docstring for the rules each cites):

    - ``record``: ``volunteer_id``, ``organization_id``, ``start``, ``end`` (ISO 8601
      with an offset), ``activity`` and ``community_code`` optional (use
      :func:`record_data`);
    - ``certify``, ``void``, ``decline_correction``: ``organization_id`` (the recorder's);
      ``void`` and ``decline_correction`` need a reason;
    - ``request_correction``: ``volunteer_id`` (the volunteer's own), ``items`` (of
      ``start``, ``end``, ``activity``) and a reason;
    - ``correct``: ``organization_id`` and the new value of each item asked for.

    Args:
        correction_within: how soon a correction request is to be answered, for a store's
            work list (:meth:`due`). The rules say "promptly" (及时) and fix no time, so
            there is no default: without it a request has no deadline.
        clock: returns the current time for events sent without ``at``.
        key: a host key to sign the entries with.

    Raises:
        InvalidArgumentError: ``correction_within`` is not a positive duration.

    .. versionadded:: 0.1.0
    """

    name = "volunteer_service"
    machine = VolunteerServiceMachine
    states = VolunteerServiceState
    events = VolunteerServiceEvent
    event_data = {
        "record": (
            key("volunteer_id", "text", "志愿者编号", "the volunteer's id"),
            _ORG,
            key("start", "text", "服务开始时间", "when the service started (ISO 8601)"),
            key("end", "text", "服务结束时间", "when it ended (ISO 8601)"),
            key("activity", "text", "服务内容", "what was done", required=False),
            key(
                "community_code",
                "text",
                "志愿者所属社区代码",
                "the volunteer's community",
                required=False,
            ),
        ),
        "certify": (_ORG,),
        "request_correction": (
            key("volunteer_id", "text", "志愿者编号", "the volunteer's own id"),
            key("items", "list", "需更正的项目", "the fields to correct"),
        ),
        "correct": (
            _ORG,
            key("start", "text", "更正后的开始时间", "the corrected start", required=False),
            key("end", "text", "更正后的结束时间", "the corrected end", required=False),
            key("activity", "text", "更正后的服务内容", "the corrected activity", required=False),
        ),
        "decline_correction": (_ORG,),
        "void": (_ORG,),
    }

    def __init__(
        self,
        *,
        correction_within: pendulum.Duration | None = None,
        clock: Callable[[], pendulum.DateTime] | None = None,
        key: HostKey | None = None,
    ) -> None:
        if correction_within is not None and (
            not isinstance(correction_within, _dt.timedelta)
            or correction_within <= _dt.timedelta(0)
        ):
            raise InvalidArgumentError(
                "correction_within", correction_within, "a positive duration or None"
            )
        super().__init__(clock=clock, key=key)
        self.correction_within = correction_within

    def initial_facts(self) -> VolunteerServiceFacts:
        """A record with nothing recorded yet."""
        return VolunteerServiceFacts()

    def due(self, record: WorkflowRecord) -> pendulum.DateTime | None:
        """When an open correction request is to be answered: the request's time plus the
        host's ``correction_within``; none without a request open or without the
        parameter."""
        last = record.last
        if (
            self.correction_within is None
            or last is None
            or record.state != VolunteerServiceState.CORRECTION_REQUESTED.value
        ):
            return None
        return last.at + self.correction_within

    def enrich(self, ctx: EventContext[VolunteerServiceFacts]) -> Mapping[str, Any]:
        """Keep in the trail the record's id and hours and, for a correction, the values
        it replaced and the hours after it, so that the trail explains itself."""
        if ctx.event == "record":
            service = _service(ctx.record.record_id, ctx.data, str(ctx.data["organization_id"]))
            return {**ctx.data, "record_id": service.id, "hours": str(service.hours)}
        if ctx.event == "correct":
            before = ctx.facts.service
            assert before is not None
            after = _corrected(ctx.facts, ctx.data)
            previous = {k: _iso(getattr(before, k)) for k in _CORRECTABLE if k in ctx.data}
            return {**ctx.data, "previous": previous, "hours": str(after.hours)}
        return ctx.data

    def fold(self, facts: VolunteerServiceFacts, entry: AuditEntry) -> VolunteerServiceFacts:
        """Fold one audit entry into the record's facts."""
        data = entry.data
        if entry.event == "record":
            organization = str(data["organization_id"])
            return attrs.evolve(
                facts,
                volunteer_id=str(data["volunteer_id"]),
                organization_id=organization,
                community_code=data.get("community_code"),
                service=_service(str(data["record_id"]), data, organization),
            )
        if entry.event == "certify":
            return attrs.evolve(facts, certified_at=entry.at)
        if entry.event == "request_correction":
            return attrs.evolve(
                facts,
                requested=tuple(data["items"]),
                request_reason=entry.reason,
                was_certified=entry.source == VolunteerServiceState.CERTIFIED.value,
            )
        if entry.event == "correct":
            assert facts.service is not None
            after = _corrected(facts, data)
            changes = {
                k: (_iso(getattr(facts.service, k)), _iso(getattr(after, k)))
                for k in _CORRECTABLE
                if k in data
            }
            correction = Correction(
                at=entry.at, actor=entry.actor, reason=facts.request_reason, changes=changes
            )
            return attrs.evolve(
                facts,
                service=after,
                certified_at=None,
                requested=(),
                request_reason=None,
                was_certified=False,
                corrections=(*facts.corrections, correction),
            )
        if entry.event == "decline_correction":
            return attrs.evolve(facts, requested=(), request_reason=None, was_certified=False)
        return facts

    def topic(self, record: WorkflowRecord) -> str | None:
        """The recording organisation, for a store's work list by topic."""
        return self.facts(self.trust(record)).organization_id


def record_data(
    volunteer: Volunteer,
    record: ServiceRecord,
    *,
    organization_id: str | None = None,
) -> dict[str, Any]:
    """The ``record`` data of one service of a volunteer's ledger, without personal data.

    The volunteer's name, identity and phone number stay out of the trail: it names the
    volunteer by id.

    Args:
        volunteer: the volunteer.
        record: one of the volunteer's service records.
        organization_id: the organising body (default: the record's own).

    Raises:
        InvalidArgumentError: wrong types, or no organisation named by either.

    .. versionadded:: 0.1.0
    """
    expect("volunteer", volunteer, Volunteer)
    expect("record", record, ServiceRecord)
    organization = record.organization_id if organization_id is None else organization_id
    if not isinstance(organization, str) or not _IDENT.fullmatch(organization):
        raise InvalidArgumentError(
            "organization_id", organization, "the organising body's id (here or on the record)"
        )
    data: dict[str, Any] = {
        "volunteer_id": volunteer.id,
        "organization_id": organization,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "community_code": volunteer.community_code,
    }
    if record.activity is not None:
        data["activity"] = record.activity
    return data


def _verified(
    workflow: VolunteerServiceWorkflow, records: object
) -> list[tuple[WorkflowRecord, VolunteerServiceFacts]]:
    expect("workflow", workflow, VolunteerServiceWorkflow)
    items = expect_items("records", records, WorkflowRecord)
    out = []
    for record in items:
        if record.workflow != workflow.name:
            raise InvalidArgumentError(
                "records", record.record_id, f"records of the {workflow.name!r} workflow"
            )
        out.append((record, workflow.facts(workflow.trust(record))))
    return out


def service_certificate(
    workflow: VolunteerServiceWorkflow,
    records: Iterable[WorkflowRecord],
    *,
    volunteer: Volunteer,
    organization_id: str,
    organization_name: str,
    number: str,
    issued_on: pendulum.Date | str,
    handled_by: str | None = None,
    note: str | None = None,
) -> ServiceCertificate:
    """A certificate of volunteer service record (志愿服务记录证明), built from the records.

    The issuer certifies what it recorded (谁记录谁证明): every record given must be of
    ``volunteer`` and recorded by ``organization_id``. Certified records are listed and
    their hours added; records recorded but not certified, or under correction, are
    named as not included; voided records are left out.

    Args:
        workflow: the volunteer service workflow (it folds each record's facts).
        records: the issuer's records of the volunteer (each verified once).
        volunteer: the volunteer (their name and identity number are on the certificate,
            masked wherever it is shown).
        organization_id: the issuing organisation.
        organization_name: its name.
        number: the certificate's number (the issuer's numbering).
        issued_on: the date of issue.
        handled_by: who handled the issue, if it is to be stated.
        note: other matters to state.

    Returns:
        The :class:`~sqfw.entities.ServiceCertificate`.

    Raises:
        CertificateRefused: a record of another volunteer or another organisation, or no
            certified record at all.
        TrailBroken: a record that does not follow from its trail.
        InvalidArgumentError: wrong argument types.
        InvalidEntityError: a certificate field refused (a number that is no identifier,
            a date of issue before a service ended …).

    .. versionadded:: 0.1.0
    """
    expect("volunteer", volunteer, Volunteer)
    expect("organization_id", organization_id, str)
    checked = _verified(workflow, records)
    services: list[ServiceRecord] = []
    pending: list[str] = []
    for index, (record, facts) in enumerate(checked):
        if facts.volunteer_id != volunteer.id:
            raise CertificateRefused(
                f"records[{index}]", f"a record of volunteer {volunteer.id!r}", record.record_id
            )
        if facts.organization_id != organization_id:
            raise CertificateRefused(
                f"records[{index}]",
                f"a record made by the issuer {organization_id!r} (谁记录谁证明)",
                record.record_id,
            )
        if record.state == VolunteerServiceState.CERTIFIED.value and facts.service is not None:
            services.append(facts.service)
        elif record.state != VolunteerServiceState.VOIDED.value:
            pending.append(record.record_id)
    if not services:
        raise CertificateRefused("records", "at least one certified record", len(checked))
    return ServiceCertificate(
        number=number,
        issued_on=issued_on,
        volunteer_id=volunteer.id,
        volunteer_name=volunteer.name,
        identity_number=volunteer.identity_number,
        organization_id=organization_id,
        organization_name=organization_name,
        services=services,
        pending=pending,
        handled_by=handled_by,
        note=note,
    )


# -- hours by person, organisation and period ------------------------------------------------

PERIODS: Mapping[str, str] = {"month": "YYYY-MM", "year": "YYYY", "day": "YYYY-MM-DD"}
"""The periods :func:`service_hours` groups by, and how each is written."""

HOURS_LABELS: Mapping[str, tuple[str, str]] = {
    "volunteer": ("志愿者编号", "volunteer"),
    "organization": ("记录组织", "organisation"),
    "period": ("期间", "period"),
    "records": ("服务记录数", "records"),
    "hours": ("志愿服务时长(小时)", "service hours"),
}
"""The headers of an hours report: key → (中文, English)."""

_BY = ("volunteer", "organization", "period")


@attrs.frozen(kw_only=True)
class HoursRow:
    """Certified service hours of one group.

    Attributes:
        group: the group keys and their values (``volunteer``, ``organization``,
            ``period``, as asked).
        records: the certified records counted.
        hours: their exact hours.

    .. versionadded:: 0.1.0
    """

    group: Mapping[str, str]
    records: int
    hours: Decimal

    def as_dict(self) -> dict[str, Any]:
        """Plain data: the group keys, the count and the hours."""
        return {**self.group, "records": self.records, "hours": self.hours}


def service_hours(
    workflow: VolunteerServiceWorkflow,
    records: Iterable[WorkflowRecord],
    *,
    by: Sequence[str] = _BY,
    period: str = "month",
    start: pendulum.Date | str | None = None,
    end: pendulum.Date | str | None = None,
) -> list[HoursRow]:
    """Certified service hours by volunteer, organisation and period, one row per group.

    Only certified records count (a record under correction or voided does not); a
    service belongs to the period of the day it started, in Asia/Shanghai.

    Args:
        workflow: the volunteer service workflow.
        records: its records (each verified once).
        by: the group keys, any of ``"volunteer"``, ``"organization"``, ``"period"``, in
            order; ``()`` for one row over all.
        period: ``"day"``, ``"month"`` or ``"year"`` (a key of :data:`PERIODS`).
        start: count services that started on or after this day (default: all).
        end: count services that started on or before this day (default: all).

    Returns:
        The rows sorted by group; headers in :data:`HOURS_LABELS`.

    Raises:
        InvalidArgumentError: an unknown group key or period, a date that is no date.
        TrailBroken: a record that does not follow from its trail.

    .. versionadded:: 0.1.0
    """
    if isinstance(by, str) or not isinstance(by, Sequence) or [k for k in by if k not in _BY]:
        raise InvalidArgumentError("by", by, f"a sequence of the keys {', '.join(_BY)}")
    if not isinstance(period, str) or period not in PERIODS:
        raise InvalidArgumentError("period", period, ", ".join(PERIODS))
    first = None if start is None else _day_argument("start", start)
    last = None if end is None else _day_argument("end", end)
    sums: dict[tuple[str, ...], list[Any]] = {}
    for record, facts in _verified(workflow, records):
        service = facts.service
        if record.state != VolunteerServiceState.CERTIFIED.value or service is None:
            continue
        local = service.start.in_timezone(DEFAULT_TZ)
        day = pendulum.Date(local.year, local.month, local.day)
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        values = {
            "volunteer": facts.volunteer_id or "-",
            "organization": facts.organization_id or "-",
            "period": local.format(PERIODS[period]),
        }
        row = sums.setdefault(tuple(values[k] for k in by), [0, 0])
        row[0] += 1
        row[1] += service.seconds  # whole seconds add up exactly; divided once below
    return [
        HoursRow(
            group=dict(zip(by, group, strict=True)),
            records=n,
            hours=Decimal(seconds) / _SECONDS_PER_HOUR,
        )
        for group, (n, seconds) in sorted(sums.items())
    ]


def _day_argument(name: str, value: object) -> pendulum.Date:
    try:
        return as_date(value, argument=name)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidArgumentError(name, value, "a date (YYYY-MM-DD)") from None


def hours_frame(rows: Iterable[HoursRow], *, lang: str = "zh") -> Any:
    """The rows of :func:`service_hours` as a pandas DataFrame with headers in ``lang``.

    The hours are exact (:class:`~decimal.Decimal`); the frame shows what the rows
    decided and computes nothing.

    Args:
        rows: hours rows.
        lang: ``"zh"`` or ``"en"`` headers (:data:`HOURS_LABELS`).

    Raises:
        InvalidArgumentError: rows that are not hours rows, an unknown language.
        ImportError: pandas is not installed (the ``analysis`` extra).

    .. versionadded:: 0.1.0
    """
    items = expect_items("rows", rows, HoursRow)
    if lang not in ("zh", "en"):
        raise InvalidArgumentError("lang", lang, "'zh' or 'en'")
    pd = require("pandas")
    keys = list(items[0].group) if items else list(_BY)
    columns = [*keys, "records", "hours"]
    data = [[row.as_dict()[k] for k in columns] for row in items]
    headers = [HOURS_LABELS[k][0 if lang == "zh" else 1] for k in columns]
    return pd.DataFrame(data, columns=headers)
