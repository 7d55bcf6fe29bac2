"""The commands as a user runs them: real processes, real files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polars as pl

from tests.conftest import stca_bin


def _stca(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_synth_bulk_compare_end_to_end(tmp_path: Path) -> None:
    cases, results = tmp_path / "cases.parquet", tmp_path / "results.csv"
    done = _stca("synth", "--rows", "3000", "--seed", "5", cases)
    assert done.returncode == 0, done.stderr
    assert pl.read_parquet(cases).height == 3000

    done = _stca("bulk", cases, results, "--policy", "pre-protocol")
    assert done.returncode == 0, done.stderr
    assert "3,000 cases" in done.stdout and "(pre-protocol)" in done.stdout
    assert done.stderr == ""  # no progress bar when not on a terminal
    out = pl.read_csv(results, infer_schema=False)
    assert out.height == 3000 and out["case_id"].to_list() == [str(i) for i in range(3000)]
    assert {"stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain"} <= set(
        out.columns)

    report, counts = tmp_path / "r.html", tmp_path / "r.csv"
    done = _stca("compare", cases, "--policy", "law", "--policy", "whole-border", "--csv", counts, "--html", report)
    assert done.returncode == 0, done.stderr
    assert "Transition matrix" in done.stdout and "By province" in done.stdout
    assert report.stat().st_size > 1_000_000 and pl.read_csv(counts).height > 10


def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_local_date,claim_local_date,direction\n2024-05-01,2024-05-01,NORTH\n")
    done = _stca("bulk", bad, tmp_path / "out.parquet")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "row 1, column direction: expected one of US_TO_CANADA, CANADA_TO_US, got 'NORTH'" in done.stderr
    assert "Traceback" not in done.stderr

    done = _stca("compare", bad, "--policy", "law")
    assert done.returncode == 2 and "exactly two" in done.stderr
    done = _stca("bulk", tmp_path / "absent.parquet", tmp_path / "o.parquet")
    assert done.returncode == 2 and "no such file" in done.stderr
    done = _stca("bulk", bad, tmp_path / "o.parquet", "--policy", "sometimes")
    assert done.returncode == 2 and "--policy" in done.stderr
