"""Writing a rolling-origin evaluation to disk: cases, summaries, targets, one chart per horizon, a README.

Every file names its mode on every row or in every title: ``policy-conditional`` (the law's dates known) or
``real-time`` (only rules in force or announced at the cutoff). The README's tables are generated from the
same rows as ``summary.json``, so the published figures cannot drift from the data (a test checks).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl

from stca.flows._scenarios import MODES
from stca.flows.evaluate import (
    HORIZONS,
    POOLED,
    REFERENCE,
    SERIES,
    YEAR_FACTOR,
    YEAR_TARGET,
    named_cutoffs,
    summarise,
)

#: Issue 13's targets, as (figure, threshold) checks on the summaries.
SKILL_TARGET = 0.10
COVERAGE_RANGE = (0.85, 0.95)
CUTOFF_COVERAGE = 0.80


def targets(summary: list[dict[str, object]], named: list[dict[str, object]],
            totals: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each target of the issue with its measured figure and whether it is met, for both modes."""
    out: list[dict[str, object]] = []
    pooled = {(r["mode"], r["series"], r["method"]): r for r in summary if r["horizons"] == "1-6"}
    for mode in MODES:
        for key in SERIES:
            row = pooled.get((mode, key, "model"))
            if row is None:
                continue
            lo = float(row["skill_lo"])  # type: ignore[arg-type]
            value = float(row["crps_skill"])  # type: ignore[arg-type]
            out.append({"target": f"CRPS >= 10 % better than the regime naive, h 1-6, {key}", "mode": mode,
                        "figure": value, "interval": [lo, float(row["skill_hi"])],  # type: ignore[arg-type]
                        "met": bool(value >= SKILL_TARGET and lo > 0)})
            cov = float(row["coverage_90"])  # type: ignore[arg-type]
            out.append({"target": f"90 % band covers 85-95 % of months, h 1-6, {key}", "mode": mode,
                        "figure": cov, "interval": None,
                        "met": bool(COVERAGE_RANGE[0] <= cov <= COVERAGE_RANGE[1])})
    for r in named:
        if r["method"] == "model":
            cov = float(r["coverage_90"])  # type: ignore[arg-type]
            out.append({"target": f">= 80 % of held-out months inside the 90 % band, cutoff {r['cutoff']}, "
                                  f"{r['series']}", "mode": r["mode"], "figure": cov, "interval": None,
                        "met": bool(cov >= CUTOFF_COVERAGE)})
    for r in totals:
        ratio = r["ratio"]
        out.append({"target": f"{r['year']} {r['series']} total within a factor {YEAR_FACTOR} of the published, "
                              f"trained before {r['cutoff']}", "mode": r["mode"],
                    "figure": None if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)) else ratio,
                    "interval": None, "met": r["within_factor"]})
    return out


def _fmt(value: object, kind: str = "num") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "pct":
        return f"{float(value):.0%}"  # type: ignore[arg-type]
    if kind == "int":
        return f"{float(value):,.0f}"  # type: ignore[arg-type]
    if kind == "signed":
        return f"{float(value):+.0%}"  # type: ignore[arg-type]
    return f"{float(value):.2f}"  # type: ignore[arg-type]


def summary_table(summary: list[dict[str, object]], mode: str, horizons: str) -> str:
    """A Markdown table of one mode and horizon group (rows: series × method)."""
    lines = ["| series | method | n | origins | CRPS | skill vs regime naive (95 % interval) | Diebold–Mariano p | "
             "interval score | MASE | 90 % coverage | band width |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in summary:
        if r["mode"] != mode or r["horizons"] != horizons:
            continue
        skill = ("reference" if r["method"] == REFERENCE else
                 f"{_fmt(r['crps_skill'], 'signed')} ({_fmt(r['skill_lo'], 'signed')} to "
                 f"{_fmt(r['skill_hi'], 'signed')})")
        lines.append(f"| {r['series']} | {r['method']} | {r['n']} | {r['origins']} | {_fmt(r['crps'], 'int')} | "
                     f"{skill} | {_fmt(r['dm_p'])} | {_fmt(r['interval_score'], 'int')} | {_fmt(r['mase'])} | "
                     f"{_fmt(r['coverage_90'], 'pct')} | {_fmt(r['band_width'], 'int')} |")
    return "\n".join(lines)


def targets_table(rows: list[dict[str, object]]) -> str:
    """The targets with their figures, met or not, as Markdown."""
    lines = ["| target | mode | figure | met |", "|---|---|---|---|"]
    for r in rows:
        figure = r["figure"]
        if figure is None:
            text = "not measurable (no published total shipped)"
        elif "CRPS" in str(r["target"]):
            interval = r["interval"]
            assert isinstance(interval, list)
            lo, hi = interval
            text = f"{_fmt(figure, 'signed')} (95 % interval {_fmt(lo, 'signed')} to {_fmt(hi, 'signed')})"
        elif "factor" in str(r["target"]):
            text = f"model / published = {_fmt(figure)}"
        else:
            text = _fmt(figure, "pct")
        met = {True: "yes", False: "**no**", None: "–"}[r["met"]]  # type: ignore[index]
        lines.append(f"| {r['target']} | {r['mode']} | {text} | {met} |")
    return "\n".join(lines)


def _broken(rows: pl.DataFrame) -> tuple[list[object], list[float], list[float], list[float]]:
    """Dates, p05, median, p95 (floored at 1 for the log scale) with a gap wherever months are not consecutive,
    so a line never bridges months without a published figure."""
    from stca.flows._charts import _date

    x: list[object] = []
    lo: list[float] = []
    point: list[float] = []
    hi: list[float] = []
    previous = None
    for month, a, b, c in zip(rows["month"], rows["p05"], rows["point"], rows["p95"], strict=True):
        index = int(month[:4]) * 12 + int(month[5:7])
        if previous is not None and index - previous > 1:
            x.append(_date(month))
            lo.append(math.nan)
            point.append(math.nan)
            hi.append(math.nan)
        x.append(_date(month))
        lo.append(max(a, 1.0))
        point.append(max(b, 1.0))
        hi.append(max(c, 1.0))
        previous = index
    return x, lo, point, hi


def chart(cases: pl.DataFrame, horizon: int, path: Path) -> None:
    """Published figures, and the model's and the regime naive's forecasts made ``horizon`` months ahead, with
    90 % bands; one row per series, one column per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from stca.flows._charts import _date

    fig, axes = plt.subplots(len(SERIES), len(MODES), figsize=(14, 4 * len(SERIES)), dpi=90, squeeze=False)
    sub = cases.filter(pl.col("horizon") == horizon)
    for i, (key, spec) in enumerate(SERIES.items()):
        for j, mode in enumerate(MODES):
            ax = axes[i, j]
            part = sub.filter((pl.col("series") == key) & (pl.col("mode") == mode))
            truth = part.filter(pl.col("method") == "model").sort("month")
            ax.set_title(f"{spec[2]} — {mode}", fontsize=9)
            if truth.is_empty():
                ax.text(0.5, 0.5, "no published figure at this horizon", ha="center", transform=ax.transAxes)
                continue
            for method, colour, width in (("model", "#1f77b4", 5.0), (REFERENCE, "#ff7f0e", 2.0)):
                rows = part.filter(pl.col("method") == method).sort("month")
                x, lo, point, hi = _broken(rows)
                ax.vlines(x, lo, hi, color=colour, alpha=0.35, lw=width)  # each month's 90 % band
                ax.plot(x, point, "o-", ms=2.5, lw=0.8, color=colour, label=f"{method} (median, 90 % band)")
            ax.plot([_date(m) for m in truth["month"]], truth["actual"].to_list(), "o", ms=4, color="black",
                    label="published")
            ax.set_yscale("log")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle(f"Rolling origin: forecasts made {horizon} month(s) ahead (h = {horizon}; h = 1 is the first "
                 "month withheld)", fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write(out: Path, cases: pl.DataFrame, totals: list[dict[str, object]], meta: dict[str, object],
          seed: int = 0) -> dict[str, object]:
    """Write ``cases.csv``, ``summary.csv``, ``summary.json``, ``horizon-H.png`` and ``README.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    cases = cases.sort("mode", "series", "cutoff", "month", "method")
    cases.write_csv(out / "cases.csv", float_precision=6)
    cases = pl.read_csv(out / "cases.csv")  # summarise exactly what is published, so the files agree to the digit
    summary = summarise(cases, seed=seed)
    named = named_cutoffs(cases)
    goals = targets(summary, named, totals)
    pl.DataFrame(summary).write_csv(out / "summary.csv", float_precision=6)
    doc: dict[str, object] = {"meta": meta, "summary": summary, "named_cutoffs": named, "year_totals": totals,
                              "targets": goals}
    (out / "summary.json").write_text(json.dumps(doc, indent=1, default=_json_default) + "\n")
    figures().write_csv(out / "figures.csv")
    for h in HORIZONS:
        chart(cases, h, out / f"horizon-{h}.png")
    (out / "README.md").write_text(_readme(meta, summary, named, totals, goals))
    return doc


def figures() -> pl.DataFrame:
    """Every row of the tables calibration reads, with its publication date and the rule that dated it."""
    from stca.data import with_published
    from stca.data._published import CALIBRATION_TABLES

    frames = []
    for name in CALIBRATION_TABLES:
        frame = with_published(name)
        key = [c for c in frame.columns if c not in ("source", "note", "published", "known_on", "published_by")]
        frames.append(frame.select(pl.lit(name).alias("table"),
                                   pl.concat_str([pl.col(c).cast(pl.Utf8).fill_null("") for c in key],
                                                 separator=" | ").alias("row"),
                                   "published", pl.col("known_on").cast(pl.Utf8), "published_by", "source"))
    return pl.concat(frames)


def _json_default(value: object) -> object:
    raise TypeError(f"not JSON serialisable: {value!r}")


def _readme(meta: dict[str, object], summary: list[dict[str, object]], named: list[dict[str, object]],
            totals: list[dict[str, object]], goals: list[dict[str, object]]) -> str:
    parts = [
        "# Rolling-origin evaluation (generated by `stca validate`; do not edit)",
        "",
        f"Command: `{meta['command']}`. Origins (cutoffs): {meta['origins']} from {meta['first']} to "
        f"{meta['last']}; {meta['runs']} replications per origin and mode, seed {meta['seed']}. At each cutoff "
        "C every method sees only figures counting months before C and published before C's first day; "
        "horizon h targets month C + h − 1. Methods, scores and modes: docs/validation/README.md.",
        "",
        "Files: `cases.csv` (one row per mode, series, cutoff, target month and method, with the figure's "
        "publication date), `summary.csv`/`summary.json` (the tables below), `figures.csv` (every row of the "
        "tables calibration reads, its `published` cell, the last day it can have been published (`known_on`) and the "
        "rule that dated it: `column`, `table` or `unknown`), `horizon-1.png` … `horizon-12.png`.",
        "",
        "## Targets (issue 13)",
        "",
        targets_table(goals),
        "",
    ]
    for mode in MODES:
        parts += [f"## {mode}", ""]
        for label in [*(str(h) for h in HORIZONS), "1-6"]:
            title = f"pooled over horizons {POOLED[0]}–{POOLED[-1]}" if label == "1-6" else f"horizon {label}"
            parts += [f"### {mode}, {title}", "", summary_table(summary, mode, label), ""]
    parts += ["## Every held-out month at the named cutoffs", "",
              "| cutoff | mode | series | method | n | 90 % coverage | CRPS | MASE |",
              "|---|---|---|---|---|---|---|---|"]
    for r in named:
        parts.append(f"| {r['cutoff']} | {r['mode']} | {r['series']} | {r['method']} | {r['n']} | "
                     f"{_fmt(r['coverage_90'], 'pct')} | {_fmt(r['crps'], 'int')} | {_fmt(r['mase'])} |")
    parts += ["", f"## {YEAR_TARGET[1]} totals, trained before {YEAR_TARGET[0]}", "",
              "| mode | series | model median (90 % band) | published | ratio |", "|---|---|---|---|---|"]
    for r in totals:
        parts.append(f"| {r['mode']} | {r['series']} | {_fmt(r['model_median'], 'int')} "
                     f"({_fmt(r['model_p05'], 'int')}–{_fmt(r['model_p95'], 'int')}) | "
                     f"{_fmt(r['published'], 'int')} ({r['published_as']}) | {_fmt(r['ratio'])} |")
    return "\n".join(parts) + "\n"


def single_cutoff_table(folders: list[Path]) -> str:
    """Markdown table of the single-cutoff reports (``validation.csv`` of ``stca simulate --train-until``),
    all held-out months: MASE, coverage and band width of the model and its two baselines."""
    lines = ["| cutoff | series | mode | MASE model / last value / seasonal naive | 90 % coverage | mean band width |",
             "|---|---|---|---|---|---|"]
    for folder in folders:
        cutoff = folder.name.removeprefix("train-until-")
        frame = pl.read_csv(folder / "validation.csv").filter(pl.col("subset") == "all held-out months")
        for series in frame["series"].unique(maintain_order=True):
            rows = {r["method"]: r for r in frame.filter(pl.col("series") == series).iter_rows(named=True)}
            order = [rows[m] for m in ("model", "last value", "seasonal naive")]
            lines.append(f"| {cutoff} | {str(series).split(' interceptions')[0]} | {order[0]['mode']} | "
                         + " / ".join(_fmt(r["mase"]) for r in order) + " | "
                         + " / ".join(_fmt(r["coverage_90"], "pct") for r in order) + " | "
                         + " / ".join(_fmt(r["band_width"], "int") for r in order) + " |")
    return "\n".join(lines)
