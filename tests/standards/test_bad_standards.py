"""Standards files and overrides: every bad one refused as a StandardsError, named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sqfw.errors import StandardsError
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_DEPTH
from sqfw.standards import default_standards, load_standards

STD = default_standards()
ON = "2020-06-30"


class TestOverrideValues:
    """Each override value is read by its parameter's unit, within sensible bounds."""

    def test_a_count_typed_as_text(self) -> None:
        """`--override election.villagers.committee_size.min=5` sets the count 5."""
        std = STD.with_overrides({"election.villagers.committee_size.min": "5"})
        assert std.value("election.villagers.committee_size.min", ON) == 5

    @pytest.mark.parametrize("value", ["5.5", "-1", "五", "1" * 50])
    def test_not_a_count(self, value: str) -> None:
        """Text that is not a whole number ≥ 0 is refused, naming the parameter."""
        with pytest.raises(StandardsError, match=r"committee_size\.min"):
            STD.with_overrides({"election.villagers.committee_size.min": value})

    def test_count_bounds(self) -> None:
        """The largest count passes; one more is refused."""
        pid = "election.villagers.committee_size.max"
        assert STD.with_overrides({pid: MAX_COUNT}).value(pid, ON) == MAX_COUNT
        with pytest.raises(StandardsError, match="from 0 to"):
            STD.with_overrides({pid: MAX_COUNT + 1})

    def test_years_bounds(self) -> None:
        """An absurd number of years is refused; a term of 5 is not."""
        pid = "election.villagers.term_years"
        assert STD.with_overrides({pid: 5}).value(pid, ON) == 5
        with pytest.raises(StandardsError, match="years"):
            STD.with_overrides({pid: 10**30})

    def test_area_bounds(self) -> None:
        """The largest area passes; beyond it, and 1e400, are refused."""
        pid = "facility.area.total_min"
        assert STD.with_overrides({pid: MAX_AREA_M2}).value(pid, ON) == MAX_AREA_M2
        for value in (MAX_AREA_M2 + 1, Decimal("1e400"), "1e400"):
            with pytest.raises(StandardsError, match="area"):
                STD.with_overrides({pid: value})

    @pytest.mark.parametrize("value", [Decimal("Infinity"), float("inf"), Decimal("NaN")])
    def test_infinite_ratios(self, value: object) -> None:
        """An infinite or undefined ratio is refused, not an OverflowError."""
        with pytest.raises(StandardsError, match=r"max_share"):
            STD.with_overrides({"facility.office.max_share": value})


class TestFiles:
    """Missing, unreadable, wrongly encoded or too deep files are named."""

    def test_missing_override_file(self, tmp_path: Path) -> None:
        """A missing file is a StandardsError naming it, not FileNotFoundError."""
        path = tmp_path / "nope.toml"
        with pytest.raises(StandardsError, match="no such file") as info:
            STD.with_overrides(path)
        assert info.value.source == str(path)

    def test_gbk_file(self, tmp_path: Path) -> None:
        """A file saved as GBK is named, with the byte that cannot be read."""
        path = tmp_path / "gbk.toml"
        path.write_bytes('"facility.office.max_share" = "30%" # 社区\n'.encode("gbk"))
        with pytest.raises(StandardsError, match="not UTF-8 text: byte"):
            STD.with_overrides(path)
        folder = tmp_path / "standards"
        folder.mkdir()
        (folder / "facility.toml").write_bytes('[a]\nlabel_zh = "社区"\n'.encode("gbk"))
        with pytest.raises(StandardsError, match="not UTF-8") as info:
            load_standards(folder)
        assert info.value.source.endswith("facility.toml")

    def test_inf_in_toml(self, tmp_path: Path) -> None:
        """`value = inf` in a file is refused, naming the parameter."""
        path = tmp_path / "inf.toml"
        path.write_text('"facility.office.max_share" = inf\n', encoding="utf-8")
        with pytest.raises(StandardsError, match="finite"):
            STD.with_overrides(path)

    @pytest.mark.parametrize(("depth", "refused"), [(MAX_DEPTH - 1, False), (3000, True)])
    def test_deep_tables(self, tmp_path: Path, depth: int, refused: bool) -> None:
        """Keys nested too deep are one bounded error, not a RecursionError."""
        path = tmp_path / "deep.toml"
        path.write_text("x" + ".a" * depth + " = 1\n", encoding="utf-8")
        with pytest.raises(StandardsError) as info:
            STD.with_overrides(path)
        if refused:
            assert "nested more than" in str(info.value)
            assert len(str(info.value)) < 300
        else:
            assert "no parameter" in str(info.value)  # read whole; only the id is unknown
