"""The rolling-origin evaluation: scores, baselines, publication dates, the real-time law, the machinery on
one small cutoff, the command's bad input, and the committed results in docs/validation/rolling-origin."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import scoringrules as sr
from typer.testing import CliRunner

from stca.cli import app
from stca.data import monthly_series, source_date, with_published
from stca.flows import ALL_MONTHS, get_scenario, prepare
from stca.flows._observed import observed
from stca.flows._scenarios import engine_policy, realtime_policy_name
from stca.flows.baselines import MEMBERS, baselines, open_share, seasonal_naive
from stca.flows.evaluate import Forecasts, forecast, score_cutoff, summarise, truth
from stca.flows.scoring import crps, diebold_mariano, interval_score, skill_interval
from tests.conftest import stca_bin

RESULTS = Path(__file__).resolve().parents[2] / "docs" / "validation" / "rolling-origin"


# --- scoring ---------------------------------------------------------------------------------------------------

def test_crps_of_a_quantile_ensemble_matches_the_closed_form() -> None:
    z = np.sort(np.random.default_rng(3).normal(10.0, 2.0, 20000))
    assert crps(11.0, z) == pytest.approx(float(sr.crps_normal(11.0, 10.0, 2.0)), rel=0.02)
    assert crps(7.0, np.array([7.0])) == 0.0  # a point forecast scores its absolute error
    assert crps(4.0, np.array([7.0])) == pytest.approx(3.0)


def test_interval_score_penalises_misses_twenty_fold() -> None:
    assert interval_score(5.0, 2.0, 8.0) == 6.0
    assert interval_score(10.0, 2.0, 8.0) == pytest.approx(6.0 + 20 * 2.0)
    assert interval_score(0.0, 2.0, 8.0) == pytest.approx(6.0 + 20 * 2.0)


def test_skill_interval_excludes_zero_only_when_the_gain_is_consistent() -> None:
    rng = np.random.default_rng(1)
    origins = [f"o{i:02d}" for i in range(40) for _ in range(3)]
    ref = rng.uniform(50, 150, len(origins))
    better = ref * 0.7
    lo, hi = skill_interval(better, ref, origins, seed=2)
    assert lo == pytest.approx(0.3) and hi == pytest.approx(0.3)  # 30 % better in every case
    noisy = ref * rng.uniform(0.4, 1.6, len(origins))
    lo, hi = skill_interval(noisy, ref, origins, seed=2)
    assert lo < 0 < hi
    stat, p = diebold_mariano(better[::3], ref[::3], 1)
    assert stat < 0 and p < 1e-6


# --- publication dates and vintages ----------------------------------------------------------------------------

def test_publication_dates_from_the_column_then_the_documented_table() -> None:
    monthly = with_published("rcmp_interceptions_monthly")
    rules = dict(zip(monthly["published_by"], monthly["known_on"], strict=False))
    assert set(monthly["published_by"]) <= {"column", "table", "unknown"} and "table" in rules
    august = monthly.filter((pl.col("month") == "2017-07") & (pl.col("published") == "2017-08"))
    assert august["known_on"].to_list() == [dt.date(2017, 8, 31)] * august.height  # a month counts to its end
    canucklaw = monthly.filter(pl.col("source").str.contains("July-October 2022"))
    assert canucklaw.height and set(canucklaw["known_on"]) == {dt.date(2022, 12, 31)}  # SOURCE_DATES
    assert source_date("Untitled page with no date http://a") is None


def test_a_preliminary_figure_is_used_until_its_revision_is_published() -> None:
    def january(day: dt.date) -> int:
        return int(monthly_series("TOTAL", "2017-01", "2017-01", as_of=day)["interceptions"][0])

    assert january(dt.date(2017, 4, 1)) == 476  # Winnipeg Sun, 2017-03-21 (preliminary)
    assert january(dt.date(2017, 5, 1)) == 315  # iPolitics, 2017-04-19 (revised)
    assert monthly_series("QC", "2017-01", "2017-01", as_of=dt.date(2017, 3, 1))["interceptions"][0] is None


def test_calibration_at_a_cutoff_reads_only_figures_published_before_it() -> None:
    early, later = observed("2020-02"), observed("2021-01")
    assert early.turn_back_ratio == {} and later.turn_back_ratio  # the 2017–2019 counts: CBC, 2020-11-24
    assert 2021 not in observed("2022-06").annual_qc  # Quebec 2021 total published 2023-01-23
    assert observed("2023-03").annual_qc == {2021: 4095.0}
    assert "2022-12" in observed("2023-02").qc and "2023-01" not in observed("2023-02").total
    assert max(observed("2023-02").held_qc) == "2023-04"  # held-out truth: the latest figures


# --- the real-time law -----------------------------------------------------------------------------------------

def test_real_time_law_knows_only_what_was_announced() -> None:
    assert realtime_policy_name(dt.date(2020, 3, 1)) == realtime_policy_name(dt.date(2019, 7, 1))
    params = engine_policy(realtime_policy_name(dt.date(2020, 2, 1))).params  # type: ignore[union-attr]
    assert params.covid_start.value.year == 9999 and params.protocol.value.year == 9999
    mid = engine_policy(realtime_policy_name(dt.date(2021, 6, 1))).params  # type: ignore[union-attr]
    assert mid.covid_start.value.year == 2020 and mid.covid_end.value.year == 9999  # the end not yet announced
    assert open_share(["2022-06"], realtime_policy_name(dt.date(2021, 6, 1))) == {"2022-06": 0.0}
    assert open_share(["2022-06"]) == {"2022-06": 1.0}


def test_real_time_mode_changes_only_the_months_after_the_cutoff() -> None:
    conditional = prepare(get_scenario("law"), train_until="2020-02", seed=3)
    realtime = prepare(get_scenario("law"), train_until="2020-02", seed=3, mode="real-time")
    cut, april = ALL_MONTHS.index("2020-02"), ALL_MONTHS.index("2020-04")
    between = 1  # the Quebec corridor
    w = conditional.inputs.weights
    assert np.array_equal(conditional.inputs.scen_tb[..., :cut, :], realtime.inputs.scen_tb[..., :cut, :])
    assert float(conditional.inputs.scen_tb[1, between, april] @ w) == pytest.approx(1.0)  # COVID direct-back
    assert float(realtime.inputs.scen_tb[1, between, april] @ w) == 0.0 and realtime.inputs.closure[april] == 0
    assert np.array_equal(conditional.posterior.draws, realtime.posterior.draws)
    with pytest.raises(ValueError, match="real-time"):
        prepare(get_scenario("close-roxham"), train_until="2020-02", mode="real-time")


# --- baselines --------------------------------------------------------------------------------------------------

TRAIN = {"2022-01": 2400.0, "2022-02": 2200.0, "2022-03": 2500.0, "2022-04": 2800.0, "2022-05": 3400.0,
         "2022-06": 3100.0, "2022-07": 3600.0, "2022-08": 3200.0, "2022-09": 3700.0, "2022-10": 3900.0}


def test_baselines_know_the_policy_dates_they_are_given() -> None:
    months = ["2022-11", "2023-03", "2023-05"]
    conditional = baselines(TRAIN, months, "law")
    realtime = baselines(TRAIN, months, realtime_policy_name(dt.date(2022, 11, 1)))
    naive = conditional["regime naive"].members
    assert np.median(naive["2022-11"]) == pytest.approx(3900.0, rel=0.01)
    assert np.median(naive["2023-03"]) == pytest.approx(3900.0 * 24 / 31, rel=0.01)
    for name, method in conditional.items():
        assert len(method.members["2023-05"]) == MEMBERS
        assert float(method.members["2023-05"].max()) == 0.0, name  # Protocol: everyone sent back
        assert float(np.median(realtime[name].members["2023-05"])) > 1000, name  # not known in Nov 2022
    assert not conditional["ETS"].fallback and not conditional["ARIMA"].fallback
    assert baselines(dict(list(TRAIN.items())[:3]), months)["ARIMA"].fallback


def test_seasonal_naive_band_contains_its_point() -> None:
    # every lag-12 change is negative (the 2020-02 Canada case): the old band lay wholly below its point
    train = {"2017-05": 742.0, "2017-07": 3135.0, "2017-09": 1881.0, "2018-07": 1634.0, "2018-09": 1601.0,
             "2019-05": 500.0, "2019-06": 480.0}
    share = {m: 1.0 for m in [*train, "2020-07"]}
    members = seasonal_naive(train, ["2020-07"], share).members["2020-07"]
    assert np.quantile(members, 0.05) < 1634.0 < np.quantile(members, 0.95)


# --- the machinery on one cutoff ----------------------------------------------------------------------------------

def test_one_cutoff_scored_in_both_modes() -> None:
    fc = forecast("2023-02", runs=25, seed=2)
    assert set(fc.draws) == {"policy-conditional", "real-time"}
    rows = pl.DataFrame(score_cutoff(fc, truth()))
    assert set(rows["method"]) == {"model", "regime naive", "seasonal naive", "ETS", "ARIMA"}
    qc = rows.filter((pl.col("series") == "QC") & (pl.col("method") == "model"))
    assert sorted(set(qc["month"])) == ["2023-02", "2023-03", "2023-04"]
    assert qc.filter(pl.col("month") == "2023-02")["horizon"].to_list() == [1, 1]
    april = {r["mode"]: r["point"] for r in qc.filter(pl.col("month") == "2023-04").iter_rows(named=True)}
    assert april["policy-conditional"] < 0.2 * april["real-time"]  # only one mode knows the Protocol
    assert rows["actual_published"].null_count() == 0
    summary = summarise(rows.filter(pl.col("horizon") <= 6))
    pooled = [r for r in summary if r["horizons"] == "1-6" and r["method"] == "regime naive"]
    assert len(pooled) == 4 and all(r["crps_skill"] == 0.0 for r in pooled)
    assert isinstance(fc, Forecasts)


def test_validate_rejects_bad_options() -> None:
    for args, message in ((["--modes", "hindsight"], "--modes: unknown mode 'hindsight'"),
                          (["--to", "2099-01"], "--to: must be between"),
                          (["--from", "2023-05", "--to", "2023-01"], "--from: 2023-05 is after --to 2023-01"),
                          (["--runs", "0"], "--runs: must be between 1 and 100000")):
        result = CliRunner().invoke(app, ["validate", *args])
        assert result.exit_code == 2 and message in result.stderr, result.output
    result = CliRunner().invoke(app, ["simulate", "--out", "unused", "--scenario", "pre-protocol", "--train-until",
                                      "2020-02", "--mode", "real-time"])
    assert result.exit_code == 2 and "--mode: real-time needs --scenario law and --train-until" in result.stderr
    proc = subprocess.run([*stca_bin(), "validate", "--to", "2017-13"], capture_output=True, text=True, check=False,
                          timeout=60)
    assert proc.returncode == 2 and "--to: expected a month as YYYY-MM, got '2017-13'" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- the committed results ------------------------------------------------------------------------------------------

def _close(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        fa, fb = float(a), float(b)  # type: ignore[arg-type]
        return (math.isnan(fa) and math.isnan(fb)) or math.isclose(fa, fb, rel_tol=1e-4, abs_tol=1e-6)
    return a == b


def test_committed_results_agree_with_their_cases() -> None:
    from stca.flows.validation_report import _readme, single_cutoff_table, targets, targets_table

    doc = json.loads((RESULTS / "summary.json").read_text())
    cases = pl.read_csv(RESULTS / "cases.csv")
    assert set(cases["mode"]) == {"policy-conditional", "real-time"}
    recomputed = summarise(cases, seed=int(doc["meta"]["seed"]))
    assert len(recomputed) == len(doc["summary"])
    for mine, theirs in zip(recomputed, doc["summary"], strict=True):
        assert all(_close(mine[k], theirs[k]) for k in mine), (mine, theirs)
    csv = pl.read_csv(RESULTS / "summary.csv")
    assert csv.height == len(doc["summary"]) and _close(float(csv["crps"][0]), doc["summary"][0]["crps"])
    assert targets(doc["summary"], doc["named_cutoffs"], doc["year_totals"]) == doc["targets"]
    readme = _readme(doc["meta"], doc["summary"], doc["named_cutoffs"], doc["year_totals"], doc["targets"])
    assert (RESULTS / "README.md").read_text() == readme
    for horizon in (1, 3, 6, 12):
        assert (RESULTS / f"horizon-{horizon}.png").stat().st_size > 10_000
    # the page people read quotes the same targets, figure for figure
    page = (RESULTS.parent / "README.md").read_text()
    assert targets_table(doc["targets"]) in page
    assert single_cutoff_table([RESULTS.parent / "train-until-2020-02", RESULTS.parent / "train-until-2023-02"]) in page
    figures = pl.read_csv(RESULTS / "figures.csv")
    assert set(figures["published_by"]) <= {"column", "table", "unknown"} and figures["known_on"].null_count() < 60
