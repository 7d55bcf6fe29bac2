"""Parameter and demand uncertainty, route noise, the pandemic multiplier and the turn-back checks.

The leak tests matter most: a cutoff must change what the model knows, and nothing dated at or after it may
reach the fit.
"""

from __future__ import annotations

import numpy as np
import pytest

from stca.flows import ALL_MONTHS, SERIES, Prepared, get_scenario, prepare, run_local
from stca.flows._checks import check_rows
from stca.flows._demand import PANDEMIC_FLOOR, fit_ar1, pandemic_multiplier
from stca.flows._observed import observed, route_noise_variance
from stca.flows._turnback import legal_outcomes

COVID_COUNT = "Turned back at the border (STCA + COVID-19 direct-back), 2020-01-01..09-23"


@pytest.fixture(scope="module")
def early() -> Prepared:
    """Trained before 2020-02: the 2020 turn-back count is not in the training data."""
    return prepare(get_scenario("law"), train_until="2020-02", seed=0)


def _check(prepared: Prepared, label: str, runs: int = 80) -> dict[str, object]:
    return next(r for r in check_rows(run_local(prepared, runs, 4)) if r["check"] == label)


def test_nothing_at_or_after_the_cutoff_reaches_the_fit(early: Prepared) -> None:
    cut = ALL_MONTHS.index("2020-02")
    assert early.inputs.obs_t.max() < cut and early.inputs.year_months.size == 0
    assert np.isnan(early.inputs.covid_y) and early.observed.covid_turn_backs is None
    assert max(early.observed.qc) < "2020-02" and min(early.observed.held_qc) >= "2020-02"
    assert all(f"{year}-12" < "2020-02" for year in early.observed.turn_back_ratio)


def test_pandemic_multiplier_is_fitted_only_when_the_count_is_in_training(prepared: dict[str, Prepared],
                                                                         early: Prepared) -> None:
    fitted = _check(prepared["law"], COVID_COUNT)
    assert fitted["status"] == "calibration" and fitted["published"] == 259.0
    assert 259 / 2 < float(fitted["model_mean"]) < 259 * 2  # type: ignore[arg-type]
    blind = _check(early, COVID_COUNT)
    assert blind["status"] == "held out"
    assert float(blind["model_mean"]) > 5 * 259  # type: ignore[arg-type]  # no pandemic known before 2020-02


def test_pandemic_multiplier_inverts_the_count() -> None:
    # 50 turned back on open days, 50 at full demand on closure days: 60 published → m = 0.2
    assert pandemic_multiplier(60.0, np.array([50.0]), np.array([50.0])).tolist() == pytest.approx([0.2])
    # open days alone exceed the count: the floor, not a negative demand
    assert pandemic_multiplier(60.0, np.array([80.0]), np.array([50.0])).tolist() == [PANDEMIC_FLOOR]
    assert pandemic_multiplier(500.0, np.array([50.0]), np.array([50.0])).tolist() == [1.0]


def test_partly_closed_months_keep_open_and_closed_days_apart() -> None:
    law, profiles = legal_outcomes("law", ALL_MONTHS)
    w = np.array([p.weight for p in profiles])
    between = law.routes.index("BETWEEN_POES_LAND")
    march = ALL_MONTHS.index("2020-03")
    november = ALL_MONTHS.index("2021-11")
    assert law.closed_share[march] == pytest.approx(2 / 6)  # the 23rd and 28th
    assert law.closed_share[november] == pytest.approx(4 / 6)  # open again from the 21st
    assert float(law.turned_back_split[0, between, march] @ w) == 0.0
    assert float(law.turned_back_split[1, between, march] @ w) == pytest.approx(1.0)
    assert float(law.turned_back[between, march] @ w) == pytest.approx(2 / 6)


def test_yule_walker_keeps_the_training_spread() -> None:
    rng = np.random.default_rng(5)
    n, phi_true = 400, 0.6
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi_true * x[t - 1] + rng.normal() * 0.5
    level = np.tile(x + 7.0, (200, 1))
    mu, phi, sigma = fit_ar1(np.arange(n), level, rng)
    stationary = sigma**2 / (1 - phi**2)
    assert np.median(phi) == pytest.approx(phi_true, abs=0.08)
    assert np.median(stationary) == pytest.approx(x.var(), rel=0.1)
    assert np.median(mu) == pytest.approx(7.0 + x.mean(), abs=0.05)
    assert np.std(mu) > 0  # the long-run level is drawn, not fixed
    _, _, thinner = fit_ar1(np.arange(n), level, np.random.default_rng(5), noise_var=0.1)
    assert np.median(thinner) < np.median(sigma)  # route noise is not counted twice


def test_route_noise_is_estimated_from_training_ratios() -> None:
    v = route_noise_variance(observed("2023-02"))
    assert 0.03 < v < 0.3  # ≈ 0.09: k ≈ 11
    assert route_noise_variance(observed("2017-03")) == 0.09  # too few consecutive pairs: the stated default


def test_bands_carry_parameter_and_demand_uncertainty(early: Prepared) -> None:
    result = run_local(early, 200, 9)
    qc = SERIES.index(("QC", "BETWEEN_POES_LAND", "interceptions"))
    lo, hi = np.quantile(result.series[:, ALL_MONTHS.index("2022-06"), qc], [0.05, 0.95])
    assert hi / max(lo, 1.0) > 4  # two years ahead the 90 % band spans more than a factor 4
    assert len(np.unique(result.params[:, 0])) > 50  # one calibrated parameter draw per replication
