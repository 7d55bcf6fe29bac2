"""Case-desk test fixtures: a real uvicorn server on 127.0.0.1 over SQLite and over real PostgreSQL.

``desk`` is parametrised over both databases, so every test that uses it runs twice. Each server
gets its own fresh database, migrated with the packaged Alembic scripts, and one account per role
(plus a second eligibility officer and supervisor for four-eyes tests).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import itsdangerous
import pytest
import uvicorn
from conftest_pg import pg_database, pg_server, pg_url  # noqa: F401  (re-exported fixtures)
from sqlalchemy.orm import Session

from stca.desk import services
from stca.desk.app import create_app
from stca.desk.config import Settings
from stca.desk.db import upgrade

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PASSWORD = "correct-horse-battery"
AUDIT_KEY = "test-audit-key-" + "k" * 32
"""The audit key of every test desk (``STCA_AUDIT_KEY`` for the command lines the tests run)."""
ACCOUNTS = {
    "intake": "intake_officer",
    "eligibility": "eligibility_officer",
    "supervisor": "supervisor",
    "supervisor2": "supervisor",
    "analyst": "analyst",
    "admin": "admin",
}
FRESH_ACCOUNTS = {"intake": "intake_officer", "admin": "admin"}
ROLE_LOGIN = {"intake_officer": "intake", "eligibility_officer": "eligibility", "supervisor": "supervisor",
              "analyst": "analyst", "admin": "admin"}


@dataclass
class Desk:
    """A running desk: its base URL, database URL and app, plus helpers to log in."""

    backend: str
    database_url: str
    base_url: str
    app: Any
    server: uvicorn.Server
    thread: threading.Thread
    clients: list[httpx.Client] = field(default_factory=list)
    logged_in: dict[str, httpx.Client] = field(default_factory=dict)

    def anonymous(self) -> httpx.Client:
        """A client without a session."""
        client = httpx.Client(base_url=self.base_url, timeout=30, headers={"Accept": "application/json"})
        self.clients.append(client)
        return client

    def login(self, username: str, password: str = PASSWORD, *, fresh: bool = False) -> httpx.Client:
        """A client logged in as ``username`` that sends the CSRF token on every request.

        Logins are cached per desk (argon2 is deliberately slow); ``fresh=True`` gives a new session
        for tests that change the client or end its session.
        """
        if not fresh and username in self.logged_in:
            return self.logged_in[username]
        client = self.anonymous()
        response = client.post("/api/v1/session", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        if not fresh:
            self.logged_in[username] = client
        return client

    def signed_in(self, username: str) -> httpx.Client:
        """A new client with a new server-side session of ``username``, opened without the password
        (no argon2: for tests that need many sessions). The cookie is signed exactly as Starlette's
        ``SessionMiddleware`` signs it, with the desk's own key."""
        with self.session() as db:
            user = next(u for u in services.list_users(db) if u.username == username)
            token, _view = services.start_session(db, user, max_age=dt.timedelta(hours=8),
                                                  idle=dt.timedelta(minutes=30), client="127.0.0.1",
                                                  user_agent="tests")
        csrf = secrets.token_urlsafe(16)
        payload = base64.b64encode(json.dumps({"sid": token, "csrf_token": csrf}).encode())
        settings = self.app.state.settings
        client = self.anonymous()
        client.cookies.set(settings.session_cookie,
                           itsdangerous.TimestampSigner(settings.secret_key).sign(payload).decode())
        client.headers["X-CSRF-Token"] = csrf
        return client

    def as_role(self, role: str, *, fresh: bool = False) -> httpx.Client:
        """A client logged in with the main account of ``role``."""
        return self.login(ROLE_LOGIN[role], fresh=fresh)

    def session(self) -> Session:
        """A database session on the same database (for direct checks)."""
        return self.app.state.sessionmaker()

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.engine.dispose()


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections queue from now on: the first request waits for the server, no polling
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{port}"


def start_desk(backend: str, database_url: str, *, accounts: dict[str, str] | None = None,
               **settings: Any) -> Desk:
    """Migrate ``database_url``, create the test accounts (national scope) and serve the desk on a free
    port; ``settings`` override ``Settings`` fields (plain HTTP on loopback: cookies not "Secure")."""
    upgrade(database_url)
    # Every test client is 127.0.0.1: the per-address limits are raised here (per-account ones are not);
    # tests/desk/test_security.py runs desks with the real limits.
    options: dict[str, Any] = {"cookie_secure": False, "public_requests_per_minute": 100_000,
                               "login_failures_per_client": 10_000, **settings}
    app = create_app(Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32,
                              audit_key=AUDIT_KEY, **options))
    with app.state.sessionmaker() as db:
        for username, role in (ACCOUNTS if accounts is None else accounts).items():
            services.create_user(db, None, username=username, password=PASSWORD, role=role,
                                 scope={"national": True})
    server, thread, base = _serve(app)
    return Desk(backend, database_url, base, app, server, thread)


@pytest.fixture(scope="session")
def new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Factory: a fresh, empty database URL for ``"sqlite"`` or ``"postgres"``."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            path: Path = tmp_path_factory.mktemp("desk-sqlite") / "desk.sqlite3"
            return f"sqlite:///{path}"
        return str(request.getfixturevalue("pg_database")())

    return make


@pytest.fixture(scope="session", params=BACKENDS)
def desk(request: pytest.FixtureRequest, new_database: Callable[[str], str]) -> Iterator[Desk]:
    """A desk server shared by the tests of one worker, on each database in turn."""
    running = start_desk(request.param, new_database(request.param))
    yield running
    running.stop()


@pytest.fixture(params=BACKENDS)
def fresh_desk(request: pytest.FixtureRequest, new_database: Callable[[str], str]) -> Iterator[Desk]:
    """A desk on its own new database (for tests that must start empty or break things)."""
    running = start_desk(request.param, new_database(request.param), accounts=FRESH_ACCOUNTS)
    yield running
    running.stop()


def case_body(**overrides: Any) -> dict[str, Any]:
    """A valid new-case body (Lacolle land port, 2024), with overrides."""
    body: dict[str, Any] = {
        "encounter_type": "LAND_POE",
        "place": "Lacolle (St-Bernard-de-Lacolle) POE",
        "encountered_at": "2024-05-01T10:30:00-04:00",
        "province": "QC",
        "claimant_name": "Test Claimant",
        "family_members": [{"name": "Test Child", "relationship": "CHILD"}],
    }
    body.update(overrides)
    return body
