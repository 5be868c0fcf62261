"""Registrations of the floating population (流动人员信息登记, §3.5).

The plan asks for a floating-population registration database kept with the help of
resident-group and building leaders (居民小组长、楼栋长). A
:class:`FloatingRegistration` is one person's stay in a community: identity number, name,
address and phone as masked personal data (:mod:`sqfw.privacy`, §3.10), where they came
from, when they arrived and left, and who registered them. The register that holds them,
and logs every read of a full record, is :mod:`sqfw.population`.

.. versionadded:: 0.1.0

.. versionchanged:: 0.1.0
   A registration may name the building the resident lives in (``building_code``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    personal,
    text,
    to_date,
    to_identity,
    to_name,
    to_optional_phone,
    to_text,
)
from sqfw.entities.divisions import village_code
from sqfw.entities.grid import unit_code
from sqfw.errors import InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.privacy import IdentityNumber, PersonalData, PersonName, PhoneNumber

__all__ = ["FloatingRegistration", "RegistrarRole", "ResidentialAddress"]


class ResidentialAddress(PersonalData):
    """A home address (personal data); masked to its first third, at most six characters."""

    __slots__ = ()
    kind = "address"

    @classmethod
    def _normalise(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 200:
            cls._refuse(f"{len(value):,} characters", "an address of 1–200 characters")
        return value

    def masked(self) -> str:
        keep = min(6, len(self._value) // 3)
        return self._value[:keep] + "*" * (len(self._value) - keep)


class RegistrarRole(LabeledEnum):
    """Who registers a floating resident (§3.5)."""

    BUILDING_LEADER = "building_leader"
    RESIDENT_GROUP_LEADER = "resident_group_leader"
    GRID_WORKER = "grid_worker"
    COMMUNITY_STAFF = "community_staff"

    __labels__ = {
        "building_leader": ("楼栋长", "building leader"),
        "resident_group_leader": ("居民小组长", "resident-group leader"),
        "grid_worker": ("网格员", "grid worker"),
        "community_staff": ("社区工作人员", "community staff"),
    }


_to_address = personal(ResidentialAddress, optional=False)
_to_optional_address = personal(ResidentialAddress, optional=True)


def to_address(value: ResidentialAddress | str) -> ResidentialAddress:
    result: ResidentialAddress = _to_address(value)
    return result


def to_optional_address(value: ResidentialAddress | str | None) -> ResidentialAddress | None:
    result: ResidentialAddress | None = _to_optional_address(value)
    return result


def _role(value: RegistrarRole | str) -> RegistrarRole:
    try:
        return RegistrarRole(value)
    except ValueError:
        allowed = ", ".join(r.value for r in RegistrarRole)
        raise InvalidEntityError(
            "FloatingRegistration", "registered_by_role", str(value)[:40], f"one of {allowed}"
        ) from None


def _after_arrival(
    instance: FloatingRegistration, attribute: attrs.Attribute[Any], value: pendulum.Date | None
) -> None:
    if value is not None and value < instance.arrived_on:
        fail(instance, attribute, value, f"a date on or after the arrival ({instance.arrived_on})")


def _date(value: pendulum.Date | _dt.date | str) -> pendulum.Date:
    try:
        return to_date(value)
    except (TypeError, ValueError):
        raise InvalidEntityError(
            "FloatingRegistration", "date", str(value)[:40], "a date (YYYY-MM-DD)"
        ) from None


def _optional_building(
    instance: FloatingRegistration, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        unit_code(instance, attribute, value)


def _optional_date(value: pendulum.Date | _dt.date | str | None) -> pendulum.Date | None:
    return None if value is None else _date(value)


@attrs.frozen(kw_only=True, field_transformer=explained)
class FloatingRegistration:
    """One floating resident's stay in a community (§3.5).

    Attributes:
        id: the registration's identifier.
        community_code: the community where they live now.
        identity_number: their identity number (masked personal data).
        name: their name (masked).
        address: their address in the community (masked).
        origin: where they came from (a place name or division code; not personal data).
        arrived_on: the day they arrived.
        registered_on: the day they were registered (on or after arrival).
        registered_by_role: the role of whoever registered them (楼栋长, 居民小组长 …).
        registered_by: that person's staff or leader id (never a name).
        departed_on: the day they left, once they did (on or after arrival).
        phone: an optional phone (masked).
        building_code: the building (楼栋) they live in, a unit code of the community
            (:class:`~sqfw.entities.Building`), when known; the floating-population
            registrations by building (§3.5) count by it.

    A resident counts in the community's floating population from the day of arrival up
    to the day before departure (:meth:`present_on`).

    Raises:
        InvalidEntityError: malformed data, with personal data masked in the message.
    """

    id: str = attrs.field(validator=identifier)
    community_code: str = attrs.field(validator=village_code)
    identity_number: IdentityNumber = attrs.field(converter=to_identity)
    name: PersonName = attrs.field(converter=to_name)
    address: ResidentialAddress = attrs.field(converter=to_address)
    origin: str = attrs.field(converter=to_text, validator=text(100))
    arrived_on: pendulum.Date = attrs.field(converter=_date)
    registered_on: pendulum.Date = attrs.field(converter=_date, validator=_after_arrival)
    registered_by_role: RegistrarRole = attrs.field(converter=_role)
    registered_by: str = attrs.field(validator=identifier)
    departed_on: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_date, validator=_after_arrival
    )
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    building_code: str | None = attrs.field(default=None, validator=_optional_building)

    def present_on(self, day: pendulum.Date) -> bool:
        """Whether they live in the community on ``day`` (arrival day in, departure day out)."""
        return self.arrived_on <= day and (self.departed_on is None or day < self.departed_on)
