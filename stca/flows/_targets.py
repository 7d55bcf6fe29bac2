"""Calibration targets after the 2023 Additional Protocol: what people did once every crossing could send them back.

Why: before 2023-03-25 the data say how people split between a port (where most were turned back) and the
corridor (where nobody was), which ties the port constant to β but says nothing of how many non-exempt
people would still try a land route if *every* route turned them back, or of where exempt people go when
both are open to them. Two published ratios after the Protocol answer exactly that:

* ``protocol_turn_back``: people returned to the US at the land border (CBSA, 2024-01..08, 2,481 ÷ 8 months)
  per RCMP interception (2024, 1,302 ÷ 12 months) — identifies ``a_qc`` against β (non-exempt people who try);
* ``protocol_port_claims``: claims at the Lacolle port per whole published month of 2024 (CBSA) per national
  interception — identifies ``a_poe`` for exempt people, who are admitted at either.

Each is a ratio of monthly averages over the months each source covers (both sources cover only part of the
year, so the ratio of averages is what they support); a target enters only when all its figures are dated
before the cutoff. The month label fixes which month's engine answers predict it (2024-06: the Protocol in
force, no closure).
"""

from __future__ import annotations

import polars as pl

from stca.flows._observed import known

PROTOCOL_MONTH = "2024-06"
#: A month wholly inside the COVID-19 closure, and the last whole month before it.
CLOSURE_MONTH, CLOSURE_OPEN_MONTH = "2020-04", "2020-02"


def closure_ratio(train_until: str) -> list[tuple[str, float, str]]:
    """The COVID-19 closure as a natural experiment on deterrence: every corridor crosser was directed back.

    Target ``closure_deterrence``: people directed back between ports per day, 2020-03-21..05-12 (26 in 53
    days; stca_returns, CBSA to La Presse) ÷ interceptions per day, 2020-01-01..03-19 (3,007 in 79 days;
    rcmp_interceptions_periods, Public Safety briefing). The model predicts it as corridor turn-backs per
    arrival in 2020-04 ÷ corridor crossers per arrival in 2020-02 — with demand unchanged, so the pandemic's own
    fall in demand is read as deterrence: the target leans towards too much deterrence, and it enters only
    as one kind among the others (docs/simulator.md, assumption list). It identifies ``a_qc`` against β
    before any post-Protocol figure exists.

    >>> [(m, round(r, 4), k) for m, r, k in closure_ratio("2020-12")]
    [('2020-04', 0.0129, 'closure_deterrence')]
    >>> closure_ratio("2020-07")  # the 2020-01-01..03-19 count was published on 2020-07-24
    []
    """
    if train_until <= "2020-05":
        return []
    back = known("stca_returns", train_until).filter((pl.col("period") == "2020-03-21..2020-05-12")
                                       & pl.col("location").str.starts_with("ALL"))
    before = known("rcmp_interceptions_periods", train_until).filter((pl.col("period_start") == "2020-01")
                                                       & (pl.col("period_end") == "2020-03-19")
                                                       & (pl.col("province") == "TOTAL"))
    if not back.height or not before.height:
        return []
    return [(CLOSURE_MONTH, (float(back["persons"][0]) / 53) / (float(before["interceptions"][0]) / 79),
             "closure_deterrence")]
LACOLLE = "land POE (Lacolle, QC)"


def protocol_ratios(train_until: str) -> list[tuple[str, float, str]]:
    """``(month, ratio, kind)`` targets known before ``train_until`` (``YYYY-MM``, first held-out month).

    >>> protocol_ratios("2023-02")
    []
    >>> [(m, round(r, 2), k) for m, r, k in protocol_ratios("2026-03")]
    [('2024-06', 2.86, 'protocol_turn_back'), ('2024-06', 7.3, 'protocol_port_claims')]
    """
    if train_until <= "2024-12":  # the 2024 interception total is needed by both
        return []
    annual = known("rcmp_interceptions_annual", train_until).filter((pl.col("year") == 2024)
                                                                    & (pl.col("province") == "TOTAL"))
    if not annual.height:  # published 2025-02-11
        return []
    per_month = float(annual["interceptions"][0]) / 12
    out: list[tuple[str, float, str]] = []
    returns = known("stca_returns", train_until).filter(pl.col("period") == "2024-01..2024-08")
    if returns.height:
        out.append((PROTOCOL_MONTH, float(returns["persons"][0]) / 8 / per_month, "protocol_turn_back"))
    claims = known("asylum_claims_by_office", train_until).filter(
        (pl.col("location_or_office_type") == LACOLLE) & pl.col("period").str.contains(r"^2024-\d\d$")
        & (pl.col("period") < train_until))
    if claims.height:
        out.append((PROTOCOL_MONTH, float(claims["claims"].mean()) / per_month, "protocol_port_claims"))  # type: ignore[arg-type]
    return out
