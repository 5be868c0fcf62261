"""Calculators as specifications: overrides, traces, unknowns and monotonicity."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pendulum
from hypothesis import given
from hypothesis import strategies as st

import sqfw.calculators as calc
from sqfw.calculators import Status, assess_community, facility_area, volunteer_ratio
from sqfw.entities import Community, Facility
from sqfw.standards import default_standards

ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2}


def town(area: str | Decimal, households: int | None = 1000, **kw: object) -> Community:
    facilities = [Facility(id="c", kind="comprehensive", total_area_m2=area, barrier_free=True)]
    return Community(
        code="150102001001",
        name="测试社区",
        kind=kw.pop("kind", "urban"),
        households=households,
        resident_population=None if households is None else households * 3,
        facilities=facilities,
        **kw,  # type: ignore[arg-type]
    )


class TestTrace:
    """A result names every parameter it read, with period and citation."""

    def test_parameters_and_citations(self) -> None:
        """§2.1: the per-100 and total minimums are listed with their clause."""
        result = facility_area(town("300"))
        ids = [p.id for p in result.parameters]
        assert ids == ["facility.area.per_100_households", "facility.area.total_min"]
        assert all(p.citation.clause == "§2.1" for p in result.parameters)
        assert result.on == pendulum.Date(2020, 12, 31)
        assert "§2.1" in result.trace()

    def test_assumption_is_carried(self) -> None:
        """§2.11: the 95% default is listed among the assumptions."""
        result = calc.street_hall_coverage([])
        assert any("95%" in a for a in result.assumptions)

    def test_every_result_explains_itself_in_both_languages(self) -> None:
        """assess_community gives one result per norm, each with zh and en lines."""
        results = assess_community(town("300"))
        assert [r.norm for r in results] == list(calc.PER_COMMUNITY_NORMS)
        for r in results:
            assert r.explanation_zh
            assert r.explanation_en
            assert r.explanation("en") == r.explanation_en


class TestOverrides:
    """Overrides change results only where they apply and show in the trace."""

    def test_override_changes_only_the_norm_that_reads_it(self) -> None:
        """§2.1: 40 m²/100 households fails 350 m² for 1000 households; §5.11 is untouched."""
        base = default_standards()
        local = base.with_overrides({"facility.area.per_100_households": 40}, source="某旗细则")
        community = town("350")
        before = assess_community(community, standards=base)
        after = assess_community(community, standards=local)
        assert before[0].status is Status.PASS
        assert after[0].status is Status.FAIL
        assert after[0].overrides[0].source == "某旗细则"
        assert before[0].overrides == ()
        for old, new in zip(before[1:], after[1:], strict=True):
            assert old.status is new.status
            assert new.overrides == ()
        assert base.value("facility.area.per_100_households", "2020-12-31") == Decimal(30)

    def test_lookup_outside_the_plan_period_is_an_error(self) -> None:
        """The plan's values end on 2020-12-31; asking for 2021 is not silently answered."""
        import pytest

        from sqfw.errors import NotInForceError

        with pytest.raises(NotInForceError):
            facility_area(town("300"), on="2021-06-01")


class TestUnknownIsNeverPass:
    """Missing inputs give unknown with the reason."""

    def test_no_households(self) -> None:
        """§2.1 with unknown households and enough total area is unknown."""
        result = facility_area(town("1000", households=None))
        assert result.status is Status.UNKNOWN
        assert "households" in result.explanation_en

    def test_no_previous_ratio(self) -> None:
        """§1.4 without the previous term's ratio is unknown."""
        assert calc.direct_election_ratio([], previous_ratio=None).status is Status.UNKNOWN


class TestMonotone:
    """More of what a norm asks for never turns a pass into a fail."""

    @given(
        st.decimals(min_value=0, max_value=5000, places=2),
        st.decimals(min_value=0, max_value=500, places=2),
        st.integers(min_value=0, max_value=5000),
        st.booleans(),
        st.sampled_from(["urban", "township_seat", "pastoral", "central_village"]),
    )
    def test_more_area_never_fails_more(
        self, area: Decimal, extra: Decimal, households: int, new: bool, kind: str
    ) -> None:
        """§2.1/§2.12/§2.13: adding area never lowers the status."""
        hh = households if households else None
        small = facility_area(town(area, households=hh, new_or_renovated=new, kind=kind))
        large = facility_area(town(area + extra, households=hh, new_or_renovated=new, kind=kind))
        assert ORDER[large.status] >= ORDER[small.status]

    @given(st.integers(min_value=1, max_value=20000), st.data())
    def test_more_volunteers_never_fail_more(self, residents: int, data: st.DataObject) -> None:
        """§5.11: adding volunteers never lowers the status; the boundary is exact."""
        volunteers = data.draw(st.integers(min_value=0, max_value=residents))
        more = data.draw(st.integers(min_value=volunteers, max_value=residents))

        def community(n: int) -> Community:
            return Community(
                code="150102001001",
                name="x",
                kind="urban",
                households=residents,
                resident_population=residents,
                registered_volunteers=n,
            )

        low, high = volunteer_ratio(community(volunteers)), volunteer_ratio(community(more))
        assert ORDER[high.status] >= ORDER[low.status]
        assert (low.status is Status.PASS) == (Fraction(volunteers, residents) >= Fraction(1, 5))


class TestNoPolicyLiterals:
    """The plan's numbers live only in data files, never in calculator code."""

    def test_no_plan_numbers_in_code(self) -> None:
        """Numeric literals in calculator code are only 0, 1 and 100 (percent, per hundred)."""
        folder = Path(calc.__file__).parent
        for path in folder.glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            numbers = {
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, int | float)
                and not isinstance(node.value, bool)
            }
            # The default evaluation date (到2020年 → 2020-12-31) is the one dated exception;
            # the precision of figures (10⁻⁶) is arithmetic, not a figure of the plan,
            allowed = {0, 1, 100} | {
                "_result.py": {2020, 12, 31, 2, 4, 10, 1024},  # and percent formatting
                "_norm.py": {1e-06, 6, 4096},  # and the size of a cache
                "_figures.py": {18},  # the size of a memo (2¹⁸ inputs)
                "commendation.py": {366},  # days of a leap year, not a figure of the plan
            }.get(path.name, set())
            assert numbers <= allowed, (path.name, numbers)
