"""Latent monthly demand: how many people in the US who intend to claim in Canada reach the border.

Demand is never observed. In a month with a published interception figure it is *inverted*: the figure
divided by the share of arrivals the choice model sends between ports under the law in force (each
replication inverts with its own parameter draw, under the factual ``law`` policy, so every scenario shares
the same demand — common random numbers). Between two observed months the latent log-demand follows a
random bridge (linear in log plus Brownian-bridge noise); after the last training observation it follows
an AR(1) in log around the training mean (itself drawn with its standard error), with persistence φ
and innovation σ fitted on consecutive observed months and bootstrapped per replication. Demand has
no seasonality and no drift, and projections stay within a factor 3 of the training range (assumptions).
"""

from __future__ import annotations

import numpy as np

PHI_BOUNDS = (0.5, 0.99)
#: Projected demand never leaves [lowest training level ÷ CAP, highest × CAP] (assumption).
CAP = 3.0


def invert(obs_t: np.ndarray, obs_y: np.ndarray, obs_total: np.ndarray, share_qc: np.ndarray,
           share_between: np.ndarray) -> np.ndarray:
    """Log-demand at observed months (B, n): log(y / share), Canada totals over both corridors."""
    share = np.where(obs_total[None, :], share_between[:, obs_t], share_qc[:, obs_t])
    return np.log(obs_y[None, :]) - np.log(np.maximum(share, 1e-9))


def fit_ar1(obs_t: np.ndarray, level: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray,
                                                                                       np.ndarray]:
    """(μ, φ, σ) per replication from consecutive observed months, bootstrapped over month pairs."""
    b = level.shape[0]
    mu = level.mean(axis=1)
    pairs = np.flatnonzero(np.diff(obs_t) == 1)
    if len(pairs) < 3:
        return mu, np.full(b, 0.9), np.full(b, 0.3)
    pick = pairs[rng.integers(0, len(pairs), size=(b, len(pairs)))]
    x = np.take_along_axis(level, pick, axis=1) - mu[:, None]
    y = np.take_along_axis(level, pick + 1, axis=1) - mu[:, None]
    phi = np.clip((x * y).sum(axis=1) / np.maximum((x * x).sum(axis=1), 1e-9), *PHI_BOUNDS)
    resid = y - phi[:, None] * x
    sigma = np.maximum(resid.std(axis=1, ddof=1), 0.05)
    # The long-run level is itself uncertain: the standard error of a mean of n autocorrelated months,
    # n_eff = n (1 − φ) / (1 + φ), with the stationary sd σ / √(1 − φ²).
    n_eff = np.maximum(level.shape[1] * (1 - phi) / (1 + phi), 1.0)
    mu = mu + rng.normal(size=b) * sigma / np.sqrt(1 - phi**2) / np.sqrt(n_eff)
    return mu, phi, sigma


def paths(n_months: int, obs_t: np.ndarray, level: np.ndarray, mu: np.ndarray, phi: np.ndarray,
          sigma: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Log-demand paths (B, n_months): observed months fixed, bridges inside, AR(1) after the last one."""
    b = level.shape[0]
    out = np.empty((b, n_months))
    first, last = int(obs_t[0]), int(obs_t[-1])
    out[:, : first + 1] = level[:, :1]
    for i in range(len(obs_t) - 1):
        a, c = int(obs_t[i]), int(obs_t[i + 1])
        out[:, a] = level[:, i]
        gap = c - a
        if gap > 1:
            steps = rng.normal(size=(b, gap)) * sigma[:, None]
            walk = np.cumsum(steps, axis=1)
            frac = np.arange(1, gap + 1) / gap
            bridge = walk - frac[None, :] * walk[:, -1:]
            line = level[:, i : i + 1] + frac[None, :] * (level[:, i + 1 : i + 2] - level[:, i : i + 1])
            out[:, a + 1 : c] = (line + bridge)[:, :-1]
    out[:, last] = level[:, -1]
    eps = rng.normal(size=(b, max(n_months - last - 1, 0)))
    # Beyond the data, demand stays within a factor CAP of the training range (a bound, not a forecast).
    high = level.max(axis=1) + np.log(CAP)
    low = level.min(axis=1) - np.log(CAP)
    for j, t in enumerate(range(last + 1, n_months)):
        out[:, t] = np.clip(mu + phi * (out[:, t - 1] - mu) + sigma * eps[:, j], low, high)
    return out
