"""Facility projects (§2.5–§2.7): the entity, the workflow and the pipeline in a scenario."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest
from hypothesis import strategies as st
from process_helpers import (
    DING,
    JIA,
    REGION,
    TUMOTE,
    XINCHENG,
    DriveWorkflow,
    dump,
    two_communities,
    two_community_dataset,
)

from sqfw.analysis import Scenario, project
from sqfw.analysis._projects import (
    ProjectPipeline,
    UnknownProject,
    pipeline_outlook,
    slippage,
)
from sqfw.calculators import Status
from sqfw.entities.projects import FacilityProject
from sqfw.errors import InvalidEntityError, TransitionRefused
from sqfw.workflows.facility_project import FacilityProjectWorkflow, area_after, project_data

AT = "2017-03-01T09:00:00+08:00"


def build(
    ident: str = "p1",
    code: str = JIA,
    area: str = "50",
    planned: str = "2018-06-30",
    **more: object,
) -> FacilityProject:
    fields: dict[str, object] = {
        "id": ident,
        "community_code": code,
        "name": "综合服务设施扩建",
        "provision": "new_build",
        "area_m2": area,
        "planned_completion": planned,
    }
    fields.update(more)
    return FacilityProject(**fields)  # type: ignore[arg-type]


class TestFacilityProjectEntity:
    def test_a_swap_names_the_facility_it_comes_from(self):
        """§2.7 swap: without the source facility it is refused; with it, accepted."""
        with pytest.raises(InvalidEntityError, match="swapped_from"):
            build(provision="swap")
        assert build(provision="swap", swapped_from="old-clinic").swapped_from == "old-clinic"

    def test_only_a_swap_has_a_source(self):
        """A new build that names a facility swapped from is refused."""
        with pytest.raises(InvalidEntityError, match="swapped_from"):
            build(swapped_from="old-clinic")

    def test_office_area_up_to_the_area_added(self):
        """Office space equal to the area added is accepted; 0.01 m² more is refused."""
        assert build(area="50", office_area_m2="50").office_area_m2 == Decimal(50)
        with pytest.raises(InvalidEntityError, match="office_area_m2"):
            build(area="50", office_area_m2="50.01")

    def test_area_must_be_positive(self):
        """A project adds some area: 0 is refused, 0.01 m² accepted."""
        with pytest.raises(InvalidEntityError, match="area_m2"):
            build(area="0")
        assert build(area="0.01").area_m2 == Decimal("0.01")

    def test_unknown_choices_are_entity_errors(self):
        """An unknown provision or funding source is an InvalidEntityError naming the field."""
        with pytest.raises(InvalidEntityError, match="provision"):
            build(provision="gift")
        with pytest.raises(InvalidEntityError, match="funding"):
            build(funding=["lottery"])

    def test_at_least_one_funding_source(self):
        """No funding source is refused."""
        with pytest.raises(InvalidEntityError, match="funding"):
            build(funding=())

    def test_rights_settled_and_county(self):
        """§2.5: unsettled until an owner is named; the county is the community's."""
        assert not build().rights_settled
        assert build(ownership="leased").rights_settled
        assert build().county_code == XINCHENG

    def test_completion_and_lateness(self):
        """The actual date wins unless a delay is asked for; late by days."""
        late = build(actual_completion="2018-07-30")
        assert late.completion() == pendulum.Date(2018, 7, 30)
        assert late.completion(delay_years=1) == pendulum.Date(2019, 6, 30)
        assert late.late_by_days() == 30
        assert build().late_by_days() is None


class TestAreaAfter:
    def test_exactly_the_shortfall_meets_the_norm(self):
        """甲 needs 450 m² (the norm's 1,500 × 0.3); 400 + 50 passes, 400 + 49.99 fails."""
        jia = two_communities().communities[0]
        passed = area_after(jia, [build(area="50")])
        assert passed.status is Status.PASS
        assert passed.required == Decimal(450)
        failed = area_after(jia, [build(area="49.99")])
        assert failed.status is Status.FAIL
        assert failed.shortfall == Decimal("0.01")

    def test_projects_of_another_community_are_refused(self):
        """Adding 丁's project to 甲 is an error."""
        with pytest.raises(ValueError, match="projects"):
            area_after(two_communities().communities[0], [build(code=DING)])


def pipeline(*projects: FacilityProject) -> ProjectPipeline:
    return ProjectPipeline(projects=projects)


P1 = build("p1", JIA, "50", "2018-06-30")
P2 = build("p2", DING, "50", "2019-03-01", provision="lease", ownership="leased")


class TestPipeline:
    def test_years_met_on_time(self):
        """甲 meets its minimum in 2018, 丁 in 2019; the region's target in 2019."""
        outlook = pipeline_outlook(two_community_dataset(), pipeline(P1, P2))
        assert outlook.community_year(JIA) == 2018
        assert outlook.community_year(DING) == 2019
        assert outlook.year_met("facility_area") == 2019
        assert outlook.year_met("facility_area", XINCHENG) == 2018
        assert outlook.year_met("facility_area", TUMOTE) == 2019

    def test_a_late_project_moves_the_year(self):
        """丁's lease a year late: 丁 and the region slip from 2019 to 2020; 甲 does not."""
        slip = slippage(two_community_dataset(), pipeline(P1, P2), "p2")
        assert [(s.what, s.on_time, s.late) for s in slip.communities] == [(DING, 2019, 2020)]
        region = next(s for s in slip.targets if s.what == f"facility_area @ {REGION}")
        assert (region.on_time, region.late) == (2019, 2020)
        assert all(s.what != f"facility_area @ {XINCHENG}" for s in slip.targets)

    def test_late_past_the_last_year_is_never_met(self):
        """甲's project three years late completes in 2021: not within 2016–2020."""
        late = pipeline(P1, P2).delayed("p1", 3)
        outlook = pipeline_outlook(two_community_dataset(), late)
        assert outlook.community_year(JIA) is None
        assert outlook.year_met("facility_area") is None
        assert outlook.beyond == ("p1",)

    def test_one_hundredth_short_is_never_met(self):
        """丁 with 49.99 m² added stays short; with 50 it meets the minimum."""
        short = build("p2", DING, "49.99", "2019-03-01")
        assert (
            pipeline_outlook(two_community_dataset(), pipeline(short)).community_year(DING) is None
        )
        exact = build("p2", DING, "50", "2019-03-01")
        assert (
            pipeline_outlook(two_community_dataset(), pipeline(exact)).community_year(DING) == 2019
        )

    def test_the_pipeline_is_an_intervention_of_project(self):
        """project() with the pipeline as a scenario gives the same region year, 2019."""
        result = project(
            two_community_dataset(), Scenario(name="p", interventions=[pipeline(P1, P2)])
        )
        assert result.year_met("facility_area") == 2019
        assert project(two_community_dataset()).year_met("facility_area") is None

    def test_effects_say_what_was_added_where(self):
        """The year's effect names the community, the county and the area."""
        result = project(
            two_community_dataset(), Scenario(name="p", interventions=[pipeline(P1, P2)])
        )
        effect_2018 = result.effects[result.years.index(2018)][0]
        assert effect_2018.changed == (JIA,)
        assert effect_2018.by_county == {XINCHENG: Decimal(50)}

    def test_projects_done_by_the_first_year_are_in_the_data(self):
        """A project completing in 2016 is listed as already in the data, not added."""
        done = build("p0", JIA, "50", "2016-05-01")
        outlook = pipeline_outlook(two_community_dataset(), pipeline(done))
        assert outlook.already_in_data == ("p0",)
        assert outlook.community_year(JIA) is None

    def test_refusals(self):
        """Unknown ids, duplicate ids, unknown communities and gaps in the years are errors."""
        with pytest.raises(UnknownProject, match="delays"):
            ProjectPipeline(projects=[P1], delays={"nope": 1})
        with pytest.raises(UnknownProject, match="unique"):
            ProjectPipeline(projects=[P1, P1])
        with pytest.raises(UnknownProject, match=r"slippage|delayed"):
            slippage(two_community_dataset(), pipeline(P1), "nope")
        stranger = build("px", "150102009001", "10", "2018-01-01")
        with pytest.raises(UnknownProject, match="community_code"):
            pipeline_outlook(two_community_dataset(), pipeline(stranger))
        with pytest.raises(ValueError, match="consecutive"):
            pipeline_outlook(two_community_dataset(), pipeline(P1), years=[2016, 2018])


def approved(workflow: FacilityProjectWorkflow, project: FacilityProject = P1):
    record = workflow.apply(
        workflow.new(project.id), "approve", actor="county", at=AT, data=project_data(project)
    )
    return workflow.apply(record, "start_works", actor="county", at="2017-04-01T09:00:00+08:00")


class TestFacilityProjectWorkflow:
    def test_put_in_use_only_with_rights_settled(self):
        """§2.5: unsettled rights refuse the handover; once settled it is accepted."""
        wf = FacilityProjectWorkflow()
        done = wf.apply(
            approved(wf),
            "complete",
            actor="county",
            at="2018-07-01T09:00:00+08:00",
            data={"completed_on": "2018-06-30"},
        )
        before = dump(done)
        with pytest.raises(TransitionRefused, match=r"§2\.5"):
            wf.apply(done, "put_in_use", actor="county", at="2018-07-02T09:00:00+08:00")
        assert dump(done) == before
        settled = wf.apply(
            done,
            "settle_rights",
            actor="county",
            at="2018-07-02T09:00:00+08:00",
            data={"ownership": "government"},
        )
        used = wf.apply(settled, "put_in_use", actor="county", at="2018-07-02T10:00:00+08:00")
        assert used.state == "in_use"
        assert wf.facts(used).late_days == 0

    def test_settling_needs_an_owner(self):
        """Settling rights as 'unsettled' is refused."""
        wf = FacilityProjectWorkflow()
        with pytest.raises(TransitionRefused, match="ownership"):
            wf.apply(
                approved(wf),
                "settle_rights",
                actor="c",
                at="2017-05-01T09:00:00+08:00",
                data={"ownership": "unsettled"},
            )

    def test_completion_on_the_approval_day_is_accepted_a_day_before_refused(self):
        """Completed on the day of approval passes; the day before is refused."""
        wf = FacilityProjectWorkflow()
        record = approved(wf)
        assert not wf.check(
            record,
            "complete",
            actor="c",
            at="2018-01-01T09:00:00+08:00",
            data={"completed_on": "2017-03-01"},
        )
        reasons = wf.check(
            record,
            "complete",
            actor="c",
            at="2018-01-01T09:00:00+08:00",
            data={"completed_on": "2017-02-28"},
        )
        assert any("before the approval" in r for r in reasons)

    def test_approval_says_every_reason(self):
        """A swap without source and no funding: both reasons, nothing changed."""
        wf = FacilityProjectWorkflow()
        data = project_data(P1)
        data.update(provision="swap", funding=[])
        reasons = wf.check(wf.new("p1"), "approve", actor="c", at=AT, data=data)
        assert len(reasons) == 2
        assert any("swapped_from" in r for r in reasons)
        assert any("funding" in r for r in reasons)

    def test_reschedule_and_cancel_need_a_reason(self):
        """Without a reason both are refused; the new date is kept and the due date follows."""
        wf = FacilityProjectWorkflow()
        record = approved(wf)
        assert wf.check(record, "cancel", actor="c", at="2017-05-01T09:00:00+08:00")
        moved = wf.apply(
            record,
            "reschedule",
            actor="c",
            at="2017-05-01T09:00:00+08:00",
            reason="资金未到位 / funds late",
            data={"planned_completion": "2019-06-30"},
        )
        assert wf.facts(moved).planned_completion == pendulum.Date(2019, 6, 30)
        assert wf.due(moved) is not None
        assert wf.due(moved).date() == pendulum.Date(2019, 6, 30)
        assert wf.project(moved).planned_completion == pendulum.Date(2019, 6, 30)
        cancelled = wf.apply(
            moved,
            "cancel",
            actor="c",
            at="2017-06-01T09:00:00+08:00",
            reason="改为租借 / leased instead",
        )
        assert cancelled.state == "cancelled"
        assert wf.due(cancelled) is None


FUND = st.sampled_from([["county_budget"], [], ["welfare_lottery", "donation"]])


class FacilityProjectStateful(DriveWorkflow):
    workflow = FacilityProjectWorkflow()
    start = pendulum.datetime(2017, 3, 1, 9, tz="Asia/Shanghai")

    def payload(self, event: str) -> st.SearchStrategy[dict[str, object]]:
        if event == "approve":
            return st.builds(
                lambda provision, funding: {
                    **project_data(P1),
                    "provision": provision,
                    "funding": funding,
                },
                st.sampled_from(["new_build", "swap", "lease", "purchase"]),
                FUND,
            )
        if event in ("reschedule", "complete"):
            key = "planned_completion" if event == "reschedule" else "completed_on"
            return st.fixed_dictionaries(
                {key: st.sampled_from(["2016-01-01", "2018-06-30", "bad"])}
            )
        if event == "settle_rights":
            return st.fixed_dictionaries(
                {"ownership": st.sampled_from(["government", "unsettled", "x"])}
            )
        return st.just({})


TestFacilityProjectStateful = FacilityProjectStateful.TestCase
