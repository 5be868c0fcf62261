"""Assessing under a plan: the national 14th plan's targets, plans by date, across plans."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from sqfw.analysis import (
    Attainment,
    RegionDataset,
    RegisterVolunteers,
    Scenario,
    assess,
    compare_plans,
    project,
    sample_region,
)
from sqfw.calculators import Status
from sqfw.calculators._share import rate_at_least
from sqfw.cli import main
from sqfw.entities import Community, Division, Facility, Region

ROOT = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")


def _community(code: str, kind: str, households: int, area: str | None) -> Community:
    facilities = (
        [Facility(id="c", kind="comprehensive", total_area_m2=area)] if area is not None else []
    )
    return Community(
        code=code,
        name="社区",
        kind=kind,
        households=households,
        resident_population=households * 3,
        facilities=facilities,
    )


class TestNationalTargets:
    """The 14th plan's region figures, decided exactly at their boundaries."""

    def test_area_per_100_households_boundary(self) -> None:
        """300 m² for 1,000 households is exactly 30 per 100: met; 299.99 is not."""
        at = Region(root=ROOT, communities=(_community("150102001001", "urban", 1000, "300"),))
        below = Region(
            root=ROOT, communities=(_community("150102001001", "urban", 1000, "299.99"),)
        )
        met = assess(at, plan="cn-14th").target("area_per_100_households")
        short = assess(below, plan="cn-14th").target("area_per_100_households")
        assert met.attainment is Attainment.MET
        assert met.measured == 30
        assert short.attainment is Attainment.NOT_MET
        assert short.gap == Decimal("0.01")
        assert "国办发〔2021〕56号" in met.parameters[0].citation.document

    def test_rural_coverage_boundary(self) -> None:
        """4 of 5 rural communities equipped is exactly 80%: met; 3 of 5 is not, gap 1."""

        def region(equipped: int) -> Region:
            return Region(
                root=ROOT,
                communities=tuple(
                    _community(
                        f"150121100{i:03d}",
                        "central_village",
                        100,
                        "150" if i <= equipped else None,
                    )
                    for i in range(1, 6)
                ),
            )

        met = assess(region(4), plan="cn-14th").target("rural_facility_coverage")
        short = assess(region(3), plan="cn-14th").target("rural_facility_coverage")
        assert (met.attainment, met.measured) == (Attainment.MET, Fraction(4, 5))
        assert (short.attainment, short.gap) == (Attainment.NOT_MET, 1)

    def test_workers_per_10000_urban_residents(self) -> None:
        """18 per 10,000 exactly is met; one worker fewer is 1 short (the shared rule)."""
        assert rate_at_least(18, 10_000, 18, per=10_000, whole=True).status is Status.PASS
        short = rate_at_least(17, 10_000, 18, per=10_000, whole=True)
        assert (short.status, short.shortfall) == (Status.FAIL, 1)
        data = sample_region(seed=2)
        target = assess(data, plan="cn-14th").target("workers_per_10000_urban")
        assert target.attainment in (Attainment.MET, Attainment.NOT_MET)
        assert target.target.clauses == ("§5.1",)

    def test_values_to_supply(self) -> None:
        """Not supplied: reported as such, never met; supplied, it is decided or unknown."""
        data = sample_region(seed=2)
        a = assess(data, plan="cn-14th")
        for target_id in ("new_commercial_share", "activity_space_share", "self_service_coverage"):
            result = a.target(target_id)
            assert result.attainment is Attainment.NOT_SUPPLIED
            assert "value not supplied" in result.explanation_en
        from sqfw.standards import plan_standards

        supplied = plan_standards("cn-14th").with_overrides(
            {"facility.shares.activity_space.at_least": "60%"}, source="本地规定"
        )
        b = assess(data, plan="cn-14th", standards=supplied)
        assert b.target("activity_space_share").attainment is Attainment.UNKNOWN


class TestPlansByDate:
    """The plan follows the date unless one is chosen."""

    def test_the_plan_in_force(self) -> None:
        """2020 is judged by the 13th plan, 2025 by the national 14th plan."""
        data = sample_region(seed=2)
        assert assess(data, on="2020-12-31").plan.id == "im-13th"
        later = assess(data, on="2025-12-31")
        assert later.plan.id == "cn-14th"
        assert {t.target.id for t in later.targets_at()} >= {"rural_facility_coverage"}

    def test_projection_across_plans(self) -> None:
        """2016–2025: each year judged by its plan; a volunteer target exists until 2020."""
        data = sample_region(seed=2)
        scenario = Scenario(name="more volunteers", interventions=[RegisterVolunteers(rate="5%")])
        p = project(data, scenario, years=range(2019, 2023))
        assert p.plans == ("im-13th", "im-13th", "cn-14th", "cn-14th")
        assert p.attainment("volunteers", 2020) is not None
        assert p.attainment("volunteers", 2021) is None
        assert p.attainment("rural_facility_coverage", 2022) is Attainment.MET

    def test_compare_two_plans(self) -> None:
        """What the 14th plan asks beyond the 13th, side by side."""
        data = sample_region(seed=2)
        both = compare_plans(data)
        assert [a.plan.id for a in both.assessments] == ["im-13th", "cn-14th"]
        totals = both.totals()
        assert "area still to build" in totals["im-13th"]
        assert "urban communities still to equip" in totals["cn-14th"]
        text = both.to_text(lang="zh")
        assert "国办发" not in text  # labels, not citations
        assert "城市社区综合服务设施全覆盖" in text


class TestCommandLine:
    """sqfw plans and sqfw assess --plan."""

    def test_plans(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The table lists the three plans, with the number to supply."""
        assert main(["plans", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        for plan_id in ("cn-laws", "im-13th", "cn-14th"):
            assert plan_id in out

    def test_assess_under_the_national_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The report cites 国办发〔2021〕56号, rural coverage included; values to supply shown."""
        code = main(
            [
                "assess",
                "--plan",
                "cn-14th",
                "--date",
                "2025-12-31",
                "--lang",
                "en",
                "--format",
                "markdown",
            ]
        )
        out = capsys.readouterr().out
        assert code == 0
        assert "国办发〔2021〕56号" in out
        assert "rural facility coverage" in out
        assert "value not supplied" in out

    def test_date_after_every_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A date after every plan carries the latest forward and says so; with
        --strict-plan it is refused (exit 2), naming the plans and their periods."""
        assert main(["assess", "--date", "2026-03-01", "--format", "markdown"]) == 0
        assert "沿用" in capsys.readouterr().out
        assert main(["assess", "--date", "2026-03-01", "--strict-plan"]) == 2
        err = capsys.readouterr().err
        assert "cn-14th (2021-01-01–2025-12-31" in err

    def test_the_plan_picked_is_said(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --plan the command says which plan the date picked."""
        assert main(["assess", "--date", "2025-12-31", "--format", "markdown"]) == 0
        assert "cn-14th" in capsys.readouterr().err


def test_region_dataset_carries_set_up_as_needed() -> None:
    """The dataset reads the as-needed flag of a community as the explained check does."""
    community = Community(
        code="150102001001",
        name="社区",
        kind="urban",
        households=800,
        resident_population=2000,
        set_up_as_needed=True,
    )
    data = RegionDataset.from_region(Region(root=ROOT, communities=(community,)))
    assert list(data.communities.set_up_as_needed) == [1]


class TestReportsUnderAPlan:
    """Every report format follows the plan's own targets and indicators."""

    @pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json", "xlsx", "ndjson"])
    def test_every_format(self, fmt: str, tmp_path: pytest.TempPathFactory) -> None:
        """Under the 14th plan each format writes; rates are shown as rates, not shares."""
        pytest.importorskip("xlsxwriter")
        from pathlib import Path

        from sqfw.reports import write_report

        result = assess(sample_region(seed=4), plan="cn-14th")
        path = Path(str(tmp_path)) / f"report.{fmt}"
        write_report(result, path, format=fmt)
        # the findings are per-community norms, of which the 14th plan has none
        assert path.stat().st_size > 0 or fmt == "ndjson"
        if fmt in ("table", "markdown"):
            text = path.read_text(encoding="utf-8")
            assert "/ 100" in text
            assert "/ 10,000" in text
            assert "3000.00%" not in text


class TestSuppliedShares:
    """Once supplied, the three indicators are decided on the communities' own figures."""

    def _assess(self, *communities: Community) -> object:
        from sqfw.standards import plan_standards

        supplied = plan_standards("cn-14th").with_overrides(
            {
                "facility.shares.activity_space.at_least": "60%",
                "facility.shares.new_commercial.at_least": "10%",
                "informatization.self_service.coverage.at_least": "100%",
            },
            source="本地规定",
        )
        return assess(
            Region(root=ROOT, communities=communities), plan="cn-14th", standards=supplied
        )

    def _community(self, **fields: object) -> Community:
        activity = fields.pop("activity", None)
        return Community(
            code="150102001001",
            name="社区",
            kind="urban",
            households=1000,
            resident_population=3000,
            facilities=[
                Facility(
                    id="c", kind="comprehensive", total_area_m2="500", activity_area_m2=activity
                )
            ],
            **fields,  # type: ignore[arg-type]
        )

    def test_activity_space_boundary(self) -> None:
        """300 of 500 m² is exactly 60%: met; 299.99 m² is 0.01 m² short."""
        met = self._assess(self._community(activity="300")).target("activity_space_share")
        short = self._assess(self._community(activity="299.99")).target("activity_space_share")
        assert met.attainment is Attainment.MET
        assert short.attainment is Attainment.NOT_MET
        assert short.gap == Decimal("0.01")

    def test_new_commercial_boundary(self) -> None:
        """A new community: 100 of 1,000 m² is exactly 10%: met; 99 m² is 1 m² short."""

        def one(commercial: str) -> object:
            return self._assess(
                self._community(
                    new_or_renovated=True,
                    floor_area_m2="1000",
                    commercial_service_area_m2=commercial,
                )
            ).target("new_commercial_share")

        assert one("100").attainment is Attainment.MET
        short = one("99")
        assert (short.attainment, short.gap) == (Attainment.NOT_MET, Decimal(1))

    def test_self_service_boundary(self) -> None:
        """Every urban community with a terminal: met; without, not met; unknown: unknown."""

        def one(terminal: bool | None) -> Attainment:
            result = self._assess(self._community(self_service_terminal=terminal))
            return result.target("self_service_coverage").attainment

        assert one(True) is Attainment.MET
        assert one(False) is Attainment.NOT_MET
        assert one(None) is Attainment.UNKNOWN

    def test_tables_carry_the_new_columns(self, tmp_path: pytest.TempPathFactory) -> None:
        """Written to a table and read back, the new figures give the same verdict."""
        from pathlib import Path

        from sqfw.analysis import load_table, save_table

        community = self._community(
            activity="300",
            self_service_terminal=True,
            floor_area_m2="1000",
            commercial_service_area_m2="100",
            new_or_renovated=True,
        )
        data = RegionDataset.from_region(Region(root=ROOT, communities=(community,)))
        path = Path(str(tmp_path)) / "region.csv"
        save_table(data, path)
        back = load_table(path)
        for name in ("activity", "self_service", "floor_area", "commercial_area"):
            assert list(getattr(back.communities, name)) == list(getattr(data.communities, name))
