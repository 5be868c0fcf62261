"""The one-window service as offices run it (§3.8, §3.9, §4.7): the dispatch catalogue,
objection and reassignment, lead and co-handling offices, merged duplicates, escalation
levels, the five-level rating with rectification, residents' demand (Open311 in
test_open311.py)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pendulum
import pytest

from sqfw.entities.ticket import ServiceTicket
from sqfw.errors import SqfwError, StandardsError, TransitionRefused
from sqfw.workflows import WorkflowInputError, WorkflowRecord
from sqfw.workflows.demand import DemandCatalogue, DemandItem, demand_summary
from sqfw.workflows.duplicates import (
    close_duplicate,
    forward_update,
    merge_duplicate,
    similarity,
    suggest_duplicates,
)
from sqfw.workflows.indicators import INDICATOR_LABELS, service_indicators
from sqfw.workflows.ticket import (
    CatalogueError,
    ReturnClock,
    Satisfaction,
    TicketWorkflow,
    example_catalogue,
    load_catalogue,
)

TZ = "Asia/Shanghai"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_TOML = (
    Path(__file__).resolve().parents[2] / "src/sqfw/workflows/data/example_catalogue.toml"
)


def at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


def ticket(
    tid: str = "T1",
    service: str = "family_planning.birth_registration",
    when: pendulum.DateTime | None = None,
    summary: str | None = None,
) -> ServiceTicket:
    return ServiceTicket(
        id=tid,
        service_code=service,
        kind="handling",
        community_code="150102001001",
        received_at=when or at(2019, 9, 27, 10),
        applicant="王五",
        departments=["family_planning"],
        summary=summary,
    )


def received(wf: TicketWorkflow, t: ServiceTicket | None = None) -> WorkflowRecord:
    t = t or ticket()
    return wf.receive(wf.new(t.id), t, actor="window")


def dispatched(
    wf: TicketWorkflow, *offices: str, when: pendulum.DateTime | None = None
) -> WorkflowRecord:
    r = received(wf)
    return wf.apply(
        r,
        "dispatch",
        actor="dispatcher",
        at=when or at(2019, 9, 27, 11),
        data={"offices": list(offices)},
    )


def with_rules(**changes: object) -> TicketWorkflow:
    cat = example_catalogue()
    return TicketWorkflow(catalogue=attrs.evolve(cat, rules=attrs.evolve(cat.rules, **changes)))


def handled(wf: TicketWorkflow, tid: str = "T1") -> WorkflowRecord:
    r = received(wf, ticket(tid, service="justice.legal_aid"))
    when = at(2019, 9, 27, 11)
    r = wf.apply(r, "dispatch", actor="d", at=when, data={"offices": ["justice"]})
    r = wf.apply(r, "office_accept", actor="j", at=when, data={"office": "justice"})
    r = wf.apply(r, "office_finish", actor="j", at=when, data={"office": "justice"})
    return wf.apply(r, "answer", actor="w", at=when, reason="已办结")


class TestCatalogue:
    """The dispatch catalogue is data, read by a strict loader; the bundled one is an example."""

    def test_bundled_example(self) -> None:
        """The bundled file is the example catalogue, marked as such, with every rule."""
        cat = load_catalogue(EXAMPLE_TOML)
        assert cat == example_catalogue()
        assert cat.is_example
        assert "EXAMPLE" in cat.source
        spec = cat.get("family_planning.birth_registration")
        assert spec is not None
        assert (spec.lead, spec.co_handlers) == ("family_planning", ("public_security",))
        assert cat.get("emergency.gas_leak").time_limit_hours == 2  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("objection_hours = 24", "objection_hours = 24\nbogus = 1", "rules.bogus"),
            ('return_clock = "restart"', 'return_clock = "later"', "rules"),
            ("time_limit_hours = 2", 'time_limit_hours = "2"', "services[8].time_limit_hours"),
            ('offices = ["urban_management"]', 'offices = ["nobody"]', "services[6].offices"),
            (
                "time_limit_hours = 2",
                "time_limit_hours = 2\ntime_limit_working_days = 1",
                "services[8]",
            ),
        ],
    )
    def test_loader_names_file_and_key(self, tmp_path: Path, old: str, new: str, key: str) -> None:
        """A wrong key, value or type is a StandardsError naming the file and the key path."""
        text = EXAMPLE_TOML.read_text(encoding="utf-8")
        assert old in text
        bad = tmp_path / "cat.toml"
        bad.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CatalogueError) as error:
            load_catalogue(bad)
        assert isinstance(error.value, StandardsError)
        assert error.value.source == str(bad)
        assert error.value.key_path.startswith(key)

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A missing file is a CatalogueError too."""
        with pytest.raises(CatalogueError, match="cannot be read"):
            load_catalogue(tmp_path / "none.toml")

    def test_reserved_matter_not_pushed_to_community(self) -> None:
        """A matter reserved to departments is refused for a community, with the reason;
        a matter a community may handle is dispatched to it."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = received(wf)
        with pytest.raises(TransitionRefused, match="may not be pushed down to communities"):
            wf.apply(
                r, "dispatch", actor="d", at=at(2019, 9, 27, 11), data={"offices": ["community_a"]}
            )
        ok = received(wf, ticket(service="community.neighbour_dispute"))
        ok = wf.apply(
            ok, "dispatch", actor="d", at=at(2019, 9, 27, 11), data={"offices": ["community_a"]}
        )
        assert wf.holders(ok) == ("community_a",)

    def test_hour_limit(self) -> None:
        """An emergency limited in hours is overdue two hours after receipt, not before."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = received(wf, ticket(service="emergency.gas_leak", when=at(2019, 10, 1, 10)))
        inside = wf.clock_at(r, at(2019, 10, 1, 12))
        after = wf.clock_at(r, at(2019, 10, 1, 12, 1))
        assert inside is not None
        assert after is not None
        assert not inside.overdue
        assert after.overdue
        assert after.working_days_left is None
        assert after.deadline == at(2019, 10, 1, 12)


class TestObjection:
    """An office objects within the period; the dispatcher reassigns or refuses."""

    def test_inside_and_after_the_period(self) -> None:
        """24 hours after its dispatch (example) an office may object; a minute later not."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = dispatched(wf, "civil_affairs", when=at(2019, 9, 27, 11))
        data = {"office": "civil_affairs"}
        late = at(2019, 9, 28, 11, 1)
        with pytest.raises(TransitionRefused, match="objection period ended"):
            wf.apply(r, "raise_objection", actor="ca", at=late, reason="非本部门职责", data=data)
        with pytest.raises(TransitionRefused, match="a reason is required"):
            wf.apply(r, "raise_objection", actor="ca", at=at(2019, 9, 28, 11), data=data)
        r = wf.apply(
            r,
            "raise_objection",
            actor="ca",
            at=at(2019, 9, 28, 11),
            reason="非本部门职责",
            data=data,
        )
        assert wf.facts(r).offices["civil_affairs"] == "objected"

    def test_accept_reassigns_and_restarts_the_clock(self) -> None:
        """Accepted: the office is returned, the new one leads, the clock restarts."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = dispatched(wf, "civil_affairs")
        r = wf.apply(
            r,
            "raise_objection",
            actor="ca",
            at=at(2019, 9, 27, 12),
            reason="非本部门",
            data={"office": "civil_affairs"},
        )
        with pytest.raises(TransitionRefused, match="needs an office to reassign to"):
            wf.apply(
                r,
                "accept_objection",
                actor="d",
                at=at(2019, 9, 30, 9),
                data={"office": "civil_affairs"},
            )
        r = wf.apply(
            r,
            "accept_objection",
            actor="d",
            at=at(2019, 9, 30, 9),
            data={"office": "civil_affairs", "reassign_to": ["family_planning"]},
        )
        facts = wf.facts(r)
        assert facts.offices == {"civil_affairs": "returned", "family_planning": "pending"}
        assert facts.lead == "family_planning"
        assert facts.clock_start == at(2019, 9, 30, 9)
        assert [e.event for e in r.trail][-2:] == ["raise_objection", "accept_objection"]
        wf.verify(r)

    def test_return_clock_is_a_parameter(self) -> None:
        """continue keeps the deadline; pause_review gives back the review days; restart
        starts again."""
        deadlines = {}
        for rule in ReturnClock:
            wf = with_rules(return_clock=rule)
            r = dispatched(wf, "civil_affairs")
            r = wf.apply(
                r,
                "raise_objection",
                actor="ca",
                at=at(2019, 9, 27, 12),
                reason="x",
                data={"office": "civil_affairs"},
            )
            r = wf.apply(
                r,
                "accept_objection",
                actor="d",
                at=at(2019, 9, 30, 9),
                data={"office": "civil_affairs", "reassign_to": ["family_planning"]},
            )
            clock = wf.clock_at(r, at(2019, 9, 30, 10))
            assert clock is not None
            deadlines[rule] = clock.deadline.date()
        assert deadlines[ReturnClock.CONTINUE] == pendulum.date(2019, 10, 10)
        # 9-29 (a make-up workday) and 9-30 given back; Sat 10-12 is a make-up workday
        assert deadlines[ReturnClock.PAUSE_REVIEW] == pendulum.date(2019, 10, 12)
        assert deadlines[ReturnClock.RESTART] == pendulum.date(2019, 10, 12)
        assert deadlines[ReturnClock.CONTINUE] < deadlines[ReturnClock.RESTART]

    def test_refuse_keeps_it(self) -> None:
        """Refused: the office holds it again as before, and must give a reason."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = dispatched(wf, "civil_affairs")
        r = wf.apply(
            r, "office_accept", actor="ca", at=at(2019, 9, 27, 12), data={"office": "civil_affairs"}
        )
        r = wf.apply(
            r,
            "raise_objection",
            actor="ca",
            at=at(2019, 9, 27, 13),
            reason="x",
            data={"office": "civil_affairs"},
        )
        with pytest.raises(TransitionRefused, match="a reason is required"):
            wf.apply(
                r,
                "refuse_objection",
                actor="d",
                at=at(2019, 9, 27, 14),
                data={"office": "civil_affairs"},
            )
        r = wf.apply(
            r,
            "refuse_objection",
            actor="d",
            at=at(2019, 9, 27, 14),
            reason="属民政职责",
            data={"office": "civil_affairs"},
        )
        assert wf.facts(r).offices["civil_affairs"] == "accepted"
        assert wf.holders(r) == ("civil_affairs",)


class TestLeadAndCoHandlers:
    """Each office has its own deadline; the lead finishes after the co-handlers report."""

    def test_own_deadlines(self) -> None:
        """The co-handler's limit (3 days in the example) is shorter than the lead's (5)."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = dispatched(wf, "family_planning", "public_security")
        clocks = wf.office_clocks(r, at(2019, 9, 27, 12))
        assert clocks["family_planning"].deadline.date() == pendulum.date(2019, 10, 10)
        assert clocks["public_security"].deadline.date() == pendulum.date(2019, 10, 8)

    def test_named_lead(self) -> None:
        """A dispatch may name the lead; it must be one of the offices."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = received(wf)
        with pytest.raises(TransitionRefused, match="not among the offices dispatched"):
            wf.apply(
                r,
                "dispatch",
                actor="d",
                at=at(2019, 9, 27, 11),
                data={"offices": ["justice"], "lead": "x"},
            )
        r = wf.apply(
            r,
            "dispatch",
            actor="d",
            at=at(2019, 9, 27, 11),
            data={"offices": ["justice", "family_planning"], "lead": "family_planning"},
        )
        assert wf.facts(r).lead == "family_planning"


class TestDuplicates:
    """并单: linked both ways, updates go to the original, closed with its answer."""

    def test_merge_update_close(self) -> None:
        """The merged duplicate forwards its update to the original and closes with its answer."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        original = handled(wf, "T1")
        dup = received(wf, ticket("T2", service="justice.legal_aid"))
        dup, original = merge_duplicate(wf, dup, original, actor="d", at=at(2019, 9, 27, 12))
        assert dup.state == "merged"
        assert wf.facts(dup).original == "T1"
        assert wf.facts(original).duplicates == ("T2",)
        with pytest.raises(TransitionRefused, match="send updates to the original"):
            wf.apply(dup, "add_update", actor="r", at=at(2019, 9, 27, 13), reason="补充")
        original = forward_update(
            wf, dup, original, actor="r", at=at(2019, 9, 27, 13), reason="补充照片"
        )
        assert wf.facts(original).updates == 1
        assert original.trail[-1].data["via"] == "T2"
        dup = close_duplicate(wf, dup, original, actor="d", at=at(2019, 9, 27, 14))
        assert dup.state == "closed"
        assert wf.facts(dup).answer == "已办结"
        wf.verify(dup)
        wf.verify(original)

    def test_not_linked_or_not_answered(self) -> None:
        """Unlinked tickets forward nothing; a duplicate waits for the original's answer;
        a refused merge changes neither record."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        a = received(wf, ticket("T1"))
        b = received(wf, ticket("T2"))
        with pytest.raises(TransitionRefused, match="not merged into"):
            forward_update(wf, b, a, actor="r", at=at(2019, 9, 27, 13), reason="x")
        b2, a2 = merge_duplicate(wf, b, a, actor="d", at=at(2019, 9, 27, 12))
        with pytest.raises(TransitionRefused, match="has not been answered"):
            close_duplicate(wf, b2, a2, actor="d", at=at(2019, 9, 27, 14))
        with pytest.raises(TransitionRefused):
            merge_duplicate(wf, b2, a2, actor="d", at=at(2019, 9, 27, 15))

    def test_suggestions(self) -> None:
        """Same service and community, within the window, texts alike: suggested; a
        different text, service or too old: not."""
        rules = example_catalogue().rules
        base = ticket("T1", when=at(2019, 9, 20, 9), summary="小区路灯不亮已三天")
        same = ticket("T2", when=at(2019, 9, 26, 9), summary="小区路灯不亮已经三天了")
        other = ticket("T3", when=at(2019, 9, 26, 9), summary="申请法律援助")
        old = ticket("T4", when=at(2019, 9, 10, 9), summary="小区路灯不亮已三天")
        found = suggest_duplicates(same, [base, other, old], rules)
        assert [s.original_id for s in found] == ["T1"]
        assert found[0].similarity >= rules.duplicate_similarity
        assert similarity("路灯不亮", "路灯不亮") == 1
        assert similarity("路灯不亮", "") == 0


class TestEscalation:
    """催办 → 督办 → 提级 by hours past the deadline (example: 0, 24, 72)."""

    def test_levels(self) -> None:
        """Each level is reached at its time; a level not reached is refused."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = dispatched(wf, "civil_affairs", "public_security")
        deadline = at(2019, 10, 10).end_of("day")
        assert wf.escalation_due(r, deadline) is None
        assert wf.escalation_due(r, deadline.add(hours=1)).value == "reminder"  # type: ignore[union-attr]
        assert wf.escalation_due(r, deadline.add(hours=25)).value == "supervision"  # type: ignore[union-attr]
        assert wf.escalation_due(r, deadline.add(hours=73)).value == "elevation"  # type: ignore[union-attr]
        with pytest.raises(TransitionRefused, match="not due yet"):
            wf.apply(
                r, "escalate", actor="s", at=deadline.add(hours=2), data={"level": "supervision"}
            )
        r = wf.apply(r, "escalate", actor="s", at=deadline.add(hours=2))
        assert r.trail[-1].data["level"] == "reminder"
        r = wf.apply(
            r, "escalate", actor="s", at=deadline.add(hours=25), data={"level": "supervision"}
        )
        assert wf.facts(r).escalation_level == "supervision"


class TestEvaluation:
    """好差评: five levels, one rating, rectification with deadlines, voiding, one re-rating."""

    def test_levels_and_labels(self) -> None:
        """Five levels, 5 to 1, the last two bad, each labelled in Chinese and English."""
        assert [s.score for s in Satisfaction] == [5, 4, 3, 2, 1]
        assert [s.label_zh for s in Satisfaction] == [
            "非常满意",
            "满意",
            "基本满意",
            "不满意",
            "非常不满意",
        ]
        assert [s.bad for s in Satisfaction] == [False, False, False, True, True]

    def test_bad_rating_deadlines_across_national_day(self) -> None:
        """A bad rating on Fri 2019-09-27: call back by Sun 9-29 (a make-up workday),
        rectify in 15 working days by 10-23 (make-up days 9-29 and 10-12 counted)."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = wf.apply(
            handled(wf),
            "rate",
            actor="resident",
            at=at(2019, 9, 27, 15),
            data={"satisfaction": "dissatisfied"},
        )
        assert r.state == "rectifying"
        facts = wf.facts(r)
        assert facts.callback_due == at(2019, 9, 29).end_of("day")
        assert facts.rectify_due == at(2019, 10, 23).end_of("day")
        with pytest.raises(TransitionRefused, match="not allowed in state 'rectifying'"):
            wf.apply(r, "close", actor="w", at=at(2019, 9, 28), reason="x")
        r = wf.apply(r, "call_back", actor="w", at=at(2019, 9, 29, 10), reason="已回访")
        with pytest.raises(TransitionRefused, match="already called back"):
            wf.apply(r, "call_back", actor="w", at=at(2019, 9, 29, 11), reason="again")
        r = wf.apply(r, "rectify", actor="ca", at=at(2019, 10, 23, 17), reason="已整改")
        r = wf.apply(
            r, "rate", actor="resident", at=at(2019, 10, 24), data={"satisfaction": "satisfied"}
        )
        assert r.state == "rated"
        with pytest.raises(TransitionRefused, match="not allowed in state 'rated'"):
            wf.apply(
                r, "rate", actor="resident", at=at(2019, 10, 25), data={"satisfaction": "satisfied"}
            )
        [row] = service_indicators(wf, [r], by=())
        assert (row.bad, row.rectified_in_time, row.called_back) == (1, 1, 1)
        assert row.satisfaction_rate == 1

    def test_late_rectification_and_callback_counted_late(self) -> None:
        """Rectified the day after its deadline, called back after its deadline: not in time."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = wf.apply(
            handled(wf),
            "rate",
            actor="resident",
            at=at(2019, 9, 27, 15),
            data={"satisfaction": "very_dissatisfied"},
        )
        r = wf.apply(r, "call_back", actor="w", at=at(2019, 9, 30, 9), reason="回访")
        r = wf.apply(r, "rectify", actor="ca", at=at(2019, 10, 24, 9), reason="整改")
        [row] = service_indicators(wf, [r], by=())
        assert (row.bad, row.rectified_in_time, row.called_back) == (1, 0, 0)
        assert row.rectified_in_time_share == 0

    def test_void_on_review(self) -> None:
        """A review voids a malicious rating with its grounds; it is then not counted."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        r = wf.apply(
            handled(wf),
            "rate",
            actor="resident",
            at=at(2019, 9, 27, 15),
            data={"satisfaction": "very_dissatisfied"},
        )
        with pytest.raises(TransitionRefused, match="grounds"):
            wf.apply(
                r,
                "void_rating",
                actor="review",
                at=at(2019, 9, 28),
                reason="x",
                data={"grounds": "disliked"},
            )
        r = wf.apply(
            r,
            "void_rating",
            actor="review",
            at=at(2019, 9, 28),
            reason="与办件无关",
            data={"grounds": "malicious"},
        )
        assert r.state == "rated"
        [row] = service_indicators(wf, [r], by=())
        assert (row.tickets, row.rated, row.bad) == (1, 0, 0)
        assert row.satisfaction_rate is None

    def test_indicators_by_office_service_month(self) -> None:
        """Rows by office, service and month; labels in both languages."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        good = wf.apply(
            handled(wf, "T1"),
            "rate",
            actor="r",
            at=at(2019, 9, 28),
            data={"satisfaction": "basically_satisfied"},
        )
        bad = wf.apply(
            handled(wf, "T2"),
            "rate",
            actor="r",
            at=at(2019, 9, 28),
            data={"satisfaction": "dissatisfied"},
        )
        [row] = service_indicators(wf, [good, bad])
        assert row.group == {
            "office": "justice",
            "service": "justice.legal_aid",
            "month": "2019-09",
        }
        assert row.satisfaction_rate == Fraction(1, 2)
        assert row.bad_share == Fraction(1, 2)
        assert set(row.as_dict()) <= set(INDICATOR_LABELS)
        # the office and the service by name, from the catalogue
        spec = wf.catalogue.get("justice.legal_aid")
        assert spec is not None
        assert row.label("service", "en") == spec.label_en
        assert row.label("office", "zh") == wf.catalogue.office_label("justice", "zh")
        assert row.label("month", "en") == "2019-09"
        from sqfw.errors import InvalidArgumentError

        for by in (("county",), "office"):
            with pytest.raises(InvalidArgumentError, match="by: expected a sequence of the keys"):
                service_indicators(wf, [good], by=by)


class TestDemand:
    """§4.7: what residents ask for, who provides it, and what nobody provides."""

    def test_unmet_demand(self) -> None:
        """Requests of an item without provider and of an unlisted item are unmet."""
        cat = DemandCatalogue(
            community_code="150102001001",
            items=[
                DemandItem(
                    code="meals",
                    label_zh="老年助餐",
                    label_en="meals for elders",
                    provider="街道食堂",
                ),
                DemandItem(code="daycare", label_zh="托育", label_en="day care"),
            ],
        )
        rows = demand_summary(
            cat,
            ["meals", "meals", "daycare", "repair"],
            [("meals", "very_satisfied"), ("meals", "satisfied")],
        )
        by = {r.code: r for r in rows}
        assert by["meals"].requested == 2
        assert by["meals"].mean_score == Fraction(9, 2)
        assert not by["meals"].unmet
        assert by["daycare"].unmet
        assert by["repair"].unmet
        assert not by["repair"].listed


class TestInput:
    """apply refuses malformed input with an SqfwError that echoes little and masks numbers."""

    def test_naive_and_garbage_at(self) -> None:
        """A naive or unreadable time is a WorkflowInputError naming what was expected."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        for bad in (pendulum.naive(2019, 9, 27), "next tuesday", 42):
            with pytest.raises(WorkflowInputError, match="at: expected a time-zone-aware") as error:
                wf.apply(wf.new("T1"), "decline", actor="w", at=bad, reason="x")  # type: ignore[arg-type]
            assert isinstance(error.value, SqfwError)
            assert isinstance(error.value, ValueError)

    def test_long_actor_and_reason_bounded(self) -> None:
        """A 100-character actor is fine; 101 is refused with an echo cut to 80 characters."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        ok = wf.apply(wf.new("T1"), "decline", actor="a" * 100, at=at(2019, 9, 27), reason="x")
        assert ok.state == "declined"
        with pytest.raises(TransitionRefused) as error:
            wf.apply(
                wf.new("T1"), "decline", actor="a" * 5000, at=at(2019, 9, 27), reason="r" * 3000
            )
        message = str(error.value)
        assert "a" * 80 + "…" in message
        assert "a" * 81 not in message
        assert "r" * 81 not in message
        assert len(message) < 800

    def test_personal_data_masked(self) -> None:
        """An identity number or a phone typed into the actor is not echoed whole."""
        wf = TicketWorkflow(catalogue=example_catalogue())
        number = "11010519491231002X"
        phone = "13912345678"
        with pytest.raises(TransitionRefused) as error:
            wf.apply(
                wf.new("T1"),
                "decline",
                actor=f"{number} {phone} " + "x" * 100,
                at=at(2019, 9, 27),
                reason="x",
            )
        message = str(error.value)
        assert number not in message
        assert phone not in message
        assert "110***********002X" in message
