"""Global sensitivity of the simulator's headline outputs to every prior and constant (Sobol, via SALib).

Why: the choice-model constants are weakly identified and several constants are fixed by assumption; a
reader needs to know which of them move the figures that matter — 2024 Quebec interceptions forecast from
before the Protocol, the exempt flow between ports after it, turn-backs in 2025 and 2030. Each factor varies
over a range (the calibrated parameters over their prior, mean ± 2 sd; the constants over a plausible range
stated below) and the model is run at fixed parameter values (no calibration: the question is how the output
depends on each input, not what the data say about it). First-order (S1) and total (ST) Sobol indices come
from Saltelli sampling. Every evaluation uses the same seed (common random numbers) and averages
:data:`REPEATS` replications, so the indices measure the inputs, not the Monte Carlo noise.

Run: ``python -m stca.flows._sensitivity N`` (N = Sobol base sample, a power of 2); the table in
docs/simulator.md §Sensitivity was made with N = 64.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
import polars as pl

from stca.flows._choice import PARAM_NAMES
from stca.flows._model import SERIES, Constants, simulate_block
from stca.flows._run import Prepared, prepare
from stca.flows._scenarios import get_scenario

#: Factor ranges: calibrated parameters over their prior (mean ± 2 sd, β kept in its truncation) and the
#: constants over ranges a reviewer could defend (assumptions).
FACTORS: dict[str, tuple[float, float]] = {
    "a_poe": (0.0, 4.0), "a_other": (-5.0, 1.0), "a_inland": (-4.5, -1.5), "a_air": (-3.0, 0.0),
    "beta_tb": (0.25, 6.0), "a_qc": (0.0, 4.0),
    "ineligible_weight": (0.3, 0.9), "air_infeasible_cost": (3.0, 8.0), "bridge_factor": (1.5, 4.0),
    "cap": (2.0, 5.0), "recent_months": (6.0, 24.0),
}
REPEATS = 4
SEED = 11


def _sum(series: np.ndarray, months: tuple[str, ...], key: tuple[str, str, str], first: str, last: str) -> np.ndarray:
    idx = [i for i, m in enumerate(months) if first <= m <= last]
    return series[:, idx, SERIES.index(key)].sum(axis=1)


#: Outputs: name → (cutoff, function of (series (R, T, S), months) → value per replication).
OUTPUTS = {
    "Quebec interceptions 2024 (trained before 2023-02)": (
        "2023-02", lambda s, m: _sum(s, m, ("QC", "BETWEEN_POES_LAND", "interceptions"), "2024-01", "2024-12")),
    "exempt crossings between ports a month, 2024 (trained before 2023-02)": (
        "2023-02", lambda s, m: _sum(s, m, ("CA", "BETWEEN_POES_LAND", "claims"), "2024-01", "2024-12") / 12),
    "turned back at the border Jan–Aug 2025 (all data: trained before 2026-03)": (
        "2026-03", lambda s, m: _sum(s, m, ("CA", "LAND_POE", "turned_back"), "2025-01", "2025-08")
        + _sum(s, m, ("CA", "BETWEEN_POES_LAND", "turned_back"), "2025-01", "2025-08")),
    "turned back at the border 2030 (all data: trained before 2026-03)": (
        "2026-03", lambda s, m: _sum(s, m, ("CA", "LAND_POE", "turned_back"), "2030-01", "2030-12")
        + _sum(s, m, ("CA", "BETWEEN_POES_LAND", "turned_back"), "2030-01", "2030-12")),
}


def evaluate(prepared: Prepared, x: np.ndarray) -> np.ndarray:
    """Model series (REPEATS, T, S) at one point ``x`` of :data:`FACTORS` (in its order)."""
    values = dict(zip(FACTORS, x, strict=True))
    params = np.array([[values[name] for name in PARAM_NAMES]] * REPEATS)
    constants = Constants(ineligible_weight=values["ineligible_weight"],
                          air_infeasible_cost=values["air_infeasible_cost"], bridge_factor=values["bridge_factor"],
                          cap=values["cap"], recent_months=round(values["recent_months"]))
    inputs = dataclasses.replace(prepared.inputs, constants=constants)
    return simulate_block(inputs, params, SEED)[0]


def sobol_table(n: int = 64) -> pl.DataFrame:
    """S1 and ST (with 95 % intervals) of every factor for every output; ``n`` is the Saltelli base sample."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = {"num_vars": len(FACTORS), "names": list(FACTORS), "bounds": [list(b) for b in FACTORS.values()]}
    design = sample.sample(problem, n, calc_second_order=False, seed=SEED)
    rows: list[dict[str, object]] = []
    for cutoff in sorted({c for c, _ in OUTPUTS.values()}):
        prepared = prepare(get_scenario("law"), train_until=cutoff, seed=0)
        wanted = {name: f for name, (c, f) in OUTPUTS.items() if c == cutoff}
        y: dict[str, list[float]] = {name: [] for name in wanted}
        for x in design:
            series = evaluate(prepared, x)
            for name, f in wanted.items():
                y[name].append(float(f(series, prepared.months).mean()))
        for name, values in y.items():
            res = analyze.analyze(problem, np.log1p(np.array(values)), calc_second_order=False, seed=SEED)
            for i, factor in enumerate(FACTORS):
                rows.append({"output": name, "factor": factor, "S1": float(res["S1"][i]),
                             "S1_conf": float(res["S1_conf"][i]), "ST": float(res["ST"][i]),
                             "ST_conf": float(res["ST_conf"][i])})
    return pl.DataFrame(rows)


if __name__ == "__main__":
    table = sobol_table(int(sys.argv[1]) if len(sys.argv) > 1 else 64)
    with pl.Config(tbl_rows=200, tbl_width_chars=200, fmt_str_lengths=80, float_precision=2):
        print(table)
    if len(sys.argv) > 2:
        table.write_csv(sys.argv[2])
