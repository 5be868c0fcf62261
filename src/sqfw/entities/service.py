"""Periods of community work in a worker's records (§5.5).

A worker's file lists the periods they served in community work (in any community, under
any title); :class:`ServicePeriod` is one of them. Their total is what §5.5's commendation
of long-serving workers reads (:func:`~sqfw.calculators.commendation.service_years`).

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
    optional_text,
    to_date,
    to_optional_date,
    to_optional_text,
)
from sqfw.entities.divisions import division_code

__all__ = ["ServicePeriod"]


def _not_before_start(
    instance: ServicePeriod, attribute: attrs.Attribute[Any], value: pendulum.Date | None
) -> None:
    if value is not None and value < instance.start:
        fail(instance, attribute, value, f"a last day on or after the start ({instance.start})")


@attrs.frozen(kw_only=True, field_transformer=explained)
class ServicePeriod:
    """One period of community work in a worker's records.

    Attributes:
        worker_id: the worker (:attr:`~sqfw.entities.CommunityWorker.id`).
        community_code: where they served.
        start: the first day.
        end: the last day served (inclusive); ``None`` while serving.
        title: the post, if recorded.
    """

    worker_id: str = attrs.field(validator=identifier)
    community_code: str = attrs.field(validator=division_code)
    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, validator=_not_before_start
    )
    title: str | None = attrs.field(
        default=None, converter=to_optional_text, validator=optional_text(100)
    )
