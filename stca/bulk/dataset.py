"""Partitioned Parquet datasets: evaluated partition by partition, here or on a Dask cluster.

A dataset is a directory of Parquet files (searched recursively, so Hive-style ``key=value/``
directories work) or a glob such as ``cases/*.parquet``. Each partition is streamed through
``evaluate_file`` into the same relative path under the output directory, so the result is partitioned
as the input was. With a Dask client, each partition is one task run by a worker that reads its input
and writes its output itself — the files never travel through the scheduler, so the workers need to
see the same file system (one machine, or a shared mount).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stca.bulk._normalise import BulkInputError
from stca.bulk.evaluate import BulkSummary, PolicySpec, evaluate_file

_GLOB_CHARS = frozenset("*?[")


def is_dataset(source: str | Path) -> bool:
    """A directory, or a path with glob characters."""
    text = str(source)
    return Path(text).is_dir() or any(ch in text for ch in _GLOB_CHARS)


def partitions(source: str | Path) -> tuple[Path, list[Path]]:
    """The dataset's root directory and its Parquet files, sorted (so results are in a stable order).

    Raises:
        BulkInputError: when the directory or glob holds no Parquet file.
    """
    text = str(source)
    if Path(text).is_dir():
        root = Path(text)
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".parquet", ".pq") and p.is_file()
                       and not any(part.startswith((".", "_")) for part in p.relative_to(root).parts))
    else:
        files = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        root = Path(os.path.commonpath([str(p.parent) for p in files])) if files else Path(text).parent
    if not files:
        raise BulkInputError(f"{text}: no Parquet file in this dataset (a directory or a glob of .parquet files)")
    return root, files


def evaluate_partition(source: Path, target: Path, spec: PolicySpec) -> tuple[int, dict[str, int]]:
    """One partition, file to file (a Dask task); returns (rows, count of each ``stca_result``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        summary = evaluate_file(source, target, spec)
    except BulkInputError as exc:
        raise BulkInputError(f"{source}: {exc}") from None
    return summary.rows, dict(summary.outcomes)


def evaluate_dataset(source: str | Path, target: Path, spec: PolicySpec, *, client: Any = None,
                     on_partition: Callable[[int, int], None] | None = None) -> BulkSummary:
    """Evaluate every partition of ``source`` into the directory ``target`` (created if needed).

    Args:
        client: a ``distributed.Client`` to run partitions on, one task each; None runs them here.
        on_partition: called with (partitions done, partitions in all) after each one.

    Raises:
        BulkInputError: no partition, an output that is not a directory, or bad rows (naming the file).
    """
    root, files = partitions(source)
    if target.exists() and not target.is_dir():
        raise BulkInputError(f"{target}: a partitioned result is a directory, and this is a file")
    target.mkdir(parents=True, exist_ok=True)
    outputs = [target / f.relative_to(root) for f in files]
    summary = BulkSummary()

    def add(result: tuple[int, dict[str, int]], done: int) -> None:
        summary.rows += result[0]
        summary.outcomes.update(result[1])
        if on_partition is not None:
            on_partition(done, len(files))

    if client is None:
        for done, (src, dst) in enumerate(zip(files, outputs, strict=True), start=1):
            add(evaluate_partition(src, dst, spec), done)
        return summary
    from distributed import as_completed

    futures = client.map(evaluate_partition, files, outputs, [spec] * len(files), pure=False)
    for done, future in enumerate(as_completed(futures), start=1):
        add(future.result(), done)
    return summary


@contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A ``distributed.Client`` for the cluster at ``scheduler``, or for a local cluster of ``workers``
    processes started here and stopped on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="10s") as client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=40) as cluster, Client(cluster) as client:
        yield client
