"""What is known holds in every replication: published totals bound the demand path, bridges stay near their
published ends, forecasts revert to the level at the cutoff; ``--to`` shortens the work without changing the
months it keeps; routes are named; every prior and constant is in the sensitivity analysis."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from stca.flows import ALL_MONTHS, SERIES, Prepared, Route, get_scenario, prepare, run_local
from stca.flows._choice import CHOICES, PARAM_NAMES, route_arrays
from stca.flows._demand import Total, constrain_to_totals, paths
from stca.flows._model import Constants
from stca.flows._sensitivity import FACTORS, evaluate

CANADA = SERIES.index(("CA", "BETWEEN_POES_LAND", "interceptions"))


def _year(result_series: np.ndarray, year: int) -> np.ndarray:
    idx = [i for i, m in enumerate(ALL_MONTHS) if m.startswith(str(year))]
    return result_series[:, idx, CANADA]


def test_annual_totals_bound_every_replication(prepared: dict[str, Prepared]) -> None:
    result = run_local(prepared["law"], 40, 5)
    y2019 = _year(result.series, 2019)
    # 16,503 published for 2019 (seven months have no monthly figure): the year holds, no month runs away
    assert 16503 * 0.85 < float(np.median(y2019.sum(axis=1))) < 16503 * 1.15
    assert float(y2019.max()) < 16503 / 3
    assert 1302 * 0.8 < float(np.median(_year(result.series, 2024).sum(axis=1))) < 1302 * 1.2


def test_constraint_rescales_only_unpublished_months() -> None:
    log_d = np.log(np.array([[100.0, 100.0, 100.0, 100.0]]))
    share = np.ones((1, 4))
    fixed = np.array([True, False, False, True])
    out = constrain_to_totals(log_d, [Total(np.ones(4), 1000.0, True, "test")], share, share, fixed)
    assert np.exp(out).sum() == pytest.approx(1000.0)
    assert np.exp(out[0, [0, 3]]).tolist() == pytest.approx([100.0, 100.0])  # published months untouched
    # a total the published months already exceed: free months floored, never negative
    low = constrain_to_totals(log_d, [Total(np.ones(4), 150.0, True, "test")], share, share, fixed)
    assert np.exp(low[0, 1]) == pytest.approx(1.0)


def test_bridges_stay_within_a_factor_of_their_ends() -> None:
    rng = np.random.default_rng(0)
    b = 500
    level = np.log(np.tile([100.0, 400.0], (b, 1)))
    out = paths(14, np.array([0, 12]), level, np.full(b, np.log(200.0)), np.full(b, 0.9), np.full(b, 3.0), rng)
    bridged = np.exp(out[:, 1:12])
    assert bridged.min() >= 50.0 - 1e-6 and bridged.max() <= 800.0 + 1e-6


def test_forecast_reverts_to_the_recent_level_not_the_training_mean() -> None:
    rng = np.random.default_rng(1)
    b = 2000
    # ten years at 1,000 a month, then one year at 10: the forecast stays near 10
    level = np.log(np.tile([1000.0] * 10 + [10.0], (b, 1)))
    obs_t = np.array([*range(0, 120, 12), 131])
    out = paths(200, obs_t, level, np.log(np.full(b, 800.0)), np.full(b, 0.9), np.full(b, 0.3), rng, hold_until=131)
    assert 5.0 < float(np.median(np.exp(out[:, 190]))) < 40.0


def test_to_shortens_the_horizon_and_keeps_the_same_months(prepared: dict[str, Prepared]) -> None:
    short = prepare(get_scenario("law"), seed=0, end="2026-06")
    assert short.months[-1] == "2026-06" and short.inputs.scen_tb.shape[2] == len(short.months)
    full, cut = run_local(prepared["law"], 25, 9), run_local(short, 25, 9)
    assert np.array_equal(full.series[:, : len(short.months)], cut.series)


def test_routes_are_named_and_close_roxham_goes_through_the_one_builder(prepared: dict[str, Prepared]) -> None:
    assert tuple(r.name for r in Route) == CHOICES
    tb = np.zeros((4, 3, 2), dtype=np.float32)
    closed = np.array([False, True, True])
    ctb, _ = route_arrays(tb, tb.copy(), closed)
    assert ctb[Route.BETWEEN_QC].tolist() == [[0, 0], [1, 1], [1, 1]]
    assert not ctb[Route.BETWEEN_OTHER].any() and not ctb[Route.LAND_POE].any()
    scen = prepared["close-roxham"]  # closed from 2017-08
    qc = scen.inputs.scen_tb[:, Route.BETWEEN_QC]
    assert (qc[:, scen.months.index("2017-08"):] == 1.0).all() and (qc[:, : scen.months.index("2017-08")] < 1).any()
    other = Route.BETWEEN_OTHER
    assert np.array_equal(scen.inputs.scen_tb[:, other], prepared["law"].inputs.scen_tb[:, other])


def test_sensitivity_varies_every_prior_and_constant(prepared: dict[str, Prepared]) -> None:
    assert set(FACTORS) == set(PARAM_NAMES) | {f.name for f in dataclasses.fields(Constants)}
    mid = np.array([(lo + hi) / 2 for lo, hi in FACTORS.values()])
    stronger = mid.copy()
    stronger[list(FACTORS).index("beta_tb")] = FACTORS["beta_tb"][1]
    back = SERIES.index(("CA", "LAND_POE", "turned_back"))
    a, b = evaluate(prepared["law"], mid), evaluate(prepared["law"], stronger)
    assert a[:, :, back].sum() != b[:, :, back].sum()
