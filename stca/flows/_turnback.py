"""Turn-back and ineligibility chances per route, month and profile — asked of the law engine, cached.

The simulator never decides a case itself. For each legal route and each month it builds the facts of every
population profile taking that route on six days spread over the month (3rd, 8th, 13th, 18th, 23rd, 28th,
so a rule that changes mid-month — 2020-03-21, 2021-11-21, 2023-03-25 — weighs by the share of the month it
covers) and calls :func:`stca.law.evaluate_frame` once for the whole (month × day × route × profile) grid.

"Turned back" means the engine found the person ``BARRED`` (returned to the US under IRPR 159.3 / 159.4) or
applied the COVID-19 direct-back overlay. "Ineligible" means another ground of IRPA 101(1) applies (e.g.
Bill C-12's 101(1)(b.2)): the claim is not referred, but the person is not sent back at the border.

The sampled days are also kept in two groups, inside and outside the COVID-19 border closure (the dated
period of ``stca.data.EVENTS``), so that the pandemic demand multiplier can weigh the days of a partly
closed month (March 2020, November 2021) by who actually came on them.

Results are cached in memory and on disk, keyed by the policy, the month range, the population, the closure
dates and a hash of the law package's source, so an edit to the rules can never serve stale answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from stca.flows._population import Profile

#: Legal routes asked of the engine: (name, entry_place, claim_at_entry, days between entry and claim).
LEGAL_ROUTES: tuple[tuple[str, str, bool, int], ...] = (
    ("LAND_POE", "LAND_POE", True, 0),
    ("BETWEEN_POES_LAND", "BETWEEN_POES_LAND", True, 0),
    ("INLAND_AFTER_WINDOW", "BETWEEN_POES_LAND", False, 15),
    ("AIRPORT", "AIRPORT", True, 0),
)
SAMPLE_DAYS: tuple[int, ...] = (3, 8, 13, 18, 23, 28)
_COVID_INFLATION_FREE = dt.date(2020, 6, 24)  # IRPA 101(1)(b.1) counts first entries after this date
_BORDER_ZONE = ZoneInfo("America/Toronto")


@dataclass(frozen=True)
class LegalOutcomes:
    """Engine answers on a (route, month, profile) grid, each a share of the six sampled days.

    Attributes:
        months: ``YYYY-MM`` labels.
        routes: route names in :data:`LEGAL_ROUTES` order.
        turned_back: float32 array (route, month, profile) — share of days BARRED or directed back.
        ineligible: float32 array (route, month, profile) — share of days with another IRPA 101(1) ground.
        turned_back_split, ineligible_split: float32 arrays (2, route, month, profile): the same shares over
            the sampled days outside (index 0) and inside (index 1) the COVID-19 border closure; a month
            with no sampled day in one group repeats the other group's values.
        closed_share: float array (month,) — share of the sampled days inside the closure.
    """

    months: tuple[str, ...]
    routes: tuple[str, ...]
    turned_back: np.ndarray
    ineligible: np.ndarray
    turned_back_split: np.ndarray
    ineligible_split: np.ndarray
    closed_share: np.ndarray


def closure_period(policy: str = "law") -> tuple[dt.date, dt.date]:
    """First and first-after-last day of the COVID-19 border closure, from ``stca.data.EVENTS`` (data, not law),
    as known under ``policy`` (a real-time ``law@D`` policy may not know the end yet)."""
    from stca.data import EVENTS
    from stca.flows._scenarios import known_closure

    period = next(e for e in EVENTS if e.end is not None and "COVID" in e.label)
    assert period.end is not None
    return known_closure(policy, period.start, period.end)


def _law_fingerprint() -> str:
    import stca.law

    digest = hashlib.sha256()
    for path in sorted(Path(stca.law.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    import platformdirs

    root = os.environ.get("STCA_CACHE_DIR") or platformdirs.user_cache_dir("stca")
    path = Path(root) / "flows"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _member(raw: dict[str, object]) -> dict[str, object]:
    from stca.law import FamilyMember

    return FamilyMember(**raw).model_dump(mode="json")  # type: ignore[arg-type]


def build_frame(profiles: list[Profile], months: list[str], direction: str = "US_TO_CANADA") -> pl.DataFrame:
    """The (route × month × day × profile) fact grid, in the columns of ``stca.law.frame.FACT_COLUMNS``.

    ``direction`` is the law's: ``US_TO_CANADA`` (Canada's side of the Agreement, IRPR 159.1–159.7) or
    ``CANADA_TO_US`` (the US side, 8 CFR 208.30(e)(6)) for people crossing north to south.
    """
    people = pl.DataFrame({
        "profile": list(range(len(profiles))),
        "nationalities": [list(p.facts.get("nationalities", [])) for p in profiles],  # type: ignore[call-overload]
        "visa_required_canada": [bool(p.facts.get("visa_required_canada", True)) for p in profiles],
        "visa_required_us": [bool(p.facts.get("visa_required_us", True)) for p in profiles],
        "age_years": [int(p.facts.get("age_years", 30)) for p in profiles],  # type: ignore[call-overload]
        "documents_held": [list(p.facts.get("documents_held", [])) for p in profiles],  # type: ignore[call-overload]
        "family_members": [[_member(m) for m in p.facts.get("family_members", [])]  # type: ignore[attr-defined]
                           for p in profiles],
    }, schema_overrides={"age_years": pl.Int32})
    rows: dict[str, list[object]] = {k: [] for k in ("route", "month", "entry_place", "claim_at_entry",
                                                     "entry_local_date", "entry_instant", "claim_local_date",
                                                     "first_entry_after_2020_06_24")}
    for r_index, (_, place, at_entry, delay) in enumerate(LEGAL_ROUTES):
        for m_index, month in enumerate(months):
            for day in SAMPLE_DAYS:
                entry = dt.date(int(month[:4]), int(month[5:7]), day)
                rows["route"].append(r_index)
                rows["month"].append(m_index)
                rows["entry_place"].append(place)
                rows["claim_at_entry"].append(at_entry)
                rows["entry_local_date"].append(entry)
                # noon civil time at the border (contract.md §2 default, given explicitly)
                rows["entry_instant"].append(dt.datetime.combine(entry, dt.time(12), tzinfo=_BORDER_ZONE)
                                             .astimezone(dt.UTC))
                rows["claim_local_date"].append(entry + dt.timedelta(days=delay))
                rows["first_entry_after_2020_06_24"].append(entry if entry > _COVID_INFLATION_FREE else None)
    settings = pl.DataFrame(rows, schema_overrides={"first_entry_after_2020_06_24": pl.Date,
                                                    "entry_instant": pl.Datetime("us", "UTC")})
    grid = settings.join(people, how="cross").with_columns(
        pl.lit(direction).alias("direction"), pl.lit(True).alias("came_from_other_party"))
    return grid


def _evaluate(profiles: list[Profile], months: list[str], policy: str,
              direction: str = "US_TO_CANADA") -> LegalOutcomes:
    import stca.law

    evaluate_frame = cast(Callable[..., pl.DataFrame], stca.law.evaluate_frame)
    from stca.flows._scenarios import engine_policy

    grid = build_frame(profiles, months, direction)
    first, end = closure_period(policy)
    keys = grid.select("route", "month", "profile",
                       ((pl.col("entry_local_date") >= first) & (pl.col("entry_local_date") < end))
                       .cast(pl.Int8).alias("closed"))
    facts = grid.drop("route", "month", "profile")
    result = evaluate_frame(facts, policy=engine_policy(policy))
    rows = keys.with_columns(
        ((result["stca_result"] == "BARRED") | result["covid_direct_back"].fill_null(False))
        .cast(pl.Float32).alias("tb"),
        (result["other_ineligibility"].list.len() > 0).cast(pl.Float32).alias("inel"),
    )
    shape = (len(LEGAL_ROUTES), len(months), len(profiles))

    def arrays(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = frame.group_by("route", "month", "profile").agg(pl.col("tb").mean(), pl.col("inel").mean())
        tb, inel, seen = np.zeros(shape, np.float32), np.zeros(shape, np.float32), np.zeros(shape, bool)
        idx = (out["route"].to_numpy(), out["month"].to_numpy(), out["profile"].to_numpy())
        tb[idx], inel[idx], seen[idx] = out["tb"].to_numpy(), out["inel"].to_numpy(), True
        return tb, np.minimum(inel, 1.0 - tb), seen  # a person sent back is not also counted as ineligible

    tb, inel, _ = arrays(rows)
    split_tb, split_inel = np.stack([tb, tb]), np.stack([inel, inel])
    for half in (0, 1):
        htb, hinel, seen = arrays(rows.filter(pl.col("closed") == half))
        split_tb[half][seen], split_inel[half][seen] = htb[seen], hinel[seen]
    closed = rows.filter((pl.col("route") == 0) & (pl.col("profile") == 0)).group_by("month").agg(
        pl.col("closed").cast(pl.Float64).mean())
    share = np.zeros(len(months))
    share[closed["month"].to_numpy()] = closed["closed"].to_numpy()
    return LegalOutcomes(tuple(months), tuple(r[0] for r in LEGAL_ROUTES), tb, inel, split_tb, split_inel, share)


@lru_cache(maxsize=16)
def legal_outcomes(policy: str, months: tuple[str, ...], population_seed: int = 2017,
                   population_size: int = 4000, direction: str = "US_TO_CANADA"
                   ) -> tuple[LegalOutcomes, tuple[Profile, ...]]:
    """Engine answers for the population under ``policy`` (cached in memory and on disk).

    ``direction`` ``CANADA_TO_US`` asks the US side of the Agreement about the northbound population
    (:func:`stca.flows._population.draw_northbound_population`).
    """
    from stca.flows._population import draw_northbound_population, draw_population

    northbound = direction == "CANADA_TO_US"
    drawer = draw_northbound_population if northbound else draw_population
    profiles = drawer(population_size, population_seed)
    key = hashlib.sha256(
        f"v2|{_law_fingerprint()}|{policy}|{months[0]}|{months[-1]}|{len(months)}|{population_seed}|"
        f"{population_size}|{closure_period(policy)}{'|' + direction if northbound else ''}".encode()
    ).hexdigest()[:24]
    path = _cache_dir() / f"outcomes-{key}.npz"
    if path.exists():
        with np.load(path) as saved:
            return LegalOutcomes(months, tuple(r[0] for r in LEGAL_ROUTES), saved["tb"], saved["inel"],
                                 saved["split_tb"], saved["split_inel"], saved["closed_share"]), tuple(profiles)
    outcomes = _evaluate(profiles, list(months), policy, direction)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(tmp, tb=outcomes.turned_back, inel=outcomes.ineligible, split_tb=outcomes.turned_back_split,
             split_inel=outcomes.ineligible_split, closed_share=outcomes.closed_share)
    os.replace(tmp, path)
    return outcomes, tuple(profiles)
