"""Aggregates for analysts: counts and trends with no names, references or ids.

Why a whitelist of dimensions: an analyst chooses how to group, never which columns to read, so no
query can reach ``claimant_name`` or ``people.name``. The export is the same table as CSV or Parquet.

Why the result *in effect*: a case's final outcome is the engine's determination unless a supervisor
approved an eligibility officer's override of it (four-eyes rule, ``_review``); counting the engine's
result would report cases the desk decided otherwise. A pending or rejected override changes nothing.
An approved override has no provision of its own, so its ``deciding_provision`` is ``OVERRIDE``.
"""

from __future__ import annotations

import datetime as dt
import io
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


def _frame(db: Session, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
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
    keep = [(date_from is None or d >= date_from) and (date_to is None or d <= date_to) for d in local]
    data = [
        (d, *r[1:4], *((overridden[r[6]], OVERRIDE_PROVISION) if r[6] in overridden else r[4:6]))
        for d, r, k in zip(local, rows, keep, strict=True) if k
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


def aggregate_counts(
    db: Session, by: Sequence[str], *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> pl.DataFrame:
    """Number of cases per combination of ``by`` dimensions (sorted); no personal data.

    Example: ``aggregate_counts(db, ["month", "province"])`` gives columns month, province, count.
    """
    dims = list(dict.fromkeys(by))
    bad = [d for d in dims if d not in AGGREGATE_DIMENSIONS]
    if bad:
        raise InvalidInput.one("by", f"unknown dimension {bad[0]!r}; choose from {', '.join(AGGREGATE_DIMENSIONS)}")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput.one("date_from", "must not be after date_to")
    frame = _frame(db, date_from, date_to)
    if not dims:
        return pl.DataFrame({"count": [frame.height]}, schema={"count": pl.UInt32})
    return frame.group_by(dims).agg(pl.len().alias("count")).sort(dims)


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
