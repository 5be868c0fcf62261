"""A loaded table's townships: built when first read, by the loader's one reading of the rows."""

from __future__ import annotations

import pickle
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import testing as sqst
from sqfw.analysis import Divisions, RegionDataset, load_table, sample_region, save_table
from sqfw.analysis._dataset import TREE_LEVELS, DivisionTree
from sqfw.calculators._model import BARRIER_FREE, COMMUNITY_FIELDS, from_table
from sqfw.entities import Division, DivisionKind, DivisionLevel
from sqfw.entities.divisions import ancestor_prefixes, division_level
from sqfw.errors import InvalidArgumentError


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[RegionDataset, RegionDataset]:
    """A sample region saved as CSV and loaded back, with the region it came from."""
    region = sample_region("region", seed=7)
    path = tmp_path_factory.mktemp("lazy") / "region.csv"
    save_table(region, path)
    return region, load_table(path, show_progress=False)


def test_loaded_townships_are_built_on_first_read(loaded) -> None:
    region, data = loaded
    townships = data.townships
    assert isinstance(townships, Divisions)
    assert len(townships) == len(data.township_county) == len(region.townships)
    # the same divisions as the region that was saved (another form of the same data)
    assert [(t.code, t.name, t.kind) for t in townships] == [
        (t.code, t.name, t.kind) for t in region.townships
    ]
    assert townships[0] is townships[0]  # built once, then kept
    assert townships[-1:] == (townships[-1],)


def test_loaded_townships_compare_and_pickle_as_a_tuple(loaded) -> None:
    _, data = loaded
    as_tuple = tuple(data.townships)
    assert data.townships == as_tuple
    assert as_tuple == data.townships
    assert data.townships != as_tuple[:-1]
    assert hash(data.townships) == hash(as_tuple)
    back = pickle.loads(pickle.dumps(data.townships))
    assert type(back) is tuple
    assert back == as_tuple
    again = data.evolve(source="again")
    assert again.townships is data.townships


def _division(code: str) -> Division:
    return Division(code=code, name=code, kind=DivisionKind.TOWNSHIP)


def test_a_build_is_checked_as_a_tuple_given_to_the_dataset() -> None:
    one = [_division("150102001000")]
    assert tuple(Divisions(1, lambda: one)) == tuple(one)
    with pytest.raises(InvalidArgumentError, match="as announced"):
        list(Divisions(2, lambda: one))  # one built, two announced
    with pytest.raises(InvalidArgumentError):
        list(Divisions(1, lambda: ["150102001000"]))  # type: ignore[list-item]
    calls: list[int] = []

    def build() -> list[Division]:
        calls.append(1)
        return one

    lazy = Divisions(1, build)
    assert len(lazy) == 1
    assert not calls  # the count is known without building
    assert lazy[0] == one[0]
    assert lazy[0] == one[0]
    assert calls == [1]


_COUNTYLESS = ["441900003001", "441900003002", "441900004001", "460400100001"]


@given(
    codes=st.lists(
        st.one_of(
            sqst.division_codes(DivisionLevel.VILLAGE),
            sqst.division_codes(DivisionLevel.VILLAGE, within="150100000000"),
            st.sampled_from(_COUNTYLESS),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_townships_added_by_prefix_as_by_code(codes: list[str]) -> None:
    """:meth:`DivisionTree.add_townships` builds the same tables as :meth:`add` of each code."""
    one_by_one, by_prefix = DivisionTree(), DivisionTree()
    expected = [one_by_one.add(code) for code in codes]
    got = by_prefix.add_townships(ancestor_prefixes(codes, DivisionLevel.TOWNSHIP))
    assert got == expected
    for level in TREE_LEVELS:
        assert by_prefix.codes[level] == one_by_one.codes[level]
    assert by_prefix.township_county == one_by_one.township_county
    assert by_prefix.county_prefecture == one_by_one.county_prefecture


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("150000000000", DivisionLevel.REGION),
        ("150100000000", DivisionLevel.PREFECTURE),
        ("150102000000", DivisionLevel.COUNTY),
        ("150102001000", DivisionLevel.TOWNSHIP),
        ("150102001001", DivisionLevel.VILLAGE),
        ("441900003000", DivisionLevel.TOWNSHIP),  # a city without counties: county skipped
        ("441900003001", DivisionLevel.VILLAGE),
    ],
)
def test_a_codes_level_by_its_set_groups(code: str, level: DivisionLevel) -> None:
    assert division_level(code) is level


@pytest.mark.parametrize("code", ["150000001000", "150002000000", "150000000001"])
def test_a_code_that_skips_a_level_is_refused_saying_where(code: str) -> None:
    with pytest.raises(InvalidArgumentError, match="skips a level before position"):
        division_level(code)


def test_only_a_county_may_be_skipped() -> None:
    assert division_level("150100001000") is DivisionLevel.TOWNSHIP
    with pytest.raises(InvalidArgumentError, match="skips a level"):
        division_level("150001001000")  # a county under no prefecture


_FLAGS = st.sampled_from([-1, 0, 1])


@given(
    areas=st.lists(st.sampled_from([float("nan"), 0.0, 0.5, 120.0]), min_size=1, max_size=30),
    data=st.data(),
)
def test_table_columns_by_numpy_as_row_by_row(areas: list[float], data: st.DataObject) -> None:
    """The model's reading of a table's columns is the same from the readers' arrays
    (read a whole column at a time) as from plain lists (read row by row)."""
    rows = len(areas)
    flag_fields = [
        f.table for f in COMMUNITY_FIELDS if f.table and f.unknown is None and f.kind == "flag"
    ]
    assert flag_fields  # an always-known flag is read as "no" when blank
    as_arrays: dict[str, object] = {"area": array("d", areas)}
    for name in (BARRIER_FREE, *flag_fields):
        as_arrays[name] = array("b", data.draw(st.lists(_FLAGS, min_size=rows, max_size=rows)))
    as_lists = {name: list(values) for name, values in as_arrays.items()}
    bulk, plain = from_table(as_arrays, rows), from_table(as_lists, rows)
    assert bulk.keys() == plain.keys()
    for name in bulk:
        want = [int(v) if isinstance(v, bool) else v for v in plain[name]]
        assert list(bulk[name]) == pytest.approx(want, nan_ok=True), name
