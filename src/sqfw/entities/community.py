"""The community (社区 / 村 / 嘎查) and the facts the plan's norms read from it.

A :class:`Community` is the aggregate most users start from: its division code, its kind
(which decides whether §2.1, §2.12 or §2.13 applies), its households and population, its
facilities and its committee. Counts the host does not know are ``None``; the calculators
then report "unknown" instead of guessing.

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
    non_negative_int,
    text,
    to_optional_decimal,
    to_text,
    to_tuple,
    unique_by,
)
from sqfw.entities.committee import Committee
from sqfw.entities.divisions import DivisionLevel, ancestor_code, village_code
from sqfw.entities.facility import Facility
from sqfw.labels import LabeledEnum
from sqfw.limits import MAX_NAME_CHARS

__all__ = ["Community", "CommunityKind", "SmartCommunity"]


class CommunityKind(LabeledEnum):
    """The kinds of community the plan sets different facility norms for (§2.1, §2.12, §2.13)."""

    URBAN = "urban"
    TOWNSHIP_SEAT = "township_seat"
    URBAN_VILLAGE = "urban_village"
    SUBURBAN_VILLAGE = "suburban_village"
    CENTRAL_VILLAGE = "central_village"
    RURAL_VILLAGE = "rural_village"
    PASTORAL = "pastoral"

    __labels__ = {
        "urban": ("城镇社区", "urban community"),
        "township_seat": ("苏木乡镇所在地", "sumu/township seat"),
        "urban_village": ("城中村", "urban village"),
        "suburban_village": ("城郊村", "suburban village"),
        "central_village": ("中心村", "central village"),
        "rural_village": ("传统农村", "traditional rural village"),
        "pastoral": ("牧区", "pastoral area"),
    }
    __aliases__ = {  # the short forms tables use
        "社区": "urban",
        "城市社区": "urban",
        "苏木乡镇": "township_seat",
        "乡镇所在地": "township_seat",
        "农村": "rural_village",
        "嘎查": "pastoral",
    }

    @property
    def is_urban(self) -> bool:
        """An urban community (城镇社区), as opposed to the rural and pastoral kinds."""
        return self is CommunityKind.URBAN


def _optional_area(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        area_m2(instance, attribute, value)


def _within_floor(instance: Community, attribute: attrs.Attribute[Any], value: Any) -> None:
    floor = instance.floor_area_m2
    if value is not None and floor is not None and value > floor:
        fail(instance, attribute, value, f"a floor area ≤ the community's ({floor} m²)")


@attrs.frozen(kw_only=True, field_transformer=explained)
class SmartCommunity:
    """The three smart-community indicators of §3.11; ``None`` where not surveyed.

    Attributes:
        infrastructure: smart-community infrastructure is built (智慧社区基础设施).
        platform_sharing: the community shares resources and works with others through the
            platform (资源共享、协同工作).
        online_convenience: residents get convenience services online (网上便民服务).
    """

    infrastructure: bool | None = None
    platform_sharing: bool | None = None
    online_convenience: bool | None = None


def _households_match_residents(
    instance: Community, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    residents = instance.resident_population
    if not isinstance(value, int) or not isinstance(residents, int):
        return  # unknown, or of a wrong type that the field's own validator reports
    if value == 0 and residents > 0:
        fail(instance, attribute, value, f"households > 0 for {residents} residents")
    if value > 0 and residents == 0:
        fail(instance, attribute, value, "no households when there are no residents")
    if value > residents:
        fail(instance, attribute, value, f"at most one household per resident ({residents})")


def _facilities(value: Iterable[Facility]) -> tuple[Facility, ...]:
    return to_tuple(value, Facility)


@attrs.frozen(kw_only=True, field_transformer=explained)
class Community:
    """A community, village or gacha and its services.

    Attributes:
        code: the 12-digit statistical division code at community/village level.
        name: the community's name.
        kind: a :class:`CommunityKind`.
        households: registered households (户数); ``None`` when unknown.
        resident_population: resident population (常住人口, §5.11); ``None`` when unknown.
        floating_population: floating population (流动人口, §3.5); ``None`` when unknown.
        registered_volunteers: registered community volunteers (§5.10, §5.11).
        new_or_renovated: newly built or renovated during the plan period (§2.1).
        smart: the smart-community indicators (§3.11).
        facilities: the community's service facilities.
        committee: the current committee, if recorded.
        set_up_as_needed: the residents' committee serves an area set "as actually needed"
            (或者根据实际需要设立), not by the households range of the urban law: the range
            is then not held against it.
        self_service_terminal: the community has a self-service terminal for government
            services (the 14th plan's 政务通用自助服务); ``None`` when not recorded.
        floor_area_m2: the community's total building floor area (for a new estate, the
            14th plan's 社区总建筑面积); ``None`` when not recorded.
        commercial_service_area_m2: of which floor area for commerce and community
            services (商业和综合服务设施面积); ``None`` when not recorded.

    Raises:
        InvalidEntityError: a malformed code, negative counts, zero households with
            residents (or households without residents), duplicate facility ids.
    """

    code: str = attrs.field(validator=village_code)
    name: str = attrs.field(converter=to_text, validator=text(MAX_NAME_CHARS))
    kind: CommunityKind = attrs.field(converter=CommunityKind)
    households: int | None = attrs.field(
        default=None, validator=[non_negative_int, _households_match_residents]
    )
    resident_population: int | None = attrs.field(default=None, validator=non_negative_int)
    floating_population: int | None = attrs.field(default=None, validator=non_negative_int)
    registered_volunteers: int | None = attrs.field(default=None, validator=non_negative_int)
    new_or_renovated: bool = False
    smart: SmartCommunity = attrs.field(factory=SmartCommunity)
    facilities: tuple[Facility, ...] = attrs.field(
        default=(), converter=_facilities, validator=unique_by(lambda f: f.id, "facility id")
    )
    committee: Committee | None = None
    set_up_as_needed: bool = False
    self_service_terminal: bool | None = None
    floor_area_m2: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=_optional_area
    )
    commercial_service_area_m2: Decimal | None = attrs.field(
        default=None, converter=to_optional_decimal, validator=[_optional_area, _within_floor]
    )

    @property
    def township_code(self) -> str:
        """Code of the sumu/township/town/street the community belongs to."""
        return ancestor_code(self.code, DivisionLevel.TOWNSHIP)

    @property
    def county_code(self) -> str:
        """Code of the banner/county/district (旗县市区) the community belongs to."""
        return ancestor_code(self.code, DivisionLevel.COUNTY)

    @property
    def prefecture_code(self) -> str:
        """Code of the league/city (盟市) the community belongs to."""
        return ancestor_code(self.code, DivisionLevel.PREFECTURE)
