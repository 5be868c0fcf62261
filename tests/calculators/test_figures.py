"""A norm's exact figures, declared once: a window of rows says what each row says alone."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw.analysis import assess, sample_region
from sqfw.calculators import FACILITY_AREA, OFFICE_SHARE, VOLUNTEER_RATIO
from sqfw.calculators._figures import MEMO_MOST
from sqfw.calculators._norm import written
from sqfw.calculators.kernels import (
    FigureReading,
    Row,
    area_of,
    count_of,
    parameter_of,
    quotient_of,
)
from sqfw.errors import InvalidArgumentError


class _Column(list):  # a column as a Row reads it (one Python number per ``item``)
    def item(self, index: int) -> object:
        return self[index]


READING = FigureReading(
    measured=quotient_of("top", "bottom"),
    required=area_of("area"),
    shortfall=count_of("count"),
)

figures = st.one_of(
    st.just(math.nan),
    st.just(0.0),
    st.just(-0.0),
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda f: round(f, 3)),
    st.integers(min_value=0, max_value=10_000).map(float),
)
rows = st.fixed_dictionaries(
    {
        "status": st.integers(min_value=0, max_value=3),
        "top": figures,
        "bottom": figures,
        "area": figures,
        "count": figures,
    }
)


def _columns(table: list[dict[str, object]]) -> dict[str, _Column]:
    return {name: _Column(row[name] for row in table) for name in (*READING.reads, "status")}


@given(st.lists(rows, max_size=40), st.data())
def test_a_window_says_what_each_row_says(table, data):
    """Each row's figures from a window (repeated inputs worked out once, NaNs, -0.0, a
    row with exact outputs of its own) are those the reading gives the row alone."""
    params = VOLUNTEER_RATIO.read()
    columns = _columns(table)
    boundary = {}
    if table:
        at = data.draw(st.integers(min_value=0, max_value=len(table) - 1))
        boundary[at] = {"area": Fraction(1, 3), "count": Fraction(7)}
    memo: dict = {}
    for _ in range(2):  # the second window reads what the first worked out
        got = READING.window(columns, boundary, params, repr, memo)
        for index in range(len(table)):
            row = Row(columns, index, boundary.get(index))
            expected = [repr(figure) for figure in READING(row, params)]
            assert [got[k][index] for k in range(3)] == expected


def test_the_quotient_is_the_figures_as_written_divided():
    """§2.14, §5.11: the share is exact — 3/10 of 0.1 and 0.3 as written, not the floats."""
    reading = FigureReading(
        measured=quotient_of("top", "bottom"),
        required=parameter_of("share"),
        shortfall=count_of("count"),
    )
    params = VOLUNTEER_RATIO.read()
    columns = {
        "status": _Column([0, 1, 2, 0, 1]),
        "top": _Column([0.1, 1.0, 0.1, math.nan, 2.0]),
        "bottom": _Column([0.3, 3.0, 0.3, 3.0, 0.0]),
        "count": _Column([1.0, 2.0, math.nan, 0.0, 0.0]),
    }
    measured, required, shortfall = reading.window(columns, {}, params, lambda v: v)
    # passed, failed: the share; not applicable: none; unknown top; nothing to divide by
    assert measured == [Fraction(1, 3), Fraction(1, 3), None, None, None]
    assert required == [params.values.share] * 5
    assert shortfall == [1, 2, None, 0, 0]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(InvalidArgumentError):
        READING.window(
            {"status": [0], "top": [1.0], "bottom": [2.0], "area": [1.0, 2.0], "count": [0.0]},
            {},
            VOLUNTEER_RATIO.read(),
            repr,
        )


def test_a_missing_column_is_refused():
    with pytest.raises(InvalidArgumentError, match="columns"):
        READING.window({"status": [0], "top": [1.0]}, {}, VOLUNTEER_RATIO.read(), repr)


def test_a_full_memo_is_emptied():
    params = VOLUNTEER_RATIO.read()
    reading = FigureReading(
        measured=count_of("count"), required=count_of("count"), shortfall=count_of("count")
    )
    memo: dict = {"measured": {float(k): "x" for k in range(MEMO_MOST + 1)}}
    got = reading.window({"count": [1.0]}, {}, params, repr, memo)
    assert got[0] == ["1"]  # not the stale "x": the memo was emptied first
    assert len(memo["measured"]) == 1


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_written_is_the_shortest_decimal_of_the_float(value):
    """Against Fraction's own reading of the float's shortest text (repr)."""
    top, bottom = written(value)
    assert Fraction(top, bottom) == Fraction(repr(value))
    assert bottom > 0
    assert math.gcd(top, bottom) == 1


@pytest.mark.parametrize("norm", [FACILITY_AREA, OFFICE_SHARE, VOLUNTEER_RATIO])
def test_the_plans_norms_declare_their_figures(norm):
    """The per-community norms' figures are declared readings (a report reads them a window
    at a time), each reading columns the norm's rows hold."""
    assert isinstance(norm.figures, FigureReading)
    a = assess(sample_region(seed=3))
    run = a.runs[norm.id]
    assert set(norm.figures.reads) <= set(run.columns)


def test_every_row_of_a_region_says_the_same_in_a_window():
    """Every row of the bundled region (rows decided again at a boundary among them), read
    in windows, gives the figures its explanation gives."""
    a = assess(sample_region(seed=3))
    for run in a.runs.values():
        reading = run.norm.figures
        assert isinstance(reading, FigureReading)
        n = len(a.dataset)
        values = {name: _Column(run.columns[name].tolist()) for name in reading.reads}
        got = reading.window(values, run.evaluated.exact_rows, run.params, lambda v: v)
        for index in range(n):
            said = run.said(index)
            assert (got[0][index], got[1][index], got[2][index]) == (
                said.measured,
                said.required,
                said.shortfall,
            )
            for mine, theirs in zip(
                (got[0][index], got[2][index]), (said.measured, said.shortfall), strict=True
            ):
                assert type(mine) is type(theirs)
    assert any(run.evaluated.exact_rows for run in a.runs.values())  # boundary rows read


@pytest.mark.parametrize(
    "make",
    [
        lambda: area_of(3),
        lambda: count_of(None),
        lambda: quotient_of("a", b"b"),
        lambda: parameter_of(1.5),
        lambda: FigureReading(measured=1, required=area_of("a"), shortfall=area_of("a")),
        lambda: READING.__class__(measured=READING.measured, required=None, shortfall=None),
    ],
)
def test_a_declaration_of_wrong_things_is_refused(make):
    with pytest.raises(InvalidArgumentError):
        make()
