"""Simulator speed: 1,000 replications of 2017-01 → 2030-12 on the local Dask cluster, and 1 → 2 workers.

Baseline: the same blocks run in this process without Dask (same seed, same numbers), so the ratio says
what the cluster costs or gains on this machine. Timings exclude cluster start-up (reported separately)
and the once-per-policy law evaluation (cached on disk; reported separately, cold).
"""

from __future__ import annotations

import os
import tempfile
import time

from benchmarks._harness import Figure


def _timed_dask(prepared: object, runs: int, workers: int) -> tuple[float, float]:
    from stca.flows import make_client, run_dask

    start = time.perf_counter()
    client = make_client(None, workers)
    startup = time.perf_counter() - start
    try:
        run_dask(prepared, min(runs, 100), 99, client)  # warm the workers (imports, scattered inputs)
        start = time.perf_counter()
        run_dask(prepared, runs, 0, client)
        return time.perf_counter() - start, startup
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()  # type: ignore[attr-defined]
        if cluster is not None:
            cluster.close()


def run(quick: bool = False) -> list[Figure]:
    """Measure law evaluation (cold), preparation, in-process and Dask replications."""
    from stca.flows import get_scenario, prepare, run_local
    from stca.flows._run import ALL_MONTHS
    from stca.flows._turnback import legal_outcomes

    runs = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as cache:
        old = os.environ.get("STCA_CACHE_DIR")
        os.environ["STCA_CACHE_DIR"] = cache
        legal_outcomes.cache_clear()
        start = time.perf_counter()
        legal_outcomes("law", ALL_MONTHS)
        cold = time.perf_counter() - start
        if old is None:
            del os.environ["STCA_CACHE_DIR"]
        else:
            os.environ["STCA_CACHE_DIR"] = old
    start = time.perf_counter()
    prepared = prepare(get_scenario("law"), seed=0)
    prep = time.perf_counter() - start
    start = time.perf_counter()
    run_local(prepared, runs, 0)
    local = time.perf_counter() - start
    one, startup1 = _timed_dask(prepared, runs, 1)
    two, startup2 = _timed_dask(prepared, runs, 2)
    return [
        Figure("law engine: population × 4 routes × 168 months × 6 days (cold)", cold, "s",
               baseline="once per policy, then cached on disk"),
        Figure("prepare (cached law + calibration)", prep, "s"),
        Figure(f"{runs} runs 2017-01→2030-12, in process (no Dask)", local, "s"),
        Figure(f"{runs} runs, Dask 1 worker", one, "s", baseline=f"in process {local:.2f} s",
               ratio=one / local),
        Figure(f"{runs} runs, Dask 2 workers", two, "s", baseline=f"1 worker {one:.2f} s", ratio=two / one,
               target="< 60 s" if not quick else "", met=(two < 60) if not quick else None),
        Figure("Dask cluster start-up (1 / 2 workers)", startup2, "s", baseline=f"1 worker {startup1:.1f} s"),
    ]
