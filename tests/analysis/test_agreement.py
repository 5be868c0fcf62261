"""One definition per rule: the explained check and the national assessment agree.

Every per-community rule case of ``tests/cases`` and every community of generated regions
goes through both evaluations — the explained check of one community, and the columnar
assessment, with NumPy and with the pure-Python namespace — and must give the same status,
measured, required and shortfall. So does every region rule: each region calculator and the
assessment's target at the region level, on the same generated regions. The kernels also
run under ``array-api-strict``, so no NumPy-only call slips into a rule.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.rule_cases import ALL_CASES, Case, community, run
from sqfw import testing
from sqfw.analysis import Baselines, RegionDataset, assess, sample_region
from sqfw.analysis._engine import RuleParameters, columns_of, namespace
from sqfw.analysis._result import Attainment
from sqfw.calculators import (
    NORMS,
    Status,
    assess_community,
    associate_degree_share,
    direct_election_ratio,
    facility_coverage,
    pay_compliance_share,
    smart_community_coverage,
    street_hall_coverage,
)
from sqfw.calculators._norm import Row
from sqfw.calculators._region import REGION_RULES, Level
from sqfw.entities import Division, DivisionLevel, Region
from sqfw.entities.divisions import division_level
from sqfw.periods import as_date
from sqfw.standards import default_standards

ROOT = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
PER_COMMUNITY = [c for c in ALL_CASES if c.calculator in {n.id for n in NORMS}]
ALL_NORMS = [n.id for n in NORMS]


def _standards(case: Case) -> Any:
    std = default_standards()
    if case.overrides:
        std = std.with_overrides(case.overrides, source=f"case: {case.name}")
    return std


def _same(finding: Any, result: Any) -> None:
    assert finding.status is result.status, (finding.status, result.status)
    assert finding.measured == result.measured
    assert finding.required == result.required
    assert finding.shortfall == result.shortfall
    assert finding.clauses == result.clauses


class TestRuleCasesAgree:
    """The rule cases give the same answer explained and in columns, with or without NumPy."""

    @pytest.mark.parametrize("use_numpy", [True, False], ids=["numpy", "python"])
    @pytest.mark.parametrize("case", PER_COMMUNITY, ids=[c.id for c in PER_COMMUNITY])
    def test_case(self, case: Case, use_numpy: bool) -> None:
        """The columnar finding equals the explained result of the same community."""
        explained = run(case)
        subject = community(case.subject)
        region = Region(root=ROOT, communities=(subject,))
        a = assess(
            region,
            on=case.on,
            plan="cn-laws",  # no targets: the norm alone, on any date
            standards=_standards(case),
            norms=[case.calculator],
            use_numpy=use_numpy,
            **case.args,
        )
        _same(a.finding(0, case.calculator), explained)
        (again,) = [r for r in a.explain(subject.code) if r.norm == case.calculator]
        assert again == explained


class TestGeneratedRegionsAgree:
    """Every community of generated regions gives the same answer both ways."""

    @settings(deadline=None)
    @given(
        region=testing.regions(),
        use_numpy=st.booleans(),
        rounding=st.sampled_from(["pro_rata", "per_started_hundred"]),
    )
    def test_every_community(self, region: Region, use_numpy: bool, rounding: str) -> None:
        """Findings from columns equal the explained check of each community."""
        a = assess(region, use_numpy=use_numpy, rounding=rounding, norms=ALL_NORMS)
        for index, entity in enumerate(region.communities):
            for result in assess_community(entity, rounding=rounding):
                _same(a.finding(index, result.norm), result)

    @pytest.mark.parametrize("rounding", ["pro_rata", "per_started_hundred"])
    def test_the_sample_both_namespaces(self, rounding: str) -> None:
        """NumPy and the pure-Python namespace give identical findings and targets."""
        data = sample_region(seed=11)
        fast = assess(data, rounding=rounding, use_numpy=True, norms=ALL_NORMS)
        slow = assess(data, rounding=rounding, use_numpy=False, norms=ALL_NORMS)
        for norm in NORMS:
            assert list(map(int, fast.runs[norm.id].status)) == list(
                map(int, slow.runs[norm.id].status)
            )
        step = max(1, len(data) // 800)
        for index in range(0, len(data), step):
            for norm in NORMS:
                x, y = fast.finding(index, norm.id), slow.finding(index, norm.id)
                assert (x.status, x.measured, x.required, x.shortfall) == (
                    y.status,
                    y.measured,
                    y.required,
                    y.shortfall,
                )
        assert [(t.attainment, t.gap, t.measured) for t in fast.targets] == [
            (t.attainment, t.gap, t.measured) for t in slow.targets
        ]

    def test_sampled_findings_equal_the_explained_check(self) -> None:
        """On 1,500 sample communities each finding equals its entity's explained check."""
        data = sample_region(seed=11)
        a = assess(data, norms=ALL_NORMS)
        step = max(1, len(data) // 1500)
        for index in range(0, len(data), step):
            for result in assess_community(data.community(index)):
                _same(a.finding(index, result.norm), result)


@st.composite
def _regions_of_two_terms(draw: st.DrawFn) -> Region:
    """Generated regions whose committees are of the 9th or the plan's 10th term."""
    region = draw(testing.regions())
    return attrs.evolve(
        region,
        communities=tuple(
            c
            if c.committee is None
            else attrs.evolve(
                c, committee=attrs.evolve(c.committee, term=draw(st.sampled_from([9, 10])))
            )
            for c in region.communities
        ),
    )


_RATIOS = st.none() | st.fractions(min_value=0, max_value=1, max_denominator=12)


def _agree(result: Any, target: Any) -> None:
    assert Attainment.of(result.status) is target.attainment, (result, target)
    assert result.measured == target.measured
    assert result.required == target.required
    assert result.shortfall == target.gap


class TestRegionRulesAgree:
    """Each region calculator gives the assessment's region-level target, exactly."""

    @settings(deadline=None)
    @given(
        region=_regions_of_two_terms(),
        previous_ratio=_RATIOS,
        previous_coverage=_RATIOS,
        baseline=_RATIOS,
        use_numpy=st.booleans(),
    )
    def test_same_status_and_figures(
        self,
        region: Region,
        previous_ratio: Fraction | None,
        previous_coverage: Fraction | None,
        baseline: Fraction | None,
        use_numpy: bool,
    ) -> None:
        """§1.4, §2.11, §3.11, §5.2, §5.3: status, measured, required and shortfall agree."""
        dataset = RegionDataset.from_region(
            region,
            baselines=Baselines(
                previous_direct_election_ratio=previous_ratio,
                urban_facility_coverage_previous=previous_coverage,
                associate_share_12th_plan=baseline,
            ),
        )
        a = assess(dataset, plan="im-13th", use_numpy=use_numpy)
        _agree(
            direct_election_ratio(region, previous_ratio=previous_ratio),
            a.target("direct_election"),
        )
        _agree(
            facility_coverage(region, previous_coverage=previous_coverage),
            a.target("facility_coverage"),
        )
        _agree(street_hall_coverage(region), a.target("street_hall"))
        _agree(pay_compliance_share(region), a.target("pay_compliance"))
        # the assessment attributes a worker to a banner/county: one above is not counted
        attributed = [
            w for w in region.workers if division_level(w.community_code) >= DivisionLevel.COUNTY
        ]
        _agree(associate_degree_share(attributed, baseline=baseline), a.target("associate_share"))
        smart = smart_community_coverage(region).findings
        for finding, target in zip(
            smart,
            ("smart_infrastructure", "smart_platform_sharing", "smart_online_convenience"),
            strict=True,
        ):
            _agree(finding, a.target(target))

    @pytest.mark.parametrize(
        "rule", [r for r in REGION_RULES if r.level is Level.COMMUNITY], ids=lambda r: r.id
    )
    def test_strict_namespace(self, rule: Any) -> None:
        """Under array-api-strict a region kernel gives NumPy's parts on the sample."""
        strict = pytest.importorskip("array_api_strict")
        import numpy as np

        data = sample_region(seed=3)
        values = rule.values(default_standards(), as_date("2020-12-31"))
        numpy_columns = columns_of(data, namespace(True))
        strict_columns = {k: strict.asarray(np.asarray(v)) for k, v in numpy_columns.items()}
        ours = rule.tally(namespace(True), numpy_columns, values)
        theirs = rule.tally(strict, strict_columns, values)
        for mine, other in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(np.asarray(other), np.asarray(mine))


class TestPortableKernels:
    """The kernels use only the array API: they run under array-api-strict."""

    @pytest.mark.parametrize("norm", NORMS, ids=[n.id for n in NORMS])
    def test_strict_namespace(self, norm: Any) -> None:
        """Under array-api-strict the kernel gives NumPy's outputs on the sample."""
        strict = pytest.importorskip("array_api_strict")
        import numpy as np

        data = sample_region(seed=3)
        params = RuleParameters.read(default_standards(), as_date("2020-12-31")).norms[norm.id]
        numpy_columns = columns_of(data, namespace(True))
        strict_columns = {k: strict.asarray(np.asarray(v)) for k, v in numpy_columns.items()}
        ours = norm.evaluate(namespace(True), numpy_columns, params)
        theirs = norm.evaluate(strict, strict_columns, params)
        for name, column in ours.outputs.items():
            np.testing.assert_array_equal(np.asarray(theirs[name]), np.asarray(column))


class TestBoundary:
    """Floating point decides no boundary: marked rows are decided on exact figures."""

    def test_a_hair_below_fails_and_exactly_passes(self) -> None:
        """An area a hair below the per-households minimum fails; exactly at it passes."""
        at = community({"households": 1501, "facilities": [{"total_area_m2": "450.3"}]})
        below = community({"households": 1501, "facilities": [{"total_area_m2": "450.2999999"}]})
        for use_numpy in (True, False):
            for subject, status in ((at, Status.PASS), (below, Status.FAIL)):
                a = assess(Region(root=ROOT, communities=(subject,)), use_numpy=use_numpy)
                assert a.finding(0, "facility_area").status is status

    def test_exact_rows_keep_exact_figures(self) -> None:
        """A boundary row's figures are the exact ones (no float noise in the shortfall)."""
        subject = community({"households": 1501, "facilities": [{"total_area_m2": "450.3"}]})
        a = assess(Region(root=ROOT, communities=(subject,)))
        finding = a.finding(0, "facility_area")
        assert str(finding.required) == "450.3"
        assert finding.shortfall == 0

    def test_overrides_reach_the_columns(self) -> None:
        """A stricter norm read from the standards raises the number of failures."""
        sample = sample_region(seed=5)
        std = default_standards().with_overrides({"facility.area.per_100_households": 45})
        base = assess(sample).status_counts("facility_area")
        strict = assess(sample, standards=std).status_counts("facility_area")
        assert strict[Status.FAIL] > base[Status.FAIL]


class TestExplainFromTheRow:
    """Findings carry their explanation: it is built from the row, not recomputed."""

    def test_finding_result_equals_explain(self) -> None:
        """A finding's result is the one ``explain`` gives, with parameters and lines."""
        data = sample_region(seed=2)
        a = assess(data, norms=ALL_NORMS)
        code = data.communities.code[7]
        results = a.explain(code)
        for result in results:
            finding = a.finding(7, result.norm)
            assert finding.result() == result
            assert finding.explanation("zh") == result.explanation_zh
            assert finding.explanation("en") == result.explanation_en
            assert result.parameters, result.norm
            assert all(p.citation.clause in result.clauses for p in result.parameters)

    def test_unknown_code(self) -> None:
        """Explaining a code the region does not have is a KeyError."""
        with pytest.raises(KeyError):
            assess(sample_region(seed=2)).explain("150000000000")

    def test_rows_are_the_norms_inputs(self) -> None:
        """A row reads the kernel's outputs first, then the inputs."""
        data = sample_region(seed=2)
        run = assess(data).runs["facility_area"]
        row: Row = run.row(0)
        assert row.number("area") == data.communities.area[0]
        assert int(row["status"]) == int(run.status[0])


class TestDatasetFromTheSameColumns:
    """A region's entities and its columns are read the same way."""

    def test_region_and_dataset(self) -> None:
        """Assessing a dataset and the Region built from it gives the same findings."""
        data = sample_region(seed=4)
        x = assess(data, norms=ALL_NORMS)
        y = assess(RegionDataset.from_region(data.to_region()), norms=ALL_NORMS)
        for norm in NORMS:
            assert list(map(int, x.runs[norm.id].status)) == list(map(int, y.runs[norm.id].status))
