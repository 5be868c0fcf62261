"""Community service facilities (社区服务设施, §2).

The plan's facility network (§2.3) has a comprehensive service facility at its base,
specialised facilities as a supplement, service outlets as a complement and the community
information platform as support; §2.10 adds street public service halls and community
agent points, and §2.15 mobile service (vehicles, stations, agents) for dispersed rural and
pastoral areas.

Floor areas are :class:`~decimal.Decimal` square metres, so a boundary such as "office
area at most 30% of the total" (§2.14) is decided exactly.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from sqfw._fields import (
    area_m2,
    explained,
    fail,
    identifier,
    non_negative_int,
    optional_text,
    to_optional_decimal,
    to_optional_text,
    to_tuple,
    unique_by,
)
from sqfw.labels import LabeledEnum

__all__ = ["CoLocatedService", "Facility", "FacilityKind", "Ownership"]


class FacilityKind(LabeledEnum):
    """Kinds of community service facility (§2.2, §2.3, §2.10, §2.15)."""

    COMPREHENSIVE = "comprehensive"
    SPECIALISED = "specialised"
    SERVICE_OUTLET = "service_outlet"
    OUTDOOR_VENUE = "outdoor_venue"
    STREET_SERVICE_HALL = "street_service_hall"
    AGENT_POINT = "agent_point"
    MOBILE_SERVICE = "mobile_service"

    __labels__ = {
        "comprehensive": ("社区综合服务设施", "comprehensive community service facility"),
        "specialised": ("专项服务设施", "specialised service facility"),
        "service_outlet": ("服务网点", "service outlet"),
        "outdoor_venue": ("户外活动场所", "outdoor activity venue"),
        "street_service_hall": ("街道公共服务大厅", "street public service hall"),
        "agent_point": ("社区公共服务代办点", "community public service agent point"),
        "mobile_service": ("流动服务(车/站点/代办员)", "mobile service (vehicle, station, agent)"),
    }


class Ownership(LabeledEnum):
    """Who holds the property rights of a facility (产权归属, §2.5, §2.7)."""

    GOVERNMENT = "government"
    COLLECTIVE = "collective"
    COMMITTEE = "committee"
    PURCHASED = "purchased"
    LEASED = "leased"
    BORROWED = "borrowed"
    SWAPPED = "swapped"
    UNSETTLED = "unsettled"

    __labels__ = {
        "government": ("政府所有", "government-owned"),
        "collective": ("集体所有", "collectively owned"),
        "committee": ("社区居委会所有", "owned by the residents' committee"),
        "purchased": ("购买", "purchased"),
        "leased": ("租用", "leased"),
        "borrowed": ("借用", "borrowed"),
        "swapped": ("调剂置换", "obtained by swap from another facility"),
        "unsettled": ("产权未明确", "property rights not settled"),
    }


class CoLocatedService(LabeledEnum):
    """Services planned together with the committee's rooms (§2.5)."""

    HEALTH = "health"
    POLICE = "police"
    CULTURE = "culture"
    SPORT = "sport"
    ELDERLY_CARE = "elderly_care"

    __labels__ = {
        "health": ("社区卫生", "community health"),
        "police": ("警务", "police"),
        "culture": ("文化", "culture"),
        "sport": ("体育", "sport"),
        "elderly_care": ("养老", "elderly care"),
    }


def _co_located(value: Iterable[CoLocatedService | str]) -> tuple[CoLocatedService, ...]:
    return tuple(CoLocatedService(v) for v in to_tuple(value, (CoLocatedService, str)))


def _office_within_total(
    instance: Facility, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    total = instance.total_area_m2
    if value is None or total is None:
        return  # not recorded: nothing to compare
    # a negative or infinite total is refused by its own validator; compare only with a real one
    if value.is_finite() and total.is_finite() and total >= 0 and value > total:
        fail(
            instance,
            attribute,
            value,
            f"an office area ≤ the total area ({instance.total_area_m2} m²)",
        )


def _activity_within_total(
    instance: Facility, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is None:
        return
    area_m2(instance, attribute, value)
    total = instance.total_area_m2
    if total is None or not (value.is_finite() and total.is_finite() and total >= 0):
        return  # not recorded, or refused by its own validator
    if value > total:
        fail(instance, attribute, value, f"an activity area ≤ the total area ({total} m²)")


_NO_OFFICE: Decimal | None = Decimal(0)
"""A facility's office area unless given: none (``None`` says "not recorded")."""


@attrs.frozen(kw_only=True, field_transformer=explained)
class Facility:
    """A community service facility and the facts the plan's norms look at.

    Attributes:
        id: the facility's identifier within its community.
        kind: a :class:`FacilityKind`.
        total_area_m2: floor area in m² (0 for a mobile service); ``None`` when not
            recorded (the facility exists, its area is unknown: §2.1 and §2.14 are then
            "unknown", never "no facility").
        office_area_m2: of which office space (§2.14); never more than the total; ``None``
            when not recorded.
        barrier_free: meets the barrier-free standard (§2.4); ``None`` when not surveyed.
        multi_use_rooms: rooms used for several purposes ("一室多用", §2.8).
        residential_utility_pricing: heating, water, power, gas and telecom billed at
            residential prices (§2.9); ``None`` when unknown.
        ownership: who holds the property rights (§2.5).
        co_located: services planned together with it (§2.5).
        name: an optional display name.
        activity_area_m2: of which space for residents' activities (the 14th plan's
            居民活动区域); ``None`` when not recorded.

    Raises:
        InvalidEntityError: a negative area, or an office area above the total.
    """

    id: str = attrs.field(validator=identifier)
    kind: FacilityKind = attrs.field(converter=FacilityKind)
    total_area_m2: Decimal | None = attrs.field(
        converter=to_optional_decimal, validator=attrs.validators.optional(area_m2)
    )
    office_area_m2: Decimal | None = attrs.field(
        default=_NO_OFFICE,
        converter=to_optional_decimal,
        validator=attrs.validators.and_(attrs.validators.optional(area_m2), _office_within_total),
    )
    barrier_free: bool | None = None
    multi_use_rooms: int = attrs.field(default=0, validator=non_negative_int)
    residential_utility_pricing: bool | None = None
    ownership: Ownership = attrs.field(default=Ownership.UNSETTLED, converter=Ownership)
    co_located: tuple[CoLocatedService, ...] = attrs.field(
        default=(),
        converter=_co_located,
        validator=unique_by(lambda s: s, "service"),
    )
    name: str | None = attrs.field(
        default=None, converter=to_optional_text, validator=optional_text(100)
    )
    activity_area_m2: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=_activity_within_total
    )
