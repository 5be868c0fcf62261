"""The strict loader: every bundled file loads; every malformed file fails precisely."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from sqfw.errors import StandardsError
from sqfw.standards import Unit, bundled_plans, default_standards, get_plan, load_standards
from sqfw.standards._loader import iter_files

GOOD = """
[per_100_households]
label_zh = "每百户面积"
label_en = "area per 100 households"
unit = "m2_per_100_households"

[[per_100_households.values]]
start = 2016-01-01
end = 2020-12-31
value = 30
citation = { document = "plan", clause = "§2.1", quote = "每百户不低于30平方米" }
"""


def write(tmp_path: Path, text: str, name: str = "area.toml") -> Path:
    folder = tmp_path / "facility"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> StandardsError:
    path = write(tmp_path, text)
    with pytest.raises(StandardsError) as info:
        load_standards(tmp_path)
    assert info.value.source.endswith(
        str(Path("facility") / "area.toml")
    ) or info.value.source == str(path)
    return info.value


class TestBundled:
    """Every bundled parameter file loads with the strict loader."""

    def test_every_bundled_file_loads(self) -> None:
        """Each plan's data files parse on their own, and each folder loads as one set."""
        plans = resources.files("sqfw.standards").joinpath("data").joinpath("plans")
        count = 0
        for plan in plans.iterdir():
            root = plan.joinpath("parameters")
            files = list(iter_files(root))
            count += len(files)
            for entry, prefix in files:
                single = load_standards(Path(str(entry)), prefix=".".join(prefix))
                assert all(pid.startswith(".".join(prefix) + ".") for pid in single)
            assert len(load_standards(Path(str(root)))) == len(get_plan(plan.name).parameters)
        assert count >= 15
        assert len(default_standards()) == len(get_plan("im-13th").parameters) + len(
            get_plan("cn-laws").parameters
        )

    def test_folder_path_is_the_id_prefix(self) -> None:
        """``facility/area.toml`` holds ``facility.area.*``."""
        assert "facility.area.per_100_households" in default_standards()

    def test_every_value_has_a_citation_with_a_clause_id(self) -> None:
        """No value ships without a document, a ``§n.n`` clause and a quote."""
        for plan in bundled_plans():
            std = plan.parameters
            for pid in std:
                parameter = std.parameter(pid)
                assert parameter.values or parameter.must_supply, pid
                citations = [v.citation for v in parameter.values]
                if parameter.citation is not None:
                    citations.append(parameter.citation)
                for citation in citations:
                    assert citation.document
                    assert citation.clause.startswith("§")
                    assert citation.quote
        std = default_standards()
        for pid in std:
            for dated in std.parameter(pid).values:
                assert dated.citation.document
                assert dated.citation.clause.startswith("§")
                assert dated.citation.quote

    def test_values_have_the_units_types(self) -> None:
        """Areas are Decimal, ratios Fraction, counts int, flags bool."""
        std = default_standards()
        kinds = {
            Unit.M2: Decimal,
            Unit.M2_PER_100_HOUSEHOLDS: Decimal,
            Unit.RATIO: Fraction,
            Unit.COUNT: int,
            Unit.YEARS: int,
            Unit.FLAG: bool,
        }
        for pid in std:
            parameter = std.parameter(pid)
            for dated in parameter.values:
                assert isinstance(dated.value, kinds[parameter.unit]), pid

    def test_the_default_set_is_cached(self) -> None:
        """``default_standards()`` returns the same immutable object each time."""
        assert default_standards() is default_standards()


class TestMalformed:
    """Each malformed file gives a StandardsError naming the file, key path and problem."""

    def test_good_file(self, tmp_path: Path) -> None:
        """A well-formed file loads and its value is exact."""
        write(tmp_path, GOOD)
        std = load_standards(tmp_path)
        assert std.value("facility.area.per_100_households", "2020-12-31") == Decimal(30)

    def test_unknown_key_in_parameter(self, tmp_path: Path) -> None:
        """A stray key in a parameter table is refused."""
        err = load_error(tmp_path, GOOD.replace('unit = "', 'colour = "red"\nunit = "'))
        assert err.key_path == "per_100_households.colour"
        assert "unknown key" in err.problem

    def test_unknown_key_in_value(self, tmp_path: Path) -> None:
        """A stray key in a dated value is refused."""
        err = load_error(tmp_path, GOOD.replace("value = 30", "value = 30\nsource = 1"))
        assert err.key_path == "per_100_households.values[0].source"

    def test_stray_scalar_at_top_level(self, tmp_path: Path) -> None:
        """A scalar that is neither a parameter nor a namespace is an unknown key."""
        err = load_error(tmp_path, "version = 2\n" + GOOD)
        assert err.key_path == "version"
        assert "unknown key" in err.problem

    def test_missing_citation(self, tmp_path: Path) -> None:
        """A value without a citation is refused."""
        text = "\n".join(line for line in GOOD.splitlines() if not line.startswith("citation"))
        err = load_error(tmp_path, text)
        assert err.key_path == "per_100_households.values[0].citation"
        assert "missing" in err.problem

    def test_citation_missing_quote(self, tmp_path: Path) -> None:
        """A citation without its quote is refused."""
        err = load_error(tmp_path, GOOD.replace(', quote = "每百户不低于30平方米"', ""))
        assert err.key_path == "per_100_households.values[0].citation.quote"

    def test_unit_outside_list(self, tmp_path: Path) -> None:
        """A unit outside the closed list is refused and the list is shown."""
        err = load_error(tmp_path, GOOD.replace('"m2_per_100_households"', '"acres"'))
        assert err.key_path == "per_100_households.unit"
        assert "'acres'" in err.problem
        assert "m2" in err.problem

    def test_value_not_fitting_unit(self, tmp_path: Path) -> None:
        """A flag where an area is expected is refused."""
        err = load_error(tmp_path, GOOD.replace("value = 30", "value = true"))
        assert err.key_path == "per_100_households.values[0].value"

    @pytest.mark.parametrize("clause", ["2.1", "§2", "section 2.1", "§2.1a", "§0.1"])
    def test_bad_clause_id(self, tmp_path: Path, clause: str) -> None:
        """A clause id not of the form §n.n is refused."""
        err = load_error(tmp_path, GOOD.replace('clause = "§2.1"', f'clause = "{clause}"'))
        assert err.key_path == "per_100_households.values[0].citation.clause"
        assert "§n.n" in err.problem

    def test_unordered_dates(self, tmp_path: Path) -> None:
        """A later entry that starts before an earlier one is refused."""
        second = (
            "\n[[per_100_households.values]]\nstart = 2010-01-01\nend = 2012-01-01\nvalue = 20\n"
            'citation = { document = "plan", clause = "§2.1", quote = "q" }\n'
        )
        err = load_error(tmp_path, GOOD + second)
        assert err.key_path == "per_100_households.values[1].start"
        assert "out of order" in err.problem

    def test_overlapping_dates(self, tmp_path: Path) -> None:
        """A period that starts before the previous one ends is refused."""
        second = (
            "\n[[per_100_households.values]]\nstart = 2020-06-01\nvalue = 40\n"
            'citation = { document = "plan", clause = "§2.1", quote = "q" }\n'
        )
        err = load_error(tmp_path, GOOD + second)
        assert err.key_path == "per_100_households.values[1].start"
        assert "overlapping" in err.problem

    def test_open_period_followed_by_another(self, tmp_path: Path) -> None:
        """A value without an end overlaps any later value."""
        text = GOOD.replace("end = 2020-12-31\n", "")
        second = (
            "\n[[per_100_households.values]]\nstart = 2021-01-01\nvalue = 40\n"
            'citation = { document = "plan", clause = "§2.1", quote = "q" }\n'
        )
        err = load_error(tmp_path, text + second)
        assert "overlapping" in err.problem

    def test_end_before_start(self, tmp_path: Path) -> None:
        """A period that ends before it starts is refused."""
        err = load_error(tmp_path, GOOD.replace("end = 2020-12-31", "end = 2015-12-31"))
        assert err.key_path == "per_100_households.values[0].end"

    def test_datetime_instead_of_date(self, tmp_path: Path) -> None:
        """A date-time is not a calendar date."""
        err = load_error(
            tmp_path, GOOD.replace("start = 2016-01-01", "start = 2016-01-01T00:00:00")
        )
        assert err.key_path == "per_100_households.values[0].start"

    def test_invalid_toml(self, tmp_path: Path) -> None:
        """A syntax error is reported with the file."""
        err = load_error(tmp_path, GOOD + "\n[broken\n")
        assert "not valid TOML" in err.problem

    def test_duplicate_ids_across_files(self, tmp_path: Path) -> None:
        """The same id defined twice (file + namespace) is refused."""
        write(tmp_path, GOOD)
        (tmp_path / "facility.toml").write_text(
            GOOD.replace("[per_100_households]", "[area.per_100_households]").replace(
                "[[per_100_households.values]]", "[[area.per_100_households.values]]"
            ),
            encoding="utf-8",
        )
        with pytest.raises(StandardsError, match="duplicate parameter id"):
            load_standards(tmp_path)

    def test_missing_path(self, tmp_path: Path) -> None:
        """A path that does not exist is an error, not an empty set."""
        with pytest.raises(StandardsError, match="no such file"):
            load_standards(tmp_path / "nowhere")
