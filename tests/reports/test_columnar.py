"""Columnar data out: Parquet for pandas, Polars and DuckDB; NDJSON one finding a line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sqfw import reports
from sqfw.analysis import Assessment
from sqfw.reports import write_report
from sqfw.reports._columnar import write_ndjson

pq = pytest.importorskip("pyarrow.parquet")


class TestParquet:
    def test_three_files_with_the_assessments_figures(
        self, tmp_path: Path, sample_assessment: Assessment
    ) -> None:
        a = sample_assessment
        files = write_report(a, tmp_path / "r.parquet")
        assert [f.name for f in files] == ["r.parquet", "r.targets.parquet", "r.indicators.parquet"]
        findings = pq.read_table(files[0]).to_pandas()
        assert len(findings) == len(a.dataset) * len(a.runs)
        for norm in a.runs:
            statuses = findings[findings["norm"] == norm]["status"].astype(str)
            got = statuses.value_counts().to_dict()
            expected = {s.value: n for s, n in a.status_counts(norm).items() if n}
            assert got == expected
            shortfall = findings[findings["norm"] == norm]["shortfall"].sum()
            assert shortfall == pytest.approx(a.shortfall_total(norm))
        targets = pq.read_table(files[1]).to_pandas()
        region = targets[(targets["level"] == "region") & (targets["target"] == "facility_area")]
        assert region["gap"].item() == pytest.approx(float(a.target("facility_area").gap))
        indicators = pq.read_table(files[2]).to_pandas()
        assert len(indicators) == len(a.indicators)

    def test_clauses_and_places_agree_with_the_findings(
        self, tmp_path: Path, sample_assessment: Assessment
    ) -> None:
        """Each row's clauses, county and league are those of the explained finding."""
        a = sample_assessment
        table = pq.read_table(write_report(a, tmp_path / "f.parquet", findings="failing")[0])
        rows = table.to_pylist()
        expected = list(a.findings(status=["fail", "unknown"]))
        key = {(f.code, f.norm): f for f in expected}
        assert len(rows) == len(expected)
        for row in rows[:: max(1, len(rows) // 500)]:
            finding = key[(row["code"], row["norm"])]
            assert row["clauses"] == "/".join(finding.clauses)
            assert (row["county"], row["prefecture"]) == (
                finding.county_code,
                finding.prefecture_code,
            )
            if finding.shortfall is not None:
                assert row["shortfall"] == pytest.approx(float(finding.shortfall), abs=1e-6)

    def test_place_names_beside_codes(self, tmp_path: Path, sample_assessment: Assessment) -> None:
        """Each finding names its banner/county and league/city beside their codes, as the
        assessment's places name them."""
        a = sample_assessment
        table = pq.read_table(write_report(a, tmp_path / "n.parquet", findings="failing")[0])
        names = {p.code: p.name for p in a.places}
        rows = table.select(["county", "county_name", "prefecture", "prefecture_name"])
        seen = {tuple(r.values()) for r in rows.to_pylist()}
        assert seen
        for county, county_name, prefecture, prefecture_name in seen:
            assert names[county] == county_name
            assert names[prefecture] == prefecture_name

    def test_every_file_records_plan_date_standards_and_version(
        self, tmp_path: Path, sample_assessment: Assessment
    ) -> None:
        """The schema metadata of the three files says what was assessed, on which date,
        against which standards and overrides, by which sqfw."""
        import sqfw

        a = sample_assessment
        for file in write_report(a, tmp_path / "m.parquet"):
            meta = {k.decode(): v.decode() for k, v in pq.read_schema(file).metadata.items()}
            assert meta["sqfw.plan"] == a.plan.id
            assert meta["sqfw.on"] == str(a.on)
            assert meta["sqfw.standards"] == a.standards.name
            assert meta["sqfw.overrides"] == ""
            assert meta["sqfw.region"] == a.region.code
            assert meta["sqfw.version"] == sqfw.__version__
            assert a.plan.document == meta["sqfw.plan_document"]


class TestNdjson:
    def test_one_finding_a_line_as_in_the_json_report(self, sample_assessment: Assessment) -> None:
        stream = io.StringIO()
        write_ndjson(sample_assessment, stream, findings="failing")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        report = reports.to_dict(sample_assessment, findings="failing")
        assert lines == report["findings"]
