"""A table's root is named and kinded from GB/T 2260's province-level divisions.

Outside facts the table is checked against: the mainland has 22 provinces, 5 autonomous
regions and 4 municipalities directly under the central government (宪法 第三十条 and
the State Council's list), each with a two-digit code of GB/T 2260.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sqfw.analysis import load_table
from sqfw.entities import DivisionKind, DivisionLevel
from sqfw.entities.divisions import PROVINCES, division_kind, division_level

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
