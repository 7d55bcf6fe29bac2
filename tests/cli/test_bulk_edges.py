"""``stca bulk`` at the edges: files without rows, standard output, and a forced progress bar in a log."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from stca.bulk._schema import FACT_COLUMNS, RESULT_COLUMNS
from tests.conftest import stca_bin

FACTS = [c.name for c in FACT_COLUMNS]


def bulk(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*stca_bin(), "bulk", *args], capture_output=True, timeout=120, cwd=cwd)


def test_inputs_without_rows_give_an_empty_output_with_every_column_in_every_format(tmp_path: Path) -> None:
    """A header-only CSV used to abort (exit 134) or write 0 bytes; now every format is valid and typed."""
    (tmp_path / "header.csv").write_text("case_id,entry_local_date,claim_local_date\n")
    (tmp_path / "empty.jsonl").write_text("")
    pl.DataFrame(schema={"case_id": pl.String, "entry_local_date": pl.Date, "claim_local_date": pl.Date}) \
        .write_parquet(tmp_path / "none.parquet")
    runs = [("header.csv", "a.csv"), ("header.csv", "a.jsonl"), ("header.csv", "a.parquet"),
            ("empty.jsonl", "b.parquet"), ("none.parquet", "c.csv")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda r: bulk(*r, cwd=tmp_path), runs))
    for (src, dst), proc in zip(runs, done, strict=True):
        assert proc.returncode == 0, (src, dst, proc.returncode, proc.stderr)
        assert proc.stdout.decode().startswith("0 cases → ") and ": " not in proc.stdout.decode().split(")")[-1]
    every = [*FACTS, *RESULT_COLUMNS]
    header = (tmp_path / "a.csv").read_text().splitlines()
    assert len(header) == 1 and header[0].split(",") == ["case_id", *every]
    assert (tmp_path / "a.jsonl").read_bytes() == b""  # JSON Lines: no row, no line
    for name, first in (("a.parquet", ["case_id"]), ("b.parquet", [])):
        table = pq.read_table(tmp_path / name)
        assert table.num_rows == 0 and table.column_names == [*first, *every], name
        assert str(table.schema.field("entry_local_date").type) == "date32[day]"
    assert (tmp_path / "c.csv").read_text().splitlines()[0].split(",") == ["case_id", *every]


def test_dash_writes_to_standard_output_and_the_summary_to_standard_error(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("case_id,entry_local_date,claim_local_date\nk1,2016-06-01,2016-06-01\n"
                                     "k2,2022-08-01,2022-08-01\n")
    with ThreadPoolExecutor(max_workers=3) as pool:
        jsonl, parquet, unnamed = pool.map(lambda a: bulk(*a, cwd=tmp_path), [
            ("in.csv", "-", "--output-format", "jsonl"), ("in.csv", "-", "--output-format", "parquet"),
            ("in.csv", "-")])
    assert jsonl.returncode == 0 and not (tmp_path / "-").exists()
    rows = [json.loads(line) for line in jsonl.stdout.decode().splitlines()]
    assert [(r["case_id"], r["stca_result"]) for r in rows] == [("k1", "BARRED"), ("k2", "BARRED")]
    assert jsonl.stderr.decode().startswith("2 cases → standard output in ")
    (tmp_path / "out.parquet").write_bytes(parquet.stdout)
    assert pq.read_table(tmp_path / "out.parquet").column("case_id").to_pylist() == ["k1", "k2"]
    assert unnamed.returncode == 2 and unnamed.stdout == b""
    assert unnamed.stderr.decode().startswith("stca: -: standard output has no file name") and b"--output-format" \
        in unnamed.stderr


def test_forced_progress_in_a_log_writes_its_final_line_not_a_bare_newline(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("entry_local_date,claim_local_date\n2016-06-01,2016-06-01\n")
    proc = bulk("in.csv", "out.csv", "--progress", cwd=tmp_path)  # stderr is a pipe here, not a terminal
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert lines and all(line.strip() for line in lines), proc.stderr
    assert lines[-1].startswith("bulk") and "bytes" in lines[-1]
