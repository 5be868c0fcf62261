"""The per-community norms of the plan, and running them all on one community.

:data:`NORMS` is the registry: each per-community norm once, in report order. Everything
that evaluates or reports the per-community norms — the explained check here, the national
assessment, its findings and views — iterates over it.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

import pendulum

from sqfw.calculators._norm import Norm
from sqfw.calculators._result import Result
from sqfw.calculators.barrier_free import BARRIER_FREE
from sqfw.calculators.committee_households import COMMITTEE_HOUSEHOLDS
from sqfw.calculators.facility_area import FACILITY_AREA, Rounding
from sqfw.calculators.office_share import OFFICE_SHARE
from sqfw.calculators.volunteer_ratio import VOLUNTEER_RATIO
from sqfw.entities import Community
from sqfw.errors import NotFoundError
from sqfw.standards import Standards

__all__ = ["NORMS", "PER_COMMUNITY_NORMS", "assess_community", "norm", "norm_options"]

NORMS: tuple[Norm[Any], ...] = (
    FACILITY_AREA,
    OFFICE_SHARE,
    BARRIER_FREE,
    VOLUNTEER_RATIO,
    COMMITTEE_HOUSEHOLDS,
)
"""Every per-community norm, in report order."""

PER_COMMUNITY_NORMS: tuple[str, ...] = tuple(n.id for n in NORMS)
"""The ids of :data:`NORMS`, in order."""

_BY_ID = {n.id: n for n in NORMS}


def norm(norm_id: str) -> Norm[Any]:
    """The per-community norm with this id.

    Raises:
        NotFoundError: no such norm (a ``KeyError``); the message lists the ids.
    """
    found = _BY_ID.get(norm_id) if isinstance(norm_id, str) else None
    if found is None:
        raise NotFoundError("norm", norm_id, "the id of a per-community norm: " + ", ".join(_BY_ID))
    return found


def norm_options(item: Norm[Any], rounding: Rounding | str) -> dict[str, Any]:
    """The user's choices a norm takes (only the facility area takes the §2.1 rounding)."""
    return {"rounding": Rounding(rounding)} if item is FACILITY_AREA else {}


def assess_community(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding | str = Rounding.PRO_RATA,
) -> tuple[Result, ...]:
    """Results of §2.1/§2.12/§2.13, §2.14, §2.4 and §5.11 for one community.

    Args:
        community: the community.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).
        rounding: the §2.1 per-100-households option.

    Returns:
        One :class:`Result` per norm, in the order of :data:`NORMS`.
    """
    return tuple(
        item.check(community, on=on, standards=standards, **norm_options(item, rounding))
        for item in NORMS
    )
