"""Indicators by sumu/township/street: the same counts as the banners', one level down."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from sqfw import reports
from sqfw.analysis import Assessment
from sqfw.calculators import Status
from sqfw.entities import DivisionKind, DivisionLevel
from sqfw.reports import write_report


def _by(values, indicator):  # type: ignore[no-untyped-def]
    return {v.place.code: v for v in values if v.indicator.id == indicator}


@pytest.mark.parametrize(
    "indicator",
    ["facility_area.compliance", "volunteers.share", "facility.coverage", "street_hall.coverage"],
)
def test_a_banners_figure_is_the_sum_of_its_townships(sample_assessment: Assessment, indicator):
    """Numerator, denominator and unknown of every banner add up from its townships."""
    townships = _by(sample_assessment.township_indicators, indicator)
    counties = _by(sample_assessment.indicators, indicator)
    summed: dict[str, list[Fraction]] = {}
    for value in townships.values():
        assert value.place.level is DivisionLevel.TOWNSHIP
        parts = summed.setdefault(value.place.parent_code or "", [Fraction(0)] * 3)
        parts[0] += Fraction(value.numerator)
        parts[1] += value.denominator
        parts[2] += value.unknown
    for code, (numerator, denominator, unknown) in summed.items():
        county = counties[code]
        assert (numerator, denominator, unknown) == (
            Fraction(county.numerator),
            county.denominator,
            county.unknown,
        )


def test_a_townships_compliance_counts_its_communities_findings(sample_assessment: Assessment):
    """The facility-area compliance of each township: its communities passing, of those decided."""
    a = sample_assessment
    statuses: dict[str, Counter[Status]] = {}
    township_of = dict(zip(a.dataset.communities.code, a.dataset.communities.township, strict=True))
    for finding in a.findings(norm="facility_area"):
        code = a.dataset.townships[township_of[finding.code]].code
        statuses.setdefault(code, Counter())[finding.status] += 1
    for code, value in _by(a.township_indicators, "facility_area.compliance").items():
        counted = statuses.get(code, Counter())
        assert value.numerator == counted[Status.PASS]
        assert (
            value.denominator
            == counted[Status.PASS] + counted[Status.FAIL] + counted[Status.UNKNOWN]
        )
        assert value.unknown == counted[Status.UNKNOWN]


def test_only_a_street_counts_for_the_street_hall(sample_assessment: Assessment):
    """§3.6: a street with a hall is 1 of 1; a sumu or town is not counted (0 of 0)."""
    halls = _by(sample_assessment.township_indicators, "street_hall.coverage")
    for township in sample_assessment.dataset.townships:
        value = halls[township.code]
        if township.kind is not DivisionKind.STREET:
            assert (value.numerator, value.denominator) == (0, 0)
            assert value.value is None
        elif township.public_service_hall is not None:
            assert value.denominator == 1
            assert value.numerator == int(township.public_service_hall)


def test_county_figures_have_no_township_indicator(sample_assessment: Assessment):
    shown = {v.indicator.id for v in sample_assessment.township_indicators}
    assert "workforce.pay_share" not in shown
    assert "workforce.pay_share" in {v.indicator.id for v in sample_assessment.indicators}
    assert not any(t.place.level is DivisionLevel.TOWNSHIP for t in sample_assessment.targets)


def test_the_workbook_sheet_reads_back_the_same_figures(sample_assessment: Assessment, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("xlsxwriter")
    path = tmp_path / "r.xlsx"
    write_report(sample_assessment, path, lang="en")
    sheet = pd.read_excel(path, engine="openpyxl", sheet_name="townships", dtype={"code": str})
    assert len(sheet) == len(sample_assessment.dataset.townships)
    compliance = _by(sample_assessment.township_indicators, "facility_area.compliance")
    for code, got in zip(sheet["code"], sheet["facility area compliance"], strict=True):
        want = compliance[code].value
        assert (pd.isna(got) and want is None) or got == pytest.approx(float(want))
    frame = reports.frame(sample_assessment, "townships")
    assert len(frame) == len(sample_assessment.township_indicators)
