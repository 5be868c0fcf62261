"""The floating-population register (§3.5): masked by default, every full read logged."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from process_helpers import DING, JIA, two_communities
from stdnum.cn import ric

from sqfw.entities.register import FloatingRegistration
from sqfw.errors import InvalidEntityError, TrailBroken, TransitionRefused
from sqfw.population import AccessLogWorkflow, FloatingRegister, RegisterError
from sqfw.testing import identity_numbers
from sqfw.workflows import WorkflowRecord

ID_A = "11010519491231002X"
ID_B = "150102198805060011"
ID_B = ID_B[:-1] + ric.calc_check_digit(ID_B)
AT = "2020-06-01T10:00:00+08:00"


def registration(
    ident: str = "f1",
    number: str = ID_A,
    code: str = JIA,
    arrived: str = "2020-03-01",
    departed: str | None = None,
) -> FloatingRegistration:
    return FloatingRegistration(
        id=ident,
        community_code=code,
        identity_number=number,
        name="王小明",
        address="海拉尔东路12号3单元502室",
        origin="河北省保定市",
        arrived_on=arrived,
        registered_on=arrived,
        registered_by_role="building_leader",
        registered_by="leader-17",
        departed_on=departed,
        phone="13800138000",
    )


def register() -> FloatingRegister:
    return FloatingRegister(
        register_id="jia-2020",
        registrations=[registration(), registration("f2", ID_B, DING, "2020-04-01")],
    )


class TestMasking:
    def test_views_never_show_the_number(self):
        """The view, the views, repr and str of the register hold no full identity number."""
        reg = register()
        shown = [repr(reg), str(reg), repr(reg.view("f1")), repr(reg.views())]
        for text in shown:
            assert ID_A not in text
            assert "王小明" not in text
            assert "13800138000" not in text
            assert "海拉尔东路12号3单元502室" not in text
        assert reg.view("f1").identity_number == "1101**********002X"

    def test_entity_repr_is_masked(self):
        """The registration itself prints masked."""
        assert ID_A not in repr(registration())

    def test_invalid_number_error_is_masked(self):
        """A bad identity number is an InvalidEntityError that does not repeat it."""
        bad = ID_A[:-1] + "0"
        with pytest.raises(InvalidEntityError, match="identity_number") as caught:
            registration(number=bad)
        assert bad not in str(caught.value)

    @given(number=identity_numbers())
    def test_any_number_is_masked_in_views(self, number):
        """Whatever the number, the register's views never contain it."""
        reg = FloatingRegister(
            register_id="r", registrations=[registration(number=number.reveal())]
        )
        assert number.reveal() not in repr(reg.views())


class TestFullReads:
    def test_a_full_read_is_logged_first(self):
        """read_full returns the number with a log entry naming who, why and which record."""
        reg = register()
        shown = reg.read_full(
            "f1", actor="police-3", purpose="核查居住证明 / residence check", at=AT
        )
        assert shown.record.identity_number == ID_A
        assert ID_A not in repr(shown.record)
        log = shown.register.log
        assert log.version == 1
        entry = log.trail[-1]
        assert (entry.actor, entry.reason) == ("police-3", "核查居住证明 / residence check")
        assert entry.data["registration"] == "f1"
        assert ID_A not in str(entry.data)
        assert shown.register.accesses("f1") == (entry,)
        assert reg.log.version == 0  # the register read from is unchanged
        shown.register.verify_log()

    def test_a_read_without_purpose_reveals_nothing(self):
        """No purpose: refused, nothing logged, nothing returned."""
        with pytest.raises(TransitionRefused, match="reason"):
            register().read_full("f1", actor="police-3", purpose="", at=AT)

    def test_an_unknown_record_is_not_logged(self):
        """An id not in the register is a RegisterError."""
        with pytest.raises(RegisterError, match="read_full"):
            register().read_full("nope", actor="a", purpose="x", at=AT)

    def test_an_edited_log_is_refused(self):
        """A log whose entry was changed does not verify; the register refuses it."""
        shown = register().read_full("f1", actor="police-3", purpose="check", at=AT)
        log = shown.register.log
        forged_entry = type(log.trail[0])(
            **{
                **{
                    f: getattr(log.trail[0], f)
                    for f in (
                        "seq",
                        "event",
                        "source",
                        "target",
                        "at",
                        "reason",
                        "data",
                        "prev",
                        "hash",
                    )
                },
                "actor": "nobody",
            }
        )
        forged = WorkflowRecord(
            workflow=log.workflow,
            record_id=log.record_id,
            state=log.state,
            trail=(forged_entry,),
            version=1,
            head=log.head,
        )
        with pytest.raises(TrailBroken):
            AccessLogWorkflow.verify(forged)
        with pytest.raises(TrailBroken):
            FloatingRegister(register_id="jia-2020", registrations=[], log=forged)

    def test_log_of_another_register_is_refused(self):
        """A log whose record id is not the register's is refused."""
        other = AccessLogWorkflow().new("other")
        with pytest.raises(RegisterError, match="log"):
            FloatingRegister(register_id="jia-2020", log=other)


class TestCounts:
    def test_arrival_day_counts_departure_day_does_not(self):
        """Present from the day of arrival to the day before departure (§3.5)."""
        reg = FloatingRegister(
            register_id="r",
            registrations=[registration(arrived="2020-03-01", departed="2020-05-01")],
        )
        assert reg.counts("2020-02-29") == {}
        assert reg.counts("2020-03-01") == {JIA: 1}
        assert reg.counts("2020-04-30") == {JIA: 1}
        assert reg.counts("2020-05-01") == {}

    def test_counts_fill_the_community_figure(self):
        """The register's count becomes the community's floating population."""
        reg = register()
        jia, ding = two_communities().communities
        assert reg.fill(jia, "2020-06-01").floating_population == 1
        assert reg.fill(ding, "2020-03-15").floating_population == 0
        assert reg.by_registrar("2020-06-01") == {"building_leader": 2}

    def test_depart_and_add(self):
        """Departure before arrival is refused; ids are unique."""
        reg = register()
        assert reg.depart("f1", "2020-05-01").counts("2020-06-01") == {DING: 1}
        with pytest.raises(InvalidEntityError, match="departed_on"):
            reg.depart("f1", "2020-02-29")
        with pytest.raises(RegisterError, match="add"):
            reg.add(registration())
        assert len(reg.add(registration("f3"))) == 3


class RegisterStateful(RuleBasedStateMachine):
    """Random reads, views and departures: a number is only ever revealed with a log entry."""

    def __init__(self) -> None:
        super().__init__()
        self.register = register()
        self.now = pendulum.datetime(2020, 6, 1, 9, tz="Asia/Shanghai")
        self.revealed = 0

    @rule(
        ident=st.sampled_from(["f1", "f2", "nope"]), purpose=st.sampled_from(["", "核查 / check"])
    )
    def read(self, ident: str, purpose: str) -> None:
        self.now = self.now.add(minutes=5)
        before = self.register.log
        try:
            shown = self.register.read_full(ident, actor="clerk", purpose=purpose, at=self.now)
        except (RegisterError, TransitionRefused):
            assert self.register.log is before
            return
        assert shown.register.log.version == before.version + 1
        self.register = shown.register
        self.revealed += 1

    @rule(ident=st.sampled_from(["f1", "f2"]))
    def view(self, ident: str) -> None:
        assert ID_A not in repr(self.register.view(ident))
        assert ID_B not in repr(self.register.view(ident))

    @invariant()
    def every_reveal_logged(self) -> None:
        assert self.register.log.version == self.revealed
        self.register.verify_log()


TestRegisterStateful = RegisterStateful.TestCase
