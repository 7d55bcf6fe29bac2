"""Latent monthly demand: how many people in the US who intend to claim in Canada reach the border.

Demand is never observed. In a month with a published interception figure it is *inverted*: the figure
divided by the share of arrivals the choice model sends between ports under the law in force (each
replication inverts with its own parameter draw, under the factual ``law`` policy, so every scenario shares
the same demand — common random numbers). Between two observed months the latent log-demand follows a
random bridge (linear in log plus Brownian-bridge noise, kept within a factor 2 of its two ends); every
published annual or period total then rescales the months of its period that have no monthly figure
(:func:`constrain_to_totals`). After the history it follows an AR(1) in log reverting towards the level of
the last 12 months of the history (the regime at the cutoff), fitted by Yule–Walker (stationary variance =
variance of the training levels, φ from consecutive published months) and bootstrapped per replication, the
long-run level drawn with its standard error. Demand has no seasonality and no drift, and projections stay
within a factor 3 of the training range (assumptions). During the COVID-19 border closure demand is scaled by a
pandemic multiplier (:func:`pandemic_multiplier`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

PHI_BOUNDS = (0.0, 0.98)
#: Projected demand never leaves [long-run level ÷ CAP, long-run level × CAP] (assumption).
CAP = 3.0


def invert(obs_t: np.ndarray, obs_y: np.ndarray, obs_total: np.ndarray, share_qc: np.ndarray,
           share_between: np.ndarray) -> np.ndarray:
    """Log-demand at observed months (B, n): log(y / share), Canada totals over both corridors."""
    share = np.where(obs_total[None, :], share_between[:, obs_t], share_qc[:, obs_t])
    return np.log(obs_y[None, :]) - np.log(np.maximum(share, 1e-9))


def fit_ar1(obs_t: np.ndarray, level: np.ndarray, rng: np.random.Generator,
            noise_var: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(μ, φ, σ) per replication by Yule–Walker on the training log-levels, bootstrapped.

    Why Yule–Walker and not least squares on month pairs: with gappy data the pairs are a minority of the
    months, and a pairs-only fit makes the projected spread (σ² / (1 − φ²)) smaller than the spread the
    training levels actually show. Yule–Walker sets the stationary variance to the sample variance of all
    training levels (γ₀) and φ = γ₁ / γ₀ from consecutive published months, so a forecast far ahead is as
    spread as the training history, no less. Every replication redraws γ₀ (months resampled) and γ₁ (month
    pairs resampled), and draws μ with the standard error of a mean of autocorrelated months.

    ``noise_var`` is the route-level count noise (negative-binomial mixing variance) that the simulation
    adds on top of demand; it is removed from γ₀ (it is independent month to month, so γ₁ keeps it out)
    so that the spread is not counted twice.
    """
    b, n = level.shape
    pairs = np.flatnonzero(np.diff(obs_t) == 1)
    centre = level.mean(axis=1)
    if len(pairs) < 3 or n < 4:
        return centre, np.full(b, 0.9), np.full(b, 0.3)
    months = rng.integers(0, n, size=(b, n))
    resampled = np.take_along_axis(level, months, axis=1)
    gamma0 = np.maximum(resampled.var(axis=1) - noise_var, 1e-4)
    pick = pairs[rng.integers(0, len(pairs), size=(b, len(pairs)))]
    x = np.take_along_axis(level, pick, axis=1) - centre[:, None]
    y = np.take_along_axis(level, pick + 1, axis=1) - centre[:, None]
    phi = np.clip((x * y).mean(axis=1) / gamma0, *PHI_BOUNDS)
    sigma = np.maximum(np.sqrt(gamma0 * (1 - phi**2)), 0.05)
    # The long-run level is itself uncertain: the standard error of a mean of n autocorrelated months,
    # n_eff = n (1 − φ) / (1 + φ), with the stationary variance γ₀.
    n_eff = np.maximum(n * (1 - phi) / (1 + phi), 1.0)
    mu = centre + rng.normal(size=b) * np.sqrt(gamma0 / n_eff)
    return mu, phi, sigma


#: Bridged (unpublished) months stay within this factor of the band spanned by the two published months they
#: join (assumption): a month between two published ones is not wildly outside both.
BRIDGE_FACTOR = 2.0
#: After the last training figure demand reverts towards its level over this many months before it (the
#: regime in force at the cutoff), not towards the mean of every training year (assumption; docs/simulator.md).
RECENT_MONTHS = 12


@dataclass(frozen=True)
class Total:
    """A published total of interceptions over a period, a constraint on the demand path.

    Attributes:
        weights: (T,) share of each month's days inside the period.
        value: the published total.
        canada: True = national total (both corridors), False = Quebec.
        label: where it comes from (for error messages and the docs).
    """

    weights: np.ndarray
    value: float
    canada: bool
    label: str


def paths(n_months: int, obs_t: np.ndarray, level: np.ndarray, mu: np.ndarray, phi: np.ndarray,
          sigma: np.ndarray, rng: np.random.Generator, hold_until: int | None = None,
          constrain: Callable[[np.ndarray], np.ndarray] | None = None, bridge_factor: float = BRIDGE_FACTOR,
          cap: float = CAP, recent_months: int = RECENT_MONTHS) -> np.ndarray:
    """Log-demand paths (B, n_months): observed months fixed, bounded bridges inside, AR(1) after.

    Args:
        n_months: months simulated (the horizon, ``--to``).
        obs_t, level: anchor months (sorted) and their log-demand per replication (B, n).
        mu, phi, sigma: AR(1) per replication (:func:`fit_ar1`).
        hold_until: last month of the history (e.g. the end of a year pinned by its total): months after
            the last anchor up to it keep the anchor's level, and the forecast starts after it.
        constrain: applied to the history (log-demand, B × months up to ``hold_until``) before the
            forecast starts, so that published totals hold and the forecast starts from the constrained level.
        bridge_factor, cap, recent_months: :data:`BRIDGE_FACTOR`, :data:`CAP`, :data:`RECENT_MONTHS` (arguments
            for the sensitivity analysis).
    """
    b = level.shape[0]
    out = np.empty((b, n_months))
    first, last = int(obs_t[0]), int(obs_t[-1])
    hold = max(last, hold_until if hold_until is not None else last)
    out[:, : first + 1] = level[:, :1]
    for i in range(len(obs_t) - 1):
        a, c = int(obs_t[i]), int(obs_t[i + 1])
        out[:, a] = level[:, i]
        gap = c - a
        if gap > 1:
            steps = rng.normal(size=(b, gap)) * sigma[:, None]
            walk = np.cumsum(steps, axis=1)
            frac = np.arange(1, gap + 1) / gap
            bridge = walk - frac[None, :] * walk[:, -1:]
            ends = level[:, i : i + 2]
            line = ends[:, :1] + frac[None, :] * (ends[:, 1:] - ends[:, :1])
            # bounded: within BRIDGE_FACTOR of the band the two published ends span
            low = ends.min(axis=1, keepdims=True) - np.log(bridge_factor)
            high = ends.max(axis=1, keepdims=True) + np.log(bridge_factor)
            out[:, a + 1 : c] = np.clip(line + bridge, low, high)[:, :-1]
    out[:, last] = level[:, -1]
    out[:, last + 1 : hold + 1] = level[:, -1:]
    if constrain is not None:
        out[:, : hold + 1] = constrain(out[:, : hold + 1])
    eps = rng.normal(size=(max(n_months - hold - 1, 0), b)).T  # month-major: a shorter horizon is a prefix
    # Mean reversion towards the recent level (the regime at the cutoff), drawn with the long-run uncertainty
    recent = out[:, max(hold + 1 - int(recent_months), 0) : hold + 1].mean(axis=1)
    target = recent + (mu - level.mean(axis=1))
    # Beyond the data, demand stays within a factor CAP of its long-run level (a bound, not a forecast); the
    # bound is symmetric so that it cannot push the median up or down.
    for j, t in enumerate(range(hold + 1, n_months)):
        step = target + phi * (out[:, t - 1] - target) + sigma * eps[:, j]
        out[:, t] = np.clip(step, target - np.log(cap), target + np.log(cap))
    return out


def constrain_to_totals(log_demand: np.ndarray, totals: list[Total], share_qc: np.ndarray,
                        share_between: np.ndarray, fixed: np.ndarray, passes: int = 3) -> np.ndarray:
    """Rescale the free (unpublished) months of each period so that expected interceptions hit its total.

    Why: a bridge or a projection knows nothing of a published annual or period total; without this a
    replication can put 45,000 interceptions in one month of a year whose total is 16,503. Each total scales
    the demand of its months that have no published monthly figure (``fixed`` false) by one factor, so that
    published months + rescaled free months = the total; overlapping totals are met in turn, ``passes``
    times (iterative proportional fitting). When the published months alone exceed the total (preliminary
    or rounded figures), the free months keep 1 % of their unconstrained demand rather than a negative one.

    Args:
        log_demand: (B, H) log-demand of the history months.
        totals: the constraints (weights over at least H months).
        share_qc, share_between: (B, ≥H) expected interceptions per unit of demand (Quebec; both corridors).
        fixed: (H,) True for months whose demand is set by a published monthly figure.
    """
    h = log_demand.shape[1]
    out = log_demand.copy()
    floors: dict[int, np.ndarray] = {}
    for _ in range(passes):
        for i, total in enumerate(totals):
            w = total.weights[:h]
            free = ~fixed & (w > 0)
            if not free.any():
                continue
            share = (share_between if total.canada else share_qc)[:, :h]
            expected = np.exp(out) * share * w[None, :]
            held = expected[:, ~free].sum(axis=1)
            movable = expected[:, free].sum(axis=1)
            floor = floors.setdefault(i, 0.01 * movable)  # 1 % of the unconstrained free months, once
            target = np.maximum(total.value - held, floor)
            factor = np.divide(target, movable, out=np.ones_like(movable), where=movable > 0)
            out[:, free] += np.log(np.clip(factor, 1e-4, 1e4))[:, None]
    return out


#: Lowest pandemic multiplier allowed (when the months before the closure alone already exceed the
#: published count, the closure months get this floor rather than a negative demand).
PANDEMIC_FLOOR = 0.01


def pandemic_multiplier(observed: float, outside: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Multiplier m of demand during the COVID-19 border closure that reproduces a published turn-back count.

    On days inside the closure demand is scaled by m. The expected number turned back in the published
    window is ``outside + m · inside`` (expected turn-backs on days outside / inside the closure, demand
    unscaled), so m = (observed − outside) / inside, clipped to [:data:`PANDEMIC_FLOOR`, 1]: the count is
    *inverted*, exactly as interception figures are inverted into demand, one value per replication.

    >>> pandemic_multiplier(60.0, np.array([50.0, 70.0]), np.array([50.0, 50.0]))
    array([0.2 , 0.01])
    """
    m = np.divide(observed - outside, inside, out=np.ones_like(inside), where=inside > 0)
    return np.clip(m, PANDEMIC_FLOOR, 1.0)


_UNSURE = ("preliminary", "lower bound", "more than", "approximate", "about", "transcription error")


def _period_bounds(start: str, end: str) -> tuple[dt.date, dt.date] | None:
    """[first day, day after the last) of a period written as YYYY, YYYY-MM or YYYY-MM-DD; None if not a period."""
    def parse(text: str, last: bool) -> dt.date | None:
        parts = text.strip().split("-")
        if not all(p.isdigit() for p in parts) or len(parts) not in (1, 2, 3):
            return None
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else (12 if last else 1)
        if len(parts) == 3:
            d = dt.date(y, m, int(parts[2]))
        else:
            d = dt.date(y, m, calendar.monthrange(y, m)[1] if last else 1)
        return d + dt.timedelta(days=1) if last else d

    first, stop = parse(start, False), parse(end, True)
    return (first, stop) if first and stop and first < stop else None


def period_totals(train_until: str, months: tuple[str, ...]) -> list[Total]:
    """Every published annual and period total of Quebec or Canada interceptions that ends before the cutoff
    and was published before it.

    From ``rcmp_interceptions_annual`` (2017 on) and ``rcmp_interceptions_periods``; a figure flagged as
    preliminary, approximate or a lower bound is left out (it cannot be an equality), and a repeated
    (period, province) keeps its first row, as the canonical monthly series does.
    """
    from stca.flows._observed import day_share, known

    rows: list[tuple[str, str, str, float, str]] = []
    annual = known("rcmp_interceptions_annual", train_until)
    for y, prov, value, note in annual.select("year", "province", "interceptions", "note").iter_rows():
        rows.append((str(y), str(y), prov, value, note or ""))
    periods = known("rcmp_interceptions_periods", train_until)
    for start, end, prov, value, note in periods.select("period_start", "period_end", "province", "interceptions",
                                                        "note").iter_rows():
        rows.append((start, end, prov, value, note or ""))
    seen: set[tuple[str, str, str]] = set()
    out: list[Total] = []
    for start, end, prov, value, note in rows:
        bounds = _period_bounds(start, end)
        if prov not in ("QC", "TOTAL") or value is None or bounds is None or (start, end, prov) in seen:
            continue
        seen.add((start, end, prov))
        first, stop = bounds
        if first.year < 2017 or any(word in note.lower() for word in _UNSURE):
            continue
        if (stop - dt.timedelta(days=1)).strftime("%Y-%m") >= train_until:
            continue
        out.append(Total(day_share(months, first, stop), float(value), prov == "TOTAL", f"{prov} {start}..{end}"))
    return out
