"""Hypothesis strategies for every sqfw entity, valid by construction.

For host applications and downstream projects that property-test against sqfw, and for
sqfw's own tests. Every strategy draws values that pass the entities' validators: codes
with the right level, areas with the office inside the total, households consistent with
residents, volunteer ledgers without overlaps, identity numbers with a correct GB 11643
check digit (computed by python-stdnum) and so on::

    from hypothesis import given
    from sqfw.testing import communities

    @given(communities())
    def test_my_report_accepts_any_community(community):
        my_report(community)

This module needs `hypothesis <https://hypothesis.readthedocs.io>`_, which is part of the
``test`` extra (``pip install "sqfw[test]"``); nothing else in sqfw imports it.

Generated personal data is synthetic: names from a small list of common names, phone
numbers and identity numbers drawn at random (their area codes are real, so that
python-stdnum accepts them, but no number belongs to a known person).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs
import pendulum
from hypothesis import strategies as st
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from sqfw._store_conformance import RecordStoreConformance, forged_entry
from sqfw.entities import (
    Building,
    Candidate,
    Channel,
    CoLocatedService,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Community,
    CommunityFoundation,
    CommunityKind,
    CommunityUnits,
    CommunityWorker,
    Department,
    Division,
    DivisionKind,
    DivisionLevel,
    EducationLevel,
    Election,
    ElectionMethod,
    Facility,
    FacilityKind,
    FacilityProject,
    FloatingRegistration,
    FundingSource,
    Gender,
    Grid,
    GridWorker,
    IncubationRecord,
    IncubationSupport,
    JointMeeting,
    MemberRole,
    OrganizationKind,
    OwnersCommittee,
    Ownership,
    Provision,
    Region,
    RegistrarRole,
    ResidentGroup,
    ResidentialAddress,
    ServiceCertificate,
    ServicePeriod,
    ServiceProject,
    ServiceRecord,
    ServiceTicket,
    SmartCommunity,
    SocialOrganization,
    TicketKind,
    TrainingRecord,
    UnitCodeScheme,
    UnitKind,
    UnitLeader,
    Volunteer,
    VolunteerGroup,
    division_level,
)
from sqfw.entities.divisions import ancestor_code, code_from_prefix, code_prefix, prefix_length
from sqfw.entities.grid import EXAMPLE_SCHEME
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.volunteer_service import VolunteerServiceWorkflow

__all__ = [
    "RecordStoreConformance",
    "amounts",
    "buildings",
    "candidates",
    "committee_members",
    "committees",
    "communities",
    "community_foundations",
    "community_units",
    "credit_codes",
    "dates",
    "datetimes",
    "division_codes",
    "divisions",
    "elections",
    "facilities",
    "facility_projects",
    "floating_registrations",
    "forged_entry",
    "grid_workers",
    "grids",
    "identifiers",
    "identity_numbers",
    "incubation_records",
    "joint_meetings",
    "organizations",
    "owners_committees",
    "person_names",
    "phone_numbers",
    "regions",
    "resident_groups",
    "service_certificates",
    "service_periods",
    "service_projects",
    "service_records",
    "service_tickets",
    "smart_communities",
    "texts",
    "training_records",
    "unit_code_schemes",
    "unit_leaders",
    "unsafe_characters",
    "volunteer_service_records",
    "volunteers",
    "workers",
]

_ROOT = "150000000000"  # 内蒙古自治区

# County codes that python-stdnum's register knows for every birth year from 1950 to 2005
# (Hohhot's 土默特左旗 and 托克托县, Baotou's 土默特右旗, Ulanhot, Ejin Horo …).
_BIRTH_PLACES = ("150121", "150122", "150221", "150222", "152201", "152522", "152921", "152922")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何高林罗郑梁谢宋唐韩冯"
_GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛超秀霞刚英玉兰桂萍鹏飞"
_MONGOLIAN_NAMES = ("巴特尔", "其其格", "那日苏", "斯琴", "苏和", "额尔敦", "萨仁", "图雅")
_PLACE_WORDS = ("光明", "幸福", "团结", "新华", "青城", "草原", "阿拉坦", "锡林", "胜利", "北苑")
_TITLES = ("社区工作实务培训", "社会工作者继续教育", "网格化管理培训", "养老服务培训")
_ACTIVITIES = ("助老服务", "环境整治", "文明劝导", "义诊", "课业辅导", "防疫值守")
_TOPICS = ("物业服务质量", "小区停车秩序", "维修资金使用", "垃圾分类", "老旧小区改造")
_PROJECT_TITLES = ("三社联动助老服务项目", "青少年课后托管项目", "社区融合发展项目", "邻里互助项目")
_OUTPUTS = ("入户走访记录", "居民议事会", "服务评估报告", "志愿者培训")
_PLATFORMS = ("社会组织孵化中心", "街道社会组织服务平台", "社区社会组织联合会")
_ORIGINS = ("河北省保定市", "山西省大同市", "黑龙江省齐齐哈尔市", "150121000000", "152502000000")
_POSTS = ("社区党组织书记", "居民委员会主任", "社区专职工作者", "网格员")
_NOTES = ("由街道发起设立", "接受社会捐赠", "资助社区微项目")
_ZONES: tuple[pendulum.Timezone | pendulum.FixedTimezone, ...] = (
    pendulum.Timezone("Asia/Shanghai"),
    pendulum.Timezone("Asia/Urumqi"),
    pendulum.UTC,
    pendulum.FixedTimezone(8 * 3600),
)


_REFUSED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def texts(*, min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    """Non-blank one-line text that is only text: no control, format (bidi, zero-width,
    BOM), separator, surrogate or private-use character (the rule of :mod:`sqfw._text`).

    .. versionadded:: 0.1.0
    """
    alphabet = st.characters(exclude_categories=_REFUSED_CATEGORIES)  # type: ignore[arg-type]
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(str.strip)


def unsafe_characters() -> st.SearchStrategy[str]:
    """Characters the text rule refuses in names and identifiers: NUL and the other
    controls, bidi overrides and isolates, zero-width characters, the BOM and the other
    format characters, line and paragraph separators, private-use characters.

    .. versionadded:: 0.1.0
    """
    named = st.sampled_from(
        [
            *("\x00", "\x1b", "\x7f"),  # controls
            *("\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f"),  # bidi
            *("\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"),  # zero-width, BOM
            *("\u2028", "\u2029", "\ue000"),  # separators, private use
        ]
    )
    anywhere = st.characters(categories=("Cc", "Cf", "Co", "Zl", "Zp"))
    return named | anywhere


def identifiers() -> st.SearchStrategy[str]:
    """Identifiers: a lower-case letter, then up to nine letters, digits, ``_`` or ``-``."""
    return st.from_regex(r"[a-z][a-z0-9_-]{0,9}", fullmatch=True)


def dates(
    min_value: _dt.date = _dt.date(2000, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[pendulum.Date]:
    """Calendar dates as :class:`pendulum.Date`."""
    return st.dates(min_value, max_value).map(lambda d: pendulum.Date(d.year, d.month, d.day))


def datetimes(
    min_value: _dt.datetime = _dt.datetime(2000, 1, 1),
    max_value: _dt.datetime = _dt.datetime(2030, 12, 31),
) -> st.SearchStrategy[pendulum.DateTime]:
    """Time-zone-aware :class:`pendulum.DateTime` values in named and fixed zones.

    Zones: Asia/Shanghai, Asia/Urumqi, UTC and a fixed ``+08:00``; times that do not exist
    on a zone's clock are never drawn.
    """
    return st.datetimes(
        min_value, max_value, timezones=st.sampled_from(_ZONES), allow_imaginary=False
    ).map(pendulum.instance)


def amounts(
    max_value: Decimal | int = 10_000, *, min_value: Decimal | int = 0
) -> st.SearchStrategy[Decimal]:
    """Non-negative amounts (areas in m², hours) with at most two decimal places."""
    return st.decimals(min_value=min_value, max_value=max_value, places=2)


@st.composite
def identity_numbers(draw: st.DrawFn) -> IdentityNumber:
    """Resident identity numbers (GB 11643) whose check digit python-stdnum computes."""
    place = draw(st.sampled_from(_BIRTH_PLACES))
    born = draw(st.dates(_dt.date(1950, 1, 1), _dt.date(2005, 12, 31)))
    sequence = draw(st.integers(0, 999))
    body = f"{place}{born:%Y%m%d}{sequence:03d}"
    return IdentityNumber(body + _ric.calc_check_digit(body + "0"))


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """Unified social credit codes (GB 32100) with a check character from python-stdnum."""
    authority = draw(st.sampled_from("159"))
    org_type = draw(st.sampled_from("123"))
    place = draw(st.sampled_from(("150102", "150105", "150203", "152502")))
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = draw(st.text(alphabet=alphabet, min_size=9, max_size=9))
    body = f"{authority}{org_type}{place}{org}"
    return body + _uscc.calc_check_digit(body)


def person_names() -> st.SearchStrategy[PersonName]:
    """Names of two or more characters (Han names and Mongolian names in Chinese)."""
    han = st.builds(
        lambda surname, given: surname + given,
        st.sampled_from(_SURNAMES),
        st.text(alphabet=_GIVEN, min_size=1, max_size=2),
    )
    return st.one_of(han, st.sampled_from(_MONGOLIAN_NAMES)).map(PersonName)


def phone_numbers() -> st.SearchStrategy[PhoneNumber]:
    """Mobile numbers (``13800138000``) and Inner Mongolia landlines (``0471-6612345``)."""
    mobile = st.builds(
        lambda prefix, rest: f"1{prefix}{rest:09d}",
        st.sampled_from("3789"),
        st.integers(0, 999_999_999),
    )
    landline = st.builds(
        lambda area, rest: f"{area}-{rest}",
        st.sampled_from(("0471", "0472", "0476", "0477", "0479")),
        st.integers(2_000_000, 8_999_999),
    )
    return st.one_of(mobile, landline).map(PhoneNumber)


def _place_names(*suffixes: str) -> st.SearchStrategy[str]:
    return st.builds(
        lambda word, suffix: word + suffix,
        st.sampled_from(_PLACE_WORDS),
        st.sampled_from(suffixes),
    )


@st.composite
def division_codes(
    draw: st.DrawFn,
    level: DivisionLevel = DivisionLevel.VILLAGE,
    *,
    within: str = _ROOT,
    countyless: bool = False,
) -> str:
    """12-digit statistical division codes at ``level`` inside the division ``within``.

    Args:
        draw: supplied by hypothesis.
        level: the level of the codes drawn; at or below the level of ``within``.
        within: a division code; the codes drawn lie inside it (default: Inner Mongolia).
        countyless: draw townships and villages directly under their prefecture (as in a
            city without counties, 东莞 441900), their county group ``00``.
    """
    prefix = code_prefix(within)
    for part_level in DivisionLevel:
        if division_level(within) < part_level <= level:
            width = prefix_length(part_level) - len(prefix)  # this level's group of digits
            skip = countyless and part_level is DivisionLevel.COUNTY and level > part_level
            number = 0 if skip else draw(st.integers(1, 10**width - 1))
            prefix += f"{number:0{width}d}"
    return code_from_prefix(prefix)


def smart_communities() -> st.SearchStrategy[SmartCommunity]:
    """The three §3.11 indicators, each true, false or unknown."""
    flag = st.none() | st.booleans()
    return st.builds(
        SmartCommunity, infrastructure=flag, platform_sharing=flag, online_convenience=flag
    )


@st.composite
def facilities(draw: st.DrawFn, *, id: str | None = None) -> Facility:
    """Facilities with the office area within the total area.

    Args:
        draw: supplied by hypothesis.
        id: a fixed identifier, or ``None`` to draw one.
    """
    total = draw(amounts(5_000))
    return Facility(
        id=id if id is not None else draw(identifiers()),
        kind=draw(st.sampled_from(FacilityKind)),
        total_area_m2=total,
        office_area_m2=draw(amounts(total)),
        barrier_free=draw(st.none() | st.booleans()),
        multi_use_rooms=draw(st.integers(0, 20)),
        residential_utility_pricing=draw(st.none() | st.booleans()),
        ownership=draw(st.sampled_from(Ownership)),
        co_located=draw(st.lists(st.sampled_from(CoLocatedService), unique=True, max_size=3)),
        name=draw(st.none() | _place_names("综合服务中心", "服务站", "活动室")),
    )


@st.composite
def committee_members(
    draw: st.DrawFn, *, roles: st.SearchStrategy[MemberRole] | None = None
) -> CommitteeMember:
    """Committee members, with optional identity number and phone.

    Args:
        draw: supplied by hypothesis.
        roles: the roles to draw from (default: every role).
    """
    return CommitteeMember(
        id=draw(identifiers()),
        name=draw(person_names()),
        gender=draw(st.sampled_from(Gender)),
        role=draw(roles if roles is not None else st.sampled_from(MemberRole)),
        identity_number=draw(st.none() | identity_numbers()),
        phone=draw(st.none() | phone_numbers()),
        is_community_police=draw(st.booleans()),
        is_social_org_head=draw(st.booleans()),
    )


@st.composite
def committees(draw: st.DrawFn) -> Committee:
    """Committees with unique member ids and at most one chair."""
    members = draw(
        st.lists(
            committee_members(roles=st.sampled_from([MemberRole.VICE_CHAIR, MemberRole.MEMBER])),
            max_size=7,
            unique_by=lambda m: m.id,
        )
    )
    with_chair = draw(st.booleans())
    if members and with_chair:
        members[0] = attrs.evolve(members[0], role=MemberRole.CHAIR)
    return Committee(
        term=draw(st.integers(1, 12)),
        kind=draw(st.sampled_from(CommitteeKind)),
        method=draw(st.sampled_from(ElectionMethod)),
        members=members,
        elected_on=draw(st.none() | dates()),
    )


@st.composite
def candidates(draw: st.DrawFn, *, max_votes: int = 5_000) -> Candidate:
    """Candidates with at most ``max_votes`` votes.

    Args:
        draw: supplied by hypothesis.
        max_votes: the most votes a candidate may have (the ballots cast).
    """
    return Candidate(
        id=draw(identifiers()),
        name=draw(person_names()),
        gender=draw(st.sampled_from(Gender)),
        votes=draw(st.integers(0, max_votes)),
    )


@st.composite
def elections(draw: st.DrawFn) -> Election:
    """Election rounds: ballots within voters, votes within ballots, unique candidates."""
    voters = draw(st.integers(0, 5_000))
    ballots = draw(st.integers(0, voters))
    return Election(
        term=draw(st.integers(1, 12)),
        kind=draw(st.sampled_from(CommitteeKind)),
        method=draw(st.sampled_from(ElectionMethod)),
        registered_voters=voters,
        ballots_cast=ballots,
        seats=draw(st.integers(1, 9)),
        candidates=draw(
            st.lists(candidates(max_votes=ballots), max_size=6, unique_by=lambda c: c.id)
        ),
        round=draw(st.integers(1, 3)),
        held_on=draw(st.none() | dates()),
    )


@st.composite
def service_records(
    draw: st.DrawFn, *, after: pendulum.DateTime | None = None, id: str | None = None
) -> ServiceRecord:
    """Volunteer service records of 15 minutes to 16 hours (so some run overnight).

    Args:
        draw: supplied by hypothesis.
        after: the record starts at or after this instant (default: any time).
        id: a fixed identifier, or ``None`` to draw one.
    """
    if after is None:
        start_utc = draw(datetimes()).in_timezone("UTC")
    else:
        gap = draw(st.integers(0, 5 * 24 * 60))
        start_utc = after.in_timezone("UTC").add(minutes=gap)
    # instants are computed in UTC, then shown in a zone, so wall clocks never shift them
    end_utc = start_utc.add(minutes=draw(st.integers(15, 16 * 60)))
    zone = draw(st.sampled_from(_ZONES))
    return ServiceRecord(
        id=id if id is not None else draw(identifiers()),
        start=start_utc.in_timezone(zone),
        end=end_utc.in_timezone(draw(st.sampled_from(_ZONES))),
        activity=draw(st.none() | st.sampled_from(_ACTIVITIES)),
        organization_id=draw(st.none() | identifiers()),
    )


@st.composite
def service_certificates(draw: st.DrawFn) -> ServiceCertificate:
    """Certificates of volunteer service record: one to four services recorded by the
    issuer, issued on or after the day the last one ended, some records named pending.

    .. versionadded:: 0.1.0
    """
    issuer = draw(identifiers())
    ids = draw(st.lists(identifiers(), min_size=1, max_size=4, unique=True))
    services: list[ServiceRecord] = []
    for record_id in ids:
        previous = services[-1].end if services else None
        drawn = draw(service_records(after=previous, id=record_id))
        services.append(attrs.evolve(drawn, organization_id=issuer))
    ended = services[-1].end.in_timezone("Asia/Shanghai")
    issued = pendulum.Date(ended.year, ended.month, ended.day).add(days=draw(st.integers(0, 400)))
    pending = draw(st.lists(identifiers().filter(lambda i: i not in ids), max_size=3, unique=True))
    return ServiceCertificate(
        number=draw(identifiers()),
        volunteer_id=draw(identifiers()),
        volunteer_name=draw(person_names()),
        identity_number=draw(st.none() | identity_numbers()),
        organization_id=issuer,
        organization_name=draw(st.sampled_from(_PLACE_WORDS)) + "志愿服务队",
        services=services,
        pending=pending,
        issued_on=issued,
        handled_by=draw(st.none() | st.sampled_from(("王芳", "值班社工"))),
        note=draw(st.none() | st.just("含线上服务")),
    )


@st.composite
def volunteer_service_records(
    draw: st.DrawFn,
    *,
    record_id: str | None = None,
    volunteer_id: str | None = None,
    organization_id: str | None = None,
    steps: int = 6,
) -> WorkflowRecord:
    """Volunteer service records (:mod:`sqfw.workflows.volunteer_service`) driven through
    a drawn sequence of allowed events: recorded, then certified, corrected on request,
    declined or voided, each event accepted by the workflow.

    Args:
        draw: supplied by hypothesis.
        record_id: a fixed record id, or ``None`` to draw one.
        volunteer_id: a fixed volunteer, or ``None`` to draw one.
        organization_id: a fixed recording organisation, or ``None`` to draw one.
        steps: at most this many events after ``record``.

    .. versionadded:: 0.1.0
    """
    workflow = VolunteerServiceWorkflow()
    rid = record_id or draw(identifiers())
    volunteer = volunteer_id or draw(identifiers())
    organization = organization_id or draw(identifiers())
    service = draw(service_records(id=rid))
    at = service.end.in_timezone("Asia/Shanghai").add(minutes=draw(st.integers(0, 600)))
    data: dict[str, object] = {
        "volunteer_id": volunteer,
        "organization_id": organization,
        "start": service.start.isoformat(),
        "end": service.end.isoformat(),
    }
    if service.activity is not None:
        data["activity"] = service.activity
    record = workflow.apply(workflow.new(rid), "record", actor="记录员", at=at, data=data)
    org = {"organization_id": organization}
    for _ in range(draw(st.integers(0, steps))):
        at = at.add(minutes=draw(st.integers(1, 3 * 24 * 60)))
        choices = {
            "recorded": ("certify", "certify", "request_correction", "void"),
            "certified": ("request_correction", "request_correction", "void"),
            "correction_requested": ("correct", "correct", "decline_correction"),
        }.get(record.state)
        if choices is None:  # voided: nothing more happens
            break
        event = draw(st.sampled_from(choices))
        if event == "request_correction":
            items = draw(st.lists(st.sampled_from(("end", "activity")), min_size=1, unique=True))
            record = workflow.apply(
                record,
                event,
                actor="志愿者",
                at=at,
                reason="记录有误",
                data={"volunteer_id": volunteer, "items": items},
            )
        elif event == "correct":
            facts = workflow.facts(record)
            assert facts.service is not None
            change: dict[str, object] = dict(org)
            for item in facts.requested:
                if item == "end":
                    minutes = draw(st.integers(15, 16 * 60))
                    change["end"] = facts.service.start.add(minutes=minutes).isoformat()
                else:
                    change["activity"] = draw(st.sampled_from(_ACTIVITIES))
            record = workflow.apply(record, event, actor="记录员", at=at, data=change)
        else:
            note = None if event == "certify" else "经核实"
            record = workflow.apply(record, event, actor="记录员", at=at, reason=note, data=org)
    return record


@st.composite
def volunteers(draw: st.DrawFn, *, community_code: str | None = None) -> Volunteer:
    """Registered volunteers with a ledger of non-overlapping records.

    Args:
        draw: supplied by hypothesis.
        community_code: a fixed community code, or ``None`` to draw one.
    """
    ids = draw(st.lists(identifiers(), max_size=4, unique=True))
    records: list[ServiceRecord] = []
    for record_id in ids:
        previous = records[-1].end if records else None
        records.append(draw(service_records(after=previous, id=record_id)))
    return Volunteer(
        id=draw(identifiers()),
        name=draw(person_names()),
        community_code=community_code or draw(division_codes()),
        registered_on=draw(dates()),
        groups=draw(st.lists(st.sampled_from(VolunteerGroup), unique=True, max_size=3)),
        identity_number=draw(st.none() | identity_numbers()),
        phone=draw(st.none() | phone_numbers()),
        records=records,
    )


def training_records() -> st.SearchStrategy[TrainingRecord]:
    """Trainings attended by community workers."""
    return st.builds(
        TrainingRecord,
        id=identifiers(),
        on=dates(),
        title=st.sampled_from(_TITLES),
        hours=st.none() | amounts(200),
    )


@st.composite
def workers(draw: st.DrawFn, *, community_code: str | None = None) -> CommunityWorker:
    """Community workers with a term whose end is not before its start.

    Args:
        draw: supplied by hypothesis.
        community_code: a fixed community code, or ``None`` to draw one.
    """
    start = draw(dates(max_value=_dt.date(2025, 12, 31)))
    end = draw(st.none() | st.integers(0, 6 * 365).map(lambda days: start.add(days=days)))
    return CommunityWorker(
        id=draw(identifiers()),
        name=draw(person_names()),
        community_code=community_code or draw(division_codes()),
        education=draw(st.sampled_from(EducationLevel)),
        term_start=start,
        term_end=end,
        trainings=draw(st.lists(training_records(), max_size=4, unique_by=lambda t: t.id)),
        full_time=draw(st.booleans()),
        identity_number=draw(st.none() | identity_numbers()),
        phone=draw(st.none() | phone_numbers()),
    )


@st.composite
def organizations(draw: st.DrawFn, *, community_code: str | None = None) -> SocialOrganization:
    """Community social organisations as a filing form describes them (§5.6).

    Args:
        draw: supplied by hypothesis.
        community_code: a fixed community code, or ``None`` to draw one.
    """
    return SocialOrganization(
        id=draw(identifiers()),
        name=draw(_place_names("志愿服务队", "老年协会", "文体队", "互助会")),
        kind=draw(st.sampled_from(OrganizationKind)),
        community_code=community_code or draw(division_codes()),
        responsible_person=draw(person_names()),
        responsible_phone=draw(st.none() | phone_numbers()),
        members=draw(st.none() | st.integers(0, 500)),
        credit_code=draw(st.none() | credit_codes()),
        meets_registration_conditions=draw(st.none() | st.booleans()),
        founded_on=draw(st.none() | dates()),
        purpose=draw(st.none() | st.sampled_from(_ACTIVITIES)),
    )


def _degrees(limit: int) -> st.SearchStrategy[Decimal]:
    """Coordinates in degrees within ±``limit``, to at most nine decimals."""
    return st.decimals(-limit, limit, places=9, allow_nan=False, allow_infinity=False)


@st.composite
def service_tickets(draw: st.DrawFn) -> ServiceTicket:
    """One-window service tickets; a handling request names at least one back office."""
    kind = draw(st.sampled_from(TicketKind))
    departments = draw(
        st.lists(
            st.sampled_from(Department),
            unique=True,
            min_size=1 if kind is TicketKind.HANDLING else 0,
            max_size=3,
        )
    )
    latitude = draw(st.none() | _degrees(90))
    return ServiceTicket(
        id=draw(identifiers()),
        service_code=draw(st.sampled_from(("civil_affairs.allowance", "hr.pension", "id.card"))),
        kind=kind,
        community_code=draw(division_codes()),
        received_at=draw(datetimes()),
        applicant=draw(person_names()),
        channel=draw(st.sampled_from(Channel)),
        departments=departments,
        applicant_id=draw(st.none() | identity_numbers()),
        applicant_phone=draw(st.none() | phone_numbers()),
        summary=draw(st.none() | st.sampled_from(("咨询低保政策", "办理居住证明", "养老保险认证"))),
        address=draw(st.none() | st.sampled_from(("新华大街 12 号", "中山路与锡林路路口"))),
        latitude=latitude,
        longitude=None if latitude is None else draw(_degrees(180)),
        media_url=draw(st.none() | st.just("https://example.org/media/1.jpg")),
    )


_KINDS_AT = {
    level: tuple(kind for kind in DivisionKind if kind.level is level) for level in DivisionLevel
}
_NAME_SUFFIX = {
    DivisionLevel.REGION: ("自治区",),
    DivisionLevel.PREFECTURE: ("盟", "市"),
    DivisionLevel.COUNTY: ("旗", "县", "区"),
    DivisionLevel.TOWNSHIP: ("苏木", "镇", "街道"),
    DivisionLevel.VILLAGE: ("社区", "嘎查", "村"),
}


@st.composite
def divisions(
    draw: st.DrawFn, *, level: DivisionLevel | None = None, within: str = _ROOT
) -> Division:
    """Divisions whose kind matches their code's level, with level-specific facts.

    Args:
        draw: supplied by hypothesis.
        level: a fixed level, or ``None`` for any level below ``within``'s.
        within: the division the drawn one lies in (default: Inner Mongolia).
    """
    if level is None:
        level = draw(st.sampled_from([lv for lv in DivisionLevel if lv > division_level(within)]))
    code = within if level is division_level(within) else draw(division_codes(level, within=within))
    return Division(
        code=code,
        name=draw(_place_names(*_NAME_SUFFIX[level])),
        kind=draw(st.sampled_from(_KINDS_AT[level])),
        public_service_hall=(
            draw(st.none() | st.booleans()) if level is DivisionLevel.TOWNSHIP else None
        ),
        meets_pay_requirements=(
            draw(st.none() | st.booleans()) if level is DivisionLevel.COUNTY else None
        ),
    )


@st.composite
def communities(
    draw: st.DrawFn, *, code: str | None = None, within: str = _ROOT, max_facilities: int = 3
) -> Community:
    """Communities with consistent households and residents, facilities and a committee.

    Args:
        draw: supplied by hypothesis.
        code: a fixed community code, or ``None`` to draw one inside ``within``.
        within: the division the community lies in (default: Inner Mongolia).
        max_facilities: the most facilities drawn.
    """
    residents = draw(st.none() | st.integers(0, 30_000))
    if residents is None:
        households = draw(st.none() | st.integers(1, 10_000))
    elif residents == 0:
        households = draw(st.none() | st.just(0))
    else:
        households = draw(st.none() | st.integers(1, min(residents, 10_000)))
    return Community(
        code=code or draw(division_codes(DivisionLevel.VILLAGE, within=within)),
        name=draw(_place_names("社区", "嘎查", "村")),
        kind=draw(st.sampled_from(CommunityKind)),
        households=households,
        resident_population=residents,
        floating_population=draw(st.none() | st.integers(0, 5_000)),
        registered_volunteers=draw(st.none() | st.integers(0, 5_000)),
        new_or_renovated=draw(st.booleans()),
        smart=draw(smart_communities()),
        facilities=draw(st.lists(facilities(), max_size=max_facilities, unique_by=lambda f: f.id)),
        committee=draw(st.none() | committees()),
    )


@st.composite
def regions(draw: st.DrawFn, *, max_items: int = 3) -> Region:
    """Regions rooted at Inner Mongolia or one of its leagues, everything inside the root.

    Args:
        draw: supplied by hypothesis.
        max_items: the most items drawn in each list (keep it small: regions nest deeply).
    """
    root = draw(
        st.one_of(
            st.just(Division(code=_ROOT, name="内蒙古自治区", kind=DivisionKind.AUTONOMOUS_REGION)),
            divisions(level=DivisionLevel.PREFECTURE),
        )
    )
    below = st.sampled_from(
        [lv for lv in DivisionLevel if DivisionLevel.REGION < lv <= DivisionLevel.TOWNSHIP]
    ).filter(lambda lv: lv > root.level)
    inner = below.flatmap(lambda lv: divisions(level=lv, within=root.code))
    community_list = draw(
        st.lists(
            communities(within=root.code, max_facilities=2),
            max_size=max_items,
            unique_by=lambda c: c.code,
        )
    )
    codes = [c.code for c in community_list] or [draw(division_codes(within=root.code))]
    code = st.sampled_from(codes)
    return Region(
        root=root,
        divisions=draw(st.lists(inner, max_size=max_items, unique_by=lambda d: d.code)),
        communities=community_list,
        workers=draw(
            st.lists(
                code.flatmap(lambda c: workers(community_code=c)),
                max_size=max_items,
                unique_by=lambda w: w.id,
            )
        ),
        organizations=draw(
            st.lists(
                code.flatmap(lambda c: organizations(community_code=c)),
                max_size=max_items,
                unique_by=lambda o: o.id,
            )
        ),
        volunteers=draw(
            st.lists(
                code.flatmap(lambda c: volunteers(community_code=c)),
                max_size=max_items,
                unique_by=lambda v: v.id,
            )
        ),
    )


def _days_after(start: pendulum.Date, most: int) -> st.SearchStrategy[pendulum.Date]:
    """Dates from ``start`` to ``most`` days after it."""
    return st.integers(0, most).map(lambda days: start.add(days=days))


@st.composite
def owners_committees(draw: st.DrawFn) -> OwnersCommittee:
    """Owners' committees (§1.5) with members; a filed one names its community's street."""
    community_code = draw(division_codes())
    start = draw(dates(max_value=_dt.date(2025, 12, 31)))
    filed = draw(st.booleans())
    return OwnersCommittee(
        id=draw(identifiers()),
        estate=draw(_place_names("小区", "花园", "家园", "新村")),
        community_code=community_code,
        members=draw(st.lists(person_names(), min_size=1, max_size=5)),
        term_start=start,
        term_end=draw(st.none() | _days_after(start, 5 * 365)),
        filed_with=ancestor_code(community_code, DivisionLevel.TOWNSHIP) if filed else None,
        filed_on=draw(_days_after(start, 365)) if filed else None,
    )


@st.composite
def joint_meetings(draw: st.DrawFn) -> JointMeeting:
    """Meetings of an owners' committee with the residents' committee (§1.5)."""
    return JointMeeting(
        id=draw(identifiers()),
        owners_committee_id=draw(identifiers()),
        community_code=draw(division_codes()),
        on=draw(dates()),
        topics=draw(st.lists(st.sampled_from(_TOPICS), unique=True, max_size=3)),
        with_property_company=draw(st.booleans()),
    )


@st.composite
def facility_projects(draw: st.DrawFn) -> FacilityProject:
    """Facility projects (§2.5–§2.7): office within the area added, a swap names its source."""
    area = draw(amounts(5_000, min_value=Decimal("0.01")))
    provision = draw(st.sampled_from(Provision))
    planned = draw(dates())
    return FacilityProject(
        id=draw(identifiers()),
        community_code=draw(division_codes()),
        name=draw(_place_names("综合服务设施新建", "服务站扩建", "活动室改造")),
        provision=provision,
        area_m2=area,
        office_area_m2=draw(amounts(area)),
        kind=draw(st.sampled_from(FacilityKind)),
        cost_yuan=draw(amounts(5_000_000)),
        funding=draw(st.lists(st.sampled_from(FundingSource), unique=True, min_size=1, max_size=3)),
        ownership=draw(st.sampled_from(Ownership)),
        co_located=draw(st.lists(st.sampled_from(CoLocatedService), unique=True, max_size=3)),
        swapped_from=draw(identifiers()) if provision is Provision.SWAP else None,
        planned_completion=planned,
        actual_completion=draw(st.none() | _days_after(planned.subtract(days=365), 3 * 365)),
        barrier_free=draw(st.booleans()),
    )


@st.composite
def service_projects(draw: st.DrawFn) -> ServiceProject:
    """Three-society service projects (§1.7, §5.8) whose end is not before their start."""
    start = draw(dates(max_value=_dt.date(2025, 12, 31)))
    return ServiceProject(
        id=draw(identifiers()),
        title=draw(st.sampled_from(_PROJECT_TITLES)),
        community_code=draw(division_codes()),
        organization_id=draw(identifiers()),
        social_workers=draw(st.integers(0, 20)),
        funding=draw(st.sampled_from(FundingSource)),
        amount_yuan=draw(amounts(1_000_000)),
        start=start,
        end=draw(st.none() | _days_after(start, 3 * 365)),
        beneficiaries=draw(st.none() | st.integers(0, 5_000)),
        outputs=draw(st.lists(st.sampled_from(_OUTPUTS), max_size=3)),
    )


@st.composite
def incubation_records(draw: st.DrawFn) -> IncubationRecord:
    """Platform support for organisations (§5.7); only project matching names a project."""
    support = draw(
        st.lists(st.sampled_from(IncubationSupport), unique=True, min_size=1, max_size=3)
    )
    matching = IncubationSupport.PROJECT_MATCHING in support
    return IncubationRecord(
        id=draw(identifiers()),
        organization_id=draw(identifiers()),
        community_code=draw(division_codes()),
        on=draw(dates()),
        support=support,
        platform=draw(st.sampled_from(_PLATFORMS)),
        matched_project_id=draw(st.none() | identifiers()) if matching else None,
    )


@st.composite
def community_foundations(draw: st.DrawFn) -> CommunityFoundation:
    """Community foundations (§5.8) of a county or street, serving communities inside it."""
    level = draw(st.sampled_from([DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP]))
    county_code = draw(division_codes(level))
    return CommunityFoundation(
        id=draw(identifiers()),
        name=draw(_place_names("社区基金会", "公益基金会")),
        county_code=county_code,
        founded_on=draw(dates()),
        endowment_yuan=draw(amounts(1_000_000)),
        serves=draw(st.lists(division_codes(within=county_code), unique=True, max_size=3)),
        credit_code=draw(st.none() | credit_codes()),
        note=draw(st.none() | st.sampled_from(_NOTES)),
    )


def _addresses() -> st.SearchStrategy[ResidentialAddress]:
    return st.builds(
        lambda street, number, unit, room: ResidentialAddress(
            f"{street}路{number}号{unit}单元{room}室"
        ),
        st.sampled_from(_PLACE_WORDS),
        st.integers(1, 200),
        st.integers(1, 6),
        st.integers(101, 1802),
    )


@st.composite
def floating_registrations(draw: st.DrawFn) -> FloatingRegistration:
    """Floating residents' registrations (§3.5): registered and departed on or after arrival."""
    arrived = draw(dates(max_value=_dt.date(2025, 12, 31)))
    community = draw(division_codes())
    building = st.integers(1, 9999).map(
        lambda n: EXAMPLE_SCHEME.code(UnitKind.BUILDING, community, n)
    )
    return FloatingRegistration(
        id=draw(identifiers()),
        community_code=community,
        building_code=draw(st.none() | building),
        identity_number=draw(identity_numbers()),
        name=draw(person_names()),
        address=draw(_addresses()),
        origin=draw(st.sampled_from(_ORIGINS)),
        arrived_on=arrived,
        registered_on=draw(_days_after(arrived, 90)),
        registered_by_role=draw(st.sampled_from(RegistrarRole)),
        registered_by=draw(identifiers()),
        departed_on=draw(st.none() | _days_after(arrived, 3 * 365)),
        phone=draw(st.none() | phone_numbers()),
    )


@st.composite
def service_periods(draw: st.DrawFn) -> ServicePeriod:
    """Periods of community work (§5.5) whose last day is not before the first."""
    start = draw(dates(max_value=_dt.date(2025, 12, 31)))
    return ServicePeriod(
        worker_id=draw(identifiers()),
        community_code=draw(division_codes()),
        start=start,
        end=draw(st.none() | _days_after(start, 10 * 365)),
        title=draw(st.none() | st.sampled_from(_POSTS)),
    )


# --- units below the community (§3.2, §3.5) -------------------------------------------------

_GRID_NAMES = ("第一网格", "第二网格", "北区网格", "幸福里网格", "团结网格")
_BUILDING_NAMES = ("1号楼", "3号楼", "12号楼", "A座", "平房区")
_GROUP_NAMES = ("第一居民小组", "第二居民小组", "东片居民小组")


def unit_code_schemes() -> st.SearchStrategy[UnitCodeScheme]:
    """Hosts' unit code schemes: three different serial widths from 1 to 8."""
    return st.lists(st.integers(1, 8), min_size=3, max_size=3, unique=True).map(
        lambda w: UnitCodeScheme(
            name="测试编码方案 / test scheme",
            grid_digits=w[0],
            resident_group_digits=w[1],
            building_digits=w[2],
        )
    )


@st.composite
def unit_leaders(draw: st.DrawFn) -> UnitLeader:
    """Building and resident-group leaders (楼栋长、居民小组长, §3.5)."""
    return UnitLeader(
        id=draw(identifiers()),
        name=draw(person_names()),
        phone=draw(st.none() | phone_numbers()),
        since=draw(st.none() | dates(max_value=_dt.date(2025, 12, 31))),
    )


@st.composite
def grid_workers(draw: st.DrawFn) -> GridWorker:
    """Grid workers' assignments, full- or part-time, ending (if they do) after they start."""
    since = draw(st.none() | dates(max_value=_dt.date(2025, 12, 31)))
    until = None
    if since is not None:
        until = draw(st.none() | _days_after(since, 5 * 365))
    return GridWorker(
        id=draw(identifiers()),
        name=draw(person_names()),
        full_time=draw(st.booleans()),
        worker_id=draw(st.none() | identifiers()),
        since=since,
        until=until,
        phone=draw(st.none() | phone_numbers()),
    )


def _serials(width: int, most: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(1, 10**width - 1), max_size=most, unique=True)


@st.composite
def grids(
    draw: st.DrawFn,
    *,
    community_code: str | None = None,
    scheme: UnitCodeScheme | None = None,
    serial: int | None = None,
) -> Grid:
    """Grids of one community, coded by ``scheme`` (default: the example scheme)."""
    community = community_code or draw(division_codes())
    scheme = scheme or EXAMPLE_SCHEME
    number = serial or draw(st.integers(1, 10**scheme.grid_digits - 1))
    return Grid(
        community_code=community,
        code=scheme.code(UnitKind.GRID, community, number),
        name=draw(st.sampled_from(_GRID_NAMES)),
        households=draw(st.none() | st.integers(0, 2_000)),
        workers=draw(st.lists(grid_workers(), max_size=2, unique_by=lambda w: w.id)),
    )


@st.composite
def buildings(
    draw: st.DrawFn,
    *,
    community_code: str | None = None,
    scheme: UnitCodeScheme | None = None,
    serial: int | None = None,
    grid_codes: tuple[str, ...] = (),
) -> Building:
    """Buildings of one community, in one of ``grid_codes`` or in none, with or without a
    building leader."""
    community = community_code or draw(division_codes())
    scheme = scheme or EXAMPLE_SCHEME
    number = serial or draw(st.integers(1, 10**scheme.building_digits - 1))
    in_grid = st.sampled_from(grid_codes) if grid_codes else st.nothing()
    return Building(
        community_code=community,
        code=scheme.code(UnitKind.BUILDING, community, number),
        name=draw(st.sampled_from(_BUILDING_NAMES)),
        grid_code=draw(st.none() | in_grid),
        households=draw(st.none() | st.integers(0, 400)),
        leader=draw(st.none() | unit_leaders()),
    )


@st.composite
def resident_groups(
    draw: st.DrawFn,
    *,
    community_code: str | None = None,
    scheme: UnitCodeScheme | None = None,
    serial: int | None = None,
    building_codes: tuple[str, ...] = (),
) -> ResidentGroup:
    """Resident groups of one community covering some of ``building_codes``."""
    community = community_code or draw(division_codes())
    scheme = scheme or EXAMPLE_SCHEME
    number = serial or draw(st.integers(1, 10**scheme.resident_group_digits - 1))
    covered = (
        draw(st.lists(st.sampled_from(building_codes), max_size=3, unique=True))
        if building_codes
        else []
    )
    return ResidentGroup(
        community_code=community,
        code=scheme.code(UnitKind.RESIDENT_GROUP, community, number),
        name=draw(st.sampled_from(_GROUP_NAMES)),
        households=draw(st.none() | st.integers(0, 1_000)),
        leader=draw(st.none() | unit_leaders()),
        building_codes=covered,
    )


@st.composite
def community_units(draw: st.DrawFn, *, community_code: str | None = None) -> CommunityUnits:
    """Every unit of one community under the example scheme or a drawn one: codes unique,
    buildings in the community's grids or none, groups covering its buildings."""
    community = community_code or draw(division_codes())
    scheme = draw(st.just(EXAMPLE_SCHEME) | unit_code_schemes())
    drawn_grids = [
        draw(grids(community_code=community, scheme=scheme, serial=n))
        for n in draw(_serials(scheme.grid_digits, 2))
    ]
    grid_codes = tuple(g.code for g in drawn_grids)
    drawn_buildings = [
        draw(buildings(community_code=community, scheme=scheme, serial=n, grid_codes=grid_codes))
        for n in draw(_serials(scheme.building_digits, 3))
    ]
    building_codes = tuple(b.code for b in drawn_buildings)
    drawn_groups = [
        draw(
            resident_groups(
                community_code=community, scheme=scheme, serial=n, building_codes=building_codes
            )
        )
        for n in draw(_serials(scheme.resident_group_digits, 2))
    ]
    return CommunityUnits(
        community_code=community,
        scheme=scheme,
        grids=drawn_grids,
        buildings=drawn_buildings,
        resident_groups=drawn_groups,
    )
