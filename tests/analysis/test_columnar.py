"""The columnar path: whole columns checked as the entities check one value, CSV (pyarrow)
and workbooks (calamine) read as the fallbacks read them, progress on a terminal only."""

from __future__ import annotations

import io
import math
import os
import select
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sqfw.analysis import assess, load_table, sample_region, save_table
from sqfw.analysis._loading import cells, progress, sources
from sqfw.calculators import NUMBER_RULES
from sqfw.calculators._model import COMMUNITY_FIELDS
from sqfw.entities import (
    Committee,
    CommitteeKind,
    Community,
    ElectionMethod,
    Facility,
    FacilityKind,
)
from sqfw.errors import InvalidArgumentError, InvalidEntityError
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_ORDINAL

pa = pytest.importorskip("pyarrow")
arrow = pytest.importorskip("sqfw.analysis._loading.arrow")

_CODE, _NAME = "150102001001", "甲社区"

# Each number field of the community model that tables carry, as the entity that holds it.
_ENTITY = {
    "households": lambda v: Community(code=_CODE, name=_NAME, kind="urban", households=v),
    "residents": lambda v: Community(code=_CODE, name=_NAME, kind="urban", resident_population=v),
    "floating": lambda v: Community(code=_CODE, name=_NAME, kind="urban", floating_population=v),
    "volunteers": lambda v: Community(
        code=_CODE, name=_NAME, kind="urban", registered_volunteers=v
    ),
    "area": lambda v: Facility(id="f", kind=FacilityKind.COMPREHENSIVE, total_area_m2=v),
    "office": lambda v: Facility(
        id="f", kind=FacilityKind.COMPREHENSIVE, total_area_m2=None, office_area_m2=v
    ),
    "activity": lambda v: Facility(
        id="f", kind=FacilityKind.COMPREHENSIVE, total_area_m2=None, activity_area_m2=v
    ),
    "floor_area": lambda v: Community(code=_CODE, name=_NAME, kind="urban", floor_area_m2=v),
    "commercial_area": lambda v: Community(
        code=_CODE, name=_NAME, kind="urban", commercial_service_area_m2=v
    ),
    "term": lambda v: Committee(term=v, kind=CommitteeKind.RESIDENTS, method=ElectionMethod.DIRECT),
}
_NUMBER_FIELDS = [f for f in COMMUNITY_FIELDS if f.table and f.kind in NUMBER_RULES]

_BOUNDARIES = [
    Decimal(v)
    for v in (
        "0", "1", "-1", "0.5", "-0.01", "19.99", "20", str(MAX_ORDINAL), str(MAX_ORDINAL + 1),
        str(MAX_COUNT), str(MAX_COUNT + 1), str(MAX_AREA_M2), f"{MAX_AREA_M2}.01",
    )
]  # fmt: skip
_NUMBERS = st.one_of(
    st.sampled_from(_BOUNDARIES),
    st.decimals(
        min_value=-10, max_value=MAX_COUNT + 10, places=2, allow_nan=False, allow_infinity=False
    ),
    st.integers(-5, MAX_COUNT + 5).map(Decimal),
)


def test_every_number_field_has_its_entity():
    """A number field added to the model fails here until its entity check is named."""
    assert sorted(f.name for f in _NUMBER_FIELDS) == sorted(_ENTITY)


def _entity_accepts(field_name: str, value: Decimal) -> bool:
    whole = value == value.to_integral_value()
    given = int(value) if whole and field_name in _WHOLE else value
    try:
        _ENTITY[field_name](given)
    except InvalidEntityError:
        return False
    return True


_WHOLE = {f.name for f in _NUMBER_FIELDS if NUMBER_RULES[f.kind].whole}


def _column_accepts(kind: str, text: str) -> tuple[bool, bool]:
    """(the strict reader accepts, the bulk Arrow reader accepts) the one cell ``text``."""
    _, bad = cells.parse_column([text], kind)
    _, bulk_bad = arrow.arrow_column(pa.array([text], type=pa.string()), kind)
    return not bad, not bulk_bad


@pytest.mark.parametrize("field", _NUMBER_FIELDS, ids=lambda f: f.name)
@given(value=_NUMBERS)
@example(value=Decimal("0"))
@example(value=Decimal("-0.01"))
def test_a_column_accepts_what_the_entity_accepts(field, value):
    """§2.1, §1.4 … For each number field, a value a table's column check accepts is one
    the entity's validator accepts, and the other way round: the ranges cannot drift
    (0 and the largest pass; -0.01, the largest + 0.01 and 12.5 people fail on both)."""
    text = format(value, "f")
    strict, bulk = _column_accepts(field.kind, text)
    assert strict == bulk
    assert strict == _entity_accepts(field.name, value), (field.name, text)


@pytest.mark.parametrize(
    ("field", "text", "accepted"),
    [
        ("term", "1", True),
        ("term", "0", False),  # Committee refuses a term below 1
        ("term", str(MAX_ORDINAL), True),
        ("term", str(MAX_ORDINAL + 1), False),
        ("households", str(MAX_COUNT), True),
        ("households", str(MAX_COUNT + 1), False),
        ("households", "12.5", False),
        ("area", "19.99", True),
        ("area", f"{MAX_AREA_M2}.01", False),
    ],
)
def test_boundaries_on_both_sides(field, text, accepted):
    kind = next(f.kind for f in _NUMBER_FIELDS if f.name == field)
    assert _column_accepts(kind, text) == (accepted, accepted)
    assert _entity_accepts(field, Decimal(text)) is accepted


_TEXTS = st.text(
    alphabet=st.sampled_from(
        [*"0123456789.,-+eE 甲乙社区'", "\u200b", "\u3000", "\x00", "\u0301", "\u302a"]
    ),
    max_size=8,
)


@pytest.mark.parametrize("kind", ["count", "area", "term", "flag", "kind", "code", "text"])
@given(values=st.lists(_TEXTS | st.sampled_from(["是", "否", "urban", _CODE]), max_size=12))
def test_the_arrow_reader_gives_what_the_strict_reader_gives(kind, values):
    """The bulk reader decides no cell itself: same values, same problems, row by row."""
    expected, expected_bad = cells.parse_column(list(values), kind)
    got, bad = arrow.arrow_column(pa.array(values, type=pa.string()), kind)
    assert sorted(bad) == sorted(expected_bad)
    refused = {i for i, _ in bad}
    for index, (a, b) in enumerate(zip(got, expected, strict=True)):
        if index in refused:
            continue
        assert a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))


_DIGIT_CELLS = st.one_of(
    st.from_regex(r"[0-9]{1,17}(\.[0-9]{1,17})?", fullmatch=True),
    st.sampled_from(
        [
            str(MAX_COUNT), str(MAX_COUNT + 1), str(MAX_ORDINAL), str(MAX_ORDINAL + 1),
            str(MAX_AREA_M2), f"{MAX_AREA_M2}.01", f"{MAX_AREA_M2 - 1}.99", "0", "00", "0.0",
            "1", "999999999999999", "1000000000000000", "0.000000000000001",
            "0.0000000000000001", "12345678.1234567", "12345678.12345678", "",
        ]
    ),
)  # fmt: skip


@pytest.mark.parametrize("kind", ["count", "area", "term"])
@given(values=st.lists(_DIGIT_CELLS, max_size=12))
def test_numbers_read_in_bulk_are_what_the_strict_reader_reads(kind, values):
    """§2.1, §5.11 … Plain digits and decimals read in bulk are the strict reader's values,
    at the rule's ends (the largest passes, one more fails) and past 15 digits."""
    expected, expected_bad = cells.parse_column(list(values), kind)
    got, bad = arrow.arrow_column(pa.array(values, type=pa.string()), kind)
    assert sorted(bad) == sorted(expected_bad)
    refused = {i for i, _ in bad}
    for index, (a, b) in enumerate(zip(got, expected, strict=True)):
        if index not in refused:
            assert a == b or (math.isnan(a) and math.isnan(b)), (values[index], a, b)


_PLAIN_NUMBERS = st.builds(
    lambda whole, fraction: whole if fraction is None else f"{whole}.{fraction}",
    st.text(alphabet="0123456789", min_size=1, max_size=17),
    st.none() | st.text(alphabet="0123456789", min_size=1, max_size=17),
).filter(lambda v: len(v) < 30) | _DIGIT_CELLS.filter(lambda v: v and v[0] != "-")
"""(Under 30 characters: the reader refuses a longer cell for its length, and the ``+``
the test writes in front is one more.)"""


@pytest.mark.parametrize("kind", ["count", "area", "term"])
@given(text=_PLAIN_NUMBERS)
@example(text="12.5")  # §5.11: half a person is refused; half a m² is an area
@example(text="100000000.0")  # the largest count, written with a point: accepted
@example(text="100000000.1")  # a tenth more: refused
@example(text="9999999.99999999")  # 15 digits, just under the largest area
@example(text="9999999.999999999")  # 16 digits: refused for its digits, not its size
@example(text="0000000000000012")
def test_plain_digits_read_as_the_signed_number_is_read(kind, text):
    """Digits, or digits.digits, are read on the reader's short path; the same number
    with a ``+`` in front is read by Decimal: the same value, or the same refusal."""
    assert text[0] != "+"

    def read(value: str) -> tuple[bool, object]:
        try:
            return True, cells.READERS[kind](value)
        except cells.BadCell as exc:
            return False, str(exc).split(", got ")[0]  # what was expected (the cell masked)

    assert read(text) == read("+" + text)


@given(name=st.text(max_size=12))
def test_a_name_taken_as_written_is_what_the_text_rule_gives(name):
    """A name the bulk pattern passes untouched is one the text rule keeps as it is."""
    matched = pa.compute.match_substring_regex(pa.array([name]), arrow.SAFE_NAME)[0].as_py()
    if matched:
        out, bad = cells.parse_column([name], "text")
        assert not bad
        assert out == [name]


# -- the same table through every reader ----------------------------------------------------


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    data = sample_region("region", seed=7)
    save_table(data, folder / "r.csv")
    save_table(data, folder / "r.xlsx")
    return data, folder


def test_csv_and_xlsx_give_the_same_verdicts(region):
    """The same region from CSV (pyarrow) and .xlsx (calamine) assesses the same."""
    pytest.importorskip("python_calamine")
    data, folder = region
    from_csv = load_table(folder / "r.csv")
    from_xlsx = load_table(folder / "r.xlsx")
    assert from_csv.communities.code == from_xlsx.communities.code == data.communities.code
    a, b = assess(from_csv), assess(from_xlsx)
    assert [r.attainment for r in a.targets] == [r.attainment for r in b.targets]
    assert [r.measured for r in a.targets] == [r.measured for r in b.targets]
    assert list(a.runs) == list(b.runs)
    for norm in a.runs:
        assert list(a.runs[norm].status) == list(b.runs[norm].status)


def test_calamine_and_openpyxl_read_a_workbook_alike(region, monkeypatch):
    """Without python-calamine an .xlsx is read by openpyxl, to the same dataset."""
    pytest.importorskip("python_calamine")
    _, folder = region
    fast = load_table(folder / "r.xlsx")
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    slow = load_table(folder / "r.xlsx")
    assert _as_lists(fast) == _as_lists(slow)
    assert fast.townships == slow.townships


def test_pyarrow_and_the_csv_module_read_a_csv_alike(region, monkeypatch):
    """The whole dataset: communities, the division tables and tree, the county workers.
    The Arrow path keeps codes and names in Arrow and builds the tree and the county
    figures by NumPy (forced here on a small table); the csv module's path, without
    NumPy in the tree, does every step row by row."""
    from sqfw.analysis import TextColumn
    from sqfw.analysis._loading import tree

    data, folder = region
    monkeypatch.setattr(tree, "_BULK_ROWS", 10)
    fast = load_table(folder / "r.csv")
    assert isinstance(fast.communities.code, TextColumn)
    assert isinstance(fast.communities.name, TextColumn)
    whole = _whole(fast)  # (its townships are built when first read: here, by NumPy)
    _without_the_columnar_readers(monkeypatch)
    slow = load_table(folder / "r.csv")
    assert type(slow.communities.code) is list
    assert whole == _whole(slow)
    # and both are the region that was saved (its names and figures, not only each other)
    assert fast.communities.code == data.communities.code
    assert [c.name for c in fast.counties] == [c.name for c in data.counties]
    assert _nan_free(fast.county_workers) == _nan_free(data.county_workers)


@pytest.mark.parametrize("rows", [1, 49])
def test_a_division_name_column_without_an_answer_loads_alike(tmp_path, monkeypatch, rows):
    """Township, county and league name columns present but blank on every row (one row,
    or many): the divisions are named by their codes, on both paths."""
    from sqfw.analysis._loading import tree

    lines = ["社区代码,社区名称,苏木乡镇街道,旗县市区,盟市"]
    lines += [f"150102{i // 7 + 1:03d}{i % 7 + 1:03d},社区{i},,," for i in range(rows)]
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(tree, "_BULK_ROWS", 10)
    fast = _whole(load_table(path))  # (the townships are built when first read)
    _without_the_columnar_readers(monkeypatch)
    slow = load_table(path)
    assert fast == _whole(slow)
    assert [t.name for t in slow.townships][:1] == ["150102001000"]
    assert slow.counties[0].name == "150102000000"


def _without_the_columnar_readers(monkeypatch):
    """The csv module's rows checked cell by cell, the tree built row by row."""
    from sqfw.analysis._loading import tables, tree

    monkeypatch.setattr(sources, "columnar", lambda: False)
    monkeypatch.setattr(tables, "columnar", lambda: False)
    monkeypatch.setattr(tree, "_numpy", lambda: None)


def _whole(data):
    return (
        _as_lists(data),
        data.root,
        data.prefectures,
        data.counties,
        tuple(data.townships),
        list(data.county_prefecture),
        list(data.township_county),
        _nan_free(data.county_workers),
        _nan_free(data.county_workers_associate),
    )


def _nan_free(values):
    return ["nan" if math.isnan(v) else v for v in values]


def test_the_arrow_path_leaves_out_bad_and_blank_rows_as_the_csv_module_does(
    region, monkeypatch, tmp_path
):
    """Skipped rows, blank rows, blank names (the code stands in) and a partly given
    workers column: the Arrow path's dataset and skipped rows are the csv module's."""
    from sqfw.analysis._loading import tree

    _, folder = region
    text = (folder / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    head = text[0].split(",")
    named = ("社区代码", "社区名称", "社区工作者", "大专以上工作者")
    at = {name: head.index(name) for name in named}
    rows = [line.split(",") for line in text[1:]]
    given = next(i for i, row in enumerate(rows) if i > 20 and row[at["社区工作者"]].strip())
    rows[3][at["社区代码"]] = rows[2][at["社区代码"]]  # a code twice: row 5 refused
    rows[10][at["社区名称"]] = ""  # no name: the code stands in
    rows[given][at["大专以上工作者"]] = ""  # workers without the degree count: unknown
    rows[30] = [" "] * len(head)  # a blank row: not a community, not reported
    rows[40][at["社区代码"]] = "15010"  # a bad code
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([text[0], *map(",".join, rows)]) + "\n", encoding="utf-8")
    monkeypatch.setattr(tree, "_BULK_ROWS", 10)
    fast = load_table(path, on_error="skip")
    whole = _whole(fast)
    _without_the_columnar_readers(monkeypatch)
    slow = load_table(path, on_error="skip")
    assert whole == _whole(slow)
    assert fast.skipped == slow.skipped
    assert [s.row for s in fast.skipped] == [5, 42]
    assert len(fast) == len(rows) - 3
    assert given not in (3, 30, 40)
    named = fast.communities.code.index(rows[10][at["社区代码"]])
    assert fast.communities.name[named] == rows[10][at["社区代码"]]
    assert "nan" in _nan_free(fast.county_workers_associate)


def _as_lists(data):
    import attrs

    c = data.communities
    out = {}
    for f in attrs.fields(type(c)):
        values = getattr(c, f.name)
        if f.name != "extra":
            values = ["nan" if isinstance(v, float) and math.isnan(v) else v for v in values]
        out[f.name] = values
    return out


def test_a_bad_row_of_a_big_csv_is_named(tmp_path):
    """Rows pyarrow reads are checked whole; a bad cell still names its row and column."""
    rows = [f"150102{i // 999 + 1:03d}{i % 999 + 1:03d},{i % 50},{i % 50 * 3}" for i in range(3000)]
    rows[1500] = rows[1500].rsplit(",", 1)[0] + ",-3"
    path = tmp_path / "t.csv"
    path.write_text("社区代码,户数,常住人口\n" + "\n".join(rows) + "\n", encoding="utf-8")
    data = load_table(path, on_error="skip")
    assert len(data) == 2999
    (skipped,) = data.skipped
    assert (skipped.row, skipped.column) == (1502, "常住人口")
    assert "got '-3'" in skipped.reason


def test_columns_checked_on_two_threads_give_what_one_thread_gives(region, monkeypatch):
    """A large table's columns are checked two at a time; the dataset, the bad rows (in
    their order) and the progress calls are those of checking them one after another."""
    from sqfw.analysis._loading import tables

    _, folder = region
    text = (folder / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    text[5] = text[5].replace(",城镇社区,", ",城镇社区区,", 1)  # a kind no reader knows
    head, first = text[0].split(","), text[7].split(",")
    first[head.index("户数")] = "-2"  # a count below the rule's least, further down
    text[7] = ",".join(first)
    path = folder / "bad.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")

    def load(threaded_from: int) -> tuple[object, ...]:
        monkeypatch.setattr(tables, "_THREADED_ROWS", threaded_from)
        calls: list[tuple[int, int]] = []
        data = load_table(path, on_error="skip", progress=lambda *a: calls.append(a))
        skipped = [(s.row, s.column, s.reason) for s in data.skipped]
        return _as_lists(data), skipped, calls, data.townships

    threaded, sequential = load(1), load(10**9)
    assert threaded == sequential
    assert [row for row, _, _ in threaded[1]] == [6, 8]  # lines 6 and 8 of the file


# -- progress -------------------------------------------------------------------------------


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "p.csv"
    path.write_text("社区代码,户数,常住人口\n150102001001,10,30\n", encoding="utf-8")
    return path


def test_progress_is_drawn_on_a_pseudo_terminal(tmp_path, monkeypatch):
    """A load past the delay draws its stages on a terminal (a pseudo-terminal here)."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    with open(follower, "w", encoding="utf-8", closefd=True) as terminal:
        assert terminal.isatty()
        monkeypatch.setattr(sys, "stderr", terminal)
        monkeypatch.setattr(progress, "AFTER_SECONDS", 0.0)
        load_table(_table(tmp_path))
        terminal.flush()
    chunks = []
    while select.select([leader], [], [], 0.5)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    drawn = b"".join(chunks).decode("utf-8", "replace")
    assert "检查 check" in drawn
    assert "建表 build" in drawn
    assert "\r" in drawn


def test_a_quick_load_draws_nothing_even_on_a_terminal(tmp_path, monkeypatch):
    stream = _Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "AFTER_SECONDS", 3600.0)  # a load under the delay
    load_table(_table(tmp_path))
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("show", "tty", "drawn"), [
    (None, False, False),  # a pipe, a log, a notebook's captured output
    (None, True, True),
    (False, True, False),
    (True, False, True),  # forced
])  # fmt: skip
def test_progress_only_where_asked(tmp_path, monkeypatch, show, tty, drawn):
    stream = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "AFTER_SECONDS", 0.0)
    load_table(_table(tmp_path), show_progress=show)
    assert ("检查 check" in stream.getvalue()) is drawn


def test_show_progress_is_checked(tmp_path):
    with pytest.raises(InvalidArgumentError, match="show_progress"):
        load_table(_table(tmp_path), show_progress="yes")  # type: ignore[arg-type]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- workbooks other than .xlsx -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_xls_and_ods_need_calamine(tmp_path, monkeypatch, suffix):
    """openpyxl reads only .xlsx: without python-calamine the extra is named."""
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"not a workbook")
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(ImportError, match=r"sqfw\[analysis\]"):
        load_table(path)


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".xlsx"])
def test_a_file_that_is_no_workbook_is_a_load_error(tmp_path, suffix):
    from sqfw.errors import DataLoadError

    pytest.importorskip("python_calamine")
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"not a workbook")
    with pytest.raises(DataLoadError, match="not a readable"):
        load_table(path)


@pytest.mark.parametrize("compiled", [True, False])
def test_a_region_document_draws_its_progress_too(tmp_path, monkeypatch, compiled):
    """JSON documents are read by the compiled reader or the pure-Python one: both draw."""
    from sqfw.analysis import _compiled, load_region
    from sqfw.serialization import dumps

    region = sample_region().to_region()
    path = tmp_path / "region.json"
    path.write_text(dumps(region), encoding="utf-8")
    if compiled:
        monkeypatch.setattr(_compiled, "SMALLEST", 0)
    else:
        monkeypatch.setattr(_compiled, "read_region_document", lambda *a, **k: None)
    stream = _Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "AFTER_SECONDS", 0.0)
    dataset = load_region(path, show_progress=True)
    assert len(dataset) == len(region.communities)
    assert "读取 read" in stream.getvalue()
    assert stream.getvalue().endswith("\n")  # no bar line left open
