"""Filing of community social organisations (§5.6)."""

from __future__ import annotations

import pytest
from workflow_helpers import T0

from sqfw.entities.organization import SocialOrganization
from sqfw.errors import TransitionRefused
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.filing import OrgFilingWorkflow, filing_data

WF = OrgFilingWorkflow()
VALID_CODE = "91110000600037341L"


def org(**changes: object) -> SocialOrganization:
    fields: dict[str, object] = {
        "id": "O1",
        "name": "幸福里邻里互助会",
        "kind": "mutual_aid",
        "community_code": "150102001001",
        "responsible_person": "张三",
        "meets_registration_conditions": False,
    }
    fields.update(changes)
    return SocialOrganization(**fields)  # type: ignore[arg-type]


def under_review(organization: SocialOrganization | None = None) -> WorkflowRecord:
    r = WF.apply(
        WF.new("O1"), "submit", actor="applicant", at=T0, data=filing_data(organization or org())
    )
    return WF.apply(r, "start_review", actor="clerk", at=T0)


def filed() -> WorkflowRecord:
    return WF.apply(under_review(), "accept", actor="clerk", at=T0)


class TestSubmission:
    """A form names the organisation; personal data stay out of the trail."""

    def test_empty_form_lists_every_missing_field(self) -> None:
        """Each required field is named."""
        reasons = WF.check(WF.new("O1"), "submit", actor="a", at=T0, data={})
        assert reasons == (
            "备案表缺少：id, name, kind, community_code / the form lacks: id, name, kind, "
            "community_code",
        )

    def test_no_personal_data(self) -> None:
        """The responsible person's name is not in the trail."""
        r = under_review()
        assert "responsible_person" not in r.trail[0].data
        assert "张三" not in repr(r.trail[0].data)


class TestReview:
    """Under review: accept, request a correction, or refuse with reasons (§5.6)."""

    def test_fileable_kind_is_filed(self) -> None:
        """A mutual-aid organisation that does not meet registration conditions is filed."""
        assert filed().state == "filed"

    def test_other_kind_refused(self) -> None:
        """A culture-and-sport organisation is not of the §5.6 kinds."""
        with pytest.raises(TransitionRefused, match=r"§5\.6"):
            WF.apply(under_review(org(kind="culture_sport")), "accept", actor="c", at=T0)

    def test_registrable_organisation_registers_instead(self) -> None:
        """Meeting the registration conditions means registering, not filing."""
        r = under_review(org(meets_registration_conditions=True, kind="volunteer"))
        with pytest.raises(TransitionRefused) as info:
            WF.apply(r, "accept", actor="c", at=T0)
        assert len(info.value.reasons) == 2

    def test_correction_round_trip(self) -> None:
        """A correction lists items; resubmission must answer each of them."""
        r = WF.apply(
            under_review(),
            "request_correction",
            actor="c",
            at=T0,
            reason="章程不完整",
            data={"items": ["purpose", "members"]},
        )
        assert r.state == "correction_requested"
        with pytest.raises(TransitionRefused, match="not yet corrected: members"):
            WF.apply(r, "resubmit", actor="a", at=T0, data={"corrected": ["purpose"]})
        r = WF.apply(
            r,
            "resubmit",
            actor="a",
            at=T0,
            data={"corrected": ["purpose", "members"], "changes": {"members": 12}},
        )
        assert r.state == "submitted"
        assert WF.facts(r).organization["members"] == 12

    def test_correction_needs_items_and_reason(self) -> None:
        """Both the reason and the items are required; both are reported."""
        reasons = WF.check(under_review(), "request_correction", actor="c", at=T0)
        assert len(reasons) == 2

    def test_refusal_needs_reason(self) -> None:
        """Refusing without a reason is itself refused."""
        with pytest.raises(TransitionRefused, match="a reason is required"):
            WF.apply(under_review(), "refuse", actor="c", at=T0)
        assert WF.apply(under_review(), "refuse", actor="c", at=T0, reason="非本社区").state == (
            "refused"
        )


class TestAfterFiling:
    """Annual review, suspension, revocation, deregistration and conversion."""

    def test_annual_review_once_per_year(self) -> None:
        """A year is reviewed once; passing returns to filed."""
        r = WF.apply(filed(), "start_annual_review", actor="c", at=T0, data={"year": 2017})
        r = WF.apply(r, "pass_annual_review", actor="c", at=T0)
        assert r.state == "filed"
        with pytest.raises(TransitionRefused, match="already reviewed"):
            WF.apply(r, "start_annual_review", actor="c", at=T0, data={"year": 2017})

    def test_failed_review_suspends_then_reinstate_or_revoke(self) -> None:
        """A failed review suspends; a suspended organisation is reinstated or revoked."""
        r = WF.apply(filed(), "start_annual_review", actor="c", at=T0, data={"year": 2017})
        r = WF.apply(r, "fail_annual_review", actor="c", at=T0, reason="未开展活动")
        assert r.state == "suspended"
        assert WF.apply(r, "reinstate", actor="c", at=T0, reason="整改完成").state == "filed"
        assert WF.apply(r, "revoke", actor="c", at=T0, reason="违规").state == "revoked"

    def test_deregister(self) -> None:
        """Voluntary deregistration needs a reason."""
        assert WF.apply(filed(), "deregister", actor="o", at=T0, reason="解散").state == (
            "deregistered"
        )

    def test_conversion_needs_valid_code_and_conditions(self) -> None:
        """Both missing conditions are reported; with both, the filing is converted."""
        with pytest.raises(TransitionRefused) as info:
            WF.apply(
                filed(), "convert", actor="c", at=T0, data={"credit_code": "91110000600037341X"}
            )
        assert len(info.value.reasons) == 2
        r = WF.apply(
            filed(),
            "convert",
            actor="c",
            at=T0,
            data={"credit_code": VALID_CODE, "meets_registration_conditions": True},
        )
        assert r.state == "converted"
        assert WF.facts(r).credit_code == VALID_CODE

    def test_final_states_accept_nothing(self) -> None:
        """A revoked filing cannot be reinstated."""
        r = WF.apply(filed(), "revoke", actor="c", at=T0, reason="违规")
        with pytest.raises(TransitionRefused, match="allowed: -"):
            WF.apply(r, "reinstate", actor="c", at=T0, reason="x")
