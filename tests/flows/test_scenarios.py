"""Scenario effects, reproducibility and the law-engine link, on in-process runs (no Dask here)."""

from __future__ import annotations

import numpy as np
import pytest

from stca.flows import ALL_MONTHS, SERIES, Prepared, run_local
from stca.flows._turnback import legal_outcomes

QC_INTERCEPTIONS = SERIES.index(("QC", "BETWEEN_POES_LAND", "interceptions"))
RUNS = 60


def _qc_total(prepared: Prepared, start: str, end: str, seed: int = 3) -> float:
    result = run_local(prepared, RUNS, seed)
    lo, hi = ALL_MONTHS.index(start), ALL_MONTHS.index(end) + 1
    return float(result.series[:, lo:hi, QC_INTERCEPTIONS].sum(axis=1).mean())


def test_whole_border_cuts_quebec_interceptions_before_the_protocol(prepared: dict[str, Prepared]) -> None:
    law = _qc_total(prepared["law"], "2017-01", "2020-02")
    whole = _qc_total(prepared["whole-border"], "2017-01", "2020-02")
    assert whole < 0.5 * law


def test_pre_protocol_keeps_the_corridor_open_after_2023(prepared: dict[str, Prepared]) -> None:
    law = _qc_total(prepared["law"], "2023-06", "2026-12")
    pre = _qc_total(prepared["pre-protocol"], "2023-06", "2026-12")
    whole = _qc_total(prepared["whole-border"], "2023-06", "2026-12")
    assert pre > 5 * law
    assert whole < 0.5 * pre


def test_close_roxham_cuts_quebec_interceptions_after_closing(prepared: dict[str, Prepared]) -> None:
    before_law = _qc_total(prepared["law"], "2017-01", "2017-07")
    before_closed = _qc_total(prepared["close-roxham"], "2017-01", "2017-07")
    assert abs(before_closed - before_law) < 0.05 * before_law  # same demand and rules before (Poisson noise)
    law = _qc_total(prepared["law"], "2017-08", "2020-02")
    closed = _qc_total(prepared["close-roxham"], "2017-08", "2020-02")
    assert closed < 0.5 * law


def test_close_roxham_displaces_to_other_routes(prepared: dict[str, Prepared]) -> None:
    ports = SERIES.index(("CA", "LAND_POE", "turned_back"))
    other = SERIES.index(("MB", "BETWEEN_POES_LAND", "interceptions"))
    law = run_local(prepared["law"], RUNS, 5)
    closed = run_local(prepared["close-roxham"], RUNS, 5)
    span = slice(ALL_MONTHS.index("2018-01"), ALL_MONTHS.index("2019-12") + 1)
    assert closed.series[:, span, ports].sum() > law.series[:, span, ports].sum()
    assert closed.series[:, span, other].sum() > law.series[:, span, other].sum()


def test_same_seed_same_numbers_other_seed_other_numbers(prepared: dict[str, Prepared]) -> None:
    a = run_local(prepared["law"], 30, 11)
    b = run_local(prepared["law"], 30, 11)
    c = run_local(prepared["law"], 30, 12)
    assert np.array_equal(a.series, b.series) and np.array_equal(a.reception, b.reception)
    assert not np.array_equal(a.series, c.series)


def test_turn_back_chances_come_from_the_engine() -> None:
    law, profiles = legal_outcomes("law", ALL_MONTHS)
    pre, _ = legal_outcomes("pre-protocol", ALL_MONTHS)
    w = np.array([p.weight for p in profiles])
    between = law.routes.index("BETWEEN_POES_LAND")

    def share(outcomes: object, month: str) -> float:
        return float(outcomes.turned_back[between, ALL_MONTHS.index(month)] @ w)  # type: ignore[attr-defined]

    assert share(law, "2019-06") == 0.0  # outside the Agreement before the Protocol (IRPR 159.4(1))
    assert share(law, "2020-06") == pytest.approx(1.0)  # COVID-19 direct-back overlay
    assert 0.0 < share(law, "2023-03") < share(law, "2023-06")  # Protocol from 2023-03-25, mid-month
    assert share(law, "2024-06") > 0.5 and share(pre, "2024-06") == 0.0


def test_series_and_reception_are_consistent(prepared: dict[str, Prepared]) -> None:
    result = run_local(prepared["law"], 20, 1)
    frame = result.frame("2022-01", "2022-12")
    ca = frame.filter((frame["province"] == "CA") & (frame["measure"] == "claims"))
    parts = frame.filter((frame["province"] != "CA") & (frame["measure"] == "claims"))
    assert abs(ca["mean"].sum() - parts["mean"].sum()) < 1e-3 * ca["mean"].sum()
    assert (frame["p05"] <= frame["mean"] + 1e-6).all() and (frame["mean"] <= frame["p95"] + 1e-6).all()
    rec = result.reception_frame("2022-01", "2023-03")
    moved_out = rec.filter(rec["measure"] == "transfers_out")["mean"].sum()
    moved_in = rec.filter(rec["measure"] == "transfers_in")["mean"].sum()
    assert abs(moved_out - moved_in) < 1e-3 * max(moved_out, 1.0)


def test_population_frame_uses_only_law_fact_columns() -> None:
    from stca.flows._population import draw_population
    from stca.flows._turnback import build_frame
    from stca.law.frame import FACT_COLUMNS

    frame = build_frame(draw_population(300, seed=2), ["2023-04"])
    facts = set(frame.columns) - {"route", "month", "profile"}
    assert facts <= set(FACT_COLUMNS)
    assert {"entry_place", "claim_local_date", "family_members", "documents_held", "age_years"} <= facts


def test_annual_total_pins_a_year_without_monthly_figures(prepared: dict[str, Prepared]) -> None:
    law = prepared["law"]
    assert law.observed.annual_total == {2024: 1302.0}  # no monthly 2024 figure; 2023 has monthly ones
    result = run_local(law, RUNS, 2)
    canada = SERIES.index(("CA", "BETWEEN_POES_LAND", "interceptions"))
    year = slice(ALL_MONTHS.index("2024-01"), ALL_MONTHS.index("2024-12") + 1)
    simulated = float(np.median(result.series[:, year, canada].sum(axis=1)))
    assert 1302 / 2 < simulated < 1302 * 2
