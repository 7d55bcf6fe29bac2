"""The desk's command line: db upgrade, admin create-user, and the demo seed."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
from conftest import stca_bin

from stca.desk import services
from stca.desk.db import make_engine, make_sessionmaker, upgrade


def _run(args: list[str], url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STCA_DATABASE_URL": url}
    return subprocess.run([*stca_bin(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_db_upgrade_and_create_user_from_stdin(new_database: Callable[[str], str]) -> None:
    url = new_database("sqlite")
    done = _run(["db", "upgrade"], url)
    assert done.returncode == 0, done.stderr
    created = _run(["admin", "create-user", "MTremblay", "--role", "supervisor", "--password-stdin"], url,
                   "a-long-password\n")
    assert created.returncode == 0 and "mtremblay (supervisor)" in created.stdout
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        assert services.authenticate(db, "mtremblay", "a-long-password") is not None
    engine.dispose()
    duplicate = _run(["admin", "create-user", "mtremblay", "--role", "supervisor", "--password-stdin"], url,
                     "a-long-password\n")
    assert duplicate.returncode == 2 and "username" in duplicate.stderr and "Traceback" not in duplicate.stderr
    bad_role = _run(["admin", "create-user", "x1", "--role", "boss", "--password-stdin"], url, "a-long-password\n")
    assert bad_role.returncode == 2 and "--role" in bad_role.stderr
    short = _run(["admin", "create-user", "x2", "--role", "admin", "--password-stdin"], url, "short\n")
    assert short.returncode == 2 and "password" in short.stderr


def test_seed_demo_creates_every_role_sites_and_cases_once(new_database: Callable[[str], str]) -> None:
    url = new_database("sqlite")
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            summary = services.seed_demo(db)
            assert summary.cases == 40 and summary.sites >= 8
            assert {u.role for u in services.list_users(db)} == {
                "intake_officer", "eligibility_officer", "supervisor", "analyst", "admin"}
            provinces = {s.province for s in services.list_sites(db)}
            assert {"QC", "ON", "NB", "PE", "MB", "BC"} <= provinces
            counts = services.status_counts(db)
            assert len(counts) >= 4  # cases at several workflow stages
            years = services.aggregate_counts(db, ["year", "encounter_type"])
            assert years["year"].n_unique() >= 5 and years["encounter_type"].n_unique() == 4
            assert services.seed_demo(db).cases == 40  # idempotent
            assert services.verify_audit(db).ok
            for username, password in summary.users.items():
                assert services.authenticate(db, username, password) is not None
    finally:
        engine.dispose()


def _serve(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start ``stca serve --port 0 …``; its base URL (read from the line it prints once the socket is bound
    and listening, so requests simply wait for the app) and the lines printed so far."""
    proc = subprocess.Popen([*stca_bin(), "serve", "--port", "0", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:  # bounded by the per-test timeout
        seen.append(line)
        if line.startswith("case desk on "):
            break
    found = re.search(r"case desk on (http://127\.0\.0\.1:\d+)/", "".join(seen))
    assert found, "".join(seen)
    return proc, found.group(1), seen


def test_serve_demo_migrates_seeds_and_answers(new_database: Callable[[str], str]) -> None:
    url = new_database("sqlite")
    proc, base, seen = _serve(["--demo"], {**os.environ, "STCA_DATABASE_URL": url})
    try:
        # generous deadlines: the first requests wait for the app, and CI machines can be slow
        with httpx.Client(base_url=base, timeout=60) as client:
            health = client.get("/healthz")
            assert health.json() == {"status": "ok", "database": "ok"}
            openapi = client.get("/openapi.json").json()
            assert "/api/v1/determinations" in openapi["paths"]
            login_page = client.get("/login", headers={"Accept": "text/html"})
            assert login_page.status_code == 200 and 'name="password"' in login_page.text
            login = client.post("/api/v1/session", json={"username": "supervisor", "password": "supervisor-demo"})
            assert login.status_code == 200
            assert client.get("/api/v1/cases").json()["total"] == 40
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    output = "".join(seen) + output
    assert f"Open {base}/login" in output
    for username, (role, password) in services.DEMO_USERS.items():
        assert re.search(rf"{role.replace('_', ' ')}\s+{username}\s+{password}", output), output


def test_serve_demo_without_a_database_url_keeps_demo_data_out_of_the_default_database(tmp_path: Path) -> None:
    """Demo accounts have published passwords: with no STCA_DATABASE_URL they go to demo.sqlite3 only."""
    env = {k: v for k, v in os.environ.items() if k != "STCA_DATABASE_URL"}
    env["XDG_DATA_HOME"] = str(tmp_path)
    proc, base, seen = _serve(["--demo"], env)
    try:
        assert httpx.get(f"{base}/healthz", timeout=60).status_code == 200
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    output = "".join(seen) + output
    data = tmp_path / "stca"
    assert (data / "demo.sqlite3").exists(), output
    assert not (data / "desk.sqlite3").exists()
    assert "demo.sqlite3" in output
