"""Region-level calculators accept either a sequence of entities or a :class:`Region`."""

from __future__ import annotations

from collections.abc import Sequence

from sqfw._args import expect_items
from sqfw.entities import Committee, Community, Division, DivisionKind, DivisionLevel, Region
from sqfw.entities.divisions import ancestor_code, division_kind, division_level

__all__ = ["committees_of", "communities_of", "counties_of", "streets_of"]


def _listed_or_implied(source: Region, level: DivisionLevel, inside: list[str]) -> list[Division]:
    """The divisions at ``level`` that ``inside`` codes lie in, as the region's dataset
    has them: as listed, or, known only by code, named by their code with the kind their
    code says (:func:`~sqfw.entities.divisions.division_kind`)."""
    known = {d.code: d for d in (source.root, *source.divisions)}
    return [
        known.get(code) or Division(code=code, name=code, kind=division_kind(code))
        for code in dict.fromkeys(ancestor_code(code, level) for code in inside)
    ]


def counties_of(source: Sequence[Division] | Region) -> list[Division]:
    """Banner/county-level divisions (旗县市区).

    Of a region: every county it lists or implies — by a township, a community or a worker
    inside it — as its dataset's county table has them (a county it does not list stands
    with what is known of it: nothing; a city without counties stands in for its county).
    """
    if not isinstance(source, Region):
        return [
            d
            for d in expect_items("divisions", source, Division)
            if d.level is DivisionLevel.COUNTY
        ]
    county = DivisionLevel.COUNTY
    inside = [d.code for d in source.divisions if d.level in (county, DivisionLevel.TOWNSHIP)]
    inside += [c.code for c in source.communities]
    inside += [
        w.community_code for w in source.workers if division_level(w.community_code) >= county
    ]
    return _listed_or_implied(source, county, inside)


def streets_of(source: Sequence[Division] | Region) -> list[Division]:
    """Streets (街道): the divisions §2.10/§2.11 set the public service hall for.

    Of a region: every township it lists or implies by a community inside it, as its
    dataset's township table has them (one known only by its code is a street when its
    code says so, with no answer on its hall).
    """
    if not isinstance(source, Region):
        return [
            d for d in expect_items("divisions", source, Division) if d.kind is DivisionKind.STREET
        ]
    township = DivisionLevel.TOWNSHIP
    inside = [d.code for d in source.divisions if d.level is township]
    inside += [c.code for c in source.communities]
    implied = _listed_or_implied(source, township, inside)
    return [d for d in implied if d.kind is DivisionKind.STREET]


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
