"""One block of Monte Carlo replications, fully vectorised (replication × month arrays, no per-person loop).

A block receives everything it needs in :class:`Inputs` (plain numpy arrays, cheap to ship to a Dask
worker) plus its parameter draws and its own seed, and returns the monthly series of
:data:`SERIES` and the reception-capacity measures for its replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stca.flows._choice import AIR_INFEASIBLE_COST, AT_BORDER, INELIGIBLE_WEIGHT, Route, probabilities
from stca.flows._demand import (
    BRIDGE_FACTOR,
    CAP,
    RECENT_MONTHS,
    Total,
    constrain_to_totals,
    fit_ar1,
    invert,
    pandemic_multiplier,
    paths,
)

#: Province split of each route, by :class:`Route` name (assumptions; docs/simulator.md §Provinces).
PROVINCE_SPLIT: dict[str, dict[str, float]] = {
    "LAND_POE": {"QC": 0.55, "ON": 0.30, "BC": 0.10, "MB": 0.05},
    "BETWEEN_QC": {"QC": 1.0},
    "BETWEEN_OTHER": {"MB": 0.55, "BC": 0.40, "NB": 0.05},
    "INLAND": {"QC": 0.45, "ON": 0.45, "BC": 0.10},
    "AIRPORT": {"ON": 0.50, "QC": 0.40, "BC": 0.10},
}
#: Contract route name of each choice (contract.md §6).
CONTRACT_ROUTE = {"LAND_POE": "LAND_POE", "BETWEEN_QC": "BETWEEN_POES_LAND", "BETWEEN_OTHER": "BETWEEN_POES_LAND",
                  "INLAND": "INLAND", "AIRPORT": "AIRPORT"}
RECEPTION_PROVINCES: tuple[str, ...] = ("QC", "ON", "BC", "MB", "NB")
#: Shelter places available to this population (assumption) and the share of claimants needing one.
CAPACITY = {"QC": 3000.0, "ON": 3500.0, "BC": 800.0, "MB": 400.0, "NB": 150.0}
SHELTER_SHARE = 0.35
MONTHLY_EXIT = 1.0 / 3.0
RECEPTION_MEASURES: tuple[str, ...] = ("reception_demand", "occupancy", "transfers_out", "transfers_in",
                                       "over_capacity")


def _series_table() -> tuple[list[tuple[str, str, str]], np.ndarray]:
    """(province, route, measure) of every output series and its coefficients on the base quantities.

    Base quantities per choice j: index 2j = people choosing it, 2j+1 = people turned back.
    """
    rows: dict[tuple[str, str, str], np.ndarray] = {}
    for j in Route:
        route = CONTRACT_ROUTE[j.name]
        measures = ["claims", "turned_back"] + (["interceptions"] if route == "BETWEEN_POES_LAND" else [])
        for prov, share in [*PROVINCE_SPLIT[j.name].items(), ("CA", 1.0)]:
            for measure in measures:
                coef = rows.setdefault((prov, route, measure), np.zeros(2 * len(Route)))
                if measure == "interceptions":
                    coef[2 * j] += share
                elif measure == "claims":
                    coef[2 * j] += share
                    coef[2 * j + 1] -= share
                else:
                    coef[2 * j + 1] += share
    keys = sorted(rows)
    return keys, np.stack([rows[k] for k in keys])


SERIES, SERIES_COEF = _series_table()


@dataclass(frozen=True)
class Constants:
    """The fixed constants of the model (assumptions, docs/simulator.md), gathered so that the sensitivity
    analysis can vary them; every run uses the defaults."""

    ineligible_weight: float = INELIGIBLE_WEIGHT
    air_infeasible_cost: float = AIR_INFEASIBLE_COST
    bridge_factor: float = BRIDGE_FACTOR
    cap: float = CAP
    recent_months: int = RECENT_MONTHS


@dataclass(frozen=True)
class Inputs:
    """Everything a block needs. Arrays: choice axis = :class:`Route`, month axis from 2017-01 to the horizon.

    Attributes:
        fact_tb, fact_inel: choice arrays (2, choice, month, profile) under the law in force (used to invert
            observed interceptions); leading axis: sampled days outside / inside the COVID-19 closure.
        scen_tb, scen_inel: the same under the scenario (used for the flows).
        weights, can_fly: per profile.
        obs_t, obs_y, obs_total: training observations (month index, value, True = Canada total).
        year_months, year_y, year_total: annual totals pinning a year without monthly figures (month
            indices of the year (n, 12), value, True = Canada total); the pin sits on the year's July.
        closure: (T,) share of each month's sampled days inside the COVID-19 border closure.
        covid_window, covid_y: (T,) weights of the months of the published COVID-era turn-back count and
            the count; ``covid_y`` is NaN when the count is not in the training data (multiplier 1).
        nb_shape: shape k of the gamma mixing of route counts (negative binomial, variance μ + μ²/k);
            infinite = Poisson.
        totals: published annual and period totals of interceptions in the training data, constraints on
            the demand path (:func:`stca.flows._demand.constrain_to_totals`).
        hold_until: last month index of the history (the end of the last pinned year, or the last figure);
            the forecast starts after it.
    """

    fact_tb: np.ndarray
    fact_inel: np.ndarray
    scen_tb: np.ndarray
    scen_inel: np.ndarray
    weights: np.ndarray
    can_fly: np.ndarray
    obs_t: np.ndarray
    obs_y: np.ndarray
    obs_total: np.ndarray
    year_months: np.ndarray
    year_y: np.ndarray
    year_total: np.ndarray
    closure: np.ndarray
    covid_window: np.ndarray
    covid_y: float
    nb_shape: float
    totals: tuple[Total, ...] = ()
    hold_until: int = -1
    constants: Constants = Constants()


def _reception(claims_by_prov: np.ndarray) -> np.ndarray:
    """Shelter demand, occupancy and transfers (B, T, province, measure) with proportional transfers.

    When a province's occupancy exceeds its capacity, the excess is transferred to provinces with spare
    places in proportion to their spare places; what no province can take is reported as over capacity.
    """
    b, t_len, p = claims_by_prov.shape
    cap = np.array([CAPACITY[x] for x in RECEPTION_PROVINCES])
    out = np.zeros((b, t_len, p, len(RECEPTION_MEASURES)), dtype=np.float32)
    stock = np.zeros((b, p))
    for t in range(t_len):
        new = SHELTER_SHARE * claims_by_prov[:, t]
        stock = stock * (1 - MONTHLY_EXIT) + new
        excess = np.maximum(stock - cap, 0.0)
        spare = np.maximum(cap - stock, 0.0)
        moved = np.minimum(excess.sum(axis=1), spare.sum(axis=1))
        frac_out = np.divide(moved, excess.sum(axis=1), out=np.zeros(b), where=excess.sum(axis=1) > 0)
        frac_in = np.divide(moved, spare.sum(axis=1), out=np.zeros(b), where=spare.sum(axis=1) > 0)
        t_out = excess * frac_out[:, None]
        t_in = spare * frac_in[:, None]
        stock = stock - t_out + t_in
        out[:, t, :, 0] = new
        out[:, t, :, 1] = stock
        out[:, t, :, 2] = t_out
        out[:, t, :, 3] = t_in
        out[:, t, :, 4] = np.maximum(stock - cap, 0.0)
    return out


#: Fixed-point passes between the pandemic multiplier and the demand it rescales (it converges in two).
PANDEMIC_PASSES = 3


def _mixed(params: np.ndarray, tb: np.ndarray, inel: np.ndarray, can_fly: np.ndarray, weights: np.ndarray,
           months: np.ndarray, constants: Constants) -> tuple[np.ndarray, np.ndarray]:
    """Per-arrival shares choosing each route and turned back on it, (B, choice, len(months)) each, for the days
    outside (index 0 of the returned pair's first axis) and inside the closure: arrays (2, B, J, M)."""
    chosen, back = [], []
    for half in (0, 1):
        p = probabilities(params, tb[half][:, months], inel[half][:, months], can_fly,  # (B, J, M, K)
                          constants.ineligible_weight, constants.air_infeasible_cost)
        chosen.append(p @ weights)
        back.append((p * tb[half][:, months][None]) @ weights)
    return np.stack(chosen), np.stack(back)


def _latent_demand(inputs: Inputs, params: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Demand paths (B, T) before the pandemic multiplier, and the multiplier (B,) of each replication.

    Demand is inverted from the training figures under the law in force; when the published COVID-era
    turn-back count is in the training data the multiplier is inverted from it, and the two are iterated
    (the multiplier changes the inversion of figures from closure months, e.g. March 2020 and the 2021 pin).
    """
    w = inputs.weights.astype(np.float32)
    b, t_len = len(params), inputs.fact_tb.shape[2]
    c = inputs.closure
    hold = max(int(inputs.obs_t[-1]), inputs.hold_until)
    in_totals = [np.flatnonzero(t.weights[: hold + 1] > 0) for t in inputs.totals]
    needed = np.unique(np.concatenate([inputs.obs_t, inputs.year_months.ravel(), *in_totals])).astype(np.int64)
    fixed = np.zeros(hold + 1, dtype=bool)
    fixed[inputs.obs_t] = True
    chosen, _ = _mixed(params, inputs.fact_tb, inputs.fact_inel, inputs.can_fly, w, needed, inputs.constants)
    qc_half = np.zeros((2, b, t_len))
    between_half = np.zeros((2, b, t_len))
    qc_half[:, :, needed] = chosen[:, :, Route.BETWEEN_QC]
    between_half[:, :, needed] = chosen[:, :, Route.BETWEEN_QC] + chosen[:, :, Route.BETWEEN_OTHER]
    window = np.flatnonzero(inputs.covid_window > 0)
    if len(window):
        _, back = _mixed(params, inputs.fact_tb, inputs.fact_inel, inputs.can_fly, w, window, inputs.constants)
        at_border = back[:, :, list(AT_BORDER)].sum(axis=2) * inputs.covid_window[window]  # (2, B, M)
    fit_seed = int(rng.integers(2**63))
    m = np.ones(b)
    for _ in range(PANDEMIC_PASSES):
        open_w, closed_w = 1.0 - c[None, :], c[None, :] * m[:, None]
        qc = open_w * qc_half[0] + closed_w * qc_half[1]
        between = open_w * between_half[0] + closed_w * between_half[1]
        obs_t, level = inputs.obs_t, invert(inputs.obs_t, inputs.obs_y, inputs.obs_total, qc, between)
        if len(inputs.year_y):
            # constant demand within the year: annual total ÷ the year's summed between-ports share
            months = inputs.year_months
            summed = np.where(inputs.year_total[None, :], between[:, months].sum(axis=2), qc[:, months].sum(axis=2))
            pins = np.log(inputs.year_y[None, :]) - np.log(np.maximum(summed, 1e-9))
            obs_t = np.concatenate([obs_t, months[:, 6]])
            order = np.argsort(obs_t, kind="stable")
            obs_t, level = obs_t[order], np.concatenate([level, pins], axis=1)[:, order]
        fit_rng = np.random.default_rng(fit_seed)  # same draws every pass: a fixed point, not a re-draw
        noise = 1.0 / inputs.nb_shape if np.isfinite(inputs.nb_shape) else 0.0
        mu, phi, sigma = fit_ar1(obs_t, level, fit_rng, noise)

        def constrain(history: np.ndarray, qc: np.ndarray = qc, between: np.ndarray = between) -> np.ndarray:
            return constrain_to_totals(history, list(inputs.totals), qc, between, fixed)

        k = inputs.constants
        base = np.exp(paths(t_len, obs_t, level, mu, phi, sigma, fit_rng, hold, constrain, k.bridge_factor, k.cap,
                            k.recent_months))
        if not len(window):
            break
        demand = base[:, window]
        m = pandemic_multiplier(inputs.covid_y, (demand * (1 - c[window]) * at_border[0]).sum(axis=1),
                                (demand * c[window] * at_border[1]).sum(axis=1))
    return base, m


Block = tuple[np.ndarray, np.ndarray, np.ndarray]


def simulate_block(inputs: Inputs, params: np.ndarray, seed: int) -> Block:
    """Run ``len(params)`` replications.

    Returns:
        (series (B, T, len(SERIES)) float32, reception (B, T, province, measure) float32, pandemic
        multiplier (B,)).
    """
    # One stream per stage, each drawn month-major, so that a shorter horizon (``--to``) gives exactly the
    # first months of a longer one with the same seed.
    streams = np.random.SeedSequence(seed).spawn(4)
    demand_rng, gamma_rng, count_rng, back_rng = (np.random.default_rng(s) for s in streams)
    w = inputs.weights.astype(np.float32)
    t_len = inputs.scen_tb.shape[2]
    demand, m = _latent_demand(inputs, params, demand_rng)
    chosen_half, back_half = _mixed(params, inputs.scen_tb, inputs.scen_inel, inputs.can_fly, w, np.arange(t_len),
                                      inputs.constants)
    # days outside the closure at full demand, days inside it at m × demand
    open_w = (1.0 - inputs.closure)[None, None, :]
    closed_w = inputs.closure[None, None, :] * m[:, None, None]
    chosen_share = open_w * chosen_half[0] + closed_w * chosen_half[1]  # (B, J, T), per unit of demand
    back_share = open_w * back_half[0] + closed_w * back_half[1]
    expected = demand[:, None, :] * chosen_share
    if np.isfinite(inputs.nb_shape):
        # negative binomial = Poisson with a gamma-distributed rate (mean 1, variance 1/k) per route-month
        mixing = gamma_rng.gamma(inputs.nb_shape, 1.0 / inputs.nb_shape, size=expected.shape[::-1])
        expected = expected * mixing.transpose(2, 1, 0)
    chosen = count_rng.poisson(np.minimum(expected, 1e9).transpose(2, 1, 0)).transpose(2, 1, 0).astype(np.float64)
    prob_back = np.divide(back_share, chosen_share, out=np.zeros_like(back_share), where=chosen_share > 0)
    back = back_rng.binomial(chosen.astype(np.int64).transpose(2, 1, 0),
                             np.clip(prob_back, 0.0, 1.0).transpose(2, 1, 0)).transpose(2, 1, 0).astype(np.float64)
    base = np.empty((len(params), t_len, 2 * len(Route)))
    base[:, :, 0::2] = chosen.transpose(0, 2, 1)
    base[:, :, 1::2] = back.transpose(0, 2, 1)
    series = np.einsum("btq,sq->bts", base, SERIES_COEF).astype(np.float32)

    claims = np.zeros((len(params), t_len, len(RECEPTION_PROVINCES)))
    for s, (prov, _route, measure) in enumerate(SERIES):
        if measure == "claims" and prov in RECEPTION_PROVINCES:
            claims[:, :, RECEPTION_PROVINCES.index(prov)] += series[:, :, s]
    return series, _reception(claims), m
