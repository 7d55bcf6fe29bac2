"""What the simulator is calibrated and validated against, cut at the training boundary.

Only canonical rows (``stca.data.monthly_series``) are used; a month without a published figure is absent,
never filled. Everything dated at or after ``train_until`` is withheld from fitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from stca.data import load, monthly_series

FIRST_MONTH = "2017-01"
LAST_DATA_MONTH = "2024-12"

#: Annual STCA turn-backs at land ports of entry (stca_returns: CBSA answer to Parliament, via CBC).
TURN_BACK_YEARS: tuple[int, ...] = (2016, 2017, 2018, 2019)
#: Months with Quebec land-port claims and Quebec interceptions both published (asylum_claims_by_office).
POE_CLAIM_MONTHS: tuple[tuple[str, str], ...] = (("2017-01", "land POE (Lacolle, QC)"),
                                                  ("2018-02", "land POE (Quebec)"))


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


def _series(province: str) -> dict[str, float]:
    s = monthly_series(province, FIRST_MONTH, LAST_DATA_MONTH).drop_nulls("interceptions")
    return {m: float(v) for m, v in zip(s["month"], s["interceptions"], strict=True)}


def observed(train_until: str) -> Observed:
    """Split the shipped history at ``train_until`` (``YYYY-MM``, first held-out month)."""
    qc, total = _series("QC"), _series("TOTAL")
    annual_rows = load("rcmp_interceptions_annual").unique(subset=["year", "province"], keep="first",
                                                           maintain_order=True)
    annual = annual_rows.filter(pl.col("province") == "TOTAL")
    annual_by_year = dict(zip(annual["year"].to_list(), annual["interceptions"].to_list(), strict=True))

    def pins(province: str, monthly: dict[str, float]) -> dict[int, float]:
        rows = annual_rows.filter(pl.col("province") == province)
        return {int(y): float(v) for y, v in zip(rows["year"], rows["interceptions"], strict=True)
                if y >= 2017 and f"{y}-12" < train_until and not any(m.startswith(f"{y}-") for m in monthly)}

    returns = load("stca_returns").filter(pl.col("measure").str.starts_with("turned_back_at_US_border (STCA "
                                                                          "ineligible"))
    tb: dict[int, float] = {}
    for period, persons in zip(returns["period"], returns["persons"], strict=True):
        year = int(period)
        if year in TURN_BACK_YEARS and f"{year}-12" < train_until and year in annual_by_year:
            tb[year] = persons / annual_by_year[year]
    claims = load("asylum_claims_by_office")
    poe: dict[str, float] = {}
    for month, kind in POE_CLAIM_MONTHS:
        row = claims.filter((pl.col("period") == month) & (pl.col("location_or_office_type") == kind))
        if month < train_until and row.height and month in qc:
            poe[month] = float(row["claims"][0]) / qc[month]
    other = {m: (total[m] - qc[m]) / qc[m] for m in qc if m in total and m < train_until and total[m] > qc[m] > 0}
    return Observed(
        train_until=train_until,
        qc={m: v for m, v in qc.items() if m < train_until},
        total={m: v for m, v in total.items() if m < train_until},
        held_qc={m: v for m, v in qc.items() if m >= train_until},
        held_total={m: v for m, v in total.items() if m >= train_until},
        turn_back_ratio=tb, poe_claim_ratio=poe, other_share_ratio=other,
        annual_qc=pins("QC", qc), annual_total=pins("TOTAL", total),
    )
