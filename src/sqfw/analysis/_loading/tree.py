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

from sqfw._extras import require
from sqfw.analysis._dataset import NAN, UNKNOWN, DivisionTree
from sqfw.analysis._loading.checks import is_floats, rows_where
from sqfw.analysis._texts import arrow_of
from sqfw.entities import Division, DivisionLevel
from sqfw.entities.divisions import (
    ancestor_prefixes,
    division_kind,
    division_level,
    prefix_length,
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

    def __init__(self, parsed: dict[str, Sequence[Any]]) -> None:
        self.parsed = parsed
        self.tree = tree = DivisionTree()
        codes = parsed["code"]
        held = arrow_of(codes)
        # the codes are checked community codes: each prefix is a township's, and the
        # tree's builder reads the level of the code it is given
        if held is None:
            keys = ancestor_prefixes(codes, DivisionLevel.TOWNSHIP)
            self.township_of_row: array[int] = array("l", tree.add_townships(keys))
            return
        # codes Arrow holds: each distinct township prefix is cut and added once
        pc, np = require("pyarrow.compute"), require("numpy")
        if hasattr(held, "combine_chunks"):
            held = held.combine_chunks()
        heads = pc.utf8_slice_codeunits(held, 0, prefix_length(DivisionLevel.TOWNSHIP))
        encoded = heads.dictionary_encode()  # (a township's prefix is a plain cut)
        distinct = encoded.dictionary.to_pylist()
        index = np.asarray(tree.add_townships(distinct), dtype=np.int64)
        rows = index[encoded.indices.to_numpy(zero_copy_only=False)]
        self.township_of_row = _index_array(rows)

    def codes(self, level: DivisionLevel) -> list[str]:
        """The codes of the divisions at ``level``, in order of appearance."""
        return self.tree.codes[level]

    def _first_answers(self, level: DivisionLevel, field: str, unknown: object) -> dict[int, Any]:
        """For each division at ``level``, the first value of ``field`` that is not ``unknown``."""
        values = self.parsed.get(field)
        if values is None:
            return {}
        # ``None``: every row answers, and each division's first row is its answer
        first_row = self._first_rows(level, _answering(values, unknown))
        return dict(zip(first_row, _cells(values, list(first_row.values())), strict=True))

    def _first_rows(self, level: DivisionLevel, rows: Sequence[int] | None) -> dict[int, int]:
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
        bulk = len(rows) > _BULK_ROWS or not isinstance(rows, range | list)  # or NumPy's
        if bulk and (np := _numpy()) is not None:
            if isinstance(rows, range):
                chosen = np.arange(rows.start, rows.stop, rows.step, dtype=np.int64)
            else:
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
        self, workers: Sequence[float] | None, associate: Sequence[float] | None
    ) -> tuple[list[float], list[float]]:
        """Per county, workers and of whom with an associate degree (``NaN``: unknown).

        The workers are the sum over the rows that give a count. The associate-degree
        count is known only when every row that gives either figure gives both.
        """
        n = len(self.township_of_row)
        counties = len(self.codes(DivisionLevel.COUNTY))
        totals = [NAN] * counties
        degree = [NAN] * len(totals)
        if workers is None and associate is None:
            return totals, degree
        np = _numpy()
        if np is not None and all(is_floats(v) for v in (workers, associate) if v is not None):
            return self._county_workers_of_arrays(np, workers, associate, counties)
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

    def _county_workers_of_arrays(
        self, np: Any, workers: Any, associate: Any, counties: int
    ) -> tuple[list[float], list[float]]:
        """:meth:`county_workers` of float arrays, a whole column at a time: the same sums
        (rows added in order) and the same rule for a partly known degree count."""
        n = len(self.township_of_row)
        given_w = np.frombuffer(workers) if workers is not None else np.full(n, np.nan)
        given_a = np.frombuffer(associate) if associate is not None else np.full(n, np.nan)
        township = np.frombuffer(self.township_of_row, dtype=_INDEX)
        county = np.frombuffer(self.tree.township_county, dtype=_INDEX)[township]
        known_w, known_a = ~np.isnan(given_w), ~np.isnan(given_a)

        def summed(known: Any, values: Any) -> Any:
            total = np.bincount(county[known], weights=values[known], minlength=counties)
            seen = np.bincount(county[known], minlength=counties) > 0
            return np.where(seen, total, np.nan)

        totals, degree = summed(known_w, given_w), summed(known_a, given_a)
        partial = np.unique(county[known_w != known_a])  # a row giving one figure only
        degree[partial] = np.nan
        return totals.tolist(), degree.tolist()


_INDEX = f"i{array('l').itemsize}"
"""NumPy's name of the ``array("l")`` item the tree's indices are held in."""


def _index_array(values: Any) -> array[int]:
    """A NumPy column of indices as the ``array("l")`` the tree holds them in."""
    out = array("l")
    out.frombytes(values.astype(_INDEX).tobytes())
    return out


def _answering(values: Sequence[Any], unknown: object) -> Sequence[int] | None:
    """The rows whose cell is not ``unknown`` (``None``: every row)."""
    held = arrow_of(values)
    np = require("numpy") if held is not None else _numpy()
    if held is not None:  # text Arrow holds: compared there, the answers read by NumPy
        pa, pc = require("pyarrow"), require("pyarrow.compute")
        if pa.types.is_dictionary(held.type):  # few names: compared once each
            if hasattr(held, "combine_chunks"):
                held = held.combine_chunks()
            said = pc.not_equal(held.dictionary, unknown).to_numpy(zero_copy_only=False)
            answers = said[held.indices.to_numpy(zero_copy_only=False)]
        else:
            answers = pc.not_equal(held, unknown).to_numpy(zero_copy_only=False)
    elif np is not None and isinstance(values, array) and values.typecode == "b":  # facts
        answers = np.frombuffer(values, dtype=np.int8) != unknown
    else:
        if unknown not in values:
            return None
        return rows_where(map(unknown.__ne__, values))
    if answers.all():
        return None
    return np.flatnonzero(answers)  # type: ignore[no-any-return]


def _cells(values: Sequence[Any], rows: list[int]) -> list[Any]:
    """The cells of ``values`` on ``rows``."""
    held = arrow_of(values)
    if held is not None and rows:  # (Arrow cannot take an empty list of no known type)
        return held.take(rows).to_pylist()  # type: ignore[no-any-return]
    return [values[row] for row in rows]
