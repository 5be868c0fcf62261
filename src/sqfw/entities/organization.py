"""Community social organisations and their filing data (§5.6–§5.9).

The plan files (备案) community social organisations of the service, public-benefit and
mutual-aid kinds that do not meet the conditions for registration (登记). The filing
workflow decides between filing and referral to registration; this module holds the
facts a filing form asks for.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

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
    to_free_text,
    to_name,
    to_optional_date,
    to_optional_phone,
    to_text,
)
from sqfw.entities.divisions import division_code
from sqfw.labels import LabeledEnum
from sqfw.privacy import PersonName, PhoneNumber, validate_credit_code

__all__ = ["OrganizationKind", "SocialOrganization"]


class OrganizationKind(LabeledEnum):
    """What a community social organisation does (§5.6, §5.9)."""

    SERVICE = "service"
    PUBLIC_BENEFIT = "public_benefit"
    MUTUAL_AID = "mutual_aid"
    VOLUNTEER = "volunteer"
    CULTURE_SPORT = "culture_sport"
    OTHER = "other"

    __labels__ = {
        "service": ("生活服务类", "service"),
        "public_benefit": ("公益慈善类", "public benefit"),
        "mutual_aid": ("居民互助类", "mutual aid"),
        "volunteer": ("志愿服务类", "volunteer service"),
        "culture_sport": ("文体活动类", "culture and sport"),
        "other": ("其他", "other"),
    }

    @property
    def fileable(self) -> bool:
        """One of the three kinds §5.6 names for filing instead of registration."""
        return self in (
            OrganizationKind.SERVICE,
            OrganizationKind.PUBLIC_BENEFIT,
            OrganizationKind.MUTUAL_AID,
        )


def _credit_code(value: str | None) -> str | None:
    return None if value is None else value.strip().upper()


def _valid_credit_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    try:
        validate_credit_code(str(value))
    except ValueError:
        fail(instance, attribute, value, "an 18-character unified social credit code (GB 32100)")


@attrs.frozen(kw_only=True, field_transformer=explained)
class SocialOrganization:
    """A community social organisation as its filing form describes it.

    Attributes:
        id: the organisation's identifier.
        name: its name.
        kind: an :class:`OrganizationKind`.
        community_code: the community (12-digit code) it serves and is filed with.
        responsible_person: the person in charge (personal data, masked).
        responsible_phone: their phone (personal data, masked); optional.
        members: number of members, if known.
        credit_code: unified social credit code (统一社会信用代码) when it has one; checked
            with python-stdnum.
        meets_registration_conditions: whether it meets the conditions for registration
            with civil affairs (then it registers rather than files, §5.6); ``None`` unknown.
        founded_on: the founding date, if known.
        purpose: a short statement of purpose.

    Raises:
        InvalidEntityError: a malformed code, credit code or name.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(converter=to_text, validator=text(100))
    kind: OrganizationKind = attrs.field(converter=OrganizationKind)
    community_code: str = attrs.field(validator=division_code)
    responsible_person: PersonName = attrs.field(converter=to_name)
    responsible_phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)
    members: int | None = attrs.field(default=None, validator=non_negative_int)
    credit_code: str | None = attrs.field(
        default=None, converter=_credit_code, validator=_valid_credit_code
    )
    meets_registration_conditions: bool | None = None
    founded_on: pendulum.Date | None = attrs.field(default=None, converter=to_optional_date)
    purpose: str | None = attrs.field(
        default=None, converter=to_free_text, validator=optional_text(500)
    )
