"""Communities as the columns the norm kernels read: the one reading of an entity.

A national dataset keeps these columns for every community; the explained check of one
community builds them for that community alone, so both evaluations read the same facts
the same way. Unknown numbers are ``NaN``; unknown yes/no facts are ``-1``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqfw._args import expect
from sqfw.entities import CommitteeKind, Community, CommunityKind, FacilityKind

__all__ = [
    "ABSENT_MEANS",
    "COMMUNITY_COLUMNS",
    "COMMUNITY_KINDS",
    "UNKNOWN_FLAG",
    "community_columns",
]

COMMUNITY_KINDS: tuple[CommunityKind, ...] = tuple(CommunityKind)
"""Community kinds in column order: the ``kind`` column holds an index into this tuple."""

UNKNOWN_FLAG = -1
"""The value of a yes/no column when the fact is not known."""

COMMUNITY_COLUMNS: tuple[str, ...] = (
    "kind",
    "households",
    "residents",
    "floating",
    "volunteers",
    "area",
    "office",
    "facilities",
    "barrier_free_yes",
    "barrier_free_no",
    "new_or_renovated",
    "direct",
    "smart_infrastructure",
    "smart_sharing",
    "smart_online",
    "set_up_as_needed",
    "activity",
    "self_service",
    "floor_area",
    "commercial_area",
)
"""The numeric community columns, in the order :func:`community_columns` gives them."""

ABSENT_MEANS: dict[str, float] = {"set_up_as_needed": 0}
"""What a column a region dataset does not carry stands for on every row (tables do not
yet carry the urban law's "as actually needed" flag: every committee is held to the
households range)."""


def _number(value: int | Decimal | None) -> float:
    return math.nan if value is None else float(value)


def _flag(value: bool | None) -> int:
    return UNKNOWN_FLAG if value is None else int(value)


def community_values(community: Community) -> tuple[Any, ...]:
    """One community's values in the order of :data:`COMMUNITY_COLUMNS`.

    The facility area (§2.1) and office area (§2.14) are the sums over the comprehensive
    facilities; §2.4 counts every facility with a floor area, barrier-free or not, or not
    surveyed; the direct-election flag is that of a residents' committee (-1 for none); the
    residents' activity area is that of the comprehensive facilities, known when each of
    them gives it.

    Raises:
        InvalidArgumentError: ``community`` is not a :class:`~sqfw.entities.Community`.
    """
    expect("community", community, Community)
    area = Decimal(0)
    office = Decimal(0)
    activity: Decimal | None = Decimal(0)
    yes = no = count = 0
    for f in community.facilities:
        if f.kind is FacilityKind.COMPREHENSIVE:
            area += f.total_area_m2
            office += f.office_area_m2
            # known only when every comprehensive facility says it
            activity = (
                None
                if activity is None or f.activity_area_m2 is None
                else (activity + f.activity_area_m2)
            )
        if f.total_area_m2 > 0:
            count += 1
            if f.barrier_free is True:
                yes += 1
            elif f.barrier_free is False:
                no += 1
    committee = community.committee
    direct = (
        UNKNOWN_FLAG
        if committee is None or committee.kind is not CommitteeKind.RESIDENTS
        else int(committee.is_direct)
    )
    smart = community.smart
    return (
        COMMUNITY_KINDS.index(community.kind),
        _number(community.households),
        _number(community.resident_population),
        _number(community.floating_population),
        _number(community.registered_volunteers),
        float(area),
        float(office),
        count,
        yes,
        no,
        int(community.new_or_renovated),
        direct,
        _flag(smart.infrastructure),
        _flag(smart.platform_sharing),
        _flag(smart.online_convenience),
        int(community.set_up_as_needed),
        _number(activity if area > 0 else None),
        _flag(community.self_service_terminal),
        _number(community.floor_area_m2),
        _number(community.commercial_service_area_m2),
    )


def community_columns(communities: Iterable[Community]) -> dict[str, list[Any]]:
    """The columns of :data:`COMMUNITY_COLUMNS` for ``communities``, as lists."""
    rows = [community_values(c) for c in communities]
    return {name: [row[i] for row in rows] for i, name in enumerate(COMMUNITY_COLUMNS)}
