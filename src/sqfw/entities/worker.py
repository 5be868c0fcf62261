"""Professional community workers, their education and training (§5.1–§5.5).

§5.3 counts workers with an associate degree (大专) or above; §5.4 asks that every worker
trains at least once during a term. :class:`CommunityWorker` records the education level,
the term and the training attended; the workforce calculators read them.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from sqfw._fields import (
    duration_hours,
    explained,
    fail,
    identifier,
    text,
    to_date,
    to_name,
    to_optional_date,
    to_optional_decimal,
    to_optional_identity,
    to_optional_phone,
    to_text,
    to_tuple,
    unique_by,
)
from sqfw.entities.divisions import division_code
from sqfw.labels import LabeledEnum
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

__all__ = ["CommunityWorker", "EducationLevel", "TrainingRecord"]

_RANK = {
    "junior_secondary_or_below": 0,
    "senior_secondary": 1,
    "associate": 2,
    "bachelor": 3,
    "postgraduate": 4,
}


class EducationLevel(LabeledEnum):
    """Highest completed education, ordered from lowest to highest (§5.3)."""

    JUNIOR_SECONDARY_OR_BELOW = "junior_secondary_or_below"
    SENIOR_SECONDARY = "senior_secondary"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    POSTGRADUATE = "postgraduate"

    __labels__ = {
        "junior_secondary_or_below": ("初中及以下", "junior secondary or below"),
        "senior_secondary": ("高中(中专)", "senior secondary"),
        "associate": ("大专", "associate degree"),
        "bachelor": ("本科", "bachelor's degree"),
        "postgraduate": ("研究生", "postgraduate"),
    }

    @property
    def rank(self) -> int:
        """Position in the order (0 = lowest)."""
        return _RANK[self.value]

    @property
    def associate_or_above(self) -> bool:
        """大专以上文化程度 (§5.3)."""
        return self.rank >= _RANK["associate"]


@attrs.frozen(kw_only=True, field_transformer=explained)
class TrainingRecord:
    """One training a worker attended (§5.1, §5.4).

    Attributes:
        id: the record's identifier within the worker's file.
        on: the date the training ended.
        title: what the training was.
        hours: its length in hours, if recorded.
    """

    id: str = attrs.field(validator=identifier)
    on: pendulum.Date = attrs.field(converter=to_date)
    title: str = attrs.field(converter=to_text, validator=text(200))
    hours: Decimal | None = attrs.field(
        default=None,
        converter=to_optional_decimal,
        validator=attrs.validators.optional(duration_hours),
    )


def _trainings(value: Iterable[TrainingRecord]) -> tuple[TrainingRecord, ...]:
    return to_tuple(value, TrainingRecord)


def _term_end_after_start(
    instance: CommunityWorker, attribute: attrs.Attribute[Any], value: pendulum.Date | None
) -> None:
    if value is not None and value < instance.term_start:
        start = instance.term_start
        fail(instance, attribute, value, f"a term end on or after the start ({start})")


@attrs.frozen(kw_only=True, field_transformer=explained)
class CommunityWorker:
    """A professional community worker (社区专职工作人员).

    Attributes:
        id: the worker's identifier.
        name: the worker's name (personal data, masked).
        community_code: the community (or street) the worker serves.
        education: highest completed :class:`EducationLevel`.
        term_start: start of the current term of service.
        term_end: its end, if fixed; not before the start.
        trainings: training attended; ids unique.
        full_time: employed full-time in community work.
        identity_number: optional identity number (personal data, masked).
        phone: optional phone (personal data, masked).
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(converter=to_name)
    community_code: str = attrs.field(validator=division_code)
    education: EducationLevel = attrs.field(converter=EducationLevel)
    term_start: pendulum.Date = attrs.field(converter=to_date)
    term_end: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_term_end_after_start
    )
    trainings: tuple[TrainingRecord, ...] = attrs.field(
        default=(), converter=_trainings, validator=unique_by(lambda t: t.id, "training id")
    )
    full_time: bool = True
    identity_number: IdentityNumber | None = attrs.field(
        default=None, converter=to_optional_identity
    )
    phone: PhoneNumber | None = attrs.field(default=None, converter=to_optional_phone)

    def trainings_in_term(self) -> int:
        """Trainings attended between ``term_start`` and ``term_end`` (inclusive)."""
        return sum(
            1
            for t in self.trainings
            if t.on >= self.term_start and (self.term_end is None or t.on <= self.term_end)
        )
