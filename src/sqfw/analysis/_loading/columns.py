"""The catalogue of the columns a table may have, and how headers find their column.

A header names a column when it equals one of the column's headers once case, spaces,
underscores, brackets, ``m`` and ``²`` are left out: ``Facility Area (m²)`` is
``facility_area``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re

import attrs

__all__ = ["COLUMNS", "Column", "column_named"]


@attrs.frozen(kw_only=True)
class Column:
    """One field a table can fill, and the headers that name it.

    Attributes:
        field: the field's name (a :class:`CommunityColumns` column or a division fact).
        kind: how a cell is read: ``code``, ``text``, ``kind``, ``count``, ``area``,
            ``flag``.
        headers: accepted headers, Chinese first (matched ignoring case and spaces).
        description: what the column holds.
    """

    field: str
    kind: str
    headers: tuple[str, ...]
    description: str


COLUMNS: tuple[Column, ...] = (
    Column(
        field="code",
        kind="code",
        headers=("社区代码", "社区编码", "区划代码", "code", "community_code"),
        description="12-digit community code (required)",
    ),
    Column(
        field="name",
        kind="text",
        headers=("社区名称", "名称", "name", "community_name"),
        description="community name",
    ),
    Column(
        field="kind",
        kind="kind",
        headers=("社区类型", "类型", "kind", "community_kind", "type"),
        description="community kind: label (城镇社区, 牧区 …) or value (urban, pastoral …)",
    ),
    Column(
        field="households", kind="count", headers=("户数", "households"), description="households"
    ),
    Column(
        field="residents",
        kind="count",
        headers=("常住人口", "resident_population", "residents"),
        description="resident population",
    ),
    Column(
        field="floating",
        kind="count",
        headers=("流动人口", "floating_population", "floating"),
        description="floating population",
    ),
    Column(
        field="volunteers",
        kind="count",
        headers=("注册志愿者", "注册志愿者数", "志愿者", "registered_volunteers", "volunteers"),
        description="registered volunteers",
    ),
    Column(
        field="area",
        kind="area",
        headers=("综合服务设施面积", "设施面积", "facility_area", "facility_area_m2", "area_m2"),
        description="comprehensive facility area, m² (0 = none)",
    ),
    Column(
        field="office",
        kind="area",
        headers=("办公面积", "office_area", "office_area_m2"),
        description="of which office area, m²",
    ),
    Column(
        field="barrier_free",
        kind="flag",
        headers=("无障碍", "无障碍达标", "barrier_free"),
        description="the facility is barrier-free (是/否/blank)",
    ),
    Column(
        field="new_or_renovated",
        kind="flag",
        headers=("新建改造", "新建或改造", "new_or_renovated"),
        description="new or renovated in the plan period",
    ),
    Column(
        field="direct",
        kind="flag",
        headers=("直选", "居委会直选", "direct_election", "direct"),
        description="residents' committee directly elected (blank: no residents' committee)",
    ),
    Column(
        field="smart_infrastructure",
        kind="flag",
        headers=("智慧社区基础设施", "smart_infrastructure"),
        description="smart-community infrastructure built",
    ),
    Column(
        field="smart_sharing",
        kind="flag",
        headers=("平台资源共享", "smart_platform_sharing", "platform_sharing"),
        description="shares resources through the platform",
    ),
    Column(
        field="smart_online",
        kind="flag",
        headers=("网上便民服务", "smart_online_convenience", "online_convenience"),
        description="online convenience services",
    ),
    Column(
        field="township_name",
        kind="text",
        headers=("苏木乡镇街道", "街道乡镇", "街道", "乡镇", "township", "township_name"),
        description="name of the sumu/township/street",
    ),
    Column(
        field="county_name",
        kind="text",
        headers=("旗县市区", "旗县", "county", "county_name", "banner"),
        description="name of the banner/county/district",
    ),
    Column(
        field="prefecture_name",
        kind="text",
        headers=("盟市", "prefecture", "league", "prefecture_name"),
        description="name of the league/city",
    ),
    Column(
        field="street_hall",
        kind="flag",
        headers=("街道公共服务大厅", "street_hall", "public_service_hall"),
        description="the community's street has a public service hall",
    ),
    Column(
        field="pay",
        kind="flag",
        headers=("报酬达标", "旗县报酬达标", "pay_compliant", "meets_pay_requirements"),
        description="the community's county meets the pay documents",
    ),
    Column(
        field="workers",
        kind="count",
        headers=("社区工作者", "社区工作者数", "workers"),
        description="professional community workers serving the community",
    ),
    Column(
        field="workers_associate",
        kind="count",
        headers=("大专以上工作者", "大专以上工作者数", "workers_associate"),
        description="of whom with an associate degree or above",
    ),
)
"""Every column a table may have, with its Chinese and English headers."""


def _norm(header: str) -> str:
    return re.sub(r"[\s_()()²m]+", "", header.strip().lower()) or header.strip().lower()


_BY_HEADER = {_norm(h): column for column in COLUMNS for h in column.headers}


def column_named(header: str) -> Column | None:
    """The column a header names, or ``None`` for a header sqfw does not know."""
    return _BY_HEADER.get(_norm(header))
