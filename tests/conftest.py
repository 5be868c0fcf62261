"""Shared test configuration: hypothesis profiles sized for a two-core machine, and what a
test needs from the machine (a CJK font): skipped with a printed reason when it is missing,
a failure in CI (``CI=true``), where it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("quick", max_examples=40, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "quick")
)


def missing(reason: str) -> None:
    """Skip the test, saying why (a failure instead when ``CI=true``: CI has everything)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    print(f"skipped: {reason}")
    pytest.skip(reason)


def _system_cjk_font() -> str | None:
    """A font with Chinese glyphs: matplotlib's finder, else fontconfig's list."""
    try:
        from sqfw.reports._charts import cjk_font

        return cjk_font()
    except ImportError:  # no matplotlib: ask fontconfig
        pass
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return listed.splitlines()[0] if listed else None


@pytest.fixture(scope="session")
def cjk_font() -> str:
    """The family of a font with Chinese glyphs (skipped locally without one)."""
    found = _system_cjk_font()
    if found is None:
        missing(
            "no font with Chinese glyphs on this machine (install Debian's 'fonts-noto-cjk'): "
            "tests of Chinese in charts and pages are skipped"
        )
    assert found is not None
    return found


@pytest.fixture(scope="session")
def dask_array() -> object:
    """``dask.array`` (skipped locally without Dask; CI installs the ``arrays`` extra)."""
    try:
        import dask.array
        import dask.distributed
    except ImportError:
        missing("Dask is not installed (pip install 'sqfw[arrays]'): the Dask tests are skipped")
    return dask.array


@pytest.fixture(scope="session")
def jax_numpy() -> object:
    """``jax.numpy`` with JAX's 64-bit mode on (skipped locally without JAX)."""
    try:
        import jax
    except ImportError:
        missing("JAX is not installed (pip install 'sqfw[arrays]'): the JAX tests are skipped")
    jax.config.update("jax_enable_x64", True)
    return jax.numpy
