"""Projects: facility projects (§2.5–§2.7) and three-society service projects (§1.7, §5.7, §5.8).

A :class:`FacilityProject` is how a county closes a facility gap: a new build, a swap
from another facility, a purchase or a lease (§2.7), or the facilities a new estate or an
old-town renovation includes in its design (§2.6); it adds floor area (of which office
space) to a community, costs money from named sources, settles (or not) the property
rights (§2.5), and has a planned and perhaps an actual completion date.

A :class:`ServiceProject` links a community, a social organisation and professional social
workers (三社联动, §1.7): service products run as projects (§5.8), often bought by the
government (政府购买服务). An :class:`IncubationRecord` is one piece of support a platform
gave an organisation (policy advice, incubation, project matching, training, §5.7); a
:class:`CommunityFoundation` is a community foundation (社区基金会, §5.8).

Amounts of money are :class:`~decimal.Decimal` yuan.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    non_negative_int,
    optional_text,
    text,
    to_date,
    to_decimal,
    to_free_text,
    to_optional_date,
    to_text,
    to_tuple,
    unique_by,
)
from sqfw.entities.divisions import DivisionLevel, ancestor_code, division_code, village_code
from sqfw.entities.facility import CoLocatedService, Facility, FacilityKind, Ownership
from sqfw.errors import InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.privacy import validate_credit_code

__all__ = [
    "CommunityFoundation",
    "FacilityProject",
    "FundingSource",
    "IncubationRecord",
    "IncubationSupport",
    "Provision",
    "ServiceProject",
]


class Provision(LabeledEnum):
    """How a facility is provided (§2.6, §2.7)."""

    NEW_BUILD = "new_build"
    SWAP = "swap"
    PURCHASE = "purchase"
    LEASE = "lease"
    ESTATE_PACKAGE = "estate_package"

    __labels__ = {
        "new_build": ("旗县(区)政府新建", "built by the banner/county (district) government"),
        "swap": ("从其他社区设施调剂置换", "swapped from another community facility"),
        "purchase": ("购买", "purchased"),
        "lease": ("租借", "leased or borrowed"),
        "estate_package": (
            "新建小区或旧城连片改造配套建设",
            "included in a new estate or an old-town renovation",
        ),
    }


class FundingSource(LabeledEnum):
    """Where a project's money comes from."""

    COUNTY_BUDGET = "county_budget"
    HIGHER_BUDGET = "higher_budget"
    WELFARE_LOTTERY = "welfare_lottery"
    GOVERNMENT_PURCHASE = "government_purchase"
    DEVELOPER = "developer"
    FOUNDATION = "foundation"
    DONATION = "donation"
    OTHER = "other"

    __labels__ = {
        "county_budget": ("旗县(区)财政", "banner/county budget"),
        "higher_budget": ("上级财政补助", "grants from higher levels"),
        "welfare_lottery": ("福利彩票公益金", "welfare lottery fund"),
        "government_purchase": ("政府购买服务", "government purchase of services"),
        "developer": ("开发建设单位配建", "the estate's developer"),
        "foundation": ("社区基金会", "community foundation"),
        "donation": ("社会捐赠", "donations"),
        "other": ("其他", "other"),
    }


def non_negative_amount(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value < 0:
        fail(instance, attribute, value, "a number ≥ 0")


def positive_amount(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value <= 0:
        fail(instance, attribute, value, "a number > 0")


def _member(kind: type[Any], entity: str, field: str, value: object) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidEntityError(entity, field, str(value)[:40], f"one of {allowed}") from None


def _provision(value: Provision | str) -> Provision:
    found: Provision = _member(Provision, "FacilityProject", "provision", value)
    return found


def _kind(value: FacilityKind | str) -> FacilityKind:
    found: FacilityKind = _member(FacilityKind, "FacilityProject", "kind", value)
    return found


def _ownership(value: Ownership | str) -> Ownership:
    found: Ownership = _member(Ownership, "FacilityProject", "ownership", value)
    return found


def _funding(value: FundingSource | str) -> FundingSource:
    found: FundingSource = _member(FundingSource, "ServiceProject", "funding", value)
    return found


def _sources(value: Iterable[FundingSource | str]) -> tuple[FundingSource, ...]:
    return tuple(_member(FundingSource, "FacilityProject", "funding", v) for v in to_tuple(value))


def _co_located(value: Iterable[CoLocatedService | str]) -> tuple[CoLocatedService, ...]:
    return tuple(
        _member(CoLocatedService, "FacilityProject", "co_located", v) for v in to_tuple(value)
    )


def _non_empty(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        fail(instance, attribute, value, "at least one item")


def _office_within_added(
    instance: FacilityProject, attribute: attrs.Attribute[Any], value: Decimal
) -> None:
    area = instance.area_m2
    if value.is_finite() and area.is_finite() and value > area:
        fail(instance, attribute, value, f"an office area ≤ the area added ({area} m²)")


def _swap_source(
    instance: FacilityProject, attribute: attrs.Attribute[Any], value: str | None
) -> None:
    if instance.provision is Provision.SWAP and value is None:
        fail(instance, attribute, value, "the facility swapped from (provision 'swap', §2.7)")
    if instance.provision is not Provision.SWAP and value is not None:
        fail(instance, attribute, value, "None unless the provision is 'swap'")


def _not_before_start(
    start: str,
) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: pendulum.Date | None
    ) -> None:
        first = getattr(instance, start)
        if value is not None and first is not None and value < first:
            fail(instance, attribute, value, f"a date on or after {start} ({first})")

    return check


@attrs.frozen(kw_only=True, field_transformer=explained)
class FacilityProject:
    """A project that provides community service facility space (§2.5–§2.7).

    Attributes:
        id: the project's identifier.
        community_code: the community it serves.
        name: what it is called.
        provision: a :class:`Provision` (§2.7; ``estate_package`` for §2.6).
        area_m2: the floor area it adds (> 0).
        office_area_m2: of which office space (counts against §2.14's share).
        kind: the kind of facility it provides (only a comprehensive facility counts for
            the facility-area norm of §2.1, §2.12, §2.13).
        cost_yuan: its cost.
        funding: where the money comes from (at least one source).
        ownership: who holds the property rights once provided (§2.5); ``unsettled``
            until they are.
        co_located: services planned together with it (§2.5).
        swapped_from: the facility it is swapped from (``swap`` only).
        planned_completion: when it is to be completed.
        actual_completion: when it was completed, once it was.
        barrier_free: whether what is provided meets the barrier-free standard (§2.4).

    Raises:
        InvalidEntityError: a code that is not a community's, an area that is not
            positive, an office above the area, no funding source, a swap without its
            source (or a source for what is not a swap).
    """

    id: str = attrs.field(validator=identifier)
    community_code: str = attrs.field(validator=village_code)
    name: str = attrs.field(converter=to_text, validator=text(100))
    provision: Provision = attrs.field(converter=_provision)
    area_m2: Decimal = attrs.field(converter=to_decimal, validator=positive_amount)
    office_area_m2: Decimal = attrs.field(
        default=Decimal(0),
        converter=to_decimal,
        validator=[non_negative_amount, _office_within_added],
    )
    kind: FacilityKind = attrs.field(default=FacilityKind.COMPREHENSIVE, converter=_kind)
    cost_yuan: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=non_negative_amount
    )
    funding: tuple[FundingSource, ...] = attrs.field(
        default=(FundingSource.COUNTY_BUDGET,),
        converter=_sources,
        validator=[_non_empty, unique_by(lambda s: s, "source")],
    )
    ownership: Ownership = attrs.field(default=Ownership.UNSETTLED, converter=_ownership)
    co_located: tuple[CoLocatedService, ...] = attrs.field(
        default=(), converter=_co_located, validator=unique_by(lambda s: s, "service")
    )
    swapped_from: str | None = attrs.field(default=None, validator=_swap_source)
    planned_completion: pendulum.Date = attrs.field(converter=to_date)
    actual_completion: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    barrier_free: bool = True

    @property
    def county_code(self) -> str:
        """The banner/county that runs the project (§2.7)."""
        return ancestor_code(self.community_code, DivisionLevel.COUNTY)

    @property
    def rights_settled(self) -> bool:
        """Whether its property rights are settled (§2.5)."""
        return self.ownership is not Ownership.UNSETTLED

    def completion(self, *, delay_years: int = 0) -> pendulum.Date:
        """When it completes: the actual date if known, else the plan plus any delay."""
        if self.actual_completion is not None and delay_years == 0:
            return self.actual_completion
        return self.planned_completion.add(years=delay_years)

    def late_by_days(self) -> int | None:
        """Days between the planned and the actual completion (negative if early)."""
        if self.actual_completion is None:
            return None
        return (self.actual_completion - self.planned_completion).in_days()

    def as_facility(self) -> Facility:
        """The facility it provides, as the community's facility list holds it."""
        return Facility(
            id=self.id,
            kind=self.kind,
            total_area_m2=self.area_m2,
            office_area_m2=self.office_area_m2,
            barrier_free=self.barrier_free,
            ownership=self.ownership,
            co_located=self.co_located,
            name=self.name,
        )


class IncubationSupport(LabeledEnum):
    """What a platform gives a social organisation (§5.7)."""

    POLICY_ADVICE = "policy_advice"
    INCUBATION = "incubation"
    PROJECT_MATCHING = "project_matching"
    TRAINING = "training"
    VENUE = "venue"
    OPERATIONS = "operations"

    __labels__ = {
        "policy_advice": ("政策咨询", "policy advice"),
        "incubation": ("孵化培育", "incubation"),
        "project_matching": ("项目对接", "project matching"),
        "training": ("专业培训", "professional training"),
        "venue": ("活动场地", "venue"),
        "operations": ("日常运作", "help with operations"),
    }


def _supports(value: Iterable[IncubationSupport | str]) -> tuple[IncubationSupport, ...]:
    return tuple(
        _member(IncubationSupport, "IncubationRecord", "support", v) for v in to_tuple(value)
    )


def _outputs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(to_tuple(value))


def _texts(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > 200:
            fail(instance, attribute, item, "non-blank texts of at most 200 characters")


@attrs.frozen(kw_only=True, field_transformer=explained)
class ServiceProject:
    """A community service project run by a social organisation with social workers.

    Attributes:
        id: the project's identifier.
        title: what it is.
        community_code: the community it serves.
        organization_id: the social organisation that runs it.
        social_workers: professional social workers on it (社会工作专业人才).
        funding: its funding source; ``government_purchase`` for services the government
            buys (§5.9, §5.8).
        amount_yuan: its budget.
        start: the first day.
        end: the last day; not before ``start``.
        beneficiaries: people served, once counted.
        outputs: what it delivered (activities, services, reports).

    A project with a community, an organisation and at least one social worker is the
    plan's three-society linkage (:attr:`links_three_societies`, §1.7).
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(converter=to_text, validator=text(200))
    community_code: str = attrs.field(validator=division_code)
    organization_id: str = attrs.field(validator=identifier)
    social_workers: int = attrs.field(default=0, validator=non_negative_int)
    funding: FundingSource = attrs.field(
        default=FundingSource.GOVERNMENT_PURCHASE, converter=_funding
    )
    amount_yuan: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=non_negative_amount
    )
    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_not_before_start("start")
    )
    beneficiaries: int | None = attrs.field(default=None, validator=non_negative_int)
    outputs: tuple[str, ...] = attrs.field(default=(), converter=_outputs, validator=_texts)

    @property
    def links_three_societies(self) -> bool:
        """A community, a social organisation and professional social work together (§1.7)."""
        return self.social_workers > 0

    def active_on(self, on: pendulum.Date) -> bool:
        """Whether the project runs on ``on`` (both ends included)."""
        return self.start <= on and (self.end is None or on <= self.end)


@attrs.frozen(kw_only=True, field_transformer=explained)
class IncubationRecord:
    """Support a platform gave a social organisation on a day (§5.7).

    Attributes:
        id: the record's identifier.
        organization_id: the organisation supported.
        community_code: the community it works in.
        on: the day.
        support: what was given (at least one kind).
        platform: who gave it (an incubation centre, the street's platform).
        matched_project_id: the project it was matched with (``project_matching``).
    """

    id: str = attrs.field(validator=identifier)
    organization_id: str = attrs.field(validator=identifier)
    community_code: str = attrs.field(validator=division_code)
    on: pendulum.Date = attrs.field(converter=to_date)
    support: tuple[IncubationSupport, ...] = attrs.field(
        converter=_supports, validator=[_non_empty, unique_by(lambda s: s, "support")]
    )
    platform: str = attrs.field(converter=to_text, validator=text(100))
    matched_project_id: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(identifier)
    )

    def __attrs_post_init__(self) -> None:
        if self.matched_project_id is not None and (
            IncubationSupport.PROJECT_MATCHING not in self.support
        ):
            fail(
                self,
                attrs.fields(IncubationRecord).matched_project_id,
                self.matched_project_id,
                "None unless the support includes 'project_matching'",
            )


def _credit_code(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    try:
        validate_credit_code(value)
    except (TypeError, ValueError):
        fail(instance, attribute, value, "a valid GB 32100 unified social credit code")


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(to_tuple(value))


def _each_code(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for code in value:
        division_code(instance, attribute, code)


@attrs.frozen(kw_only=True, field_transformer=explained)
class CommunityFoundation:
    """A community foundation (社区基金会, §5.8).

    Attributes:
        id: its identifier.
        name: its name.
        county_code: the banner/county (or street) where it is registered.
        founded_on: the day it was founded.
        endowment_yuan: its founding endowment.
        serves: the communities it funds.
        credit_code: its unified social credit code, once registered.
        note: an optional remark.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(converter=to_text, validator=text(100))
    county_code: str = attrs.field(validator=division_code)
    founded_on: pendulum.Date = attrs.field(converter=to_date)
    endowment_yuan: Decimal = attrs.field(
        default=Decimal(0), converter=to_decimal, validator=non_negative_amount
    )
    serves: tuple[str, ...] = attrs.field(
        default=(), converter=_codes, validator=[_each_code, unique_by(lambda c: c, "code")]
    )
    credit_code: str | None = attrs.field(default=None, validator=_credit_code)
    note: str | None = attrs.field(
        default=None, converter=to_free_text, validator=optional_text(500)
    )
