"""Scores of probabilistic forecasts and intervals on their differences.

Why these scores: MASE judges only the point; coverage alone rewards useless bands. The CRPS
(``scoringrules.crps_ensemble``) judges the whole predictive distribution in the units of the data (people
per month) and reduces to the absolute error for a point forecast; the interval score of the 90 % band
(``scoringrules.interval_score``, α = 0.1) is its width plus 20 × how far the figure falls outside it.

Why intervals: with a few dozen origins, one surge can decide a comparison. The skill of a method against a
reference, 1 − mean CRPS(method) / mean CRPS(reference), gets a 95 % interval from a *moving-block
bootstrap over forecast origins* (:func:`skill_interval`): blocks of consecutive origins are resampled with
every case of an origin kept together, since forecasts from neighbouring origins share most of their
targets and errors. Per horizon, :func:`diebold_mariano` tests the mean loss difference with a
Newey–West variance of h − 1 lags and the Harvey–Leybourne–Newbold small-sample correction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scoringrules as sr
from scipy.stats import t as student_t

#: 1 − nominal coverage of the band that is scored.
ALPHA = 0.1


def crps(actual: float, members: np.ndarray) -> float:
    """CRPS of an ensemble forecast (``scoringrules``, quantile-decomposition estimator).

    >>> crps(3.0, np.array([3.0, 3.0]))
    0.0
    >>> round(crps(0.0, np.array([1.0, 3.0])), 6)  # E|X − y| − ½ E|X − X'| = 2 − 0.5
    1.5
    """
    return float(sr.crps_ensemble(float(actual), np.asarray(members, dtype=float), estimator="qd"))


def band(members: np.ndarray) -> tuple[float, float, float]:
    """(median, 5th, 95th percentile) of an ensemble."""
    lo, med, hi = np.quantile(np.asarray(members, dtype=float), [ALPHA / 2, 0.5, 1 - ALPHA / 2])
    return float(med), float(lo), float(hi)


def interval_score(actual: float, lo: float, hi: float) -> float:
    """Interval score of the 90 % band: width + (2 / α) × the miss outside it.

    >>> interval_score(5.0, 0.0, 10.0), interval_score(12.0, 0.0, 10.0)
    (10.0, 50.0)
    """
    return float(sr.interval_score(float(actual), float(lo), float(hi), ALPHA))


def skill(method: Sequence[float], reference: Sequence[float]) -> float:
    """1 − mean(method) / mean(reference): the share by which a method's mean loss is lower.

    >>> skill([1.0, 3.0], [4.0, 4.0])
    0.5
    """
    ref = float(np.mean(reference))
    return 1.0 - float(np.mean(method)) / ref if ref > 0 else math.nan


def skill_interval(method: Sequence[float], reference: Sequence[float], origins: Sequence[str], *,
                   block: int = 6, draws: int = 2000, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile interval of :func:`skill` by a moving-block bootstrap over origins.

    Args:
        method, reference: losses of the two methods on the same cases (paired).
        origins: the forecast origin of each case; cases of one origin are always resampled together.
        block: consecutive origins per block; draws: bootstrap replicates; level: coverage of the interval.
        seed: the bootstrap's seed (the interval is reproducible).
    """
    a, b = np.asarray(method, dtype=float), np.asarray(reference, dtype=float)
    order = sorted(set(origins))
    if len(order) < 2:
        return math.nan, math.nan
    position = {o: i for i, o in enumerate(order)}
    by_origin = np.array([position[o] for o in origins])
    sum_a = np.bincount(by_origin, weights=a, minlength=len(order))
    sum_b = np.bincount(by_origin, weights=b, minlength=len(order))
    count = np.bincount(by_origin, minlength=len(order)).astype(float)
    n = len(order)
    size = max(1, min(block, n // 3))
    starts = n - size + 1
    blocks = math.ceil(n / size)
    rng = np.random.default_rng([seed, 1913])
    picks = rng.integers(0, starts, size=(draws, blocks))[:, :, None] + np.arange(size)[None, None, :]
    picks = picks.reshape(draws, -1)[:, :n]
    mean_a = sum_a[picks].sum(axis=1) / count[picks].sum(axis=1)
    mean_b = sum_b[picks].sum(axis=1) / count[picks].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = 1.0 - mean_a / mean_b
    values = values[np.isfinite(values)]
    lo, hi = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def diebold_mariano(method: Sequence[float], reference: Sequence[float], horizon: int) -> tuple[float, float]:
    """(statistic, two-sided p-value) of the Diebold–Mariano test of equal mean loss at one horizon.

    The loss differences d = method − reference are taken in origin order; their long-run variance uses
    h − 1 Newey–West lags, and the statistic the Harvey–Leybourne–Newbold correction with a Student t of
    n − 1 degrees of freedom. A negative statistic favours ``method``.

    >>> stat, p = diebold_mariano([1.0, 2.0, 1.0, 2.0, 1.0], [3.0, 3.0, 4.0, 3.0, 4.0], 1)
    >>> stat < 0 and p < 0.05
    True
    """
    d = np.asarray(method, dtype=float) - np.asarray(reference, dtype=float)
    n = len(d)
    if n < 3:
        return math.nan, math.nan
    centred = d - d.mean()
    variance = float(centred @ centred) / n
    for lag in range(1, min(horizon, n)):
        weight = 1.0 - lag / horizon
        variance += 2 * weight * float(centred[lag:] @ centred[:-lag]) / n
    if variance <= 0:
        return math.nan, math.nan
    factor = (n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n
    if factor <= 0:
        return math.nan, math.nan
    correction = math.sqrt(factor)
    stat = correction * float(d.mean()) / math.sqrt(variance / n)
    return stat, float(2 * student_t.sf(abs(stat), n - 1))
