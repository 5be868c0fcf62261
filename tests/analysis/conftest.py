"""A hand-built region whose every figure the tests check by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sqfw.analysis import Baselines, RegionDataset, sample_region
from sqfw.entities import (
    Committee,
    Community,
    CommunityWorker,
    Division,
    Facility,
    Region,
    SmartCommunity,
)


def _committee(direct: bool) -> Committee:
    return Committee(
        term=10,
        kind="residents",
        method="direct" if direct else "household_representatives",
    )


def _centre(area: str, office: str, barrier_free: bool | None) -> Facility:
    return Facility(
        id="centre",
        kind="comprehensive",
        total_area_m2=area,
        office_area_m2=office,
        barrier_free=barrier_free,
    )


def _worker(ident: str, education: str) -> CommunityWorker:
    return CommunityWorker(
        id=ident,
        name="张三",
        community_code="150102001001",
        education=education,
        term_start="2018-01-01",
    )


def small_region() -> Region:
    """Two banners, two streets and a town; five communities (see the test module)."""
    return Region(
        root=Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region"),
        divisions=(
            Division(code="150100000000", name="呼和浩特市", kind="prefecture_city"),
            Division(
                code="150102000000", name="新城区", kind="district", meets_pay_requirements=True
            ),
            Division(
                code="150121000000", name="土默特左旗", kind="banner", meets_pay_requirements=False
            ),
            Division(
                code="150102001000", name="海拉尔东路街道", kind="street", public_service_hall=True
            ),
            Division(
                code="150102002000", name="锡林南路街道", kind="street", public_service_hall=False
            ),
            Division(code="150121100000", name="察素齐镇", kind="town"),
        ),
        communities=(
            Community(
                code="150102001001",
                name="甲社区",
                kind="urban",
                households=1500,
                resident_population=4000,
                registered_volunteers=800,
                facilities=(_centre("450", "135", True),),
                committee=_committee(True),
                smart=SmartCommunity(
                    infrastructure=True, platform_sharing=True, online_convenience=True
                ),
            ),
            Community(
                code="150102001002",
                name="乙社区",
                kind="urban",
                households=2000,
                resident_population=5000,
                registered_volunteers=900,
                facilities=(_centre("500", "160", False),),
                committee=_committee(False),
                smart=SmartCommunity(
                    infrastructure=True, platform_sharing=False, online_convenience=None
                ),
            ),
            Community(
                code="150102002001",
                name="丙社区",
                kind="urban",
                households=800,
                resident_population=2000,
                new_or_renovated=True,
                facilities=(_centre("480", "100", None),),
                committee=_committee(True),
                smart=SmartCommunity(
                    infrastructure=False, platform_sharing=True, online_convenience=True
                ),
            ),
            Community(
                code="150121100001",
                name="丁嘎查",
                kind="pastoral",
                households=100,
                resident_population=300,
                registered_volunteers=60,
                facilities=(_centre("150", "45", True),),
                smart=SmartCommunity(
                    infrastructure=True, platform_sharing=True, online_convenience=True
                ),
            ),
            Community(
                code="150121100002",
                name="戊社区",
                kind="township_seat",
                resident_population=1200,
                registered_volunteers=200,
            ),
        ),
        workers=(
            _worker("w1", "associate"),
            _worker("w2", "bachelor"),
            _worker("w3", "senior_secondary"),
            _worker("w4", "junior_secondary_or_below"),
        ),
    )


SMALL_BASELINES = Baselines(
    previous_direct_election_ratio=Fraction(1, 2),
    associate_share_12th_plan=Fraction(2, 5),
    urban_facility_coverage_previous=Fraction(2, 3),
)


@pytest.fixture
def small() -> RegionDataset:
    """The hand-built region as a dataset, with baselines."""
    return RegionDataset.from_region(small_region(), baselines=SMALL_BASELINES)


@pytest.fixture(scope="session")
def sample() -> RegionDataset:
    """The bundled sample region (seed 2016)."""
    return sample_region()
