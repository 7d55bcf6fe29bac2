"""Forecasts the simulator must beat, each given the same policy dates as the model.

Why these: a simulator that calls the law engine every month earns its complexity only if it forecasts
better than simple methods that know *when* the rules change but nothing of who they affect. Every baseline
here reads the same three things: the training figures (as published before the cutoff), the target months,
and the share of each month's days outside a *send-back regime* — days on which a person crossing between
ports is returned to the United States (the COVID-19 direct-back order, 2020-03-21 → 2021-11-21; the
Additional Protocol from 2023-03-25). Those days come only from the dates of the policy the forecast is
given (:func:`open_share`): all of them in the ``policy-conditional`` mode, only those announced by the
cutoff in the ``real-time`` mode. No baseline reads the law engine's answers.

Each regime has its own level. The *open level* is read from the latest training month with at least
half its days open, divided by that share (y / s); the *send-back level* from the latest fully send-back
training month (0 when none was seen: the policy says crossers are sent back). A month with open share s is
forecast as s × open level + (1 − s) × send-back level — for a forecast from open months that is exactly
"last value × the share of the month's days outside a send-back regime".

Every method returns a predictive *ensemble* per month (:data:`MEMBERS` quantiles of its distribution, or
the model's replications), scored the same way by :mod:`stca.flows.scoring`:

* ``regime naive``: the open level as point; log-normal spread σ√h, σ the standard deviation of one-step
  log changes of y / s over consecutive open training months, h months since the last training figure;
* ``seasonal naive``: the latest training figure of the same calendar month (regime-adjusted; last value
  when none), spread σ₁₂√years from lag-12 log changes — centred on its point, so the band always contains
  it (the previous band, built from raw quantiles of three lag-12 changes that were all negative, lay
  wholly below its own point);
* ``ETS``: local level (ETS(A,N,N) as a state-space model, which handles the gaps) on log(y / s) of the
  open training months, Gaussian forecast error in log;
* ``ARIMA``: AR(1) with a constant on the same log series (mean-reverting, unlike the two above).

ETS and ARIMA come from ``statsmodels``; with fewer than :data:`MIN_FIT` open training figures, or when the
fit fails, they fall back to the regime naive and say so in ``fallback``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.stats import norm

from stca.data import month_grid
from stca.flows._observed import day_share

#: Quantile levels of a baseline's ensemble: (i + 0.5) / MEMBERS.
MEMBERS = 200
#: A month counts as open (its figure can set the open level) when at least this share of its days is.
OPEN = 0.5
#: Fewest open training figures ETS / ARIMA are fitted on.
MIN_FIT = 6
METHODS: tuple[str, ...] = ("regime naive", "seasonal naive", "ETS", "ARIMA")

_Z = norm.ppf((np.arange(MEMBERS) + 0.5) / MEMBERS)


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def open_share(months: list[str], policy: str = "law") -> dict[str, float]:
    """Share of each month's days outside a send-back regime, from the dates of ``policy`` alone.

    ``policy`` is an engine policy name (``law``, or ``law@D`` for the law as known on D, see
    ``stca.flows._scenarios.engine_policy``): a regime whose start was not announced is absent, an end not
    announced never comes.

    >>> {m: round(v, 3) for m, v in open_share(["2020-02", "2020-03", "2021-11", "2023-03"]).items()}
    {'2020-02': 1.0, '2020-03': 0.645, '2021-11': 0.333, '2023-03': 0.774}
    >>> open_share(["2021-12", "2023-04"], "law@2021-06-30")
    {'2021-12': 0.0, '2023-04': 0.0}
    """
    from stca.flows._scenarios import engine_policy
    from stca.law import parse_policy

    params = parse_policy(engine_policy(policy)).params

    def day(value: dt.datetime) -> dt.date:
        return dt.date.max if value.year >= 9999 else value.date()

    back = day_share(months, day(params.covid_start.value), day(params.covid_end.value))
    back += day_share(months, day(params.protocol.value), dt.date.max)
    return {m: float(1.0 - min(b, 1.0)) for m, b in zip(months, back, strict=True)}


@dataclass(frozen=True)
class Baseline:
    """Ensembles (month → sorted array) of one method, and the months where it fell back to the regime naive."""

    method: str
    members: dict[str, np.ndarray]
    fallback: bool = False
    note: str = field(default="")


def _levels(train: dict[str, float], share: dict[str, float]) -> tuple[float, float]:
    """(open level, send-back level) of the training figures."""
    opened = [m for m in sorted(train) if share[m] >= OPEN]
    if not opened:
        raise ValueError("no training month with at least half its days open; a baseline has no level")
    last_open = opened[-1]
    closed = [m for m in sorted(train) if share[m] == 0.0]
    back = train[closed[-1]] if closed else 0.0
    return train[last_open] / share[last_open], back


def _adjusted(train: dict[str, float], share: dict[str, float]) -> dict[str, float]:
    return {m: v / share[m] for m, v in train.items() if share[m] >= OPEN and v > 0}


def _sd(changes: list[float]) -> float:
    return float(np.std(changes, ddof=1)) if len(changes) >= 2 else math.nan


def _step_changes(adjusted: dict[str, float], lag: int) -> list[float]:
    return [math.log(adjusted[b] / adjusted[a]) for a, b in itertools.product(adjusted, adjusted)
            if _index(b) - _index(a) == lag]


def _ensemble(log_point: float, sd: float, open_s: float, back: float) -> np.ndarray:
    """Sorted members s · exp(N(log_point, sd²)) + (1 − s) · back."""
    return np.sort(open_s * np.exp(log_point + sd * _Z) + (1.0 - open_s) * back)


def regime_naive(train: dict[str, float], months: list[str], share: dict[str, float]) -> Baseline:
    """Last open value × the month's open share (plus the send-back level on its other days)."""
    level, back = _levels(train, share)
    adjusted = _adjusted(train, share)
    sigma = _sd(_step_changes(adjusted, 1))
    sigma = 0.5 if math.isnan(sigma) else sigma
    last = max(train)
    return Baseline("regime naive", {
        m: _ensemble(math.log(level), sigma * math.sqrt(max(_index(m) - _index(last), 1)), share[m], back)
        for m in months})


def seasonal_naive(train: dict[str, float], months: list[str], share: dict[str, float]) -> Baseline:
    """Latest open training figure of the same calendar month (regime-adjusted), band centred on it."""
    _, back = _levels(train, share)
    adjusted = _adjusted(train, share)
    changes = _step_changes(adjusted, 12)
    sigma = _sd(changes) if len(changes) >= 3 else _sd(_step_changes(adjusted, 1))
    sigma = 0.5 if math.isnan(sigma) else sigma
    last = max(adjusted)
    out = {}
    for m in months:
        same = [s for s in adjusted if s[5:7] == m[5:7]]
        base = max(same) if same else last
        years = max(math.ceil((_index(m) - _index(base)) / 12), 1)
        out[m] = _ensemble(math.log(adjusted[base]), sigma * math.sqrt(years), share[m], back)
    return Baseline("seasonal naive", out)


def _state_space(kind: str) -> Callable[[np.ndarray], object]:
    from statsmodels.tsa.statespace.sarimax import SARIMAX
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    if kind == "ETS":
        return lambda y: UnobservedComponents(y, level="local level")
    return lambda y: SARIMAX(y, order=(1, 0, 0), trend="c")


def state_space(kind: str, train: dict[str, float], months: list[str], share: dict[str, float]) -> Baseline:
    """``ETS`` (local level) or ``ARIMA`` (AR(1) + constant) on log(y / s) of the open training months."""
    _, back = _levels(train, share)
    adjusted = _adjusted(train, share)
    if len(adjusted) < MIN_FIT:
        fallback = regime_naive(train, months, share)
        return Baseline(kind, fallback.members, True, f"fewer than {MIN_FIT} open training figures")
    grid = month_grid(min(adjusted), max(adjusted))
    steps = max(_index(m) - _index(grid[-1]) for m in months)
    try:
        mean, var = _fit(kind, tuple(sorted(adjusted.items())), max(steps, 1))
    except (ValueError, np.linalg.LinAlgError) as exc:
        fallback = regime_naive(train, months, share)
        return Baseline(kind, fallback.members, True, f"fit failed: {exc}")
    out = {}
    for m in months:
        k = max(_index(m) - _index(grid[-1]), 1) - 1
        out[m] = _ensemble(float(mean[k]), math.sqrt(float(var[k])), share[m], back)
    return Baseline(kind, out)


@lru_cache(maxsize=64)
def _fit(kind: str, adjusted: tuple[tuple[str, float], ...], steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Forecast mean and variance of log(y / s), 1…``steps`` months after the last figure (cached: both
    modes fit the same training figures)."""
    values = dict(adjusted)
    grid = month_grid(min(values), max(values))
    y = np.array([math.log(values[m]) if m in values else np.nan for m in grid])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = _state_space(kind)(y).fit(disp=False)  # type: ignore[attr-defined]
        forecast = fit.get_forecast(steps)
        mean = np.asarray(forecast.predicted_mean, dtype=float)
        var = np.asarray(forecast.var_pred_mean, dtype=float)
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(var)) and np.all(var >= 0)):
        raise ValueError("non-finite forecast")
    return mean, var


def baselines(train: dict[str, float], months: list[str], policy: str = "law") -> dict[str, Baseline]:
    """Every method of :data:`METHODS` for ``months``, given the regime dates of ``policy``.

    >>> train = {"2022-10": 3900.0, "2022-11": 4000.0, "2022-12": 4700.0, "2023-01": 4900.0, "2023-02": 4500.0}
    >>> out = baselines(train, ["2023-03", "2023-04"])
    >>> round(float(np.median(out["regime naive"].members["2023-03"])))  # 4500 × 24/31
    3484
    >>> float(out["regime naive"].members["2023-04"].max()), out["ETS"].fallback
    (0.0, True)
    """
    share = open_share(sorted(set(train) | set(months)), policy)
    return {"regime naive": regime_naive(train, months, share),
            "seasonal naive": seasonal_naive(train, months, share),
            "ETS": state_space("ETS", train, months, share),
            "ARIMA": state_space("ARIMA", train, months, share)}
