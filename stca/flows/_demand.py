"""Latent monthly demand: how many people in the US who intend to claim in Canada reach the border.

Demand is never observed. In a month with a published interception figure it is *inverted*: the figure
divided by the share of arrivals the choice model sends between ports under the law in force (each
replication inverts with its own parameter draw, under the factual ``law`` policy, so every scenario shares
the same demand — common random numbers). Between two observed months the latent log-demand follows a
random bridge (linear in log plus Brownian-bridge noise); after the last training observation it follows
an AR(1) in log around the training mean (itself drawn with its standard error), fitted by Yule–Walker
(stationary variance = variance of the training levels, φ from consecutive published months) and
bootstrapped per replication. Demand has no seasonality and no drift, and projections stay within a
factor 3 of the training range (assumptions). During the COVID-19 border closure demand is scaled by a
pandemic multiplier (:func:`pandemic_multiplier`).
"""

from __future__ import annotations

import numpy as np

PHI_BOUNDS = (0.0, 0.98)
#: Projected demand never leaves [lowest training level ÷ CAP, highest × CAP] (assumption).
CAP = 3.0


def invert(obs_t: np.ndarray, obs_y: np.ndarray, obs_total: np.ndarray, share_qc: np.ndarray,
           share_between: np.ndarray) -> np.ndarray:
    """Log-demand at observed months (B, n): log(y / share), Canada totals over both corridors."""
    share = np.where(obs_total[None, :], share_between[:, obs_t], share_qc[:, obs_t])
    return np.log(obs_y[None, :]) - np.log(np.maximum(share, 1e-9))


def fit_ar1(obs_t: np.ndarray, level: np.ndarray, rng: np.random.Generator,
            noise_var: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(μ, φ, σ) per replication by Yule–Walker on the training log-levels, bootstrapped.

    Why Yule–Walker and not least squares on month pairs: with gappy data the pairs are a minority of the
    months, and a pairs-only fit makes the projected spread (σ² / (1 − φ²)) smaller than the spread the
    training levels actually show. Yule–Walker sets the stationary variance to the sample variance of all
    training levels (γ₀) and φ = γ₁ / γ₀ from consecutive published months, so a forecast far ahead is as
    spread as the training history, no less. Every replication redraws γ₀ (months resampled) and γ₁ (month
    pairs resampled), and draws μ with the standard error of a mean of autocorrelated months.

    ``noise_var`` is the route-level count noise (negative-binomial mixing variance) that the simulation
    adds on top of demand; it is removed from γ₀ (it is independent month to month, so γ₁ keeps it out)
    so that the spread is not counted twice.
    """
    b, n = level.shape
    pairs = np.flatnonzero(np.diff(obs_t) == 1)
    centre = level.mean(axis=1)
    if len(pairs) < 3 or n < 4:
        return centre, np.full(b, 0.9), np.full(b, 0.3)
    months = rng.integers(0, n, size=(b, n))
    resampled = np.take_along_axis(level, months, axis=1)
    gamma0 = np.maximum(resampled.var(axis=1) - noise_var, 1e-4)
    pick = pairs[rng.integers(0, len(pairs), size=(b, len(pairs)))]
    x = np.take_along_axis(level, pick, axis=1) - centre[:, None]
    y = np.take_along_axis(level, pick + 1, axis=1) - centre[:, None]
    phi = np.clip((x * y).mean(axis=1) / gamma0, *PHI_BOUNDS)
    sigma = np.maximum(np.sqrt(gamma0 * (1 - phi**2)), 0.05)
    # The long-run level is itself uncertain: the standard error of a mean of n autocorrelated months,
    # n_eff = n (1 − φ) / (1 + φ), with the stationary variance γ₀.
    n_eff = np.maximum(n * (1 - phi) / (1 + phi), 1.0)
    mu = centre + rng.normal(size=b) * np.sqrt(gamma0 / n_eff)
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


#: Lowest pandemic multiplier allowed (when the months before the closure alone already exceed the
#: published count, the closure months get this floor rather than a negative demand).
PANDEMIC_FLOOR = 0.01


def pandemic_multiplier(observed: float, outside: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Multiplier m of demand during the COVID-19 border closure that reproduces a published turn-back count.

    On days inside the closure demand is scaled by m. The expected number turned back in the published
    window is ``outside + m · inside`` (expected turn-backs on days outside / inside the closure, demand
    unscaled), so m = (observed − outside) / inside, clipped to [:data:`PANDEMIC_FLOOR`, 1]: the count is
    *inverted*, exactly as interception figures are inverted into demand, one value per replication.

    >>> pandemic_multiplier(60.0, np.array([50.0, 70.0]), np.array([50.0, 50.0]))
    array([0.2 , 0.01])
    """
    m = np.divide(observed - outside, inside, out=np.ones_like(inside), where=inside > 0)
    return np.clip(m, PANDEMIC_FLOOR, 1.0)
