"""Each region indicator is counted once: the region calculators and the assessment agree.

Every region rule (§1.4 direct election, §2.11 coverage and street halls, §3.11 smart
community, §5.2 pay, §5.3 associate degree, the 14th plan's rates) is one kernel run by the
region calculator on its entities and by the assessment on columns. These tests check each
rule's boundary on both sides through both, and that the targets files name only declared
rules.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from sqfw.analysis import Baselines, RegionDataset, assess, load_region, save_table
from sqfw.analysis._result import Attainment, TargetResult
from sqfw.analysis._targets import load_targets
from sqfw.calculators import (
    Result,
    Status,
    associate_degree_share,
    direct_election_ratio,
    facility_coverage,
    pay_compliance_share,
    smart_community_coverage,
    street_hall_coverage,
)
from sqfw.calculators._kinds import KINDS, AboveBaseline, AtLeast, Count, RateAtLeast
from sqfw.calculators._region import REGION_RULES, Level, region_rule
from sqfw.entities import (
    Committee,
    CommitteeKind,
    Community,
    CommunityKind,
    CommunityWorker,
    Division,
    DivisionKind,
    EducationLevel,
    ElectionMethod,
    Facility,
    FacilityKind,
    Region,
    SmartCommunity,
)
from sqfw.errors import StandardsError
from sqfw.standards import get_plan

ROOT = Division(code="150000000000", name="内蒙古自治区", kind=DivisionKind.AUTONOMOUS_REGION)


def _community(n: int, **fields: Any) -> Community:
    fields.setdefault("kind", CommunityKind.URBAN)
    return Community(code=f"150102001{n + 1:03d}", name=f"社区{n}", **fields)


def _committee(term: int, *, direct: bool) -> Committee:
    return Committee(
        term=term,
        kind=CommitteeKind.RESIDENTS,
        method=ElectionMethod.DIRECT if direct else ElectionMethod.HOUSEHOLD_REPRESENTATIVES,
    )


def _facility(area: int) -> tuple[Facility, ...]:
    if not area:
        return ()
    return (Facility(id="centre", kind=FacilityKind.COMPREHENSIVE, total_area_m2=Decimal(area)),)


def _target(data: Region | RegionDataset, target_id: str, **options: Any) -> TargetResult:
    """The region-level target of the 13th plan (or ``options["plan"]``)."""
    options.setdefault("plan", "im-13th")
    return assess(data, **options).target(target_id)


def _agree(result: Result | Any, target: TargetResult) -> None:
    """The calculator's status and figures are the target's."""
    assert Attainment.of(result.status) is target.attainment, (result.status, target.attainment)
    assert result.measured == target.measured
    assert result.required == target.required
    assert result.shortfall == target.gap


def _dataset(region: Region, **baselines: Any) -> RegionDataset:
    return RegionDataset.from_region(region, baselines=Baselines(**baselines))


class TestDirectElection:
    """§1.4: the direct-election ratio counts the residents' committees of the plan's term."""

    def test_the_term_is_counted_in_both(self) -> None:
        """§1.4: a 10th-term committee not elected directly and a 9th-term one that was,
        previous ratio 1/3: the 10th-term ratio is 0/1 — fail, from the calculator and the
        assessment alike."""
        region = Region(
            root=ROOT,
            communities=(
                _community(1, committee=_committee(10, direct=False)),
                _community(2, committee=_committee(9, direct=True)),
            ),
        )
        result = direct_election_ratio(region, previous_ratio="1/3")
        target = _target(_dataset(region, previous_direct_election_ratio="1/3"), "direct_election")
        assert result.status is Status.FAIL
        assert result.measured == 0
        assert target.attainment is Attainment.NOT_MET
        assert target.measured == 0
        _agree(result, target)

    @pytest.mark.parametrize(("direct", "status"), [(2, Status.FAIL), (3, Status.PASS)])
    def test_strictly_above_the_previous_term(self, direct: int, status: Status) -> None:
        """§1.4 提高: 2 of 4 equals the previous 1/2 and fails; 3 of 4 passes; a 9th-term
        committee elected directly changes nothing."""
        communities = [_community(i, committee=_committee(10, direct=i < direct)) for i in range(4)]
        communities.append(_community(9, committee=_committee(9, direct=True)))
        region = Region(root=ROOT, communities=tuple(communities))
        result = direct_election_ratio(region, previous_ratio="1/2")
        assert result.status is status
        assert result.measured == Fraction(direct, 4)
        _agree(
            result,
            _target(_dataset(region, previous_direct_election_ratio="1/2"), "direct_election"),
        )

    def test_an_unknown_term_is_never_a_pass(self) -> None:
        """§1.4: a table without the term column leaves every committee's term unknown: the
        target is unknown, not met on the direct-election flags alone."""
        region = Region(
            root=ROOT,
            communities=tuple(
                _community(i, committee=_committee(10, direct=True)) for i in range(3)
            ),
        )
        dataset = _dataset(region, previous_direct_election_ratio="1/2")
        assert _target(dataset, "direct_election").attainment is Attainment.MET
        columns = dataset.communities
        old_table = dataset.evolve(communities=columns.copy(term=[math.nan] * len(columns)))
        target = _target(old_table, "direct_election")
        assert target.attainment is Attainment.UNKNOWN
        assert target.measured is None

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_a_table_keeps_the_term(self, tmp_path: Any, lang: str) -> None:
        """§1.4: a table written and read back keeps each committee's term, so the target
        reads the same; the header is 居委会届次 (committee_term)."""
        region = Region(
            root=ROOT,
            communities=(
                _community(1, committee=_committee(10, direct=False)),
                _community(2, committee=_committee(9, direct=True)),
            ),
        )
        dataset = _dataset(region, previous_direct_election_ratio="1/3")
        path = save_table(dataset, tmp_path / "region.csv", lang=lang)
        header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert ("居委会届次" if lang == "zh" else "committee_term") in header
        again = load_region(path)
        assert list(again.communities.term) == [10.0, 9.0]
        target = _target(again, "direct_election")
        assert (target.attainment, target.measured) == (Attainment.NOT_MET, 0)

    def test_an_old_table_without_the_term_is_unknown(self, tmp_path: Any) -> None:
        """§1.4: a table of before, without the term column, still loads; its committees'
        terms are unknown and the target is unknown, not met on the flags alone."""
        path = tmp_path / "old.csv"
        path.write_text(
            "社区代码,社区类型,直选\n150102001001,城镇社区,是\n150102001002,城镇社区,是\n",
            encoding="utf-8",
        )
        dataset = load_region(path, baselines=Baselines(previous_direct_election_ratio="1/2"))
        assert all(math.isnan(t) for t in dataset.communities.term)
        assert _target(dataset, "direct_election").attainment is Attainment.UNKNOWN

    def test_unknown_terms_are_bounded_both_ways(self) -> None:
        """§1.4: with one term unknown, 2 direct of 3 known (previous 1/2) could be 2/4 = 1/2
        (not above) or stay above: unknown; 3 of 3 known stays above either way: met."""
        two = [_community(i, committee=_committee(10, direct=i < 2)) for i in range(3)]
        three = [_community(i, committee=_committee(10, direct=True)) for i in range(3)]
        for known, attainment in ((two, Attainment.UNKNOWN), (three, Attainment.MET)):
            region = Region(
                root=ROOT,
                communities=(*known, _community(7, committee=_committee(10, direct=False))),
            )
            dataset = _dataset(region, previous_direct_election_ratio="1/2")
            terms = list(dataset.communities.term)
            terms[-1] = math.nan
            dataset = dataset.evolve(communities=dataset.communities.copy(term=terms))
            assert _target(dataset, "direct_election").attainment is attainment


class TestFacilityCoverage:
    """§2.11: urban facility coverage keeps rising (strictly above the previous figure)."""

    @pytest.mark.parametrize(("covered", "status"), [(1, Status.FAIL), (2, Status.PASS)])
    def test_strictly_above(self, covered: int, status: Status) -> None:
        """§2.11: 1 of 2 equals the previous 1/2 and fails; 2 of 2 passes; a rural
        community is not counted."""
        communities = [
            _community(i, facilities=_facility(100 if i < covered else 0)) for i in range(2)
        ]
        communities.append(_community(5, kind=CommunityKind.RURAL_VILLAGE))
        region = Region(root=ROOT, communities=tuple(communities))
        result = facility_coverage(region, previous_coverage="1/2")
        assert result.status is status
        assert result.measured == Fraction(covered, 2)
        assert len(result.findings) == 2  # one per urban community, from the kernel's rows
        _agree(
            result,
            _target(_dataset(region, urban_facility_coverage_previous="1/2"), "facility_coverage"),
        )


class TestStreetHall:
    """§2.11: streets with a public service hall basically everywhere (95% by default)."""

    @pytest.mark.parametrize(("halls", "status"), [(19, Status.PASS), (18, Status.FAIL)])
    def test_threshold(self, halls: int, status: Status) -> None:
        """§2.11: 19 of 20 streets (exactly 95%) pass; 18 of 20 fail; a township without
        the street kind is not counted."""
        streets = [
            Division(
                code=f"150102{i + 1:03d}000",
                name=f"街道{i}",
                kind=DivisionKind.STREET,
                public_service_hall=i < halls,
            )
            for i in range(20)
        ]
        town = Division(code="150102100000", name="镇", kind=DivisionKind.TOWN)
        region = Region(root=ROOT, divisions=(*streets, town))
        result = street_hall_coverage(region)
        assert result.status is status
        assert result.measured == Fraction(halls, 20)
        _agree(result, _target(region, "street_hall"))


class TestPay:
    """§5.2: at least 50% of banners/counties meet the pay documents."""

    @pytest.mark.parametrize(("meeting", "status"), [(2, Status.PASS), (1, Status.FAIL)])
    def test_threshold(self, meeting: int, status: Status) -> None:
        """§5.2: 2 of 4 counties (exactly 50%) pass; 1 of 4 fails."""
        counties = [
            Division(
                code=f"1501{i + 1:02d}000000",
                name=f"旗{i}",
                kind=DivisionKind.BANNER,
                meets_pay_requirements=i < meeting,
            )
            for i in range(4)
        ]
        region = Region(root=ROOT, divisions=tuple(counties))
        result = pay_compliance_share(region)
        assert result.status is status
        _agree(result, _target(region, "pay_compliance"))

    def test_a_county_only_implied_is_unknown(self) -> None:
        """§5.2: a banner known only by its communities has no answer: counted as unknown,
        by the calculator as by the assessment."""
        county = Division(
            code="150101000000", name="旗", kind=DivisionKind.BANNER, meets_pay_requirements=True
        )
        region = Region(root=ROOT, divisions=(county,), communities=(_community(1),))
        result = pay_compliance_share(region)
        assert result.status is Status.PASS  # 1 of 2, the other unknown: at least 50% anyway
        assert result.measured == Fraction(1, 2)
        _agree(result, _target(region, "pay_compliance"))


def _worker(n: int, *, associate: bool) -> CommunityWorker:
    return CommunityWorker(
        id=f"w{n}",
        name="王芳",
        community_code="150102001001",
        education=EducationLevel.ASSOCIATE if associate else EducationLevel.SENIOR_SECONDARY,
        term_start="2018-01-01",
    )


class TestAssociateDegree:
    """§5.3: the share of workers with an associate degree or above rises."""

    @pytest.mark.parametrize(("qualified", "status"), [(2, Status.FAIL), (3, Status.PASS)])
    def test_strictly_above_the_baseline(self, qualified: int, status: Status) -> None:
        """§5.3 有所提升: 2 of 4 equals the baseline 1/2 and fails; 3 of 4 passes."""
        workers = tuple(_worker(i, associate=i < qualified) for i in range(4))
        region = Region(root=ROOT, communities=(_community(1),), workers=workers)
        result = associate_degree_share(workers, baseline="1/2")
        assert result.status is status
        _agree(
            result, _target(_dataset(region, associate_share_12th_plan="1/2"), "associate_share")
        )


class TestSmartCommunity:
    """§3.11: smart-community infrastructure at 100%, platform and online at 95%."""

    @pytest.mark.parametrize(("built", "status"), [(2, Status.PASS), (1, Status.FAIL)])
    def test_infrastructure_everywhere(self, built: int, status: Status) -> None:
        """§3.11: infrastructure in 2 of 2 communities passes; 1 of 2 fails."""
        region = Region(
            root=ROOT,
            communities=tuple(
                _community(i, smart=SmartCommunity(infrastructure=i < built)) for i in range(2)
            ),
        )
        result = smart_community_coverage(region)
        (infrastructure, *_) = result.findings
        assert infrastructure.status is status
        _agree(infrastructure, _target(region, "smart_infrastructure"))

    @pytest.mark.parametrize(
        ("field", "position", "target"),
        [
            ("platform_sharing", 1, "smart_platform_sharing"),
            ("online_convenience", 2, "smart_online_convenience"),
        ],
    )
    @pytest.mark.parametrize(("yes", "status"), [(19, Status.PASS), (18, Status.FAIL)])
    def test_basically_everywhere(
        self, field: str, position: int, target: str, yes: int, status: Status
    ) -> None:
        """§3.11 基本达到全覆盖: 19 of 20 communities (exactly 95%) pass; 18 of 20 fail."""
        region = Region(
            root=ROOT,
            communities=tuple(
                _community(i, smart=SmartCommunity(**{field: i < yes})) for i in range(20)
            ),
        )
        finding = smart_community_coverage(region).findings[position]
        assert finding.status is status
        assert finding.measured == Fraction(yes, 20)
        _agree(finding, _target(region, target))


class TestWorkersPer10000:
    """The 14th plan: community workers per 10,000 urban residents (at least 18)."""

    @pytest.mark.parametrize(
        ("workers", "attainment"), [(18, Attainment.MET), (17, Attainment.NOT_MET)]
    )
    def test_counted_without_the_associate_figure(
        self, workers: int, attainment: Attainment
    ) -> None:
        """18 workers for 10,000 urban residents meet the rate, 17 do not — whether or not
        the table gives how many of them have an associate degree."""
        region = Region(root=ROOT, communities=(_community(1, resident_population=10_000),))
        dataset = RegionDataset.from_region(region).evolve(
            county_workers=[float(workers)], county_workers_associate=[math.nan]
        )
        target = _target(dataset, "workers_per_10000_urban", plan="cn-14th", on="2025-12-31")
        assert target.attainment is attainment
        assert target.measured == workers
        clause = target.target.clauses
        assert clause  # cited from the parameter
        rule = region_rule("workers_urban")
        assert rule.level is Level.COUNTY


class TestKinds:
    """Each kind of target decides once; the names in targets.toml map to them."""

    def test_names(self) -> None:
        """The four kinds, by their names in targets.toml."""
        assert list(KINDS) == ["every", "at_least", "above_baseline", "per_at_least"]

    def test_at_least_bounds_unknown_members(self) -> None:
        """§5.2-style shares: 1 yes and 1 unknown of 2 at 50% pass; 0 yes and 1 unknown
        of 2 are unknown; 0 of 2 fail."""
        half = Fraction(1, 2)
        assert AtLeast().decide(Count(yes=1, total=2, unknown=1), threshold=half).status is (
            Status.PASS
        )
        assert AtLeast().decide(Count(yes=0, total=2, unknown=1), threshold=half).status is (
            Status.UNKNOWN
        )
        assert AtLeast().decide(Count(yes=0, total=2, unknown=0), threshold=half).status is (
            Status.FAIL
        )

    def test_above_baseline_without_baseline_is_unknown(self) -> None:
        """提高 without an earlier figure is never a pass."""
        decided = AboveBaseline().decide(Count(yes=5, total=5, unknown=0), threshold=True)
        assert decided.status is Status.UNKNOWN

    def test_rate(self) -> None:
        """A rate at exactly its threshold passes; just under fails."""
        at = RateAtLeast().decide(Count(yes=18, total=10_000, unknown=0), threshold=18, per=10_000)
        under = RateAtLeast().decide(
            Count(yes=17, total=10_000, unknown=0), threshold=18, per=10_000
        )
        assert (at.status, under.status, under.shortfall) == (Status.PASS, Status.FAIL, 1)


_INDICATOR = """
[[indicators]]
id = "x"
key = "{key}"
parameters = ["workforce.pay.county_share.at_least"]
label_zh = "甲"
label_en = "x"
unit_zh = "个"
unit_en = "units"

[[targets]]
id = "t"
kind = "at_least"
indicator = "x"
parameters = ["workforce.pay.county_share.at_least"]
label_zh = "乙"
label_en = "t"
gap_unit = "count"
gap_zh = "丙"
gap_en = "gap"
"""


class TestTargetsLoader:
    """A targets file names only declared rules."""

    def test_unknown_key_is_refused(self) -> None:
        """An indicator key that names no region rule is refused, with file and key path."""
        with pytest.raises(StandardsError) as caught:
            load_targets(_INDICATOR.format(key="pay.yes"), source="mine/targets.toml")
        assert "mine/targets.toml" in str(caught.value)
        assert "indicators[0].key" in str(caught.value)
        assert "no region rule 'pay.yes'" in str(caught.value)

    def test_declared_key_is_read(self) -> None:
        """A declared rule's key is read, with the rule's way of counting unknowns."""
        indicators, targets = load_targets(_INDICATOR.format(key="pay"))
        assert indicators[0].rule is region_rule("pay")
        assert targets[0].kind is KINDS["at_least"]

    def test_a_norm_key_must_be_the_norm(self) -> None:
        """A norm's indicator counts that norm: another key is refused."""
        text = _INDICATOR.format(key="hall").replace(
            'parameters = ["workforce.pay.county_share.at_least"]\nlabel_zh = "甲"',
            'norm = "facility_area"\nlabel_zh = "甲"',
        )
        with pytest.raises(StandardsError, match=r"indicators\[0\]\.key"):
            load_targets(text)

    @pytest.mark.parametrize("plan", ["im-13th", "cn-14th"])
    def test_every_bundled_key_is_declared(self, plan: str) -> None:
        """Every bundled indicator counts a declared rule."""
        text = get_plan(plan).targets_text()
        assert text is not None
        from sqfw.analysis._targets import plan_targets

        indicators, _ = plan_targets(get_plan(plan))
        ids = {r.id for r in REGION_RULES}
        assert all(i.norm is not None or i.key in ids for i in indicators)

    def test_unknown_kind_is_refused(self) -> None:
        """A kind that is none of the four is refused, naming them."""
        text = _INDICATOR.format(key="pay").replace('kind = "at_least"', 'kind = "most"')
        with pytest.raises(StandardsError, match=r"targets\[0\]\.kind: expected one of every"):
            load_targets(text)

    def test_a_kind_without_what_it_needs_is_refused(self) -> None:
        """above_baseline needs a baseline; at_least must not have one."""
        above = _INDICATOR.format(key="pay").replace('"at_least"', '"above_baseline"')
        with pytest.raises(StandardsError, match=r"targets\[0\]\.baseline"):
            load_targets(above)
        with_baseline = _INDICATOR.format(key="pay").replace(
            'gap_unit = "count"', 'gap_unit = "count"\nbaseline = "associate_share_12th_plan"'
        )
        with pytest.raises(StandardsError, match=r"targets\[0\]\.baseline"):
            load_targets(with_baseline)

    def test_the_unknown_key_is_the_rules(self) -> None:
        """How unknown cases count is the region rule's: the file no longer says it."""
        text = _INDICATOR.format(key="pay").replace(
            'key = "pay"', 'key = "pay"\nunknown = "amounts"'
        )
        with pytest.raises(StandardsError, match=r"indicators\[0\]\.unknown: unknown key"):
            load_targets(text)
        indicators, _ = load_targets(_INDICATOR.format(key="coverage"))
        assert indicators[0].unknown == region_rule("coverage").unknowns == "members"
