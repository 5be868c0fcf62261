"""The region report shows the indicators of processes a host attaches (§1.5, §4.7).

The figures come from real records and entities: owners' committees and joint meetings
of two communities of the bundled region (§1.5), and ticket trails rated by residents
(好差评, §4.7). Every view — terminal text, Markdown, the HTML page, the workbook, the
JSON document and DataFrames — shows the same figures.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pendulum
import pytest
from tests.tickets import rated_legal_aid

from sqfw import reports
from sqfw.analysis import assess, owners_indicators, sample_region
from sqfw.calendar import official_years
from sqfw.entities.owners import JointMeeting, OwnersCommittee
from sqfw.errors import InvalidArgumentError, SqfwError
from sqfw.reports import write_report
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.indicators import INDICATOR_LABELS, service_indicators
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

TZ = "Asia/Shanghai"
JIA, YI = "150101001001", "150101001002"


def _at(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=TZ)


def _rated(wf: TicketWorkflow, tid: str, satisfaction: str) -> WorkflowRecord:
    """A legal-aid ticket of 兴华街道第1社区, handled by justice and rated."""
    return rated_legal_aid(
        wf, tid, satisfaction, at=_at(2019, 9, 27, 11), rated_at=_at(2019, 9, 28)
    )


def _committee(ident: str, community: str, filed: bool) -> OwnersCommittee:
    more = {"filed_with": "150101001000", "filed_on": "2018-02-01"} if filed else {}
    return OwnersCommittee(
        id=ident,
        estate="阳光小区",
        community_code=community,
        members=["李四", "王五", "赵六"],
        term_start="2018-01-01",
        term_end="2022-12-31",
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def attached():
    committees = [_committee("oc1", JIA, True), _committee("oc2", JIA, False)]
    committees.append(_committee("oc3", YI, True))
    meetings = [
        JointMeeting(id="m1", owners_committee_id="oc1", community_code=JIA, on="2020-03-01"),
        JointMeeting(id="m2", owners_committee_id="oc1", community_code=JIA, on="2020-09-01"),
    ]
    processes = owners_indicators(committees, meetings, year=2020)
    wf = TicketWorkflow(catalogue=example_catalogue())
    ratings = ("satisfied", "basically_satisfied", "dissatisfied", "very_satisfied")
    records = [_rated(wf, f"T{i}", s) for i, s in enumerate(ratings)]
    service = service_indicators(wf, records)
    region = assess(sample_region(), on="2020-12-31")
    return region.with_processes(indicators=processes, service=service), processes, service


def test_the_figures_are_the_processes_own(attached):
    """1 of 2 committees filed in 兴华街道第1社区, 1 of 1 in the 2nd; 3 of 4 satisfied."""
    region, processes, service = attached
    share = {(i.id, i.place): i.value for i in region.process_indicators}
    assert share[("owners.filed_share", JIA)] == Fraction(1, 2)
    assert share[("owners.filed_share", YI)] == 1
    assert share[("owners.joint_meetings", JIA)] == 2
    [row] = region.service_indicators
    assert (row.rated, row.satisfied, row.bad) == (4, 3, 1)
    assert row.satisfaction_rate == Fraction(3, 4)
    assert region.process_indicators == tuple(processes)
    assert region.service_indicators == tuple(service)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_terminal_and_markdown_reports_show_them(attached, lang):
    region, _, service = attached
    text = reports.text(region, lang=lang, top=3)
    markdown = reports.markdown(region, lang=lang, top=3)
    assert service[0].label("service", lang) in markdown
    for shown in (text, markdown):
        assert ("规划过程指标" if lang == "zh" else "Indicators of the plan's processes") in shown
        assert ("已备案业委会比例" if lang == "zh" else "owners' committees filed") in shown
        assert "兴华街道第1社区" in shown  # places by name
        assert "50.00%" in shown
        assert "75.00%" in shown
        assert service[0].label("service", lang)[:12] in shown  # (the terminal wraps it)
        heading = INDICATOR_LABELS["satisfaction_rate"][0 if lang == "zh" else 1]
        assert heading.split()[0] in shown  # (a terminal heading wraps at spaces)


def test_without_attachments_the_sections_are_absent():
    region = assess(sample_region(), on="2020-12-31")
    assert "规划过程指标" not in reports.text(region, lang="zh", top=3)
    assert reports.to_dict(region, findings="none")["process_indicators"] == []


def test_the_html_page_has_both_sections(attached, tmp_path):
    region, _, _ = attached
    path = tmp_path / "r.html"
    write_report(region, path, lang="en")
    page = path.read_text(encoding="utf-8")
    assert '<section id="processes">' in page
    assert '<section id="service">' in page
    assert 'href="#service"' in page  # in the contents
    assert "joint meetings with the residents&#x27; committee" in page


def test_the_json_report_keeps_them_exactly(attached):
    region, _, _ = attached
    data = json.loads(reports.to_json(region, findings="none"))
    filed = {
        (i["indicator"], i["place"]): i
        for i in data["process_indicators"]
        if i["indicator"] == "owners.filed_share"
    }
    assert filed[("owners.filed_share", JIA)]["value"] == "1/2"
    assert filed[("owners.filed_share", JIA)]["clauses"] == ["§1.5"]
    [row] = data["service_indicators"]
    assert (row["satisfaction_rate"], row["bad_share"]) == ("3/4", "1/4")


def test_the_workbook_has_their_sheets_with_the_same_figures(attached, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("xlsxwriter")
    pytest.importorskip("openpyxl")
    region, _, _ = attached
    path = tmp_path / "r.xlsx"
    write_report(region, path, lang="en")
    sheets = pd.read_excel(path, engine="openpyxl", sheet_name=None)
    processes = sheets["processes"]
    jia = processes[(processes["code"] == int(JIA)) | (processes["code"] == JIA)]
    assert sorted(jia["count"].tolist()) == [1, 2]
    assert jia["share"].dropna().tolist() == [0.5]
    service = sheets["service ratings"]
    assert service["satisfaction rate"].tolist() == [0.75]
    assert service["bad ratings"].tolist() == [1]


def test_data_frames_of_them(attached):
    pytest.importorskip("pandas")
    region, _, _ = attached
    frame = reports.frame(region, "processes", lang="en")
    assert set(frame["indicator"]) == {"owners.filed_share", "owners.joint_meetings"}
    service = reports.frame(region, "service", lang="en")
    assert service["satisfaction_rate"].tolist() == [0.75]
    with pytest.raises(InvalidArgumentError, match="table: expected 'targets'"):
        reports.frame(region, "nothing")


def test_only_indicators_are_attached(attached):
    """Anything else is refused with the argument and item named."""
    region, processes, service = attached
    with pytest.raises(InvalidArgumentError, match=r"indicators\[0\]: expected a ProcessIndicator"):
        region.with_processes(indicators=list(service))
    with pytest.raises(InvalidArgumentError, match=r"service\[1\]: expected an IndicatorRow"):
        region.with_processes(service=[service[0], processes[0]])
    with pytest.raises(SqfwError, match="indicators: expected an iterable"):
        region.with_processes(indicators="owners")  # type: ignore[arg-type]
    again = region.with_processes(indicators=processes[:1])
    assert again.process_indicators == (processes[0],)
    assert again.service_indicators == ()


def _rated_on(wf: TicketWorkflow, tid: str, day: tuple[int, int, int]) -> WorkflowRecord:
    """A ticket answered and rated dissatisfied on ``day`` (10:00 and 11:00)."""
    return rated_legal_aid(wf, tid, "dissatisfied", at=_at(*day, 10), rated_at=_at(*day, 11))


def test_estimated_rectification_deadlines_are_counted_in_every_view():
    """A bad rating near the end of the last year with an official holiday schedule has its
    call-back and rectification deadlines counted into a year without one: the ratings
    report says how many deadlines were estimated, in the JSON report as in the table."""
    wf = TicketWorkflow(catalogue=example_catalogue())
    known = _rated_on(wf, "K1", (2019, 9, 27))  # 2019's schedule is official
    last = max(official_years())  # the last year the holidays package has the notice of
    late = _rated_on(wf, "L1", (last, 12, 28))  # counted into the next year: estimated
    assert not wf.facts(known).deadlines_estimated
    assert wf.facts(late).deadlines_estimated
    (row,) = service_indicators(wf, [known, late], by=())
    assert (row.bad, row.estimated) == (2, 1)
    region = assess(sample_region(), on="2020-12-31").with_processes(service=[row])
    data = reports.to_dict(region, findings="none")
    assert data["service_indicators"][0]["estimated"] == 1
    assert reports.frame(region, "service", lang="en")["estimated"].tolist() == [1]
    page = reports.html_page(region, lang="en", charts=False)
    assert "bad ratings with estimated deadlines" in page
