"""The residents' (villagers') committee and its members (§1.1–§1.3).

A committee is elected for a numbered term (the plan's 10th general election is
``term=10``), by one of three methods (§1.2): direct election by all voters, by household
representatives, or by residents' group representatives. Members may be community police
officers or heads of social organisations elected onto the committee (§1.3).

Whether a committee meets the organic laws (its size, women among its members) is a
finding of the election calculators, not a construction error.

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
    positive_int,
    to_name,
    to_optional_date,
    to_optional_identity,
    to_optional_phone,
    to_tuple,
    unique_by,
)
from sqfw.labels import LabeledEnum
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

__all__ = [
    "Committee",
    "CommitteeKind",
    "CommitteeMember",
    "ElectionMethod",
    "Gender",
    "MemberRole",
]


class CommitteeKind(LabeledEnum):
    """Urban residents' committee or villagers' (gacha) committee; the organic laws differ."""

    RESIDENTS = "residents"
    VILLAGERS = "villagers"

    __labels__ = {
        "residents": ("社区居民委员会", "residents' committee"),
        "villagers": ("村(嘎查)民委员会", "villagers' committee"),
    }


class ElectionMethod(LabeledEnum):
    """How the committee was elected (§1.2)."""

    DIRECT = "direct"
    HOUSEHOLD_REPRESENTATIVES = "household_representatives"
    GROUP_REPRESENTATIVES = "group_representatives"

    __labels__ = {
        "direct": ("直接选举", "direct election"),
        "household_representatives": ("户代表选举", "election by household representatives"),
        "group_representatives": (
            "居民小组代表选举",
            "election by residents' group representatives",
        ),
    }


class MemberRole(LabeledEnum):
    """A member's office on the committee."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"

    __labels__ = {
        "chair": ("主任", "chair"),
        "vice_chair": ("副主任", "vice-chair"),
        "member": ("委员", "member"),
    }


class Gender(LabeledEnum):
    """Recorded because the organic laws require women among the committee's members."""

    FEMALE = "female"
    MALE = "male"

    __labels__ = {"female": ("女", "female"), "male": ("男", "male")}


@attrs.frozen(kw_only=True, field_transformer=explained)
class CommitteeMember:
    """One member of a committee.

    Personal data (name, identity number, phone) are :mod:`sqfw.privacy` wrappers: masked in
    every ``repr`` and in the default export.

    Attributes:
        id: the member's identifier within the committee.
        name: the member's name (personal data).
        gender: a :class:`Gender`.
        role: chair, vice-chair or member.
        identity_number: optional GB 11643 identity number (personal data).
        phone: optional phone number (personal data).
        is_community_police: a community police officer elected onto the committee (§1.3).
        is_social_org_head: a head of a social organisation elected onto it (§1.3).
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    gender: Gender = attrs.field(converter=Gender)
    role: MemberRole = attrs.field(default=MemberRole.MEMBER, converter=MemberRole)
    identity_number: IdentityNumber | None = attrs.field(
        default=None, converter=to_optional_identity
    )
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    is_community_police: bool = False
    is_social_org_head: bool = False


def _members(value: Iterable[CommitteeMember]) -> tuple[CommitteeMember, ...]:
    return to_tuple(value, CommitteeMember)


def _one_chair(
    instance: Committee, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    chairs = [m.id for m in value if m.role is MemberRole.CHAIR]
    if len(chairs) > 1:
        fail(instance, attribute, chairs, "at most one chair")


@attrs.frozen(kw_only=True, field_transformer=explained)
class Committee:
    """A residents' or villagers' committee for one term.

    Attributes:
        term: the term number (第十届 = 10).
        kind: residents' or villagers' committee.
        method: the election method (§1.2).
        members: the members; at most one chair.
        elected_on: the election date, if known.
        elderly_women_children_committee: whether the committee has set up its committee
            for the work of the elderly, women and children (老年人、妇女、儿童工作委员会),
            which the laws as revised on 2025-10-28 add; ``None`` when not known.

    Raises:
        InvalidEntityError: a term below 1, two chairs, or a member id used twice.
    """

    term: int = attrs.field(validator=positive_int)
    kind: CommitteeKind = attrs.field(converter=CommitteeKind)
    method: ElectionMethod = attrs.field(converter=ElectionMethod)
    members: tuple[CommitteeMember, ...] = attrs.field(
        default=(),
        converter=_members,
        validator=[unique_by(lambda m: m.id, "member id"), _one_chair],
    )
    elected_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    elderly_women_children_committee: bool | None = None

    @property
    def is_direct(self) -> bool:
        """Elected directly by all registered voters (§1.2, §1.4)."""
        return self.method is ElectionMethod.DIRECT

    @property
    def women(self) -> int:
        """Number of women among the members."""
        return sum(1 for m in self.members if m.gender is Gender.FEMALE)
