"""Scenarios change exactly the communities they should; projections give the right year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sqfw.analysis import (
    Attainment,
    BuildFacilityArea,
    ConvertToDirectElection,
    EquipStreetHalls,
    RegionDataset,
    RegisterVolunteers,
    Scenario,
    assess,
    compare,
    project,
)
from sqfw.entities import Community, Division, Region
from sqfw.errors import InvalidArgumentError

YI, BING, WU = "150102001002", "150102002001", "150121100002"


class TestInterventions:
    def test_build_where_short_changes_exactly_the_short_communities(self, small):
        """Building the shortfall fixes 乙, 丙 and 戊 and nobody else, at 420 m²."""
        base = assess(small)
        run = Scenario(name="build", interventions=[BuildFacilityArea()]).run(small)
        diff = compare(base, run)
        assert diff.changed_codes("facility_area") == {YI, BING, WU}
        assert set(diff.effects[0].changed) == {YI, BING, WU}
        assert diff.effects[0].total == Decimal(420)
        after = run.assessment.target("facility_area")
        # none short any more; a community of unknown area leaves the target unknown, and
        # what is still to do is then not said (a gap of "—" in every view)
        assert (after.attainment, after.gap) == (Attainment.UNKNOWN, None)
        # 戊 had no facility: it now has one, barrier-free, and §2.14/§2.4 start to apply
        assert {c.code for c in diff.communities if c.norm == "barrier_free"} == {WU}

    def test_build_only_in_chosen_places(self, small):
        """Restricted to 新城区, only 乙 and 丙 change, at 120 m²."""
        run = Scenario(
            name="xincheng", interventions=[BuildFacilityArea(places=["150102000000"])]
        ).run(small)
        diff = compare(assess(small), run)
        assert diff.changed_codes("facility_area") == {YI, BING}
        assert diff.effects[0].by_county == {"150102000000": Decimal(120)}

    def test_fixed_area_per_community(self, small):
        """Building 50 m² each closes 丙's 20 m² gap but not 乙's 100 or 戊's 300."""
        run = Scenario(name="50", interventions=[BuildFacilityArea(m2=50)]).run(small)
        diff = compare(assess(small), run)
        assert diff.changed_codes("facility_area") == {BING}
        assert diff.effects[0].total == Decimal(150)

    def test_convert_to_direct_election(self, small):
        """Converting one committee picks 乙, the only indirectly elected one: 3/3 direct."""
        run = Scenario(name="direct", interventions=[ConvertToDirectElection(count=1)]).run(small)
        assert run.effects[0].changed == (YI,)
        assert run.assessment.indicator("direct_election.ratio").numerator == 3

    def test_register_volunteers_and_override(self, small):
        """10% more volunteers and a 18% norm: the region's volunteer target is met."""
        scenario = Scenario(
            name="volunteers",
            overrides={"workforce.volunteers.registered_share.at_least": "18%"},
            interventions=[RegisterVolunteers(rate="10%")],
        )
        run = scenario.run(small)
        assert run.effects[0].total == 80 + 90 + 6 + 20
        assert run.assessment.target("volunteers").attainment is Attainment.MET
        assert assess(small).target("volunteers").attainment is Attainment.NOT_MET

    def test_equip_street_halls(self, small):
        """Opening a hall in the street without one brings coverage to 2/2."""
        run = Scenario(name="halls", interventions=[EquipStreetHalls()]).run(small)
        assert run.effects[0].changed == ("150102002000",)
        assert run.assessment.target("street_hall").attainment is Attainment.MET

    def test_baseline_is_unchanged(self, small):
        """A scenario never changes the baseline data."""
        before = list(small.communities.area)
        Scenario(name="b", interventions=[BuildFacilityArea()]).run(small)
        assert list(small.communities.area) == before

    def test_comparison_text(self, small):
        """The comparison prints the cost and the changes."""
        run = Scenario(name="build", interventions=[BuildFacilityArea()]).run(small)
        text = compare(assess(small), run).to_text(lang="en")
        assert "420.00 m²" in text  # an area to two decimals, as every view writes it
        assert "facility_area" not in text  # targets and norms by label, not by id
        assert "comprehensive facility area 3" in text


def _one_community(volunteers: int) -> RegionDataset:
    region = Region(
        root=Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region"),
        communities=(
            Community(
                code="150102001001",
                name="甲社区",
                kind="urban",
                households=400,
                resident_population=1000,
                registered_volunteers=volunteers,
            ),
        ),
    )
    return RegionDataset.from_region(region)


class TestProjection:
    def test_year_the_volunteer_target_is_met(self):
        """100 of 1000 with 25% more a year: 125, 156, 195, 243 — first ≥ 200 in 2020."""
        scenario = Scenario(name="grow", interventions=[RegisterVolunteers(rate="25%")])
        result = project(_one_community(100), scenario)
        assert result.years == (2016, 2017, 2018, 2019, 2020)
        assert result.year_met("volunteers") == 2020
        assert result.attainment("volunteers", 2019) is Attainment.NOT_MET
        assert [e[0].total for e in result.effects[1:]] == [25, 31, 39, 48]

    def test_never_met_within_the_plan(self):
        """Without interventions a target that is not met stays unmet: no year."""
        assert project(_one_community(100)).year_met("volunteers") is None

    def test_yearly_snapshots(self):
        """Snapshots per year are assessed each on 31 December of its year."""
        result = project({2016: _one_community(150), 2018: _one_community(210)})
        assert result.years == (2016, 2018)
        assert result.year_met("volunteers") == 2018

    def test_compare_refuses_other_communities(self, small):
        """Comparing assessments of different communities is an error."""
        with pytest.raises(InvalidArgumentError, match=r"the baseline.s communities"):
            compare(assess(small), assess(_one_community(1)))
