"""Bring a batch of raw case rows to the law's typed fact columns, with defaults, or say what is wrong.

Input may come from Parquet (native types), JSON Lines (JSON types, dates as text) or CSV (every cell
text; lists and family members as JSON text in the cell). Each fact column is parsed, checked and cast
to the type ``stca.law.evaluate_frame`` takes (``_schema.LAW_SCHEMA``); a missing column or an empty /
null cell takes the default of cases.yaml ``defaults`` (``family_member_defaults`` inside
``family_members``), as for ``stca check`` (contract.md §2).

Why here and vectorised: a million rows must take a fraction of a second, and an error must name the
row *in the file* (the law's own ``normalize`` only knows the batch). The checks are the same kinds
``parse_facts`` makes (types, closed vocabularies, impossible dates); the test suite proves that bulk and
single-case results agree row by row.
"""

from __future__ import annotations

import difflib

import numpy as np
import polars as pl
import pyarrow as pa

from stca.bulk._schema import BY_NAME, FACT_COLUMNS, MEMBER_BY_NAME, MEMBER_COLUMNS, RESULT_COLUMNS, Column
from stca.law.frame import coherence_checks

_TORONTO = "America/Toronto"  # an instant without offset is Toronto civil time (stca.law.Facts)
_ISO2 = r"^[A-Z]{2}$"
_TEXT_KINDS = ("enum", "country")
_LIST_KINDS = ("list_enum", "list_country", "members")


class BulkInputError(ValueError):
    """Input that cannot be evaluated; the message names the column, the row (1 = first case) and the value."""


def _raise_first(bad: pl.Series, rows: pl.Series | None, row0: int, label: str, what: str,
                 shown: pl.Series | None = None) -> None:
    """Raise for the first row flagged in ``bad``; ``rows`` maps positions to case rows (members)."""
    bad = bad.fill_null(False)
    if not bad.any():
        return
    idx = int(bad.arg_true()[0])
    case = int(rows[idx]) if rows is not None else idx
    got = ""
    if shown is not None:
        value = shown[idx]
        got = f", got {value.to_list() if isinstance(value, pl.Series) else value!r}"
    count = int(bad.sum())
    more = f" ({count - 1} more like it)" if count > 1 else ""
    raise BulkInputError(f"row {row0 + case + 1}, column {label}: {what}{got}{more}")


def _check_unknown(columns: list[str]) -> None:
    """Extra columns pass through to the output; ones that look like a misspelt fact are an error."""
    known = [c.name for c in FACT_COLUMNS]
    for name in columns:
        if name in BY_NAME or name in RESULT_COLUMNS:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        if close:
            raise BulkInputError(f"column {name}: unknown fact column (did you mean {close[0]!r}?)")


def _parse_text(col: Column, s: pl.Series, rows: pl.Series | None, row0: int, label: str) -> pl.Series:
    """Parse text cells (CSV; dates and instants in JSON) to the column's file type; '' means missing."""
    text = s.str.strip_chars()
    text = text.set(text == "", None) if (text == "").any() else text  # type: ignore[arg-type]
    kind = col.kind
    if kind == "bool":
        low = text.str.to_lowercase()
        out = (pl.select(pl.when(low.is_in(["true", "1"])).then(True)
                         .when(low.is_in(["false", "0"])).then(False)).to_series())
        what = "expected true or false"
    elif kind == "int":
        out = text.cast(pl.Int64, strict=False)
        what = "expected a whole number"
    elif kind == "date":
        out = text.str.to_date("%Y-%m-%d", strict=False)
        what = "expected a real calendar date as YYYY-MM-DD"
    elif kind == "instant":
        iso = text.str.replace(r"Z$", "+00:00").str.replace(" ", "T")
        with_offset = iso.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_zone="UTC")
        local = (iso.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False)
                 .dt.replace_time_zone(_TORONTO, ambiguous="earliest", non_existent="null")
                 .dt.convert_time_zone("UTC"))
        out = with_offset.fill_null(local)
        what = "expected an ISO-8601 instant such as 2023-03-25T00:30:00-04:00"
    elif kind in _LIST_KINDS:
        try:
            out = text.str.json_decode(col.dtype)
        except pl.exceptions.PolarsError:
            out = _decode_rows(text, col.dtype, rows, row0, label)
        what = 'expected a JSON array such as ["CO"] or [{"relationship": "MOTHER"}]'
    else:
        return text
    _raise_first(text.is_not_null() & out.is_null(), rows, row0, label, what, s)
    return out.alias(s.name)


def _decode_rows(text: pl.Series, target: pl.DataType, rows: pl.Series | None, row0: int, label: str) -> pl.Series:
    """Row-by-row JSON decoding, only to find and name the row that does not decode."""
    for i, cell in enumerate(text.to_list()):
        if cell is None:
            continue
        try:
            pl.Series([cell]).str.json_decode(target)
        except pl.exceptions.PolarsError:
            case = int(rows[i]) if rows is not None else i
            raise BulkInputError(
                f"row {row0 + case + 1}, column {label}: expected a JSON array such as "
                f'["CO"] or [{{"relationship": "MOTHER", "location": "CANADA"}}], got {cell!r}'
            ) from None
    raise BulkInputError(f"column {label}: cannot decode the JSON text")


def _to_file_type(col: Column, s: pl.Series, rows: pl.Series | None, row0: int, label: str) -> pl.Series:
    """Any input column → the column's file type (enums as text), naming the row of a bad value."""
    if s.dtype == pl.Null():
        return pl.Series(s.name, [None] * len(s), dtype=col.dtype)
    if s.dtype == col.law_dtype:
        return s  # already the law's type (e.g. the output of an earlier bulk run)
    if col.kind == "members":
        if s.dtype == pl.String():
            s = _parse_text(col, s, rows, row0, label)
        return s
    if isinstance(s.dtype, (pl.Categorical, pl.Enum)):
        s = s.cast(pl.String)
    elif isinstance(s.dtype, pl.List) and isinstance(s.dtype.inner, (pl.Categorical, pl.Enum)):
        s = s.cast(pl.List(pl.String))
    if s.dtype == col.dtype:
        return s
    if s.dtype == pl.String():
        return _parse_text(col, s, rows, row0, label)
    if col.kind == "instant" and isinstance(s.dtype, pl.Datetime):
        local = s.dt.replace_time_zone(_TORONTO) if s.dtype.time_zone is None else s
        return local.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if col.kind in _TEXT_KINDS or col.kind == "bool" or (col.kind == "int" and not s.dtype.is_integer()):
        raise BulkInputError(f"column {label}: expected {col.kind} values, got a column of type {s.dtype}")
    try:
        out = s.cast(col.dtype, strict=False)
    except pl.exceptions.PolarsError:
        raise BulkInputError(f"column {label}: expected {col.dtype}, got a column of type {s.dtype}") from None
    _raise_first(s.is_not_null() & out.is_null(), rows, row0, label, f"expected {col.dtype}", s)
    return out


def _typed(col: Column, s: pl.Series, rows: pl.Series | None, row0: int, label: str) -> pl.Series:
    """File type → the law's type, with the default filled and the vocabulary checked."""
    law = col.law_dtype
    assert law is not None
    if col.required:
        _raise_first(s.is_null(), rows, row0, label, "required value is missing")
    if s.dtype == law and col.kind in ("enum", "list_enum", "bool", "date", "instant"):
        out = s  # the type itself guarantees the vocabulary
    elif col.kind == "enum":
        out = s.cast(law, strict=False)
        _raise_first(s.is_not_null() & out.is_null(), rows, row0, label,
                     f"expected one of {', '.join(col.allowed)}", s)
    elif col.kind == "list_enum":
        out = s.cast(law, strict=False)
        bad = out.list.eval(pl.element().is_null()).list.any()
        _raise_first(bad, rows, row0, label, f"expected a list of {', '.join(col.allowed)}", s)
    elif col.kind == "country":
        out = s if s.str.contains(_ISO2).fill_null(True).all() else s.str.to_uppercase()
        _raise_first(out.is_not_null() & ~out.str.contains(_ISO2), rows, row0, label,
                     "expected an ISO 3166-1 alpha-2 country code such as 'US' or 'CO'", s)
    elif col.kind == "list_country":
        flat = s.explode(empty_as_null=False, keep_nulls=False)
        out = s
        if not flat.str.contains(_ISO2).fill_null(False).all():  # only then pay for the per-row check
            out = s.list.eval(pl.element().str.to_uppercase())
            bad = ~out.list.eval(pl.element().str.contains(_ISO2).fill_null(False)).list.all()
            _raise_first(bad, rows, row0, label, "expected a list of ISO 3166-1 alpha-2 country codes", s)
    elif col.kind == "int":
        _raise_first((s < 0) | (s > 130), rows, row0, label, "expected an age from 0 to 130", s)
        out = s.cast(law)
    else:
        out = s if s.dtype == law else s.cast(law)
    if col.default is not None and out.null_count():
        out = out.fill_null(pl.lit(col.default, dtype=law))
    return out.alias(col.name)


def _members(s: pl.Series, row0: int, label: str) -> pl.Series:
    """``family_members``: list of member objects; their missing fields take family_member_defaults."""
    law = BY_NAME["family_members"].law_dtype
    assert law is not None
    if s.dtype == law and s.null_count() == 0 and not _member_nulls(s):
        return s
    if s.dtype == pl.Null() or (isinstance(s.dtype, pl.List) and s.dtype.inner == pl.Null()):
        return pl.Series(label, [[]] * len(s), dtype=law)
    if not isinstance(s.dtype, pl.List) or not isinstance(s.dtype.inner, pl.Struct):
        raise BulkInputError(f"column {label}: expected a list of family-member objects, got {s.dtype}")
    for field in s.dtype.inner.fields:
        if field.name not in MEMBER_BY_NAME:
            close = difflib.get_close_matches(field.name, list(MEMBER_BY_NAME), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise BulkInputError(f"column {label}: unknown family-member field {field.name!r}{hint}")
    lengths = s.list.len().fill_null(0).cast(pl.Int64).to_numpy()
    flat = s.explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    owner = pl.Series("_owner", np.repeat(np.arange(len(s), dtype=np.int64), lengths))
    fields = []
    for mcol in MEMBER_COLUMNS:
        mlabel = f"{label}[].{mcol.name}"
        raw = flat[mcol.name] if mcol.name in flat.columns else pl.Series(mcol.name, [None] * flat.height)
        fields.append(_typed(mcol, _to_file_type(mcol, raw, owner, row0, mlabel), owner, row0, mlabel))
    values = pl.DataFrame(fields).to_arrow().to_struct_array().combine_chunks()
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]), pa.int64())
    rebuilt = pl.from_arrow(pa.LargeListArray.from_arrays(offsets, values))
    assert isinstance(rebuilt, pl.Series)
    return rebuilt.alias(label).cast(law)


def _member_nulls(s: pl.Series) -> bool:
    """Whether an already-typed members column has a missing field to default (or a null member)."""
    flat = s.explode(empty_as_null=False, keep_nulls=False)
    return bool(flat.null_count()) or any(f.null_count() for f in flat.struct.unnest().iter_columns())


def _coherence(frame: pl.DataFrame, row0: int) -> None:
    """Impossible combinations, as ``parse_facts`` rejects them (contract.md §2): the law's own checks."""

    checks = coherence_checks()
    bad = frame.select([expr.fill_null(False).alias(f"c{i}") for i, (_, expr, _) in enumerate(checks)])
    for i, (column, _, what) in enumerate(checks):
        _raise_first(bad.get_column(f"c{i}"), None, row0, column, what)


def normalise(batch: pl.DataFrame, row0: int = 0) -> pl.DataFrame:
    """Extra (pass-through) columns first, then the typed fact columns in the law's order.

    Args:
        batch: raw rows as read from a file or given by a caller.
        row0: number of rows before this batch in the file, so errors name the row in the file.

    Raises:
        BulkInputError: naming the column, the row and the offending value.
    """
    _check_unknown(batch.columns)
    typed: list[pl.Series] = []
    for col in FACT_COLUMNS:
        if col.name not in batch.columns:
            if col.required:
                raise BulkInputError(f"column {col.name}: required column is missing")
            raw = pl.Series(col.name, [None] * batch.height, dtype=col.dtype)
        else:
            raw = batch[col.name]
        if col.kind == "members":
            typed.append(_members(_to_file_type(col, raw, None, row0, col.name), row0, col.name))
        else:
            typed.append(_typed(col, _to_file_type(col, raw, None, row0, col.name), None, row0, col.name))
    facts = pl.DataFrame(typed)
    _coherence(facts, row0)
    extras = [c for c in batch.columns if c not in BY_NAME and c not in RESULT_COLUMNS]
    return pl.concat([batch.select(extras), facts], how="horizontal") if extras else facts
