"""Browser-test fixtures: one seeded desk server and one chromium for the whole ``browser`` group.

The server is a real uvicorn process serving a socket this fixture binds to a free 127.0.0.1 port and
hands over (as tests/desk/conftest.py does with its thread), with a fresh SQLite database migrated by
Alembic and filled by ``seed_demo``; the browser is Debian's chromium driven by Playwright (never
Playwright's own download). Tests are marked ``browser`` and share the ``browser`` xdist group, so
``pytest -n 2 --dist loadgroup`` runs them on one worker that owns both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from stca.desk.db import make_engine, make_sessionmaker, upgrade
from stca.desk.services import DEMO_USERS, seed_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
#: Where screenshots go: out/screenshots (ignored by git) unless STCA_SCREENSHOT_DIR says otherwise; the
#: README's pictures are refreshed with STCA_SCREENSHOT_DIR=docs/screenshots ./run test tests/browser
SCREENSHOTS = Path(os.environ.get("STCA_SCREENSHOT_DIR", ROOT / "out" / "screenshots"))
#: Demo cases seeded for the browser tests (enough for every chart, few enough to seed quickly).
SEEDED_CASES = 40


def _listening_socket() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port and listening: connections queue until the server serves,
    so nobody else can take the port between choosing it and serving on it, and nobody has to poll."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQLite database of the test server (tests may open it to arrange or inspect data)."""
    return f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.sqlite3'}"


@pytest.fixture(scope="session")
def db_sessions(database_url: str, desk_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the server's database, for arranging data through the real service layer."""
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def desk_url(database_url: str) -> Iterator[str]:
    """Base URL of a freshly migrated and seeded desk server."""
    upgrade(database_url)
    engine = make_engine(database_url)
    session = make_sessionmaker(engine)()
    try:
        seed_demo(session, cases=SEEDED_CASES)
    finally:
        session.close()
        engine.dispose()
    yield from _serve(database_url)


def _serve(database_url: str, *extra: str) -> Iterator[str]:
    """Run ``_serve.py`` on a socket bound here and handed over; yield its base URL, then stop it."""
    sock = _listening_socket()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_serve.py")), database_url,
                             str(sock.fileno()), *extra], env=env, pass_fds=(sock.fileno(),))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()  # the server holds the only copy now: if it dies, connecting fails at once
    try:
        # Waits in the socket's queue until the server has started, then answers.
        with urllib.request.urlopen(f"{base}/healthz", timeout=60) as response:
            assert response.status == 200, f"desk server answered {response.status}"
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


#: Session lifetime of the second server (seconds): long enough to sign in and answer, short enough to wait for.
SHORT_SESSION = 6


@pytest.fixture(scope="session")
def short_session_url(database_url: str, desk_url: str) -> Iterator[str]:
    """A second server on the same database whose sessions end after ``SHORT_SESSION`` seconds idle."""
    yield from _serve(database_url, str(SHORT_SESSION))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (one per worker)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run ./run test (it installs Debian's chromium)"
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture()
def page(browser: Browser, desk_url: str) -> Iterator[Page]:
    """A fresh browser context (own cookies) per test, at a desktop size for readable screenshots."""
    context = browser.new_context(base_url=desk_url, viewport={"width": 1360, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Page, username: str) -> None:
    """Sign in through the login form as one of the demo accounts."""
    _role, password = DEMO_USERS[username]
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot NAME.png in ``SCREENSHOTS`` (docs/screenshots/ holds the published ones)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky panels are drawn where the scroll leaves them
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
