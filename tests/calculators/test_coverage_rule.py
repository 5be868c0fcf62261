"""§2.11: one coverage rule (`has_facility`) for the entity calculator and the roll-up."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sqfw.analysis import RegionDataset, assess
from sqfw.calculators import facility_coverage
from sqfw.calculators.coverage import has_facility
from sqfw.entities import Community, Division, Facility, Region

CODES = ("150102001001", "150102001002")


def _region(area: str) -> Region:
    """Two urban communities: one with a 300 m² centre, one whose centre has ``area``."""
    return Region(
        root=Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region"),
        communities=tuple(
            Community(
                code=code,
                name=f"社区{i}",
                kind="urban",
                households=1000,
                resident_population=3000,
                facilities=(Facility(id="c", kind="comprehensive", total_area_m2=size),),
            )
            for i, (code, size) in enumerate(zip(CODES, ("300", area), strict=True))
        ),
    )


@pytest.mark.parametrize(("area", "covered"), [("0.01", True), ("0", False)])
def test_a_floor_area_covers_and_none_does_not(area, covered):
    """§2.11: 0.01 m² counts as a facility, 0 m² does not — for entities and columns alike."""
    assert bool(has_facility(float(area))) is covered
    region = _region(area)
    share = Fraction(1 + covered, 2)
    assert facility_coverage(region, previous_coverage="1/4").measured == share
    result = assess(RegionDataset.from_region(region), on="2020-12-31")
    assert result.indicator("facility.coverage").value == share


def test_an_unknown_area_is_not_covered():
    import math

    assert not has_facility(math.nan)
