"""Aggregates for analysts: counts and trends with no names, references or ids.

Why a whitelist of dimensions: an analyst chooses how to group, never which columns to read, so no
query can reach ``claimant_name`` or ``people.name``. The export is the same table as CSV or Parquet.

Why the result *in effect*: a case's final outcome is the engine's determination unless a supervisor
approved an eligibility officer's override of it (four-eyes rule, ``_review``); counting the engine's
result would report cases the desk decided otherwise. A pending or rejected override changes nothing.
An approved override has no provision of its own, so its ``deciding_provision`` is ``OVERRIDE``.

Small cells are suppressed (issue 12, OWASP ASVS V8.3): with few cases in a cell, a count can single
out a person (the only Haitian woman at Lacolle in March). The rule, applied to every count the API,
the page and the exports give:

1. *Primary*: a count from 1 to ``SMALL_CELL_THRESHOLD - 1`` (1–4) is hidden and shown as ``<5``.
2. *Complementary*: every sum of a table along one dimension is assumed known (it is the cell of a
   coarser table anyone can ask for), so in every such group of cells holding exactly one hidden cell
   the smallest other cell is hidden too, shown as ``x``, repeated until no group has a lone hidden
   cell; a hidden cell then cannot be recovered by subtracting the others from the total.
3. *Dates*: a date range must be whole months (or whole years) and ``month`` (or ``year``) must be one
   of the groupings; the suppression is computed on the whole table, for all time, before the rows of
   the range are kept, so two ranges never differ in anything but which published rows they show, and
   subtracting one range from another recovers nothing.

A suppressed row has ``count`` null and ``shown`` ``<5`` or ``x``; other rows have ``shown`` equal to
the count. What it does not cover: sums along two dimensions at once of a table of three or more
(a lone hidden cell there can still be bounded), and counts combined with knowledge outside the desk.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stca.desk.domain import Approval
from stca.desk.models import Case, Determination, Review
from stca.desk.services._build import review_in_effect
from stca.desk.services._errors import InvalidInput
from stca.desk.services._schemas import DESK_ZONE

AGGREGATE_DIMENSIONS: tuple[str, ...] = (
    "month", "year", "province", "encounter_type", "status", "stca_result", "deciding_provision",
)
"""What an analyst may group by: month/year of the encounter (desk-local time), the case's province,
encounter type, status, and the result in effect (the latest determination's, or the result of an
approved override of it) with its deciding provision (``OVERRIDE`` for an approved override)."""

#: ``deciding_provision`` of a case whose result in effect is a supervisor-approved override.
OVERRIDE_PROVISION = "OVERRIDE"

#: Counts below this (and above 0) are never published (see the module docstring for the whole rule).
SMALL_CELL_THRESHOLD = 5
#: ``shown`` of a cell hidden to protect a small one (its count is at least ``SMALL_CELL_THRESHOLD``).
COMPLEMENTARY = "x"


def _approved_overrides(db: Session, determination_ids: set[int]) -> dict[int, str]:
    """determination id → result of the review in effect, where that review is an approved override.

    Mirrors ``_build.effective_result``: the newest review of a determination that is not a rejected
    override decides; a confirmation keeps the engine's result, a pending override is not in effect.
    """
    if not determination_ids:
        return {}
    reviews = db.scalars(
        select(Review).where(Review.determination_id.in_(determination_ids), Review.approval != Approval.REJECTED)
        .order_by(Review.id)
    ).all()
    newest = {r.determination_id: r for r in reviews}
    return {det: r.result for det, r in newest.items()
            if r.approval == Approval.APPROVED and review_in_effect(r)}


def _frame(db: Session) -> pl.DataFrame:
    newest = select(func.max(Determination.id)).group_by(Determination.case_id)
    latest = (select(Determination.id, Determination.case_id, Determination.stca_result,
                     Determination.deciding_provision)
              .where(Determination.id.in_(newest)).subquery())
    rows = db.execute(
        select(Case.encountered_at, Case.province, Case.encounter_type, Case.status,
               latest.c.stca_result, latest.c.deciding_provision, latest.c.id)
        .outerjoin(latest, latest.c.case_id == Case.id)
    ).all()
    overridden = _approved_overrides(db, {r[6] for r in rows if r[6] is not None})
    local = [r[0].astimezone(DESK_ZONE).date() for r in rows]
    data = [
        (d, *r[1:4], *((overridden[r[6]], OVERRIDE_PROVISION) if r[6] in overridden else r[4:6]))
        for d, r in zip(local, rows, strict=True)
    ]
    return pl.DataFrame(
        data, orient="row",
        schema={"date": pl.Date, "province": pl.Utf8, "encounter_type": pl.Utf8, "status": pl.Utf8,
                "stca_result": pl.Utf8, "deciding_provision": pl.Utf8},
    ).with_columns(
        pl.col("date").dt.strftime("%Y-%m").alias("month"),
        pl.col("date").dt.year().alias("year"),
        pl.col("stca_result").fill_null("NOT_DETERMINED"),
        pl.col("deciding_provision").fill_null(""),
    )


def _suppress(table: pl.DataFrame, dims: list[str], threshold: int) -> pl.DataFrame:
    """Hide small counts and the complementary cells that would reveal them (module docstring, 1–2)."""
    counts: list[int] = table["count"].to_list()
    keys = table.select(dims).rows() if dims else [() for _ in counts]
    primary = [0 < c < threshold for c in counts]
    hidden = list(primary)
    changed = True
    while changed:
        changed = False
        for d in range(len(dims)):
            groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
            for i, key in enumerate(keys):
                groups[key[:d] + key[d + 1:]].append(i)
            for members in groups.values():
                if len(members) > 1 and sum(hidden[i] for i in members) == 1:
                    pick = min((i for i in members if not hidden[i]), key=lambda i: (counts[i], str(keys[i])))
                    hidden[pick] = changed = True
    shown = [f"<{threshold}" if p else COMPLEMENTARY if h else str(c)
             for c, p, h in zip(counts, primary, hidden, strict=True)]
    return table.with_columns(
        pl.Series("count", [None if h else c for c, h in zip(counts, hidden, strict=True)], dtype=pl.Int64),
        pl.Series("shown", shown, dtype=pl.Utf8),
    )


def _period_filter(dims: list[str], date_from: dt.date | None, date_to: dt.date | None) -> pl.Expr | None:
    """The rows of whole months (or years) from ``date_from`` to ``date_to`` (module docstring, 3)."""
    if date_from is None and date_to is None:
        return None
    if date_from and date_to and date_from > date_to:
        raise InvalidInput.one("date_from", "must not be after date_to")
    by_month = "month" in dims
    if not by_month and "year" not in dims:
        raise InvalidInput.one("by", "a date range needs 'month' or 'year' among the groupings")
    for name, day, first in (("date_from", date_from, True), ("date_to", date_to, False)):
        if day is None:
            continue
        edge = (1 if first else calendar.monthrange(day.year, day.month)[1]) if by_month else None
        if by_month and day.day != edge:
            raise InvalidInput.one(name, f"must be the {'first' if first else 'last'} day of a month "
                                         "(counts are released by whole months)")
        if not by_month and (day.month, day.day) != ((1, 1) if first else (12, 31)):
            raise InvalidInput.one(name, f"must be {'1 January' if first else '31 December'} "
                                         "(counts are released by whole years)")
    column, fmt = ("month", "%Y-%m") if by_month else ("year", "%Y")
    cast = pl.col(column).cast(pl.Utf8)
    condition = pl.lit(True)
    if date_from:
        condition = condition & (cast >= date_from.strftime(fmt))
    if date_to:
        condition = condition & (cast <= date_to.strftime(fmt))
    return condition


def aggregate_counts(
    db: Session, by: Sequence[str], *, date_from: dt.date | None = None, date_to: dt.date | None = None,
    threshold: int = SMALL_CELL_THRESHOLD,
) -> pl.DataFrame:
    """Number of cases per combination of ``by`` dimensions (sorted); no personal data; small cells
    suppressed (module docstring: ``count`` null, ``shown`` ``<5`` or ``x``).

    Example: ``aggregate_counts(db, ["month", "province"])`` gives columns month, province, count, shown.
    ``threshold`` is for tests of the counting itself (1 publishes every count); routes never pass it.
    """
    dims = list(dict.fromkeys(by))
    bad = [d for d in dims if d not in AGGREGATE_DIMENSIONS]
    if bad:
        raise InvalidInput.one("by", f"unknown dimension {bad[0]!r}; choose from {', '.join(AGGREGATE_DIMENSIONS)}")
    keep = _period_filter(dims, date_from, date_to)
    frame = _frame(db)
    if not dims:
        table = pl.DataFrame({"count": [frame.height]}, schema={"count": pl.Int64})
    else:
        table = frame.group_by(dims).agg(pl.len().cast(pl.Int64).alias("count")).sort(dims)
    table = _suppress(table, dims, threshold)
    return table if keep is None else table.filter(keep)


def export_aggregates(
    db: Session, by: Sequence[str], fmt: str, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> bytes:
    """:func:`aggregate_counts` as CSV (UTF-8, header row) or Parquet bytes."""
    if fmt not in ("csv", "parquet"):
        raise InvalidInput.one("format", "expected 'csv' or 'parquet'")
    table = aggregate_counts(db, by, date_from=date_from, date_to=date_to)
    buffer = io.BytesIO()
    if fmt == "csv":
        table.write_csv(buffer)
    else:
        table.write_parquet(buffer)
    return buffer.getvalue()


def status_counts(db: Session) -> dict[str, int]:
    """Open and closed cases per status (for dashboard tiles)."""
    rows = db.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    return {status: int(n) for status, n in rows}
