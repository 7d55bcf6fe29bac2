"""The other direction: people crossing from Canada into the United States between ports, and the US side of
the Agreement.

What is modelled: US Border Patrol apprehensions between ports in the **Swanton sector** (Vermont, northern
New York and New Hampshire, facing Quebec) — the northbound counterpart of RCMP interceptions, shipped in
``cbp_northern_encounters`` — and, of those people, how many the United States would return to Canada under
the Agreement if they claimed asylum there (8 CFR 208.30(e)(6): between ports only from the 2023 Protocol,
within 14 days; exceptions (iii)(A)–(F)), asked of :func:`stca.law.evaluate_frame` with
``direction = CANADA_TO_US`` for a northbound population (:func:`stca.flows._population.draw_northbound_population`)
under the scenario's policy. So the measure ``returnable_if_claiming`` changes with the scenario, while
``encounters`` does not: nothing in the data says how northbound crossers respond to the US rules (common
random numbers, as for southbound demand).

Demand is built exactly as the southbound one (:mod:`stca.flows._demand`): every exact monthly figure dated
before the cutoff is an anchor, a fiscal year or year-to-date total with no monthly figure pins its middle
month, bridges are bounded, every total rescales the unpublished months of its period, and after the history
the level reverts towards the last 12 months. Every encounter is counted (apprehension = crossing; known
"got-aways" are left out — assumption). Figures that are preliminary, approximate or lower bounds never
anchor the path; they are compared with the model in :func:`northbound_checks`, as held-out months are.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from stca.flows._demand import Total, constrain_to_totals, fit_ar1, paths

SECTOR = "Swanton"
DIRECTION = "CANADA_TO_US"
#: Columns of ``northbound.csv``: contract.md §6's columns with ``sector`` in place of ``province`` and a
#: ``direction`` column (the contract's ``series.csv`` is left exactly as it is).
COLUMNS: tuple[str, ...] = ("month", "direction", "sector", "route", "measure", "mean", "p05", "p95")
_UNSURE = ("preliminary", "approximate", "lower bound", "more than", "about", "just over")
_MONTHS = {m: i for i, m in enumerate(calendar.month_abbr) if m}


@dataclass(frozen=True)
class Figure:
    """One published Swanton USBP count: [first, stop) in days, the value, whether it is exact, and the last day
    its source can have been published (None = unknown: never known at a cutoff)."""

    label: str
    first: dt.date
    stop: dt.date
    value: float
    exact: bool
    known_on: dt.date | None

    @property
    def monthly(self) -> bool:
        """True when the figure covers exactly one calendar month."""
        return self.first.day == 1 and self.stop == _add_month(self.first)


def _add_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _bounds(period: str) -> tuple[dt.date, dt.date] | None:
    """``YYYY-MM``, ``FYyyyy`` or ``FYyyyy Oct-Mon`` as [first day, day after); None for anything vaguer."""
    if len(period) == 7 and period[4] == "-" and (period[:4] + period[5:]).isdigit():
        first = dt.date(int(period[:4]), int(period[5:]), 1)
        return first, _add_month(first)
    if not period.startswith("FY") or not period[2:6].isdigit():
        return None
    fy = int(period[2:6])
    start = dt.date(fy - 1, 10, 1)
    rest = period[6:].strip()
    if not rest:
        return start, dt.date(fy, 10, 1)
    if rest.startswith("Oct-") and rest[4:] in _MONTHS:
        month = _MONTHS[rest[4:]]
        year = fy - 1 if month >= 10 else fy
        return start, _add_month(dt.date(year, month, 1))
    return None


def _rank(f: Figure) -> tuple[bool, bool, dt.date]:
    """Exact before approximate, then the earliest known publication (unknown last)."""
    return (not f.exact, f.known_on is None, f.known_on or dt.date.max)


def figures() -> list[Figure]:
    """Every dated Swanton-sector Border Patrol count of ``cbp_northern_encounters``, one per period (an exact
    row before an approximate one, then the earliest published), with the day it became known
    (``stca.data.with_published``)."""
    from stca.data import with_published

    rows = with_published("cbp_northern_encounters").filter((pl.col("sector") == SECTOR)
                                                           & (pl.col("component") == "USBP"))
    out: dict[str, Figure] = {}
    for period, value, note, published in rows.select("period", "encounters", "note", "known_on").iter_rows():
        bounds = _bounds(period)
        if bounds is None or value is None:
            continue
        # the note's first clause speaks of this row; later clauses often quote other sources' figures
        first_clause = (note or "").split(";")[0].split(" - ")[0].lower()
        exact = not any(word in first_clause for word in _UNSURE)
        fig = Figure(period, bounds[0], bounds[1], float(value), exact, published)
        if period not in out or _rank(fig) < _rank(out[period]):
            out[period] = fig
    return sorted(out.values(), key=lambda f: (f.first, f.stop))


def _weights(months: tuple[str, ...], first: dt.date, stop: dt.date) -> np.ndarray:
    from stca.flows._observed import day_share

    return day_share(months, first, stop)


@dataclass(frozen=True)
class Northbound:
    """Replications of the northbound series: encounters and returnable people, (R, T) each."""

    months: tuple[str, ...]
    train_until: str
    encounters: np.ndarray
    returnable: np.ndarray

    def frame(self, start: str, end: str) -> pl.DataFrame:
        """Monthly mean, 5th and 95th percentile over replications, in :data:`COLUMNS`."""
        lo, hi = self.months.index(start), self.months.index(end) + 1
        parts = []
        for measure, arr in (("encounters", self.encounters), ("returnable_if_claiming", self.returnable)):
            a = arr[:, lo:hi]
            p05, p95 = np.quantile(a, [0.05, 0.95], axis=0)
            parts.append(pl.DataFrame({
                "month": list(self.months[lo:hi]), "direction": DIRECTION, "sector": SECTOR,
                "route": "BETWEEN_POES_LAND", "measure": measure, "mean": a.mean(axis=0).astype(float),
                "p05": p05.astype(float), "p95": p95.astype(float)}))
        return pl.concat(parts).sort("month", "measure").select(COLUMNS)


def simulate_northbound(months: tuple[str, ...], train_until: str, policy: str, runs: int,
                        seed: int) -> Northbound | None:
    """Northbound replications, or None when no exact Swanton figure is dated before ``train_until``."""
    from stca.flows._run import ALL_MONTHS
    from stca.flows._turnback import LEGAL_ROUTES, legal_outcomes

    cut = dt.date(int(train_until[:4]), int(train_until[5:7]), 1)
    known = [f for f in figures() if f.exact and f.stop <= cut and f.first >= dt.date(2017, 1, 1)
             and f.known_on is not None and f.known_on < cut]
    if not known:
        return None
    index = {m: i for i, m in enumerate(months)}
    monthly = [f for f in known if f.monthly]
    anchored = {f.first.strftime("%Y-%m") for f in monthly}
    anchors: dict[int, float] = {index[f.first.strftime("%Y-%m")]: float(np.log(max(f.value, 0.5))) for f in monthly}
    hold = -1
    for f in known:
        inside = [m for m in months if f.first.strftime("%Y-%m") <= m < f.stop.strftime("%Y-%m")]
        if not f.monthly and inside and not anchored.intersection(inside):
            anchors.setdefault(index[inside[len(inside) // 2]], float(np.log(max(f.value / len(inside), 0.5))))
            hold = max(hold, index[inside[-1]])
    obs_t = np.array(sorted(anchors))
    rng_fit, rng_count, rng_back = (np.random.default_rng(s) for s in np.random.SeedSequence([seed, 2]).spawn(3))
    level = np.tile([anchors[t] for t in obs_t], (runs, 1))
    mu, phi, sigma = fit_ar1(obs_t, level, rng_fit)
    totals = [Total(_weights(months, f.first, f.stop), f.value, True, f.label) for f in known if not f.monthly]
    ones = np.ones((runs, len(months)))
    fixed = np.zeros(max(int(obs_t[-1]), hold) + 1, dtype=bool)
    fixed[[index[m] for m in anchored]] = True
    log_demand = paths(len(months), obs_t, level, mu, phi, sigma, rng_fit, hold,
                       lambda h: constrain_to_totals(h, totals, ones, ones, fixed))
    encounters = rng_count.poisson(np.exp(log_demand).T).T.astype(np.float64)
    outcomes, profiles = legal_outcomes(policy, ALL_MONTHS, direction=DIRECTION)
    weights = np.array([p.weight for p in profiles])
    between = [r[0] for r in LEGAL_ROUTES].index("BETWEEN_POES_LAND")
    share = np.clip(outcomes.turned_back[between, : len(months)] @ weights, 0.0, 1.0)
    returnable = rng_back.binomial(encounters.astype(np.int64).T, share[:, None]).T.astype(np.float64)
    return Northbound(months, train_until, encounters, returnable)


def northbound_checks(result: Northbound) -> list[dict[str, object]]:
    """Every Swanton figure inside the horizon against the model's encounters over the same days."""
    cut = dt.date(int(result.train_until[:4]), int(result.train_until[5:7]), 1)
    last = result.months[-1]
    rows: list[dict[str, object]] = []
    for f in figures():
        if f.first < dt.date(2017, 1, 1) or (f.stop - dt.timedelta(days=1)).strftime("%Y-%m") > last:
            continue
        totals = result.encounters @ _weights(result.months, f.first, f.stop)
        p05, p95 = np.quantile(totals, [0.05, 0.95])
        public = f.known_on is not None and f.known_on < cut
        status = ("calibration" if f.exact else "in-sample check") if f.stop <= cut and public else "held out"
        rows.append({"check": f"Swanton USBP {f.label}", "published": f.value, "exact": f.exact,
                     "model_mean": float(totals.mean()), "model_p05": float(p05), "model_p95": float(p95),
                     "inside_band": bool(p05 <= f.value <= p95), "status": status})
    return rows
