"""Registered community volunteers and their service-hour ledger (§5.9–§5.11).

A :class:`Volunteer` carries a ledger of :class:`ServiceRecord` entries. Each record has a
time-zone-aware start and end; a record may run overnight, but an end at or before its
start is refused, and so are two records of the same volunteer that overlap. Hours are
exact (:class:`~decimal.Decimal`), computed on the absolute timeline, so records in
different time zones add up correctly.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from sqfw.entities._fields import (
    explained,
    fail,
    identifier,
    optional_text,
    to_date,
    to_datetime,
    to_name,
    to_optional_identity,
    to_optional_phone,
    to_optional_text,
    to_tuple,
    unique_by,
)
from sqfw.entities.divisions import division_code
from sqfw.labels import LabeledEnum
from sqfw.periods import format_datetime
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

__all__ = ["ServiceRecord", "Volunteer", "VolunteerGroup"]

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
    def hours(self) -> Decimal:
        """Exact service hours on the absolute timeline."""
        seconds = Decimal(int((self.end - self.start).total_seconds()))
        return seconds / _SECONDS_PER_HOUR


def _records(value: Iterable[ServiceRecord]) -> tuple[ServiceRecord, ...]:
    return to_tuple(value, ServiceRecord)


def _no_overlap(
    instance: Volunteer, attribute: attrs.Attribute[Any], value: tuple[ServiceRecord, ...]
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
