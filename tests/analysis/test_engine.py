"""The columnar fast path against the per-community calculators, on generated data."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from sqfw.analysis import assess, sample_region
from sqfw.analysis._engine import RULES, RuleParameters, evaluate
from sqfw.calculators import Rounding, Status, assess_community
from sqfw.periods import as_date
from sqfw.standards import default_standards


def _same(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-9


class TestSampleRegion:
    def test_shape_of_the_plan_region(self, sample):
        """12 leagues/cities, ~100 banners, ~1,000 townships, ~14,000 communities."""
        assert len(sample.prefectures) == 12
        assert 95 <= len(sample.counties) <= 110
        assert 900 <= len(sample.townships) <= 1200
        assert 12_000 <= len(sample) <= 16_000
        kinds = set(sample.communities.kind)
        assert len(kinds) == 7

    def test_same_seed_same_data(self):
        """The generator is deterministic for a seed and differs across seeds."""
        a, b, c = sample_region(seed=5), sample_region(seed=5), sample_region(seed=6)
        assert a.communities.code == b.communities.code
        assert a.communities.area == b.communities.area
        assert a.communities.area != c.communities.area

    def test_mix_of_compliance(self, sample):
        """Every per-community norm has passes and failures in the sample."""
        a = assess(sample)
        for norm in RULES:
            counts = a.status_counts(norm)
            assert counts[Status.PASS] > 0
            assert counts[Status.FAIL] > 0


class TestFastPath:
    @pytest.mark.parametrize("rounding", list(Rounding))
    def test_numpy_and_python_paths_agree(self, sample, rounding):
        """Both evaluation paths give identical columns on the sample."""
        pytest.importorskip("numpy")
        params = RuleParameters.read(default_standards(), as_date("2020-12-31"), rounding)
        fast = evaluate(sample, params, use_numpy=True)
        slow = evaluate(sample, params, use_numpy=False)
        for rule in RULES:
            assert list(fast[rule].status) == list(slow[rule].status)
            for field in ("measured", "required", "shortfall"):
                xs, ys = getattr(fast[rule], field), getattr(slow[rule], field)
                assert all(_same(x, y) for x, y in zip(xs, ys, strict=True)), (rule, field)

    @pytest.mark.parametrize("rounding", list(Rounding))
    def test_fast_path_matches_the_calculators(self, rounding):
        """On 1,500 generated communities, status and shortfall equal the calculators'."""
        data = sample_region(seed=11)
        a = assess(data, rounding=rounding)
        step = max(1, len(data) // 1500)
        for index in range(0, len(data), step):
            community = data.community(index)
            for result in assess_community(community, rounding=rounding):
                finding = a.finding(index, result.norm)
                assert finding.status is result.status, (community.code, result.norm)
                if result.shortfall is not None and finding.shortfall is not None:
                    assert abs(
                        Decimal(str(finding.shortfall)) - Decimal(result.shortfall)
                    ) < Decimal("0.01"), (community.code, result.norm)

    def test_boundary_decided_exactly(self, small):
        """An area a hair below its minimum fails; exactly at the minimum passes."""
        c = small.communities
        at = c.copy()
        below = c.copy()
        below.area[0] = 449.99999999999
        assert (
            assess(small.evolve(communities=at)).finding(0, "facility_area").status.value == "pass"
        )
        result = assess(small.evolve(communities=below)).finding(0, "facility_area")
        assert result.status.value == "fail"

    def test_overrides_reach_the_fast_path(self, sample):
        """A stricter norm read from the standards raises the number of failures."""
        std = default_standards().with_overrides({"facility.area.per_100_households": 45})
        base = assess(sample).status_counts("facility_area")
        strict = assess(sample, standards=std).status_counts("facility_area")
        fail = next(s for s in base if s.value == "fail")
        assert strict[fail] > base[fail]
