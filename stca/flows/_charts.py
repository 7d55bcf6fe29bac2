"""Charts of simulated series with 90 % bands, observed history and the rule changes (PNG + HTML).

HTML files embed plotly's JavaScript (no CDN), so they open offline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from stca.data import EVENTS, monthly_series

PANELS: tuple[tuple[str, str, str, str], ...] = (
    ("QC", "BETWEEN_POES_LAND", "interceptions", "Quebec: RCMP interceptions between ports"),
    ("CA", "BETWEEN_POES_LAND", "interceptions", "Canada: RCMP interceptions between ports"),
    ("CA", "LAND_POE", "claims", "Canada: claims at land ports"),
    ("CA", "LAND_POE", "turned_back", "Canada: turned back at land ports"),
    ("CA", "AIRPORT", "claims", "Canada: airport claims (this population)"),
    ("CA", "INLAND", "claims", "Canada: inland claims (this population)"),
)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _date(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 15)


def _pick(frame: pl.DataFrame, prov: str, route: str, measure: str) -> pl.DataFrame:
    return frame.filter((pl.col("province") == prov) & (pl.col("route") == route) & (pl.col("measure") == measure))


def _observed(prov: str, route: str, measure: str, start: str, end: str) -> tuple[list[str], list[float | None]]:
    if route != "BETWEEN_POES_LAND" or measure != "interceptions" or prov not in ("QC", "CA"):
        return [], []
    s = monthly_series("QC" if prov == "QC" else "TOTAL", start, min(end, "2024-12"))
    return s["month"].to_list(), s["interceptions"].to_list()


def write_png(runs: list[tuple[str, pl.DataFrame]], path: Path, title: str,
              panels: tuple[tuple[str, str, str, str], ...] = PANELS) -> Path:
    """Grid of panels; one coloured line + band per run; black dots = published canonical figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = 2
    rows = (len(panels) + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(14, 3.3 * rows), dpi=100, squeeze=False)
    for ax, (prov, route, measure, label) in zip(axes.ravel(), panels, strict=False):
        start = end = ""
        for (name, frame), colour in zip(runs, COLOURS, strict=False):
            sub = _pick(frame, prov, route, measure).sort("month")
            months = sub["month"].to_list()
            if not months:
                continue
            start, end = months[0], months[-1]
            x = [_date(m) for m in months]
            ax.fill_between(x, sub["p05"].to_list(), sub["p95"].to_list(), color=colour, alpha=0.18, lw=0)
            ax.plot(x, sub["mean"].to_list(), color=colour, lw=1.3, label=f"{name} (mean, 90 % band)")
        om, ov = _observed(prov, route, measure, start, end) if start else ([], [])
        if om:
            ax.plot([_date(m) for m in om], [float("nan") if v is None else v for v in ov], "o", ms=2.5,
                    color="black", label="published (canonical)")
        for ev in EVENTS:
            if start and ev.start >= _date(start) - dt.timedelta(days=40) and ev.start <= _date(end):
                if ev.end is not None:
                    ax.axvspan(ev.start, ev.end, color="#f4c7c3", alpha=0.4, lw=0)
                else:
                    ax.axvline(ev.start, color="#d62728", lw=0.8, ls=":")
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
    axes.ravel()[0].legend(fontsize=7, loc="upper right")
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    fig.suptitle(title + "  (shaded red: COVID-19 direct-back; dotted: Protocol 2023-03-25, C-12 2026-03-26)",
                 fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_html(runs: list[tuple[str, pl.DataFrame]], path: Path, title: str,
               panels: tuple[tuple[str, str, str, str], ...] = PANELS) -> Path:
    """The same panels as an interactive plotly page with its JavaScript embedded."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    cols = 2
    rows = (len(panels) + 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[p[3] for p in panels])
    for i, (prov, route, measure, _label) in enumerate(panels):
        r, c = i // cols + 1, i % cols + 1
        start = end = ""
        for j, ((name, frame), colour) in enumerate(zip(runs, COLOURS, strict=False)):
            sub = _pick(frame, prov, route, measure).sort("month")
            months = sub["month"].to_list()
            if not months:
                continue
            start, end = months[0], months[-1]
            show = i == 0
            fig.add_trace(go.Scatter(x=months + months[::-1], y=sub["p95"].to_list() + sub["p05"].to_list()[::-1],
                                     fill="toself", fillcolor=colour, opacity=0.2, line={"width": 0},
                                     name=f"{name} 90 % band", legendgroup=name, showlegend=show), row=r, col=c)
            fig.add_trace(go.Scatter(x=months, y=sub["mean"].to_list(), line={"color": colour}, name=f"{name} mean",
                                     legendgroup=name, showlegend=show), row=r, col=c)
            del j
        om, ov = _observed(prov, route, measure, start, end) if start else ([], [])
        if om:
            fig.add_trace(go.Scatter(x=om, y=ov, mode="markers", marker={"color": "black", "size": 4},
                                     name="published (canonical)", showlegend=i == 0, connectgaps=False), row=r, col=c)
    for ev in EVENTS:
        if ev.start.year >= 2017:
            if ev.end is not None:
                fig.add_vrect(x0=ev.start.isoformat(), x1=ev.end.isoformat(), fillcolor="#f4c7c3", opacity=0.35,
                              line_width=0)
            else:
                fig.add_vline(x=ev.start.isoformat(), line_dash="dot", line_color="#d62728")
    fig.update_layout(title=title, template="plotly_white", height=330 * rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
