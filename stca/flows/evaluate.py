"""Rolling-origin evaluation of the simulator against baselines given the same policy dates (``stca validate``).

How it runs, as a forecasting competition would:

* **Origins.** Every cutoff month C from 2017-06 on at which some target below has a published figure. At C
  the model and every baseline see only figures counting months before C *and published before C's first
  day* (``stca.flows._observed``); horizon h targets month C + h − 1 (h = 1 is the first withheld month).
* **Truth.** The latest canonical figure of each target month (Quebec; Canada as published), with its
  publication date.
* **Two modes, on every row.** ``policy-conditional``: the law's dates are all known, as a scenario tool must
  assume ("if the Protocol enters into force on 2023-03-25 …"). ``real-time``: only rules in force or
  announced before C (``stca.flows._scenarios.ANNOUNCED``): a 2020-02 forecast does not know the COVID-19
  order of 2020-03-21. The baselines get the same dates as the model in each mode.
* **Scores.** CRPS, the 90 % interval score, absolute error scaled by the in-sample one-step change of the
  training series (MASE), coverage and width of the 90 % band (:mod:`stca.flows.scoring`); skill against the
  regime-aware naive with moving-block bootstrap intervals, Diebold–Mariano per horizon.

The simulator is reached through one function, :func:`forecast`, so a change of the model's internals only
has to keep that function's contract.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import polars as pl

from stca.data import annotated_monthly, month_grid
from stca.flows._observed import LAST_DATA_MONTH, Observed, cutoff_day
from stca.flows._scenarios import MODES, Mode, realtime_policy_name
from stca.flows._validation import naive_scale
from stca.flows.baselines import METHODS, baselines
from stca.flows.scoring import band, crps, diebold_mariano, interval_score, skill, skill_interval

#: Validated series: key → (canonical province of ``stca.data``, model series, label).
SERIES: dict[str, tuple[str, tuple[str, str, str], str]] = {
    "QC": ("QC", ("QC", "BETWEEN_POES_LAND", "interceptions"), "Quebec interceptions between ports"),
    "CA": ("TOTAL", ("CA", "BETWEEN_POES_LAND", "interceptions"), "Canada interceptions between ports"),
}
FIRST_ORIGIN = "2017-06"
MAX_HORIZON = 12
#: Horizons reported one by one; the targets pool horizons 1–6.
HORIZONS: tuple[int, ...] = (1, 3, 6, 12)
POOLED: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
#: Cutoffs whose every held-out month (any horizon) is scored, as in the issue's targets.
NAMED_CUTOFFS: tuple[str, ...] = ("2020-02", "2023-02")
REFERENCE = "regime naive"
#: The year-total target: trained before this cutoff, the model's total for this year vs the published one.
YEAR_TARGET: tuple[str, int] = ("2023-02", 2024)
#: Within this factor of the published total (either way) counts as met.
YEAR_FACTOR = 1.5
#: Months simulated at every cutoff (at least): to the end of the year-total target.
SIMULATED_TO = f"{YEAR_TARGET[1]}-12"
ALL_METHODS: tuple[str, ...] = ("model", *METHODS)


@dataclass(frozen=True)
class Forecasts:
    """The simulator's replications at one cutoff: ``draws[mode][series]`` arrays (runs, len(months))."""

    cutoff: str
    months: tuple[str, ...]
    draws: dict[str, dict[str, np.ndarray]]
    observed: Observed


def forecast(cutoff: str, modes: Iterable[Mode] = MODES, runs: int = 200, seed: int = 1,
             end: str = SIMULATED_TO) -> Forecasts:
    """The one adapter to the simulator: the ``law`` scenario calibrated at ``cutoff``, run in each mode to
    ``end`` (the simulator's ``--to``; the first months do not depend on it).

    Both modes share the calibration (it reads only training months, identical in both) and the seed, so
    their difference is the law's dates alone.
    """
    from stca.flows import get_scenario, prepare, run_local
    from stca.flows._model import SERIES as MODEL_SERIES
    from stca.flows._scenarios import realtime_inputs

    base = prepare(get_scenario("law"), train_until=cutoff, seed=seed, end=max(end, _shift(cutoff, MAX_HORIZON)))
    draws: dict[str, dict[str, np.ndarray]] = {}
    for mode in modes:
        prepared = base if mode == "policy-conditional" else dataclasses.replace(
            base, inputs=realtime_inputs(base.inputs, base.months, cutoff), mode=mode)
        result = run_local(prepared, runs, seed)
        draws[mode] = {key: np.asarray(result.series[:, :, MODEL_SERIES.index(spec[1])], dtype=float)
                       for key, spec in SERIES.items()}
    return Forecasts(cutoff, base.months, draws, base.observed)


def _shift(month: str, k: int) -> str:
    n = int(month[:4]) * 12 + int(month[5:7]) - 1 + k
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def truth() -> dict[str, dict[str, tuple[float, str]]]:
    """Latest canonical figure and its publication date per series and month."""
    rows = annotated_monthly().filter(pl.col("chosen"))
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for key, (province, _series, _label) in SERIES.items():
        sub = rows.filter(pl.col("canonical_province") == province)
        out[key] = {m: (float(v), p or k.isoformat()) for m, v, p, k in
                    zip(sub["month"], sub["interceptions"], sub["published"], sub["known_on"], strict=True)}
    return out


def cutoffs(first: str = FIRST_ORIGIN, last: str = LAST_DATA_MONTH,
            actual: dict[str, dict[str, tuple[float, str]]] | None = None) -> list[str]:
    """Every cutoff from ``first`` to ``last`` with a published figure at some horizon 1…12."""
    actual = actual if actual is not None else truth()
    months = set().union(*(set(v) for v in actual.values()))
    return [c for c in month_grid(first, last) if any(_shift(c, h - 1) in months for h in range(1, MAX_HORIZON + 1))]


def _policy(mode: str, cutoff: str) -> str:
    return "law" if mode == "policy-conditional" else realtime_policy_name(cutoff_day(cutoff))


def score_cutoff(fc: Forecasts, actual: dict[str, dict[str, tuple[float, str]]]) -> list[dict[str, object]]:
    """One row per (mode, series, target month, method) at the cutoff of ``fc``."""
    cutoff = fc.cutoff
    rows: list[dict[str, object]] = []
    for key in SERIES:
        train = fc.observed.qc if key == "QC" else fc.observed.total
        if len(train) < 2:
            continue
        try:
            scale = naive_scale(train)
        except ValueError:
            continue
        limit = None if cutoff in NAMED_CUTOFFS else _shift(cutoff, MAX_HORIZON - 1)
        targets = sorted(m for m in actual[key] if m >= cutoff and (limit is None or m <= limit))
        if not targets:
            continue
        last_train = max(train)
        for mode, by_series in fc.draws.items():
            methods: dict[str, dict[str, np.ndarray]] = {
                "model": {m: by_series[key][:, fc.months.index(m)] for m in targets}}
            for name, baseline in baselines(train, targets, _policy(mode, cutoff)).items():
                methods[name] = baseline.members
            for m in targets:
                value, published = actual[key][m]
                horizon = (int(m[:4]) - int(cutoff[:4])) * 12 + int(m[5:7]) - int(cutoff[5:7]) + 1
                for name, members in methods.items():
                    point, lo, hi = band(members[m])
                    rows.append({
                        "mode": mode, "series": key, "cutoff": cutoff, "horizon": horizon, "month": m,
                        "method": name, "actual": value,
                        "actual_published": published,
                        "last_training_month": last_train, "point": point, "p05": lo, "p95": hi,
                        "crps": crps(value, members[m]), "interval_score": interval_score(value, lo, hi),
                        "scaled_error": abs(value - point) / scale, "covered": bool(lo <= value <= hi),
                        "band_width": hi - lo,
                    })
    return rows


def rolling_origin(origins: list[str], runs: int = 200, seed: int = 1, modes: Iterable[Mode] = MODES,
                   progress: Callable[[int, int, str], None] | None = None
                   ) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Every case (one row per mode, series, cutoff, target month and method) over ``origins``, and the
    year-total rows (:data:`YEAR_TARGET`) when its cutoff is among them."""
    actual = truth()
    rows: list[dict[str, object]] = []
    totals: list[dict[str, object]] = []
    modes = tuple(modes)
    for i, cutoff in enumerate(origins):
        fc = forecast(cutoff, modes, runs, seed)
        rows += score_cutoff(fc, actual)
        if cutoff == YEAR_TARGET[0]:
            totals = year_rows(fc, YEAR_TARGET[1])
        if progress is not None:
            progress(i + 1, len(origins), cutoff)
    return pl.DataFrame(rows, infer_schema_length=None), totals


def year_rows(fc: Forecasts, year: int) -> list[dict[str, object]]:
    """Model total of ``year`` (median, 90 % band) against the published total, per mode and series."""
    out: list[dict[str, object]] = []
    for mode in fc.draws:
        for key in SERIES:
            median, lo, hi = year_total(fc, key, year, mode)  # type: ignore[arg-type]
            published = published_total(key, year)
            ratio = median / published[0] if published and published[0] > 0 else math.nan
            out.append({"cutoff": fc.cutoff, "year": year, "mode": mode, "series": key, "model_median": median,
                        "model_p05": lo, "model_p95": hi,
                        "published": published[0] if published else None,
                        "published_as": published[1] if published else "not shipped",
                        "ratio": ratio,
                        "within_factor": (bool(1 / YEAR_FACTOR <= ratio <= YEAR_FACTOR)
                                          if not math.isnan(ratio) else None)})
    return out


def _group(cases: pl.DataFrame, horizons: tuple[int, ...]) -> pl.DataFrame:
    return cases.filter(pl.col("horizon").is_in(list(horizons)))


def summarise(cases: pl.DataFrame, seed: int = 0) -> list[dict[str, object]]:
    """Per mode, series, horizon (1, 3, 6, 12 and pooled 1–6) and method: n, mean CRPS, interval score,
    MASE, coverage and width of the 90 % band, and the CRPS skill against the regime naive with its 95 %
    block-bootstrap interval (and, for a single horizon, the Diebold–Mariano statistic and p-value)."""
    out: list[dict[str, object]] = []
    groups = [(str(h), (h,)) for h in HORIZONS] + [("1-6", POOLED)]
    for mode in MODES:
        for key in SERIES:
            for label, horizons in groups:
                sub = _group(cases, horizons).filter((pl.col("mode") == mode) & (pl.col("series") == key))
                if sub.is_empty():
                    continue
                ref = sub.filter(pl.col("method") == REFERENCE).sort("cutoff", "month")
                for method in ALL_METHODS:
                    part = sub.filter(pl.col("method") == method).sort("cutoff", "month")
                    if part.is_empty():
                        continue
                    row: dict[str, object] = {
                        "mode": mode, "series": key, "horizons": label, "method": method, "n": part.height,
                        "origins": part["cutoff"].n_unique(), "crps": float(part["crps"].mean()),  # type: ignore[arg-type]
                        "interval_score": float(part["interval_score"].mean()),  # type: ignore[arg-type]
                        "mase": float(part["scaled_error"].mean()),  # type: ignore[arg-type]
                        "coverage_90": float(part["covered"].mean()),  # type: ignore[arg-type]
                        "band_width": float(part["band_width"].mean()),  # type: ignore[arg-type]
                    }
                    a, b = part["crps"].to_list(), ref["crps"].to_list()
                    row["crps_skill"] = skill(a, b)
                    lo, hi = skill_interval(a, b, part["cutoff"].to_list(), seed=seed) if method != REFERENCE \
                        else (math.nan, math.nan)
                    row["skill_lo"], row["skill_hi"] = lo, hi
                    stat, p = (diebold_mariano(a, b, horizons[0]) if len(horizons) == 1 and method != REFERENCE
                               else (math.nan, math.nan))
                    row["dm_stat"], row["dm_p"] = stat, p
                    out.append(row)
    return out


def named_cutoffs(cases: pl.DataFrame) -> list[dict[str, object]]:
    """Coverage of every held-out month at the cutoffs of :data:`NAMED_CUTOFFS`, per mode, series and method."""
    out: list[dict[str, object]] = []
    for cutoff in NAMED_CUTOFFS:
        for mode in MODES:
            for key in SERIES:
                for method in ALL_METHODS:
                    part = cases.filter((pl.col("cutoff") == cutoff) & (pl.col("mode") == mode)
                                        & (pl.col("series") == key) & (pl.col("method") == method))
                    if part.is_empty():
                        continue
                    out.append({"cutoff": cutoff, "mode": mode, "series": key, "method": method, "n": part.height,
                                "coverage_90": float(part["covered"].mean()),  # type: ignore[arg-type]
                                "crps": float(part["crps"].mean()),  # type: ignore[arg-type]
                                "mase": float(part["scaled_error"].mean())})  # type: ignore[arg-type]
    return out


def published_total(key: str, year: int) -> tuple[float, str] | None:
    """The published total of a year: the 12 canonical months when all are shipped, else an annual row."""
    from stca.data import load

    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    actual = truth()[key]
    if all(m in actual for m in months):
        return sum(actual[m][0] for m in months), "sum of the 12 published months"
    province = SERIES[key][0]
    annual = load("rcmp_interceptions_annual").filter((pl.col("year") == year) & (pl.col("province") == province))
    if annual.height:
        return float(annual["interceptions"][0]), "annual total (rcmp_interceptions_annual)"
    return None


def year_total(fc: Forecasts, key: str, year: int, mode: Mode = "policy-conditional") -> tuple[float, float, float]:
    """(median, 5th, 95th percentile) over replications of the model's total for ``year``."""
    idx = [fc.months.index(f"{year}-{m:02d}") for m in range(1, 13)]
    totals = fc.draws[mode][key][:, idx].sum(axis=1)
    return band(totals)
