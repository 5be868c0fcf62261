"""Service tickets of the one-window service (一口受理, §3.8–§3.9).

A :class:`ServiceTicket` is what the front window records when it accepts a request: who
asked, for which service, through which channel, and which back offices must handle it
together. Its progress (accepted → handling → feedback → closed) lives in the service
ticket workflow's record, not here; deadlines come from a per-service catalogue the host
supplies, because the plan sets none.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    optional_text,
    to_datetime,
    to_free_text,
    to_name,
    to_optional_decimal,
    to_optional_identity,
    to_optional_phone,
    to_tuple,
    unique_by,
)
from sqfw.entities.divisions import division_code
from sqfw.entities.register import ResidentialAddress, to_optional_address
from sqfw.labels import LabeledEnum
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

__all__ = ["Channel", "Department", "ServiceTicket", "TicketKind"]


class Channel(LabeledEnum):
    """How the request reached the window (§3.4, §3.7, §2.10, §2.15)."""

    WINDOW = "window"
    PHONE = "phone"
    ONLINE = "online"
    MOBILE_APP = "mobile_app"
    AGENT_POINT = "agent_point"
    MOBILE_SERVICE = "mobile_service"

    __labels__ = {
        "window": ("窗口", "service window"),
        "phone": ("电话", "telephone"),
        "online": ("网站", "website"),
        "mobile_app": ("手机客户端", "mobile app"),
        "agent_point": ("代办点", "agent point"),
        "mobile_service": ("流动服务", "mobile service"),
    }


class Department(LabeledEnum):
    """Back offices whose services the integrated platform merges (§3.8)."""

    PUBLIC_SECURITY = "public_security"
    JUSTICE = "justice"
    FAMILY_PLANNING = "family_planning"
    CIVIL_AFFAIRS = "civil_affairs"
    HUMAN_RESOURCES_SOCIAL_SECURITY = "human_resources_social_security"
    OTHER = "other"

    __labels__ = {
        "public_security": ("公安", "public security"),
        "justice": ("司法", "justice"),
        "family_planning": ("计生", "family planning"),
        "civil_affairs": ("民政", "civil affairs"),
        "human_resources_social_security": (
            "人力资源和社会保障",
            "human resources and social security",
        ),
        "other": ("其他", "other"),
    }


class TicketKind(LabeledEnum):
    """The standard service process of §3.9: consultation, handling, feedback."""

    CONSULTATION = "consultation"
    HANDLING = "handling"
    COMPLAINT = "complaint"

    __labels__ = {
        "consultation": ("咨询", "consultation"),
        "handling": ("办理", "handling"),
        "complaint": ("投诉建议", "complaint or suggestion"),
    }


def _departments(value: Iterable[Department | str]) -> tuple[Department, ...]:
    return tuple(Department(v) for v in to_tuple(value, (Department, str)))


_URL: Final = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"]+")
"""A web address: ``http://`` or ``https://``, then no spaces."""
_URL_CHARS: Final = 2000
"""The longest media address, scheme included."""


def _optional_url(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not (isinstance(value, str) and len(value) <= _URL_CHARS and _URL.fullmatch(value)):
        fail(
            instance,
            attribute,
            value,
            f"an http:// or https:// address without spaces, at most {_URL_CHARS:,} characters",
        )


def _degrees(limit: int) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
        if value is not None and not -limit <= value <= limit:
            fail(instance, attribute, value, f"degrees from -{limit} to {limit}")

    return check


LATITUDE: Final = _degrees(90)
"""attrs validator: a latitude in degrees (±90)."""
LONGITUDE: Final = _degrees(180)
"""attrs validator: a longitude in degrees (±180)."""


def _both_coordinates(
    instance: ServiceTicket, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if (instance.latitude is None) != (value is None):
        fail(instance, attribute, value, "a longitude exactly when there is a latitude")


@attrs.frozen(kw_only=True, field_transformer=explained)
class ServiceTicket:
    """A request accepted at the one-window front desk.

    Attributes:
        id: the ticket number.
        service_code: the service's code in the host's service catalogue (e.g.
            ``"civil_affairs.minimum_living_allowance"``); deadlines are looked up by it.
        kind: consultation, handling or complaint (§3.9).
        community_code: the community (or street) whose window accepted it.
        received_at: when it was accepted (time-zone aware).
        channel: how it arrived.
        departments: back offices the window names as handling it together (§3.8),
            optional: the workflow's ``dispatch`` names the offices that actually get it.
        applicant: the applicant's name (personal data, masked).
        applicant_id: the applicant's identity number (personal data, masked), optional.
        applicant_phone: the applicant's phone (personal data, masked), optional.
        summary: what was asked, without personal data; at most 4,000 characters
            (GeoReport v2's limit on a request's description).
        address: where the matter is (a street and number, a crossing, a landmark),
            optional; personal data (often the applicant's home), shown masked.
        latitude: its latitude in degrees (WGS 84, as GeoReport v2 exchanges it), optional;
            an Open311 export rounds it to 0.001° unless personal data is revealed.
        longitude: its longitude in degrees; given exactly when ``latitude`` is.
        media_url: a web address of a photo or file sent with the request, optional.

    Raises:
        InvalidEntityError: malformed ids, codes or date-times, a handling request without
            a back office, a department listed twice, coordinates out of range or only one
            of them, a media address that is not http(s).
    """

    id: str = attrs.field(validator=identifier)
    service_code: str = attrs.field(validator=identifier)
    kind: TicketKind = attrs.field(converter=TicketKind)
    community_code: str = attrs.field(validator=division_code)
    received_at: pendulum.DateTime = attrs.field(converter=to_datetime)
    applicant: PersonName = attrs.field(converter=to_name)
    channel: Channel = attrs.field(default=Channel.WINDOW, converter=Channel)
    departments: tuple[Department, ...] = attrs.field(
        default=(),
        converter=_departments,
        validator=unique_by(lambda d: d, "department"),
    )
    applicant_id: IdentityNumber | None = attrs.field(default=None, converter=to_optional_identity)
    applicant_phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    summary: str | None = attrs.field(
        default=None, converter=to_free_text, validator=optional_text(4000)
    )
    address: ResidentialAddress | None = attrs.field(default=None, converter=to_optional_address)
    latitude: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=LATITUDE
    )
    longitude: Decimal | None = attrs.field(
        default=None,
        converter=to_optional_decimal,
        validator=[LONGITUDE, _both_coordinates],
    )
    media_url: str | None = attrs.field(default=None, validator=_optional_url)
