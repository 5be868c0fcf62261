"""Dated lookups, overrides and the organic-law election parameters."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pendulum
import pytest

from sqfw.errors import NotInForceError, ParameterNotFoundError, StandardsError
from sqfw.standards import Citation, Parameter, Standards, Unit, default_standards

TARGET = pendulum.Date(2020, 12, 31)
AREA = "facility.area.per_100_households"


class TestLookup:
    """A lookup returns the value in force with its period and citation."""

    def test_value_period_and_citation(self) -> None:
        """§2.1: 30 m² per 100 households, in force 2016–2020, cited to the plan."""
        found = default_standards().lookup(AREA, TARGET)
        assert found.value == Decimal(30)
        assert (found.start, found.end) == (pendulum.Date(2016, 1, 1), TARGET)
        assert isinstance(found.citation, Citation)
        assert found.citation.clause == "§2.1"
        assert "30平方米" in found.citation.quote
        assert isinstance(found.parameter, Parameter)
        assert found.parameter.unit is Unit.M2_PER_100_HOUSEHOLDS
        assert found.parameter.label_zh
        assert found.parameter.label_en

    def test_value_is_exact(self) -> None:
        """§5.11: 20% is the Fraction 1/5, not a float."""
        value = default_standards().value("workforce.volunteers.registered_share.at_least", TARGET)
        assert value == Fraction(1, 5)
        assert isinstance(value, Fraction)

    def test_accepts_iso_text(self) -> None:
        """A date may be given as ISO text."""
        assert default_standards().value(AREA, "2018-05-01") == Decimal(30)

    def test_not_in_force_is_an_error(self) -> None:
        """A date outside every period is an error that lists the periods."""
        with pytest.raises(NotInForceError) as info:
            default_standards().lookup(AREA, pendulum.Date(2015, 12, 31))
        assert info.value.on == "2015-12-31"
        assert "2016-01-01–2020-12-31" in info.value.periods

    def test_unknown_id_suggests_close_ids(self) -> None:
        """A misspelt id names the close ones."""
        with pytest.raises(ParameterNotFoundError, match="per_100_households"):
            default_standards().lookup("facility.area.per_100_household", TARGET)

    def test_assumption_is_flagged(self) -> None:
        """§2.11 "basically full" (95%) is a documented default, flagged as an assumption."""
        found = default_standards().lookup("facility.coverage.street_hall.at_least", TARGET)
        assert found.value == Fraction(95, 100)
        assert found.assumption
        assert found.note
        assert "95%" in found.note


class TestElectionParameters:
    """The organic laws' numbers the election workflow needs (cited to the laws)."""

    @pytest.mark.parametrize(
        ("pid", "expected"),
        [
            ("election.villagers.committee_size.min", 3),
            ("election.villagers.committee_size.max", 7),
            ("election.residents.committee_size.min", 5),
            ("election.residents.committee_size.max", 9),
            ("election.villagers.valid_turnout.more_than", Fraction(1, 2)),
            ("election.villagers.winning_share.more_than", Fraction(1, 2)),
            ("election.villagers.further_round_share.at_least", Fraction(1, 3)),
            ("election.residents.valid_turnout.more_than", Fraction(1, 2)),
            ("election.residents.winning_share.more_than", Fraction(1, 2)),
            ("election.residents.further_round_share.at_least", Fraction(1, 3)),
        ],
    )
    def test_values(self, pid: str, expected: object) -> None:
        """Each id exists with the law's value and cites the law, not the plan."""
        found = default_standards().lookup(pid, pendulum.Date(2020, 6, 1))
        assert found.value == expected
        assert "组织法" in found.citation.document
        assert found.citation.article

    @pytest.mark.parametrize("kind", ["villagers", "residents"])
    def test_term_three_then_five_years(self, kind: str) -> None:
        """The term was 3 years before the 2018-12-29 amendments, 5 from that day."""
        std = default_standards()
        assert std.value(f"election.{kind}.term_years", pendulum.Date(2018, 12, 28)) == 3
        assert std.value(f"election.{kind}.term_years", pendulum.Date(2018, 12, 29)) == 5

    def test_residents_thresholds_are_assumptions(self) -> None:
        """The urban law sets no thresholds: the village-law majorities are a default."""
        std = default_standards()
        found = std.lookup("election.residents.winning_share.more_than", TARGET)
        assert found.assumption
        assert found.note
        assert "provincial" in found.note
        assert not std.lookup("election.villagers.winning_share.more_than", TARGET).assumption

    @pytest.mark.parametrize("kind", ["villagers", "residents"])
    def test_from_2026_the_text_applied_is_named(self, kind: str) -> None:
        """From 2026-01-01 the 2018 values still answer, with a note naming the text applied."""
        std = default_standards()
        before = std.lookup(f"election.{kind}.winning_share.more_than", pendulum.Date(2025, 12, 31))
        after = std.lookup(f"election.{kind}.winning_share.more_than", pendulum.Date(2026, 1, 1))
        assert after.value == before.value
        assert after.note
        assert "2025-10-28" in after.note
        assert "2018" in after.note
        assert not (before.note or "").count("2025-10-28")


class TestOverrides:
    """Overrides are copy-on-write, composable, recorded, and checked."""

    def test_override_changes_only_its_parameter(self) -> None:
        """A new set answers 40; the baseline still answers 30; other ids are untouched."""
        base = default_standards()
        local = base.with_overrides({AREA: 40}, source="某旗实施细则")
        assert local.value(AREA, TARGET) == Decimal(40)
        assert base.value(AREA, TARGET) == Decimal(30)
        assert base.overrides == ()
        assert local.value("facility.area.total_min", TARGET) == Decimal(300)

    def test_override_is_traced(self) -> None:
        """The lookup names the override and its source in the citation."""
        local = default_standards().with_overrides({AREA: 40}, source="某旗实施细则")
        found = local.lookup(AREA, TARGET)
        assert found.override is not None
        assert found.override.source == "某旗实施细则"
        assert found.citation.document == "某旗实施细则"
        assert found.citation.clause == "§2.1"
        assert local.overrides == (found.override,)

    def test_overrides_compose_and_the_latest_wins(self) -> None:
        """Two layers: both are recorded; the later value answers."""
        first = default_standards().with_overrides({AREA: 40}, source="a")
        second = first.with_overrides({AREA: 35, "facility.area.total_min": 350}, source="b")
        assert second.value(AREA, TARGET) == Decimal(35)
        assert first.value(AREA, TARGET) == Decimal(40)
        assert [o.source for o in second.overrides] == ["a", "b", "b"]

    def test_dated_override_applies_only_in_its_period(self) -> None:
        """An override with start/end falls back to the baseline outside its period."""
        local = default_standards().with_overrides(
            {AREA: {"value": 40, "start": "2019-01-01", "end": "2019-12-31"}}, source="x"
        )
        assert local.value(AREA, "2019-06-01") == Decimal(40)
        assert local.value(AREA, "2020-06-01") == Decimal(30)

    def test_override_can_extend_beyond_the_plan(self) -> None:
        """An undated override answers on dates the plan no longer covers."""
        local = default_standards().with_overrides({AREA: 30}, source="十四五")
        assert local.value(AREA, "2023-01-01") == Decimal(30)

    def test_ratio_override_forms(self) -> None:
        """Ratios may be given as '1/4', '25%' or an exact decimal string."""
        pid = "workforce.volunteers.registered_share.at_least"
        for raw in ("1/4", "25%", "0.25"):
            assert default_standards().with_overrides({pid: raw}).value(pid, TARGET) == Fraction(
                1, 4
            )

    def test_override_file(self, tmp_path: Path) -> None:
        """A TOML file of dotted keys works; the file is the default source."""
        path = tmp_path / "local.toml"
        path.write_text(
            '"facility.area.per_100_households" = 40\n'
            '[facility.office]\nmax_share = { value = "1/4", note = "stricter" }\n',
            encoding="utf-8",
        )
        local = default_standards().with_overrides(path)
        assert local.value(AREA, TARGET) == Decimal(40)
        assert local.value("facility.office.max_share", TARGET) == Fraction(1, 4)
        assert all(o.source == str(path) for o in local.overrides)

    def test_unknown_parameter_is_refused(self) -> None:
        """An override of an id that does not exist is an error, not ignored."""
        with pytest.raises(StandardsError) as info:
            default_standards().with_overrides({"facility.area.per_100": 40}, source="x")
        assert info.value.source == "x"
        assert info.value.key_path == "facility.area.per_100"

    def test_value_not_fitting_unit_is_refused(self) -> None:
        """A ratio above 1 or a text for an area is refused."""
        with pytest.raises(StandardsError):
            default_standards().with_overrides({"facility.office.max_share": "3/2"})
        with pytest.raises(StandardsError):
            default_standards().with_overrides({AREA: "lots"})

    def test_unknown_override_key_is_refused(self) -> None:
        """A typo in an override table is refused."""
        with pytest.raises(StandardsError, match="unknown key"):
            default_standards().with_overrides({AREA: {"value": 40, "stat": "2019-01-01"}})

    def test_standards_is_immutable(self) -> None:
        """The parameter mapping cannot be changed in place."""
        std: Standards = default_standards()
        with pytest.raises(TypeError):
            std.parameters["x"] = std.parameter(AREA)  # type: ignore[index]
