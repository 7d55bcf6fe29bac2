"""The shipped history: every row kept, one canonical row per month chosen by a stated rule, gaps kept."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from stca.cli import app
from stca.data import annotated_monthly, load, monthly_series
from tests.conftest import stca_bin

runner = CliRunner()


def test_every_row_is_kept_and_one_is_chosen_per_month_and_province() -> None:
    rows = annotated_monthly()
    assert rows.height == load("rcmp_interceptions_monthly").height
    chosen = rows.filter(pl.col("chosen"))
    assert chosen.select("month", "canonical_province").is_duplicated().sum() == 0
    assert rows.filter(~pl.col("chosen"))["choice"].null_count() == 0


def test_revised_figure_beats_preliminary_and_flagged_error_loses() -> None:
    assert monthly_series("TOTAL", "2017-01", "2017-01")["interceptions"].to_list() == [315]
    assert monthly_series("QC", "2017-02", "2017-02")["interceptions"].to_list() == [432]
    prelim = annotated_monthly().filter((pl.col("month") == "2017-01") & (pl.col("interceptions") == 476))
    assert prelim["chosen"].to_list() == [False] and "preliminary" in prelim["choice"][0]


def test_roxham_row_stands_in_only_when_quebec_is_missing() -> None:
    qc = monthly_series("QC", "2023-03", "2023-04")
    assert qc["interceptions"].to_list() == [4087, 69]
    assert "roxham_as_qc" in qc["choice"][1]


def test_gaps_stay_gaps_in_export(tmp_path: Path) -> None:
    out = tmp_path / "qc.csv"
    result = runner.invoke(app, ["data", "export", "rcmp_interceptions_monthly", str(out), "--canonical", "QC",
                                 "--from", "2019-05", "--to", "2020-04"])
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out)
    assert frame["month"].to_list()[0] == "2019-05" and frame.height == 12
    values = dict(zip(frame["month"], frame["interceptions"], strict=True))
    assert values["2019-05"] == 1149 and values["2020-03"] == 930
    assert all(values[m] is None for m in ("2019-06", "2019-12", "2020-01", "2020-02", "2020-04"))
    assert "2019-06,QC,,," in out.read_text()


def test_raw_export_keeps_sources(tmp_path: Path) -> None:
    out = tmp_path / "annual.parquet"
    assert runner.invoke(app, ["data", "export", "rcmp_interceptions_annual", str(out)]).exit_code == 0
    frame = pl.read_parquet(out)
    assert frame.height == load("rcmp_interceptions_annual").height
    assert frame["source"].null_count() == 0


@pytest.mark.parametrize(("args", "named"), [
    (["data", "show", "no_such_table"], "NAME"),
    (["data", "show", "rcmp_interceptions_monthly", "--canonical", "XX"], "--canonical"),
    (["data", "export", "rcmp_interceptions_monthly", "x.xlsx"], "OUTPUT"),
    (["data", "export", "rcmp_interceptions_monthly", "x.csv", "--canonical", "QC", "--from", "2019-13"], "--from"),
])
def test_bad_options_exit_2_naming_the_option(args: list[str], named: str, tmp_path: Path) -> None:
    proc = subprocess.run([*stca_bin(), *args], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 2
    assert named in proc.stderr and "Traceback" not in proc.stderr


def test_plot_writes_png_and_self_contained_html(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "plot", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "history.png").read_bytes()[:4] == b"\x89PNG"
    page = (tmp_path / "history.html").read_text()
    assert "Protocol" in page and "COVID-19 direct-back" in page
    assert 'src="https://cdn.plot.ly' not in page and len(page) > 1_000_000  # plotly.js embedded
