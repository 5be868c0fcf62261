"""A norm's exact figures, declared once: read from one row, or from a window of rows.

A finding's three figures — measured, required and shortfall — are each a function of a
few of the row's values (a kernel output such as ``measured``, an input such as ``office``,
the ``status``) or one of the norm's parameters. Declared that way (:func:`area_of`,
:func:`count_of`, :func:`quotient_of`, :func:`parameter_of`, gathered by
:class:`FigureReading`), the same function gives the figures of one row (an explanation)
and of a window of rows (a report with millions of findings:
:meth:`FigureReading.window`), where it runs once per distinct combination of the values
it reads — equal values, as Python compares them, give equal figures.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from sqfw._args import expect, expect_callable, expect_items, instance_validator
from sqfw.calculators._norm import FAIL, Figures, NormParameters, Row, m2, whole, written
from sqfw.calculators._result import Measure
from sqfw.errors import InvalidArgumentError

__all__ = [
    "MEMO_MOST",
    "Figure",
    "FigureReading",
    "area_of",
    "count_of",
    "parameter_of",
    "quotient_of",
]

T = TypeVar("T")

MEMO_MOST = 1 << 18
"""The most figure inputs :meth:`FigureReading.window`'s ``memo`` keeps for one figure."""

_NAN = math.nan  # one NaN object: every unknown value is the same key of a window's memo


def _names(value: Any) -> tuple[str, ...]:
    names: tuple[str, ...] = expect_items("reads", value, str)
    return names


@attrs.frozen
class Figure:
    """One figure of a finding: ``function`` of the values of the columns ``reads`` (in
    that order), or — when ``field`` is given — that parameter of the norm's bundle.

    Attributes:
        reads: the row's columns the figure reads.
        function: the figure from those values (``None``: unknown).
        field: a parameter bundle field the figure is (it reads no column then).
    """

    reads: tuple[str, ...] = attrs.field(converter=_names)
    function: Callable[..., Measure | None] = attrs.field(
        validator=lambda _, __, v: expect_callable("function", v)
    )
    field: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_validator(str))
    )

    def of(self, row: Row, params: NormParameters[Any]) -> Measure | None:
        """The figure of ``row``."""
        if self.field is not None:
            value: Measure | None = getattr(params.values, self.field)
            return value
        return self.function(*(row[name] for name in self.reads))


def area_of(column: str) -> Figure:
    """An area: the column's value in m², exact to 10⁻⁶ m² (:func:`~sqfw.calculators.m2`)."""
    return Figure((expect("column", column, str),), m2)


def count_of(column: str) -> Figure:
    """A whole number: the column's value as an int (``None`` unknown)."""
    return Figure((expect("column", column, str),), whole)


def _quotient(status: Any, numerator: Any, denominator: Any) -> Measure | None:
    if int(status) > FAIL or numerator != numerator or denominator != denominator:
        return None  # neither passed nor failed (no share was decided), or unknown
    top, under = written(numerator)
    bottom, over = written(denominator)
    if not bottom:
        return None  # nothing to divide by
    return Fraction(top * over, under * bottom)  # the figures as written, divided


def quotient_of(numerator: str, denominator: str) -> Figure:
    """The exact quotient of two columns' figures as written, where the row passed or failed
    (its ``status``); ``None`` otherwise."""
    top, bottom = expect("numerator", numerator, str), expect("denominator", denominator, str)
    return Figure(("status", top, bottom), _quotient)


def _field(*_: Any) -> None:  # a parameter's figure is read from the bundle, not a row
    return None


def parameter_of(field: str) -> Figure:
    """A parameter of the norm's bundle (the same on every row)."""
    return Figure((), _field, expect("field", field, str))


@attrs.frozen
class FigureReading:
    """A norm's measured, required and shortfall figures, each declared as a :class:`Figure`.

    Called with a row and the parameters it gives the row's figures, as a norm's
    ``figures`` function does.
    """

    measured: Figure = attrs.field(validator=instance_validator(Figure))
    required: Figure = attrs.field(validator=instance_validator(Figure))
    shortfall: Figure = attrs.field(validator=instance_validator(Figure))

    def __call__(self, row: Row, params: NormParameters[Any]) -> Figures:
        return (
            self.measured.of(row, params),
            self.required.of(row, params),
            self.shortfall.of(row, params),
        )

    @property
    def reads(self) -> tuple[str, ...]:
        """Every column the three figures read, once each."""
        names = (*self.measured.reads, *self.required.reads, *self.shortfall.reads)
        return tuple(dict.fromkeys(names))

    def window(
        self,
        values: Mapping[str, Sequence[Any]],
        exact_rows: Mapping[int, Mapping[str, Any]],
        params: NormParameters[Any],
        encode: Callable[[Measure | None], T],
        memo: dict[str, dict[Any, T]] | None = None,
    ) -> tuple[list[T], list[T], list[T]]:
        """Each figure of a window of rows, encoded: three lists, one item per row.

        Args:
            values: the window's values of each column in :attr:`reads` (Python numbers,
                one per row, as NumPy's ``tolist`` gives them).
            exact_rows: the rows decided again at a boundary, by their place in the
                window: their exact outputs, read instead of the columns' values.
            params: the norm's parameters.
            encode: what each figure becomes (a JSON text …); run once per distinct
                figure input in the window.
            memo: what was encoded for earlier windows, kept by the caller (the same
                ``encode`` and parameters each time): a figure input seen before is not
                worked out again. Each figure's part holds at most :data:`MEMO_MOST`
                inputs; it is emptied when full.

        Returns:
            ``encode`` of each row's measured, required and shortfall figures.

        Raises:
            InvalidArgumentError: a column of :attr:`reads` is missing from ``values``, or
                the columns differ in length.
        """
        missing = [name for name in self.reads if name not in values]
        if missing:
            raise InvalidArgumentError("values", sorted(values), f"the columns {self.reads}")
        lengths = {len(values[name]) for name in self.reads}
        if len(lengths) > 1:
            raise InvalidArgumentError("values", lengths, "columns of one length")
        n = lengths.pop() if lengths else 0
        if not self.reads and exact_rows:
            n = max(n, max(exact_rows) + 1)
        memo = {} if memo is None else memo
        return (
            _encoded(self.measured, values, exact_rows, params, encode, n, memo, "measured"),
            _encoded(self.required, values, exact_rows, params, encode, n, memo, "required"),
            _encoded(self.shortfall, values, exact_rows, params, encode, n, memo, "shortfall"),
        )


def _encoded(
    figure: Figure,
    values: Mapping[str, Sequence[Any]],
    exact_rows: Mapping[int, Mapping[str, Any]],
    params: NormParameters[Any],
    encode: Callable[[Measure | None], T],
    n: int,
    memos: dict[str, dict[Any, T]],
    part: str,
) -> list[T]:
    """``encode`` of ``figure`` on each of ``n`` rows, once per distinct input."""
    if figure.field is not None:
        return [encode(getattr(params.values, figure.field))] * n
    function = figure.function
    memo = memos.setdefault(part, {})
    if len(memo) > MEMO_MOST:
        memo.clear()
    # NaNs hash by identity: every unknown value is made the one NaN, one key of the memo
    columns = [[_NAN if v != v else v for v in values[name]] for name in figure.reads]
    single = len(columns) == 1
    keys: list[Any] = columns[0] if single else list(zip(*columns, strict=True))
    for key in set(keys).difference(memo):  # each input not seen before, once
        memo[key] = encode(function(key) if single else function(*key))
    out = list(map(memo.__getitem__, keys))
    for at, outputs in exact_rows.items():  # a boundary row reads its own exact outputs
        read = [outputs[name] if name in outputs else values[name][at] for name in figure.reads]
        out[at] = encode(function(*read))
    return out
