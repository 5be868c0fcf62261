"""The division tables of a dataset: the tree of prefectures, counties and townships that
community codes lie in (:class:`DivisionTree`), and a table of divisions built when first
read (:class:`Divisions`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

from sqfw._args import expect_items
from sqfw.entities import Division, DivisionLevel
from sqfw.entities.divisions import (
    ancestor_code,
    ancestor_prefixes,
    prefix_length,
)
from sqfw.errors import InvalidArgumentError

__all__ = ["TREE_LEVELS", "DivisionTree", "Divisions"]


def _division_tuple(value: Iterable[Division]) -> tuple[Division, ...]:
    return expect_items("items", value, Division)  # named after the field by named_fields


class Divisions(Sequence[Division]):
    """A table of divisions built when it is first read: a loaded national table's
    ~45,000 townships are built only by the code that reads them.

    They are built by ``build`` (the loader's one reading of the rows, with the entity's
    own constructor and validators) and checked as a tuple given to the dataset is; the
    table then reads, compares and pickles as that tuple.

    Args:
        count: how many divisions ``build`` gives (known before they are built).
        build: called once, on the first read, to build them in order.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_build", "_count", "_items")

    def __init__(self, count: int, build: Callable[[], Iterable[Division]]) -> None:
        self._count = count
        self._build: Callable[[], Iterable[Division]] | None = build
        self._items: tuple[Division, ...] | None = None

    def _all(self) -> tuple[Division, ...]:
        items = self._items
        if items is None:
            assert self._build is not None
            items = _division_tuple(self._build())
            if len(items) != self._count:
                raise InvalidArgumentError(
                    "divisions", f"{len(items)} built", f"{self._count}, as announced"
                )
            self._items, self._build = items, None
        return items

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Division: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Division, ...]: ...
    def __getitem__(self, index: int | slice) -> Division | tuple[Division, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Division]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple | Divisions):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._all(),))


class DivisionTree:
    """The prefectures, counties and townships that codes lie in, as a dataset holds them.

    Each table lists its divisions' codes in the order they first appear (a code brings in
    the divisions above it first); ``county_prefecture`` and ``township_county`` index the
    table one level up. The one builder of the division tables: from a region's entities
    and from a table's rows alike.

    A prefecture-level city without counties (东莞 441900) stands in for its county: its
    townships' county is the city itself, listed in the county table under the city's
    code (see :func:`~sqfw.entities.divisions.ancestor_code`).
    """

    def __init__(self) -> None:
        self.codes: dict[DivisionLevel, list[str]] = {level: [] for level in TREE_LEVELS}
        self.county_prefecture = array("l")
        self.township_county = array("l")
        # one index per level (an enum in every key would hash in Python, per lookup)
        self._index: dict[DivisionLevel, dict[str, int]] = {level: {} for level in TREE_LEVELS}

    def add(self, code: str, level: DivisionLevel = DivisionLevel.TOWNSHIP) -> int:
        """The index of the division at ``level`` that ``code`` lies in, added if new.

        Raises:
            ValueError: ``code`` is not a division code at or below ``level``.
        """
        key = ancestor_code(code, level)
        found = self._index[level].get(key)
        if found is not None:
            return found
        parent = None if level is DivisionLevel.PREFECTURE else self.add(key, _UP[level])
        return self._append(level, key, parent)

    def _append(self, level: DivisionLevel, key: str, parent: int | None) -> int:
        """A new division ``key`` at ``level`` under the division ``parent`` one level up."""
        if parent is not None:
            up = self.township_county if level is DivisionLevel.TOWNSHIP else self.county_prefecture
            up.append(parent)
        table = self.codes[level]
        index = self._index[level][key] = len(table)
        table.append(key)
        return index

    def add_townships(self, prefixes: Sequence[str]) -> list[int]:
        """:meth:`add` of the townships named by ``prefixes``: the index of each, in order.

        For the bulk readers of tables: the prefixes are cut from checked community codes
        by :func:`~sqfw.entities.divisions.ancestor_prefixes`, which also cuts each one's
        county (a city without counties standing in for it), so a township's code is not
        read again.

        Args:
            prefixes: township prefixes (9 digits) of checked codes, each any number of times.
        """
        townships = self._index[DivisionLevel.TOWNSHIP]
        distinct = list(dict.fromkeys(prefixes))
        codes = [p.ljust(_CODE_LENGTH, "0") for p in distinct]
        new = [code for code in codes if code not in townships]
        # each new township's county, each county looked up (or added) once
        counties = ancestor_prefixes(new, DivisionLevel.COUNTY)
        known_counties = self._index[DivisionLevel.COUNTY]
        county_of: dict[str, int] = {}
        for county, code in zip(counties, new, strict=True):
            if county not in county_of:
                found = known_counties.get(county.ljust(_CODE_LENGTH, "0"))
                # a new county: added, with its prefecture, from the township's code
                county_of[county] = self.add(code, DivisionLevel.COUNTY) if found is None else found
        table = self.codes[DivisionLevel.TOWNSHIP]
        townships.update(zip(new, range(len(table), len(table) + len(new)), strict=True))
        table.extend(new)
        self.township_county.extend(map(county_of.__getitem__, counties))
        index = dict(zip(distinct, map(townships.__getitem__, codes), strict=True))
        return list(map(index.__getitem__, prefixes))

    def add_communities(self, codes: Sequence[str]) -> list[int]:
        """:meth:`add` of each community code, in order: the index of its township.

        A township's code is named by the leading digits
        (:func:`~sqfw.entities.divisions.prefix_length`) its communities share, so codes
        that share them are added once (a national region has 595,663 communities in
        about 40,000 townships).

        Args:
            codes: codes of communities or villages (each already checked as one).
        """
        digits = prefix_length(DivisionLevel.TOWNSHIP)
        found: dict[str, int] = {}
        out: list[int] = []
        for code in codes:
            head = code[:digits]
            index = found.get(head)
            if index is None:
                index = found[head] = self.add(code)
            out.append(index)
        return out


_CODE_LENGTH = 12
TREE_LEVELS = (DivisionLevel.PREFECTURE, DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP)
"""The levels of a dataset's division tables."""
_UP = dict(zip(TREE_LEVELS[1:], TREE_LEVELS, strict=False))
