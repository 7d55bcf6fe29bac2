"""Browser-test fixtures: one seeded desk server and one chromium for the whole ``browser`` group.

The server is a real uvicorn process on a free 127.0.0.1 port with a fresh SQLite database migrated
by Alembic and filled by ``seed_demo``; the browser is Debian's chromium driven by Playwright (never
Playwright's own download). Tests are marked ``browser`` and share the ``browser`` xdist group, so
``pytest -n 2 --dist loadgroup`` runs them on one worker that owns both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"desk server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"desk server did not answer {url} within {timeout} s")


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
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_serve.py")), database_url, str(port)],
                            env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


#: Session lifetime of the second server (seconds): long enough to sign in and answer, short enough to wait for.
SHORT_SESSION = 6


@pytest.fixture(scope="session")
def short_session_url(database_url: str, desk_url: str) -> Iterator[str]:
    """A second server on the same database whose sessions end after ``SHORT_SESSION`` seconds idle."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_serve.py")), database_url, str(port),
                             str(SHORT_SESSION)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
