"""Owners' committees (业主委员会) and their joint meetings with the residents' committee (§1.5).

The plan asks owners' committees and other self-governing groups to interact with the
residents' committee. An :class:`OwnersCommittee` is one estate's committee: its members
(names are masked personal data), its term, and its filing with the street office; a
:class:`JointMeeting` is one meeting it held with the community's residents' committee.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    explained,
    fail,
    identifier,
    text,
    to_date,
    to_name,
    to_optional_date,
    to_text,
    to_tuple,
)
from sqfw.entities.divisions import DivisionLevel, division_code, division_level, village_code
from sqfw.privacy import PersonName

__all__ = ["JointMeeting", "OwnersCommittee"]


def _members(value: Iterable[PersonName | str]) -> tuple[PersonName, ...]:
    return tuple(to_name(v) for v in to_tuple(value))


def _at_least_one(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    if not value:
        fail(instance, attribute, value, "at least one member")


def _after(start: str) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: pendulum.Date | None
    ) -> None:
        first = getattr(instance, start)
        if value is not None and value < first:
            fail(instance, attribute, value, f"a date on or after {start} ({first})")

    return check


def _street(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    division_code(instance, attribute, value)
    if division_level(value) is not DivisionLevel.TOWNSHIP:
        fail(instance, attribute, value, "a street/township code")


@attrs.frozen(kw_only=True, field_transformer=explained)
class OwnersCommittee:
    """An estate's owners' committee (业主委员会, §1.5).

    Attributes:
        id: its identifier.
        estate: the residential estate (小区) it serves.
        community_code: the community the estate lies in.
        members: its members (masked names; at least one).
        term_start: the first day of its term.
        term_end: the last day of its term, if fixed.
        filed_with: the street office it is filed with (备案), once filed.
        filed_on: the day of filing.
    """

    id: str = attrs.field(validator=identifier)
    estate: str = attrs.field(converter=to_text, validator=text(100))
    community_code: str = attrs.field(validator=village_code)
    members: tuple[PersonName, ...] = attrs.field(converter=_members, validator=_at_least_one)
    term_start: pendulum.Date = attrs.field(converter=to_date)
    term_end: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_after("term_start")
    )
    filed_with: str | None = attrs.field(default=None, validator=_street)
    filed_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)

    def __attrs_post_init__(self) -> None:
        if (self.filed_with is None) != (self.filed_on is None):
            fail(
                self,
                attrs.fields(OwnersCommittee).filed_on,
                self.filed_on,
                "filed_with and filed_on given together",
            )

    @property
    def filed(self) -> bool:
        """Filed with the street office."""
        return self.filed_with is not None

    def in_term(self, on: pendulum.Date) -> bool:
        """Whether ``on`` falls in its term (both ends included)."""
        return self.term_start <= on and (self.term_end is None or on <= self.term_end)


def _topics(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(to_tuple(value))


@attrs.frozen(kw_only=True, field_transformer=explained)
class JointMeeting:
    """A meeting of an owners' committee with the residents' committee (§1.5).

    Attributes:
        id: its identifier.
        owners_committee_id: the owners' committee.
        community_code: the community whose residents' committee met it.
        on: the day.
        topics: what was discussed.
        with_property_company: the property company took part (§4.6).
    """

    id: str = attrs.field(validator=identifier)
    owners_committee_id: str = attrs.field(validator=identifier)
    community_code: str = attrs.field(validator=division_code)
    on: pendulum.Date = attrs.field(converter=to_date)
    topics: tuple[str, ...] = attrs.field(default=(), converter=_topics)
    with_property_company: bool = False
