"""Render a ``Comparison``: Rich tables for the terminal, a CSV of every count, an HTML page with charts.

The HTML page is self-contained (plotly's JavaScript embedded, no CDN), so it opens offline and can be
mailed as one file.
"""

from __future__ import annotations

import html
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from stca.bulk.compare import Comparison

_OUTCOMES = ("BARRED", "NOT_BARRED", "NOT_APPLICABLE")
_TOP = 12


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def print_comparison(cmp: Comparison, console: Console) -> None:
    """Summary, transition matrix, provisions that move outcomes, and breakdowns, as Rich tables."""
    console.print(
        f"[bold]{cmp.rows:,}[/] cases; outcome changes from [cyan]{cmp.a}[/] to [magenta]{cmp.b}[/] "
        f"in [bold]{cmp.changed:,}[/] ({_pct(cmp.changed, cmp.rows)})"
    )
    matrix = Table(title=f"Transition matrix (rows: {cmp.a}; columns: {cmp.b})")
    matrix.add_column(f"{cmp.a} \\ {cmp.b}")
    for out in _OUTCOMES:
        matrix.add_column(out, justify="right")
    matrix.add_column("total", justify="right")
    counts = {(r["result_a"], r["result_b"]): r["cases"] for r in cmp.transitions.iter_rows(named=True)}
    for a in _OUTCOMES:
        row = [counts.get((a, b), 0) for b in _OUTCOMES]
        cells = [f"[bold]{v:,}[/]" if a != b and v else f"{v:,}" for b, v in zip(_OUTCOMES, row, strict=True)]
        matrix.add_row(a, *cells, f"{sum(row):,}")
    console.print(matrix)

    moves = Table(title="Deciding provisions of the cases whose outcome changes")
    for col, justify in (("cases", "right"), (cmp.a, "left"), (cmp.b, "left")):
        moves.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in cmp.provisions.head(_TOP).iter_rows(named=True):
        moves.add_row(f"{r['cases']:,}", f"{r['result_a']}: {r['deciding_a']}", f"{r['result_b']}: {r['deciding_b']}")
    if cmp.provisions.height > _TOP:
        moves.caption = f"{cmp.provisions.height - _TOP} more combinations in --csv"
    console.print(moves)

    if not cmp.grounds.is_empty():
        grounds = Table(title="Parallel grounds (IRPA 101(1), other_ineligibility): cases with each")
        for col in ("ground", cmp.a, cmp.b, "difference"):
            grounds.add_column(col, justify="left" if col == "ground" else "right")
        for r in cmp.grounds.iter_rows(named=True):
            grounds.add_row(r["ground"], f"{r['cases_a']:,}", f"{r['cases_b']:,}", f"{r['cases_b'] - r['cases_a']:+,}")
        console.print(grounds)

    for name, frame in cmp.breakdowns.items():
        table = Table(title=f"By {name.replace('_', ' ')} (top {_TOP} by changes)")
        for col in (name, "cases", "changed", "share", f"BARRED {cmp.a}", f"BARRED {cmp.b}"):
            table.add_column(col, justify="left" if col == name else "right")
        for r in frame.head(_TOP).iter_rows(named=True):
            table.add_row(str(r["value"]), f"{r['cases']:,}", f"{r['changed']:,}", _pct(r["changed"], r["cases"]),
                          f"{r['barred_a']:,}", f"{r['barred_b']:,}")
        console.print(table)


def comparison_long(cmp: Comparison) -> pl.DataFrame:
    """Every count in one long table: ``section, dimension, value, from, to, cases, changed``."""
    frames = [
        cmp.transitions.select(
            section=pl.lit("transition"), dimension=pl.lit("stca_result"), value=pl.lit(None, pl.String),
            **{"from": pl.col("result_a"), "to": pl.col("result_b")}, cases="cases",
            changed=pl.when(pl.col("result_a") != pl.col("result_b")).then("cases").otherwise(0),
        ),
        cmp.provisions.select(
            section=pl.lit("provision"), dimension=pl.lit("deciding_provision"),
            value=pl.concat_str("result_a", pl.lit(" -> "), "result_b"),
            **{"from": pl.col("deciding_a"), "to": pl.col("deciding_b")}, cases="cases", changed="cases",
        ),
    ]
    frames.append(cmp.grounds.select(
        section=pl.lit("ground"), dimension=pl.lit("other_ineligibility"), value=pl.col("ground"),
        **{"from": pl.col("cases_a").cast(pl.String), "to": pl.col("cases_b").cast(pl.String)},
        cases=pl.col("cases_b"), changed=(pl.col("cases_b") - pl.col("cases_a")),
    ))
    for name, frame in cmp.breakdowns.items():
        frames.append(frame.select(
            section=pl.lit("breakdown"), dimension=pl.lit(name), value=pl.col("value").cast(pl.String),
            **{"from": pl.col("barred_a").cast(pl.String), "to": pl.col("barred_b").cast(pl.String)},
            cases="cases", changed="changed",
        ))
    header = pl.DataFrame({"section": ["policies"], "dimension": ["label"], "value": [None],
                           "from": [cmp.a], "to": [cmp.b], "cases": [cmp.rows], "changed": [cmp.changed]},
                          schema_overrides={"value": pl.String, "cases": pl.Int64, "changed": pl.Int64})
    return pl.concat([header, *[f.cast({"cases": pl.Int64, "changed": pl.Int64}) for f in frames]],
                     how="vertical_relaxed")


def write_csv(cmp: Comparison, path: Path) -> None:
    """The long table as CSV.

    Sections: ``policies`` (labels, rows, changed), ``transition`` (from/to outcome), ``provision``
    (from/to deciding provision of changed cases), ``ground`` (from/to = cases with the ground under
    A/B, ``changed`` = difference), ``breakdown`` (from/to = BARRED under A/B).
    """
    comparison_long(cmp).write_csv(path)


def _html_table(frame: pl.DataFrame, columns: dict[str, str]) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(f'{row[c]:,}' if isinstance(row[c], int) else str(row[c]))}</td>"
                         for c in columns) + "</tr>"
        for row in frame.iter_rows(named=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_html(cmp: Comparison, path: Path) -> None:
    """A self-contained page: outcome chart, changes by breakdown, and the tables."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    totals = cmp.outcome_totals()
    dims = list(cmp.breakdowns)
    fig = make_subplots(rows=1 + len(dims), cols=1, vertical_spacing=0.06,
                        subplot_titles=["Outcomes under each policy"]
                        + [f"Cases whose outcome changes, by {d.replace('_', ' ')}" for d in dims])
    for label, col in ((cmp.a, "a"), (cmp.b, "b")):
        fig.add_trace(go.Bar(name=label, x=totals["stca_result"].to_list(), y=totals[col].to_list()), row=1, col=1)
    for i, dim in enumerate(dims, start=2):
        frame = cmp.breakdowns[dim].head(15)
        fig.add_trace(go.Bar(name=f"changed ({dim})", x=[str(v) for v in frame["value"].to_list()],
                             y=frame["changed"].to_list(), showlegend=False), row=i, col=1)
    fig.update_layout(barmode="group", height=380 * (1 + len(dims)), template="plotly_white")
    chart = fig.to_html(full_html=False, include_plotlyjs=True)
    matrix = cmp.transitions.rename({"result_a": cmp.a, "result_b": cmp.b})
    tables = [
        ("Transition matrix", _html_table(matrix, {cmp.a: f"outcome under {cmp.a}", cmp.b: f"outcome under {cmp.b}",
                                                   "cases": "cases"})),
        ("Deciding provisions of the cases whose outcome changes", _html_table(
            cmp.provisions, {"cases": "cases", "result_a": cmp.a, "deciding_a": f"provision ({cmp.a})",
                             "result_b": cmp.b, "deciding_b": f"provision ({cmp.b})"})),
    ]
    tables.append(("Parallel grounds (other_ineligibility)", _html_table(
        cmp.grounds, {"ground": "ground", "cases_a": f"cases ({cmp.a})", "cases_b": f"cases ({cmp.b})"})))
    for dim, frame in cmp.breakdowns.items():
        tables.append((f"By {dim.replace('_', ' ')}", _html_table(
            frame, {"value": dim, "cases": "cases", "changed": "changed", "barred_a": f"BARRED ({cmp.a})",
                    "barred_b": f"BARRED ({cmp.b})"})))
    title = f"stca compare: {cmp.a} vs {cmp.b}"
    sections = "".join(f"<h2>{html.escape(t)}</h2>{body}" for t, body in tables)
    path.write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;"
        "text-align:right}th{background:#f3f3f3}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{cmp.rows:,} cases; the outcome changes in {cmp.changed:,} "
        f"({_pct(cmp.changed, cmp.rows)}).</p>{chart}{sections}</body></html>",
        encoding="utf-8",
    )
