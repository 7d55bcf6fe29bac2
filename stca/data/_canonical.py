"""Canonical monthly RCMP series: one row chosen per (month, province), every row kept and explained.

Why: the shipped monthly table keeps every published figure, including preliminary releases later revised,
duplicate reports and a few conflicts (see ``SOURCES.md``). Analyses need exactly one number per month, but
the choice must be visible and reversible, so :func:`annotated_monthly` returns *all* rows with a ``chosen``
flag and a ``choice`` reason, and :func:`monthly_series` puts the chosen values on a complete month grid
where a month without any published figure stays ``null`` (a gap is never filled in).

Rules, applied in order to the rows of one (month, province):

1. a row whose note marks it as a *preliminary* release loses to any row that is not preliminary
   (revised figures win: e.g. January 2017, 476 preliminary vs 315 revised);
2. a row whose note flags it as a likely *transcription error* loses (February 2017 Quebec, 432 vs 452);
3. a *lower bound* ("more than …") loses to an exact figure;
4. among what is left, the first row in file order wins; rows with the same value are confirmations,
   rows with a different value are recorded as an unresolved conflict (May 2017, 742 (CP wire) vs 749).

``QC (Roxham Road)`` rows describe a subset of Quebec. They stand in for Quebec only in a month with no
Quebec row at all (April 2023), and are flagged ``roxham_as_qc``; Roxham carried ≥ 95 % of Quebec
interceptions in every month where both are published.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from stca.data._published import known_before, with_published

#: Provinces of the canonical series (``TOTAL`` = Canada as published; never summed by us).
PROVINCES: tuple[str, ...] = ("QC", "MB", "BC", "AB", "SK", "NB", "ON", "OTHERS", "TOTAL")
ROXHAM = "QC (Roxham Road)"


def _rank(note: str | None) -> tuple[int, int, int]:
    text = (note or "").lower()
    preliminary = int("preliminary" in text)
    error = int("transcription error" in text)
    lower = int("lower bound" in text or "more than" in text)
    return (preliminary, error, lower)


def annotated_monthly(as_of: dt.date | None = None) -> pl.DataFrame:
    """Every row of ``rcmp_interceptions_monthly`` with ``chosen`` (bool) and ``choice`` (why).

    Args:
        as_of: keep only rows published before this day (``stca.data.with_published``), so the choice is
            the one a reader could make then — e.g. a preliminary figure before its revision appeared.

    Returns:
        The shipped rows in file order plus ``row`` (0-based file row), ``canonical_province`` (the
        province the row counts for in the canonical series), ``chosen``, ``choice``, ``published`` (as
        shipped), ``known_on`` and ``published_by`` (``stca.data.with_published``).
    """
    raw = known_before(with_published("rcmp_interceptions_monthly").with_row_index("row"), as_of)
    has_qc = set(raw.filter(pl.col("province") == "QC")["month"].to_list())
    rows = raw.to_dicts()
    for r in rows:
        r["canonical_province"] = r["province"]
        if r["province"] == ROXHAM:
            r["canonical_province"] = "QC" if r["month"] not in has_qc else None
    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for r in rows:
        if r["canonical_province"] is not None:
            groups.setdefault((str(r["month"]), str(r["canonical_province"])), []).append(r)
    for r in rows:
        r["chosen"], r["choice"] = False, "Roxham subset: Quebec row exists for this month"
    for group in groups.values():
        ordered = sorted(group, key=lambda r: (_rank(r["note"]), r["row"]))  # type: ignore[arg-type]
        best = ordered[0]
        best["chosen"] = True
        others = ordered[1:]
        reasons = []
        if best["province"] == ROXHAM:
            reasons.append("roxham_as_qc: no Quebec row this month, Roxham-only figure stands in")
        if _rank(best["note"])[0]:  # type: ignore[arg-type]
            reasons.append("preliminary: no revised figure published")
        if not others:
            reasons.append("only row")
        elif all(o["interceptions"] == best["interceptions"] for o in others):
            reasons.append(f"confirmed by {len(others)} other row(s)")
        else:
            reasons.append("chosen over conflicting row(s) by rule: revised > preliminary > flagged error > "
                           "lower bound > file order")
        best["choice"] = "; ".join(reasons)
        for o in others:
            why = ("same value (confirmation)" if o["interceptions"] == best["interceptions"]
                   else f"not chosen: {'preliminary' if _rank(o['note'])[0] else 'conflict'}; "  # type: ignore[arg-type]
                        f"row {best['row']} preferred")
            o["choice"] = why
    columns = ("row", "month", "province", "canonical_province", "interceptions", "chosen", "choice", "source",
               "note", "published", "known_on", "published_by")
    if not rows:  # nothing published yet on ``as_of``
        return raw.with_columns(pl.lit(None, pl.Utf8).alias("canonical_province"), pl.lit(False).alias("chosen"),
                                pl.lit(None, pl.Utf8).alias("choice")).select(columns)
    return pl.DataFrame(rows, infer_schema_length=None).select(columns)


def month_grid(start: str, end: str) -> list[str]:
    """Every month ``YYYY-MM`` from ``start`` to ``end`` inclusive.

    >>> month_grid("2022-11", "2023-02")
    ['2022-11', '2022-12', '2023-01', '2023-02']
    """
    y, m = int(start[:4]), int(start[5:7])
    ey, em = int(end[:4]), int(end[5:7])
    out = []
    while (y, m) <= (ey, em):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly_series(province: str = "QC", start: str = "2017-01", end: str = "2024-12",
                   as_of: dt.date | None = None) -> pl.DataFrame:
    """The canonical monthly series of one province on a complete month grid; gaps stay ``null``.

    ``as_of`` restricts it to the figures published before that day (see :func:`annotated_monthly`).

    >>> s = monthly_series("QC", "2017-08", "2017-10")
    >>> s["interceptions"].to_list()
    [5530, None, None]
    """
    if province not in PROVINCES:
        raise KeyError(f"unknown province {province!r}; choose from {', '.join(PROVINCES)}")
    chosen = annotated_monthly(as_of).filter(pl.col("chosen") & (pl.col("canonical_province") == province))
    grid = pl.DataFrame({"month": month_grid(start, end)})
    return grid.join(
        chosen.select("month", "interceptions", "row", "choice", "published"), on="month", how="left"
    ).with_columns(pl.lit(province).alias("province")).select("month", "province", "interceptions", "row", "choice",
                                                                     "published")
