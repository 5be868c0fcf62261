"""Each place where the explained check and the assessment once disagreed, on both sides.

One definition per norm and per region rule: the answers below come from the same code
whichever way they are asked for.
"""

from __future__ import annotations

from fractions import Fraction

from sqfw.analysis import (
    Attainment,
    Baselines,
    BuildFacilityArea,
    RegionDataset,
    RegisterVolunteers,
    Scenario,
    assess,
)
from sqfw.calculators import (
    Status,
    facility_area,
    office_share,
    street_hall_coverage,
    volunteer_ratio,
)
from sqfw.calculators._inputs import as_ratio
from sqfw.entities import Community, Division, Facility, Region

ROOT = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")


def _community(code: str, **fields: object) -> Community:
    values: dict[str, object] = {"name": "社区", "kind": "urban", **fields}
    return Community(code=code, **values)  # type: ignore[arg-type]


def _centre(area: str, office: str = "0") -> Facility:
    return Facility(id="c", kind="comprehensive", total_area_m2=area, office_area_m2=office)


class TestStreetHallsWithoutStreets:
    """§2.11: without streets the street-hall target does not apply, asked either way."""

    def test_no_streets_is_not_applicable_both_ways(self) -> None:
        """A region of towns only: the calculator and the assessment say not applicable."""
        town = Division(code="150121100000", name="察素齐镇", kind="town")
        region = Region(
            root=ROOT,
            divisions=(town,),
            communities=(_community("150121100001", households=300, facilities=[_centre("300")]),),
        )
        assert street_hall_coverage(region).status is Status.NOT_APPLICABLE
        target = assess(region).target("street_hall")
        assert target.attainment is Attainment.NOT_APPLICABLE

    def test_one_street_is_decided_both_ways(self) -> None:
        """With one street that has a hall, both say met."""
        street = Division(code="150102001000", name="街道", kind="street", public_service_hall=True)
        region = Region(
            root=ROOT,
            divisions=(street,),
            communities=(_community("150102001001", households=300, facilities=[_centre("300")]),),
        )
        assert street_hall_coverage(region).status is Status.PASS
        assert assess(region).target("street_hall").attainment is Attainment.MET


class TestOfficeShareNotApplicable:
    """§2.14: the required share is the same figure when the norm does not apply."""

    def test_required_without_a_centre(self) -> None:
        """No centre: not applicable, required 3/10 in the finding and the check."""
        subject = _community("150102001001", households=100)
        explained = office_share(subject)
        finding = assess(Region(root=ROOT, communities=(subject,))).finding(0, "office_share")
        assert explained.status is finding.status is Status.NOT_APPLICABLE
        assert explained.required == finding.required == Fraction(3, 10)

    def test_required_with_a_centre(self) -> None:
        """With a centre the same figures, and a decided status."""
        subject = _community("150102001001", households=100, facilities=[_centre("400", "120")])
        explained = office_share(subject)
        finding = assess(Region(root=ROOT, communities=(subject,))).finding(0, "office_share")
        assert explained.status is finding.status is Status.PASS
        assert explained.measured == finding.measured == Fraction(3, 10)


class TestEmptyCommunity:
    """§2.1: a community of no households does not pass by default."""

    def test_zero_households_is_unknown(self) -> None:
        """0 households and 0 residents: §2.1 unknown, §5.11 not applicable, both ways."""
        subject = _community(
            "150102001001",
            households=0,
            resident_population=0,
            registered_volunteers=0,
            facilities=[_centre("300")],
        )
        assert facility_area(subject).status is Status.UNKNOWN
        assert volunteer_ratio(subject).status is Status.NOT_APPLICABLE
        a = assess(Region(root=ROOT, communities=(subject,)))
        assert a.finding(0, "facility_area").status is Status.UNKNOWN
        assert a.finding(0, "volunteer_ratio").status is Status.NOT_APPLICABLE

    def test_one_household_is_decided(self) -> None:
        """1 household and 300 m² passes; 299.99 m² fails, whatever the households."""
        passing = _community("150102001001", households=1, facilities=[_centre("300")])
        failing = _community("150102001002", households=0, facilities=[_centre("299.99")])
        assert facility_area(passing).status is Status.PASS
        assert facility_area(failing).status is Status.FAIL
        a = assess(Region(root=ROOT, communities=(passing, failing)))
        assert a.finding(0, "facility_area").status is Status.PASS
        assert a.finding(1, "facility_area").status is Status.FAIL


class TestScenarioPlaces:
    """A scenario's places are divisions: 150110 does not contain 150111."""

    def _region(self) -> RegionDataset:
        return RegionDataset.from_region(
            Region(
                root=ROOT,
                communities=(
                    _community("150110001001", households=1000, facilities=[_centre("100")]),
                    _community("150111001001", households=1000, facilities=[_centre("100")]),
                ),
            )
        )

    def test_only_the_county_named(self) -> None:
        """Building in county 150110 changes 150110's community and not 150111's."""
        scenario = Scenario(name="s", interventions=[BuildFacilityArea(places=("150110000000",))])
        _, _, (effect,) = scenario.apply(self._region())
        assert effect.changed == ("150110001001",)

    def test_the_prefecture_holds_both(self) -> None:
        """Building in league 1501 changes both."""
        scenario = Scenario(name="s", interventions=[BuildFacilityArea(places=("150100000000",))])
        _, _, (effect,) = scenario.apply(self._region())
        assert effect.changed == ("150110001001", "150111001001")


class TestRatiosReadOneWay:
    """A ratio written as 0.1 is 1/10 wherever it is given."""

    def test_baselines_rates_and_inputs(self) -> None:
        """Baselines, scenario rates and calculator inputs read 0.1 the same way."""
        tenth = Fraction(1, 10)
        assert Baselines(previous_direct_election_ratio=0.1).previous_direct_election_ratio == tenth
        assert RegisterVolunteers(rate=0.1).rate == tenth
        assert as_ratio(0.1, "x") == tenth
        assert as_ratio("10%", "x") == as_ratio("1/10", "x") == tenth

    def test_out_of_range_refused_everywhere(self) -> None:
        """A ratio above 1 is refused by the same rule, naming what was given."""
        import pytest

        from sqfw.errors import InvalidArgumentError

        with pytest.raises(
            InvalidArgumentError, match=r"Baselines\.previous_direct_election_ratio"
        ):
            Baselines(previous_direct_election_ratio=Fraction(3, 2))
        with pytest.raises(InvalidArgumentError, match="rate"):
            RegisterVolunteers(rate="150%")
