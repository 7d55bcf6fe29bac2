"""``stca data``: the shipped, sourced history — list, show, export and plot it (gaps stay gaps)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from stca._cli._common import Command, Group, fail

data_app = typer.Typer(
    cls=Group,
    help="The sourced history shipped with stca: list the tables, show or export one, plot the history.\n\n"
         "Examples:\n\n  stca data list\n\n  stca data show rcmp_interceptions_monthly --canonical QC\n\n"
         "  stca data export rcmp_interceptions_monthly qc.csv --canonical QC\n\n  stca data plot --out charts/",
    no_args_is_help=True,
)


def _table(name: str) -> Any:
    from stca.data import load

    try:
        return load(name)
    except KeyError as exc:
        fail(f"NAME: {exc.args[0]}")


def _canonical(name: str, province: str, start: str, end: str) -> Any:
    from stca.data import PROVINCES, monthly_series

    if name != "rcmp_interceptions_monthly":
        fail("--canonical: only rcmp_interceptions_monthly has a canonical monthly series")
    if province not in PROVINCES:
        fail(f"--canonical: unknown province {province!r}; choose from {', '.join(PROVINCES)}")
    for option, value in (("--from", start), ("--to", end)):
        if len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit() or not "01" <= value[5:] <= "12":
            fail(f"{option}: expected a month as YYYY-MM, got {value!r}")
    if start > end:
        fail(f"--from: {start} is after --to {end}")
    return monthly_series(province, start, end)


@data_app.command("list", cls=Command)
def list_tables() -> None:
    """List the shipped tables with their row counts and what a row is."""
    from rich.console import Console
    from rich.table import Table

    from stca.data import catalog, load

    table = Table(title="Shipped tables (every row has a source and a note)")
    for col in ("name", "rows", "what a row is"):
        table.add_column(col)
    for t in catalog():
        table.add_row(t.name, str(load(t.name).height), t.description)
    Console().print(table)


@data_app.command("show", cls=Command)
def show(
    name: Annotated[str, typer.Argument(help="Table name (see stca data list).")],
    canonical: Annotated[str | None, typer.Option("--canonical", help="Province code: show the canonical monthly "
                                                  "series on a full month grid (gaps shown as empty).")] = None,
    annotated: Annotated[bool, typer.Option("--annotated", help="All monthly rows with the chosen flag and "
                                            "the reason.")] = False,
    start: Annotated[str, typer.Option("--from", help="First month of --canonical.")] = "2017-01",
    end: Annotated[str, typer.Option("--to", help="Last month of --canonical.")] = "2024-12",
    limit: Annotated[int, typer.Option("--limit", help="Rows to print (0 = all).")] = 0,
) -> None:
    """Print a table (sources included), or a canonical series with its gaps."""
    from rich.console import Console
    from rich.table import Table

    if annotated:
        from stca.data import annotated_monthly

        _table(name)
        if name != "rcmp_interceptions_monthly":
            fail("--annotated: only rcmp_interceptions_monthly has chosen rows")
        frame = annotated_monthly()
    elif canonical:
        frame = _canonical(name, canonical, start, end)
    else:
        frame = _table(name)
    if limit < 0:
        fail(f"--limit: must be 0 or more, got {limit}")
    shown = frame.head(limit) if limit else frame
    table = Table(title=f"{name} ({frame.height} rows)")
    for col in shown.columns:
        table.add_column(col, overflow="fold")
    for row in shown.iter_rows():
        table.add_row(*["—gap—" if v is None and c == "interceptions" else ("" if v is None else str(v))
                        for c, v in zip(shown.columns, row, strict=True)])
    Console().print(table)



@data_app.command("export", cls=Command)
def export(
    name: Annotated[str, typer.Argument(help="Table name (see stca data list).")],
    output: Annotated[Path, typer.Argument(help="File to write: .csv, .parquet or .json (JSON Lines).")],
    canonical: Annotated[str | None, typer.Option("--canonical", help="Province code: export the canonical monthly "
                                                  "series; months without a figure are empty, never filled.")] = None,
    annotated: Annotated[bool, typer.Option("--annotated", help="Every monthly row with chosen flag and reason.")]
    = False,
    start: Annotated[str, typer.Option("--from", help="First month of --canonical.")] = "2017-01",
    end: Annotated[str, typer.Option("--to", help="Last month of --canonical.")] = "2024-12",
) -> None:
    """Write a table (all rows, with sources), its annotated rows, or a canonical series, to a file."""
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json", ".jsonl"):
        fail(f"OUTPUT: expected a .csv, .parquet or .json file name, got {output.name!r}")
    if annotated:
        from stca.data import annotated_monthly

        _table(name)
        if name != "rcmp_interceptions_monthly":
            fail("--annotated: only rcmp_interceptions_monthly has chosen rows")
        frame = annotated_monthly()
    elif canonical:
        frame = _canonical(name, canonical, start, end)
    else:
        frame = _table(name)
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.write_csv(output)
    elif suffix == ".parquet":
        frame.write_parquet(output)
    else:
        frame.write_ndjson(output)
    typer.echo(f"wrote {frame.height} rows to {output}", err=True)


@data_app.command("plot", cls=Command)
def plot(
    out: Annotated[Path, typer.Option("--out", help="Directory for history.png and history.html.")],
) -> None:
    """Chart the interception history (PNG and self-contained HTML) with the rule changes marked."""
    from stca.data._chart import history_html, history_png

    if out.exists() and not out.is_dir():
        fail(f"--out: {out} exists and is not a directory")
    png = history_png(out / "history.png")
    page = history_html(out / "history.html")
    typer.echo(f"wrote {png} and {page}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``stca data`` to the application."""
    app.add_typer(data_app, name="data")
