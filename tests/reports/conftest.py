"""Shared fixtures of the report tests: the sample's assessment, a browser when there is one."""

from __future__ import annotations

import os

import pytest

from sqfw.analysis import Assessment, assess, sample_region

from .browser import Browser, find_chromium


@pytest.fixture(scope="session")
def sample_assessment() -> Assessment:
    """The bundled sample region, assessed on the plan's date."""
    return assess(sample_region())


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary: skipped without one locally, a failure in CI (``CI=true``)."""
    found = find_chromium()
    if found is None:
        reason = (
            "no Chromium on this machine (install Debian's 'chromium' and 'fonts-noto-cjk', "
            "or set SQFW_CHROMIUM): the browser test of the HTML report is skipped"
        )
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but " + reason.replace(" is skipped", " cannot run"))
        print(reason)
        pytest.skip(reason)
    return found


@pytest.fixture
def browser(chromium: str):  # type: ignore[no-untyped-def]
    """A headless browser, closed after the test."""
    with Browser(chromium) as opened:
        yield opened
