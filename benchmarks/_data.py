"""Benchmark inputs: synthetic case files, generated once per (rows, seed) and reused between runs."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks._harness import scratch_dir
from stca.bulk import normalise
from stca.bulk.files import CaseWriter
from stca.bulk.synth import synth_chunks

SEED = 20041229


def synth_file(rows: int, fmt: str = "parquet") -> Path:
    """A synthetic case file of ``rows`` rows (written in 1M-row chunks, so 10M rows fit in memory)."""
    path = scratch_dir() / f"synth-typed-{rows}-{SEED}.{fmt}"
    if not path.exists():  # CaseWriter moves the file into place only once it is complete
        with CaseWriter(path, fmt) as writer:
            for table in synth_chunks(rows, SEED):
                frame = pl.from_arrow(table)
                assert isinstance(frame, pl.DataFrame)
                writer.write(normalise(frame))  # as `stca synth` writes it
    return path


def typed_cases(rows: int) -> pl.DataFrame:
    """``rows`` synthetic cases in the law's typed columns (``FACT_COLUMNS``), in memory."""
    frames = [normalise(pl.from_arrow(t)) for t in synth_chunks(rows, SEED)]  # type: ignore[arg-type]
    return pl.concat(frames).drop("case_id", "province")
