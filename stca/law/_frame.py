"""The bulk input schema (law.md §4 as columns) and its validation.

Why a separate module: bulk input arrives as Parquet, CSV, JSON Lines or Arrow with strings where
enums are expected and nulls where defaults apply. ``normalize`` turns any of those into one typed
frame (``FACT_COLUMNS``) or raises ``FactsError`` naming the column, the row and what was expected —
the same promise ``parse_facts`` makes for one case.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from stca.law._enums import (
    CaStatus,
    ClaimState,
    DeathPenalty,
    Direction,
    Document,
    EntryPlace,
    Inadmissibility,
    Location,
    Marital,
    PriorCanadianClaim,
    Relationship,
    UsAsylumForum,
    UsForum,
    UsStatus,
    members,
)
from stca.law._facts import Facts, FactsError, FamilyMember, Problem


def _enum(e: type[StrEnum]) -> pl.Enum:
    return pl.Enum(members(e))


MEMBER_STRUCT = pl.Struct({
    "relationship": _enum(Relationship),
    "location": _enum(Location),
    "age_years": pl.Int16,
    "ca_status": _enum(CaStatus),
    "claim_state": _enum(ClaimState),
    "permit_valid": pl.Boolean,
    "work_permit_r206_1_b": pl.Boolean,
    "us_status": _enum(UsStatus),
    "us_asylum_forum": _enum(UsAsylumForum),
})

#: The typed columns of a population of cases (one row per case).
FACT_COLUMNS: dict[str, pl.DataType] = {
    "direction": _enum(Direction),
    "came_from_other_party": pl.Boolean(),
    "entry_place": _enum(EntryPlace),
    "claim_at_entry": pl.Boolean(),
    "entered_at_poe_without_claim": pl.Boolean(),
    "entry_instant": pl.Datetime("us", "UTC"),
    "entry_local_date": pl.Date(),
    "claim_local_date": pl.Date(),
    "determination_date": pl.Date(),
    "in_transit_removal_from_us": pl.Boolean(),
    "in_transit_removal_from_canada": pl.Boolean(),
    "nationalities": pl.List(pl.String),
    "stateless": pl.Boolean(),
    "former_habitual_residence": pl.String(),
    "habitual_residence": pl.String(),
    "age_years": pl.Int16(),
    "marital": _enum(Marital),
    "accompanied_by_parent_or_legal_guardian": pl.Boolean(),
    "parent_or_legal_guardian_in_canada": pl.Boolean(),
    "parent_or_legal_guardian_in_us": pl.Boolean(),
    "family_members": pl.List(MEMBER_STRUCT),
    "documents_held": pl.List(_enum(Document)),
    "visa_required_canada": pl.Boolean(),
    "visa_required_us": pl.Boolean(),
    "refused_entry_us_no_claim_adjudicated": pl.Boolean(),
    "ca_pr_removed_from_us_being_returned": pl.Boolean(),
    "death_penalty": _enum(DeathPenalty),
    "death_penalty_offence_punishable_by_death": pl.Boolean(),
    "tsr_country_national": pl.Boolean(),
    "excluded_from_tsr_230_3": pl.Boolean(),
    "inadmissibility_determined": pl.List(_enum(Inadmissibility)),
    "prior_claim_other_country_confirmed": pl.Boolean(),
    "recognized_refugee_elsewhere_returnable": pl.Boolean(),
    "prior_canadian_claim": _enum(PriorCanadianClaim),
    "first_entry_after_2020_06_24": pl.Date(),
    "us_public_interest_determination": pl.Boolean(),
    "us_forum": _enum(UsForum),
    "agreement_suspended": pl.Boolean(),
    "policy_accept_permits_as_documents": pl.Boolean(),
    "refugee_protection_conferred_in_canada": pl.Boolean(),
}

REQUIRED = ("entry_local_date", "claim_local_date")
_DEFAULTS: dict[str, Any] = {k: v.default for k, v in Facts.model_fields.items() if k in FACT_COLUMNS}
_MEMBER_DEFAULTS: dict[str, Any] = {k: v.default for k, v in FamilyMember.model_fields.items()}


def _default_value(v: Any) -> Any:
    if isinstance(v, StrEnum):
        return v.value
    if isinstance(v, tuple):
        return list(v)
    return v


def _fail(column: str, message: str, row: int | None = None) -> FactsError:
    return FactsError([Problem(column, message)], case_index=row)


def _first_bad_row(mask: pl.Series) -> int:
    return int(mask.arg_true()[0])


def _cast_column(df: pl.DataFrame, name: str, target: pl.DataType) -> pl.Series:
    s = df.get_column(name)
    if s.dtype == target:
        return s
    if isinstance(target, pl.Enum):
        values = s.cast(pl.String, strict=False)
        bad = values.is_not_null() & ~values.is_in(list(target.categories))
        if bad.any():
            row = _first_bad_row(bad)
            raise _fail(name, f"expected one of {', '.join(target.categories)}, got {values[row]!r}", row)
        return values.cast(target)
    if target == pl.Date() and s.dtype == pl.String:
        parsed = s.str.to_date("%Y-%m-%d", strict=False)
        bad = s.is_not_null() & parsed.is_null()
        if bad.any():
            row = _first_bad_row(bad)
            raise _fail(name, f"expected a real calendar date as YYYY-MM-DD, got {s[row]!r}", row)
        return parsed
    if isinstance(target, pl.Datetime):
        return _instant(s, name)
    if isinstance(target, pl.List):
        return _list(s, name, target)
    try:
        return s.cast(target, strict=True)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        raise _fail(name, f"expected {target}, got column of type {s.dtype}") from None


def _instant(s: pl.Series, name: str) -> pl.Series:
    if isinstance(s.dtype, pl.Datetime):
        if s.dtype.time_zone is None:
            s = s.dt.replace_time_zone("America/Toronto")
        return s.dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC"))
    if s.dtype == pl.String:
        values = s.to_list()
        out: list[dt.datetime | None] = []
        for i, v in enumerate(values):
            if v is None:
                out.append(None)
                continue
            try:
                parsed = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
            except ValueError:
                raise _fail(name, f"expected an ISO-8601 instant, got {v!r}", i) from None
            if parsed.tzinfo is None:
                from zoneinfo import ZoneInfo

                parsed = parsed.replace(tzinfo=ZoneInfo("America/Toronto"))
            out.append(parsed.astimezone(dt.UTC))
        return pl.Series(name, out, dtype=pl.Datetime("us", "UTC"))
    raise _fail(name, f"expected ISO-8601 instants, got column of type {s.dtype}")


def _list(s: pl.Series, name: str, target: pl.List) -> pl.Series:
    inner = target.inner
    if s.dtype == pl.Null:
        return pl.Series(name, [None] * len(s), dtype=target)
    if not isinstance(s.dtype, pl.List):
        raise _fail(name, f"expected a list column, got {s.dtype}")
    if isinstance(inner, pl.Struct):
        return _members(s, name)
    flat = s.explode()
    cast = _cast_column(pl.DataFrame({name: flat}), name, inner)  # type: ignore[arg-type]
    if isinstance(inner, pl.String):
        bad = cast.is_not_null() & ~cast.str.contains(r"^[A-Z]{2}$")
        if bad.any():
            raise _fail(name, f"expected ISO 3166-1 alpha-2 codes, got {cast.filter(bad)[0]!r}")
    return s.cast(pl.List(cast.dtype))


def _members(s: pl.Series, name: str) -> pl.Series:
    """Cast a list-of-struct column member by member, keeping each case's list (nulls become [])."""
    arr = s.to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat_arr = arr.flatten()
    if len(flat_arr) == 0:  # every list empty (its element type may even be unknown): typed empty lists
        return pl.Series(name, [[]] * len(s), dtype=pl.List(MEMBER_STRUCT))
    flat = pl.from_arrow(flat_arr)
    if not isinstance(flat, pl.Series) or not isinstance(flat.dtype, pl.Struct):
        raise _fail(name, "expected a list of family-member objects")
    fields = flat.struct.unnest() if len(flat) else pl.DataFrame(schema=flat.dtype.to_schema())
    schema = MEMBER_STRUCT.to_schema()
    for field in fields.columns:
        if field not in schema:
            raise _fail(f"{name}[].{field}", "unknown family-member field")
    cols = []
    for field, dtype in schema.items():
        if field in fields.columns:
            col = _cast_column(fields, field, dtype)  # type: ignore[arg-type]
        else:
            col = pl.Series(field, [None] * fields.height, dtype=dtype)
        default = _MEMBER_DEFAULTS[field]
        if default is not None and col.null_count():
            col = col.fill_null(pl.lit(_default_value(default), dtype=dtype))
        cols.append(col.alias(field))
    if cols[0].null_count():
        raise _fail(f"{name}[].relationship", "required field is missing")
    rebuilt = pl.DataFrame(cols).select(pl.struct(pl.all()).alias(name)).to_series().to_arrow()
    if isinstance(rebuilt, pa.ChunkedArray):
        rebuilt = rebuilt.combine_chunks()
    return pl.Series(name, pa.LargeListArray.from_arrays(pa.array(offsets), rebuilt))


def normalize(frame: pl.DataFrame, *, check: bool = True) -> pl.DataFrame:
    """Return ``frame`` as typed ``FACT_COLUMNS`` with defaults filled, or raise ``FactsError``.

    Unknown columns are an error (as unknown keys are for one case); columns a caller wants to carry
    through (ids, names) should be kept aside and joined back — ``stca bulk`` does that. ``check=False``
    skips the cross-field checks (``coherence_checks``), for a caller that runs them itself.
    """
    unknown = [c for c in frame.columns if c not in FACT_COLUMNS]
    if unknown:
        raise _fail(unknown[0], "unknown column; the columns are the facts of law.md §4")
    for name in REQUIRED:
        if name not in frame.columns:
            raise _fail(name, "required column is missing")
    n = frame.height
    cols: list[pl.Series] = []
    for name, dtype in FACT_COLUMNS.items():
        if name in frame.columns:
            s = _cast_column(frame, name, dtype).alias(name)
        else:
            s = pl.Series(name, [None] * n, dtype=dtype)
        if name in _DEFAULTS and _DEFAULTS[name] is not None and s.null_count():
            default = _default_value(_DEFAULTS[name])
            if isinstance(default, list):
                filler = pl.Series(name, [default], dtype=dtype)
                s = pl.select(pl.when(s.is_null()).then(pl.lit(filler).first()).otherwise(s).alias(name)).to_series()
            else:
                s = s.fill_null(pl.lit(default, dtype=dtype))
        cols.append(s)
    out = pl.DataFrame(cols)
    if check:
        _check_rows(out)
    return out


def coherence_checks() -> list[tuple[str, pl.Expr, str]]:
    """The cross-field checks of ``Facts`` (``_facts.py``) as polars expressions over typed fact columns:
    (field, expression true on a bad row, message). ``stca.bulk`` runs the same list to name file rows."""
    return [
        ("claim_local_date", pl.col("claim_local_date") < pl.col("entry_local_date"),
         "the claim cannot be made before entry_local_date"),
        ("determination_date", pl.col("determination_date") < pl.col("claim_local_date"),
         "the determination cannot precede claim_local_date"),
        ("age_years", (pl.col("age_years") < 0) | (pl.col("age_years") > 130), "expected an age from 0 to 130"),
        ("stateless", pl.col("stateless") & (pl.col("nationalities").list.len() > 0),
         "a stateless claimant must have an empty nationalities list"),
        ("first_entry_after_2020_06_24", pl.col("first_entry_after_2020_06_24") <= dt.date(2020, 6, 24),
         "must be a date after 2020-06-24"),
        ("first_entry_after_2020_06_24", pl.col("first_entry_after_2020_06_24") > pl.col("claim_local_date"),
         "cannot be after claim_local_date"),
        ("first_entry_after_2020_06_24", (pl.col("entry_local_date") > dt.date(2020, 6, 24))
         & (pl.col("first_entry_after_2020_06_24") > pl.col("entry_local_date")),
         "cannot be after entry_local_date, itself an entry after 2020-06-24"),
        ("entry_instant", (pl.col("entry_instant").dt.date().cast(pl.Int32)
                           - pl.col("entry_local_date").cast(pl.Int32)).abs() > 1,
         "more than a day from entry_local_date"),
    ]


def _check_rows(df: pl.DataFrame) -> None:
    """The coherence checks of ``Facts`` (``_facts.py``), vectorised."""
    for name in REQUIRED:
        nulls = df.get_column(name).is_null()
        if nulls.any():
            raise _fail(name, "required value is missing", _first_bad_row(nulls))
    checks = coherence_checks()
    bad = df.select([expr.fill_null(False).alias(f"c{i}") for i, (_, expr, _) in enumerate(checks)])
    for i, (field, _, message) in enumerate(checks):
        col = bad.get_column(f"c{i}")
        if col.any():
            raise _fail(field, message, _first_bad_row(col))
    ages = df.get_column("family_members").explode().struct.field("age_years")
    if ((ages < 0) | (ages > 130)).fill_null(False).any():
        raise _fail("family_members[].age_years", "expected an age from 0 to 130")
