"""A case desk in its own process group, and a bounded crowd of clients against it (loopback only).

Used by ``bench_desk_load`` (throughput and latency beside ``/healthz``) and by the crash test of the
suite (``tests/desk/test_crash.py``), which kills the server with SIGKILL in the middle of intakes.

Why a real ``stca serve`` process: workers, WAL, the write lock and the audit chain are only exercised
by the command the operator runs; ``kill -9`` needs a process of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import signal
import statistics
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from benchmarks._harness import VENV_BIN

PASSWORD = "load-test-password"
INTAKE_BODY: dict[str, Any] = {
    "encounter_type": "LAND_POE",
    "place": "Lacolle (St-Bernard-de-Lacolle) POE",
    "encountered_at": "2024-05-01T10:30:00-04:00",
    "province": "QC",
    "claimant_name": "Load Claimant",
    "family_members": [{"name": "Load Child", "relationship": "CHILD"}],
}
"""One intake: the case, its family member, its first fact version, its status change and audit rows."""


def prepare(database_url: str, audit_key: str, username: str = "intake") -> None:
    """Migrate the database and create the intake officer the clients log in as."""
    from stca.desk import services
    from stca.desk.db import make_engine, make_sessionmaker, upgrade

    upgrade(database_url, audit_key=audit_key.encode())
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine, audit_key=audit_key.encode())() as db:
            services.create_user(db, None, username=username, password=PASSWORD, role="intake_officer",
                                 scope={"national": True})
    finally:
        engine.dispose()


@dataclass
class DeskProcess:
    """``stca serve`` on 127.0.0.1, leader of its own process group (its workers included)."""

    base_url: str
    proc: subprocess.Popen[bytes]

    @classmethod
    def start(cls, database_url: str, audit_key: str, *, workers: int = 1, timeout: float = 90) -> DeskProcess:
        """Start the server and return once ``/healthz`` answers (or raise with its output)."""
        env = {**os.environ, "STCA_DATABASE_URL": database_url, "STCA_AUDIT_KEY": audit_key,
               "STCA_SECRET_KEY": "load-secret-" + "s" * 32}
        # --port 0: the server binds a free port itself and prints it once listening (no port guessed here)
        proc = subprocess.Popen([str(VENV_BIN / "stca"), "serve", "--port", "0", "--workers", str(workers)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        assert proc.stdout is not None
        printed = b""
        for line in proc.stdout:  # the caller's timeout bounds this (pytest-timeout in the tests)
            printed += line
            if line.startswith(b"case desk on "):
                break
        found = re.search(rb"case desk on (http://127\.0\.0\.1:\d+)/", printed)
        if not found:
            proc.wait(timeout)
            raise RuntimeError(f"stca serve exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        # uvicorn writes an access line per request to stdout: keep reading it so the pipe never fills
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        desk = cls(found.group(1).decode(), proc)
        # connections wait in the listening socket's queue until the workers serve them
        if httpx.get(f"{desk.base_url}/healthz", timeout=timeout).status_code != 200:
            desk.kill()
            raise RuntimeError("stca serve did not answer /healthz")
        return desk

    def kill(self) -> None:
        """SIGKILL the whole group at once: no shutdown, no flush — a power cut for the desk."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        if self.proc.stderr:
            self.proc.stderr.close()

    def stop(self) -> None:
        """SIGTERM the group (uvicorn shuts down gracefully); SIGKILL if it lingers."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
            return
        if self.proc.stderr:
            self.proc.stderr.close()


def login(base_url: str, username: str = "intake") -> tuple[dict[str, str], dict[str, str]]:
    """(cookies, headers) of a fresh session: the CSRF token rides in ``X-CSRF-Token``."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        return dict(client.cookies), {"X-CSRF-Token": response.json()["csrf_token"], "Accept": "application/json"}


@dataclass
class LoadReport:
    """What a crowd of clients saw."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)
    """Idempotency-Key → case id of every intake the server answered 201 or 200 (replayed)."""
    replays_mismatched: int = 0
    notify_at: int = 0
    """When this many intakes are acknowledged, ``reached`` is set (the crash test kills the server then)."""
    reached: threading.Event = field(default_factory=threading.Event)
    _keys: list[str] = field(default_factory=list)
    _ids: list[int] = field(default_factory=list)

    def acknowledge(self, key: str, case_id: int) -> None:
        """Record an intake the server confirmed."""
        if key not in self.acknowledged:
            self._keys.append(key)
            self._ids.append(case_id)
        self.acknowledged[key] = case_id
        if self.notify_at and len(self.acknowledged) >= self.notify_at:
            self.reached.set()

    @property
    def requests(self) -> int:
        """Requests answered (errors included)."""
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Latency percentile in seconds (``q`` in 0–1)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def median(self) -> float:
        """Median latency in seconds."""
        return statistics.median(self.latencies) if self.latencies else float("nan")


def run_load(base_url: str, *, clients: int, seconds: float, write_share: float = 0.3, healthz_only: bool = False,
             cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             stop: threading.Event | None = None, max_requests: int = 1_000_000, seed: int = 12,
             report: LoadReport | None = None) -> LoadReport:
    """``clients`` concurrent clients for at most ``seconds`` (and ``max_requests``), then a report.

    Reads are the case list and single cases already acknowledged; writes are intakes with an
    Idempotency-Key, one in ten a retry of an acknowledged key (which must answer the same case).
    ``stop`` ends the run early (the crash test sets it once the server is dead); ``report`` is filled
    as the run goes (another thread may watch it).
    """
    report = report if report is not None else LoadReport(seconds=0.0)
    asyncio.run(_load(base_url, clients, seconds, write_share, healthz_only, cookies or {}, headers or {},
                      stop, max_requests, seed, report))
    return report


async def _load(base_url: str, clients: int, seconds: float, write_share: float, healthz_only: bool,
                cookies: dict[str, str], headers: dict[str, str], stop: threading.Event | None, max_requests: int,
                seed: int, report: LoadReport) -> None:
    start = time.perf_counter()
    deadline = start + seconds
    rng = random.Random(seed)
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, cookies=cookies, headers=headers, timeout=30,
                                 limits=limits) as client:

        async def one_client() -> None:
            nonlocal sent
            while time.perf_counter() < deadline and sent < max_requests and not (stop and stop.is_set()):
                sent += 1
                began = time.perf_counter()
                try:
                    await _one_request(client, rng, report, write_share, healthz_only)
                except httpx.TransportError as exc:
                    report.errors.append(f"{type(exc).__name__}: {exc}")
                    if stop is not None:
                        stop.set()  # the server is gone: the crash test takes it from here
                report.latencies.append(time.perf_counter() - began)

        await asyncio.gather(*(one_client() for _ in range(clients)))
    report.seconds = time.perf_counter() - start


async def _one_request(client: httpx.AsyncClient, rng: random.Random, report: LoadReport, write_share: float,
                      healthz_only: bool) -> None:
    if healthz_only:
        response = await client.get("/healthz")
        if response.status_code != 200:
            report.errors.append(f"GET /healthz: {response.status_code}")
        return
    if rng.random() < write_share:
        retry = bool(report._keys) and rng.random() < 0.1
        key = rng.choice(report._keys) if retry else uuid.uuid4().hex
        response = await client.post("/api/v1/cases", json=INTAKE_BODY, headers={"Idempotency-Key": key})
        if response.status_code in (200, 201):
            case_id = int(response.json()["id"])
            if retry and report.acknowledged.get(key) != case_id:
                report.replays_mismatched += 1
            report.acknowledge(key, case_id)
        else:
            report.errors.append(f"POST /api/v1/cases: {response.status_code} {response.text[:200]}")
        return
    if report._ids and rng.random() < 0.5:
        case_id = rng.choice(report._ids)
        response = await client.get(f"/api/v1/cases/{case_id}")
    else:
        response = await client.get("/api/v1/cases", params={"limit": 20})
    if response.status_code != 200:
        report.errors.append(f"GET {response.url.path}: {response.status_code} {response.text[:200]}")
