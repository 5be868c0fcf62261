"""How many examples the fuzz suite runs, and how many it ran.

Quick by default; with ``CI=true`` (the CI profile) the fuzz tests share
:data:`CI_EXAMPLES` between them, and the session prints how many examples ran in all.
"""

from __future__ import annotations

import os
from collections import Counter

CI = bool(os.environ.get("CI")) or os.environ.get("HYPOTHESIS_PROFILE") == "ci"
CI_EXAMPLES = 10_500
"""Examples the CI profile runs across the fuzz suite (at least 10,000)."""

FUZZ_TESTS = 6
"""The fuzz tests sharing :data:`CI_EXAMPLES`."""

EXAMPLES = CI_EXAMPLES // FUZZ_TESTS + 1 if CI else 30
"""Examples per fuzz test."""

RAN: Counter[str] = Counter()
"""Examples run, by test."""


def count(name: str) -> None:
    """Note one example of the fuzz test ``name``."""
    RAN[name] += 1
