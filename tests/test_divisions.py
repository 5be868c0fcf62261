"""The 12-digit statistical division codes: one owner of their prefix and level rules."""

from __future__ import annotations

import re

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import testing as sqst
from sqfw.entities.divisions import (
    DivisionLevel,
    ancestor_code,
    ancestor_prefixes,
    code_from_prefix,
    code_pattern,
    code_prefix,
    contains,
    division_level,
    prefix_length,
)
from sqfw.errors import InvalidArgumentError
from sqfw.serialization import json_schema


def _level_or_none(code: str) -> DivisionLevel | None:
    try:
        return division_level(code)
    except ValueError:
        return None


def _group(width: int) -> st.SearchStrategy[str]:
    """A group of digits: all zeros (level not set) or a number (set)."""
    number = st.integers(1, 10**width - 1).map(lambda n: f"{n:0{width}d}")
    return st.just("0" * width) | number


# Texts near the rules: the five groups (2, 2, 2, 3, 3 digits of the specification) each
# set or not, in all 16 combinations, with a leading zero now and then; codes drawn by the
# testing strategies at every level, and those with a character changed (an ASCII or a
# full-width digit, a space, a newline) or a newline added; zero-heavy digit strings of
# 11 to 13 characters.
_near_codes = st.one_of(
    st.tuples(
        st.integers(1, 99).map(lambda n: f"{n:02d}"), _group(2), _group(2), _group(3), _group(3)
    ).map("".join),
    st.sampled_from(list(DivisionLevel)).flatmap(lambda level: sqst.division_codes(level)),
    st.tuples(
        sqst.division_codes(DivisionLevel.VILLAGE),
        st.integers(0, 11),
        st.sampled_from("0159１\n "),
    ).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :]),
    sqst.division_codes(DivisionLevel.TOWNSHIP).map(lambda code: code + "\n"),
    st.sampled_from([DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE]).flatmap(
        lambda level: sqst.division_codes(level, within="440000000000", countyless=True)
    ),
    st.text(st.sampled_from("0000000129"), min_size=11, max_size=13),
)


class TestCodePattern:
    """The regular expression of valid codes says exactly what division_level says."""

    @given(text=_near_codes)
    def test_any_level_pattern_accepts_exactly_the_valid_codes(self, text: str) -> None:
        matched = re.fullmatch(code_pattern(), text) is not None
        assert matched == (_level_or_none(text) is not None)

    @given(text=_near_codes, level=st.sampled_from(list(DivisionLevel)))
    def test_level_pattern_accepts_exactly_the_codes_at_that_level(
        self, text: str, level: DivisionLevel
    ) -> None:
        matched = re.fullmatch(code_pattern(level), text) is not None
        assert matched == (_level_or_none(text) is level)

    @given(text=_near_codes.filter(lambda t: not t.endswith("\n")))
    def test_json_schema_patterns_agree_with_division_level(self, text: str) -> None:
        """The document schemas refuse exactly the codes load_document refuses.

        (Newline-ended texts are left out: the ``jsonschema`` library applies patterns with
        Python's ``re.search``, whose ``$`` also matches before a final newline; JSON
        Schema's own ECMA-262 ``$`` does not.)
        """
        division = json_schema("division")["properties"]["code"]
        community = json_schema("community")["properties"]["code"]
        accepts_division = jsonschema.Draft202012Validator(division).is_valid(text)
        accepts_community = jsonschema.Draft202012Validator(community).is_valid(text)
        assert accepts_division == (_level_or_none(text) is not None)
        assert accepts_community == (_level_or_none(text) is DivisionLevel.VILLAGE)

    @pytest.mark.parametrize(
        "code",
        [
            "150000000001",
            "150002001001",
            "150000001000",  # a township under no prefecture
            "150100000001",  # a village under no township
            "441900000001",  # a village directly under a city without counties
            "050102001001",
            "15010200100",
        ],
    )
    def test_codes_that_skip_a_level_or_are_malformed_do_not_match(self, code: str) -> None:
        assert re.fullmatch(code_pattern(), code) is None
        assert not jsonschema.Draft202012Validator(
            json_schema("division")["properties"]["code"]
        ).is_valid(code)


class TestPrefixes:
    """A code's prefix names its division; contains() compares whole level groups."""

    @pytest.mark.parametrize(
        ("code", "prefix"),
        [
            ("150000000000", "15"),
            ("150100000000", "1501"),
            ("150102000000", "150102"),
            ("150102001000", "150102001"),
            ("150102001001", "150102001001"),
            ("150110000000", "150110"),  # a county whose group ends in 0 keeps it
            ("150102100000", "150102100"),  # a township whose group ends in 00
        ],
    )
    def test_code_prefix(self, code: str, prefix: str) -> None:
        assert code_prefix(code) == prefix
        assert code_from_prefix(prefix) == code

    def test_contains_compares_whole_groups(self) -> None:
        """Two counties 150110 and 150111 share the digits 15011, yet neither holds the other."""
        assert contains("150110000000", "150110001001")
        assert not contains("150110000000", "150111001001")
        assert contains("150100000000", "150111001001")
        assert contains("150110000000", "150110000000")
        assert not contains("150110001000", "150110000000")  # a township holds no county

    def test_contains_refuses_invalid_codes(self) -> None:
        with pytest.raises(InvalidArgumentError, match="skips a level"):
            contains("150000000000", "150000001000")
        with pytest.raises(InvalidArgumentError, match="12-digit"):
            contains("15011", "150110001001")

    @pytest.mark.parametrize("prefix", ["15010", "1500", "150100", "", "0150", "15" + "0" * 11])
    def test_code_from_prefix_refuses_what_names_no_division(self, prefix: str) -> None:
        with pytest.raises(InvalidArgumentError, match="leading digits of a division code"):
            code_from_prefix(prefix)

    @given(
        code=sqst.division_codes(DivisionLevel.VILLAGE),
        level=st.sampled_from(list(DivisionLevel)),
    )
    def test_prefix_rules_agree(self, code: str, level: DivisionLevel) -> None:
        """prefix_length, code_prefix, ancestor_code, contains and the bulk form agree."""
        ancestor = ancestor_code(code, level)
        assert len(code_prefix(ancestor)) == prefix_length(level)
        assert code_from_prefix(code_prefix(ancestor)) == ancestor
        assert ancestor_prefixes([code, ancestor], level) == [code_prefix(ancestor)] * 2
        assert contains(ancestor, code)
        assert division_level(ancestor) is level

    @given(place=sqst.division_codes(DivisionLevel.COUNTY), code=sqst.division_codes())
    def test_contains_is_ancestry(self, place: str, code: str) -> None:
        """A code lies in a county exactly when that county is its county-level ancestor."""
        assert contains(place, code) == (ancestor_code(code, DivisionLevel.COUNTY) == place)


class TestCitiesWithoutCounties:
    """不设区的地级市 (东莞, 中山, 儋州): townships directly under the prefecture.

    Every code of the national table is accepted at its level: the county group of such a
    city's townships and villages is 00, and the city stands in for its county.
    """

    @pytest.mark.parametrize(
        ("code", "level", "parent"),
        [
            ("440000000000", DivisionLevel.REGION, None),
            ("441900000000", DivisionLevel.PREFECTURE, "440000000000"),
            ("441900003000", DivisionLevel.TOWNSHIP, "441900000000"),
            ("441900003001", DivisionLevel.VILLAGE, "441900003000"),
            ("442000001000", DivisionLevel.TOWNSHIP, "442000000000"),
            ("442000001201", DivisionLevel.VILLAGE, "442000001000"),
            ("460400100000", DivisionLevel.TOWNSHIP, "460400000000"),
            ("460400100201", DivisionLevel.VILLAGE, "460400100000"),
            ("440103000000", DivisionLevel.COUNTY, "440100000000"),  # 广州 荔湾区, for contrast
            ("440103001001", DivisionLevel.VILLAGE, "440103001000"),
        ],
    )
    def test_every_level_accepted(self, code: str, level: DivisionLevel, parent: str) -> None:
        from sqfw.entities.divisions import parent_code

        assert division_level(code) is level
        assert parent_code(code) == parent
        assert re.fullmatch(code_pattern(level), code)
        assert re.fullmatch(code_pattern(), code)
        assert jsonschema.Draft202012Validator(
            json_schema("division")["properties"]["code"]
        ).is_valid(code)

    def test_the_city_stands_in_for_its_county(self) -> None:
        assert ancestor_code("441900003001", DivisionLevel.COUNTY) == "441900000000"
        assert ancestor_code("441900003001", DivisionLevel.TOWNSHIP) == "441900003000"
        assert ancestor_code("440103001001", DivisionLevel.COUNTY) == "440103000000"
        prefixes = ancestor_prefixes(["441900003001", "440103001001"], DivisionLevel.COUNTY)
        assert prefixes == ["4419", "440103"]
        assert [
            code_prefix(ancestor_code(c, DivisionLevel.COUNTY))
            for c in ["441900003001", "440103001001"]
        ] == prefixes

    def test_containment(self) -> None:
        assert contains("441900000000", "441900003001")
        assert contains("441900003000", "441900003001")
        assert not contains("441900003000", "441900004001")
        assert not contains("442000000000", "441900003001")
        assert code_prefix("441900003000") == "441900003"
        assert code_from_prefix("441900003") == "441900003000"

    @pytest.mark.parametrize(
        ("code", "position"),
        [
            ("441900000001", 12),  # a village with no township
            ("440000003000", 9),  # a township with no prefecture
            ("440000000001", 12),
        ],
    )
    def test_other_gaps_still_refused(self, code: str, position: int) -> None:
        with pytest.raises(InvalidArgumentError, match=f"skips a level before position {position}"):
            division_level(code)

    @given(
        code=st.sampled_from([DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE]).flatmap(
            lambda level: sqst.division_codes(level, within="441900000000", countyless=True)
        )
    )
    def test_drawn_codes_of_a_countyless_city(self, code: str) -> None:
        assert code[4:6] == "00"
        assert ancestor_code(code, DivisionLevel.COUNTY) == "441900000000"
        assert contains("441900000000", code)
