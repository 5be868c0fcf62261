"""The example walk-through runs to its final asserts."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "region_assessment.py"


class TestExample:
    def test_region_assessment_example_runs(self, capsys):
        """load → assess → chart → scenario → compare, ending in asserts."""
        pytest.importorskip("matplotlib")
        runpy.run_path(str(EXAMPLE), run_name="__main__")
        assert "Targets of the plan" in capsys.readouterr().out
