"""``stca bulk``, ``stca synth`` and ``stca compare``: many cases at once, from files.

polars, pyarrow and the law engine are imported inside the commands so ``stca check`` starts fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from stca.bulk.files import Progress

_FORMAT_HELP = "parquet, csv or jsonl (default: from the file name's ending)"


def _fail(message: str) -> typer.Exit:
    """Print a one-line error on standard error; the caller raises the returned Exit(2)."""
    typer.echo(f"stca: {message}", err=True)
    return typer.Exit(2)


def _interactive() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def _progress_bar(enabled: bool | None, label: str) -> Iterator[tuple[Progress, Callable[[], None]]]:
    """A Rich progress bar on standard error, driven by the reader's ``Progress`` (rows or bytes)."""
    from stca.bulk.files import Progress

    state = Progress(total=0, unit="rows")
    show = _interactive() if enabled is None else enabled
    if not show:
        yield state, lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[unit]}"),
             TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, unit="")

        def tick() -> None:
            bar.update(task, total=state.total or None, completed=state.done, unit=state.unit)

        yield state, tick


def _guard(fn: Callable[[], Any]) -> Any:
    """Run a command body; bad input becomes exit status 2 with a message, never a traceback."""
    from stca.bulk import BulkInputError

    try:
        return fn()
    except BulkInputError as exc:
        raise _fail(str(exc)) from None
    except FileNotFoundError as exc:
        raise _fail(f"{exc.filename}: no such file") from None
    except OSError as exc:  # a directory, no permission, a file where a directory should be, disk full …
        raise _fail(f"{exc.filename or 'file'}: {exc.strerror or exc}") from None
    except RecursionError:
        raise _fail("input: a value is nested too deeply") from None


def bulk(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="cases: .parquet, .csv or .jsonl")],
    output_path: Annotated[Path, typer.Argument(metavar="OUTPUT", help="results: .parquet, .csv or .jsonl")],
    policy: Annotated[str, typer.Option(help="law, no-agreement, pre-protocol, whole-border, suspended, "
                                              "window-days=N; NAME@YYYY-MM-DD determines every case on that date")]
    = "law",
    input_format: Annotated[str | None, typer.Option(help=_FORMAT_HELP)] = None,
    output_format: Annotated[str | None, typer.Option(help=_FORMAT_HELP)] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="progress bar (default: only on a terminal)")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="evaluate the partitions of a Parquet dataset on a "
                                                         "local Dask cluster of N worker processes")] = None,
    scheduler: Annotated[str | None, typer.Option(metavar="ADDRESS", help="evaluate the partitions of a Parquet "
                                                  "dataset on the Dask cluster at ADDRESS, e.g. tcp://host:8786")]
    = None,
    could_change: Annotated[bool, typer.Option("--could-change", help="add a could_change column: the facts each "
                                               "row left unset that would change its result (one more "
                                               "evaluation per value tried)")] = False,
) -> None:
    """Determine every case of a file and write them with their results, row order kept.

    Adds stca_result, deciding_provision, other_ineligibility, covid_direct_back and uncertain to each row.

    Missing columns and empty cells take the defaults of `stca check`; extra columns (ids, province) are kept.

    In CSV, lists and family_members are JSON text in the cell, e.g. ["CO","VE"]. Big files are streamed.

    Examples:

      stca synth --rows 100000 cases.parquet

      stca bulk cases.parquet results.parquet

      stca bulk cases.csv results.jsonl --policy pre-protocol

    A partitioned Parquet dataset (a directory, or a glob such as 'cases/*.parquet') gives a directory of
    results, one file per partition at the same relative path; --workers N or --scheduler ADDRESS runs the
    partitions on a Dask cluster:

      stca bulk cases/ results/ --workers 4
    """
    from stca.bulk import evaluate_file, parse_policy_spec
    from stca.bulk.dataset import is_dataset

    if workers is not None and scheduler is not None:
        raise _fail("--workers and --scheduler: give one or the other")
    if is_dataset(input_path):
        _guard(lambda: _bulk_dataset(input_path, output_path, policy, workers, scheduler, progress))
        return
    if workers is not None or scheduler is not None:
        raise _fail(f"{input_path}: --workers and --scheduler need a partitioned Parquet dataset (a directory "
                    "or a glob of .parquet files)")

    def run() -> None:
        spec = parse_policy_spec(policy)
        start = time.perf_counter()
        with _progress_bar(progress, "bulk") as (state, tick):
            summary = evaluate_file(input_path, output_path, spec, input_format=input_format,
                                    output_format=output_format, progress=state, on_batch=tick,
                                    could_change=could_change)
        seconds = time.perf_counter() - start
        counts = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.outcomes.items()))
        typer.echo(f"{summary.rows:,} cases → {output_path} in {seconds:.1f} s ({spec.label}): {counts}")

    _guard(run)


def _bulk_dataset(source: Path, target: Path, policy: str, workers: int | None, scheduler: str | None,
                  progress: bool | None) -> None:
    """``stca bulk`` on a partitioned dataset, here or on a Dask cluster."""
    from contextlib import nullcontext

    from stca.bulk import parse_policy_spec
    from stca.bulk.dataset import dask_client, evaluate_dataset

    spec = parse_policy_spec(policy)
    start = time.perf_counter()
    cluster = dask_client(scheduler, workers) if workers or scheduler else nullcontext(None)
    with cluster as client, _progress_bar(progress, "bulk") as (state, tick):
        state.unit = "partitions"

        def done(k: int, n: int) -> None:
            state.done, state.total = k, n
            tick()

        summary = evaluate_dataset(source, target, spec, client=client, on_partition=done)
    seconds = time.perf_counter() - start
    counts = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.outcomes.items()))
    where = f" on {scheduler}" if scheduler else f" on {workers} Dask workers" if workers else ""
    typer.echo(f"{summary.rows:,} cases → {target}/ in {seconds:.1f} s{where} ({spec.label}): {counts}")


def synth(
    output_path: Annotated[Path, typer.Argument(metavar="OUTPUT", help="where to write: .parquet, .csv or .jsonl")],
    rows: Annotated[int, typer.Option(min=0, help="number of cases")],
    seed: Annotated[int, typer.Option(min=0, help="random seed; the same seed gives the same file")] = 0,
    output_format: Annotated[str | None, typer.Option(help=_FORMAT_HELP)] = None,
) -> None:
    """Write realistic, valid random cases (same columns as bulk input, plus case_id and province).

    Dates 2004–2026 weighted like the historical volume of claims; both directions; every entry place.

    Family members, documents, minors and rare cases (death penalty, in-transit removals). Same seed, same file.

    Examples:

      stca synth --rows 1000000 --seed 7 cases.parquet

      stca synth --rows 50 cases.csv
    """
    from stca.bulk import normalise
    from stca.bulk.files import CaseWriter, detect_format
    from stca.bulk.synth import synth_chunks

    def run() -> None:
        import polars as pl

        fmt = detect_format(output_path, output_format)
        start = time.perf_counter()
        with CaseWriter(output_path, fmt) as writer:
            for table in synth_chunks(rows, seed):
                frame = pl.from_arrow(table)
                assert isinstance(frame, pl.DataFrame)
                writer.write(normalise(frame))  # the law's types: Parquet keeps the enums' vocabulary
        typer.echo(f"{rows:,} cases → {output_path} in {time.perf_counter() - start:.1f} s (seed {seed})")

    _guard(run)


def compare(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="cases: .parquet, .csv or .jsonl")],
    policy: Annotated[list[str], typer.Option(
        "--policy", help="give exactly two: policy names, or NAME@YYYY-MM-DD to determine every case on "
                         "that date (e.g. law@2026-03-26)")],
    csv_path: Annotated[Path | None, typer.Option("--csv", help="write every count to this CSV file")] = None,
    html_path: Annotated[Path | None, typer.Option("--html", help="write a report with charts (self-contained)")]
    = None,
    input_format: Annotated[str | None, typer.Option(help=_FORMAT_HELP)] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="progress bar (default: only on a terminal)")] = None,
) -> None:
    """How many outcomes change between two policies on the same cases, and why.

    Prints the transition matrix (outcome under A × outcome under B) and the deciding provisions that move.

    Also the parallel grounds (IRPA 101(1)) under each, and breakdowns by province, entry place, direction, nationality.

    Examples:

      stca compare cases.parquet --policy law --policy pre-protocol --html report.html

      stca compare cases.parquet --policy law --policy law@2026-03-26 --csv changes.csv

      stca compare cases.csv --policy law --policy window-days=30
    """
    if len(policy) != 2:
        raise _fail(f"--policy: give exactly two policies to compare, got {len(policy)}")
    from rich.console import Console

    from stca.bulk import parse_policy_spec
    from stca.bulk.compare import compare_file
    from stca.bulk.report import print_comparison, write_csv, write_html

    def run() -> None:
        a, b = (parse_policy_spec(p) for p in policy)
        with _progress_bar(progress, "compare") as (state, tick):
            result = compare_file(input_path, a, b, input_format=input_format, progress=state, on_batch=tick)
        print_comparison(result, Console())
        if csv_path is not None:
            write_csv(result, csv_path)
            typer.echo(f"counts → {csv_path}")
        if html_path is not None:
            write_html(result, html_path)
            typer.echo(f"report → {html_path}")

    _guard(run)


def register(app: typer.Typer) -> None:
    """Add ``bulk``, ``synth`` and ``compare`` to the ``stca`` command line."""
    app.command("bulk")(bulk)
    app.command("synth")(synth)
    app.command("compare")(compare)
