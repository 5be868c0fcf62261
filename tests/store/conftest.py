"""Fixtures of the store tests: every test runs on SQLite (memory and file) and PostgreSQL.

PostgreSQL is reached through ``SQFW_TEST_POSTGRESQL_URL``. Without it the PostgreSQL
tests are skipped with the reason printed, except in CI (``CI=true``), where they fail:
CI starts a server, so a missing URL is a broken CI, not a missing feature.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import KEY, workflows

pytest.importorskip("sqlalchemy")

import sqlalchemy as sa

from sqfw.store import SqlStore

URL_VARIABLE = "SQFW_TEST_POSTGRESQL_URL"
ENGINES = ["sqlite-memory", "sqlite-file", "postgresql"]


def postgresql_url() -> str:
    """The test server's URL, or skip (fail in CI) with the reason."""
    url = os.environ.get(URL_VARIABLE)
    if url:
        return url
    message = f"PostgreSQL tests need {URL_VARIABLE} (e.g. postgresql://user@host/db)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {message}; .ci/run starts a server and sets it")
    pytest.skip(message)


def reset_postgresql(url: str) -> None:
    """Drop the sqfw tables and functions, so each test starts from an empty database."""
    engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TABLE IF EXISTS sqfw_entries, sqfw_records, sqfw_schema CASCADE; "
            "DROP FUNCTION IF EXISTS sqfw_refuse, sqfw_forward"
        )
    engine.dispose()


def target_for(engine: str, tmp_path: Path) -> str:
    if engine == "sqlite-memory":
        return ":memory:"
    if engine == "sqlite-file":
        return str(tmp_path / "records.db")
    url = postgresql_url()
    reset_postgresql(url)
    return url


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def target(engine_name: str, tmp_path: Path) -> str:
    return target_for(engine_name, tmp_path)


@pytest.fixture
def store(target: str) -> Iterator[SqlStore]:
    opened = SqlStore(target, workflows=workflows())
    yield opened
    opened.dispose()


@pytest.fixture
def keyed(target: str) -> Iterator[SqlStore]:
    """A store that checks every entry's signature with :data:`store_helpers.KEY`."""
    opened = SqlStore(target, workflows=workflows(), keys=[KEY])
    yield opened
    opened.dispose()
