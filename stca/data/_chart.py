"""The history chart: canonical RCMP interceptions (Quebec and Canada) with the rule changes marked.

Gaps are drawn as gaps (a month without a published figure is NaN, so lines break); annual totals are
shown separately as a monthly average bar over their year, labelled as such, never spread into months.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from stca.data._canonical import monthly_series
from stca.data._catalog import load
from stca.data._events import EVENTS

START, END = "2016-01", "2026-12"


def _dates(months: list[str]) -> list[dt.date]:
    return [dt.date(int(m[:4]), int(m[5:7]), 15) for m in months]


def _annual_totals() -> pl.DataFrame:
    annual = load("rcmp_interceptions_annual").filter(pl.col("province").is_in(["TOTAL", "QC"]))
    return annual.unique(subset=["year", "province"], keep="first", maintain_order=True)


def history_png(path: Path) -> Path:
    """Write the history chart as a PNG (matplotlib, Agg backend) and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(figsize=(12, 5.5), dpi=110)
    ax: Any = axes  # matplotlib's stubs reject dates, which it plots natively
    for prov, colour, label in (("TOTAL", "#444444", "Canada (published total)"),
                                ("QC", "#1f77b4", "Quebec")):
        s = monthly_series(prov, START, END)
        y = [float("nan") if v is None else v for v in s["interceptions"].to_list()]
        ax.plot(_dates(s["month"].to_list()), y, marker="o", ms=3, lw=1.4, color=colour, label=label)
    for row in _annual_totals().filter(pl.col("province") == "TOTAL").iter_rows(named=True):
        year = int(row["year"])
        if year >= 2016:
            ax.hlines(row["interceptions"] / 12, dt.date(year, 1, 1), dt.date(year, 12, 31), colors="#999999",
                      linestyles="dashed", lw=1)
    ax.plot([], [], ls="--", color="#999999", label="annual total ÷ 12 (not a monthly figure)")
    for ev in EVENTS:
        if ev.end is not None:
            ax.axvspan(ev.start, ev.end, color="#f4c7c3", alpha=0.5, lw=0)
            ax.text(ev.start, ax.get_ylim()[1] * 0.97, " " + ev.label, fontsize=8, va="top")
        elif ev.start.year >= 2016:
            ax.axvline(ev.start, color="#d62728", lw=1, ls=":")
            ax.text(ev.start, ax.get_ylim()[1] * 0.85, " " + ev.label, fontsize=8, rotation=90, va="top")
        else:
            ax.text(dt.date(2016, 2, 1), ax.get_ylim()[1] * 0.97, f"◂ {ev.label}", fontsize=8, va="top")
    ax.set_title("RCMP interceptions between ports of entry, monthly (canonical rows; gaps = no published figure)")
    ax.set_ylabel("people per month")
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def history_html(path: Path) -> Path:
    """Write the interactive history chart (plotly, JavaScript embedded, no CDN) and return its path."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for prov, label in (("TOTAL", "Canada (published total)"), ("QC", "Quebec")):
        s = monthly_series(prov, START, END)
        fig.add_trace(go.Scatter(x=s["month"].to_list(), y=s["interceptions"].to_list(), name=label,
                                 mode="lines+markers", connectgaps=False,
                                 customdata=s["choice"].to_list(),
                                 hovertemplate="%{x}: %{y}<br>%{customdata}<extra>" + label + "</extra>"))
    for ev in EVENTS:
        if ev.end is not None:
            fig.add_vrect(x0=ev.start.isoformat(), x1=ev.end.isoformat(), fillcolor="#f4c7c3", opacity=0.5,
                          line_width=0, annotation_text=ev.label, annotation_position="top left")
        elif ev.start.year >= 2016:
            fig.add_vline(x=ev.start.isoformat(), line_dash="dot", line_color="#d62728")
            fig.add_annotation(x=ev.start.isoformat(), y=1, yref="paper", text=ev.label, showarrow=False,
                               textangle=-90, xanchor="left", yanchor="top", font={"size": 10})
        else:
            fig.add_annotation(x=0, xref="paper", y=1.05, yref="paper", text=f"◂ {ev.label}", showarrow=False)
    fig.update_layout(title="RCMP interceptions between ports of entry (gaps = no published figure)",
                      yaxis_title="people per month", template="plotly_white")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
