"""Every example script runs to the end (its asserts are the test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
NEEDS = {"dask_sweep.py": "dask_array"}
"""Examples that need an optional package: the fixture that skips without it (CI has it)."""


class TestExamples:
    """Each ``examples/*.py`` exits with status 0 when run from the repository root."""

    def test_there_are_examples(self) -> None:
        assert EXAMPLES

    @pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
    def test_example_runs(self, script: Path, request: pytest.FixtureRequest) -> None:
        if script.name in NEEDS:
            request.getfixturevalue(NEEDS[script.name])
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, (
            f"{script.name} exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"
        )
