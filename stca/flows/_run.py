"""Prepare a scenario (law answers, calibration, observations) and run its replications on Dask.

Reproducibility: parameter draws come from ``seed`` and replications are cut into fixed blocks of
:data:`BLOCK` whose seeds are spawned from ``seed``, so the result is the same for any number of workers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from stca.data import month_grid
from stca.flows._calibrate import Posterior, calibrate
from stca.flows._choice import route_arrays
from stca.flows._demand import period_totals
from stca.flows._model import RECEPTION_MEASURES, RECEPTION_PROVINCES, SERIES, Block, Inputs, simulate_block
from stca.flows._observed import FIRST_MONTH, Observed, day_share, observed, route_noise_variance
from stca.flows._scenarios import Mode, Scenario, realtime_inputs
from stca.flows._turnback import legal_outcomes

LAST_MONTH = "2030-12"
ALL_MONTHS: tuple[str, ...] = tuple(month_grid(FIRST_MONTH, LAST_MONTH))
BLOCK = 25
#: Default cutoff: the first month after the last publication date of any shipped figure, so that a run
#: "on all data" sees every figure (fitting at a cutoff only uses figures published before it).
DEFAULT_TRAIN_UNTIL = "2026-03"


@dataclass(frozen=True)
class Prepared:
    """A scenario ready to run: inputs for the blocks, the posterior and the observations."""

    scenario: Scenario
    inputs: Inputs
    posterior: Posterior
    observed: Observed
    months: tuple[str, ...] = ALL_MONTHS
    mode: Mode = "policy-conditional"


@dataclass
class Result:
    """Replication arrays and their summaries."""

    prepared: Prepared
    series: np.ndarray  # (R, T, S)
    reception: np.ndarray  # (R, T, P, M)
    params: np.ndarray  # (R, P)
    extra: dict[str, object] = field(default_factory=dict)

    def frame(self, start: str = FIRST_MONTH, end: str | None = None) -> pl.DataFrame:
        """Contract series (contract.md §6): month, province, route, measure, mean, p05, p95 (to the horizon)."""
        return _summarise(self.series, self.prepared.months, SERIES, start, end or self.prepared.months[-1])

    def reception_frame(self, start: str = FIRST_MONTH, end: str | None = None) -> pl.DataFrame:
        """Reception capacity measures by province (month, province, measure, mean, p05, p95)."""
        end = end or self.prepared.months[-1]
        r, t, p, m = self.reception.shape
        keys = [(prov, "ALL", meas) for prov in RECEPTION_PROVINCES for meas in RECEPTION_MEASURES]
        flat = self.reception.reshape(r, t, p * m)
        return _summarise(flat, self.prepared.months, keys, start, end).rename({"route": "scope"}).drop("scope")


def _summarise(arr: np.ndarray, months: tuple[str, ...], keys: list[tuple[str, str, str]], start: str,
               end: str) -> pl.DataFrame:
    lo, hi = months.index(start), months.index(end) + 1
    a = arr[:, lo:hi]
    mean = a.mean(axis=0)
    p05, p95 = np.quantile(a, [0.05, 0.95], axis=0)
    t_len, s_len = mean.shape
    return pl.DataFrame({
        "month": np.repeat(np.array(months[lo:hi]), s_len),
        "province": np.tile([k[0] for k in keys], t_len),
        "route": np.tile([k[1] for k in keys], t_len),
        "measure": np.tile([k[2] for k in keys], t_len),
        "mean": mean.ravel().astype(np.float64),
        "p05": p05.ravel().astype(np.float64),
        "p95": p95.ravel().astype(np.float64),
    })


def horizon(end: str, train_until: str) -> tuple[str, ...]:
    """Months simulated: 2017-01 to ``end``, or to the last training month when that is later (the demand
    history must reach every training figure).

    >>> horizon("2019-12", "2023-02")[-1], horizon("2026-06", "2023-02")[-1]
    ('2023-01', '2026-06')
    """
    last_training = ALL_MONTHS[max(ALL_MONTHS.index(train_until) - 1, 0)] if train_until in ALL_MONTHS else LAST_MONTH
    return ALL_MONTHS[: ALL_MONTHS.index(max(end, last_training)) + 1]


def prepare(scenario: Scenario, train_until: str = DEFAULT_TRAIN_UNTIL, seed: int = 0,
            end: str = LAST_MONTH, mode: Mode = "policy-conditional") -> Prepared:
    """Ask the engine (cached), split the data at ``train_until`` and calibrate on the training part.

    Args:
        scenario: what to simulate.
        train_until: first month withheld from calibration.
        seed: seed of the calibration draws.
        end: last month simulated (``--to``): the arrays, and so the work, stop there.
        mode: ``policy-conditional`` knows every date of the law; ``real-time`` (``law`` scenario only)
            decides the months from ``train_until`` on by the law as known at the cutoff
            (``stca.flows._scenarios.realtime_inputs``).
    """
    if mode == "real-time" and (scenario.policy != "law" or scenario.close_quebec_corridor_from is not None):
        raise ValueError(f"mode real-time: only the scenario law has a real-time reading, not {scenario.name}")
    months = horizon(end, train_until)
    t_len = len(months)
    fact, profiles = legal_outcomes("law", ALL_MONTHS)
    weights = np.array([p.weight for p in profiles], dtype=np.float32)
    can_fly = np.array([p.can_fly for p in profiles])
    ftb, fin = route_arrays(fact.turned_back_split[:, :, :t_len], fact.ineligible_split[:, :, :t_len])
    scen = fact if scenario.policy == "law" else legal_outcomes(scenario.policy, ALL_MONTHS)[0]
    closed = None
    if scenario.close_quebec_corridor_from is not None:
        closed = np.array([m >= scenario.close_quebec_corridor_from for m in months])
    stb, sin = route_arrays(scen.turned_back_split[:, :, :t_len], scen.ineligible_split[:, :, :t_len], closed)
    obs = observed(train_until)
    merged: dict[str, tuple[float, bool]] = {m: (v, False) for m, v in obs.qc.items()}
    merged.update({m: (v, True) for m, v in obs.total.items()})
    observed_months = sorted(merged)
    if not observed_months:
        raise ValueError(f"no training data before {train_until}; the first published month is {FIRST_MONTH}")
    index = {m: i for i, m in enumerate(months)}
    pinned = {**{y: (v, False) for y, v in obs.annual_qc.items() if y not in obs.annual_total},
              **{y: (v, True) for y, v in obs.annual_total.items()}}
    years = sorted(pinned)
    year_months = np.array([[index[f"{y}-{m:02d}"] for m in range(1, 13)] for y in years], dtype=np.int64)
    if obs.covid_turn_backs is None:
        window, covid_y = np.zeros(t_len), float("nan")
    else:
        first, last, covid_y = obs.covid_turn_backs
        window = day_share(months, dt.date.fromisoformat(first), dt.date.fromisoformat(last) + dt.timedelta(days=1))
    inputs = Inputs(
        fact_tb=ftb, fact_inel=fin, scen_tb=stb, scen_inel=sin, weights=weights, can_fly=can_fly,
        obs_t=np.array([index[m] for m in observed_months]),
        obs_y=np.array([merged[m][0] for m in observed_months]),
        obs_total=np.array([merged[m][1] for m in observed_months]),
        year_months=year_months.reshape(len(years), 12),
        year_y=np.array([pinned[y][0] for y in years], dtype=float),
        year_total=np.array([pinned[y][1] for y in years], dtype=bool),
        closure=fact.closed_share[:t_len], covid_window=window, covid_y=covid_y,
        nb_shape=1.0 / route_noise_variance(obs),
        totals=tuple(period_totals(train_until, months)),
        hold_until=int(year_months.max()) if len(years) else -1,
    )
    posterior = _posterior(train_until, seed)
    if mode == "real-time":
        inputs = realtime_inputs(inputs, months, train_until)
    return Prepared(scenario, inputs, posterior, obs, months, mode=mode)


@lru_cache(maxsize=8)
def _posterior(train_until: str, seed: int) -> Posterior:
    """Calibration at a cutoff (cached): it reads only the factual law and the training figures, so every
    scenario and every ``--to`` of one cutoff and seed shares it (``--compare`` calibrates once)."""
    fact, profiles = legal_outcomes("law", ALL_MONTHS)
    weights = np.array([p.weight for p in profiles], dtype=np.float32)
    can_fly = np.array([p.can_fly for p in profiles])
    mean_tb, mean_inel = route_arrays(fact.turned_back, fact.ineligible)  # all sampled days, all months
    return calibrate(observed(train_until), ALL_MONTHS, mean_tb, mean_inel, weights, can_fly, seed=seed)


def _blocks(runs: int, seed: int, posterior: Posterior) -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng([seed, 1])
    params = posterior.sample(runs, rng)
    children = np.random.SeedSequence(seed).spawn((runs + BLOCK - 1) // BLOCK)
    return [(params[i * BLOCK:(i + 1) * BLOCK], int(children[i].generate_state(1)[0]))
            for i in range(len(children))]


def run_local(prepared: Prepared, runs: int, seed: int) -> Result:
    """Run every block in this process (no Dask): used by the benchmark baseline and doctest-size checks."""
    outs = [simulate_block(prepared.inputs, p, s) for p, s in _blocks(runs, seed, prepared.posterior)]
    return _collect(prepared, outs, seed, runs)


def simulate_blocks(inputs: Inputs, blocks: list[tuple[np.ndarray, int]]) -> Block:
    """Several seeded blocks in one task, concatenated (a Dask task runs many blocks: fewer, larger results)."""
    outs = [simulate_block(inputs, p, s) for p, s in blocks]
    return (np.concatenate([o[0] for o in outs]), np.concatenate([o[1] for o in outs]),
            np.concatenate([o[2] for o in outs]))


#: Blocks per Dask task: at most this many, and at least enough tasks to keep every worker busy (4 per worker).
BLOCKS_PER_TASK = 16


def _collect(prepared: Prepared, outs: list[Block], seed: int, runs: int) -> Result:
    params = np.concatenate([p for p, _ in _blocks(runs, seed, prepared.posterior)])
    return Result(prepared, np.concatenate([o[0] for o in outs]), np.concatenate([o[1] for o in outs]), params,
                  {"pandemic_multiplier": np.concatenate([o[2] for o in outs])})


def make_client(scheduler: str | None, workers: int | None) -> object:
    """A Dask client: the cluster at ``scheduler``, or a local process cluster sized to the machine."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="10s")
    import dask.config

    n = workers or os.cpu_count() or 1
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also switches off glibc's dynamic mmap
    # threshold: every large temporary array of a block is then mmapped and zero-filled afresh, which made a
    # block 2–4× slower in a worker than in this process. The single-thread BLAS settings are kept.
    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=40)
    return Client(cluster)


def run_dask(prepared: Prepared, runs: int, seed: int, client: object,
             progress: Callable[[int, int], None] | None = None) -> Result:
    """Run the blocks on ``client`` (a ``distributed.Client``), reporting ``progress(done, total)`` per task.

    Blocks are grouped into tasks (:data:`BLOCKS_PER_TASK`) so that scheduling and result transfer do not eat
    the gain of a second worker; each block keeps its own seed, so grouping never changes a number.
    """
    from distributed import Client, as_completed

    assert isinstance(client, Client)
    blocks = _blocks(runs, seed, prepared.posterior)
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    size = max(1, min(BLOCKS_PER_TASK, -(-len(blocks) // (4 * workers))))
    tasks = [blocks[i:i + size] for i in range(0, len(blocks), size)]
    shared = client.scatter(prepared.inputs, broadcast=True, hash=False)  # fresh key per run
    futures = [client.submit(simulate_blocks, shared, task, pure=False) for task in tasks]
    order = {f.key: i for i, f in enumerate(futures)}
    outs: list[Block | None] = [None] * len(futures)
    for done, fut in enumerate(as_completed(futures), start=1):
        outs[order[fut.key]] = fut.result()
        if progress is not None:
            progress(done, len(futures))
    return _collect(prepared, [o for o in outs if o is not None], seed, runs)
