"""A table's root is named and kinded from GB/T 2260's province-level divisions.

Outside facts the table is checked against: the mainland has 22 provinces, 5 autonomous
regions and 4 municipalities directly under the central government (宪法 第三十条 and
the State Council's list), each with a two-digit code of GB/T 2260.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sqfw.analysis import load_region, load_table, save_table
from sqfw.entities import DivisionKind, DivisionLevel
from sqfw.entities.divisions import PROVINCES, division_kind, division_level
from sqfw.errors import DataLoadError

_MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}
_AUTONOMOUS = {
    "15": "内蒙古自治区",
    "45": "广西壮族自治区",
    "54": "西藏自治区",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}


def test_the_mainland_has_22_provinces_5_regions_and_4_municipalities():
    kinds = {code: division_kind(code, name) for code, name in PROVINCES.items()}
    assert all(division_level(code) is DivisionLevel.REGION for code in PROVINCES)
    assert sum(k is DivisionKind.PROVINCE for k in kinds.values()) == 22
    assert {c[:2]: PROVINCES[c] for c, k in kinds.items() if k is DivisionKind.MUNICIPALITY} == (
        _MUNICIPALITIES
    )
    assert {
        c[:2]: PROVINCES[c] for c, k in kinds.items() if k is DivisionKind.AUTONOMOUS_REGION
    } == _AUTONOMOUS


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("内蒙古自治区", DivisionKind.AUTONOMOUS_REGION),
        ("广东省", DivisionKind.PROVINCE),
        ("北京市", DivisionKind.MUNICIPALITY),
        ("内蒙古自治区(样例)", DivisionKind.PROVINCE),  # the name does not end as a kind
        (None, DivisionKind.PROVINCE),  # only the code: the plain kind of its level
    ],
)
def test_a_province_level_name_says_its_kind(name, kind):
    assert division_kind("150000000000", name) is kind


def _table(path: Path, code: str) -> Path:
    path.write_text(f"社区代码,社区名称,户数\n{code},某社区,1000\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("440103001001", "广东省", DivisionKind.PROVINCE),
        ("110101001001", "北京市", DivisionKind.MUNICIPALITY),
        ("650102001001", "新疆维吾尔自治区", DivisionKind.AUTONOMOUS_REGION),
        ("150102001001", "内蒙古自治区", DivisionKind.AUTONOMOUS_REGION),
        ("990101001001", "990000000000", DivisionKind.PROVINCE),  # no such province
    ],
)
def test_a_table_names_its_root_from_the_province_table(tmp_path, code, name, kind):
    data = load_table(_table(tmp_path / "t.csv", code))
    assert (data.root.code, data.root.name, data.root.kind) == (code[:2] + "0" * 10, name, kind)


def test_a_region_name_given_keeps_the_province_kind(tmp_path):
    data = load_table(_table(tmp_path / "t.csv", "650102001001"), region_name="新疆(样例)")
    assert (data.root.name, data.root.kind) == ("新疆(样例)", DivisionKind.AUTONOMOUS_REGION)


# -- a region's own name kept beside its table ----------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_a_region_saved_and_loaded_keeps_its_name(tmp_path, suffix):
    """A table names no region: its companion keeps a name the code does not give."""
    pytest.importorskip("openpyxl")
    named = load_table(_table(tmp_path / "t.csv", "150102001001"), region_name="内蒙古(样例)")
    path = save_table(named, tmp_path / f"saved.{suffix}")
    assert load_region(path).root == named.root
    # a name the code gives is not written again, and comes back the same
    plain = load_table(_table(tmp_path / "p.csv", "440103001001"))
    assert load_region(save_table(plain, tmp_path / f"plain.{suffix}")).root == plain.root


def test_the_companion_row_is_written_only_for_a_name_of_its_own(tmp_path):
    named = load_table(_table(tmp_path / "t.csv", "150102001001"), region_name="内蒙古(样例)")
    save_table(named, tmp_path / "n.csv")
    rows = (tmp_path / "n.baselines.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[-1] == "地区名称,内蒙古(样例)"
    save_table(load_table(_table(tmp_path / "p.csv", "150102001001")), tmp_path / "p2.csv")
    assert "地区名称" not in (tmp_path / "p2.baselines.csv").read_text(encoding="utf-8-sig")


def test_a_name_given_to_the_load_wins_over_the_companion(tmp_path):
    named = load_table(_table(tmp_path / "t.csv", "150102001001"), region_name="内蒙古(样例)")
    path = save_table(named, tmp_path / "n.csv")
    assert load_region(path, region_name="另一个名字").root.name == "另一个名字"


@pytest.mark.parametrize("name", ["", "   ", "名" * 101, "内蒙古\u200b自治区"])
def test_a_bad_region_name_in_the_companion_is_named(tmp_path, name):
    """Blank, 101 characters, or a character the text rule refuses in every name cell
    (a zero-width space): refused with the companion's row, as a name cell is."""
    path = _table(tmp_path / "t.csv", "150102001001")
    (tmp_path / "t.baselines.csv").write_text(f"项目,数值\n地区名称,{name}\n", encoding="utf-8")
    with pytest.raises(DataLoadError) as caught:
        load_region(path)
    assert "t.baselines.csv:row 2" in str(caught.value)
    assert "1 to 100 characters" in str(caught.value)


def test_a_name_of_100_characters_is_kept(tmp_path):
    path = _table(tmp_path / "t.csv", "150102001001")
    (tmp_path / "t.baselines.csv").write_text(
        f"项目,数值\n地区名称,{'名' * 100}\n", encoding="utf-8"
    )
    assert load_region(path).root.name == "名" * 100


def test_a_json_companion_may_name_the_region(tmp_path):
    path = _table(tmp_path / "t.csv", "150102001001")
    companion = tmp_path / "c.json"
    companion.write_text('{"kind": "baselines", "region_name": "呼和浩特(样例)"}', encoding="utf-8")
    from sqfw.analysis._loading.companion import apply_companion, read_companion

    assert apply_companion(load_table(path), read_companion(companion)).root.name == (
        "呼和浩特(样例)"
    )
    companion.write_text('{"kind": "baselines", "region_name": 12}', encoding="utf-8")
    with pytest.raises(DataLoadError, match=r"\$\.region_name"):
        read_companion(companion)


def test_a_name_is_at_most_max_name_chars_wherever_it_is_read(tmp_path):
    """MAX_NAME_CHARS is the one limit of a division's and a community's name: the
    entities, a table's name cells and a companion's region name keep 100 characters and
    refuse 101."""
    from sqfw.entities import Community, Division
    from sqfw.errors import InvalidEntityError
    from sqfw.limits import MAX_NAME_CHARS

    assert MAX_NAME_CHARS == 100
    longest, over = "名" * MAX_NAME_CHARS, "名" * (MAX_NAME_CHARS + 1)
    assert Division(code="150000000000", name=longest, kind="province").name == longest
    assert Community(code="150102001001", name=longest, kind="urban").name == longest
    with pytest.raises(InvalidEntityError):
        Division(code="150000000000", name=over, kind="province")
    with pytest.raises(InvalidEntityError):
        Community(code="150102001001", name=over, kind="urban")
    path = tmp_path / "n.csv"
    path.write_text(f"社区代码,社区名称\n150102001001,{longest}\n", encoding="utf-8")
    assert load_table(path).communities.name == [longest]
    path.write_text(f"社区代码,社区名称\n150102001001,{over}\n", encoding="utf-8")
    with pytest.raises(DataLoadError, match="at most 100 characters, got 101"):
        load_table(path)
