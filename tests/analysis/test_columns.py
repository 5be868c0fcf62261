"""The column catalogue: data read by a strict loader, the same catalogue as the docs list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw.analysis import COLUMNS, Column
from sqfw.analysis._loading.columns import (
    closest_column,
    column_named,
    header_key,
    header_map,
    read_columns,
)
from sqfw.errors import InvalidArgumentError, StandardsError

DOCS = Path(__file__).parents[2] / "docs" / "analysis.md"

# The catalogue as sqfw has read tables since 0.1.0: (field, kind, headers).
CATALOGUE = [
    ("code", "code", ("社区代码", "社区编码", "区划代码", "code", "community_code")),
    ("name", "text", ("社区名称", "名称", "name", "community_name")),
    ("kind", "kind", ("社区类型", "类型", "kind", "community_kind", "type")),
    ("households", "count", ("户数", "households")),
    ("residents", "count", ("常住人口", "resident_population", "residents")),
    ("floating", "count", ("流动人口", "floating_population", "floating")),
    (
        "volunteers",
        "count",
        ("注册志愿者", "注册志愿者数", "志愿者", "registered_volunteers", "volunteers"),
    ),
    (
        "area",
        "area",
        ("综合服务设施面积", "设施面积", "facility_area", "facility_area_m2", "area_m2"),
    ),
    ("office", "area", ("办公面积", "office_area", "office_area_m2")),
    ("barrier_free", "flag", ("无障碍", "无障碍达标", "barrier_free")),
    ("new_or_renovated", "flag", ("新建改造", "新建或改造", "new_or_renovated")),
    ("direct", "flag", ("直选", "居委会直选", "direct_election", "direct")),
    ("smart_infrastructure", "flag", ("智慧社区基础设施", "smart_infrastructure")),
    ("smart_sharing", "flag", ("平台资源共享", "smart_platform_sharing", "platform_sharing")),
    ("smart_online", "flag", ("网上便民服务", "smart_online_convenience", "online_convenience")),
    (
        "township_name",
        "text",
        ("苏木乡镇街道", "街道乡镇", "街道", "乡镇", "township", "township_name"),
    ),
    ("county_name", "text", ("旗县市区", "旗县", "county", "county_name", "banner")),
    ("prefecture_name", "text", ("盟市", "prefecture", "league", "prefecture_name")),
    ("street_hall", "flag", ("街道公共服务大厅", "street_hall", "public_service_hall")),
    ("pay", "flag", ("报酬达标", "旗县报酬达标", "pay_compliant", "meets_pay_requirements")),
    ("workers", "count", ("社区工作者", "社区工作者数", "workers")),
    ("workers_associate", "count", ("大专以上工作者", "大专以上工作者数", "workers_associate")),
    ("activity", "area", ("居民活动区域面积", "activity_area")),
    ("self_service", "flag", ("政务自助服务", "self_service_terminal")),
    ("floor_area", "area", ("社区总建筑面积", "floor_area")),
    ("commercial_area", "area", ("商业和综合服务设施面积", "commercial_service_area")),
    ("term", "term", ("居委会届次", "committee_term")),
    ("set_up_as_needed", "flag", ("按实际需要设立", "set_up_as_needed")),
]


def _docs_table() -> list[tuple[str, tuple[str, ...], str, str]]:
    """The rows of the column table in docs/analysis.md: field, headers, kind, meaning."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### Tables: CSV and Excel", 1)[1].split("\n### ", 1)[0]
    rows = []
    for line in section.splitlines():
        found = re.fullmatch(r"\| `(\w+)` \| (.+?) \| (\w+) \| (.+) \|", line)
        if found:
            field, headers, kind, meaning = found.groups()
            rows.append((field, tuple(headers.split(" / ")), kind, meaning))
    return rows


class TestCatalogue:
    """The data file gives the catalogue tables have always been read with."""

    def test_every_header_of_before_still_names_its_column(self) -> None:
        """The catalogue only grows: fields, kinds and order as in 0.1.0, headers kept."""
        assert [(c.field, c.kind) for c in COLUMNS] == [(f, k) for f, k, _ in CATALOGUE]
        for column, (_, _, headers) in zip(COLUMNS, CATALOGUE, strict=True):
            assert set(headers) <= set(column.headers)
            assert column.headers[0] == headers[0]  # the header sqfw writes is unchanged

    def test_needed_by_names_targets(self) -> None:
        """Each target a column is needed by is a target of the plan."""
        from sqfw.analysis import TARGETS
        from sqfw.analysis._targets import plan_targets
        from sqfw.standards import bundled_plans

        every = {t.id for plan in bundled_plans() for t in plan_targets(plan)[1]}
        assert all(set(c.needed_by) <= every for c in COLUMNS)
        needed = {t for c in COLUMNS for t in c.needed_by}
        assert {t.id for t in TARGETS} <= needed

    def test_docs_table_lists_the_catalogue(self) -> None:
        """docs/analysis.md shows every column with its headers, kind and description."""
        assert _docs_table() == [(c.field, c.headers, c.kind, c.description) for c in COLUMNS]

    def test_every_column_has_both_labels(self) -> None:
        for column in COLUMNS:
            assert column.label_zh.strip()
            assert not column.label_zh.isascii()
            assert column.label_en.strip()
            assert column.label_en.isascii()

    @pytest.mark.parametrize(
        ("header", "field"),
        [
            ("社区代码", "code"),
            (" Community_Code ", "code"),
            ("Facility Area (m²)", "area"),
            ("办公面积(m²)", "office"),
            ("备注", None),
            # units in brackets, full- and half-width, with or without a space
            ("综合服务设施面积(平方米)", "area"),
            ("综合服务设施面积（平方米）", "area"),
            ("办公面积（㎡）", "office"),
            ("办公面积 (m2)", "office"),
            ("办公面积【平方米】", "office"),
            ("户数(户)", "households"),
            ("常住人口（人）", "residents"),
            ("注册志愿者人数", "volunteers"),
            ("注册志愿者人数(人)", "volunteers"),
            ("ＣＯＤＥ", "code"),
            ("facility-area (sqm)", "area"),
            ("Registered Volunteers (persons)", "volunteers"),
            # other words in brackets are kept: this is not the facility area
            ("综合服务设施面积(含办公)", None),
            ("户数(万)", None),
        ],
    )
    def test_headers_find_their_column(self, header: str, field: str | None) -> None:
        found = column_named(header)
        assert (found.field if found else None) == field


_ENTRY: dict[str, Any] = {
    "field": "code",
    "kind": "code",
    "label_zh": "社区代码",
    "label_en": "community code",
    "headers_zh": ["社区代码"],
    "headers_en": ["code"],
    "description": "12-digit community code",
}
_OTHER: dict[str, Any] = {
    **_ENTRY,
    "field": "households",
    "kind": "count",
    "label_zh": "户数",
    "label_en": "households",
    "headers_zh": ["户数"],
    "headers_en": ["households"],
    "description": "households",
}


def _toml(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def _catalogue(*entries: dict[str, Any]) -> str:
    return "".join(
        "[[columns]]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in entry.items())
        for entry in entries
    )


def _refused(text: str) -> StandardsError:
    with pytest.raises(StandardsError) as caught:
        read_columns(text, source="columns.toml")
    assert str(caught.value).startswith("columns.toml: ")
    return caught.value


class TestStrictLoader:
    """Every malformed catalogue is refused, naming the file and the key path."""

    def test_a_valid_catalogue_reads(self) -> None:
        columns = read_columns(_catalogue(_ENTRY, _OTHER), source="columns.toml")
        assert columns == (
            Column(
                field="code",
                kind="code",
                headers=("社区代码", "code"),
                description="12-digit community code",
                label_zh="社区代码",
                label_en="community code",
            ),
            Column(
                field="households",
                kind="count",
                headers=("户数", "households"),
                description="households",
                label_zh="户数",
                label_en="households",
            ),
        )

    def test_not_toml(self) -> None:
        error = _refused("[[columns]\nfield = ")
        assert error.key_path == ""
        assert "not valid TOML" in error.problem

    def test_unknown_top_level_key(self) -> None:
        error = _refused(_catalogue(_ENTRY) + "[targets]\nx = 1\n")
        assert (error.key_path, error.problem) == (
            "targets",
            "unknown key 'targets'; allowed: columns, units",
        )

    @pytest.mark.parametrize(
        ("text", "path", "problem"),
        [
            ('units = "m2"\n', "units", "expected an array of units, got 'm2'"),
            ('units = ["m2", " "]\n', "units[1]", "expected non-blank text, got ' '"),
        ],
    )
    def test_bad_units(self, text: str, path: str, problem: str) -> None:
        error = _refused(text + _catalogue(_ENTRY))
        assert (error.key_path, error.problem) == (path, problem)

    def test_bad_needed_by(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "needed_by": ["Facility Area"]}))
        assert error.key_path == "columns[1].needed_by[0]"
        assert error.problem == "expected a target id, got 'Facility Area'"

    def test_units_make_headers_alike(self) -> None:
        """With a unit listed, ``户数(户)`` and ``户数`` are one header: refused when twice."""
        entry = {**_OTHER, "headers_zh": ["户数", "户数(户)"]}
        read_columns(_catalogue(_ENTRY, entry), source="columns.toml")  # same column: fine
        other = {**_OTHER, "field": "rooms", "headers_zh": ["户数(户)"], "headers_en": ["x"]}
        error = _refused('units = ["户"]\n' + _catalogue(_ENTRY, _OTHER, other))
        assert error.key_path == "columns[2].headers_zh[0]"

    @pytest.mark.parametrize("text", ["", "columns = 3\n", "columns = []\n"])
    def test_no_array_of_columns(self, text: str) -> None:
        error = _refused(text)
        assert error.key_path == "columns"
        assert error.problem.startswith("expected a non-empty array of tables, got ")

    def test_entry_not_a_table(self) -> None:
        error = _refused('columns = ["code"]\n')
        assert (error.key_path, error.problem) == ("columns[0]", "expected a table, got 'code'")

    def test_unknown_key_in_an_entry(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "colour": "red"}))
        assert error.key_path == "columns[1].colour"
        assert error.problem.startswith("unknown key 'colour'; allowed: field, kind, ")

    @pytest.mark.parametrize("key", ["label_zh", "label_en", "headers_zh", "headers_en", "kind"])
    def test_missing_key(self, key: str) -> None:
        entry = {k: v for k, v in _OTHER.items() if k != key}
        error = _refused(_catalogue(_ENTRY, entry))
        assert (error.key_path, error.problem) == (f"columns[1].{key}", f"missing {key!r}")
        assert f"columns.toml: columns[1].{key}: missing" in str(error)

    @pytest.mark.parametrize(
        ("key", "value", "got"),
        [
            ("label_zh", "  ", "'  '"),
            ("label_en", 3, "3"),
            ("description", ["x"], "['x']"),
            ("field", True, "True"),
        ],
    )
    def test_text_of_the_wrong_type_or_blank(self, key: str, value: object, got: str) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, key: value}))
        assert (error.key_path, error.problem) == (
            f"columns[1].{key}",
            f"expected non-blank text, got {got}",
        )

    def test_long_values_are_cut_short_in_messages(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "label_en": list(range(100))}))
        assert len(error.problem) < 100
        assert error.problem.endswith("...")

    def test_field_not_an_id(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "field": "Households"}))
        assert (error.key_path, error.problem) == (
            "columns[1].field",
            "expected a lower-case id, got 'Households'",
        )

    def test_kind_no_reader_reads(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "kind": "money"}))
        assert error.key_path == "columns[1].kind"
        assert error.problem == (
            "expected one of area, code, count, flag, kind, term, text, got 'money'"
        )

    @pytest.mark.parametrize(
        ("key", "value", "path", "expected"),
        [
            ("headers_zh", [], "columns[1].headers_zh", "a non-empty array of headers, got []"),
            ("headers_en", "households", "columns[1].headers_en", "a non-empty array"),
            ("headers_zh", ["户数", "hh"], "columns[1].headers_zh[1]", "a Chinese header"),
            ("headers_en", ["households", "户"], "columns[1].headers_en[1]", "an English header"),
            ("headers_en", [" "], "columns[1].headers_en[0]", "an English header (ASCII)"),
            ("headers_en", [1], "columns[1].headers_en[0]", "an English header (ASCII), got 1"),
        ],
    )
    def test_bad_headers(self, key: str, value: object, path: str, expected: str) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, key: value}))
        assert error.key_path == path
        assert error.problem.startswith(f"expected {expected}")

    def test_field_used_twice(self) -> None:
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "field": "code"}))
        assert (error.key_path, error.problem) == (
            "columns[1].field",
            "field 'code' is already the field of columns[0]",
        )

    def test_header_used_twice(self) -> None:
        """Headers that match alike name one column only (here ``Code`` and ``code``)."""
        error = _refused(_catalogue(_ENTRY, {**_OTHER, "headers_en": ["households", "Code"]}))
        assert (error.key_path, error.problem) == (
            "columns[1].headers_en[1]",
            "header 'Code' already names the column columns[0]",
        )

    @pytest.mark.parametrize("change", [{"field": "community"}, {"kind": "text"}])
    def test_a_code_column_is_required(self, change: dict[str, str]) -> None:
        error = _refused(_catalogue({**_ENTRY, **change}, _OTHER))
        assert (error.key_path, error.problem) == (
            "columns",
            "expected a column whose field and kind are both 'code'",
        )


class TestHostHeaders:
    """A host's own headers (header → field) extend the catalogue, matched the same way."""

    def test_a_host_header_names_its_field(self) -> None:
        assert column_named("综合楼建筑面积", None) is None
        found = column_named("综合楼建筑面积（㎡）", {"综合楼建筑面积": "area"})
        assert found is not None
        assert found.field == "area"

    def test_a_host_header_to_an_unknown_field_is_refused(self) -> None:
        with pytest.raises(InvalidArgumentError, match=r"headers\['楼'\]: expected a field"):
            header_map({"楼": "floor"})

    def test_unknown_headers_get_a_hint(self) -> None:
        """An unknown header close to a known one gets that column as a hint."""
        hint = closest_column("社区综合服务设施面职")
        assert hint is not None
        assert hint.field == "area"
        assert closest_column("备注") is None

    @given(st.text(max_size=12))
    def test_header_key_is_idempotent_and_ignores_width_and_case(self, text: str) -> None:
        """Putting a header in form twice changes nothing; full width and case never matter."""
        import unicodedata

        once = header_key(text)
        assert header_key(once) == once or "(" in once
        assert header_key(unicodedata.normalize("NFKC", text).upper()) == header_key(text.upper())
