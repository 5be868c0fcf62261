"""The division tables of a table: the leagues, counties and townships its codes name.

The tables are built by the dataset's one :class:`~sqfw.analysis._dataset.DivisionTree`.
For speed on national tables the work is per column: the rows' township prefixes are cut
in one pass, and each of the (far fewer) distinct townships is added to the tree once.
Names, street halls and pay come from the first row that answers; a division's kind is
read from its name and code by :func:`~sqfw.entities.divisions.division_kind`, never from
which columns its rows answer (a 苏木 or 镇 whose rows answer the street-hall column keeps
the answer and stays a 苏木 or 镇; the hall counts only for streets). A city without
counties (东莞 441900) stands in for its county: the county table lists it under its own
code and name, with its own kind.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import math
import operator
from array import array
from collections.abc import Callable, Sequence
from typing import Any

from sqfw.analysis._dataset import NAN, UNKNOWN, DivisionTree
from sqfw.analysis._loading.checks import rows_where
from sqfw.entities import Division, DivisionLevel
from sqfw.entities.divisions import (
    ancestor_prefixes,
    division_kind,
    division_level,
)

__all__ = ["RowTree"]

_NAME_FIELD = {
    DivisionLevel.PREFECTURE: "prefecture_name",
    DivisionLevel.COUNTY: "county_name",
    DivisionLevel.TOWNSHIP: "township_name",
}
_FACT_FIELD = {DivisionLevel.COUNTY: "pay", DivisionLevel.TOWNSHIP: "street_hall"}
_TOWNSHIP_FIELDS = (_NAME_FIELD[DivisionLevel.TOWNSHIP], _FACT_FIELD[DivisionLevel.TOWNSHIP])


_CODE_LENGTH = 12
_BULK_ROWS = 10_000
"""Rows from which the first row of each township is found by NumPy, when installed."""


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


class RowTree:
    """The division tree of a table's rows, and each division's facts as the rows give them.

    Args:
        parsed: the table's columns by field; ``parsed["code"]`` holds checked community
            codes.
    """

    def __init__(self, parsed: dict[str, list[Any]]) -> None:
        self.parsed = parsed
        self.tree = tree = DivisionTree()
        keys = ancestor_prefixes(parsed["code"], DivisionLevel.TOWNSHIP)
        # the codes are checked community codes: each prefix is a township's, and the
        # tree's builder reads the level of the code it is given
        self.township_of_row: array[int] = array("l", tree.add_townships(keys))

    def codes(self, level: DivisionLevel) -> list[str]:
        """The codes of the divisions at ``level``, in order of appearance."""
        return self.tree.codes[level]

    def _first_answers(self, level: DivisionLevel, field: str, unknown: object) -> dict[int, Any]:
        """For each division at ``level``, the first value of ``field`` that is not ``unknown``."""
        values = self.parsed.get(field)
        if values is None:
            return {}
        if unknown in values:
            first_row = self._first_rows(level, rows_where(map(unknown.__ne__, values)))
        else:  # every row answers: the first row of each division
            first_row = self._first_rows(level, None)
        return {division: values[row] for division, row in first_row.items()}

    def _first_rows(self, level: DivisionLevel, rows: list[int] | None) -> dict[int, int]:
        """For each division at ``level``, the first of ``rows`` (default: all rows) in it."""
        first = self._first_of_each_township if rows is None else self._first_among(rows)
        if level is DivisionLevel.TOWNSHIP:
            return first
        up: Sequence[int] = self.tree.township_county  # each township's county
        if level is DivisionLevel.PREFECTURE:
            prefecture = self.tree.county_prefecture
            up = [prefecture[c] for c in up]
        above: dict[int, int] = {}
        for township, row in first.items():
            division = up[township]
            if row < above.get(division, row + 1):
                above[division] = row
        return above

    def _first_among(self, rows: Sequence[int]) -> dict[int, int]:
        """For each township, the first of ``rows`` in it."""
        townships = self.township_of_row
        if len(rows) > _BULK_ROWS and (np := _numpy()) is not None:
            chosen = np.asarray(rows, dtype=np.int64)
            of_row = np.frombuffer(townships, dtype=np.dtype(f"i{townships.itemsize}"))
            found, first = np.unique(of_row[chosen], return_index=True)
            return dict(zip(found.tolist(), chosen[first].tolist(), strict=True))
        # built from the last row to the first, so the first one is kept
        return dict(zip(map(townships.__getitem__, reversed(rows)), reversed(rows), strict=True))

    @functools.cached_property
    def _first_of_each_township(self) -> dict[int, int]:
        """Each township's first row (the same for every field every row answers)."""
        return self._first_among(range(len(self.township_of_row)))

    def divisions(self, level: DivisionLevel) -> list[Division]:
        """The divisions at ``level``: named by the rows, their kind read from the name."""
        names = self._first_answers(level, _NAME_FIELD[level], "")
        fact_field = _FACT_FIELD.get(level)
        facts = self._first_answers(level, fact_field, UNKNOWN) if fact_field else {}
        out = []
        for index, code in enumerate(self.codes(level)):
            # a city without counties stands in for its county; a township is a township
            own = level if level is DivisionLevel.TOWNSHIP else division_level(code)
            label = names.get(index) or (self._city_name(index) if own is not level else code)
            kind = division_kind(code, label)  # never from the facts the rows answer
            fact = facts.get(index)
            hall = pay = None
            if fact is not None and level is DivisionLevel.TOWNSHIP:
                hall = bool(fact)  # kept; only a street's hall counts (§2.10, §2.11)
            elif fact is not None:
                pay = bool(fact)
            out.append(
                Division(
                    code=code,
                    name=label,
                    kind=kind,
                    public_service_hall=hall,
                    meets_pay_requirements=pay,
                )
            )
        return out

    def township_divisions(self) -> Callable[[], list[Division]]:
        """The build of :meth:`divisions` at township level, to be called when first read.

        It keeps only the columns the townships read (their names and street halls), so
        the rest of the table is not held for it.
        """
        later = RowTree.__new__(RowTree)
        later.tree = self.tree
        later.township_of_row = self.township_of_row
        later.parsed = {f: self.parsed[f] for f in _TOWNSHIP_FIELDS if f in self.parsed}
        if "_first_of_each_township" in self.__dict__:
            later.__dict__["_first_of_each_township"] = self._first_of_each_township
        return functools.partial(later.divisions, DivisionLevel.TOWNSHIP)

    def _city_name(self, county: int) -> str:
        """The name of the city that stands in for the county at index ``county``."""
        city = self.tree.county_prefecture[county]
        names = self._first_answers(
            DivisionLevel.PREFECTURE, _NAME_FIELD[DivisionLevel.PREFECTURE], ""
        )
        return str(names.get(city) or self.codes(DivisionLevel.PREFECTURE)[city])

    def county_workers(
        self, workers: list[float] | None, associate: list[float] | None
    ) -> tuple[list[float], list[float]]:
        """Per county, workers and of whom with an associate degree (``NaN``: unknown).

        The workers are the sum over the rows that give a count. The associate-degree
        count is known only when every row that gives either figure gives both.
        """
        n = len(self.township_of_row)
        totals = [NAN] * len(self.codes(DivisionLevel.COUNTY))
        degree = [NAN] * len(totals)
        if workers is None and associate is None:
            return totals, degree
        given_w = workers if workers is not None else [NAN] * n
        given_a = associate if associate is not None else [NAN] * n
        county = self.tree.township_county
        township = self.township_of_row
        partial: set[int] = set()
        known_w = map(operator.eq, given_w, given_w)  # NaN != NaN
        known_a = map(operator.eq, given_a, given_a)
        rows = rows_where(map(operator.or_, known_w, known_a))  # rows giving either figure
        for index in rows:
            c = county[township[index]]
            w, a = given_w[index], given_a[index]
            if math.isnan(w) or math.isnan(a):
                partial.add(c)
            if not math.isnan(w):
                totals[c] = w if math.isnan(totals[c]) else totals[c] + w
            if not math.isnan(a):
                degree[c] = a if math.isnan(degree[c]) else degree[c] + a
        for c in partial:
            degree[c] = NAN
        return totals, degree
