"""The entities: construction, and refusal of invalid data with the field and the value."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import (
    Candidate,
    Committee,
    CommitteeMember,
    Community,
    CommunityKind,
    CommunityWorker,
    Division,
    DivisionKind,
    DivisionLevel,
    EducationLevel,
    Election,
    Facility,
    InvalidEntityError,
    MemberRole,
    PhoneNumber,
    Region,
    ServiceRecord,
    ServiceTicket,
    SocialOrganization,
    TrainingRecord,
    Volunteer,
)
from sqfw import testing as sqst
from sqfw.entities import ancestor_code, division_level, parent_code
from sqfw.errors import InvalidArgumentError, show_value

SHANGHAI = "Asia/Shanghai"


def at(day: int, hour: int, minute: int = 0, tz: str = SHANGHAI) -> pendulum.DateTime:
    return pendulum.datetime(2020, 6, day, hour, minute, tz=tz)


def refused(call: Any, entity: str, field: str, value: str) -> InvalidEntityError:
    """Run ``call`` and check that it is refused naming the entity, field and value."""
    with pytest.raises(InvalidEntityError) as caught:
        call()
    error = caught.value
    assert (error.entity, error.field) == (entity, field)
    assert str(error).startswith(f"{entity}.{field}: expected ")
    assert str(error).endswith(f"got {value}")
    return error


def facility(**changes: Any) -> Facility:
    fields: dict[str, Any] = {"id": "f1", "kind": "comprehensive", "total_area_m2": 300}
    return Facility(**{**fields, **changes})


def community(**changes: Any) -> Community:
    fields: dict[str, Any] = {
        "code": "150102001001",
        "name": "光明社区",
        "kind": "urban",
        "households": 1000,
        "resident_population": 3000,
    }
    return Community(**{**fields, **changes})


class TestFacility:
    """§2.1, §2.14: floor areas are exact, non-negative, and the office is within the total."""

    def test_valid(self) -> None:
        f = facility(total_area_m2="300.5", office_area_m2=90)
        assert f.total_area_m2 == Decimal("300.5")
        assert f.office_area_m2 == Decimal(90)

    def test_floats_converted_exactly(self) -> None:
        assert facility(total_area_m2=0.1).total_area_m2 == Decimal("0.1")

    def test_negative_total_refused(self) -> None:
        error = refused(lambda: facility(total_area_m2=-5), "Facility", "total_area_m2", "-5")
        assert error.expected == "an area in m² from 0 to 10,000,000"

    def test_negative_office_refused(self) -> None:
        refused(lambda: facility(office_area_m2=-1), "Facility", "office_area_m2", "-1")

    def test_office_above_total_refused(self) -> None:
        """Office > total is invalid data; office > 30% of total (§2.14) is only a finding."""
        refused(lambda: facility(office_area_m2="300.01"), "Facility", "office_area_m2", "300.01")
        assert facility(office_area_m2=300).office_area_m2 == 300
        assert facility(office_area_m2=200).office_area_m2 == 200  # 67%: a finding, not an error

    def test_not_finite_refused(self) -> None:
        refused(
            lambda: facility(total_area_m2="Infinity"), "Facility", "total_area_m2", "'Infinity'"
        )

    def test_negative_rooms_refused(self) -> None:
        refused(lambda: facility(multi_use_rooms=-1), "Facility", "multi_use_rooms", "-1")

    def test_duplicate_co_located_refused(self) -> None:
        refused(
            lambda: facility(co_located=["health", "health"]),
            "Facility",
            "co_located",
            "<CoLocatedService.HEALTH: 'health'>",
        )

    def test_bad_id_refused(self) -> None:
        refused(lambda: facility(id="a b"), "Facility", "id", "'a b'")
        refused(lambda: facility(id="f1\n"), "Facility", "id", "'f1\\n'")

    def test_unknown_kind_refused(self) -> None:
        with pytest.raises(
            InvalidEntityError, match=r"Facility\.kind: expected one of 'comprehensive'"
        ):
            facility(kind="castle")

    def test_evolve_validates(self) -> None:
        refused(
            lambda: attrs.evolve(facility(), total_area_m2=-1), "Facility", "total_area_m2", "-1"
        )


class TestCommunity:
    """A community's code is at village level; households and residents are consistent."""

    def test_valid(self) -> None:
        c = community()
        assert c.kind is CommunityKind.URBAN
        assert c.township_code == "150102001000"
        assert c.county_code == "150102000000"
        assert c.prefecture_code == "150100000000"

    def test_unknown_counts_allowed(self) -> None:
        c = community(households=None, resident_population=None)
        assert c.households is None

    def test_zero_households_with_residents_refused(self) -> None:
        error = refused(lambda: community(households=0), "Community", "households", "0")
        assert "3000 residents" in error.expected

    def test_households_without_residents_refused(self) -> None:
        refused(lambda: community(resident_population=0), "Community", "households", "1000")

    def test_more_households_than_residents_refused(self) -> None:
        refused(lambda: community(households=3001), "Community", "households", "3001")

    def test_empty_community_allowed(self) -> None:
        assert community(households=0, resident_population=0).households == 0

    def test_negative_population_refused(self) -> None:
        refused(lambda: community(floating_population=-1), "Community", "floating_population", "-1")

    @pytest.mark.parametrize(
        ("code", "shown"),
        [
            ("15010200100a", "'15010200100a'"),
            ("15010200100", "'150****0100'"),  # shaped like a mobile number: masked
            ("050102001001", "'050*****1001'"),  # shaped like a landline number: masked
        ],
    )
    def test_malformed_code_refused(self, code: str, shown: str) -> None:
        refused(lambda: community(code=code), "Community", "code", shown)

    def test_code_above_village_level_refused(self) -> None:
        error = refused(
            lambda: community(code="150102001000"), "Community", "code", "'150102001000'"
        )
        assert "community/village-level" in error.expected

    def test_code_that_skips_a_level_refused(self) -> None:
        refused(lambda: community(code="150100000001"), "Community", "code", "'150100000001'")

    def test_village_under_a_prefecture_without_counties_accepted(self) -> None:
        """东莞 441900 has no counties: its villages sit under a township of the city."""
        village = community(code="441900003001")
        assert village.township_code == "441900003000"
        assert village.county_code == "441900000000"  # the city stands in for its county
        assert village.prefecture_code == "441900000000"

    def test_blank_name_refused(self) -> None:
        refused(lambda: community(name="  "), "Community", "name", "'  '")

    def test_duplicate_facility_ids_refused(self) -> None:
        refused(
            lambda: community(facilities=[facility(), facility(total_area_m2=10)]),
            "Community",
            "facilities",
            "'f1'",
        )

    def test_kinds_have_the_plans_rural_and_pastoral_types(self) -> None:
        """§2.12, §2.13: seven kinds of community."""
        assert {k.value for k in CommunityKind} == {
            "urban",
            "township_seat",
            "urban_village",
            "suburban_village",
            "central_village",
            "rural_village",
            "pastoral",
        }
        assert CommunityKind.URBAN.is_urban
        assert not CommunityKind.PASTORAL.is_urban


class TestCommittee:
    """§1.1–§1.3: a numbered term, at most one chair, unique member ids."""

    def member(self, id: str, role: str = "member", **changes: Any) -> CommitteeMember:
        return CommitteeMember(id=id, name="李娜", gender="female", role=role, **changes)

    def test_valid(self) -> None:
        c = Committee(
            term=10,
            kind="residents",
            method="direct",
            members=[self.member("a", "chair"), self.member("b", is_community_police=True)],
        )
        assert c.is_direct
        assert c.women == 2
        assert c.members[1].is_community_police

    def test_two_chairs_refused(self) -> None:
        refused(
            lambda: Committee(
                term=10,
                kind="residents",
                method="direct",
                members=[self.member("a", "chair"), self.member("b", "chair")],
            ),
            "Committee",
            "members",
            "['a', 'b']",
        )

    def test_duplicate_member_ids_refused(self) -> None:
        refused(
            lambda: Committee(
                term=10,
                kind="villagers",
                method="household_representatives",
                members=[self.member("a"), self.member("a", "vice_chair")],
            ),
            "Committee",
            "members",
            "'a'",
        )

    def test_term_below_one_refused(self) -> None:
        refused(
            lambda: Committee(term=0, kind="residents", method="direct"), "Committee", "term", "0"
        )

    def test_bad_identity_number_refused_masked(self) -> None:
        with pytest.raises(ValueError, match="GB 11643") as caught:
            self.member("a", identity_number="110105194912310021")
        assert "110105194912310021" not in str(caught.value)

    def test_role_default_is_member(self) -> None:
        assert CommitteeMember(id="x", name="王伟", gender="male").role is MemberRole.MEMBER


class TestElection:
    """Impossible polling data is refused; validity is decided elsewhere from standards."""

    def election(self, **changes: Any) -> Election:
        fields: dict[str, Any] = {
            "term": 10,
            "kind": "residents",
            "method": "direct",
            "registered_voters": 1000,
            "ballots_cast": 800,
            "seats": 5,
        }
        return Election(**{**fields, **changes})

    def test_valid(self) -> None:
        e = self.election(candidates=[Candidate(id="c1", name="赵敏", gender="female", votes=800)])
        assert e.candidates[0].votes == 800

    def test_more_ballots_than_voters_refused(self) -> None:
        refused(lambda: self.election(ballots_cast=1001), "Election", "ballots_cast", "1001")

    def test_more_votes_than_ballots_refused(self) -> None:
        refused(
            lambda: self.election(
                candidates=[Candidate(id="c1", name="赵敏", gender="female", votes=801)]
            ),
            "Election",
            "candidates",
            "801",
        )

    def test_duplicate_candidates_refused(self) -> None:
        c = Candidate(id="c1", name="赵敏", gender="female")
        refused(lambda: self.election(candidates=[c, c]), "Election", "candidates", "'c1'")

    def test_zero_seats_refused(self) -> None:
        refused(lambda: self.election(seats=0), "Election", "seats", "0")

    def test_negative_votes_refused(self) -> None:
        refused(
            lambda: Candidate(id="c1", name="赵敏", gender="female", votes=-1),
            "Candidate",
            "votes",
            "-1",
        )


class TestVolunteer:
    """§5.10: a ledger of records; overnight is fine, negative or overlapping are refused."""

    def volunteer(self, *records: ServiceRecord) -> Volunteer:
        return Volunteer(
            id="v1",
            name="王芳",
            community_code="150102001001",
            registered_on="2019-03-05",
            records=records,
        )

    def test_overnight_record_accepted(self) -> None:
        record = ServiceRecord(id="r1", start=at(1, 21), end=at(2, 1, 30))
        assert record.hours == Decimal("4.5")

    def test_record_across_zones(self) -> None:
        record = ServiceRecord(id="r1", start=at(1, 21), end=at(1, 20, tz="Asia/Urumqi"))
        assert record.hours == 1

    def test_negative_record_refused(self) -> None:
        error = refused(
            lambda: ServiceRecord(id="r1", start=at(1, 21), end=at(1, 20)),
            "ServiceRecord",
            "end",
            "2020-06-01T20:00:00+08:00",
        )
        assert "2020-06-01T21:00:00+08:00" in error.expected

    def test_empty_record_refused(self) -> None:
        with pytest.raises(InvalidEntityError, match=r"ServiceRecord\.end"):
            ServiceRecord(id="r1", start=at(1, 21), end=at(1, 21))

    def test_naive_datetime_refused(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            ServiceRecord(id="r1", start=pendulum.naive(2020, 6, 1, 21), end=at(1, 22))

    def test_overlapping_records_refused(self) -> None:
        first = ServiceRecord(id="r1", start=at(1, 21), end=at(2, 1))
        second = ServiceRecord(id="r2", start=at(2, 0, 30), end=at(2, 2))
        error = refused(lambda: self.volunteer(first, second), "Volunteer", "records", "'r2'")
        assert "'r2' starts before 'r1' ends" in error.expected

    def test_adjacent_records_accepted(self) -> None:
        first = ServiceRecord(id="r1", start=at(1, 21), end=at(2, 1))
        second = ServiceRecord(id="r2", start=at(2, 1), end=at(2, 2))
        assert self.volunteer(second, first).total_hours == 5

    def test_duplicate_record_ids_refused(self) -> None:
        first = ServiceRecord(id="r1", start=at(1, 8), end=at(1, 9))
        second = ServiceRecord(id="r1", start=at(3, 8), end=at(3, 9))
        refused(lambda: self.volunteer(first, second), "Volunteer", "records", "'r1'")

    def test_with_record_validates(self) -> None:
        v = self.volunteer(ServiceRecord(id="r1", start=at(1, 8), end=at(1, 12)))
        assert v.with_record(ServiceRecord(id="r2", start=at(2, 8), end=at(2, 9))).total_hours == 5
        with pytest.raises(InvalidEntityError):
            v.with_record(ServiceRecord(id="r2", start=at(1, 11), end=at(1, 13)))

    def test_duplicate_group_refused(self) -> None:
        with pytest.raises(InvalidEntityError, match=r"Volunteer\.groups"):
            Volunteer(
                id="v1",
                name="王芳",
                community_code="150102001001",
                registered_on="2019-03-05",
                groups=["retiree", "retiree"],
            )


class TestWorker:
    """§5.1–§5.4: education level order and trainings within the term."""

    def worker(self, **changes: Any) -> CommunityWorker:
        fields: dict[str, Any] = {
            "id": "w1",
            "name": "刘洋",
            "community_code": "150102001001",
            "education": "associate",
            "term_start": "2017-01-01",
        }
        return CommunityWorker(**{**fields, **changes})

    def test_trainings_in_term(self) -> None:
        w = self.worker(
            term_end="2021-12-31",
            trainings=[
                TrainingRecord(id="t1", on="2016-05-01", title="岗前培训"),
                TrainingRecord(id="t2", on="2018-05-01", title="社区工作实务培训", hours=16),
            ],
        )
        assert w.trainings_in_term() == 1

    def test_associate_or_above(self) -> None:
        """§5.3: 大专以上."""
        assert EducationLevel.ASSOCIATE.associate_or_above
        assert not EducationLevel.SENIOR_SECONDARY.associate_or_above
        ranks = [level.rank for level in EducationLevel]
        assert ranks == sorted(ranks)

    def test_term_end_before_start_refused(self) -> None:
        refused(
            lambda: self.worker(term_end="2016-12-31"),
            "CommunityWorker",
            "term_end",
            "2016-12-31",
        )

    def test_duplicate_training_ids_refused(self) -> None:
        t = TrainingRecord(id="t1", on="2018-05-01", title="培训")
        refused(lambda: self.worker(trainings=[t, t]), "CommunityWorker", "trainings", "'t1'")

    def test_negative_training_hours_refused(self) -> None:
        refused(
            lambda: TrainingRecord(id="t1", on="2018-05-01", title="培训", hours=-2),
            "TrainingRecord",
            "hours",
            "-2",
        )

    def test_malformed_community_code_refused(self) -> None:
        refused(
            lambda: self.worker(community_code="1501"),
            "CommunityWorker",
            "community_code",
            "'1501'",
        )


class TestOrganization:
    """§5.6: filing data, with a credit code checked by python-stdnum."""

    def org(self, **changes: Any) -> SocialOrganization:
        fields: dict[str, Any] = {
            "id": "o1",
            "name": "光明社区老年协会",
            "kind": "mutual_aid",
            "community_code": "150102001001",
            "responsible_person": "张伟",
        }
        return SocialOrganization(**{**fields, **changes})

    def test_credit_code_normalised(self) -> None:
        assert self.org(credit_code=" 91110000600037341l ").credit_code == "91110000600037341L"

    def test_bad_credit_code_refused(self) -> None:
        refused(
            lambda: self.org(credit_code="91110000600037341A"),
            "SocialOrganization",
            "credit_code",
            "'9111**********341A'",  # a credit code is masked in messages
        )

    def test_fileable_kinds(self) -> None:
        assert self.org().kind.fileable
        assert not self.org(kind="culture_sport").kind.fileable


class TestServiceTicket:
    """§3.8–§3.9: departments, if the window names them, are unique."""

    def ticket(self, **changes: Any) -> ServiceTicket:
        fields: dict[str, Any] = {
            "id": "t1",
            "service_code": "civil_affairs.allowance",
            "kind": "handling",
            "community_code": "150102001001",
            "received_at": at(1, 9),
            "applicant": "王芳",
            "departments": ["civil_affairs"],
        }
        return ServiceTicket(**{**fields, **changes})

    def test_valid(self) -> None:
        assert self.ticket().departments[0].value == "civil_affairs"

    def test_handling_without_department_allowed(self) -> None:
        """The back offices are named once, by the workflow's dispatch, not twice."""
        assert self.ticket(departments=[]).departments == ()

    def test_consultation_without_department_allowed(self) -> None:
        assert self.ticket(kind="consultation", departments=[]).departments == ()

    def test_duplicate_department_refused(self) -> None:
        with pytest.raises(InvalidEntityError, match=r"ServiceTicket\.departments"):
            self.ticket(departments=["justice", "justice"])

    def test_received_at_from_iso_text(self) -> None:
        t = self.ticket(received_at="2020-06-01T09:00:00+08:00[Asia/Shanghai]")
        assert t.received_at == at(1, 9)


class TestDivisions:
    """Codes say their level; kinds must match it; level-specific facts only at that level."""

    @pytest.mark.parametrize(
        ("code", "level"),
        [
            ("150000000000", DivisionLevel.REGION),
            ("150100000000", DivisionLevel.PREFECTURE),
            ("150102000000", DivisionLevel.COUNTY),
            ("150102001000", DivisionLevel.TOWNSHIP),
            ("150102001001", DivisionLevel.VILLAGE),
        ],
    )
    def test_level_from_code(self, code: str, level: DivisionLevel) -> None:
        assert division_level(code) is level

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("15010200100", "12-digit"),
            ("１５０１０２００１００１", "12-digit"),  # full-width digits
            ("050102001001", "12-digit"),
            ("150102001001\n", "12-digit"),
            ("150002001001", "skips a level before position 6"),
            ("150102000001", "skips a level before position 12"),
            ("150000000001", "skips a level before position 12"),
        ],
    )
    def test_malformed_codes_refused(self, code: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            division_level(code)
        refused(
            lambda: Division(code=code, name="x", kind="community"),
            "Division",
            "code",
            show_value(code),
        )

    @pytest.mark.parametrize("code", [b"150102001001", b"150000000000", ["1"] * 12, 150102001001])
    def test_code_must_be_text(self, code: object) -> None:
        """A code of another type is an argument error (before: a bare TypeError)."""
        with pytest.raises(InvalidArgumentError, match="as str"):
            division_level(code)  # type: ignore[arg-type]

    def test_parent_and_ancestor(self) -> None:
        assert parent_code("150102001001") == "150102001000"
        assert parent_code("150000000000") is None
        assert ancestor_code("150102001001", DivisionLevel.PREFECTURE) == "150100000000"
        with pytest.raises(ValueError, match="above"):
            ancestor_code("150100000000", DivisionLevel.VILLAGE)

    def test_kind_at_wrong_level_refused(self) -> None:
        error = refused(
            lambda: Division(code="150102000000", name="新城区", kind="street"),
            "Division",
            "kind",
            "'street'",
        )
        assert "COUNTY" in error.expected

    def test_code_that_skips_a_level_refused(self) -> None:
        with pytest.raises(InvalidEntityError, match=r"Division\.code"):
            Division(code="150000001000", name="某街道", kind="street")

    def test_street_hall_only_for_streets(self) -> None:
        """§2.10, §2.11: a street public service hall belongs to a street or township."""
        street = Division(
            code="150102001000", name="海拉尔东路街道", kind="street", public_service_hall=True
        )
        assert street.public_service_hall
        refused(
            lambda: Division(
                code="150102000000", name="新城区", kind="district", public_service_hall=True
            ),
            "Division",
            "public_service_hall",
            "True",
        )

    def test_pay_rules_only_for_counties(self) -> None:
        """§5.2: the pay requirements are met (or not) by a banner/county/district.

        A prefecture-level city may carry them too: one without counties (东莞) stands in
        for its county. A township or a region may not.
        """
        banner = Division(
            code="150121000000", name="土默特左旗", kind="banner", meets_pay_requirements=False
        )
        assert banner.meets_pay_requirements is False
        city = Division(
            code="441900000000", name="东莞市", kind="prefecture_city", meets_pay_requirements=True
        )
        assert city.meets_pay_requirements is True
        for code, kind in (("150102001000", "street"), ("150000000000", "autonomous_region")):
            refused(
                lambda c=code, k=kind: Division(
                    code=c, name="某地", kind=k, meets_pay_requirements=True
                ),
                "Division",
                "meets_pay_requirements",
                "True",
            )

    def test_every_kind_has_a_level(self) -> None:
        assert {k.level for k in DivisionKind} == set(DivisionLevel)


class TestRegion:
    """A region holds only divisions and communities inside its root, each code once."""

    root = Division(code="150100000000", name="呼和浩特市", kind="prefecture_city")

    def test_valid(self) -> None:
        county = Division(code="150102000000", name="新城区", kind="district")
        r = Region(root=self.root, divisions=[county], communities=[community()])
        assert r.divisions_at(DivisionLevel.COUNTY) == (county,)
        assert r.divisions_at(DivisionLevel.PREFECTURE) == (self.root,)

    def test_community_outside_root_refused(self) -> None:
        refused(
            lambda: Region(root=self.root, communities=[community(code="150202001001")]),
            "Region",
            "communities",
            "'150202001001'",
        )

    def test_division_outside_root_refused(self) -> None:
        refused(
            lambda: Region(
                root=self.root,
                divisions=[Division(code="150200000000", name="包头市", kind="prefecture_city")],
            ),
            "Region",
            "divisions",
            "'150200000000'",
        )

    def test_duplicate_community_refused(self) -> None:
        refused(
            lambda: Region(root=self.root, communities=[community(), community()]),
            "Region",
            "communities",
            "'150102001001'",
        )


class TestGeneratedEntities:
    """Every entity sqfw.testing generates passes its own validators again."""

    @given(
        st.one_of(
            sqst.communities(),
            sqst.regions(max_items=2),
            sqst.elections(),
            sqst.volunteers(),
            sqst.workers(),
            sqst.organizations(),
            sqst.service_tickets(),
            sqst.divisions(),
        )
    )
    def test_generated_entities_validate(self, entity: Any) -> None:
        attrs.validate(entity)
        assert attrs.evolve(entity) == entity

    @given(sqst.volunteers())
    def test_generated_ledgers_never_overlap(self, volunteer: Volunteer) -> None:
        ordered = sorted(volunteer.records, key=lambda r: r.start)
        assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))
        assert volunteer.total_hours == sum((r.hours for r in volunteer.records), Decimal(0))

    @given(sqst.regions(max_items=2))
    def test_generated_regions_lie_inside_root(self, region: Region) -> None:
        prefix = region.root.code[:2] if region.root.level is DivisionLevel.REGION else None
        for c in region.communities:
            assert ancestor_code(c.code, region.root.level) == region.root.code
            if prefix:
                assert c.code.startswith(prefix)


class TestEveryRefusalNamesItsField:
    """A bad construction is an InvalidEntityError with the field, what is allowed and what
    came, cut short and masked."""

    def test_an_unknown_kind_lists_the_allowed_values(self) -> None:
        error = refused(lambda: community(kind="castle"), "Community", "kind", "'castle'")
        assert error.expected == CommunityKind.allowed()
        assert "'urban' (城镇社区)" in error.expected

    @pytest.mark.parametrize("label", ["城镇社区", "urban community", "Urban Community", "社区"])
    def test_labels_are_accepted_as_the_loaders_accept_them(self, label: str) -> None:
        assert community(kind=label).kind is CommunityKind.URBAN

    def test_dicts_for_facilities(self) -> None:
        error = refused(
            lambda: community(facilities=[{"id": "f1"}]),
            "Community",
            "facilities",
            "[{'id': 'f1'}]",
        )
        assert error.expected == "a sequence of Facility (item 0 is a dict)"

    def test_a_bad_check_digit_is_named_and_not_shown(self) -> None:
        with pytest.raises(InvalidEntityError) as caught:
            Volunteer(
                id="v1",
                name="张三",
                community_code="150102001001",
                registered_on="2020-01-01",
                identity_number="11010519491231002Y",
            )
        assert caught.value.field == "identity_number"
        assert "GB 11643" in caught.value.expected
        assert "1101051949" not in str(caught.value)

    def test_personal_data_in_another_field_is_masked(self) -> None:
        with pytest.raises(InvalidEntityError) as caught:
            Volunteer(
                id="v1",
                name="张三",
                community_code="11010519491231002X",
                registered_on="2020-01-01",
            )
        assert str(caught.value).endswith("got '1101**********002X'")

    def test_an_invalid_phone_shows_no_digit(self) -> None:
        with pytest.raises(InvalidEntityError) as caught:
            PhoneNumber("1380013800a")
        assert not any(ch.isdigit() for ch in str(caught.value).split("got ")[1].replace("11", ""))

    @pytest.mark.parametrize("value", [Decimal("sNaN"), Decimal("NaN"), "1e9999999", 1e400])
    def test_numbers_that_are_not_finite_or_too_big(self, value: object) -> None:
        with pytest.raises(InvalidEntityError, match=r"Facility\.total_area_m2"):
            facility(total_area_m2=value)

    @pytest.mark.parametrize(
        ("field", "limit"),
        [("total_area_m2", 10_000_000), ("multi_use_rooms", 100_000_000)],
    )
    def test_magnitudes_on_both_sides_of_their_limit(self, field: str, limit: int) -> None:
        changes: dict[str, object] = {field: limit}
        if field == "total_area_m2":
            changes["office_area_m2"] = 0
        assert getattr(facility(**changes), field) == limit
        with pytest.raises(InvalidEntityError, match=f"from 0 to {limit:,}"):
            facility(**{**changes, field: limit + 1})

    def test_hours_on_both_sides_of_their_limit(self) -> None:
        assert TrainingRecord(id="t", on="2020-01-01", title="x", hours=100_000).hours == 100_000
        with pytest.raises(InvalidEntityError, match="hours from 0 to 100,000"):
            TrainingRecord(id="t", on="2020-01-01", title="x", hours="100000.5")

    def test_years_on_both_sides_of_their_limit(self) -> None:
        assert TrainingRecord(id="t", on="2200-12-31", title="x").on.year == 2200
        with pytest.raises(InvalidEntityError, match="a year from 1900 to 2200"):
            TrainingRecord(id="t", on="2201-01-01", title="x")

    def test_an_over_long_name_is_cut_in_the_message(self) -> None:
        with pytest.raises(InvalidEntityError) as caught:
            community(name="名" * 2500)
        assert str(caught.value).endswith("…' (2,500 characters)")
        assert len(str(caught.value)) < 200

    def test_a_wrong_type_beside_a_rule_between_fields(self) -> None:
        refused(
            lambda: community(households=5, resident_population="x"),
            "Community",
            "resident_population",
            "'x'",
        )
