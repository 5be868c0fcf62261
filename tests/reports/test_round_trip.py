"""Lossless round trips: what sqfw writes, sqfw reads back to the same assessment."""

from __future__ import annotations

import functools
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqfw.analysis import (
    Assessment,
    Baselines,
    RegionDataset,
    assess,
    load_region,
    sample_region,
    save_table,
)
from sqfw.analysis._loading.companion import (
    Companion,
    apply_companion,
    read_companion,
    write_companion,
)
from sqfw.cli import main
from sqfw.errors import DataLoadError


def _verdict(a: Assessment) -> list[tuple[object, ...]]:
    """Every figure an assessment decides: targets, indicators and status counts."""
    targets = [
        (t.target.id, t.place.code, t.attainment, t.measured, t.required, t.gap) for t in a.targets
    ]
    indicators = [
        (v.indicator.id, v.place.code, v.numerator, v.denominator, v.unknown) for v in a.indicators
    ]
    counts = [(n, tuple(a.status_counts(n).items())) for n in a.runs]
    return [*targets, *indicators, *counts]


class TestSampleThroughAFile:
    """sqfw sample → file → sqfw assess gives exactly the bundled verdict, in every format."""

    @pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
    def test_same_verdict(self, suffix: str, tmp_path: Path, sample_assessment: Assessment) -> None:
        out = tmp_path / f"region.{suffix}"
        assert main(["sample", "--output", str(out)]) == 0
        again = assess(load_region(out))
        assert _verdict(again) == _verdict(sample_assessment)
        # the three "higher than before" targets are decided, not unknown
        for target in ("facility_coverage", "direct_election", "associate_share"):
            assert again.target(target).attainment.value == "met"

    def test_json_companion_holds_the_county_worker_figures(self, tmp_path: Path) -> None:
        out = tmp_path / "region.json"
        assert main(["sample", "--output", str(out)]) == 0
        companion = json.loads((tmp_path / "region.baselines.json").read_text(encoding="utf-8"))
        assert companion["kind"] == "baselines"
        assert companion["baselines"]["previous_direct_election_ratio"] == "17/25"
        assert len(companion["county_workers"]) == len(sample_region().counties)

    def test_without_its_companion_the_targets_are_unknown(self, tmp_path: Path) -> None:
        """The companion is what carries them: a table alone leaves them unknown."""
        out = tmp_path / "region.csv"
        save_table(sample_region(), out)
        (tmp_path / "region.baselines.csv").unlink()
        again = assess(load_region(out))
        assert again.target("direct_election").attainment.value == "unknown"

    def test_baselines_option(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """sqfw assess --baselines FILE gives the earlier figures to any region."""
        out = tmp_path / "region.csv"
        save_table(sample_region(), out)
        moved = tmp_path / "earlier.csv"
        (tmp_path / "region.baselines.csv").rename(moved)
        assert main(["assess", str(out), "--lang", "en", "--output", str(tmp_path / "a.md")]) == 0
        assert (
            main(
                [
                    "assess",
                    str(out),
                    "--format",
                    "json",
                    "--findings",
                    "none",
                    "--baselines",
                    str(moved),
                    "--output",
                    str(tmp_path / "a.json"),
                ]
            )
            == 0
        )
        data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
        decided = {
            t["target"]: t["attainment"]
            for t in data["targets"]
            if t["place"] == data["region"]["code"]
        }
        assert decided["direct_election"] == "met"
        assert main(["assess", str(out), "--baselines", str(tmp_path / "none.csv")]) == 2
        assert "cannot read" in capsys.readouterr().err


ratios = st.none() | st.fractions(min_value=0, max_value=1, max_denominator=10_000)


class TestCompanion:
    @settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        previous=ratios, twelfth=ratios, coverage=ratios, suffix=st.sampled_from(["csv", "json"])
    )
    def test_baselines_round_trip(
        self, tmp_path: Path, previous, twelfth, coverage, suffix
    ) -> None:  # type: ignore[no-untyped-def]
        """Any baselines written to a companion read back exactly (ratios stay exact)."""
        baselines = Baselines(
            previous_direct_election_ratio=previous,
            associate_share_12th_plan=twelfth,
            urban_facility_coverage_previous=coverage,
        )
        dataset = _sample().evolve(baselines=baselines)
        path = tmp_path / f"x.baselines.{suffix}"
        write_companion(dataset, path)
        assert read_companion(path).baselines == baselines

    @pytest.mark.parametrize(
        ("text", "where", "problem"),
        [
            ("项目,数值\n上一届居委会直选比例,1.2\n", "row 2", "expected a ratio from 0 to 1"),
            ("key,value\nprevious_term,0.5\n", "row 2", "unknown key 'previous_term'"),
            ("key,value\nassociate_share_12th_plan,about half\n", "row 2", "expected a ratio"),
        ],
    )
    def test_bad_companions_are_refused(
        self, tmp_path: Path, text: str, where: str, problem: str
    ) -> None:
        path = tmp_path / "b.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataLoadError) as caught:
            read_companion(path)
        assert where in str(caught.value)
        assert problem in str(caught.value)

    def test_people_write_ratios_several_ways(self, tmp_path: Path) -> None:
        path = tmp_path / "b.csv"
        path.write_text(
            "key,value\nprevious_direct_election_ratio,68%\n"
            "associate_share_12th_plan,0.52\nurban_facility_coverage_previous,9/10\n",
            encoding="utf-8",
        )
        assert read_companion(path).baselines == Baselines(
            previous_direct_election_ratio=Fraction(17, 25),
            associate_share_12th_plan=Fraction(13, 25),
            urban_facility_coverage_previous=Fraction(9, 10),
        )

    def test_an_unknown_county_is_refused(self) -> None:
        companion = Companion(county_workers={"159999000000": (1.0, 0.0)}, source="x.json")
        with pytest.raises(DataLoadError, match="no such county"):
            apply_companion(sample_region(), companion)


@functools.cache
def _sample() -> RegionDataset:
    return sample_region()


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_writing_a_table_reports_progress(tmp_path: Path, suffix: str) -> None:
    """Every 10,000 rows and at the end; the file then reads back with every community."""
    data = sample_region(seed=5)
    seen: list[tuple[int, int]] = []
    path = save_table(data, tmp_path / f"r.{suffix}", progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert seen[-1][0] == seen[-1][1] >= len(data)
    assert len(load_region(path)) == len(data)
