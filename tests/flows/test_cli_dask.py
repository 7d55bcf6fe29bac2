"""``stca simulate`` end to end on a real 2-worker local Dask cluster, and its bad-option handling."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from stca.flows import get_scenario, prepare, run_local
from tests.conftest import stca_bin

ROUTES = {"LAND_POE", "BETWEEN_POES_LAND", "AIRPORT", "INLAND"}
MEASURES = {"interceptions", "claims", "turned_back"}


@pytest.mark.slow
def test_simulate_on_two_worker_cluster_writes_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.run([*stca_bin(), "simulate", "--scenario", "law", "--from", "2022-01", "--to", "2024-12",
                           "--runs", "50", "--seed", "7", "--workers", "2", "--train-until", "2023-02",
                           "--out", str(out)], capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Canada" in proc.stdout and "Held-out errors" in proc.stdout  # Rich summary tables
    csv = pl.read_csv(out / "series.csv")
    parquet = pl.read_parquet(out / "series.parquet")
    assert csv.columns == ["month", "province", "route", "measure", "mean", "p05", "p95"] == parquet.columns
    assert csv.height == parquet.height and csv["month"].min() == "2022-01" and csv["month"].max() == "2024-12"
    assert set(csv["route"]) == ROUTES and set(csv["measure"]) == MEASURES
    assert all(len(p) == 2 and p.isupper() for p in csv["province"].unique())
    assert "CA" in set(csv["province"])
    assert csv.filter(pl.col("measure") == "interceptions")["route"].unique().to_list() == ["BETWEEN_POES_LAND"]
    for name in ("series.png", "series.html", "validation.html", "validation.csv", "checks.csv", "reception.csv",
                 "run.json", "northbound.csv", "northbound_checks.csv"):
        assert (out / name).stat().st_size > 0
    north = pl.read_parquet(out / "northbound.parquet")  # Canada → US beside, not inside, the contract's file
    assert north.columns == ["month", "direction", "sector", "route", "measure", "mean", "p05", "p95"]
    assert set(north["direction"]) == {"CANADA_TO_US"} and north["month"].max() == "2024-12"
    assert json.loads((out / "run.json").read_text())["seed"] == 7
    # The two Dask workers gave exactly what the same seed gives in this process (blocks are seeded, not workers).
    here = run_local(prepare(get_scenario("law"), train_until="2023-02", seed=7), 50, 7).frame("2022-01", "2024-12")
    assert np.allclose(parquet["mean"].to_numpy(), here["mean"].to_numpy(), rtol=1e-6)
    assert np.allclose(parquet["p95"].to_numpy(), here["p95"].to_numpy(), rtol=1e-6)


@pytest.mark.parametrize(("args", "named"), [
    (["--runs", "0"], "--runs"),
    (["--from", "2016-12"], "--from"),
    (["--to", "2031-01"], "--to"),
    (["--scenario", "open-borders"], "--scenario"),
    (["--compare", "law"], "--compare"),
    (["--train-until", "2023-2"], "--train-until"),
    (["--from", "2024-01", "--to", "2023-01"], "--from"),
    (["--scenario", "window-days=-3"], "--scenario"),
    (["--runs", "5", "--from", "2023-01", "--to", "2023-03", "--scheduler", "nonsense://x"], "--scheduler"),
])
def test_bad_options_exit_2_naming_the_option(args: list[str], named: str, tmp_path: Path) -> None:
    proc = subprocess.run([*stca_bin(), "simulate", "--out", str(tmp_path / "x"), *args],
                          capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert named in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x").exists()


def test_window_days_scenario_and_unwritable_out(tmp_path: Path) -> None:
    """contract.md §4: window-days=N is a policy the simulator takes too; a bad --out is a clear error."""
    out = tmp_path / "w"
    proc = subprocess.run([*stca_bin(), "simulate", "--scenario", "window-days=30", "--from", "2023-01", "--to",
                           "2023-12", "--runs", "5", "--workers", "0", "--out", str(out)],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert set(pl.read_csv(out / "series.csv")["route"].unique()) >= {"BETWEEN_POES_LAND", "LAND_POE"}
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = subprocess.run([*stca_bin(), "simulate", "--from", "2023-01", "--to", "2023-02", "--runs", "2",
                           "--workers", "0", "--out", str(blocker / "sub")],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 2 and "--out" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
