"""What a notebook shows: short reprs, DataFrames of plain values, Chinese that is Chinese.

Every public result object of a region the size of the bundled sample (14,315 communities,
103 banners/counties) prints in at most 1,000 characters; the tables for notebooks are
pandas DataFrames whose cells are plain values (no enums); the Chinese scenario comparison
names targets and norms by their Chinese labels and formats figures as the reports do.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import pytest

from sqfw.analysis import (
    Assessment,
    BuildFacilityArea,
    RegisterVolunteers,
    Scenario,
    assess,
    compare,
    compare_plans,
    project,
    sample_region,
)
from sqfw.calculators import NORMS
from sqfw.formatting import amount
from sqfw.reports._tables import cell_text, targets_table

pd = pytest.importorskip("pandas")

REPR_LIMIT = 1_000


@pytest.fixture(scope="module")
def region() -> Any:
    return sample_region()


@pytest.fixture(scope="module")
def baseline(region: Any) -> Assessment:
    return assess(region)


@pytest.fixture(scope="module")
def run(region: Any) -> Any:
    scenario = Scenario(
        name="补建面积", interventions=[BuildFacilityArea(), RegisterVolunteers(rate="10%")]
    )
    return scenario.run(region)


def _plain(frame: Any) -> list[Any]:
    """Every cell and index value that is an enum (there should be none)."""
    cells = [*frame.to_numpy().ravel().tolist(), *frame.index.tolist(), *frame.columns.tolist()]
    return [c for c in cells if isinstance(c, enum.Enum)]


class TestReprs:
    """Every public result object's repr stays short."""

    def test_every_result_object(self, region: Any, baseline: Assessment, run: Any) -> None:
        comparison = compare(baseline, run)
        projection = project(
            region,
            Scenario(name="v", interventions=[RegisterVolunteers(rate="10%")]),
            years=range(2016, 2019),
        )
        plans = compare_plans(region)
        objects = {
            "Assessment": baseline,
            "gaps()": baseline.gaps("facility_area"),
            "TargetResult": baseline.targets_at()[0],
            "IndicatorValue": baseline.indicators[0],
            "Place": baseline.region,
            "CommunityFinding": baseline.finding(0, "facility_area"),
            "ScenarioRun": run,
            "Effect": run.effects[0],
            "Comparison": comparison,
            "TargetChange": comparison.targets[0],
            "CommunityChange": comparison.communities[0],
            "Projection": projection,
            "PlanComparison": plans,
            "Projection.table()": projection.table(),
            "Comparison.table()": comparison.table(),
        }
        sizes = {name: len(repr(value)) for name, value in objects.items()}
        assert {n: s for n, s in sizes.items() if s > REPR_LIMIT} == {}
        assert len(baseline.gaps("facility_area")) > 100  # a ranking of every banner, shown short

    def test_the_ranking_is_still_a_tuple(self, baseline: Assessment) -> None:
        ranked = baseline.gaps("facility_area")
        assert isinstance(ranked, tuple)
        assert ranked[0].gap >= ranked[1].gap
        assert ranked[0].place.name in repr(ranked)
        assert f"… {len(ranked) - 5:,} more" in repr(ranked)


class TestFrames:
    """The notebook tables are DataFrames of plain values."""

    def test_projection_table(self, region: Any) -> None:
        projection = project(region, years=range(2019, 2022))  # across two plans
        frame = projection.table()
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == [2019, 2020, 2021]
        assert frame.index.name == "target"
        assert _plain(frame) == []
        assert set(frame.stack().dropna()) <= {"met", "not_met", "unknown", "not_supplied"}
        # a target of the 13th plan only is None in the 14th plan's year, and the reverse
        assert frame.loc["volunteers", 2021] is None
        assert frame.loc["volunteers", 2019] == projection.attainment("volunteers", 2019).value
        chinese = projection.table(lang="zh")
        assert chinese.loc["volunteers", 2019] == projection.attainment("volunteers", 2019).label(
            "zh"
        )

    def test_comparison_and_plans_tables(self, baseline: Assessment, run: Any, region: Any) -> None:
        comparison = compare(baseline, run)
        frame = comparison.table(lang="zh")
        assert isinstance(frame, pd.DataFrame)
        assert len(frame) == len(comparison.targets)
        assert _plain(frame) == []
        first = comparison.targets[0]
        assert frame.iloc[0]["label"] == baseline.target(first.target, first.place).target.label_zh
        plans = compare_plans(region).table(lang="en")
        assert isinstance(plans, pd.DataFrame)
        assert set(plans["plan"]) == {"im-13th", "cn-14th"}
        assert _plain(plans) == []


class TestChineseText:
    """The Chinese comparison is in Chinese, its figures as the reports write them."""

    def test_labels_not_ids(self, baseline: Assessment, run: Any) -> None:
        text = compare(baseline, run).to_text(lang="zh")
        ids = {t.id for t in (r.target for r in baseline.targets)} | {n.id for n in NORMS}
        assert [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)] == []
        assert "build" not in text
        assert "register" not in text
        assert re.findall(r"[A-Za-z]{3,}", text) == []  # no English word at all
        for norm in NORMS:
            if norm.id in baseline.runs:
                assert norm.label_zh in text

    def test_figures_as_the_report_writes_them(self, baseline: Assessment, run: Any) -> None:
        text = compare(baseline, run).to_text(lang="zh")
        region_area = baseline.target("facility_area")
        shown = amount(region_area.gap, region_area.target.gap_unit)
        assert shown in text
        row = next(
            r for r in targets_table(baseline, "zh").rows if r[0] == region_area.target.label_zh
        )
        assert cell_text(row[5], "amount", "zh") == shown  # the targets table writes it so
        assert str(region_area.gap) not in text.replace(shown, "")  # never the raw Decimal
