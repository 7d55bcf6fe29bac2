"""``stca simulate``: Monte Carlo border flows under a scenario, a comparison of scenarios, or a validation."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from stca._cli._common import fail

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FIRST, LAST = "2017-01", "2030-12"


def _month(option: str, value: str | None, low: str = FIRST, high: str = LAST) -> str | None:
    if value is None:
        return None
    if not _MONTH.match(value):
        fail(f"{option}: expected a month as YYYY-MM, got {value!r}")
    if not low <= value <= high:
        fail(f"{option}: must be between {low} and {high}, got {value}")
    return value


def _scenarios(scenario: str, compare: str | None) -> list[str]:
    from stca.flows import SCENARIOS, is_scenario

    names = [s.strip() for s in compare.split(",") if s.strip()] if compare else [scenario]
    option = "--compare" if compare else "--scenario"
    for name in names:
        if not is_scenario(name):
            fail(f"{option}: unknown scenario {name!r}; choose from {', '.join(SCENARIOS)} or window-days=N "
                 "(N from 0 to 3650)")
    if compare and len(names) < 2:
        fail("--compare: give at least two scenarios separated by commas, e.g. law,pre-protocol")
    if len(set(names)) != len(names):
        fail("--compare: a scenario is listed twice")
    return names


def simulate(
    out: Annotated[Path, typer.Option("--out", help="Directory for series.csv/.parquet, charts and reports.")],
    scenario: Annotated[str, typer.Option("--scenario", help="law, no-agreement, pre-protocol, close-roxham, "
                                          "whole-border, suspended or window-days=N.")] = "law",
    compare: Annotated[str | None, typer.Option("--compare", help="Run several scenarios with the same seed "
                                                "and draw them on one chart, e.g. law,pre-protocol,whole-border."
                                                )] = None,
    start: Annotated[str, typer.Option("--from", help="First month written (YYYY-MM, from 2017-01).")] = FIRST,
    end: Annotated[str, typer.Option("--to", help="Last month simulated and written (YYYY-MM, up to 2030-12); "
                                     "an earlier month shortens the work.")] = LAST,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo replications.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed; the same seed gives the same numbers.")] = 0,
    train_until: Annotated[str | None, typer.Option("--train-until", help="Fit on data before this month only "
                                                    "and report held-out errors after it (YYYY-MM).")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler, "
                                                  "e.g. tcp://10.0.0.5:8786 (start one with `dask scheduler` "
                                                  "and `dask worker ADDRESS`; see docs/simulator.md).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Size of the local Dask cluster (default: one "
                                                "process per core); 0 runs in this process without Dask.")] = None,
    close_from: Annotated[str | None, typer.Option("--close-roxham-from", help="Month the close-roxham scenario "
                                                   "closes the Quebec corridor (default 2017-08).")] = None,
    mode: Annotated[str, typer.Option("--mode", help="policy-conditional (every date of the law known) or "
                                      "real-time (only rules in force or announced at --train-until; law "
                                      "scenario only).")] = "policy-conditional",
) -> None:
    """Simulate monthly asylum flows at the Canada–US border under a scenario (docs/simulator.md).

    Each month a population in the US that intends to claim in Canada reaches the border and chooses a
    route (land port, between ports in Quebec or elsewhere, airport, inland after entry, or not crossing);
    the law engine says who is turned back on each route under the rules in force (or the scenario's).

    Examples:

      stca simulate --scenario law --runs 200 --out out/law

      stca simulate --compare law,pre-protocol,whole-border --from 2022-01 --to 2026-12 --out out/cmp

      stca simulate --train-until 2023-02 --runs 500 --out out/val-2023
    """
    if runs < 1 or runs > 100_000:
        fail(f"--runs: must be between 1 and 100000, got {runs}")
    if seed < 0:
        fail(f"--seed: must be a non-negative integer, got {seed}")
    if workers is not None and workers < 0:
        fail(f"--workers: must be 0 or more, got {workers}")
    _month("--from", start)
    _month("--to", end)
    if start > end:
        fail(f"--from: {start} is after --to {end}")
    _month("--train-until", train_until, "2017-06", LAST)
    _month("--close-roxham-from", close_from)
    names = _scenarios(scenario, compare)
    _mode(mode, names, train_until)
    if out.exists() and not out.is_dir():
        fail(f"--out: {out} exists and is not a directory")
    _run(names, out, start, end, runs, seed, train_until, scheduler, workers, close_from, compare is not None, mode)


def _mode(mode: str, names: list[str], train_until: str | None) -> None:
    from stca.flows import MODES

    if mode not in MODES:
        fail(f"--mode: unknown mode {mode!r}; choose from {', '.join(MODES)}")
    if mode == "real-time" and (names != ["law"] or train_until is None):
        fail("--mode: real-time needs --scenario law and --train-until (the law as known at that cutoff)")


#: Seconds to wait for an existing scheduler to answer (something that is not Dask may never answer).
CONNECT_SECONDS = 20


def _connect(make_client: Any, scheduler: str | None, workers: int | None) -> Any:
    """A Dask client, or exit 2 with a clear message when ``--scheduler`` cannot be used."""
    if scheduler is None:
        return make_client(None, workers)
    box: dict[str, Any] = {}

    def attempt() -> None:
        try:
            box["client"] = make_client(scheduler, workers)
        except Exception as exc:  # refused, timed out, bad scheme, not a Dask scheduler
            box["error"] = exc

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS)
    if thread.is_alive():
        fail(f"--scheduler: nothing at {scheduler} answered as a Dask scheduler within {CONNECT_SECONDS} s")
    if "error" in box:
        fail(f"--scheduler: cannot use {scheduler} as a Dask scheduler: {box['error']}")
    return box["client"]


def _run(names: list[str], out: Path, start: str, end: str, runs: int, seed: int, train_until: str | None,
         scheduler: str | None, workers: int | None, close_from: str | None, comparing: bool,
         mode: str = "policy-conditional") -> None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from stca.flows import (
        DEFAULT_TRAIN_UNTIL,
        get_scenario,
        make_client,
        prepare,
        run_dask,
        run_local,
        write_validation,
    )

    console = Console(stderr=True)
    client: Any = None
    began = time.perf_counter()
    try:
        if workers != 0:
            with console.status("starting Dask workers…"):
                client = _connect(make_client, scheduler, workers)
        results = {}
        for name in names:
            with console.status(f"{name}: asking the law engine and calibrating…"):
                prepared = prepare(get_scenario(name, close_from), train_until=train_until or DEFAULT_TRAIN_UNTIL,
                                   seed=seed, end=end, mode=mode)  # type: ignore[arg-type]
            with Progress(TextColumn(f"{name}"), BarColumn(), TextColumn("{task.completed}/{task.total} tasks"),
                          TimeElapsedColumn(), console=console, transient=False) as bar:
                task = bar.add_task(name, total=None)

                def tick(done: int, total: int, _task: Any = task, _bar: Any = bar) -> None:
                    _bar.update(_task, completed=done, total=total)

                if client is None:
                    results[name] = run_local(prepared, runs, seed)
                    bar.update(task, completed=1, total=1)
                else:
                    results[name] = run_dask(prepared, runs, seed, client, tick)
    finally:
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    meta = {"runs": runs, "seed": seed, "from": start, "to": end, "train_until": train_until, "mode": mode,
            "scenarios": names, "seconds": round(time.perf_counter() - began, 2)}
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write(results, out, start, end, runs, seed, meta, comparing)
    except OSError as exc:
        fail(f"--out: cannot write to {out}: {exc.strerror or exc}")
    _summary(results, start, end, console_out=Console())
    if train_until:
        for name, res in results.items():
            target = out / name if comparing else out
            rows = write_validation(res, target)
            _validation_table(rows, train_until, Console())
            _checks_table(res, Console())
    Console(stderr=True).print(f"wrote {out} in {time.perf_counter() - began:.1f} s")


def _write(results: dict[str, Any], out: Path, start: str, end: str, runs: int, seed: int, meta: dict[str, Any],
           comparing: bool) -> None:
    """Series, parameters and charts of each scenario (and the comparison) under ``out``."""
    from stca.flows import compare_frame, write_html, write_params, write_png, write_series

    if comparing:
        for name, res in results.items():
            sub = out / name
            write_series(res.frame(start, end), sub)
            write_series(res.reception_frame(start, end), sub, "reception")
            write_params(res, sub, {**meta, "scenario_name": name})
            _write_northbound(res, sub, start, end, runs, seed)
        frame = compare_frame(results, start, end)
        frame.write_csv(out / "compare.csv")
        runs_list = [(n, r.frame(start, end)) for n, r in results.items()]
        title = f"Scenarios compared ({runs} runs, seed {seed})"
        write_png(runs_list, out / "compare.png", title)
        write_html(runs_list, out / "compare.html", title)
    else:
        name, res = next(iter(results.items()))
        frame = res.frame(start, end)
        write_series(frame, out)
        write_series(res.reception_frame(start, end), out, "reception")
        write_params(res, out, {**meta, "scenario_name": name})
        _write_northbound(res, out, start, end, runs, seed)
        title = f"Scenario {name} ({runs} runs, seed {seed})"
        write_png([(name, frame)], out / "series.png", title)
        write_html([(name, frame)], out / "series.html", title)


def _write_northbound(result: Any, out: Path, start: str, end: str, runs: int, seed: int) -> None:
    """``northbound.csv/.parquet`` and ``northbound_checks.csv``: Canada → US (docs/simulator.md)."""
    import polars as pl

    from stca.flows import northbound_checks, simulate_northbound, write_series

    p = result.prepared
    north = simulate_northbound(p.months, p.observed.train_until, p.scenario.policy, runs, seed)
    if north is None:  # no Swanton figure before the cutoff: nothing honest to simulate
        return
    write_series(north.frame(start, end), out, "northbound")
    pl.DataFrame(northbound_checks(north)).write_csv(out / "northbound_checks.csv")


def _summary(results: dict[str, Any], start: str, end: str, console_out: Any) -> None:
    from rich.table import Table

    from stca.flows import summary_rows

    table = Table(title=f"Canada, {start} to {end}: people over the whole period (mean and 90 % range over runs)")
    table.add_column("scenario")
    table.add_column("route")
    table.add_column("measure")
    table.add_column("mean", justify="right")
    table.add_column("p05–p95", justify="right")
    for name, res in results.items():
        for route, measure, mean, lo, hi in summary_rows(res, start, end):
            table.add_row(name, route, measure, f"{mean:,.0f}", f"{lo:,.0f}–{hi:,.0f}")
    console_out.print(table)


def _validation_table(rows: list[dict[str, object]], train_until: str, console_out: Any) -> None:
    from rich.table import Table

    table = Table(title=f"Held-out errors, trained before {train_until}")
    for col in ("series", "months", "method", "n", "MASE", "coverage 90 %", "band width"):
        table.add_column(col)
    for r in rows:
        label = str(r["series"]).replace(" interceptions between ports", "").replace(" (national total)", "")
        cov = r["coverage_90"]
        width = r["band_width"]
        table.add_row(label, str(r["subset"]).replace(" months", ""), str(r["method"]), str(r["n"]), f"{r['mase']:.2f}",
                      "–" if cov != cov else f"{cov:.0%}",  # type: ignore[operator]
                      "–" if width != width else f"{width:,.0f}")  # type: ignore[operator]
    console_out.print(table)


def _checks_table(result: Any, console_out: Any) -> None:
    from rich.table import Table

    from stca.flows import check_rows

    table = Table(title="Published turn-back counts vs the model (period totals)")
    for col in ("published count", "published", "model mean", "model 90 %", "status"):
        table.add_column(col)
    for c in check_rows(result):
        table.add_row(str(c["check"]), f"{c['published']:,.0f}", f"{c['model_mean']:,.0f}",
                      f"{c['model_p05']:,.0f}–{c['model_p95']:,.0f}", str(c["status"]))
    console_out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``stca simulate`` to the application."""
    app.command("simulate", no_args_is_help=True)(simulate)
