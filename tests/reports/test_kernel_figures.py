"""Every norm's kernel gives its measured and required figures, and every view carries them.

The measured and required figures of a finding are computed once, by the norm's kernel
(output columns ``measured`` and ``required``). The Parquet findings are those columns;
the explained check of one community (:meth:`~sqfw.calculators.Norm.check`), the JSON,
NDJSON and DataFrame findings give the same figures exact. Hypothesis draws communities at
the boundaries of §2.1/§2.12/§2.13 (areas), §2.14 (office share), §2.4 (barrier-free),
§5.11 (volunteers) and §1.1 (households of a residents' committee) and requires the float
columns to equal the exact figures, as closely as a double can hold them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reports.figures import agrees, number

from sqfw import reports
from sqfw.analysis import assess
from sqfw.calculators import NORMS, PER_COMMUNITY_NORMS, Status
from sqfw.calculators._columns import community_columns
from sqfw.calculators.kernels import python_arrays
from sqfw.entities import Community, CommunityKind, Division, DivisionKind, Facility, Region

ROOT = Division(code="150000000000", name="内蒙古自治区", kind=DivisionKind.AUTONOMOUS_REGION)


def _area(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@st.composite
def boundary_communities(draw: st.DrawFn, index: int) -> Community:
    """A community whose figures sit on, a hair below or a hair above a boundary."""
    households = draw(st.sampled_from([None, 99, 100, 101, 700, 701, 1000, 1501, 3000]))
    residents = None if households is None else households * draw(st.integers(1, 4))
    if residents is not None and draw(st.booleans()):
        residents = draw(st.sampled_from([0, 5, 997, 1000, 1003]))
        households = None if residents == 0 else min(households or 1, residents) or None
    hair = draw(st.sampled_from([Fraction(0), Fraction(1, 10**6), Fraction(-1, 10**6)]))
    per_households = Fraction(3, 10) * (households or 0)
    base = draw(st.sampled_from([Fraction(150), Fraction(300), Fraction(500), per_households]))
    area = max(base + hair, Fraction(0))
    if draw(st.booleans()):
        area = Fraction(draw(st.integers(0, 20_000)), draw(st.sampled_from([1, 3, 7, 1000])))
    share = draw(st.sampled_from([Fraction(3, 10), Fraction(1, 3), Fraction(2, 7)]))
    office = max(area * share + draw(st.sampled_from([0, hair])), Fraction(0))
    facilities = [
        Facility(
            id="c",
            kind="comprehensive",
            total_area_m2=_area(area).quantize(Decimal("0.000001")),
            office_area_m2=min(_area(office), _area(area)).quantize(Decimal("0.000001")),
            barrier_free=draw(st.none() | st.booleans()),
        )
    ]
    if draw(st.booleans()):
        facilities.append(
            Facility(
                id="s",
                kind="service_outlet",
                total_area_m2=Decimal(draw(st.integers(1, 200))),
                barrier_free=draw(st.none() | st.booleans()),
            )
        )
    volunteers = None
    if residents is not None:
        fifth = residents // 5
        volunteers = max(0, fifth + draw(st.sampled_from([-1, 0, 1])))
    return Community(
        code=f"150102001{index:03d}",
        name=f"边界社区{index}",
        kind=draw(st.sampled_from(CommunityKind)),
        households=households,
        resident_population=residents,
        registered_volunteers=draw(st.sampled_from([volunteers, None])),
        new_or_renovated=draw(st.booleans()),
        facilities=draw(st.sampled_from([facilities, []])),
        set_up_as_needed=draw(st.booleans()) and draw(st.booleans()),
    )


@st.composite
def boundary_regions(draw: st.DrawFn) -> Region:
    count = draw(st.integers(1, 6))
    return Region(root=ROOT, communities=[draw(boundary_communities(i + 1)) for i in range(count)])


class TestEveryKernelGivesItsFigures:
    """§2.1, §2.14, §2.4, §5.11, §1.1: each norm's kernel outputs measured and required."""

    @pytest.mark.parametrize("norm", NORMS, ids=[n.id for n in NORMS])
    def test_outputs(self, norm: Any) -> None:
        """The pure-Python kernel gives ``measured`` and ``required``; at each boundary
        exactly (300 m², 90 m² of 300, 600 of 3,000, 700 households) the norm passes."""
        town = Community(
            code="150102001001",
            name="测试社区",
            kind="urban",
            households=700,  # §1.1 on 2020-12-31: 100 to 700 households
            resident_population=3000,
            registered_volunteers=600,  # §5.11: 20%
            facilities=[
                Facility(
                    id="c",
                    kind="comprehensive",
                    total_area_m2=Decimal(300),
                    office_area_m2=Decimal(90),
                    barrier_free=True,
                )
            ],
        )
        columns = community_columns([town])
        arrays = {name: python_arrays.PyArray(list(columns[name])) for name in norm.reads}
        outputs = norm.evaluate(python_arrays, arrays, norm.read()).outputs
        assert {"status", "measured", "required", "shortfall"} <= set(outputs)
        explained = norm.check(town)
        assert explained.status is Status.PASS  # each boundary exactly: passes
        assert float(outputs["measured"][0]) == float(explained.measured)
        assert float(outputs["required"][0]) == float(explained.required)

    def test_office_share_at_thirty_percent(self) -> None:
        """§2.14: 90 of 300 m² is 30% and passes; 90.000001 m² fails; both measured."""
        for office, status in (("90", Status.PASS), ("90.000001", Status.FAIL)):
            town = Community(
                code="150102001001",
                name="测试社区",
                kind="urban",
                facilities=[
                    Facility(
                        id="c",
                        kind="comprehensive",
                        total_area_m2=Decimal(300),
                        office_area_m2=Decimal(office),
                    )
                ],
            )
            norm = next(n for n in NORMS if n.id == "office_share")
            result = norm.check(town)
            assert result.status is status
            assert result.measured == Fraction(Decimal(office)) / 300
            assert result.required == Fraction(3, 10)


class TestViewsCarryTheKernelsFigures:
    """Parquet's float columns equal the explained figures; JSON, NDJSON and the
    DataFrame give the explained figures themselves."""

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(region=boundary_regions())
    def test_at_the_boundaries(self, region: Region, tmp_path: Path) -> None:
        """Every norm (the 13th plan's four and the urban law's §1.1) on drawn regions."""
        pq = pytest.importorskip("pyarrow.parquet")
        pytest.importorskip("pandas")
        a = assess(region, plan="im-13th", norms=PER_COMMUNITY_NORMS)
        assert list(a.runs) == list(PER_COMMUNITY_NORMS)
        explained = {
            (c.code, n.id): n.check(c, standards=a.standards, on=a.on)
            for c in region.communities
            for n in NORMS
            if n.id in a.runs
        }
        files = reports.write_parquet(a, tmp_path / "f.parquet")
        rows = pq.read_table(files[0]).to_pylist()
        assert len(rows) == len(explained)
        for row in rows:
            result = explained[(row["code"], row["norm"])]
            assert row["status"] == result.status.value
            for field in ("measured", "required"):
                figure = getattr(result, field)
                assert agrees(row[field], figure, result.unit), (row, field, figure)
        frame = reports.frame(a, "findings")
        for record in frame.to_dict("records"):
            result = explained[(record["code"], record["norm"])]
            for field in ("measured", "required", "shortfall"):
                assert number(record[field]) == number(getattr(result, field))
        lines = tmp_path / "f.ndjson"
        reports.write_ndjson(a, lines, workers=1)
        import json

        for line in lines.read_text(encoding="utf-8").splitlines():
            finding = json.loads(line)
            result = explained[(finding["code"], finding["norm"])]
            for field in ("measured", "required", "shortfall"):
                assert number(finding[field]) == number(getattr(result, field)), field
