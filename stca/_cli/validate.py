"""``stca validate``: the rolling-origin evaluation of the flow simulator against baselines (docs/validation/)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated

import typer

from stca._cli._common import fail

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month(option: str, value: str, low: str, high: str) -> str:
    if not _MONTH.match(value):
        fail(f"{option}: expected a month as YYYY-MM, got {value!r}")
    if not low <= value <= high:
        fail(f"{option}: must be between {low} and {high}, got {value}")
    return value


def validate(
    out: Annotated[Path, typer.Option("--out", help="Directory for cases.csv, summary.csv/.json, the charts "
                                      "and README.md.")] = Path("docs/validation/rolling-origin"),
    first: Annotated[str, typer.Option("--from", help="First cutoff (YYYY-MM, from 2017-06).")] = "2017-06",
    last: Annotated[str | None, typer.Option("--to", help="Last cutoff (YYYY-MM; default: the last month "
                                             "with data).")] = None,
    runs: Annotated[int, typer.Option("--runs", help="Replications per cutoff and mode.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed; the same seed gives the same files.")] = 1,
    modes: Annotated[str, typer.Option("--modes", help="policy-conditional, real-time or both, separated by "
                                       "commas.")] = "policy-conditional,real-time",
) -> None:
    """Rolling-origin evaluation of the flow simulator against baselines given the same policy dates.

    At every cutoff from --from to --to the law scenario is calibrated on the figures published before the
    cutoff and forecasts 1 to 12 months ahead; the regime-aware naive, seasonal naive, ETS and ARIMA get the
    same data and the same policy dates. Scores: CRPS, 90 % interval score, MASE, coverage, with
    bootstrap and Diebold–Mariano intervals (docs/validation/README.md).

    Example:

      stca validate --runs 200 --seed 1 --out docs/validation/rolling-origin
    """
    from stca.flows import LAST_DATA_MONTH, MODES

    last = _month("--to", last or LAST_DATA_MONTH, "2017-06", LAST_DATA_MONTH)
    _month("--from", first, "2017-06", LAST_DATA_MONTH)
    if first > last:
        fail(f"--from: {first} is after --to {last}")
    if not 1 <= runs <= 100_000:
        fail(f"--runs: must be between 1 and 100000, got {runs}")
    if seed < 0:
        fail(f"--seed: must be a non-negative integer, got {seed}")
    chosen = [m.strip() for m in modes.split(",") if m.strip()]
    for m in chosen:
        if m not in MODES:
            fail(f"--modes: unknown mode {m!r}; choose from {', '.join(MODES)}")
    if not chosen or len(set(chosen)) != len(chosen):
        fail("--modes: give each mode once, e.g. policy-conditional,real-time")
    if out.exists() and not out.is_dir():
        fail(f"--out: {out} exists and is not a directory")
    _run(out, first, last, runs, seed, chosen)


def _run(out: Path, first: str, last: str, runs: int, seed: int, modes: list[str]) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from stca.flows.evaluate import cutoffs, rolling_origin
    from stca.flows.validation_report import targets_table, write

    console = Console(stderr=True)
    began = time.perf_counter()
    origins = cutoffs(first, last)
    if not origins:
        fail(f"--from/--to: no cutoff from {first} to {last} has a published figure within 12 months")
    with Progress(TextColumn("cutoff {task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task(origins[0], total=len(origins))

        def tick(done: int, total: int, cutoff: str) -> None:
            bar.update(task, completed=done, total=total, description=cutoff)

        cases, totals = rolling_origin(origins, runs, seed, modes, tick)  # type: ignore[arg-type]
    command = (f"stca validate --from {first} --to {last} --runs {runs} --seed {seed} --modes {','.join(modes)} "
               f"--out {out}")
    meta: dict[str, object] = {"command": command, "origins": len(origins), "first": origins[0],
                               "last": origins[-1], "runs": runs, "seed": seed, "modes": modes}
    try:
        doc = write(out, cases, totals, meta, seed=seed)
    except OSError as exc:
        fail(f"--out: cannot write to {out}: {exc.strerror or exc}")
    Console().print(targets_table(doc["targets"]))  # type: ignore[arg-type]
    console.print(f"wrote {out} in {time.perf_counter() - began:.0f} s")


def register(app: typer.Typer) -> None:
    """Add ``stca validate`` to the application."""
    app.command("validate")(validate)
