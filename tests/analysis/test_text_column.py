"""A loaded table's codes and names held by Arrow (TextColumn) read as the list of ``str``
they stand for: every read a list answers, the same answer, before and after the column
becomes a list; pickled, compared, and written to Parquet as that list."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw.analysis import TextColumn, assess, load_table, sample_region, save_table

pa = pytest.importorskip("pyarrow")

_TEXTS = st.lists(st.text(max_size=6), max_size=30)


def _columns(texts: list[str]) -> list[TextColumn]:
    plain = pa.array(texts, pa.string())
    chunked = pa.chunked_array([texts[: len(texts) // 2], texts[len(texts) // 2 :]], pa.string())
    return [TextColumn(plain), TextColumn(chunked), TextColumn(plain.dictionary_encode())]


@given(_TEXTS, st.integers(-40, 40), st.text(max_size=6))
def test_a_text_column_reads_as_its_list(texts, index, probe):
    for column in _columns(texts):
        assert len(column) == len(texts)
        if -len(texts) <= index < len(texts):
            assert column[index] == texts[index]  # one cell, no list built yet
        else:
            with pytest.raises(IndexError):
                column[index]
        assert column[index : index + 3] == texts[index : index + 3]
        assert list(column) == texts
        assert (probe in column) is (probe in texts)
        assert column.count(probe) == texts.count(probe)
        if probe in texts:
            assert column.index(probe) == texts.index(probe)
        else:
            with pytest.raises(ValueError, match="not in list"):
                column.index(probe)
        assert column == texts
        assert texts == column
        assert column != tuple(texts)  # as a list is never equal to a tuple
        assert column != [*texts, "x"]


@given(_TEXTS)
def test_a_text_column_pickles_as_its_texts(texts):
    fresh, read = TextColumn(pa.array(texts, pa.string())), TextColumn(pa.array(texts, pa.string()))
    list(read)  # made a list: pickled as one
    for column in (fresh, read):
        back = pickle.loads(pickle.dumps(column))
        assert back == texts
        assert list(back) == texts


def test_a_loop_over_single_cells_reads_the_list_once():
    """A few single cells come from Arrow; a loop over every row becomes the list."""
    from sqfw.analysis import _texts

    texts = [f"{i:012d}" for i in range(2 * _texts._SINGLE_READS)]
    column = TextColumn(pa.array(texts, pa.string()))
    assert [column[i] for i in range(3)] == texts[:3]
    assert column._list is None
    assert [column[i] for i in range(len(texts))] == texts
    assert column._list == texts
    assert list(reversed(column)) == texts[::-1]


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (["甲"], "a pyarrow array of text"),
        ("甲乙", "a pyarrow array of text"),
        (pa.array([1, 2]), "an array of int64"),
        (pa.array(["甲", None]), "1 missing cells"),
    ],
)
def test_a_text_column_is_made_of_text_only(values, said):
    from sqfw.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match=said):
        TextColumn(values)


def test_a_text_column_is_not_hashable_and_says_its_length():
    column = TextColumn(pa.array(["甲", "乙"]))
    with pytest.raises(TypeError):
        hash(column)
    assert repr(column) == "TextColumn(2 texts)"
    assert column.arrow().to_pylist() == ["甲", "乙"]


def test_a_loaded_table_keeps_codes_and_names_in_arrow_through_to_parquet(tmp_path):
    """The codes and names a CSV gives are TextColumns; the dataset, its assessment and
    its findings in Parquet read them as the region saved."""
    pq = pytest.importorskip("pyarrow.parquet")
    from sqfw import reports

    data = sample_region(seed=3)
    loaded = load_table(save_table(data, tmp_path / "s.csv"))
    assert isinstance(loaded.communities.code, TextColumn)
    assert loaded.communities.code == data.communities.code
    assert loaded.communities.name == data.communities.name
    assert loaded.community(0) == data.community(0)
    path, *_ = reports.write_parquet(assess(loaded), tmp_path / "f.parquet")
    written = pq.read_table(path)
    codes = written.column("code").to_pylist()
    names = written.column("name").to_pylist()
    expected = dict(zip(data.communities.code, data.communities.name, strict=True))
    assert set(codes) == set(expected)
    assert [expected[c] for c in codes] == names
    again = pickle.loads(pickle.dumps(loaded))
    assert again.communities.code == data.communities.code
