"""Run every per-community norm on one community.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import pendulum

from sqfw.calculators._result import Result
from sqfw.calculators.barrier_free import barrier_free
from sqfw.calculators.facility_area import Rounding, facility_area
from sqfw.calculators.office_share import office_share
from sqfw.calculators.volunteer_ratio import volunteer_ratio
from sqfw.entities import Community
from sqfw.standards import Standards

__all__ = ["PER_COMMUNITY_NORMS", "assess_community"]

PER_COMMUNITY_NORMS = ("facility_area", "office_share", "barrier_free", "volunteer_ratio")
"""The names of the per-community calculators :func:`assess_community` runs, in order."""


def assess_community(
    community: Community,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
    rounding: Rounding = Rounding.PRO_RATA,
) -> tuple[Result, ...]:
    """Results of §2.1/§2.12/§2.13, §2.14, §2.4 and §5.11 for one community.

    Args:
        community: the community.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).
        rounding: the §2.1 per-100-households option.

    Returns:
        One :class:`Result` per norm, in the order of :data:`PER_COMMUNITY_NORMS`.
    """
    return (
        facility_area(community, on=on, standards=standards, rounding=rounding),
        office_share(community, on=on, standards=standards),
        barrier_free(community, on=on, standards=standards),
        volunteer_ratio(community, on=on, standards=standards),
    )
