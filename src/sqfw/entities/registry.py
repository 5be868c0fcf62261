"""A region's volunteer registry counted into §5.11: the one rule of "registered volunteers".

§5.11 compares a community's registered volunteers (社区志愿者注册人数) with its resident
population. The figure reaches sqfw in two ways: a table's column (注册志愿者人数, the
``registered_volunteers`` of a :class:`~sqfw.entities.Community`), or a region's registry
of :class:`~sqfw.entities.Volunteer` records (:attr:`Region.volunteers
<sqfw.entities.Region.volunteers>`). :func:`registered_volunteers` is the one rule that
gives the figure either way; the community data model's ``volunteers`` column reads
through it, and :func:`with_registry_counts` fills each community's figure from the
registry with it, so a region assessed from its registry and the same region read from a
table get the same verdicts.

Who counts: a volunteer registered with the community's own code (志愿者注册, 《志愿服务
条例》第七条), registered on or before the date asked about. A volunteer registered with a
street (or another division) is no community's volunteer and counts for none.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import attrs
import pendulum

from sqfw._args import expect, expect_items
from sqfw.entities.community import Community
from sqfw.entities.region import Region
from sqfw.entities.volunteer import Volunteer
from sqfw.errors import InvalidArgumentError, RegistryMismatch
from sqfw.periods import as_date

__all__ = ["registered_volunteers", "with_registry_counts"]


def _on(value: object) -> pendulum.Date | None:
    if value is None:
        return None
    try:
        return as_date(value, argument="on")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidArgumentError("on", value, "a date (YYYY-MM-DD) or None") from None


def registered_volunteers(
    community: Community,
    registry: Iterable[Volunteer] | None = None,
    *,
    on: pendulum.Date | str | None = None,
) -> int | None:
    """A community's registered volunteers (§5.10, §5.11): the one rule.

    Args:
        community: the community.
        registry: the volunteer registry to count from; ``None``: the figure the
            community states (``registered_volunteers``, a table's column).
        on: count volunteers registered on or before this date (default: every
            volunteer on the registry). Only with a registry.

    Returns:
        The count of the registry's volunteers registered with ``community``'s code (on
        or before ``on``); without a registry, the stated figure (``None``: unknown).

    Raises:
        InvalidArgumentError: ``community`` is not a Community, ``registry`` not an
            iterable of Volunteer, ``on`` not a date, or ``on`` without a registry.

    .. versionadded:: 0.1.0
    """
    expect("community", community, Community)
    when = _on(on)
    if registry is None:
        if when is not None:
            raise InvalidArgumentError("on", on, "None when no registry is given")
        return community.registered_volunteers
    volunteers = expect_items("registry", registry, Volunteer)
    return sum(
        1
        for v in volunteers
        if v.community_code == community.code and (when is None or v.registered_on <= when)
    )


def with_registry_counts(
    region: Region,
    *,
    on: pendulum.Date | str | None = None,
    replace: bool = False,
) -> Region:
    """The region with each community's registered volunteers counted from its registry.

    Every community's ``registered_volunteers`` becomes :func:`registered_volunteers`
    of the region's :attr:`~sqfw.entities.Region.volunteers` (0 for a community no one
    is registered with), so that :func:`sqfw.analysis.assess` and the per-community
    check count the registry into §5.11.

    Args:
        region: the region with its registry.
        on: count volunteers registered on or before this date (default: all).
        replace: replace a figure a community states that differs from its count;
            by default such a figure is refused.

    Returns:
        A new :class:`~sqfw.entities.Region`; nothing else changes.

    Raises:
        RegistryMismatch: a community states a figure its registry does not give (and
            ``replace`` is false).
        InvalidArgumentError: ``region`` is not a Region, ``on`` not a date.

    .. versionadded:: 0.1.0
    """
    expect("region", region, Region)
    expect("replace", replace, bool)
    _on(on)
    by_code: defaultdict[str, list[Volunteer]] = defaultdict(list)
    for volunteer in region.volunteers:  # grouped once; the rule still checks each code
        by_code[volunteer.community_code].append(volunteer)
    communities = []
    for community in region.communities:
        # a registry always gives a count (never None)
        counted = registered_volunteers(community, by_code.get(community.code, ()), on=on) or 0
        stated = community.registered_volunteers
        if stated is not None and stated != counted and not replace:
            raise RegistryMismatch(community.code, stated, counted)
        communities.append(attrs.evolve(community, registered_volunteers=counted))
    return attrs.evolve(region, communities=communities)
