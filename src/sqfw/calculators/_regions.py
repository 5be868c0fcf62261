"""Region-level calculators accept either a sequence of entities or a :class:`Region`."""

from __future__ import annotations

from collections.abc import Sequence

from sqfw._args import expect_items
from sqfw.entities import Committee, Community, Division, DivisionKind, DivisionLevel, Region

__all__ = ["committees_of", "communities_of", "counties_of", "streets_of"]


def counties_of(source: Sequence[Division] | Region) -> list[Division]:
    """Banner/county-level divisions (旗县市区)."""
    if isinstance(source, Region):
        return list(source.divisions_at(DivisionLevel.COUNTY))
    return [
        d for d in expect_items("divisions", source, Division) if d.level is DivisionLevel.COUNTY
    ]


def streets_of(source: Sequence[Division] | Region) -> list[Division]:
    """Streets (街道): the divisions §2.10/§2.11 set the public service hall for."""
    divisions = (
        source.divisions_at(DivisionLevel.TOWNSHIP)
        if isinstance(source, Region)
        else expect_items("divisions", source, Division)
    )
    return [d for d in divisions if d.kind is DivisionKind.STREET]


def communities_of(source: Sequence[Community] | Region) -> list[Community]:
    """The communities."""
    if isinstance(source, Region):
        return list(source.communities)
    return list(expect_items("communities", source, Community))


def committees_of(source: Sequence[Committee] | Sequence[Community] | Region) -> list[Committee]:
    """Committees, read from communities (or a region) when those are given."""
    items = (
        source.communities
        if isinstance(source, Region)
        else expect_items("committees", source, Committee | Community)
    )
    found: list[Committee] = []
    for item in items:
        if isinstance(item, Community):
            if item.committee is not None:
                found.append(item.committee)
        else:
            found.append(item)
    return found
