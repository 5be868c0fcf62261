"""Mutated tables and event sequences: only sqfw errors escape, and nothing is lost.

A table is refused with DataLoadError, or loaded; loaded with ``on_error="skip"``, every
row that is not blank is either a community or a skipped row, and what loads writes back
and reads back the same. An event sequence with garbage in any argument is refused with a
WorkflowError (or another SqfwError), never anything else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz.budget import EXAMPLES, count

from sqfw import testing as sqst
from sqfw.analysis import load_table, save_table
from sqfw.entities import DivisionLevel
from sqfw.errors import DataLoadError, SqfwError

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

HEADER = [
    "社区代码",
    "社区名称",
    "社区类型",
    "户数",
    "常住人口",
    "综合服务设施面积",
    "办公用房面积",
]
CELLS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1,5",
        "1,200",
        "9007199254740993",
        "1e400",
        "NaN",
        "是",
        "牧区",
        "castle",
        '"',
        'a"b',
        "\n",
        "x" * 200,
        "11010519491231002X",
        "441900003001",
        "150100000001",
    ]
)


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    count_ = draw(st.integers(1, 8))
    codes = draw(
        st.lists(
            st.one_of(
                sqst.division_codes(DivisionLevel.VILLAGE),
                sqst.division_codes(DivisionLevel.VILLAGE, within="150100000000", countyless=True),
            ),
            min_size=count_,
            max_size=count_,
            unique=True,
        )
    )
    out = []
    for code in codes:
        households = draw(st.integers(0, 5000))
        residents = households * draw(st.integers(1, 4)) if households else 0
        area = draw(st.integers(0, 2000))
        office = draw(st.integers(0, area))
        out.append(
            [
                code,
                draw(st.sampled_from(["甲社区", "乙村"])),
                draw(st.sampled_from(["城镇社区", "牧区"])),
                str(households),
                str(residents),
                str(area),
                str(office),
            ]
        )
    return out


@st.composite
def mutated_tables(draw: st.DrawFn) -> bytes:
    table = [list(HEADER), *draw(rows())]
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(0, len(table) - 1))
        action = draw(st.sampled_from(["cell", "drop", "add", "row"]))
        if action == "cell" and table[row]:
            table[row][draw(st.integers(0, len(table[row]) - 1))] = draw(CELLS)
        elif action == "drop" and table[row]:
            table[row].pop()
        elif action == "add":
            table[row].append(draw(CELLS))
        else:
            table.insert(row + 1, [draw(CELLS) for _ in range(draw(st.integers(0, 8)))])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    raw = buffer.getvalue().encode("utf-8")
    how = draw(st.sampled_from(["keep", "cut", "gbk", "bytes"]))
    if how == "cut":
        raw = raw[: draw(st.integers(len(raw) // 2, len(raw)))]
    elif how == "gbk":
        raw += "150102001999,某社区,牧区,1,1,0,0\n".encode("gbk")
    elif how == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=3)) + raw[at:]
    return raw


def _body_rows(raw: bytes) -> int | None:
    """The rows after the header that are not blank, or ``None`` when not plain CSV."""
    try:
        text = raw.decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    return sum(1 for row in table[1:] if any(cell.strip() for cell in row))


def _known(values: Iterable[float]) -> list[float | None]:
    """A column with unknown (NaN) values as ``None``, so that two columns compare."""
    return [None if v != v else v for v in values]


class TestMutatedTables:
    @FUZZ
    @given(raw=mutated_tables())
    def test_refused_or_nothing_lost(
        self, tmp_path_factory: pytest.TempPathFactory, raw: bytes
    ) -> None:
        count("tables")
        folder = tmp_path_factory.mktemp("t")
        path = folder / "region.csv"
        path.write_bytes(raw)
        refused: DataLoadError | None = None
        try:
            loaded = load_table(path, on_error="skip")
        except DataLoadError as error:
            refused = error
        if refused is not None:
            assert refused.problems
            return
        expected = _body_rows(raw)
        if expected is not None:
            skipped_rows = {s.row for s in loaded.skipped}
            assert len(loaded) + len(skipped_rows) == expected
        again = load_table(save_table(loaded, folder / "again.csv"))
        assert again.communities.code == loaded.communities.code
        for field in ("households", "residents", "area", "office"):
            assert _known(getattr(again.communities, field)) == _known(
                getattr(loaded.communities, field)
            )

    @FUZZ
    @given(raw=mutated_tables())
    def test_raise_lists_what_skip_leaves_out(
        self, tmp_path_factory: pytest.TempPathFactory, raw: bytes
    ) -> None:
        count("tables.raise")
        path = Path(tmp_path_factory.mktemp("t")) / "region.csv"
        path.write_bytes(raw)
        try:
            skipped = load_table(path, on_error="skip").skipped
        except DataLoadError:
            return
        if skipped:
            with pytest.raises(DataLoadError) as caught:
                load_table(path)
            assert {p.path.split(":")[1] for p in caught.value.problems} == {
                f"row {s.row}" for s in skipped
            }
        else:
            load_table(path)


GARBAGE = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=30),
    st.just("a" * 3000),
    st.just("11010519491231002X"),
    st.just("2020-06-01T21:00:00"),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


class TestEventSequences:
    @FUZZ
    @given(
        events=st.lists(
            st.tuples(
                st.sampled_from(
                    ["submit", "start_review", "accept", "reject", "return_for_changes", "bogus"]
                ),
                GARBAGE,
                st.one_of(GARBAGE, sqst.datetimes()),
                st.one_of(
                    GARBAGE,
                    st.just(
                        {
                            "id": "o1",
                            "name": "互助会",
                            "kind": "mutual_aid",
                            "community_code": "150102001001",
                        }
                    ),
                ),
            ),
            max_size=5,
        )
    )
    def test_only_sqfw_errors(self, events: list[tuple[str, object, object, object]]) -> None:
        from sqfw.workflows.filing import OrgFilingWorkflow

        count("events")
        wf = OrgFilingWorkflow()
        record = wf.new("r1")
        for event, actor, at, data in events:
            try:
                record = wf.apply(record, event, actor=actor, at=at, data=data)  # type: ignore[arg-type]
            except SqfwError:
                continue
