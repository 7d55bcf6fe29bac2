"""Facts as columns: the typed schema of a population, and the one normaliser every bulk door uses.

Why one normaliser: frames handed to ``evaluate_frame``, Parquet, CSV and JSON Lines files read by ``stca
bulk``, comparisons and synthetic cases all arrive with strings where enums are expected, text where
dates are, nulls where defaults apply. ``normalize`` turns any of them into the typed ``FACT_COLUMNS``
(derived from the fact table, ``_fact_table.py``) or raises ``FactsError`` naming the column, the row
(``case_index``, 0 = first row of the batch plus ``row0``) and the value, with the messages
``parse_facts`` gives for one case (``_messages.py``). It is vectorised: a million rows take a fraction
of a second, and only the error path looks at single rows.

Accepted forms, as for one case: enum names; ``true``/``false`` (text ``true``/``false``/``1``/``0`` in
CSV cells); dates ``YYYY-MM-DD``; instants ISO-8601 with or without seconds, with an offset or ``Z``, or
without one (America/Toronto civil time); country codes of ISO 3166-1 in any case (stored upper case);
lists and family members as JSON text in CSV cells; an empty cell or ``null`` for "not given".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pyarrow as pa

from stca.law._fact_table import FACT_TABLE, MEMBER_TABLE, FactSpec
from stca.law._facts import COHERENCE, DEFAULT_ZONE, FactsError, Problem, iso_countries
from stca.law._facts import today as current_day
from stca.law._messages import FACT_MESSAGES as M
from stca.law._rule import Text


def _law_dtype(spec: FactSpec) -> pl.DataType:
    """The column type of a fact in a typed population."""
    kind = spec.kind
    if kind == "enum":
        return pl.Enum(list(spec.values))
    if kind == "list_enum":
        return pl.List(pl.Enum(list(spec.values)))
    simple: dict[str, pl.DataType] = {"bool": pl.Boolean(), "int": pl.Int16(), "date": pl.Date(),
                                      "instant": pl.Datetime("us", "UTC"), "country": pl.String(),
                                      "list_country": pl.List(pl.String())}
    if kind == "members":
        return pl.List(MEMBER_STRUCT)
    return simple[kind]


#: The typed fields of one family member.
MEMBER_STRUCT = pl.Struct({s.name: _law_dtype(s) for s in MEMBER_TABLE})
#: The typed columns of a population of cases (one row per case), in the order of the fact table.
FACT_COLUMNS: dict[str, pl.DataType] = {s.name: _law_dtype(s) for s in FACT_TABLE}
#: Facts without a default.
REQUIRED: tuple[str, ...] = tuple(s.name for s in FACT_TABLE if s.required)

_BY_NAME = {s.name: s for s in FACT_TABLE}
_MEMBER_BY_NAME = {s.name: s for s in MEMBER_TABLE}
_TORONTO = str(DEFAULT_ZONE)
_ISO2 = r"^[A-Z]{2}$"


def _text_dtype(spec: FactSpec) -> pl.DataType:
    """The type of a fact as files hold it before typing (enums and countries as text)."""
    if spec.kind in ("enum", "country"):
        return pl.String()
    if spec.kind in ("list_enum", "list_country"):
        return pl.List(pl.String())
    if spec.kind == "members":
        return pl.List(pl.Struct({s.name: _text_dtype(s) for s in MEMBER_TABLE}))
    if spec.kind == "int":
        return pl.Int64()
    return _law_dtype(spec)


#: The columns as files hold them before typing (enums and countries as text, integers as int64).
TEXT_COLUMNS: dict[str, pl.DataType] = {s.name: _text_dtype(s) for s in FACT_TABLE}
#: The fields of one family member as files hold them.
TEXT_MEMBER_STRUCT = pl.Struct({s.name: _text_dtype(s) for s in MEMBER_TABLE})


def _both(text: Text, en: str = "", fr: str = "") -> tuple[str, str]:
    """A message in English and French, each with its own tail."""
    return text.en + en, text.fr + fr


class _Where:
    """Which rows a column's values belong to (``owner`` maps member rows to case rows), for messages."""

    def __init__(self, label: str, row0: int, owner: np.ndarray | None = None) -> None:
        self.label, self.row0, self.owner = label, row0, owner

    def fail(self, bad: pl.Series, message: Text | tuple[str, str], shown: pl.Series | None = None) -> None:
        """Raise for the first row flagged in ``bad`` (nulls are not flagged), in English and French."""
        bad = bad.fill_null(False)
        if not bad.any():
            return
        idx = int(bad.arg_true()[0])
        case = int(self.owner[idx]) if self.owner is not None else idx
        got = ""
        if shown is not None:
            value = shown[idx]
            got = f" {value.to_list() if isinstance(value, pl.Series) else value!r}"
        en, fr = (message.en, message.fr) if isinstance(message, Text) else message
        if got:
            en, fr = f"{en}, got{got}", f"{fr}, reçu{got}"
        raise FactsError([Problem(self.label, en, fr)], case_index=self.row0 + case)


def _parse_text(spec: FactSpec, s: pl.Series, where: _Where) -> pl.Series:
    """Text cells (CSV; dates and instants in JSON) → the fact's text type; '' means not given."""
    text = s.str.strip_chars()
    text = text.set(text == "", None) if (text == "").any() else text
    kind = spec.kind
    if kind == "bool":
        low = text.str.to_lowercase()
        out = pl.select(pl.when(low.is_in(["true", "1"])).then(True)
                        .when(low.is_in(["false", "0"])).then(False)).to_series()
    elif kind == "int":
        out = text.cast(pl.Int64, strict=False)
    elif kind == "date":
        out = text.str.to_date("%Y-%m-%d", strict=False)
    elif kind == "instant":
        out = _instants(text)
    elif kind in ("list_enum", "list_country", "members"):
        try:
            out = text.str.json_decode(_text_dtype(spec))
        except pl.exceptions.PolarsError:
            out = _decode_rows(text, spec, where)
        where.fail(text.is_not_null() & out.is_null(), M.json_array(), s)
        return out.alias(s.name)
    else:
        return text
    where.fail(text.is_not_null() & out.is_null(), M.expected(spec), s)
    return out.alias(s.name)


def _instants(text: pl.Series) -> pl.Series:
    """ISO-8601 instants as text → UTC, with or without seconds and offset (as ``datetime.fromisoformat``)."""
    iso = text.str.replace(r"Z$", "+00:00").str.replace(" ", "T")
    out = None
    for fmt in ("%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M%:z"):
        parsed = iso.str.to_datetime(fmt, strict=False, time_zone="UTC")
        out = parsed if out is None else out.fill_null(parsed)
    for fmt in ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"):
        local = (iso.str.to_datetime(fmt, strict=False)
                 .dt.replace_time_zone(_TORONTO, ambiguous="earliest", non_existent="null")
                 .dt.convert_time_zone("UTC"))
        assert out is not None
        out = out.fill_null(local)
    assert out is not None
    return out.dt.cast_time_unit("us")


def _decode_rows(text: pl.Series, spec: FactSpec, where: _Where) -> pl.Series:
    """Row-by-row JSON decoding, only to find and name the row that does not decode."""
    for i, cell in enumerate(text.to_list()):
        if cell is None:
            continue
        try:
            pl.Series([cell]).str.json_decode(_text_dtype(spec))
        except pl.exceptions.PolarsError:
            where.fail(pl.Series([j == i for j in range(len(text))]), M.json_array(), text)
    raise FactsError([Problem(where.label, *_both(M.json_array()))])


def _to_text_type(spec: FactSpec, s: pl.Series, where: _Where) -> pl.Series:
    """Any input column → the fact's text type (enums as text), naming the row of a bad value."""
    if s.dtype == pl.Null():
        return pl.Series(s.name, [None] * len(s), dtype=_text_dtype(spec))
    if s.dtype == _law_dtype(spec):
        return s  # already typed (e.g. the output of an earlier run); checked again by _typed
    if spec.kind == "members":
        return _parse_text(spec, s, where) if s.dtype == pl.String() else s
    if isinstance(s.dtype, (pl.Categorical, pl.Enum)):
        s = s.cast(pl.String)
    elif isinstance(s.dtype, pl.List) and isinstance(s.dtype.inner, (pl.Categorical, pl.Enum)):
        s = s.cast(pl.List(pl.String))
    if s.dtype == _text_dtype(spec):
        return s
    if s.dtype == pl.String():
        return _parse_text(spec, s, where)
    if spec.kind == "instant" and isinstance(s.dtype, pl.Datetime):
        local = s.dt.replace_time_zone(_TORONTO) if s.dtype.time_zone is None else s
        return local.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if spec.kind == "int" and s.dtype.is_integer():
        return s.cast(pl.Int64)
    wrong = FactsError([Problem(where.label, *_both(M.expected(spec), f", got a column of type {s.dtype}",
                                                    f", reçu une colonne de type {s.dtype}"))])
    if spec.kind in ("enum", "country", "bool", "int"):
        raise wrong
    try:  # e.g. lists whose every value is empty (List(Null)), dates as datetimes
        out = s.cast(_text_dtype(spec), strict=False)
    except pl.exceptions.PolarsError:
        raise wrong from None
    where.fail(s.is_not_null() & out.is_null(), M.expected(spec), s)
    return out


def _countries(s: pl.Series) -> pl.Series:
    """Upper-cased codes, checked against ISO 3166-1 (nulls stay null)."""
    upper = s if s.str.contains(_ISO2).fill_null(True).all() else s.str.to_uppercase()
    return upper.is_in(list(iso_countries())) | upper.is_null()


def _typed(spec: FactSpec, s: pl.Series, where: _Where) -> pl.Series:
    """Text type → the law's type, with the vocabulary and ranges checked and the default filled."""
    law = _law_dtype(spec)
    if spec.required:
        where.fail(s.is_null(), M.missing())
    kind = spec.kind
    if s.dtype == law and kind in ("enum", "list_enum", "bool", "date", "instant"):
        out = s  # the type itself guarantees the vocabulary
    elif kind == "enum":
        out = s.cast(law, strict=False)
        where.fail(s.is_not_null() & out.is_null(), M.expected(spec), s)
    elif kind == "list_enum":
        out = s.cast(law, strict=False)
        where.fail(out.list.eval(pl.element().is_null()).list.any(), M.expected(spec), s)
    elif kind == "country":
        out = s.str.to_uppercase()
        where.fail(~_countries(s), M.country(), s)
    elif kind == "list_country":
        out = s.list.eval(pl.element().str.to_uppercase())
        flat = out.explode(empty_as_null=False, keep_nulls=False)
        if not flat.is_in(list(iso_countries())).all():
            codes = list(iso_countries())
            bad = ~out.list.eval(pl.element().is_in(codes).fill_null(False)).list.all()
            where.fail(bad, M.country(), s)
    elif kind == "int":
        lo, hi = spec.minimum, spec.maximum
        if lo is not None and hi is not None:
            where.fail((s < lo) | (s > hi), M.range(spec), s)
        out = s.cast(law)
    else:
        out = s if s.dtype == law else s.cast(law)
    if spec.default is not None and out.null_count():
        if isinstance(spec.default, list):
            filler = pl.Series([spec.default], dtype=law)
            out = pl.select(pl.when(out.is_null()).then(pl.lit(filler).first()).otherwise(out)).to_series()
        else:
            out = out.fill_null(pl.lit(spec.default, dtype=law))
    return out.alias(spec.name)


def _members(s: pl.Series, row0: int) -> pl.Series:
    """``family_members``: lists of member objects; their missing fields take family_member_defaults."""
    label = s.name
    law = FACT_COLUMNS["family_members"]
    if s.dtype == law and s.null_count() == 0 and not _member_nulls(s):
        return s
    if s.dtype == pl.Null() or (isinstance(s.dtype, pl.List) and s.dtype.inner == pl.Null()):
        return pl.Series(label, [[]] * len(s), dtype=law)
    if not isinstance(s.dtype, pl.List) or not isinstance(s.dtype.inner, pl.Struct):
        raise FactsError([Problem(label, *_both(M.expected(_BY_NAME["family_members"]), f", got {s.dtype}",
                                                f", reçu {s.dtype}"))])
    for field in s.dtype.inner.fields:
        if field.name not in _MEMBER_BY_NAME:
            raise FactsError([Problem(f"{label}[].{field.name}",
                                      *_both(M.unknown(field.name, tuple(_MEMBER_BY_NAME))))])
    lengths = s.list.len().fill_null(0).cast(pl.Int64).to_numpy()
    flat = s.explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    owner = np.repeat(np.arange(len(s), dtype=np.int64), lengths)
    fields = []
    for spec in MEMBER_TABLE:
        where = _Where(f"{label}[].{spec.name}", row0, owner)
        raw = flat[spec.name] if spec.name in flat.columns else pl.Series(spec.name, [None] * flat.height)
        fields.append(_typed(spec, _to_text_type(spec, raw, where), where))
    values = pl.DataFrame(fields).to_arrow().to_struct_array().combine_chunks()
    offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]), pa.int64())
    rebuilt = pl.from_arrow(pa.LargeListArray.from_arrays(offsets, values))
    assert isinstance(rebuilt, pl.Series)
    return rebuilt.alias(label).cast(law)


def _member_nulls(s: pl.Series) -> bool:
    """Whether a typed members column has a field to default (or a null member)."""
    flat = s.explode(empty_as_null=False, keep_nulls=False)
    return bool(flat.null_count()) or any(f.null_count() for f in flat.struct.unnest().iter_columns())


def normalize(frame: pl.DataFrame, *, row0: int = 0, check: bool = True) -> pl.DataFrame:
    """Return the fact columns of ``frame`` typed as ``FACT_COLUMNS``, defaults filled, or raise ``FactsError``.

    Columns that are not facts are an error (as unknown keys are for one case); a caller that carries other
    columns through (ids, names) drops them first and joins them back — ``evaluate_frame`` and ``stca
    bulk`` do that.

    Args:
        frame: rows as given by a caller or read from a file, in any accepted form.
        row0: rows before this batch in its file, so that ``FactsError.case_index`` is the row in the file.
        check: run the cross-field checks (``coherence_checks``); ``False`` for a caller that runs them itself.
    """
    unknown = [c for c in frame.columns if c not in FACT_COLUMNS]
    if unknown:
        raise FactsError([Problem(unknown[0], *_both(M.unknown(unknown[0], tuple(FACT_COLUMNS))))])
    for name in REQUIRED:
        if name not in frame.columns:
            raise FactsError([Problem(name, *_both(M.missing_column()))])
    n = frame.height
    cols: list[pl.Series] = []
    for spec in FACT_TABLE:
        raw = frame.get_column(spec.name) if spec.name in frame.columns else pl.Series(
            spec.name, [None] * n, dtype=_text_dtype(spec))
        where = _Where(spec.name, row0)
        text = _to_text_type(spec, raw, where)
        cols.append(_members(text, row0) if spec.kind == "members" else _typed(spec, text, where))
    out = pl.DataFrame(cols)
    if check:
        _check_rows(out, row0)
    return out


def coherence_checks() -> list[tuple[str, pl.Expr, tuple[str, str]]]:
    """The cross-field checks of ``Facts`` (``_facts.py``) as polars expressions over typed fact columns:
    (field, expression true on a bad row, message in English and French, ``COHERENCE``)."""
    return [
        ("claim_local_date", pl.col("claim_local_date") < pl.col("entry_local_date"),
         COHERENCE["claim_before_entry"]),
        ("determination_date", pl.col("determination_date") < pl.col("claim_local_date"),
         COHERENCE["decision_before_claim"]),
        ("stateless", pl.col("stateless") & (pl.col("nationalities").list.len() > 0),
         COHERENCE["stateless_with_nationality"]),
        ("first_entry_after_2020_06_24", pl.col("first_entry_after_2020_06_24") <= dt.date(2020, 6, 24),
         COHERENCE["first_entry_too_early"]),
        ("first_entry_after_2020_06_24", pl.col("first_entry_after_2020_06_24") > pl.col("claim_local_date"),
         COHERENCE["first_entry_after_claim"]),
        ("first_entry_after_2020_06_24", (pl.col("entry_local_date") > dt.date(2020, 6, 24))
         & (pl.col("first_entry_after_2020_06_24") > pl.col("entry_local_date")),
         COHERENCE["first_entry_after_entry"]),
        ("entry_instant", (pl.col("entry_instant").dt.date().cast(pl.Int32)
                           - pl.col("entry_local_date").cast(pl.Int32)).abs() > 1,
         COHERENCE["instant_far_from_date"]),
    ]


def _check_rows(df: pl.DataFrame, row0: int) -> None:
    """The coherence checks of ``Facts``, vectorised; the first bad row is named."""
    checks = coherence_checks()
    bad = df.select([expr.fill_null(False).alias(f"c{i}") for i, (_, expr, _) in enumerate(checks)])
    for i, (field, _, message) in enumerate(checks):
        _Where(field, row0).fail(bad.get_column(f"c{i}"), message)


def law_known_on(frame: pl.DataFrame, today: dt.date | None = None) -> pl.Series:
    """Per row, today's date when the case is decided after today (``determination_date``, or else
    ``claim_local_date``, is in the future), else null — as ``Determination.law_known_on``.

    Reads only the two dates, in any accepted form, so that it costs little beside an evaluation.
    """
    day = today or current_day()
    dates = []
    for name in ("determination_date", "claim_local_date"):
        if name in frame.columns:
            spec = _BY_NAME[name]
            where = _Where(name, 0)
            dates.append(_to_text_type(spec, frame.get_column(name), where).cast(pl.Date))
    decided = dates[0].fill_null(dates[1]) if len(dates) == 2 else dates[-1]
    return pl.select(pl.when(decided > day).then(pl.lit(day)).otherwise(None).alias("law_known_on")).to_series()
