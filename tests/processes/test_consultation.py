"""Consultation (§1.6): a street's rules as data, each boundary on both sides, random runs."""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest
from hypothesis import strategies as st
from process_helpers import JIA, DriveWorkflow, dump

from sqfw.errors import InvalidEntityError, ParameterNotFoundError, TransitionRefused
from sqfw.standards import default_standards
from sqfw.workflows.consultation import ConsultationWorkflow, Party, consultation_rules
from sqfw.workflows.local_examples import example_local_standards

STREET = "150102001000"
STD = default_standards().extended(example_local_standards())
RULES = consultation_rules(
    STREET,
    standards=STD,
    on="2020-06-01",
    proposers=["residents_representatives", "residents_committee", "owners_committee"],
    participants=["residents_representatives", "owners_committee", "property_company"],
    forms=["meeting", "online"],
)
TOPIC = {
    "title": "加装电梯 / lifts for old buildings",
    "community_code": JIA,
    "street_code": STREET,
    "proposer": "owners_committee",
}
NOTICE = {
    "first_session_on": "2020-06-08",
    "form": "meeting",
    "parties": ["residents_representatives", "owners_committee"],
    "invited": 30,
}


def at(day: int, hour: int = 9) -> str:
    return f"2020-06-{day:02d}T{hour:02d}:00:00+08:00"


def wf() -> ConsultationWorkflow:
    return ConsultationWorkflow(rules=[RULES])


def accepted():
    w = wf()
    record = w.apply(w.new("t1"), "raise_topic", actor="street", at=at(1, 8), data=TOPIC)
    return w, w.apply(record, "accept", actor="street", at=at(1))


def in_session():
    w, record = accepted()
    record = w.apply(record, "give_notice", actor="street", at=at(1), data=NOTICE)
    return w, w.apply(
        record, "hold_session", actor="street", at=at(8), data={"attended": 20, "minutes": "m-1"}
    )


class TestRules:
    def test_numbers_come_from_the_standards(self):
        """The example rules: 7 days, 2/3 quorum, more than 1/2, 5 days; marked as example."""
        assert (RULES.notice_days, RULES.quorum_share) == (7, Fraction(2, 3))
        assert (RULES.agreement_share, RULES.publish_within_days) == (Fraction(1, 2), 5)
        assert RULES.is_example
        assert "§1.6" in RULES.source

    def test_a_street_override_changes_them(self):
        """A street's own notice period replaces the example's."""
        own = STD.with_overrides({"consultation.notice_days": 10}, source="某街道协商规程")
        rules = consultation_rules(STREET, standards=own, on="2020-06-01")
        assert rules.notice_days == 10
        assert "某街道协商规程" in rules.source

    def test_without_the_parameters_it_says_so(self):
        """The plan's standards alone have no consultation rules."""
        with pytest.raises(ParameterNotFoundError, match="consultation"):
            consultation_rules(STREET, standards=default_standards(), on="2020-06-01")

    def test_rules_are_for_a_street(self):
        """A community code is not a street's; an unknown party or no form is refused."""
        with pytest.raises(InvalidEntityError, match="street_code"):
            consultation_rules(JIA, standards=STD, on="2020-06-01")
        with pytest.raises(InvalidEntityError, match="proposers"):
            consultation_rules(STREET, standards=STD, on="2020-06-01", proposers=["mayor"])
        with pytest.raises(InvalidEntityError, match="forms"):
            consultation_rules(STREET, standards=STD, on="2020-06-01", forms=[])
        with pytest.raises(InvalidEntityError, match="one set of rules"):
            ConsultationWorkflow(rules=[RULES, RULES])


class TestRaising:
    def test_only_allowed_proposers(self):
        """The property company may not raise a topic under these rules."""
        w = wf()
        reasons = w.check(
            w.new("t"),
            "raise_topic",
            actor="s",
            at=at(1),
            data={**TOPIC, "proposer": "property_company"},
        )
        assert any("may not raise" in r for r in reasons)

    def test_a_street_without_rules_is_refused(self):
        """A topic of a street with no rules is refused, naming §1.6."""
        w = wf()
        data = {**TOPIC, "street_code": "150102002000", "community_code": "150102002001"}
        reasons = w.check(w.new("t"), "raise_topic", actor="s", at=at(1), data=data)
        assert any("no consultation rules" in r for r in reasons)

    def test_decline_says_why(self):
        """Declining needs a reason; with one the topic ends."""
        w = wf()
        record = w.apply(w.new("t"), "raise_topic", actor="s", at=at(1), data=TOPIC)
        assert w.check(record, "decline", actor="s", at=at(2))
        done = w.apply(
            record,
            "decline",
            actor="s",
            at=at(2),
            reason="不属协商范围 / not a matter for consultation",
        )
        assert done.state == "declined"

    def test_the_rules_are_kept_in_the_trail(self):
        """The raising entry holds the rules' numbers as they were."""
        w, record = accepted()
        assert record.trail[0].data["rules"]["notice_days"] == 7
        assert w.facts(record).rules["quorum_share"] == "2/3"


class TestNotice:
    def test_exactly_the_notice_period_passes_one_day_short_is_refused(self):
        """Notice on 1 June for 8 June (7 days) passes; for 7 June (6 days) refused."""
        w, record = accepted()
        assert not w.check(record, "give_notice", actor="s", at=at(1), data=NOTICE)
        before = dump(record)
        with pytest.raises(TransitionRefused, match="notice of 6 days"):
            w.apply(
                record,
                "give_notice",
                actor="s",
                at=at(1),
                data={**NOTICE, "first_session_on": "2020-06-07"},
            )
        assert dump(record) == before

    def test_every_reason_at_once(self):
        """Short notice, a form not allowed and a party not named: three reasons."""
        w, record = accepted()
        data = {
            **NOTICE,
            "first_session_on": "2020-06-02",
            "form": "hearing",
            "parties": ["area_unit"],
        }
        reasons = w.check(record, "give_notice", actor="s", at=at(1), data=data)
        assert len(reasons) == 3

    def test_no_session_before_the_announced_day(self):
        """A session on 7 June, before the announced 8 June, is refused."""
        w, record = accepted()
        record = w.apply(record, "give_notice", actor="s", at=at(1), data=NOTICE)
        reasons = w.check(
            record, "hold_session", actor="s", at=at(7), data={"attended": 30, "minutes": "m"}
        )
        assert any("first session day" in r for r in reasons)


class TestQuorum:
    def test_quorum_exactly_met_passes_one_short_is_refused(self):
        """Of 30 invited, 20 (= 2/3) attending passes; 19 is refused as no quorum."""
        w, record = accepted()
        record = w.apply(record, "give_notice", actor="s", at=at(1), data=NOTICE)
        assert not w.check(
            record, "hold_session", actor="s", at=at(8), data={"attended": 20, "minutes": "m"}
        )
        reasons = w.check(
            record, "hold_session", actor="s", at=at(8), data={"attended": 19, "minutes": "m"}
        )
        assert any("quorum not reached" in r for r in reasons)

    def test_more_than_invited_and_no_minutes(self):
        """31 of 30 and no minutes: both said."""
        w, record = accepted()
        record = w.apply(record, "give_notice", actor="s", at=at(1), data=NOTICE)
        reasons = w.check(record, "hold_session", actor="s", at=at(8), data={"attended": 31})
        assert len(reasons) == 2


class TestOutcome:
    def test_agreement_needs_more_than_the_share(self):
        """16 of 30 in favour is an agreement; 15 of 30 (exactly 1/2) is not."""
        w, record = in_session()
        yes = {"outcome": "agreement", "votes_for": 16, "votes_cast": 30}
        assert not w.check(record, "conclude", actor="s", at=at(8, 11), data=yes)
        reasons = w.check(
            record, "conclude", actor="s", at=at(8, 11), data={**yes, "votes_for": 15}
        )
        assert any("does not exceed" in r for r in reasons)

    def test_referral_names_the_office(self):
        """Referred up without saying where is refused."""
        w, record = in_session()
        reasons = w.check(
            record, "conclude", actor="s", at=at(8, 11), data={"outcome": "referred_up"}
        )
        assert any("referred_to" in r for r in reasons)

    def test_publication_on_the_last_day_is_on_time_a_day_later_is_late(self):
        """Concluded 8 June, 5 days: published 13 June on time, 14 June late."""
        w, record = in_session()
        record = w.apply(
            record, "conclude", actor="s", at=at(8, 11), data={"outcome": "no_agreement"}
        )
        assert w.due(record).date() == pendulum.Date(2020, 6, 13)
        on_time = w.apply(record, "publish", actor="s", at=at(13, 20), data={"channel": "公示栏"})
        late = w.apply(record, "publish", actor="s", at=at(14), data={"channel": "公示栏"})
        assert on_time.trail[-1].data["late"] is False
        assert late.trail[-1].data["late"] is True

    def test_an_agreement_is_followed_up_before_closing(self):
        """Closing an agreement right after publishing is refused; after follow-up it closes."""
        w, record = in_session()
        record = w.apply(
            record,
            "conclude",
            actor="s",
            at=at(8, 11),
            data={"outcome": "agreement", "votes_for": 20, "votes_cast": 20},
        )
        record = w.apply(record, "publish", actor="s", at=at(9), data={"channel": "网站"})
        assert any(
            "followed up" in r for r in w.check(record, "close", actor="s", at=at(10), reason="x")
        )
        record = w.apply(record, "follow_up", actor="s", at=at(20), data={"implemented": True})
        closed = w.apply(record, "close", actor="s", at=at(21), reason="已落实 / implemented")
        assert closed.state == "closed"
        assert w.facts(closed).implemented is True
        assert w.holders(closed) == (STREET,)

    def test_no_agreement_closes_without_follow_up(self):
        """Without an agreement there is nothing to follow up: follow-up refused, close accepted."""
        w, record = in_session()
        record = w.apply(
            record, "conclude", actor="s", at=at(8, 11), data={"outcome": "no_agreement"}
        )
        record = w.apply(record, "publish", actor="s", at=at(9), data={"channel": "网站"})
        assert w.check(record, "follow_up", actor="s", at=at(10), data={"implemented": True})
        assert w.apply(record, "close", actor="s", at=at(10)).state == "closed"


PARTIES = [p.value for p in Party]


class ConsultationStateful(DriveWorkflow):
    workflow = wf()
    start = pendulum.datetime(2020, 6, 1, 9, tz="Asia/Shanghai")

    def payload(self, event: str) -> st.SearchStrategy[dict[str, object]]:
        if event == "raise_topic":
            return st.fixed_dictionaries(
                {**{k: st.just(v) for k, v in TOPIC.items()}, "proposer": st.sampled_from(PARTIES)}
            )
        if event == "give_notice":
            return st.fixed_dictionaries(
                {
                    "first_session_on": st.sampled_from(
                        ["2020-06-09", "2020-06-30", "2020-07-30", "x"]
                    ),
                    "form": st.sampled_from(["meeting", "hearing"]),
                    "parties": st.lists(st.sampled_from(PARTIES[:4]), min_size=1, max_size=2),
                    "invited": st.integers(0, 12),
                }
            )
        if event == "hold_session":
            return st.fixed_dictionaries(
                {"attended": st.integers(0, 12), "minutes": st.sampled_from(["m", ""])}
            )
        if event == "conclude":
            return st.fixed_dictionaries(
                {
                    "outcome": st.sampled_from(["agreement", "no_agreement", "referred_up", "?"]),
                    "votes_for": st.integers(0, 10),
                    "votes_cast": st.integers(0, 10),
                    "referred_to": st.sampled_from(["", "区民政局"]),
                }
            )
        if event == "publish":
            return st.fixed_dictionaries({"channel": st.sampled_from(["", "公示栏"])})
        if event == "follow_up":
            return st.fixed_dictionaries({"implemented": st.sampled_from([True, False, "yes"])})
        return st.just({})


TestConsultationStateful = ConsultationStateful.TestCase
