"""Volunteer service records as 《志愿服务条例》 and 民政部令第67号 set them out: recorded by
the organising body, certified by it, corrected on the volunteer's request with the
correction kept in the hash-chained trail; certificates from the records; hours by
volunteer, organisation and period."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sqfw.testing as sqst
from sqfw.entities import ServiceCertificate, ServiceRecord, Volunteer
from sqfw.errors import (
    CertificateRefused,
    InvalidArgumentError,
    InvalidEntityError,
    TrailBroken,
    TransitionRefused,
)
from sqfw.serialization import dump_document, json_schema
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.volunteer_service import (
    HOURS_LABELS,
    VolunteerServiceState,
    VolunteerServiceWorkflow,
    hours_frame,
    record_data,
    service_certificate,
    service_hours,
)

TZ = "Asia/Shanghai"
AT = pendulum.datetime(2026, 3, 1, 13, tz=TZ)
ORG = {"organization_id": "o1"}
WF = VolunteerServiceWorkflow()
VOLUNTEER = Volunteer(
    id="v1",
    name="李娜",
    community_code="150102001001",
    registered_on="2025-01-01",
    identity_number="11010519491231002X",
)


def service(rid: str = "r1", start_hour: int = 9, minutes: int = 210) -> ServiceRecord:
    start = pendulum.datetime(2026, 3, 1, start_hour, tz=TZ)
    return ServiceRecord(
        id=rid,
        start=start,
        end=start.add(minutes=minutes),
        activity="助老服务",
        organization_id="o1",
    )


def recorded(rid: str = "r1", **kwargs: int) -> WorkflowRecord:
    data = record_data(VOLUNTEER, service(rid, **kwargs))
    return WF.apply(WF.new(rid), "record", actor="记录员", at=AT, data=data)


def certified(rid: str = "r1", **kwargs: int) -> WorkflowRecord:
    return WF.apply(
        recorded(rid, **kwargs), "certify", actor="记录员", at=AT.add(hours=1), data=ORG
    )


def asked(record: WorkflowRecord, items: list[str]) -> WorkflowRecord:
    return WF.apply(
        record,
        "request_correction",
        actor="李娜",
        at=record.trail[-1].at.add(days=1),
        reason="结束时间有误",
        data={"volunteer_id": "v1", "items": items},
    )


class TestRecordAndCertify:
    """Who organises records; who records certifies (谁组织谁记录，谁记录谁证明)."""

    def test_recorded_then_certified_with_the_hours_in_the_trail(self) -> None:
        record = certified()
        assert record.state == "certified"
        assert record.trail[0].data["hours"] == "3.5"
        assert WF.facts(record).hours == Decimal("3.5")

    def test_only_the_recording_organisation_certifies(self) -> None:
        refused = WF.check(
            recorded(), "certify", actor="x", at=AT.add(hours=1), data={"organization_id": "o2"}
        )
        assert any("o1" in r for r in refused)

    def test_a_service_ending_before_it_starts_is_not_recorded(self) -> None:
        data = record_data(VOLUNTEER, service())
        data["end"] = data["start"]
        with pytest.raises(TransitionRefused) as refused:
            WF.apply(WF.new("r1"), "record", actor="记录员", at=AT, data=data)
        assert "end" in str(refused.value)

    def test_a_naive_time_is_not_recorded(self) -> None:
        data = {**record_data(VOLUNTEER, service()), "start": "2026-03-01T09:00:00"}
        assert WF.check(WF.new("r1"), "record", actor="记录员", at=AT, data=data)

    def test_the_trail_names_the_volunteer_by_id_only(self) -> None:
        """Personal data stays out of the trail: no name, no identity number."""
        text = repr(certified().trail[0].data)
        assert "李娜" not in text
        assert "11010519491231002X" not in text
        assert "v1" in text


class TestCorrectionOnRequest:
    """A volunteer asks; the organisation checks and corrects (及时核实、修改)."""

    def test_recorded_certified_corrected_and_the_trail_shows_each(self) -> None:
        record = asked(certified(), ["end"])
        new_end = "2026-03-01T13:00:00+08:00"
        record = WF.apply(
            record, "correct", actor="记录员", at=AT.add(days=2), data={**ORG, "end": new_end}
        )
        assert record.state == "recorded"  # certified again before it counts
        assert [e.event for e in record.trail] == [
            "record",
            "certify",
            "request_correction",
            "correct",
        ]
        entry = record.trail[-1]
        assert entry.data["previous"]["end"] == "2026-03-01T12:30:00+08:00"
        assert entry.data["hours"] == "4"
        facts = WF.facts(record)
        assert facts.hours == Decimal(4)
        assert facts.corrections[0].reason == "结束时间有误"
        assert facts.corrections[0].changes["end"][1] == new_end
        WF.verify(record)

    def test_only_the_volunteer_asks(self) -> None:
        refused = WF.check(
            certified(),
            "request_correction",
            actor="x",
            at=AT.add(days=1),
            reason="x",
            data={"volunteer_id": "v2", "items": ["end"]},
        )
        assert refused

    def test_a_correction_answers_exactly_what_was_asked(self) -> None:
        record = asked(certified(), ["end"])
        assert WF.check(record, "correct", actor="x", at=AT.add(days=2), data=ORG)
        both = {**ORG, "end": "2026-03-01T13:00:00+08:00", "activity": "义诊"}
        assert WF.check(record, "correct", actor="x", at=AT.add(days=2), data=both)

    def test_declined_returns_to_where_it_was(self) -> None:
        for before, state in ((certified(), "certified"), (recorded(), "recorded")):
            record = asked(before, ["activity"])
            record = WF.apply(
                record,
                "decline_correction",
                actor="记录员",
                at=AT.add(days=3),
                reason="经核实记录无误",
                data=ORG,
            )
            assert record.state == state

    def test_a_changed_correction_breaks_the_trail(self) -> None:
        record = asked(certified(), ["end"])
        record = WF.apply(
            record,
            "correct",
            actor="记录员",
            at=AT.add(days=2),
            data={**ORG, "end": "2026-03-01T13:00:00+08:00"},
        )
        forged = attrs.evolve(record.trail[3], actor="nobody")
        broken = attrs.evolve(record, trail=(*record.trail[:3], forged))
        with pytest.raises(TrailBroken) as caught:
            WF.verify(broken)
        assert caught.value.index == 3

    @settings(max_examples=25, deadline=None)
    @given(record=sqst.volunteer_service_records())
    def test_drawn_records_verify_and_replay(self, record: WorkflowRecord) -> None:
        """Any accepted sequence of events leaves a record that verifies and replays to
        the same state; a certified record has a service and its hours."""
        WF.verify(record)
        again = WF.replay(record.record_id, record.trail)
        assert again.state == record.state == record.trail[-1].target
        facts = WF.facts(record)
        assert facts.service is not None
        assert facts.hours is not None
        assert facts.hours > 0
        assert VolunteerServiceState(record.state)


class TestStore:
    """Records stored in SQLite and verified from it."""

    def test_saved_loaded_and_verified(self, tmp_path: Path) -> None:
        store_module = pytest.importorskip("sqfw.store")
        store = store_module.SqlStore(str(tmp_path / "v.db"), workflows=[WF])
        try:
            record = asked(certified(), ["end"])
            store.save(record)
            loaded = store.load("volunteer_service", "r1")
            assert loaded == record
            assert not store.verify_all()
            assert [s.topic for s in store.find(workflow="volunteer_service")] == ["o1"]
        finally:
            store.dispose()


class TestCertificate:
    """A certificate of volunteer service record from the issuer's own records."""

    def make(self, records: list[WorkflowRecord], **more: object) -> ServiceCertificate:
        options: dict[str, object] = {
            "volunteer": VOLUNTEER,
            "organization_id": "o1",
            "organization_name": "青城志愿服务队",
            "number": "C-2026-1",
            "issued_on": "2026-03-05",
            **more,
        }
        return service_certificate(WF, records, **options)  # type: ignore[arg-type]

    def test_states_the_certified_hours_and_names_the_pending(self) -> None:
        pending = asked(certified("r2", start_hour=14, minutes=60), ["end"])
        certificate = self.make([certified(minutes=210), pending, recorded("r3", start_hour=16)])
        assert certificate.total_hours == Decimal("3.5")
        assert certificate.pending == ("r2", "r3")
        zh, en = certificate.render("zh"), certificate.render("en")
        assert "志愿服务时长合计：3小时30分" in zh
        assert "Total hours of service: 3 h 30 min" in en

    def test_personal_data_masked_in_every_rendering(self) -> None:
        certificate = self.make([certified()], note="联系 13800138000")
        for text in (certificate.render("zh"), certificate.render("en")):
            assert "李娜" not in text
            assert "11010519491231002X" not in text
            assert "13800138000" not in text
        assert "李娜" not in repr(certificate)
        assert "1101**********002X" in certificate.render("zh")
        assert dump_document(certificate)["volunteer_name"] == "李*"

    def test_another_organisations_record_is_refused(self) -> None:
        other = WF.apply(
            WF.new("r9"),
            "record",
            actor="x",
            at=AT,
            data=record_data(VOLUNTEER, service("r9"), organization_id="o2"),
        )
        with pytest.raises(CertificateRefused) as refused:
            self.make([certified(), other])
        assert refused.value.where == "records[1]"

    def test_another_volunteers_record_is_refused(self) -> None:
        someone = attrs.evolve(VOLUNTEER, id="v2")
        with pytest.raises(CertificateRefused):
            self.make([certified()], volunteer=someone)

    def test_nothing_certified_nothing_to_certify(self) -> None:
        with pytest.raises(CertificateRefused):
            self.make([recorded()])

    def test_issued_on_the_day_the_service_ended_not_before(self) -> None:
        """The boundary: the day the last service ended passes, the day before fails."""
        assert self.make([certified()], issued_on="2026-03-01").issued_on.day == 1
        with pytest.raises(InvalidEntityError):
            self.make([certified()], issued_on="2026-02-28")

    def test_json_schema_names_what_it_states(self) -> None:
        schema = json_schema("volunteer_certificate")
        assert {"number", "volunteer_id", "organization_id", "services", "issued_on"} <= set(
            schema["required"]
        )

    @settings(max_examples=20, deadline=None)
    @given(certificate=sqst.service_certificates())
    def test_drawn_certificates_render_in_both_languages(
        self, certificate: ServiceCertificate
    ) -> None:
        for lang in ("zh", "en"):
            text = certificate.render(lang)
            assert (
                certificate.volunteer_name.reveal()
                not in text.replace(certificate.volunteer_name.masked(), "")
                or len(certificate.volunteer_name.reveal()) == 1
            )
            assert certificate.number in text


class TestHours:
    """Hours by volunteer, organisation and period, from certified records only."""

    def test_by_month_and_organisation(self) -> None:
        records = [
            certified("r1", minutes=90),
            certified("r2", start_hour=14, minutes=30),
            asked(certified("r3", start_hour=16, minutes=60), ["end"]),
        ]
        rows = service_hours(WF, records)
        assert [r.as_dict() for r in rows] == [
            {
                "volunteer": "v1",
                "organization": "o1",
                "period": "2026-03",
                "records": 2,
                "hours": Decimal(2),
            }
        ]
        (total,) = service_hours(WF, records, by=(), period="year")
        assert total.hours == Decimal(2)

    def test_thirds_of_an_hour_add_up_to_whole_hours(self) -> None:
        """Three services of 20 minutes are exactly 1 hour, in the rows and on a
        certificate (seconds are added, then divided once)."""
        records = [certified(f"r{i}", start_hour=9 + i, minutes=20) for i in range(3)]
        (row,) = service_hours(WF, records, by=())
        assert row.hours == Decimal(1)
        certificate = TestCertificate().make(records)
        assert certificate.total_hours == Decimal(1)
        assert "志愿服务时长合计：1小时\n" in certificate.render("zh")

    def test_seconds_shown_exactly(self) -> None:
        """7 seconds read as 7 seconds, never 6 (the hours' quotient is not rounded down)."""
        start = pendulum.datetime(2026, 3, 1, 9, tz=TZ)
        record = WF.apply(
            WF.new("r1"),
            "record",
            actor="x",
            at=AT,
            data={
                "volunteer_id": "v1",
                "organization_id": "o1",
                "start": start.isoformat(),
                "end": start.add(seconds=7).isoformat(),
            },
        )
        record = WF.apply(record, "certify", actor="x", at=AT, data=ORG)
        text = TestCertificate().make([record]).render("en")
        assert "Total hours of service: 0 h 0 min 7 s" in text

    def test_the_period_bounds_include_their_days(self) -> None:
        records = [certified()]
        assert service_hours(WF, records, start="2026-03-01", end="2026-03-01")
        assert not service_hours(WF, records, start="2026-03-02")
        assert not service_hours(WF, records, end="2026-02-28")

    def test_unknown_keys_refused(self) -> None:
        with pytest.raises(InvalidArgumentError):
            service_hours(WF, [], by=("street",))
        with pytest.raises(InvalidArgumentError):
            service_hours(WF, [], period="week")

    def test_frame_headers_bilingual(self) -> None:
        pytest.importorskip("pandas")
        rows = service_hours(WF, [certified()])
        zh = hours_frame(rows, lang="zh")
        en = hours_frame(rows, lang="en")
        assert list(zh.columns) == [
            HOURS_LABELS[k][0] for k in (*rows[0].group, "records", "hours")
        ]
        assert list(en.columns)[-1] == "service hours"
        assert zh.iloc[0, -1] == Decimal("3.5")

    @settings(max_examples=15, deadline=None)
    @given(
        records=st.lists(
            sqst.volunteer_service_records(), max_size=4, unique_by=lambda r: r.record_id
        )
    )
    def test_the_rows_add_up_to_the_certified_hours(self, records: list[WorkflowRecord]) -> None:
        """Grouped rows sum to the one-row total, and that to the certified records' hours."""
        total = sum(
            (WF.facts(r).hours or Decimal(0) for r in records if r.state == "certified"),
            Decimal(0),
        )
        rows = service_hours(WF, records)
        assert sum((r.hours for r in rows), Decimal(0)) == total
        assert sum(r.records for r in rows) == sum(r.state == "certified" for r in records)


class TestDocs:
    """The docs page shows the diagram generated from the machine as it is now."""

    def test_page_shows_the_current_diagram(self) -> None:
        page = Path(__file__).resolve().parents[2] / "docs" / "volunteers.md"
        text = page.read_text(encoding="utf-8")
        assert f"```mermaid\n{VolunteerServiceWorkflow.mermaid()}```" in text


class TestCorrectionDeadline:
    """ "Promptly" (及时) has no number: the deadline is the host's parameter, none by default."""

    def test_no_deadline_by_default(self) -> None:
        assert WF.due(asked(certified(), ["end"])) is None

    def test_the_hosts_deadline_from_the_request(self, tmp_path: Path) -> None:
        """Due exactly the host's time after the request: a second before it the record is
        not overdue, at it it is (the store's rule: due at or before the moment)."""
        wf = VolunteerServiceWorkflow(correction_within=pendulum.duration(days=5))
        record = asked(certified(), ["end"])
        requested = record.trail[-1].at
        assert wf.due(record) == requested.add(days=5)
        assert wf.due(certified()) is None  # no request open
        store_module = pytest.importorskip("sqfw.store")
        store = store_module.SqlStore(str(tmp_path / "d.db"), workflows=[wf])
        try:
            store.save(record)
            assert not store.overdue(requested.add(days=5).subtract(seconds=1))
            assert [s.record_id for s in store.overdue(requested.add(days=5))] == ["r1"]
        finally:
            store.dispose()

    @pytest.mark.parametrize("bad", [pendulum.duration(0), -pendulum.duration(days=1), 5, "5d"])
    def test_a_deadline_that_is_no_positive_duration_refused(self, bad: object) -> None:
        with pytest.raises(InvalidArgumentError):
            VolunteerServiceWorkflow(correction_within=bad)  # type: ignore[arg-type]
