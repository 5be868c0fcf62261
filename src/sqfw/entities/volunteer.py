"""Registered community volunteers, their service-hour ledger and certificates (§5.9–§5.11).

A :class:`Volunteer` carries a ledger of :class:`ServiceRecord` entries. Each record has a
time-zone-aware start and end; a record may run overnight, but an end at or before its
start is refused, and so are two records of the same volunteer that overlap. Hours are
exact (:class:`~decimal.Decimal`), computed on the absolute timeline, so records in
different time zones add up correctly.

A :class:`ServiceCertificate` (志愿服务记录证明) is what an organisation issues from its
records of one volunteer (民政部令第67号《志愿服务记录与证明出具办法（试行）》第二条: a
certificate is formed from the record); it is built by
:func:`sqfw.workflows.volunteer_service.service_certificate` and states the hours.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    optional_text,
    text,
    to_date,
    to_datetime,
    to_free_text,
    to_name,
    to_optional_identity,
    to_optional_phone,
    to_optional_text,
    to_text,
    to_tuple,
    unique_by,
)
from sqfw._masks import redact
from sqfw.entities.divisions import division_code
from sqfw.labels import LabeledEnum
from sqfw.periods import DEFAULT_TZ, format_datetime
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

__all__ = ["ServiceCertificate", "ServiceRecord", "Volunteer", "VolunteerGroup"]

_SECONDS_PER_HOUR = Decimal(3600)


class VolunteerGroup(LabeledEnum):
    """The groups §5.10 encourages to register as community volunteers."""

    PARTY_MEMBER = "party_member"
    YOUTH_LEAGUE_MEMBER = "youth_league_member"
    CIVIL_SERVANT = "civil_servant"
    RETIREE = "retiree"
    COLLEGE_STUDENT = "college_student"

    __labels__ = {
        "party_member": ("党员", "party member"),
        "youth_league_member": ("团员", "Youth League member"),
        "civil_servant": ("公务员", "civil servant"),
        "retiree": ("离退休人员", "retiree"),
        "college_student": ("大学生", "college student"),
    }


def _groups(value: Iterable[VolunteerGroup | str]) -> tuple[VolunteerGroup, ...]:
    return tuple(VolunteerGroup(v) for v in to_tuple(value, (VolunteerGroup, str)))


def _end_after_start(
    instance: ServiceRecord, attribute: attrs.Attribute[Any], value: pendulum.DateTime
) -> None:
    if value <= instance.start:
        start = format_datetime(instance.start)
        fail(instance, attribute, value, f"an end after the start ({start})")


@attrs.frozen(kw_only=True, field_transformer=explained)
class ServiceRecord:
    """One period of volunteer service.

    Attributes:
        id: the record's identifier within the volunteer's ledger.
        start: when the service started (time-zone aware).
        end: when it ended; after ``start`` (overnight is fine).
        activity: what was done.
        organization_id: the organisation the service was given through, if any.

    Raises:
        InvalidEntityError: a naive date-time, or an end at or before the start.
    """

    id: str = attrs.field(validator=identifier)
    start: pendulum.DateTime = attrs.field(converter=to_datetime)
    end: pendulum.DateTime = attrs.field(converter=to_datetime, validator=_end_after_start)
    activity: str | None = attrs.field(
        default=None, converter=to_optional_text, validator=optional_text(200)
    )
    organization_id: str | None = None

    @property
    def seconds(self) -> int:
        """Whole seconds of service on the absolute timeline (what sums add up exactly).

        .. versionadded:: 0.1.0
        """
        return int((self.end - self.start).total_seconds())

    @property
    def hours(self) -> Decimal:
        """Exact service hours on the absolute timeline."""
        return Decimal(self.seconds) / _SECONDS_PER_HOUR


def _records(value: Iterable[ServiceRecord]) -> tuple[ServiceRecord, ...]:
    return to_tuple(value, ServiceRecord)


def _no_overlap(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[ServiceRecord, ...]
) -> None:
    ordered = sorted(value, key=lambda r: r.start)
    for previous, current in itertools.pairwise(ordered):
        if current.start < previous.end:
            fail(
                instance,
                attribute,
                current.id,
                f"service records that do not overlap ({current.id!r} starts before "
                f"{previous.id!r} ends)",
            )


@attrs.frozen(kw_only=True, field_transformer=explained)
class Volunteer:
    """A registered community volunteer (§5.10) with a service ledger.

    Attributes:
        id: the volunteer's identifier.
        name: the volunteer's name (personal data, masked).
        community_code: the community the volunteer is registered with.
        registered_on: the registration date.
        groups: the §5.10 groups the volunteer belongs to.
        identity_number: optional GB 11643 identity number (personal data, masked).
        phone: optional phone number (personal data, masked).
        records: the service ledger; ids unique, periods never overlap.

    Raises:
        InvalidEntityError: malformed fields, duplicate record ids, overlapping records.
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    community_code: str = attrs.field(validator=division_code)
    registered_on: pendulum.Date = attrs.field(converter=to_date)
    groups: tuple[VolunteerGroup, ...] = attrs.field(
        default=(), converter=_groups, validator=unique_by(lambda g: g, "group")
    )
    identity_number: IdentityNumber | None = attrs.field(
        default=None, converter=to_optional_identity
    )
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    records: tuple[ServiceRecord, ...] = attrs.field(
        default=(),
        converter=_records,
        validator=[unique_by(lambda r: r.id, "record id"), _no_overlap],
    )

    @property
    def total_hours(self) -> Decimal:
        """Exact total service hours in the ledger."""
        return sum((r.hours for r in self.records), Decimal(0))

    def with_record(self, record: ServiceRecord) -> Volunteer:
        """Return a copy with ``record`` appended (validated like any construction)."""
        return attrs.evolve(self, records=(*self.records, record))


def _format_hours(hours: Decimal, lang: str = "zh") -> str:
    """Exact hours as hours, minutes and seconds: ``3小时30分`` / ``3 h 30 min``.

    Nothing is rounded: a service of 3 h 20 min 15 s reads so (no source fixes a rounding
    of service hours, so none is made).
    """
    # hours come from whole seconds: the nearest whole second is the exact one
    seconds = int((hours * _SECONDS_PER_HOUR).to_integral_value())
    h, rest = divmod(seconds, 3600)
    m, sec = divmod(rest, 60)
    if lang == "en":
        parts = [f"{h} h"] + ([f"{m} min"] if m or sec else []) + ([f"{sec} s"] if sec else [])
        return " ".join(parts)
    return f"{h}小时" + (f"{m}分" if m or sec else "") + (f"{sec}秒" if sec else "")


def _local(at: pendulum.DateTime) -> str:
    """An instant as the day and minute in Asia/Shanghai, with seconds when it has them."""
    local = at.in_timezone(DEFAULT_TZ)
    return local.format("YYYY-MM-DD HH:mm" + (":ss" if local.second else ""))


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value, str)


def _services(value: Iterable[ServiceRecord]) -> tuple[ServiceRecord, ...]:
    return to_tuple(value, ServiceRecord)


def _some_service(
    instance: ServiceCertificate, attribute: attrs.Attribute[Any], value: tuple[ServiceRecord, ...]
) -> None:
    if not value:
        fail(instance, attribute, value, "at least one certified service record")


def _recorded_by_issuer(
    instance: ServiceCertificate, attribute: attrs.Attribute[Any], value: tuple[ServiceRecord, ...]
) -> None:
    """谁记录谁证明: every service on the certificate was recorded by the issuer."""
    for record in value:
        if record.organization_id != instance.organization_id:
            fail(
                instance,
                attribute,
                record.organization_id,
                f"services recorded by the issuer {instance.organization_id!r} "
                f"(record {record.id!r})",
            )


def _ended_by_issue(
    instance: ServiceCertificate, attribute: attrs.Attribute[Any], value: pendulum.Date
) -> None:
    """A certificate is issued on or after the day its last service ended (Asia/Shanghai)."""
    for record in instance.services:
        local = record.end.in_timezone(DEFAULT_TZ)
        if pendulum.Date(local.year, local.month, local.day) > value:
            fail(
                instance,
                attribute,
                value,
                f"a date on or after the end of every service ({record.id!r} ends "
                f"{format_datetime(record.end)})",
            )


_CERTIFICATE_LABELS: dict[str, tuple[str, str]] = {
    "title": ("志愿服务记录证明", "Certificate of volunteer service record"),
    "number": ("证明编号", "Certificate number"),
    "volunteer": ("志愿者", "Volunteer"),
    "volunteer_id": ("志愿者编号", "volunteer id"),
    "identity_number": ("证件号码", "Identity number"),
    "issuer": ("出具单位", "Issued by"),
    "organization_id": ("编号", "id"),
    "services": ("志愿服务情况", "Volunteer service"),
    "total": ("志愿服务时长合计", "Total hours of service"),
    "pending": (
        "未列入(待确认或更正中)的记录",
        "Records not included (awaiting certification or correction)",
    ),
    "handled_by": ("经办人", "Handled by"),
    "issued_on": ("出具日期", "Issued on"),
    "note": ("备注", "Note"),
}


@attrs.frozen(kw_only=True, field_transformer=explained)
class ServiceCertificate:
    """A certificate of volunteer service record (志愿服务记录证明).

    Issued by the organisation that recorded the service, from its certified records of
    one volunteer (谁记录谁证明; 民政部令第67号第二条; the certificate's content — the
    volunteer's identity, the service, the issuer, other matters — as 民发〔2015〕149号
    sets it out). Build it with
    :func:`sqfw.workflows.volunteer_service.service_certificate`.

    Attributes:
        number: the certificate's number (the issuer's numbering: a host parameter).
        issued_on: the date of issue; on or after the end of every service listed.
        volunteer_id: the volunteer's id.
        volunteer_name: the volunteer's name (personal data, masked).
        identity_number: the volunteer's identity number, if given (personal data,
            masked).
        organization_id: the issuing organisation, which recorded every service listed.
        organization_name: its name.
        services: the certified service records; ids unique, periods never overlap.
        pending: ids of the issuer's records of the volunteer that are not certified now
            (recorded, or under correction) and so are not counted.
        handled_by: who handled the issue (经办人), if stated.
        note: other matters to state.

    Raises:
        InvalidEntityError: no service, a service recorded by another organisation,
            overlapping services, or a date of issue before a service ended.

    .. versionadded:: 0.1.0
    """

    number: str = attrs.field(validator=identifier)
    volunteer_id: str = attrs.field(validator=identifier)
    volunteer_name: PersonName = attrs.field(converter=to_name)
    organization_id: str = attrs.field(validator=identifier)
    organization_name: str = attrs.field(converter=to_text, validator=text(200))
    services: tuple[ServiceRecord, ...] = attrs.field(
        converter=_services,
        validator=[
            _some_service,
            unique_by(lambda r: r.id, "record id"),
            _no_overlap,
            _recorded_by_issuer,
        ],
    )
    issued_on: pendulum.Date = attrs.field(converter=to_date, validator=_ended_by_issue)
    identity_number: IdentityNumber | None = attrs.field(
        default=None, converter=to_optional_identity
    )
    pending: tuple[str, ...] = attrs.field(
        default=(),
        converter=_ids,
        validator=[attrs.validators.deep_iterable(identifier), unique_by(lambda i: i, "id")],
    )
    handled_by: str | None = attrs.field(
        default=None, converter=to_optional_text, validator=optional_text(100)
    )
    note: str | None = attrs.field(
        default=None, converter=to_free_text, validator=optional_text(2000)
    )

    @property
    def total_hours(self) -> Decimal:
        """Exact total hours of the services listed (the hours the certificate states):
        their seconds added, then divided once."""
        return Decimal(sum(r.seconds for r in self.services)) / _SECONDS_PER_HOUR

    def render(self, lang: str = "zh") -> str:
        """The certificate as text in ``lang`` (``"zh"`` or ``"en"``), personal data masked.

        Names and identity numbers are shown masked (:mod:`sqfw.privacy`), and free text
        (an activity, the note) with anything that looks like personal data masked
        (:func:`sqfw._masks.redact`).
        """
        en = lang == "en"

        def label(key: str) -> str:
            zh_text, en_text = _CERTIFICATE_LABELS[key]
            return en_text if en else zh_text

        colon = ": " if en else "："
        lines = [
            label("title"),
            f"{label('number')}{colon}{self.number}",
            f"{label('volunteer')}{colon}{self.volunteer_name.masked()} "
            f"({label('volunteer_id')} {self.volunteer_id})",
        ]
        if self.identity_number is not None:
            lines.append(f"{label('identity_number')}{colon}{self.identity_number.masked()}")
        lines.append(
            f"{label('issuer')}{colon}{redact(self.organization_name)} "
            f"({label('organization_id')} {self.organization_id})"
        )
        lines.append(f"{label('services')}{colon}".rstrip())
        for r in sorted(self.services, key=lambda r: r.start):
            activity = redact(r.activity) if r.activity else "-"
            lines.append(
                f"  {r.id}  {_local(r.start)} – {_local(r.end)}  "
                f"{activity}  {_format_hours(r.hours, lang)}"
            )
        lines.append(f"{label('total')}{colon}{_format_hours(self.total_hours, lang)}")
        if self.pending:
            lines.append(f"{label('pending')}{colon}{', '.join(self.pending)}")
        if self.handled_by:
            lines.append(f"{label('handled_by')}{colon}{redact(self.handled_by)}")
        if self.note:
            lines.append(f"{label('note')}{colon}{redact(self.note)}")
        lines.append(f"{label('issued_on')}{colon}{self.issued_on.isoformat()}")
        return "\n".join(lines) + "\n"
