"""Honest held-out validation: MASE and 90 % band coverage of the model and two naive baselines.

Everything is computed the same way for the three methods, on the held-out months that have a published
figure (canonical rows, at or after ``train_until``):

* **scale** (shared): mean absolute one-step change of the *training* series over pairs of consecutive
  published months — the in-sample error of the last-value forecast, as in Hyndman & Koehler's MASE;
* **MASE** = mean |actual − point| / scale; the model's point forecast is the replication median;
* **coverage** = share of held-out months with p05 ≤ actual ≤ p95, and **mean band width** = mean of
  p95 − p05 over the same months (people per month), so a band cannot buy coverage by being useless;
* **last value**: the last training figure, carried forward; band = point × exp(q · √h), q the 5th/95th
  percentiles of training one-step log changes, h the months since the last training figure;
* **seasonal naive**: the latest training figure for the same calendar month (last value when none); band
  centred on it, ± 1.645 × the sd of lag-12 log changes (one-step when fewer than three) × √(years ahead).

Metrics are reported for all held-out months and for the *regime-shift* months: those where the law
engine's turn-back share between ports differs by more than 0.05 from the last training month — exactly
the months where known law (COVID direct-back, the Protocol) changes behaviour and a naive method cannot
know it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Forecast:
    """Point and 90 % band per month."""

    point: dict[str, float]
    lo: dict[str, float]
    hi: dict[str, float]


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def naive_scale(train: dict[str, float]) -> float:
    """Mean absolute change between consecutive published training months.

    >>> naive_scale({"2020-01": 10, "2020-02": 14, "2020-03": 11, "2020-05": 50})
    3.5
    """
    months = sorted(train)
    diffs = [abs(train[b] - train[a]) for a, b in itertools.pairwise(months)
             if _index(b) - _index(a) == 1]
    if not diffs:
        raise ValueError("the training series has no two consecutive published months; MASE is undefined")
    return float(np.mean(diffs))


def mase(actual: dict[str, float], forecast: dict[str, float], scale: float) -> float:
    """Mean absolute scaled error over the months of ``actual``.

    >>> mase({"2021-01": 10.0, "2021-02": 20.0}, {"2021-01": 12.0, "2021-02": 14.0}, 4.0)
    1.0
    """
    errors = [abs(actual[m] - forecast[m]) for m in actual]
    return float(np.mean(errors)) / scale if errors else math.nan


def coverage(actual: dict[str, float], fc: Forecast) -> float:
    """Share of months with the actual value inside [p05, p95].

    >>> coverage({"a": 1.0, "b": 5.0}, Forecast({}, {"a": 0.0, "b": 0.0}, {"a": 2.0, "b": 2.0}))
    0.5
    """
    inside = [fc.lo[m] <= v <= fc.hi[m] for m, v in actual.items()]
    return float(np.mean(inside)) if inside else math.nan


def band_width(months: list[str], fc: Forecast) -> float:
    """Mean width p95 − p05 of the band over ``months``.

    >>> band_width(["a", "b"], Forecast({}, {"a": 0.0, "b": 10.0}, {"a": 2.0, "b": 20.0}))
    6.0
    """
    widths = [fc.hi[m] - fc.lo[m] for m in months]
    return float(np.mean(widths)) if widths else math.nan


def _log_changes(train: dict[str, float], lag: int) -> np.ndarray:
    out = [math.log(train[b] / train[a]) for a in train for b in train
           if _index(b) - _index(a) == lag and train[a] > 0 and train[b] > 0]
    return np.array(out)


def last_value(train: dict[str, float], months: list[str]) -> Forecast:
    """The last training figure carried forward, with a random-walk band from training log changes."""
    last = max(train)
    point = train[last]
    q05, q95 = np.quantile(_log_changes(train, 1), [0.05, 0.95])
    lo, hi, pt = {}, {}, {}
    for m in months:
        h = max(_index(m) - _index(last), 1)
        pt[m], lo[m], hi[m] = point, point * math.exp(q05 * math.sqrt(h)), point * math.exp(q95 * math.sqrt(h))
    return Forecast(pt, lo, hi)


def seasonal_naive(train: dict[str, float], months: list[str]) -> Forecast:
    """The latest training figure of the same calendar month (last value when there is none).

    The band is centred on that point in log: ± 1.645 σ √(years ahead), σ the standard deviation of the
    training lag-12 log changes (one-step changes when fewer than three). It used to be the raw 5th/95th
    percentiles of those changes, which lay wholly below the point when every change was negative (Canada
    at 2020-02: 0 % coverage by construction).

    >>> fc = seasonal_naive({"2018-01": 100.0, "2019-01": 80.0, "2018-02": 90.0, "2019-02": 70.0,
    ...                      "2018-03": 95.0, "2019-03": 60.0}, ["2020-01"])
    >>> fc.lo["2020-01"] < fc.point["2020-01"] == 80.0 < fc.hi["2020-01"]
    True
    """
    changes = _log_changes(train, 12)
    if len(changes) < 3:
        changes = _log_changes(train, 1)
    spread = 1.645 * float(np.std(changes, ddof=1))
    last = max(train)
    lo, hi, pt = {}, {}, {}
    for m in months:
        same = [s for s in train if s[5:7] == m[5:7]]
        base = max(same) if same else last
        years = max(math.ceil((_index(m) - _index(base)) / 12), 1)
        pt[m] = train[base]
        lo[m], hi[m] = pt[m] * math.exp(-spread * math.sqrt(years)), pt[m] * math.exp(spread * math.sqrt(years))
    return Forecast(pt, lo, hi)


def metrics(train: dict[str, float], held: dict[str, float], model: Forecast,
            shift_months: set[str]) -> list[dict[str, object]]:
    """Rows (method, subset, n, mase, coverage_90, band_width, mean_actual, scale) per method and subset."""
    scale = naive_scale(train)
    months = sorted(held)
    methods = {"model": model, "last value": last_value(train, months), "seasonal naive": seasonal_naive(train, months)}
    rows: list[dict[str, object]] = []
    for subset, keep in (("all held-out months", set(months)), ("regime-shift months", shift_months)):
        actual = {m: held[m] for m in months if m in keep}
        for name, fc in methods.items():
            rows.append({"method": name, "subset": subset, "n": len(actual),
                         "mase": mase(actual, fc.point, scale) if actual else math.nan,
                         "coverage_90": coverage(actual, fc) if actual else math.nan,
                         "band_width": band_width(sorted(actual), fc),
                         "mean_actual": float(np.mean(list(actual.values()))) if actual else math.nan,
                         "scale": scale})
    return rows


def forecasts_of(months: list[str], all_months: tuple[str, ...], draws: np.ndarray) -> Forecast:
    """Model forecast (median, p05, p95) at ``months`` from replication draws (R, T)."""
    idx = [all_months.index(m) for m in months]
    sub = draws[:, idx]
    med = np.median(sub, axis=0)
    lo, hi = np.quantile(sub, [0.05, 0.95], axis=0)
    return Forecast(dict(zip(months, med.tolist(), strict=True)), dict(zip(months, lo.tolist(), strict=True)),
                    dict(zip(months, hi.tolist(), strict=True)))
