"""Calibration: an approximate posterior of the route-choice parameters by sampling-importance-resampling.

Why SIR: the few published ratios that identify route choice (turn-backs at ports ÷ interceptions,
Quebec port claims ÷ Quebec interceptions, other provinces ÷ Quebec) are cheap to predict for thousands of
parameter draws at once, and resampling gives a set of draws that each Monte Carlo replication can use, so
parameter uncertainty flows into the bands without any extra machinery.

Priors (docs/simulator.md §Calibration) are normal; ``beta_tb`` is truncated to [0.25, 9]. Each kind of
observed ratio contributes its mean log ratio, with likelihood N(mean log r̂(θ), s²/n) where s is the kind's
own scatter (at least 0.35) and n its number of observations. Parameters the training data cannot inform (the
inland-after-window and airport constants) keep their prior — that is said in the report, not hidden. After the
2023 Protocol two more kinds (:mod:`stca.flows._targets`) identify the port constant and the Quebec corridor's
constant ``a_qc``, which sets how many non-exempt people still try a land route once every one turns them back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stca.flows._choice import PARAM_NAMES, P, Route, probabilities
from stca.flows._observed import Observed
from stca.flows._targets import CLOSURE_OPEN_MONTH, closure_ratio, protocol_ratios

PRIOR_MEAN = np.array([2.0, -2.0, -3.0, -1.5, 3.0, 2.0])
PRIOR_SD = np.array([1.0, 1.5, 0.75, 0.75, 1.5, 1.0])
BETA_BOUNDS = (0.25, 9.0)
OBS_SD = 0.35
#: Share of land-port claims made at Quebec ports (assumption; also the province split of LAND_POE).
QUEBEC_SHARE_OF_PORT_CLAIMS = 0.55
PRIOR_DRAWS = 12000


@dataclass(frozen=True)
class Posterior:
    """Weighted prior draws; ``sample`` resamples them."""

    draws: np.ndarray  # (n, P)
    weights: np.ndarray  # (n,)
    n_ratios: int

    @property
    def ess(self) -> float:
        """Effective sample size of the importance weights."""
        return float(1.0 / np.sum(self.weights**2))

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` parameter vectors drawn with replacement in proportion to their weights."""
        return self.draws[rng.choice(len(self.weights), size=n, p=self.weights)]

    def summary(self) -> dict[str, dict[str, float]]:
        """Posterior mean and sd of each parameter (with the prior for comparison)."""
        mean = self.weights @ self.draws
        sd = np.sqrt(self.weights @ (self.draws - mean) ** 2)
        return {name: {"mean": float(mean[i]), "sd": float(sd[i]), "prior_mean": float(PRIOR_MEAN[i]),
                       "prior_sd": float(PRIOR_SD[i])} for i, name in enumerate(PARAM_NAMES)}


def _prior(n: int, rng: np.random.Generator) -> np.ndarray:
    draws = rng.normal(PRIOR_MEAN, PRIOR_SD, size=(n, len(PARAM_NAMES)))
    lo, hi = BETA_BOUNDS
    beta = P["beta_tb"]
    bad = (draws[:, beta] < lo) | (draws[:, beta] > hi)
    while bad.any():
        draws[bad, beta] = rng.normal(PRIOR_MEAN[beta], PRIOR_SD[beta], size=int(bad.sum()))
        bad = (draws[:, beta] < lo) | (draws[:, beta] > hi)
    return draws


def _log_prior(draws: np.ndarray) -> np.ndarray:
    """Log prior density (up to a constant) of parameter draws; −inf outside β's truncation."""
    z = (draws - PRIOR_MEAN) / PRIOR_SD
    out = -0.5 * (z**2).sum(axis=1)
    beta = draws[:, P["beta_tb"]]
    return np.where((beta >= BETA_BOUNDS[0]) & (beta <= BETA_BOUNDS[1]), out, -np.inf)


#: Widening of each adaptive stage's proposal standard deviations over the previous stage's posterior.
PROPOSAL_WIDENING = 1.5
#: Adaptive importance-sampling stages after the prior stage, run only when the prior stage's effective
#: sample size is below ENOUGH_ESS (each stage costs one more likelihood evaluation of every draw).
ADAPTIVE_STAGES = 3
ENOUGH_ESS = 500.0


def calibrate(obs: Observed, months: tuple[str, ...], ctb: np.ndarray, cin: np.ndarray, weights: np.ndarray,
              can_fly: np.ndarray, seed: int = 0) -> Posterior:
    """Weight prior draws by how well they reproduce the training ratios (factual ``law`` outcomes).

    Adaptive importance sampling (population Monte Carlo): the prior draws are weighted by the likelihood;
    when their effective sample size is below :data:`ENOUGH_ESS`, :data:`ADAPTIVE_STAGES` times a new sample
    is drawn from a normal fitted to the last weighted sample (standard deviations widened by
    :data:`PROPOSAL_WIDENING`) and weighted by likelihood × prior ÷ proposal. Why: when the ratios are
    sharp — the closure and post-Protocol targets, or a single month's ratio — a few prior draws take all
    the weight and the posterior is one point (effective sample size ≈ 1); the later stages put their draws
    where the posterior is. The stage with the largest effective sample size is kept.

    Args:
        obs: training observations.
        months: month labels of the ``ctb``/``cin`` month axis.
        ctb, cin: choice arrays (choice, month, profile) under the law in force.
        weights: profile weights; can_fly: airport feasibility per profile.
        seed: seed of the prior draws (calibration is reproducible for a given seed).
    """
    rng = np.random.default_rng([seed, 7919])
    targets: list[tuple[str, float, str]] = []
    targets += [(f"{year}-06", ratio, "turn_back") for year, ratio in obs.turn_back_ratio.items() if year >= 2017]
    targets += [(m, r, "poe_claims") for m, r in obs.poe_claim_ratio.items()]
    targets += [(m, r, "other") for m, r in obs.other_share_ratio.items()]
    targets += closure_ratio(obs.train_until) + protocol_ratios(obs.train_until)
    draws = _prior(PRIOR_DRAWS, rng)
    current = Posterior(draws, _normalise(_log_likelihood(draws, targets, months, ctb, cin, weights, can_fly)),
                        len(targets))
    best = current
    for _ in range(ADAPTIVE_STAGES if current.ess < ENOUGH_ESS else 0):
        mean = current.weights @ current.draws
        centred = current.draws - mean
        cov = centred.T @ (centred * current.weights[:, None]) + 1e-6 * np.eye(draws.shape[1])
        proposal = cov * PROPOSAL_WIDENING**2
        sample = rng.multivariate_normal(mean, proposal, size=PRIOR_DRAWS)
        offset = sample - mean
        log_q = -0.5 * np.einsum("ij,jk,ik->i", offset, np.linalg.inv(proposal), offset)
        log_w = _log_likelihood(sample, targets, months, ctb, cin, weights, can_fly) + _log_prior(sample) - log_q
        if not np.isfinite(log_w).any():
            break
        current = Posterior(sample, _normalise(log_w), len(targets))
        if current.ess > best.ess:
            best = current
    return best


def _normalise(log_w: np.ndarray) -> np.ndarray:
    w = np.exp(log_w - np.max(log_w[np.isfinite(log_w)]))
    w[~np.isfinite(w)] = 0.0
    return w / w.sum()


def _log_likelihood(draws: np.ndarray, targets: list[tuple[str, float, str]], months: tuple[str, ...],
                    ctb: np.ndarray, cin: np.ndarray, weights: np.ndarray, can_fly: np.ndarray) -> np.ndarray:
    """Log likelihood of each parameter draw given the training ratios (one observation per kind)."""
    loglik = np.zeros(len(draws))
    index = {m: i for i, m in enumerate(months)}
    cache: dict[str, np.ndarray] = {}
    groups: dict[str, list[np.ndarray]] = {}
    observed_logs: dict[str, list[float]] = {}
    for month, ratio, kind in targets:
        if month not in index:
            continue
        t = index[month]
        regime = ctb[:, t].tobytes() + cin[:, t].tobytes()  # months under identical rules share one answer
        key = str(hash(regime))
        if key not in cache:
            cache[key] = probabilities(draws, ctb[:, t:t + 1], cin[:, t:t + 1], can_fly)[:, :, 0, :]
        p = cache[key]
        port, quebec, other = (p[:, r] for r in (Route.LAND_POE, Route.BETWEEN_QC, Route.BETWEEN_OTHER))
        corridors = (quebec + other) @ weights
        if kind == "turn_back":
            pred = (port * ctb[Route.LAND_POE, t]) @ weights / corridors
        elif kind == "poe_claims":
            pred = QUEBEC_SHARE_OF_PORT_CLAIMS * ((port * (1 - ctb[Route.LAND_POE, t])) @ weights) / (quebec @ weights)
        elif kind == "protocol_turn_back":  # turned back at ports and corridors ÷ everyone intercepted
            at_border = sum(p[:, r] * ctb[r, t] for r in (Route.LAND_POE, Route.BETWEEN_QC, Route.BETWEEN_OTHER))
            pred = at_border @ weights / corridors
        elif kind == "closure_deterrence":  # corridor direct-backs per day during the closure ÷ before it
            o = index[CLOSURE_OPEN_MONTH]
            q = probabilities(draws, ctb[:, o:o + 1], cin[:, o:o + 1], can_fly)[:, :, 0, :]
            before = (q[:, Route.BETWEEN_QC] + q[:, Route.BETWEEN_OTHER]) @ weights
            pred = ((quebec * ctb[Route.BETWEEN_QC, t] + other * ctb[Route.BETWEEN_OTHER, t]) @ weights) / before
        elif kind == "protocol_port_claims":  # Lacolle claims ÷ national interceptions
            pred = QUEBEC_SHARE_OF_PORT_CLAIMS * ((port * (1 - ctb[Route.LAND_POE, t])) @ weights) / corridors
        else:
            pred = (other @ weights) / (quebec @ weights)
        groups.setdefault(kind, []).append(np.log(np.maximum(pred, 1e-12)))
        observed_logs.setdefault(kind, []).append(float(np.log(ratio)))
    # One observation per kind: the mean log ratio, with the kind's own scatter (never below OBS_SD) over √n,
    # so thirty noisy monthly ratios do not count as thirty independent facts about one constant.
    for kind, preds in groups.items():
        logs = np.array(observed_logs[kind])
        sd = max(float(logs.std(ddof=1)) if len(logs) > 1 else OBS_SD, OBS_SD) / np.sqrt(len(logs))
        loglik += -0.5 * ((logs.mean() - np.mean(preds, axis=0)) / sd) ** 2
    return loglik
