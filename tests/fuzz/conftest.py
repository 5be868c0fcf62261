"""The fuzz suite prints how many examples it ran (see :mod:`tests.fuzz.budget`)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.fuzz.budget import RAN


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RAN:
        total = sum(RAN.values())
        details = ", ".join(f"{name} {n:,}" for name, n in sorted(RAN.items()))
        terminalreporter.write_line(f"fuzz: {total:,} examples in all ({details})")
