"""A norm's rule run once per distinct combination of what it reads gives every row what a
run on that row gives (the Parquet findings' clauses are worked out this way)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqfw.analysis import Assessment, assess, sample_region
from sqfw.reports._rows import per_distinct_row


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return bool(a == b) and type(a) is type(b)


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    return assess(sample_region(seed=11), plan="im-13th")


class TestPerDistinctRow:
    """Grouped runs agree with a run per row, for every norm and every row."""

    @pytest.mark.parametrize("what", ["applied", "figures", "status"])
    def test_every_row(self, assessment: Assessment, what: str) -> None:
        for run in assessment.runs.values():
            function: Any = {
                "applied": run.norm.applied,
                "figures": lambda row, run=run: run.norm.figures(row, run.params),
                "status": lambda row: row.status(),
            }[what]
            groups, results = per_distinct_row(run, function)
            assert len(groups) == len(assessment.dataset)
            for index in range(len(groups)):
                assert _same(results[groups[index]], function(run.row(index))), (run, index)

    def test_groups_numbered_as_they_first_come(self, assessment: Assessment) -> None:
        run = assessment.runs["facility_area"]
        groups, _ = per_distinct_row(run, run.norm.applied)
        seen: list[int] = []
        for group in groups.tolist():
            if group not in seen:
                seen.append(group)
        assert seen == list(range(len(seen)))

    def test_fewer_runs_than_rows(self, assessment: Assessment) -> None:
        """The barrier-free norm reads three tallies: a few groups, not one per row."""
        run = assessment.runs["barrier_free"]
        _, results = per_distinct_row(run, lambda row: run.norm.figures(row, run.params))
        assert len(results) < len(assessment.dataset) // 10

    @settings(max_examples=10, deadline=None)
    @given(seed=st.integers(0, 10_000))
    def test_other_regions(self, seed: int) -> None:
        result = assess(sample_region(seed=seed))
        for run in result.runs.values():
            groups, results = per_distinct_row(run, run.norm.applied)
            for index in range(0, len(groups), 97):
                assert results[groups[index]] == run.norm.applied(run.row(index))
