"""The division tables of a dataset: one builder, from entities and from table rows alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import testing as sqst
from sqfw.analysis import RegionDataset
from sqfw.analysis._dataset import TREE_LEVELS, DivisionTree
from sqfw.analysis._loading.tree import RowTree
from sqfw.entities import Community, CommunityWorker, Division, DivisionLevel, Region
from sqfw.entities.divisions import ancestor_code, parent_code


@st.composite
def _community_codes(draw: st.DrawFn) -> list[str]:
    """Community codes that share leagues, counties and townships now and then."""
    counties = draw(st.lists(sqst.division_codes(DivisionLevel.COUNTY), min_size=1, max_size=3))
    townships = draw(
        st.lists(
            st.sampled_from(counties).flatmap(
                lambda county: sqst.division_codes(DivisionLevel.TOWNSHIP, within=county)
            ),
            min_size=1,
            max_size=4,
        )
    )
    return draw(
        st.lists(
            st.sampled_from(townships).flatmap(
                lambda township: sqst.division_codes(DivisionLevel.VILLAGE, within=township)
            ),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )


def _expected_tables(codes: list[str]) -> dict[DivisionLevel, list[str]]:
    """Each level's divisions in order of first appearance, worked out the plain way."""
    tables: dict[DivisionLevel, list[str]] = {level: [] for level in TREE_LEVELS}
    for code in codes:
        for level in TREE_LEVELS:
            ancestor = ancestor_code(code, level)
            if ancestor not in tables[level]:
                tables[level].append(ancestor)
    return tables


class TestDivisionTree:
    """Each table lists its divisions in order of first appearance, parents linked by index."""

    @given(codes=_community_codes())
    def test_tables_in_order_of_appearance(self, codes: list[str]) -> None:
        tree = DivisionTree()
        townships = [tree.add(code) for code in codes]
        expected = _expected_tables(codes)
        assert tree.codes == expected
        township_codes = expected[DivisionLevel.TOWNSHIP]
        county_codes = expected[DivisionLevel.COUNTY]
        assert [township_codes[t] for t in townships] == [
            ancestor_code(c, DivisionLevel.TOWNSHIP) for c in codes
        ]
        assert [county_codes[c] for c in tree.township_county] == [
            parent_code(t) for t in township_codes
        ]
        assert [expected[DivisionLevel.PREFECTURE][p] for p in tree.county_prefecture] == [
            parent_code(c) for c in county_codes
        ]

    def test_a_division_added_at_its_level_brings_its_parents(self) -> None:
        tree = DivisionTree()
        assert tree.add("150102000000", DivisionLevel.COUNTY) == 0
        assert tree.add("150102001001") == 0
        assert tree.add("150121100001", DivisionLevel.COUNTY) == 1
        assert tree.codes == {
            DivisionLevel.PREFECTURE: ["150100000000"],
            DivisionLevel.COUNTY: ["150102000000", "150121000000"],
            DivisionLevel.TOWNSHIP: ["150102001000"],
        }
        assert list(tree.county_prefecture) == [0, 0]
        assert list(tree.township_county) == [0]

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("150100000000", "is at level PREFECTURE, got 'TOWNSHIP'"),
            ("150000001000", "skips a level"),
            ("15010200100", "12-digit"),
        ],
    )
    def test_a_code_above_the_level_or_malformed_is_refused(self, code: str, message: str) -> None:
        tree = DivisionTree()
        with pytest.raises(ValueError, match=message):
            tree.add(code)
        assert tree.codes == {level: [] for level in TREE_LEVELS}


class TestOneBuilder:
    """A region read from entities and the same communities read as rows agree."""

    @given(codes=_community_codes())
    def test_rows_and_entities_give_the_same_tables(self, codes: list[str]) -> None:
        root = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
        region = Region(
            root=root,
            communities=[Community(code=c, name="社区", kind="urban") for c in codes],
        )
        from_entities = RegionDataset.from_region(region)
        rows = RowTree({"code": codes})
        for level, divisions in (
            (DivisionLevel.PREFECTURE, from_entities.prefectures),
            (DivisionLevel.COUNTY, from_entities.counties),
            (DivisionLevel.TOWNSHIP, from_entities.townships),
        ):
            assert rows.codes(level) == [d.code for d in divisions]
        assert rows.tree.county_prefecture == from_entities.county_prefecture
        assert rows.tree.township_county == from_entities.township_county
        assert list(rows.township_of_row) == list(from_entities.communities.township)

    def test_workers_counted_in_a_county_the_communities_do_not_name(self) -> None:
        """§5.3: a worker's county joins the county table even with no community in it."""
        root = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
        workers = [
            CommunityWorker(
                id=f"w{i}",
                name="刘洋",
                community_code=code,
                education=education,
                term_start="2017-01-01",
            )
            for i, (code, education) in enumerate(
                [
                    ("150102001001", "associate"),
                    ("150121100001", "associate"),
                    ("150121100002", "junior_secondary_or_below"),
                    ("150100000000", "associate"),  # above county level: not attributed
                ]
            )
        ]
        region = Region(
            root=root,
            communities=[Community(code="150102001001", name="社区", kind="urban")],
            workers=workers,
        )
        data = RegionDataset.from_region(region)
        assert [d.code for d in data.counties] == ["150102000000", "150121000000"]
        assert list(data.county_workers) == [1, 2]
        assert list(data.county_workers_associate) == [1, 1]
