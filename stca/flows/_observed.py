"""What the simulator is calibrated and validated against, cut at the training boundary.

Only canonical rows (``stca.data.monthly_series``) are used; a month without a published figure is absent,
never filled. Fitting at a cutoff ``train_until`` (``YYYY-MM``, first held-out month) uses a figure only when
both hold: it counts a period that ends before the cutoff, *and* it was published before the cutoff's first
day (``stca.data.with_published``) — the data as they were known then, vintage by vintage (a preliminary
figure until its revision appeared). Held-out figures are the latest canonical ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from stca.data import known_before, monthly_series, with_published

FIRST_MONTH = "2017-01"
LAST_DATA_MONTH = "2024-12"

#: Annual STCA turn-backs at land ports of entry (stca_returns: CBSA answer to Parliament, via CBC).
TURN_BACK_YEARS: tuple[int, ...] = (2016, 2017, 2018, 2019)
#: Months with Quebec land-port claims and Quebec interceptions both published (asylum_claims_by_office).
POE_CLAIM_MONTHS: tuple[tuple[str, str], ...] = (("2017-01", "land POE (Lacolle, QC)"),
                                                  ("2018-02", "land POE (Quebec)"))
#: The one published count of people turned back at the land border that spans the COVID-19 closure
#: (stca_returns: government answer to MP Jenny Kwan, via CBC). Its measure says it counts STCA returns at
#: ports *and* COVID-era directions back between ports, i.e. the model's LAND_POE + BETWEEN_POES_LAND
#: ``turned_back``. It calibrates the pandemic demand multiplier (docs/simulator.md §Demand) when the whole
#: period lies before ``train_until``.
COVID_TURN_BACK_PERIOD = "2020-01-01..2020-09-23"


@dataclass(frozen=True)
class Observed:
    """Training observations (strictly before ``train_until``) and held-out ones (at or after it).

    Attributes:
        qc, total: month → canonical RCMP interceptions (Quebec; Canada as published).
        turn_back_ratio: year → annual land-POE turn-backs ÷ annual interceptions (Canada).
        poe_claim_ratio: month → Quebec land-POE claims ÷ Quebec interceptions.
        other_share_ratio: month → (Canada − Quebec) ÷ Quebec interceptions.
        annual_qc, annual_total: year → annual interceptions, only for complete training years (2017 on)
            in which that series has no monthly figure at all; they pin the latent demand of the year
            (constant-within-year demand), they are never spread into monthly figures.
        covid_turn_backs: (first day, last day, persons) of :data:`COVID_TURN_BACK_PERIOD` when it ends
            before ``train_until``, else None (the model then knows nothing of the pandemic).
    """

    train_until: str
    qc: dict[str, float]
    total: dict[str, float]
    held_qc: dict[str, float]
    held_total: dict[str, float]
    turn_back_ratio: dict[int, float]
    poe_claim_ratio: dict[str, float]
    other_share_ratio: dict[str, float]
    annual_qc: dict[int, float]
    annual_total: dict[int, float]
    covid_turn_backs: tuple[str, str, float] | None = None


def _series(province: str, as_of: dt.date | None = None) -> dict[str, float]:
    s = monthly_series(province, FIRST_MONTH, LAST_DATA_MONTH, as_of=as_of).drop_nulls("interceptions")
    return {m: float(v) for m, v in zip(s["month"], s["interceptions"], strict=True)}


def cutoff_day(train_until: str) -> dt.date:
    """The first day of the month ``train_until``: a figure is known at the cutoff if published before it."""
    return dt.date(int(train_until[:4]), int(train_until[5:7]), 1)


def known(name: str, train_until: str) -> pl.DataFrame:
    """The rows of shipped table ``name`` published before the cutoff ``train_until`` (what fitting may read)."""
    return known_before(with_published(name), cutoff_day(train_until))


def observed(train_until: str) -> Observed:
    """Split the shipped history at ``train_until`` (``YYYY-MM``, first held-out month), as known then."""
    day = cutoff_day(train_until)
    qc, total = _series("QC"), _series("TOTAL")
    known_qc, known_total = _series("QC", day), _series("TOTAL", day)
    annual_rows = known("rcmp_interceptions_annual", train_until).unique(
        subset=["year", "province"], keep="first", maintain_order=True)
    annual = annual_rows.filter(pl.col("province") == "TOTAL")
    annual_by_year = dict(zip(annual["year"].to_list(), annual["interceptions"].to_list(), strict=True))

    def pins(province: str, monthly: dict[str, float]) -> dict[int, float]:
        rows = annual_rows.filter(pl.col("province") == province)
        return {int(y): float(v) for y, v in zip(rows["year"], rows["interceptions"], strict=True)
                if y >= 2017 and f"{y}-12" < train_until and not any(m.startswith(f"{y}-") for m in monthly)}

    returns = known("stca_returns", train_until).filter(
        pl.col("measure").str.starts_with("turned_back_at_US_border (STCA ineligible"))
    tb: dict[int, float] = {}
    for period, persons in zip(returns["period"], returns["persons"], strict=True):
        year = int(period)
        if year in TURN_BACK_YEARS and f"{year}-12" < train_until and year in annual_by_year:
            tb[year] = persons / annual_by_year[year]
    claims = known("asylum_claims_by_office", train_until)
    poe: dict[str, float] = {}
    for month, kind in POE_CLAIM_MONTHS:
        row = claims.filter((pl.col("period") == month) & (pl.col("location_or_office_type") == kind))
        if month < train_until and row.height and month in known_qc:
            poe[month] = float(row["claims"][0]) / known_qc[month]
    first, last = COVID_TURN_BACK_PERIOD.split("..")
    try:
        covid: tuple[str, str, float] | None = (first, last, returns_row(COVID_TURN_BACK_PERIOD, day))
    except LookupError:
        covid = None
    train_qc = {m: v for m, v in known_qc.items() if m < train_until}
    train_total = {m: v for m, v in known_total.items() if m < train_until}
    other = {m: (train_total[m] - v) / v for m, v in train_qc.items() if m in train_total and train_total[m] > v > 0}
    return Observed(
        train_until=train_until,
        qc=train_qc,
        total=train_total,
        held_qc={m: v for m, v in qc.items() if m >= train_until},
        held_total={m: v for m, v in total.items() if m >= train_until},
        turn_back_ratio=tb, poe_claim_ratio=poe, other_share_ratio=other,
        annual_qc=pins("QC", known_qc), annual_total=pins("TOTAL", known_total),
        covid_turn_backs=covid if last[:7] < train_until else None,
    )


def check_train_until(train_until: str) -> None:
    """Refuse a held-out split the shipped history cannot support, before any work is done.

    Validation needs published monthly figures on both sides of ``train_until`` (``YYYY-MM``, the first
    held-out month): two consecutive training months for the naive scale of MASE, and at least one
    held-out month of the validated series (Quebec or the national total).

    Raises:
        ValueError: saying which months the data allow.
    """
    months = sorted(set(_series("QC")) | set(_series("TOTAL")))
    first_ok = months[2] if len(months) > 2 else FIRST_MONTH  # two consecutive training months at least
    last = months[-1]
    if train_until > last:
        raise ValueError(f"no published monthly figure at or after {train_until} to validate on: the shipped "
                         f"history ends in {last}; choose a month from {first_ok} to {last}")
    if train_until < first_ok:
        raise ValueError(f"too few published months before {train_until} to fit on: the shipped history starts "
                         f"in {months[0]}; choose a month from {first_ok} to {last}")


def returns_row(period: str, as_of: dt.date | None = None) -> float:
    """The persons of the ``stca_returns`` row for ``period`` counting people turned back, whole border.

    Args:
        period: the row's ``period``.
        as_of: only a row published before this day counts (None: any row).

    Raises:
        LookupError: no such row (the shipped data changed, or it was not yet published on ``as_of``).
    """
    rows = known_before(with_published("stca_returns"), as_of).filter((pl.col("period") == period)
                                       & pl.col("measure").str.contains("turned_back|returned_to_US")
                                       & pl.col("location").str.starts_with("ALL"))
    if not rows.height:
        raise LookupError(f"stca_returns has no turn-back row for {period}")
    return float(rows["persons"][0])


def day_share(months: tuple[str, ...] | list[str], first: dt.date, end: dt.date) -> np.ndarray:
    """Share of each month's days in [first, end).

    >>> day_share(["2020-03", "2020-04"], dt.date(2020, 3, 21), dt.date(2020, 4, 16)).round(3).tolist()
    [0.355, 0.5]
    """
    out = np.zeros(len(months))
    for i, month in enumerate(months):
        y, m = int(month[:4]), int(month[5:7])
        start, days = dt.date(y, m, 1), calendar.monthrange(y, m)[1]
        stop = start + dt.timedelta(days=days)
        out[i] = max((min(stop, end) - max(start, first)).days, 0) / days
    return out


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def route_noise_variance(obs: Observed, default: float = 0.09) -> float:
    """Month-to-month log-variance of one route's count beyond Poisson noise and common demand.

    Why this estimator: Quebec and the other provinces share one demand, so the change of their log ratio
    between consecutive published months cancels demand and leaves each route's own noise — two routes, two
    months: Var(Δ log ratio) = 4 v + Poisson terms (1/n summed over the four counts). ``v`` is the variance
    of the negative-binomial mixing (1/k) of every route count. ``default`` (the 2023-02 estimate, 0.095
    rounded) is used only when fewer than three consecutive pairs exist.
    """
    ratios = obs.other_share_ratio
    months = sorted(ratios)
    changes, poisson = [], []
    for a, b in itertools.pairwise(months):
        if _month_number(b) - _month_number(a) == 1:
            changes.append(math.log(ratios[b] / ratios[a]))
            poisson.append(sum(1 / (obs.total[m] - obs.qc[m]) + 1 / obs.qc[m] for m in (a, b)))
    if len(changes) < 3:
        return default
    return max((sum(c * c for c in changes) - sum(poisson)) / len(changes) / 4, 1e-3)
