"""Writing a run to disk: contract series, reception measures, parameters, charts, validation report."""

from __future__ import annotations

import base64
import html
import json
import math
from pathlib import Path

import numpy as np
import polars as pl

from stca.data import month_grid
from stca.flows._checks import check_rows
from stca.flows._model import SERIES
from stca.flows._run import Result
from stca.flows._validation import Forecast, forecasts_of, last_value, metrics, seasonal_naive

VALIDATED: tuple[tuple[str, str], ...] = (("QC", "Quebec interceptions between ports"),
                                          ("CA", "Canada interceptions between ports (national total)"))


def write_series(frame: pl.DataFrame, out: Path, stem: str = "series") -> None:
    """``<stem>.csv`` and ``<stem>.parquet`` (contract.md §6 columns)."""
    out.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out / f"{stem}.csv")
    frame.write_parquet(out / f"{stem}.parquet")


def write_params(result: Result, out: Path, meta: dict[str, object]) -> None:
    """``run.json``: options, posterior summary (with priors) and effective sample size."""
    post = result.prepared.posterior
    inputs = result.prepared.inputs
    m = np.asarray(result.extra.get("pandemic_multiplier", np.ones(1)))
    doc = {**meta, "posterior": post.summary(), "posterior_ess": post.ess, "ratios_used": post.n_ratios,
           "pandemic_multiplier": {"fitted": not math.isnan(inputs.covid_y), "median": float(np.median(m)),
                                   "p05": float(np.quantile(m, 0.05)), "p95": float(np.quantile(m, 0.95))},
           "route_noise_variance": 1.0 / inputs.nb_shape,
           "scenario": result.prepared.scenario.description}
    (out / "run.json").write_text(json.dumps(doc, indent=2))


def _shift_months(result: Result, months: list[str]) -> set[str]:
    p = result.prepared
    c = p.inputs.closure
    # between-ports turn-back share per month, over all sampled days
    share = ((1 - c)[:, None] * p.inputs.fact_tb[0, 1] + c[:, None] * p.inputs.fact_tb[1, 1]) @ p.inputs.weights
    last_train = month_grid("2017-01", p.observed.train_until)[-2]
    ref = share[p.months.index(last_train)]
    return {m for m in months if abs(share[p.months.index(m)] - ref) > 0.05}


def validation(result: Result) -> tuple[list[dict[str, object]], dict[str, tuple[dict[str, float], dict[str, float],
                                                                                   Forecast]]]:
    """Metric rows for both validated series and what the chart needs (train, held, model forecast)."""
    obs = result.prepared.observed
    rows: list[dict[str, object]] = []
    parts = {}
    for prov, label in VALIDATED:
        train, held = (obs.qc, obs.held_qc) if prov == "QC" else (obs.total, obs.held_total)
        held = {m: v for m, v in held.items() if m <= result.prepared.months[-1]}  # within the horizon (--to)
        if not held:
            continue
        s = SERIES.index((prov, "BETWEEN_POES_LAND", "interceptions"))
        model = forecasts_of(sorted(held), result.prepared.months, result.series[:, :, s])
        for row in metrics(train, held, model, _shift_months(result, sorted(held))):
            rows.append({"series": label, **row})
        parts[label] = (train, held, model)
    return rows, parts


def _chart(parts: dict[str, tuple[dict[str, float], dict[str, float], Forecast]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from stca.flows._charts import _date

    fig, axes = plt.subplots(len(parts), 1, figsize=(12, 4 * len(parts)), dpi=100, squeeze=False)
    for ax, (label, (train, held, model)) in zip(axes[:, 0], parts.items(), strict=False):
        months = sorted(held)
        ax.plot([_date(m) for m in sorted(train)], [train[m] for m in sorted(train)], "o", ms=3, color="#555",
                label="training data")
        ax.plot([_date(m) for m in months], [held[m] for m in months], "o", ms=4, color="black",
                label="held-out data")
        for fc, name, colour in ((model, "model (median, 90 % band)", "#1f77b4"),
                                 (last_value(train, months), "last value", "#ff7f0e"),
                                 (seasonal_naive(train, months), "seasonal naive", "#2ca02c")):
            x = [_date(m) for m in months]
            ax.plot(x, [fc.point[m] for m in months], "-", color=colour, lw=1.2, label=name)
            ax.fill_between(x, [fc.lo[m] for m in months], [fc.hi[m] for m in months], color=colour, alpha=0.12)
        ax.set_yscale("log")
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_validation(result: Result, out: Path) -> list[dict[str, object]]:
    """``validation.csv/json/png/html`` and ``checks.csv`` (turn-back counts vs the model) in ``out``."""
    rows, parts = validation(result)
    cutoff = result.prepared.observed.train_until
    out.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(rows).with_columns(pl.lit(result.prepared.mode).alias("mode")).write_csv(out / "validation.csv")
    mode = result.prepared.mode
    (out / "validation.json").write_text(json.dumps({"train_until": cutoff, "mode": mode, "metrics": rows,
                                                     "checks": check_rows(result)}, indent=2))
    title = f"Held-out validation ({mode}), trained on data published before {cutoff}"
    _chart(parts, out / "validation.png", title)
    img = base64.b64encode((out / "validation.png").read_bytes()).decode()
    table = "".join(
        f"<tr><td>{html.escape(str(r['series']))}</td><td>{r['subset']}</td><td>{r['method']}</td><td>{r['n']}</td>"
        f"<td>{_fmt(r['mase'])}</td><td>{_fmt(r['coverage_90'], pct=True)}</td><td>{_fmt(r['band_width'], 0)}</td>"
        f"<td>{_fmt(r['mean_actual'], 0)}</td></tr>" for r in rows)
    checks = check_rows(result)
    pl.DataFrame(checks).write_csv(out / "checks.csv")
    check_table = "".join(
        f"<tr><td>{html.escape(str(c['check']))}</td><td>{html.escape(str(c['model_series']))}</td>"
        f"<td>{_fmt(c['published'], 0)}</td><td>{_fmt(c['model_mean'], 0)}</td>"
        f"<td>{_fmt(c['model_p05'], 0)}–{_fmt(c['model_p95'], 0)}</td><td>{c['status']}</td></tr>" for c in checks)
    post = result.prepared.posterior.summary()
    prior_rows = "".join(f"<tr><td>{k}</td><td>{v['prior_mean']:.2f} ± {v['prior_sd']:.2f}</td>"
                         f"<td>{v['mean']:.2f} ± {v['sd']:.2f}</td></tr>" for k, v in post.items())
    (out / "validation.html").write_text(f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}
td,th{{padding:3px 8px;border-bottom:1px solid #ddd}}
</style><h1>{html.escape(title)}</h1>
<p>Mode: <strong>{mode}</strong> ({_MODE_TEXT[mode]}). Fitted only on figures counting months before {cutoff} and
published before its first day; every later published month is held out. Scale of
MASE: mean absolute one-step change of the training series (consecutive published months). Model point forecast:
median of {result.series.shape[0]} replications; band: 5th–95th percentile. Baselines: last value and seasonal
naive with empirical random-walk bands (see docs/simulator.md §Validation). Regime-shift months: held-out months
whose between-ports rules (per the law engine) differ from those of the last training month.</p>
<table><tr><th>series</th><th>subset</th><th>method</th><th>n</th><th>MASE</th><th>coverage of 90 % band</th>
<th>mean band width (people/month)</th><th>mean published (people/month)</th></tr>
{table}</table>
<h2>Turn-back counts (and other published counts) against the model</h2>
<p>Model: mean and 5th–95th percentile of the period total over replications; a partial month counts by its
share of days. Status: <em>calibration</em> = used to fit (the 2017–2019 counts as ratios to interceptions; the
2020 count inverts the pandemic demand multiplier), <em>in-sample check</em> = inside the training period but not
used, <em>held out</em> = after it.</p>
<table><tr><th>published count</th><th>model series</th><th>published</th><th>model mean</th><th>model 90 %</th>
<th>status</th></tr>{check_table}</table>
<h2>Charts</h2><img alt="validation chart" style="max-width:100%" src="data:image/png;base64,{img}">
<h2>Calibrated parameters (prior → approximate posterior)</h2>
<table><tr><th>parameter</th><th>prior</th><th>posterior</th></tr>{prior_rows}</table>
<p>Posterior effective sample size: {result.prepared.posterior.ess:.0f}. {_pandemic_note(result)}
Route-noise variance (negative-binomial 1/k, from the training data): {1.0 / result.prepared.inputs.nb_shape:.3f}.</p>
<p><strong>Disclosure.</strong> The prior of <code>a_poe</code> was revised once, N(0, 1.5) → N(2, 1), after a
first look at the 2023-02 validation; docs/validation/README.md gives the sensitivity and the other changes made
with knowledge of earlier held-out results.</p></html>
""")
    return rows


_MODE_TEXT = {"policy-conditional": "every dated rule of the law known, as a scenario tool must assume",
              "real-time": "only the rules in force or announced at the cutoff"}


def _pandemic_note(result: Result) -> str:
    if math.isnan(result.prepared.inputs.covid_y):
        return "Pandemic multiplier: not fitted (the 2020 turn-back count is after the cutoff), 1."
    m = np.asarray(result.extra.get("pandemic_multiplier", np.ones(1)))
    return (f"Pandemic multiplier (inverted from the 2020 turn-back count): median {np.median(m):.3f}, "
            f"90 % range {np.quantile(m, 0.05):.3f}–{np.quantile(m, 0.95):.3f} (floor 0.01).")


def _fmt(value: object, digits: int = 2, pct: bool = False) -> str:
    if not isinstance(value, float) or math.isnan(value):
        return "–"
    return f"{value:.0%}" if pct else f"{value:,.{digits}f}"


def compare_frame(results: dict[str, Result], start: str, end: str) -> pl.DataFrame:
    """All scenarios' series in one frame with a ``scenario`` column."""
    return pl.concat([r.frame(start, end).with_columns(pl.lit(name).alias("scenario"))
                      for name, r in results.items()])


def summary_rows(result: Result, start: str, end: str) -> list[tuple[str, str, float, float, float]]:
    """Canada totals over [start, end] of the headline series: mean, 5th and 95th percentile over replications."""
    lo, hi = result.prepared.months.index(start), result.prepared.months.index(end) + 1
    out = []
    for route, measure in (("BETWEEN_POES_LAND", "interceptions"), ("LAND_POE", "claims"), ("LAND_POE", "turned_back"),
                           ("BETWEEN_POES_LAND", "turned_back"), ("AIRPORT", "claims"), ("INLAND", "claims")):
        totals = result.series[:, lo:hi, SERIES.index(("CA", route, measure))].sum(axis=1)
        p05, p95 = np.quantile(totals, [0.05, 0.95])
        out.append((route, measure, float(totals.mean()), float(p05), float(p95)))
    return out
