"""Indicators of the units below the community (§3.5): grids with a grid worker, households
per grid against a local norm, grid events within their limits, floating residents
registered with their building — per community, street and county."""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest

from sqfw import reports
from sqfw.analysis import (
    GRID_INDICATORS,
    HouseholdsNorm,
    assess,
    grid_households,
    grid_indicators,
    sample_region,
)
from sqfw.calculators import Status
from sqfw.entities import CommunityUnits, FloatingRegistration, Grid, GridWorker
from sqfw.errors import InvalidArgumentError, InvalidEntityError
from sqfw.population import FloatingRegister
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.grid_event import GridEventRules, GridEventWorkflow

JIA, YI = "150101001001", "150101001002"  # two communities of one street (sample region)
OTHER_STREET = "150101002001"
ON = pendulum.Date(2024, 6, 30)
NORM = HouseholdsNorm(source="某区网格化管理办法(示例)", min_households=100, max_households=300)
T0 = pendulum.datetime(2024, 5, 6, 9, tz="Asia/Shanghai")
WF = GridEventWorkflow(rules=GridEventRules(verify_hours=24, dispose_hours=72, review_hours=72))


def grid(community: str, serial: int, households: int | None = 200, **worker: object) -> Grid:
    workers = [GridWorker(id=f"w{serial}", name="王伟", **worker)] if worker else []  # type: ignore[arg-type]
    return Grid(
        community_code=community,
        code=f"{community}{serial:03d}",
        name=f"第{serial}网格",
        households=households,
        workers=workers,
    )


def rows(**kw: object) -> dict[tuple[str, str, str], tuple[int, int | None]]:
    found = grid_indicators(**kw)  # type: ignore[arg-type]
    return {(r.id, r.level, r.place): (r.numerator, r.denominator) for r in found}


class TestGridWorkers:
    """§3.5 grids with a grid worker assigned on the day: first and last day count."""

    @pytest.mark.parametrize(
        ("worker", "counted"),
        [
            ({"since": "2024-06-30"}, 1),
            ({"since": "2024-07-01"}, 0),
            ({"until": "2024-06-30"}, 1),
            ({"until": "2024-06-29"}, 0),
            ({"full_time": False}, 1),  # a part-time grid worker is a grid worker too
        ],
    )
    def test_assigned_on_the_day(self, worker: dict[str, object], counted: int) -> None:
        units = CommunityUnits(community_code=JIA, grids=[grid(JIA, 1, **worker)])
        found = rows(units=[units], on=ON)
        assert found[("grid.with_worker", "community", JIA)] == (counted, 1)

    def test_street_and_county_add_up_their_communities(self) -> None:
        units = [
            CommunityUnits(community_code=JIA, grids=[grid(JIA, 1, since="2024-01-01")]),
            CommunityUnits(community_code=YI, grids=[grid(YI, 1), grid(YI, 2)]),
            CommunityUnits(community_code=OTHER_STREET, grids=[grid(OTHER_STREET, 1)]),
        ]
        found = rows(units=units, on=ON)
        assert found[("grid.with_worker", "street", "150101001000")] == (1, 3)
        assert found[("grid.with_worker", "street", "150101002000")] == (0, 1)
        assert found[("grid.with_worker", "county", "150101000000")] == (1, 4)


class TestHouseholdsNorm:
    """§3.5 households per grid against a local norm, which the host supplies: both bounds
    included, one household past either is outside, and without a norm nothing is met."""

    @pytest.mark.parametrize(
        ("households", "status", "shortfall"),
        [
            (100, Status.PASS, 0),
            (99, Status.FAIL, 1),
            (300, Status.PASS, 0),
            (301, Status.FAIL, 1),
            (None, Status.UNKNOWN, None),
        ],
    )
    def test_bounds(self, households: int | None, status: Status, shortfall: int | None) -> None:
        result = grid_households(grid(JIA, 1, households), norm=NORM, on=ON)
        assert result.status is status
        assert result.shortfall == shortfall
        assert result.clauses == ("§3.5",)
        assert NORM.source in result.explanation_zh
        assert NORM.source in result.explanation_en

    def test_never_met_without_a_norm(self) -> None:
        result = grid_households(grid(JIA, 1, 200), on=ON)
        assert result.status is Status.UNKNOWN
        assert "no local norm" in result.explanation_en
        assert "未提供本地网格户数标准" in result.explanation_zh
        units = CommunityUnits(community_code=JIA, grids=[grid(JIA, 1, 200)])
        assert not any(k[0] == "grid.households_within_norm" for k in rows(units=[units], on=ON))

    def test_counted_with_a_norm(self) -> None:
        units = CommunityUnits(
            community_code=JIA,
            grids=[grid(JIA, 1, 100), grid(JIA, 2, 301), grid(JIA, 3, None)],
        )
        found = rows(units=[units], on=ON, norm=NORM)
        # the grid of unknown households is not counted either way
        assert found[("grid.households_within_norm", "community", JIA)] == (1, 2)

    def test_one_bound_only(self) -> None:
        at_most = HouseholdsNorm(source="x", max_households=300)
        assert at_most.holds(0)
        assert not at_most.holds(301)

    @pytest.mark.parametrize(
        ("low", "high", "why"),
        [(None, None, "a minimum, a maximum or both"), (300, 299, "not below the minimum")],
    )
    def test_a_norm_must_say_something(self, low: int | None, high: int | None, why: str) -> None:
        with pytest.raises(InvalidEntityError, match=why):
            HouseholdsNorm(source="x", min_households=low, max_households=high)


def _event(ident: str, grid_code: str, verify_after_hours: float) -> WorkflowRecord:
    r = WF.apply(
        WF.new(ident),
        "report",
        actor="g",
        at=T0,
        data={"grid_code": grid_code, "category": "占道经营", "found_by": "g"},
    )
    r = WF.apply(r, "verify", actor="g", at=T0.add(minutes=int(verify_after_hours * 60)))
    return WF.apply(r, "handle_on_spot", actor="g", at=r.last.at.add(hours=1), reason="劝离")


class TestEventsWithinLimits:
    """§3.5 grid events handled within their limits: exactly the limit is within it."""

    def test_counted_by_community(self) -> None:
        events = [
            _event("E1", JIA + "001", 24),
            _event("E2", JIA + "001", 24.5),
            _event("E3", YI + "002", 1),
            WF.new("E4"),  # not reported: not counted
        ]
        found = rows(units=[], on=ON, events=events, workflow=WF)
        assert found[("grid_event.within_limits", "community", JIA)] == (1, 2)
        assert found[("grid_event.within_limits", "community", YI)] == (1, 1)
        assert found[("grid_event.within_limits", "street", "150101001000")] == (2, 3)

    def test_events_need_their_workflow(self) -> None:
        with pytest.raises(InvalidArgumentError, match="workflow"):
            grid_indicators([], on=ON, events=[WF.new("E1")])

    @pytest.mark.parametrize("levels", [None, "street", 3, ["street", "province"]])
    def test_levels_are_named_levels(self, levels: object) -> None:
        """No levels, a bare string, a number or an unknown level is refused by name."""
        with pytest.raises(InvalidArgumentError, match="levels"):
            grid_indicators([], on=ON, levels=levels)  # type: ignore[arg-type]


def _registration(ident: str, building: str | None, departed: str | None = None) -> object:
    return FloatingRegistration(
        id=ident,
        community_code=JIA,
        identity_number="11010519491231002X",
        name="张三",
        address="光明路1号",
        origin="河北省",
        arrived_on="2024-01-01",
        registered_on="2024-01-02",
        registered_by_role="building_leader",
        registered_by="L1",
        departed_on=departed,
        building_code=building,
    )


class TestRegistrationsByBuilding:
    """§3.5 floating residents registered with their building, among those present."""

    def test_present_and_named(self) -> None:
        register = FloatingRegister(
            register_id="reg",
            registrations=[
                _registration("r1", JIA + "0001"),
                _registration("r2", JIA + "0001"),
                _registration("r3", None),
                _registration("r4", JIA + "0002", departed="2024-06-30"),  # left that day
                _registration("r5", JIA + "0002", departed="2024-07-01"),  # still there
            ],
        )
        assert register.by_building(ON) == {JIA + "0001": 2, JIA + "0002": 1}
        found = rows(units=[], on=ON, register=register)
        assert found[("floating.with_building", "community", JIA)] == (3, 4)
        assert register.views()[0].building_code == JIA + "0001"


class TestInTheRegionReport:
    """Attached to an assessment, the rows show in its views with the same figures."""

    def test_json_and_markdown(self) -> None:
        units = CommunityUnits(community_code=JIA, grids=[grid(JIA, 1, since="2024-01-01")])
        indicators = grid_indicators([units], on=ON, norm=NORM)
        region = assess(sample_region(), on="2020-12-31").with_processes(indicators=indicators)
        data = reports.to_dict(region, findings="none")["process_indicators"]
        shown = {(d["indicator"], d["place"]): (d["numerator"], d["denominator"]) for d in data}
        assert shown[("grid.with_worker", JIA)] == (1, 1)
        assert shown[("grid.households_within_norm", JIA)] == (1, 1)
        markdown = reports.markdown(region, lang="en", top=3)
        assert GRID_INDICATORS["grid.with_worker"][1] in markdown
        assert Fraction(1, 1) == indicators[0].value

    def test_every_view_shows_the_same_rows(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        """Text, HTML, JSON, DataFrame and workbook show the rows the indicators decided."""
        pd = pytest.importorskip("pandas")
        pytest.importorskip("xlsxwriter")
        units = [
            CommunityUnits(
                community_code=JIA,
                grids=[grid(JIA, 1, since="2024-01-01"), grid(JIA, 2, households=301)],
            ),
            CommunityUnits(community_code=YI, grids=[grid(YI, 1, households=99)]),
        ]
        indicators = grid_indicators(units, on=ON, norm=NORM)
        region = assess(sample_region(), on="2020-12-31").with_processes(indicators=indicators)
        expected = {(r.id, r.place): (r.numerator, r.denominator) for r in indicators}
        # §3.5 per community and added up for the street: 1 of 2 grids staffed in 甲, 0 of 1 in 乙
        assert expected[("grid.with_worker", JIA)] == (1, 2)
        assert expected[("grid.with_worker", "150101001000")] == (1, 3)
        assert expected[("grid.households_within_norm", "150101001000")] == (1, 3)
        data = reports.to_dict(region, findings="none")["process_indicators"]
        shown = {(d["indicator"], d["place"]): (d["numerator"], d["denominator"]) for d in data}
        assert {k: v for k, v in shown.items() if k[0].startswith("grid")} == expected
        frame = reports.frame(region, "processes", lang="en")
        grids = frame[frame["indicator"].str.startswith("grid")]
        assert len(grids) == len(expected)
        path = tmp_path / "r.xlsx"
        reports.write_report(region, path, lang="en")
        sheet = pd.read_excel(path, engine="openpyxl", sheet_name="processes", dtype=str)
        labels = {GRID_INDICATORS[i][1]: i for i in GRID_INDICATORS}
        in_sheet = {
            (labels[row["indicator"]], row["code"]): (int(row["count"]), int(row["out of"]))
            for _, row in sheet.iterrows()
            if row["indicator"] in labels and row["out of"] == row["out of"]  # (not NaN)
        }
        assert in_sheet == {k: v for k, v in expected.items() if v[1]}
        for lang in ("zh", "en"):
            label = GRID_INDICATORS["grid.with_worker"][0 if lang == "zh" else 1]
            html = reports.html_page(region, lang=lang)
            assert label in html
            assert "50.00%" in html  # 1 of 2 grids in 甲
            text = reports.text(region, lang=lang, top=3)
            assert label.split()[0] in text
            assert "33.33%" in text  # the street: 1 of 3
