"""EXAMPLE local rules for the processes the plan leaves to streets and counties.

The plan asks streets and townships to write consultation rules (§1.6) and counties to
commend long-serving community workers (§5.5), and practice has grid workers report events
within locally set time limits (§3.5), but the plan gives no figures for any of them: how many
days of notice, what quorum, how many years of service. Those are local rules. sqfw
bundles one example set of them, so the library can be tried out; every value is marked
as an assumption and its note says it is an example.

The set is kept apart from the plans on purpose: a plan of layer ``local`` would be chosen
by :func:`~sqfw.standards.plan_in_force` for every place, which an example must never be.
Layer it over the plan's standards yourself::

    >>> from sqfw.standards import default_standards
    >>> from sqfw.workflows.local_examples import example_local_standards
    >>> std = default_standards().extended(example_local_standards())
    >>> std.value("consultation.notice_days", "2020-06-01")
    7

A host replaces the values with its own (``std.with_overrides({...})``) or loads its own
folder with the same ids (:func:`~sqfw.standards.load_standards`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from importlib import resources

from sqfw.standards import Standards, load_standards

__all__ = ["LOCAL_PARAMETERS", "example_local_standards"]

LOCAL_PARAMETERS: tuple[str, ...] = (
    "consultation.agreement_share",
    "consultation.notice_days",
    "consultation.publish_within_days",
    "consultation.quorum_share",
    "grid_event.dispose_hours",
    "grid_event.review_hours",
    "grid_event.verify_hours",
    "workforce.commendation.service_years",
)
"""The ids a host's local rules give values to (the example set defines each)."""


@functools.cache
def example_local_standards() -> Standards:
    """The EXAMPLE local rules (示例值, not the plan's): consultation, commendation and
    the time limits of grid events.

    Returns:
        A standards set with the ids of :data:`LOCAL_PARAMETERS`, each value marked as an
        assumption whose note says it is an example.
    """
    root = resources.files("sqfw.workflows").joinpath("data").joinpath("local_examples")
    return load_standards(
        root, name="sqfw 示例地方规则 / sqfw example local rules (local_examples)"
    )
