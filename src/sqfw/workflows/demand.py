"""Residents order the dishes (§4.7: 变政府"端菜"为群众"点菜").

A :class:`DemandCatalogue` is what the residents of one community can ask for and who
provides each item (a service code of the dispatch catalogue, an office, a social
organisation); :func:`demand_summary` counts what they asked for and how they rated it,
including what they asked for that nobody provides: items of the catalogue without a
provider, and requests for items that are not in it at all.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from sqfw._args import expect, expect_items
from sqfw.errors import InvalidArgumentError
from sqfw.workflows.ticket import Satisfaction

__all__ = ["DemandCatalogue", "DemandItem", "DemandRow", "demand_summary"]


@attrs.frozen(kw_only=True)
class DemandItem:
    """One service residents may ask for.

    Args:
        code: the item's code (a dispatch-catalogue service code, or the community's own).
        label_zh: its Chinese name.
        label_en: its English name.
        provider: who provides it; ``None`` when nobody does yet.
    """

    code: str
    label_zh: str
    label_en: str
    provider: str | None = None


def _items(value: Iterable[DemandItem]) -> Mapping[str, DemandItem]:
    items: dict[str, DemandItem] = {}
    for item in expect_items("DemandCatalogue.items", value, DemandItem):
        if item.code in items:
            raise InvalidArgumentError("DemandCatalogue.items", item.code, "each code once")
        items[item.code] = item
    return items


@attrs.frozen(kw_only=True)
class DemandCatalogue:
    """What the residents of one community can ask for, and who provides it."""

    community_code: str
    items: Mapping[str, DemandItem] = attrs.field(converter=_items)


@attrs.frozen(kw_only=True)
class DemandRow:
    """Requests and ratings of one item.

    Attributes:
        code: the item.
        label_zh: its Chinese name (the code when it is not in the catalogue).
        label_en: its English name.
        provider: who provides it (``None``: nobody).
        listed: the item is in the community's catalogue.
        requested: how many times residents asked for it.
        rated: how many ratings it received.
        mean_score: the mean score (5 to 1) of its ratings, ``None`` without any.
    """

    code: str
    label_zh: str
    label_en: str
    provider: str | None
    listed: bool
    requested: int
    rated: int
    mean_score: Fraction | None

    @property
    def unmet(self) -> bool:
        """Residents asked for it and nobody provides it."""
        return self.requested > 0 and self.provider is None


def demand_summary(
    catalogue: DemandCatalogue,
    requests: Iterable[str],
    ratings: Iterable[tuple[str, Satisfaction | str]] = (),
) -> list[DemandRow]:
    """Count requests and ratings per item: the catalogue's items first, in its order,
    then the items asked for that it does not list (sorted).

    Args:
        catalogue: the community's demand catalogue.
        requests: the code of each request.
        ratings: ``(code, satisfaction)`` of each rating.
    """
    expect("demand_summary(catalogue)", catalogue, DemandCatalogue)
    asked: dict[str, int] = {}
    for code in expect_items("demand_summary(requests)", requests, str):
        asked[code] = asked.get(code, 0) + 1
    scores: dict[str, list[int]] = {}
    for rating in expect_items("demand_summary(ratings)", ratings, tuple):
        if len(rating) != 2 or not isinstance(rating[0], str):
            raise InvalidArgumentError(
                "demand_summary(ratings)", rating, "(code, satisfaction) pairs"
            )
        code, level = rating
        scores.setdefault(code, []).append(Satisfaction(level).score)
    extra = sorted((set(asked) | set(scores)) - set(catalogue.items))
    rows = []
    for code in [*catalogue.items, *extra]:
        item = catalogue.items.get(code)
        given = scores.get(code, [])
        rows.append(
            DemandRow(
                code=code,
                label_zh=code if item is None else item.label_zh,
                label_en=code if item is None else item.label_en,
                provider=None if item is None else item.provider,
                listed=item is not None,
                requested=asked.get(code, 0),
                rated=len(given),
                mean_score=Fraction(sum(given), len(given)) if given else None,
            )
        )
    return rows
