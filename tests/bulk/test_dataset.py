"""``stca bulk`` on a partitioned Parquet dataset, here and on a local 2-worker Dask cluster (issue 10, part 7)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from stca.bulk import evaluate_cases, synth_frame, write_frame
from stca.bulk.dataset import partitions
from stca.cli import app
from tests.conftest import stca_bin

RESULTS = ["stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain"]


def _stca(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), *map(str, args)], capture_output=True, text=True, timeout=240)


def _in_process(*args: str | Path) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, [str(a) for a in args])
    return done.exit_code, done.stdout, done.stderr


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """Three partitions in Hive-style directories, plus a hidden file a dataset reader must skip."""
    root = tmp_path / "cases"
    for name, rows, seed in (("year=2023/a.parquet", 300, 1), ("year=2024/b.parquet", 200, 2),
                             ("year=2024/c.parquet", 150, 3)):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        write_frame(synth_frame(rows, seed=seed), root / name)
    (root / "year=2024" / ".partial.parquet").write_bytes(b"not parquet")
    return root


def _expected(path: Path) -> pl.DataFrame:
    return evaluate_cases(pl.read_parquet(path)).select("case_id", *RESULTS)


@pytest.mark.slow
def test_a_dataset_on_a_two_worker_dask_cluster_gives_a_partitioned_result(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = _stca("bulk", dataset, out, "--workers", "2", "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "650 cases" in done.stdout and "on 2 Dask workers" in done.stdout
    _, inputs = partitions(dataset)
    written = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    assert written == sorted(p.relative_to(dataset) for p in inputs)  # same partitioning, hidden file skipped
    for source in inputs:
        got = pl.read_parquet(out / source.relative_to(dataset)).select("case_id", *RESULTS)
        assert got.equals(_expected(source)), source


def test_a_glob_is_a_dataset_evaluated_here_without_dask(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "by-glob"
    code, stdout, stderr = _in_process("bulk", f"{dataset}/year=2024/*.parquet", out, "--policy", "pre-protocol",
                                       "--no-progress")
    assert code == 0, stderr
    assert "350 cases" in stdout
    assert sorted(p.name for p in out.rglob("*.parquet")) == ["b.parquet", "c.parquet"]


def test_dataset_errors_name_the_problem(dataset: Path, tmp_path: Path) -> None:
    single = dataset / "year=2023" / "a.parquet"
    code, _, stderr = _in_process("bulk", single, tmp_path / "x.parquet", "--workers", "2")
    assert code == 2 and "need a partitioned Parquet dataset" in stderr
    code, _, stderr = _in_process("bulk", f"{tmp_path}/nothing-*.parquet", tmp_path / "out")
    assert code == 2 and "no Parquet file" in stderr
    (tmp_path / "file").write_text("")
    code, _, stderr = _in_process("bulk", dataset, tmp_path / "file")
    assert code == 2 and "is a directory, and this is a file" in stderr
