"""§5.5 commendation, §1.5 owners' committees, §1.7/§5.7/§5.8 three societies, and indicators."""

from __future__ import annotations

from fractions import Fraction

import pytest
from process_helpers import DING, JIA, TUMOTE, XINCHENG

from sqfw.analysis._processes import (
    commendation_indicators,
    consultation_indicators,
    facility_project_indicators,
    floating_indicators,
    owners_indicators,
    three_society_indicators,
)
from sqfw.calculators.commendation import commendation_list, service_years
from sqfw.entities.owners import JointMeeting, OwnersCommittee
from sqfw.entities.projects import (
    CommunityFoundation,
    FacilityProject,
    IncubationRecord,
    ServiceProject,
)
from sqfw.entities.service import ServicePeriod
from sqfw.errors import InvalidEntityError, ParameterNotFoundError
from sqfw.population import FloatingRegister
from sqfw.standards import default_standards
from sqfw.workflows.local_examples import example_local_standards

STD = default_standards().extended(example_local_standards())


def period(worker: str, start: str, end: str | None = None, code: str = JIA) -> ServicePeriod:
    return ServicePeriod(worker_id=worker, community_code=code, start=start, end=end)


class TestServiceYears:
    def test_the_anniversary_completes_the_year(self):
        """From 2010-06-01: 9 years on 2020-05-31, 10 on 2020-06-01."""
        periods = [period("w1", "2010-06-01")]
        assert service_years("w1", periods, "2020-05-31").years == 9
        assert service_years("w1", periods, "2020-06-01").years == 10

    def test_overlaps_count_once_and_gaps_do_not_count(self):
        """Two overlapping posts count once; a two-year gap is left out."""
        periods = [
            period("w1", "2008-01-01", "2012-12-31"),
            period("w1", "2011-01-01", "2013-12-31"),
            period("w1", "2016-01-01"),
        ]
        found = service_years("w1", periods, "2020-01-01")
        assert found.years == 10
        assert found.first_day.isoformat() == "2008-01-01"

    def test_leftover_days_of_stretches_add_up(self):
        """Leftovers of 183 + 183 days make a year (366 is the unit); 182 + 183 do not."""
        periods = [
            period("w1", "2015-01-01", "2015-07-02"),
            period("w1", "2017-01-01", "2017-07-02"),
        ]
        assert service_years("w1", periods, "2020-01-01").years == 1
        shorter = [
            period("w1", "2015-01-01", "2015-07-01"),
            period("w1", "2017-01-01", "2017-07-02"),
        ]
        assert service_years("w1", shorter, "2020-01-01").years == 0

    def test_last_day_before_start_is_refused(self):
        """A period ending before it starts is invalid."""
        with pytest.raises(InvalidEntityError, match="end"):
            period("w1", "2010-01-01", "2009-12-31")


class TestCommendation:
    def test_threshold_exactly_reached_qualifies(self):
        """With the example 10 years: w1 (exactly 10) qualifies, w2 (a day short) does not."""
        periods = [period("w1", "2010-06-01"), period("w2", "2010-06-02", code=DING)]
        found = commendation_list(["w1", "w2"], periods, on="2020-06-01", standards=STD)
        assert [s.worker_id for s in found.qualifying] == ["w1"]
        assert [s.worker_id for s in found.others] == ["w2"]
        assert found.clause == "§5.5"
        assert found.threshold.assumption
        assert "example" in found.explanation_en
        rows = commendation_indicators(found, periods)
        assert [(r.place, r.numerator) for r in rows] == [(JIA, 1)]

    def test_a_local_threshold_replaces_the_example(self):
        """A county's 15 years: nobody with 10 qualifies."""
        own = STD.with_overrides(
            {"workforce.commendation.service_years": 15}, source="某旗表彰办法"
        )
        found = commendation_list(
            ["w1"], [period("w1", "2010-06-01")], on="2020-06-01", standards=own
        )
        assert found.qualifying == ()

    def test_without_local_rules_it_says_so(self):
        """The plan's standards have no threshold: the error names the parameter."""
        with pytest.raises(ParameterNotFoundError, match="commendation"):
            commendation_list(["w1"], [], on="2020-06-01", standards=default_standards())


def owners(ident: str = "oc1", **more: object) -> OwnersCommittee:
    fields: dict[str, object] = {
        "id": ident,
        "estate": "阳光小区",
        "community_code": JIA,
        "members": ["李四", "王五", "赵六"],
        "term_start": "2018-01-01",
        "term_end": "2022-12-31",
    }
    fields.update(more)
    return OwnersCommittee(**fields)  # type: ignore[arg-type]


class TestOwnersCommittees:
    def test_members_are_masked(self):
        """Members' names never print in full."""
        assert "李四" not in repr(owners())

    def test_filing_needs_both_street_and_day(self):
        """A street without a day is refused; both together are accepted."""
        with pytest.raises(InvalidEntityError, match="filed"):
            owners(filed_with="150102001000")
        assert owners(filed_with="150102001000", filed_on="2018-02-01").filed

    def test_term_boundaries(self):
        """The last day of the term is in it, the next day is not."""
        committee = owners()
        from pendulum import Date

        assert committee.in_term(Date(2022, 12, 31))
        assert not committee.in_term(Date(2023, 1, 1))

    def test_indicators_count_meetings_of_the_year(self):
        """Two meetings in 2020 and one in 2019: 2 for 2020; 1 of 2 committees filed."""
        committees = [owners(), owners("oc2", filed_with="150102001000", filed_on="2018-02-01")]
        meetings = [
            JointMeeting(id=f"m{i}", owners_committee_id="oc1", community_code=JIA, on=day)
            for i, day in enumerate(["2019-12-31", "2020-01-01", "2020-12-31"])
        ]
        rows = {r.id: r for r in owners_indicators(committees, meetings, year=2020)}
        assert rows["owners.joint_meetings"].numerator == 2
        assert rows["owners.filed_share"].value == Fraction(1, 2)
        assert rows["owners.filed_share"].clauses == ("§1.5",)


class TestThreeSocieties:
    def test_linkage_needs_social_workers(self):
        """A project with no social worker is not three-society linkage."""
        base = {
            "title": "老年日间照料",
            "community_code": JIA,
            "organization_id": "org-1",
            "start": "2019-01-01",
            "end": "2020-12-31",
        }
        with_workers = ServiceProject(id="s1", social_workers=2, **base)  # type: ignore[arg-type]
        without = ServiceProject(id="s2", funding="donation", **base)  # type: ignore[arg-type]
        incubation = IncubationRecord(
            id="i1",
            organization_id="org-1",
            community_code=DING,
            on="2019-05-01",
            support=["incubation", "project_matching"],
            platform="区社会组织孵化中心",
            matched_project_id="s1",
        )
        foundation = CommunityFoundation(
            id="f1", name="新城区社区基金会", county_code=XINCHENG, founded_on="2018-01-01"
        )
        rows = three_society_indicators(
            [with_workers, without], [incubation], [foundation], on="2020-12-31"
        )
        by = {(r.id, r.place): r for r in rows}
        assert by[("three_society.linked_share", JIA)].value == Fraction(1, 2)
        assert by[("three_society.government_purchase_share", XINCHENG)].value == Fraction(1, 2)
        assert by[("three_society.incubation_supports", TUMOTE)].numerator == 1
        assert by[("three_society.foundations", XINCHENG)].numerator == 1
        # the day after the end, the projects no longer run
        later = three_society_indicators([with_workers], on="2021-01-01")
        assert not [r for r in later if r.id == "three_society.linked_share"]

    def test_matched_project_needs_project_matching(self):
        """A matched project without the project-matching support is refused."""
        with pytest.raises(InvalidEntityError, match="matched_project_id"):
            IncubationRecord(
                id="i1",
                organization_id="o",
                community_code=JIA,
                on="2019-05-01",
                support=["training"],
                platform="p",
                matched_project_id="s1",
            )

    def test_foundation_credit_code_checked(self):
        """A malformed credit code is refused."""
        with pytest.raises(InvalidEntityError, match="credit_code"):
            CommunityFoundation(
                id="f", name="n", county_code=XINCHENG, founded_on="2018-01-01", credit_code="123"
            )


class TestOtherIndicators:
    def test_facility_projects_on_time_and_late(self):
        """On the planned day is on time, a day later is late; a due, open project is late."""

        def fp(ident: str, actual: str | None, ownership: str = "unsettled") -> FacilityProject:
            return FacilityProject(
                id=ident,
                community_code=JIA,
                name="x",
                provision="purchase",
                area_m2="60",
                planned_completion="2019-06-30",
                actual_completion=actual,
                ownership=ownership,
            )

        rows = facility_project_indicators(
            [fp("a", "2019-06-30", "purchased"), fp("b", "2019-07-01"), fp("c", None)],
            on="2019-12-31",
        )
        by = {r.id: r for r in rows}
        assert by["facility_projects.on_time_share"].value == Fraction(1, 3)
        assert by["facility_projects.rights_settled_share"].value == Fraction(1, 3)
        assert by["facility_projects.area_added_m2"].numerator == 120

    def test_floating_and_consultation_rows(self):
        """An empty register gives no rows; no consultation records give none."""
        from sqfw.workflows.consultation import ConsultationWorkflow

        assert floating_indicators(FloatingRegister(register_id="r"), on="2020-01-01") == []
        assert consultation_indicators([], ConsultationWorkflow(rules=[])) == []
