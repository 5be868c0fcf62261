"""Filing (备案) of community social organisations (§5.6).

The plan files community social organisations of the service, public-benefit and
mutual-aid kinds that do not meet the conditions for registration (登记). A filing goes
draft → submitted → under review → filed, may be sent back for correction (with what to
fix) or refused (with reasons), and after filing lives through annual reviews, suspension,
revocation, voluntary deregistration, or conversion to formal registration once the
organisation meets the registration conditions and holds a valid unified social credit
code.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from statemachine.states import States

from sqfw._args import expect, named_fields, read_only_mapping
from sqfw.entities.organization import OrganizationKind, SocialOrganization
from sqfw.labels import LabeledEnum
from sqfw.privacy import validate_credit_code
from sqfw.workflows._definition import reason
from sqfw.workflows._events import key
from sqfw.workflows._records import AuditEntry
from sqfw.workflows._workflow import EventContext, Refusal, Workflow, WorkflowMachine

__all__ = [
    "FilingEvent",
    "FilingFacts",
    "FilingMachine",
    "FilingState",
    "OrgFilingWorkflow",
    "filing_data",
]


class FilingState(LabeledEnum):
    """States of a social organisation's filing."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CORRECTION_REQUESTED = "correction_requested"
    FILED = "filed"
    REFUSED = "refused"
    ANNUAL_REVIEW = "annual_review"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    DEREGISTERED = "deregistered"
    CONVERTED = "converted"

    __labels__ = {
        "draft": ("草稿", "draft"),
        "submitted": ("已提交", "submitted"),
        "under_review": ("审核中", "under review"),
        "correction_requested": ("退回补正", "correction requested"),
        "filed": ("已备案", "filed"),
        "refused": ("不予备案", "refused"),
        "annual_review": ("年度检查", "annual review"),
        "suspended": ("暂停活动", "suspended"),
        "revoked": ("撤销备案", "revoked"),
        "deregistered": ("注销备案", "deregistered"),
        "converted": ("转为登记", "converted to registration"),
    }


class FilingEvent(LabeledEnum):
    """Events of a social organisation's filing."""

    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_CORRECTION = "request_correction"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"
    REFUSE = "refuse"
    START_ANNUAL_REVIEW = "start_annual_review"
    PASS_ANNUAL_REVIEW = "pass_annual_review"
    FAIL_ANNUAL_REVIEW = "fail_annual_review"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    DEREGISTER = "deregister"
    CONVERT = "convert"

    __labels__ = {
        "submit": ("提交备案申请", "submit"),
        "start_review": ("开始审核", "start the review"),
        "request_correction": ("退回补正", "request a correction"),
        "resubmit": ("补正后重新提交", "resubmit after correction"),
        "accept": ("准予备案", "accept the filing"),
        "refuse": ("不予备案", "refuse the filing"),
        "start_annual_review": ("开始年度检查", "start the annual review"),
        "pass_annual_review": ("年检合格", "pass the annual review"),
        "fail_annual_review": ("年检不合格", "fail the annual review"),
        "suspend": ("暂停活动", "suspend"),
        "reinstate": ("恢复活动", "reinstate"),
        "revoke": ("撤销备案", "revoke"),
        "deregister": ("自愿注销", "deregister voluntarily"),
        "convert": ("转为正式登记", "convert to registration"),
    }


_REQUIRED = ("id", "name", "kind", "community_code")


class FilingMachine(WorkflowMachine):
    """The filing of a community social organisation as a python-statemachine definition."""

    s = States.from_enum(
        FilingState,
        initial=FilingState.DRAFT,
        final={
            FilingState.REFUSED,
            FilingState.REVOKED,
            FilingState.DEREGISTERED,
            FilingState.CONVERTED,
        },
    )

    submit = s.DRAFT.to(s.SUBMITTED, validators="form_complete")
    start_review = s.SUBMITTED.to(s.UNDER_REVIEW)
    request_correction = s.UNDER_REVIEW.to(
        s.CORRECTION_REQUESTED, validators=["needs_reason", "items_listed"]
    )
    resubmit = s.CORRECTION_REQUESTED.to(s.SUBMITTED, validators="corrections_given")
    accept = s.UNDER_REVIEW.to(s.FILED, validators=["fileable_kind", "not_registrable"])
    refuse = s.UNDER_REVIEW.to(s.REFUSED, validators="needs_reason")
    start_annual_review = s.FILED.to(s.ANNUAL_REVIEW, validators="review_year_given")
    pass_annual_review = s.ANNUAL_REVIEW.to(s.FILED)
    fail_annual_review = s.ANNUAL_REVIEW.to(s.SUSPENDED, validators="needs_reason")
    suspend = s.FILED.to(s.SUSPENDED, validators="needs_reason")
    reinstate = s.SUSPENDED.to(s.FILED, validators="needs_reason")
    revoke = (
        s.FILED.to(s.REVOKED, validators="needs_reason")
        | s.SUSPENDED.to(s.REVOKED, validators="needs_reason")
        | s.ANNUAL_REVIEW.to(s.REVOKED, validators="needs_reason")
    )
    deregister = s.FILED.to(s.DEREGISTERED, validators="needs_reason") | s.SUSPENDED.to(
        s.DEREGISTERED, validators="needs_reason"
    )
    convert = s.FILED.to(s.CONVERTED, validators=["valid_credit_code", "meets_conditions"])

    def form_complete(self, ctx: EventContext[FilingFacts]) -> None:
        """The filing form names the organisation, its kind and its community."""
        missing = [k for k in _REQUIRED if not ctx.data.get(k)]
        if missing:
            raise Refusal(
                reason(f"备案表缺少：{', '.join(missing)}", f"the form lacks: {', '.join(missing)}")
            )

    def items_listed(self, ctx: EventContext[FilingFacts]) -> None:
        """A correction request lists what to fix."""
        items = ctx.data.get("items")
        if not isinstance(items, tuple) or not items:
            raise Refusal(reason("须列出需补正的事项", "items: what the applicant must fix"))

    def corrections_given(self, ctx: EventContext[FilingFacts]) -> None:
        """A resubmission answers every item that was asked for."""
        asked = set(ctx.facts.open_items)
        given = set(ctx.data.get("corrected", ()))
        missing = sorted(asked - given)
        if missing:
            raise Refusal(
                reason(
                    f"尚未补正：{', '.join(missing)}",
                    f"not yet corrected: {', '.join(missing)}",
                )
            )

    def fileable_kind(self, ctx: EventContext[FilingFacts]) -> None:
        """Only service, public-benefit and mutual-aid organisations are filed (§5.6)."""
        kind = ctx.facts.organization.get("kind")
        try:
            fileable = OrganizationKind(str(kind)).fileable
        except ValueError:
            fileable = False
        if not fileable:
            raise Refusal(
                reason(
                    f"备案限于生活服务类、公益慈善类和居民互助类社区社会组织，此为 {kind}（§5.6）",
                    f"filing is for service, public-benefit and mutual-aid organisations, "
                    f"not {kind!r} (§5.6)",
                )
            )

    def not_registrable(self, ctx: EventContext[FilingFacts]) -> None:
        """An organisation that meets the registration conditions registers instead (§5.6)."""
        if ctx.facts.organization.get("meets_registration_conditions") is True:
            raise Refusal(
                reason(
                    "该组织具备登记条件，应依法登记而非备案（§5.6）",
                    "the organisation meets the registration conditions: it registers "
                    "rather than files (§5.6)",
                )
            )

    def review_year_given(self, ctx: EventContext[FilingFacts]) -> None:
        """An annual review names its year, once per year."""
        year = ctx.data.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise Refusal(reason("须给出年检年度", "year: the year under review"))
        if year in ctx.facts.reviewed_years:
            raise Refusal(reason(f"{year} 年度已年检", f"the year {year} was already reviewed"))

    def valid_credit_code(self, ctx: EventContext[FilingFacts]) -> None:
        """Conversion needs a valid unified social credit code (GB 32100)."""
        code = ctx.data.get("credit_code", ctx.facts.organization.get("credit_code"))
        try:
            validate_credit_code(str(code or ""))
        except ValueError:
            raise Refusal(
                reason(
                    f"统一社会信用代码无效：{code!r}",
                    f"a valid unified social credit code (GB 32100) is required, got {code!r}",
                )
            ) from None

    def meets_conditions(self, ctx: EventContext[FilingFacts]) -> None:
        """Conversion needs the organisation to meet the registration conditions."""
        meets = ctx.data.get(
            "meets_registration_conditions",
            ctx.facts.organization.get("meets_registration_conditions"),
        )
        if meets is not True:
            raise Refusal(
                reason(
                    "该组织尚不具备登记条件",
                    "the organisation does not (yet) meet the registration conditions",
                )
            )


def filing_data(organization: SocialOrganization) -> dict[str, Any]:
    """The ``submit`` data of an organisation, without personal data.

    The responsible person's name and phone stay out of the audit trail.
    """
    expect("filing_data(organization)", organization, SocialOrganization)
    return {
        "id": organization.id,
        "name": organization.name,
        "kind": organization.kind.value,
        "community_code": organization.community_code,
        "members": organization.members,
        "credit_code": organization.credit_code,
        "meets_registration_conditions": organization.meets_registration_conditions,
        "founded_on": None
        if organization.founded_on is None
        else organization.founded_on.isoformat(),
        "purpose": organization.purpose,
    }


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class FilingFacts:
    """What the trail of a filing says so far.

    Attributes:
        organization: the filed facts (latest corrections applied).
        open_items: what the applicant was last asked to fix.
        reviewed_years: years whose annual review started.
        credit_code: the credit code it was converted with, if converted.
    """

    organization: Mapping[str, Any] = attrs.field(factory=dict, converter=read_only_mapping)
    open_items: tuple[str, ...] = ()
    reviewed_years: tuple[int, ...] = ()
    credit_code: str | None = None


class OrgFilingWorkflow(Workflow[FilingFacts]):
    """Filing of a community social organisation (§5.6).

    Events and their data:

    - ``submit``: the form (use :func:`filing_data`).
    - ``request_correction``: a reason and ``items`` (field names to fix).
    - ``resubmit``: ``corrected`` (the fixed field names) and ``changes`` (new values).
    - ``accept``: checks the kind (§5.6) and that the organisation is not registrable.
    - ``refuse``, ``suspend``, ``reinstate``, ``revoke``, ``deregister``,
      ``fail_annual_review``: a reason.
    - ``start_annual_review``: ``year``.
    - ``convert``: ``credit_code`` and ``meets_registration_conditions``.
    """

    name = "org_filing"
    machine = FilingMachine
    states = FilingState
    events = FilingEvent
    event_data = {
        "submit": (
            key("id", "text", "组织编号", "the organisation's id"),
            key("name", "text", "组织名称", "the organisation's name"),
            key("kind", "text", "组织类别", "the organisation's kind"),
            key("community_code", "text", "所在社区代码", "its community's code"),
            key("members", "integer", "成员人数", "members", required=False),
            key("credit_code", "text", "统一社会信用代码", "its credit code", required=False),
            key(
                "meets_registration_conditions",
                "boolean",
                "是否具备登记条件",
                "whether it meets the registration conditions",
                required=False,
            ),
            key("founded_on", "date", "成立日期", "when it was founded", required=False),
            key("purpose", "text", "宗旨", "its purpose", required=False),
        ),
        "start_review": (),
        "request_correction": (key("items", "list", "需补正事项", "the fields to fix"),),
        "resubmit": (
            key("corrected", "list", "已补正事项", "the fields fixed", required=False),
            key("changes", "mapping", "更正后的内容", "the new values", required=False),
        ),
        "accept": (),
        "refuse": (),
        "start_annual_review": (key("year", "integer", "年检年度", "the year under review"),),
        "pass_annual_review": (),
        "fail_annual_review": (),
        "suspend": (),
        "reinstate": (),
        "revoke": (),
        "deregister": (),
        "convert": (
            key(
                "credit_code",
                "text",
                "统一社会信用代码",
                "the credit code (default: the form's)",
                required=False,
            ),
            key(
                "meets_registration_conditions",
                "boolean",
                "是否具备登记条件",
                "whether it meets the registration conditions (default: the form's)",
                required=False,
            ),
        ),
    }

    def initial_facts(self) -> FilingFacts:
        """A filing with no form yet."""
        return FilingFacts()

    def fold(self, facts: FilingFacts, entry: AuditEntry) -> FilingFacts:
        """Fold one audit entry into the filing's facts."""
        data = entry.data
        if entry.event == "submit":
            return attrs.evolve(facts, organization=dict(data))
        if entry.event == "request_correction":
            return attrs.evolve(facts, open_items=tuple(data["items"]))
        if entry.event == "resubmit":
            changes = data.get("changes", {})
            merged = {**facts.organization, **(changes if isinstance(changes, Mapping) else {})}
            return attrs.evolve(facts, organization=merged, open_items=())
        if entry.event == "start_annual_review":
            return attrs.evolve(facts, reviewed_years=(*facts.reviewed_years, data["year"]))
        if entry.event == "convert":
            code = data.get("credit_code", facts.organization.get("credit_code"))
            return attrs.evolve(facts, credit_code=validate_credit_code(str(code)))
        return facts
