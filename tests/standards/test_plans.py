"""Plans: named standards sets that layer, strict loading, the plan in force on a date."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from sqfw.errors import PlanNotFound, StandardsError, ValueNotSupplied
from sqfw.standards import (
    LAYERS,
    bundled_plans,
    default_standards,
    get_plan,
    load_plan,
    plan_in_force,
    plan_standards,
)
from sqfw.workflows.election import ElectionRules

INNER_MONGOLIA = "150102001001"
GUANGDONG = "440103001001"

PLAN_TOML = """
id = "{id}"
layer = "{layer}"
label_zh = "示例规划"
label_en = "an example plan"
document = "示例规划"
issuer = "示例"
source = "tests"
base = {base}
norms = []
{period}
[jurisdiction]
code = "150000000000"
name_zh = "内蒙古自治区"
name_en = "Inner Mongolia"
"""
PERIOD = "[period]\nstart = 2021-01-01\nend = 2025-12-31\n"
PARAMETER = """
[rural.at_least]
label_zh = "农村覆盖率"
label_en = "rural coverage"
unit = "ratio"

[[rural.at_least.values]]
start = 2021-01-01
end = 2025-12-31
value = "{value}"
{citation}
"""
CITATION = 'citation = { document = "示例", clause = "§2.12", quote = "示例" }'


def _plan(
    folder: Path,
    *,
    id: str = "my-plan",
    layer: str = "regional",
    base: str = '["cn-14th"]',
    period: str = PERIOD,
    value: str = "90%",
    citation: str = CITATION,
    extra: str = "",
) -> Path:
    root = folder / id
    (root / "parameters" / "facility").mkdir(parents=True)
    text = PLAN_TOML.format(id=id, layer=layer, base=base, period=period) + extra
    (root / "plan.toml").write_text(text, encoding="utf-8")
    (root / "parameters" / "facility" / "coverage.toml").write_text(
        PARAMETER.format(value=value, citation=citation), encoding="utf-8"
    )
    return root


class TestBundledPlans:
    """The bundled plans, lowest layer first, each saying what it is."""

    def test_three_plans(self) -> None:
        """cn-laws (law), cn-14th (national), im-13th (regional)."""
        plans = bundled_plans()
        assert [p.id for p in plans] == ["cn-laws", "cn-14th", "im-13th"]
        assert [p.layer for p in plans] == ["law", "national", "regional"]
        assert all(p.layer in LAYERS and p.document and p.issuer and p.source for p in plans)
        assert get_plan("cn-14th").period_text == "2021-01-01–2025-12-31"
        assert "国办发〔2021〕56号" in get_plan("cn-14th").document

    def test_the_14th_plan_indicators(self) -> None:
        """The cited figures, and the three the user must supply."""
        std = plan_standards("cn-14th")
        on = "2025-12-31"
        assert std.value("facility.coverage.urban.at_least", on) == 1
        assert std.value("facility.coverage.rural.at_least", on) == Fraction(4, 5)
        assert std.value("facility.coverage.rural.end_2020", on) == Fraction(657, 1000)
        assert std.value("facility.area.per_100_households_region.at_least", on) == 30
        assert std.value("workforce.workers.per_10000_urban.at_least", on) == 18
        assert std.value("workforce.workers.per_10000_urban.end_2020", on) == 15
        assert set(get_plan("cn-14th").must_supply) == {
            "facility.shares.new_commercial.at_least",
            "facility.shares.activity_space.at_least",
            "informatization.self_service.coverage.at_least",
        }
        with pytest.raises(ValueNotSupplied, match="must be supplied"):
            std.lookup("facility.shares.activity_space.at_least", on)
        supplied = std.with_overrides({"facility.shares.activity_space.at_least": "60%"})
        assert supplied.value("facility.shares.activity_space.at_least", on) == Fraction(3, 5)

    def test_every_parameter_names_its_set_and_layer(self) -> None:
        """A lookup says which set and layer the value came from."""
        std = default_standards()
        assert std.lookup("facility.area.total_min", "2020-12-31").origin == "im-13th (regional)"
        assert std.lookup("election.villagers.term_years", "2020-12-31").origin == "cn-laws (law)"


class TestPlanInForce:
    """The date picks the plan in force for the place: the most local one."""

    @pytest.mark.parametrize(
        ("on", "code", "expected"),
        [
            ("2016-01-01", INNER_MONGOLIA, "im-13th"),
            ("2020-12-31", INNER_MONGOLIA, "im-13th"),
            ("2021-01-01", INNER_MONGOLIA, "cn-14th"),
            ("2025-12-31", INNER_MONGOLIA, "cn-14th"),
            ("2025-12-31", GUANGDONG, "cn-14th"),
        ],
    )
    def test_in_force(self, on: str, code: str, expected: str) -> None:
        """Each end of each period, inside and outside Inner Mongolia."""
        assert plan_in_force(on, code).id == expected

    @pytest.mark.parametrize(
        ("on", "code"),
        [("2015-12-31", INNER_MONGOLIA), ("2026-01-01", INNER_MONGOLIA), ("2018-06-30", GUANGDONG)],
    )
    def test_no_plan(self, on: str, code: str) -> None:
        """Outside every plan: an error naming the plans and their periods."""
        with pytest.raises(PlanNotFound) as info:
            plan_in_force(on, code)
        assert "im-13th (2016-01-01–2020-12-31" in str(info.value)
        assert "cn-14th (2021-01-01–2025-12-31" in str(info.value)

    def test_unknown_id(self) -> None:
        """An unknown id lists the plans."""
        with pytest.raises(PlanNotFound, match="no plan with the id 'im-14th'"):
            get_plan("im-14th")

    def test_a_users_regional_plan_wins_over_the_national(self, tmp_path: Path) -> None:
        """A province's plan for 2021–2025 is chosen over the national plan there."""
        mine = load_plan(_plan(tmp_path))
        assert plan_in_force("2023-06-30", INNER_MONGOLIA, plans=[mine]).id == "my-plan"
        assert plan_in_force("2023-06-30", GUANGDONG, plans=[mine]).id == "cn-14th"


class TestLayering:
    """Higher layers replace lower ones; one rank may not overlap."""

    def test_regional_over_national(self, tmp_path: Path) -> None:
        """The province's figure replaces the national one; the rest shows through."""
        mine = load_plan(_plan(tmp_path))
        std = plan_standards(mine, plans=[mine])
        rural = std.lookup("facility.coverage.rural.at_least", "2023-06-30")
        assert rural.value == Fraction(9, 10)
        assert rural.origin == "my-plan (regional)"
        urban = std.lookup("facility.coverage.urban.at_least", "2023-06-30")
        assert urban.origin == "cn-14th (national)"
        assert std.lookup("election.residents.term_years", "2023-06-30").origin == "cn-laws (law)"

    def test_overlapping_layers_refused(self, tmp_path: Path) -> None:
        """Two national sets defining one parameter: refused, naming both."""
        mine = load_plan(_plan(tmp_path, layer="national", base='["cn-14th"]'))
        with pytest.raises(StandardsError, match="also defined by 'cn-14th'"):
            plan_standards(mine, plans=[mine])

    def test_a_base_above_is_refused(self, tmp_path: Path) -> None:
        """A national plan may not layer over a regional one."""
        mine = load_plan(_plan(tmp_path, layer="national", base='["im-13th"]'))
        with pytest.raises(StandardsError, match="above 'national'"):
            plan_standards(mine, plans=[mine])

    def test_unknown_base_refused(self, tmp_path: Path) -> None:
        """A base that is no plan is named."""
        mine = load_plan(_plan(tmp_path, base='["cn-15th"]'))
        with pytest.raises(StandardsError, match="no plan with the id 'cn-15th'"):
            plan_standards(mine, plans=[mine])


class TestStrictPlanFolders:
    """A plan folder is read as strictly as the standards: file and key named."""

    def test_unknown_key(self, tmp_path: Path) -> None:
        """An unknown key of plan.toml is refused with its name."""
        folder = _plan(tmp_path, extra='colour = "red"\n')
        with pytest.raises(StandardsError) as info:
            load_plan(folder)
        assert info.value.source.endswith("plan.toml")
        assert "colour" in str(info.value)

    def test_missing_citation(self, tmp_path: Path) -> None:
        """A parameter value without a citation is refused."""
        with pytest.raises(StandardsError, match="citation"):
            load_plan(_plan(tmp_path, citation=""))

    def test_plan_without_a_period(self, tmp_path: Path) -> None:
        """A plan says its period."""
        with pytest.raises(StandardsError, match="period"):
            load_plan(_plan(tmp_path, period=""))

    def test_plan_without_an_end(self, tmp_path: Path) -> None:
        """Only a law has no end to its period."""
        with pytest.raises(StandardsError, match="only a law"):
            load_plan(_plan(tmp_path, period="[period]\nstart = 2021-01-01\n"))

    def test_bad_layer_and_taken_id(self, tmp_path: Path) -> None:
        """A layer outside the four, and an id already taken, are refused."""
        with pytest.raises(StandardsError, match="layer"):
            load_plan(_plan(tmp_path, layer="county"))
        with pytest.raises(StandardsError, match="taken"):
            load_plan(_plan(tmp_path / "x", id="cn-14th"))

    def test_no_plan_toml(self, tmp_path: Path) -> None:
        """A folder without plan.toml is not a plan."""
        with pytest.raises(StandardsError, match=r"no plan\.toml"):
            load_plan(tmp_path)


class TestRevisedLaws:
    """2026 elections say which text each threshold comes from."""

    def test_election_rules_dated_2026_flag_carried_values(self) -> None:
        """From 2026-01-01 each threshold is carried forward and says so; before, not."""
        later = ElectionRules.from_standards(default_standards(), "villagers", "2026-05-10")
        earlier = ElectionRules.from_standards(default_standards(), "villagers", "2025-12-31")
        assert len(later.sources) == 6
        assert all("carried forward, unverified" in line for line in later.sources)
        assert not any("carried forward" in line for line in earlier.sources)

    def test_committee_households_range(self) -> None:
        """The range is 100–700 to the end of 2025 and 1,000–3,000 from 2026-01-01."""
        std = default_standards()
        assert std.value("committee.setup.households.min", "2025-12-31") == 100
        assert std.value("committee.setup.households.max", "2025-12-31") == 700
        assert std.value("committee.setup.households.min", "2026-01-01") == 1000
        assert std.value("committee.setup.households.max", "2026-01-01") == 3000
