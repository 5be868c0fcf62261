"""A region: the divisions and communities an assessment looks at together.

A :class:`Region` is the top-level document of a region assessment: a root division (an
autonomous region, a league or a banner), the divisions below it, its communities and,
optionally, its community workers, social organisations and volunteers. Construction
checks that everything lies inside the root and that codes are unique; it does not check
the plan's norms.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from sqfw._fields import explained, fail, to_tuple, unique_by
from sqfw.entities.community import Community
from sqfw.entities.divisions import Division, DivisionLevel, code_prefix
from sqfw.entities.organization import SocialOrganization
from sqfw.entities.volunteer import Volunteer
from sqfw.entities.worker import CommunityWorker

__all__ = ["Region"]


def _divisions(value: Iterable[Division]) -> tuple[Division, ...]:
    return to_tuple(value, Division)


def _communities(value: Iterable[Community]) -> tuple[Community, ...]:
    return to_tuple(value, Community)


def _workers(value: Iterable[CommunityWorker]) -> tuple[CommunityWorker, ...]:
    return to_tuple(value, CommunityWorker)


def _organizations(value: Iterable[SocialOrganization]) -> tuple[SocialOrganization, ...]:
    return to_tuple(value, SocialOrganization)


def _volunteers(value: Iterable[Volunteer]) -> tuple[Volunteer, ...]:
    return to_tuple(value, Volunteer)


def _division(instance: Region, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Division):
        fail(instance, attribute, value, "a Division")


def _inside_root(instance: Region, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    prefix = code_prefix(instance.root.code)
    for item in value:
        code = str(getattr(item, "code", None) or getattr(item, "community_code", ""))
        if not code.startswith(prefix):
            fail(instance, attribute, code, f"codes inside {instance.root.code} ({prefix}…)")


def _affiliated_inside_root(
    instance: Region, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    """Each worker, organisation or volunteer names a community (or street) of the region."""
    prefix = code_prefix(instance.root.code)
    for item in value:
        if not item.community_code.startswith(prefix):
            fail(
                instance,
                attribute,
                item.community_code,
                f"a community inside {instance.root.code} {instance.root.name} ({prefix}…) "
                f"for {type(item).__name__} {item.id!r}",
            )


@attrs.frozen(kw_only=True, field_transformer=explained)
class Region:
    """A root division and everything below it that an assessment reads.

    Attributes:
        root: the division the region is (e.g. 内蒙古自治区, ``150000000000``).
        divisions: divisions below the root (leagues, banners, streets …); codes unique.
        communities: communities inside the root; codes unique.
        workers: professional community workers (§5.1–§5.4), each serving a community
            (or street) inside the root.
        organizations: community social organisations (§5.6), each of a community inside
            the root.
        volunteers: registered volunteers with their ledgers (§5.10), each registered
            with a community inside the root.

    Raises:
        InvalidEntityError: a code outside the root (a division's, a community's, or the
            community a worker, organisation or volunteer names), or a code used twice.
    """

    root: Division = attrs.field(validator=_division)
    divisions: tuple[Division, ...] = attrs.field(
        default=(),
        converter=_divisions,
        validator=[unique_by(lambda d: d.code, "division code"), _inside_root],
    )
    communities: tuple[Community, ...] = attrs.field(
        default=(),
        converter=_communities,
        validator=[unique_by(lambda c: c.code, "community code"), _inside_root],
    )
    workers: tuple[CommunityWorker, ...] = attrs.field(
        default=(),
        converter=_workers,
        validator=[unique_by(lambda w: w.id, "worker id"), _affiliated_inside_root],
    )
    organizations: tuple[SocialOrganization, ...] = attrs.field(
        default=(),
        converter=_organizations,
        validator=[unique_by(lambda o: o.id, "organization id"), _affiliated_inside_root],
    )
    volunteers: tuple[Volunteer, ...] = attrs.field(
        default=(),
        converter=_volunteers,
        validator=[unique_by(lambda v: v.id, "volunteer id"), _affiliated_inside_root],
    )

    def divisions_at(self, level: DivisionLevel) -> tuple[Division, ...]:
        """The region's divisions at ``level`` (the root included when it is at that level)."""
        found = tuple(d for d in self.divisions if d.level is level)
        return (self.root, *found) if self.root.level is level else found
