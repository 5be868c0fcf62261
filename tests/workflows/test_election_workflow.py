"""The election cycle (§1.1–§1.4) and its tally, read from the organic laws' numbers."""

from __future__ import annotations

from fractions import Fraction

import pendulum
import pytest
from workflow_helpers import SETUP, T0, election_at_counting, village_rules

from sqfw.entities.committee import Committee, CommitteeKind, CommitteeMember, Gender
from sqfw.entities.election import Candidate, Election
from sqfw.errors import TransitionRefused
from sqfw.standards import default_standards
from sqfw.workflows.election import ElectionRules, ElectionWorkflow, tally, tally_votes

RULES = village_rules()


def votes(
    voted: int, registered: int = 100, round: int = 1, seats: int = 1, **counts: int
) -> object:
    return tally_votes(
        RULES,
        registered_voters=registered,
        voters_voted=voted,
        seats=seats,
        votes=counts or {"a": voted},
        round=round,
    )


class TestTurnout:
    """§1.1 (organic laws): valid only when more than half of registered voters vote."""

    def test_exactly_half_is_not_valid(self) -> None:
        """50 of 100 voters: not more than half, 1 short."""
        result = tally_votes(RULES, registered_voters=100, voters_voted=50, seats=1, votes={})
        assert not result.valid
        assert result.turnout == Fraction(1, 2)
        assert result.turnout_needed == 51
        assert "(51 needed, 1 short)" in result.defects[0]

    def test_half_plus_one_is_valid(self) -> None:
        """51 of 100 voters: valid."""
        result = tally_votes(RULES, registered_voters=100, voters_voted=51, seats=1, votes={})
        assert result.valid
        assert result.defects == ()

    def test_odd_register(self) -> None:
        """Of 101 voters, 50 is not more than half and 51 is."""
        assert tally_votes(RULES, registered_voters=101, voters_voted=51, seats=1, votes={}).valid
        assert not tally_votes(
            RULES, registered_voters=101, voters_voted=50, seats=1, votes={}
        ).valid


class TestVoid:
    """More ballots collected than voters who voted voids the election."""

    def test_one_ballot_too_many(self) -> None:
        """61 ballots for 60 voters is void; 60 is not."""
        common = {"registered_voters": 100, "voters_voted": 60, "seats": 1, "votes": {"a": 40}}
        void = tally_votes(RULES, ballots_collected=61, **common)  # type: ignore[arg-type]
        assert void.void
        assert not void.valid
        assert void.elected == ()
        assert "61 ballots collected but only 60 voters voted" in void.defects[0]
        ok = tally_votes(RULES, ballots_collected=60, **common)  # type: ignore[arg-type]
        assert not ok.void
        assert ok.elected == ("a",)


class TestMajority:
    """A candidate needs more than half of the ballots cast in the main round."""

    def test_exactly_half_of_ballots_not_elected(self) -> None:
        """40 of 80 ballots is not a majority; 41 is."""
        r = tally_votes(
            RULES, registered_voters=100, voters_voted=80, seats=1, votes={"a": 40, "b": 39}
        )
        assert r.elected == ()
        assert r.candidates[0].shortfall == 1
        assert "1 vote short of a majority" in r.candidates[0].explanation
        r = tally_votes(
            RULES, registered_voters=100, voters_voted=80, seats=1, votes={"a": 41, "b": 39}
        )
        assert r.elected == ("a",)

    def test_three_votes_short(self) -> None:
        """The explanation says how many votes were missing, in both languages."""
        r = tally_votes(
            RULES, registered_voters=100, voters_voted=80, seats=1, votes={"a": 38, "b": 30}
        )
        assert "3 votes short of a majority (41 needed)" in r.candidates[0].explanation
        assert "差 3 票过半数" in r.candidates[0].explanation

    def test_seats_go_to_most_votes(self) -> None:
        """Three qualified for two seats: the two with most votes are elected."""
        r = tally_votes(
            RULES,
            registered_voters=100,
            voters_voted=90,
            seats=2,
            votes={"a": 60, "b": 50, "c": 46},
        )
        assert r.elected == ("a", "b")
        assert r.unfilled_seats == 0
        assert "seats are filled" in r.candidates[2].explanation

    def test_tie_for_last_seat(self) -> None:
        """Two tied for the last seat: neither is elected; the seat is left."""
        r = tally_votes(
            RULES,
            registered_voters=100,
            voters_voted=90,
            seats=2,
            votes={"a": 60, "b": 50, "c": 50},
        )
        assert r.elected == ("a",)
        assert r.tied == ("b", "c")
        assert r.unfilled_seats == 1

    def test_entity_entry_point(self) -> None:
        """``tally`` reads an Election entity."""
        election = Election(
            term=10,
            kind="villagers",
            method="direct",
            registered_voters=10,
            ballots_cast=6,
            seats=1,
            candidates=[Candidate(id="a", name="张三", gender="male", votes=4)],
        )
        assert tally(election, RULES).elected == ("a",)


class TestFurtherRound:
    """Another round among unelected candidates: at least one third of the ballots."""

    def test_exactly_one_third_is_enough(self) -> None:
        """30 of 90 ballots is one third: elected; 29 is not."""
        r = tally_votes(
            RULES,
            registered_voters=100,
            voters_voted=90,
            seats=1,
            round=2,
            votes={"d": 30, "e": 20},
        )
        assert r.elected == ("d",)
        r = tally_votes(
            RULES,
            registered_voters=100,
            voters_voted=90,
            seats=1,
            round=2,
            votes={"d": 29, "e": 20},
        )
        assert r.elected == ()
        assert "1 vote short of at least one third" in r.candidates[0].explanation

    def test_non_integer_third(self) -> None:
        """Of 91 ballots a third is 30⅓: 31 votes are needed."""
        r = tally_votes(
            RULES, registered_voters=100, voters_voted=91, seats=1, round=2, votes={"d": 30}
        )
        assert r.candidates[0].needed == 31


class TestRulesFromStandards:
    """Thresholds are read from the standards data, dated and cited, never literals."""

    def test_villagers_rules(self) -> None:
        """Villagers' committees: 3–7 members, more than half, at least a third (Art. 15)."""
        rules = ElectionRules.from_standards(default_standards(), "villagers", "2021-01-01")
        assert (rules.committee_size_min, rules.committee_size_max) == (3, 7)
        assert rules.valid_turnout_more_than == Fraction(1, 2)
        assert rules.further_round_share_at_least == Fraction(1, 3)
        assert rules.term_years == 5
        assert any("村民委员会组织法" in s for s in rules.sources)

    def test_residents_rules_say_assumption(self) -> None:
        """Residents' committees: 5–9 members; the thresholds are a marked assumption."""
        rules = ElectionRules.from_standards(default_standards(), "residents", "2021-01-01")
        assert (rules.committee_size_min, rules.committee_size_max) == (5, 9)
        assert any("assumption" in s for s in rules.sources)

    def test_results_say_which_text_applied(self) -> None:
        """A 2026 election says which text was applied (the revised law is not yet checked)."""
        wf = ElectionWorkflow(standards=default_standards())
        rules = wf.rules_for(CommitteeKind.VILLAGERS, pendulum.date(2026, 5, 1))
        assert any("2025" in s for s in rules.sources)
        result = tally_votes(rules, registered_voters=10, voters_voted=6, seats=1, votes={"a": 4})
        assert any(line.startswith("依据 / applied:") for line in result.explanation)

    def test_direct_rules_validated(self) -> None:
        """Inconsistent rules are refused."""
        with pytest.raises(ValueError, match="committee_size"):
            ElectionRules(
                kind="villagers",
                committee_size_min=7,
                committee_size_max=3,
                term_years=5,
                valid_turnout_more_than=Fraction(1, 2),
                winning_share_more_than=Fraction(1, 2),
                further_round_share_at_least=Fraction(1, 3),
            )


class TestCycle:
    """The election cycle: window (§1.1), competitive candidates, results, handover (§1.3)."""

    def test_window_outside_refused(self, election_wf: ElectionWorkflow) -> None:
        """§1.1: a polling date outside the 10th election's window is refused; inside is not."""
        record = election_wf.new("E1")
        late = {**SETUP, "polling_date": "2017-09-01"}
        reasons = election_wf.check(record, "open_registration", actor="c", at=T0, data=late)
        assert len(reasons) == 1
        assert "§1.1" in reasons[0]
        last = {**SETUP, "polling_date": "2017-08-31"}
        assert election_wf.check(record, "open_registration", actor="c", at=T0, data=last) == ()

    def test_polls_opened_after_window_refused(self, election_wf: ElectionWorkflow) -> None:
        """Opening the polls after the window closes is refused."""
        record = election_at_counting(election_wf)
        failed = election_wf.apply(
            record,
            "declare_failed",
            actor="c",
            at=T0.add(days=71),
            data={"voters_voted": 50, "votes": {"a": 30}},
        )
        late = pendulum.datetime(2017, 9, 1, 9, tz="Asia/Shanghai")
        with pytest.raises(TransitionRefused, match="outside the election window"):
            election_wf.apply(failed, "rerun", actor="c", at=late, reason="turnout")
        again = election_wf.apply(failed, "rerun", actor="c", at=T0.add(days=80), reason="turnout")
        assert again.state == "voting"

    def test_setup_lists_every_missing_field(self, election_wf: ElectionWorkflow) -> None:
        """An empty setup names each missing field."""
        reasons = election_wf.check(election_wf.new("E1"), "open_registration", actor="c", at=T0)
        assert len(reasons) == 5

    def test_competitive_required(self, election_wf: ElectionWorkflow) -> None:
        """As many candidates as seats is refused; one more is accepted."""
        r = election_wf.apply(
            election_wf.new("E1"), "open_registration", actor="c", at=T0, data=SETUP
        )
        r = election_wf.apply(
            r, "close_registration", actor="c", at=T0, data={"registered_voters": 9}
        )
        with pytest.raises(TransitionRefused, match="candidates must outnumber seats"):
            election_wf.apply(
                r, "announce_candidates", actor="c", at=T0, data={"candidates": ["a", "b", "c"]}
            )
        ok = election_wf.apply(
            r, "announce_candidates", actor="c", at=T0, data={"candidates": ["a", "b", "c", "d"]}
        )
        assert ok.state == "candidates_announced"

    def test_invalid_tally_cannot_be_announced(self, election_wf: ElectionWorkflow) -> None:
        """Exactly half the voters: announcing is refused, declaring failure is accepted."""
        record = election_at_counting(election_wf)
        data = {"voters_voted": 50, "votes": {"a": 30, "b": 20}}
        with pytest.raises(TransitionRefused, match="not more than half"):
            election_wf.apply(record, "announce_results", actor="c", at=T0.add(days=71), data=data)
        failed = election_wf.apply(
            record, "declare_failed", actor="c", at=T0.add(days=71), data=data
        )
        assert failed.state == "failed"
        assert failed.trail[-1].data["tally"]["valid"] is False

    def test_valid_tally_cannot_be_declared_failed(self, election_wf: ElectionWorkflow) -> None:
        """Half plus one: declaring failure is refused."""
        record = election_at_counting(election_wf)
        data = {"voters_voted": 51, "votes": {"a": 30}}
        with pytest.raises(TransitionRefused, match="tally is valid"):
            election_wf.apply(record, "declare_failed", actor="c", at=T0.add(days=71), data=data)

    def test_further_round_and_handover(self, election_wf: ElectionWorkflow) -> None:
        """Two elected of three seats; a further round fills the last; handover with a woman."""
        record = election_at_counting(election_wf)
        at = T0.add(days=71)
        record = election_wf.apply(
            record,
            "announce_results",
            actor="c",
            at=at,
            data={"voters_voted": 80, "votes": {"a": 60, "b": 50, "c": 30, "d": 20, "e": 10}},
        )
        facts = election_wf.facts(record)
        assert facts.elected == ("a", "b")
        assert facts.unfilled_seats == 1
        assert record.trail[-1].data["tally"]["sources"] == ("test rules",)
        # The candidates must be the unelected with most votes, more than the seats left.
        reasons = election_wf.check(
            record, "call_further_round", actor="c", at=at, data={"candidates": ["d", "e"]}
        )
        assert any("c had more votes" in r for r in reasons)
        reasons = election_wf.check(
            record, "call_further_round", actor="c", at=at, data={"candidates": ["c"]}
        )
        assert any("candidates must outnumber seats" in r for r in reasons)
        record = election_wf.apply(
            record, "call_further_round", actor="c", at=at, data={"candidates": ["c", "d"]}
        )
        record = election_wf.apply(record, "close_polls", actor="c", at=at.add(days=7))
        record = election_wf.apply(
            record,
            "announce_results",
            actor="c",
            at=at.add(days=7),
            data={"voters_voted": 60, "votes": {"c": 20, "d": 19}},
        )
        assert election_wf.facts(record).elected == ("a", "b", "c")
        men = _committee(Gender.MALE)
        with pytest.raises(TransitionRefused, match="women must be among"):
            election_wf.apply(
                record,
                "hand_over",
                actor="c",
                at=at.add(days=8),
                data=ElectionWorkflow.committee_data(men),
            )
        committee = _committee(Gender.FEMALE)
        done = election_wf.apply(
            record,
            "hand_over",
            actor="c",
            at=at.add(days=8),
            data=ElectionWorkflow.committee_data(committee),
        )
        assert done.state == "handed_over"
        members = election_wf.facts(done).committee
        assert members[0]["is_community_police"] is True  # §1.3
        assert "name" not in members[0]  # personal data stays out of the trail

    def test_handover_needs_minimum_committee(self, election_wf: ElectionWorkflow) -> None:
        """Fewer elected than the minimum committee size: handover refused."""
        record = election_at_counting(election_wf)
        record = election_wf.apply(
            record,
            "announce_results",
            actor="c",
            at=T0.add(days=71),
            data={"voters_voted": 80, "votes": {"a": 60, "b": 50}},
        )
        members = {"members": [{"id": "a", "gender": "female"}, {"id": "b", "gender": "male"}]}
        with pytest.raises(TransitionRefused, match="fewer than the minimum of 3"):
            election_wf.apply(record, "hand_over", actor="c", at=T0.add(days=72), data=members)

    def test_cancel_needs_reason(self, election_wf: ElectionWorkflow) -> None:
        """Cancelling needs a reason, from any open state."""
        record = election_at_counting(election_wf)
        with pytest.raises(TransitionRefused, match="a reason is required"):
            election_wf.apply(record, "cancel", actor="c", at=T0.add(days=71))
        assert (
            election_wf.apply(
                record, "cancel", actor="c", at=T0.add(days=71), reason="merged communities"
            ).state
            == "cancelled"
        )


def _committee(gender: Gender) -> Committee:
    return Committee(
        term=10,
        kind="villagers",
        method="direct",
        members=[
            CommitteeMember(id="a", name="张三", gender=gender, is_community_police=True),
            CommitteeMember(id="b", name="李四", gender=Gender.MALE, is_social_org_head=True),
            CommitteeMember(id="c", name="王五", gender=Gender.MALE),
        ],
    )
