"""Bring a batch of raw case rows to the law's typed fact columns, with defaults, or say what is wrong.

The parsing, checking and typing are the law's own (``stca.law.frame.normalize``, the one normaliser of
every door); this module adds what files need: columns that are not facts pass through (ids, provinces),
a column that looks like a misspelt fact is an error, result columns of an earlier run are dropped, and an
error names the row *in the file* (``row0`` rows before this batch) as ``row N, column X: message``.
"""

from __future__ import annotations

import difflib

import polars as pl

from stca.bulk._schema import RESULT_COLUMNS
from stca.law import FactsError
from stca.law.frame import FACT_COLUMNS, normalize


class BulkInputError(ValueError):
    """Input that cannot be evaluated; the message names the column, the row (1 = first case) and the value."""


def _check_unknown(columns: list[str]) -> None:
    """Extra columns pass through to the output; ones that look like a misspelt fact are an error."""
    known = list(FACT_COLUMNS)
    for name in columns:
        if name in FACT_COLUMNS or name in RESULT_COLUMNS:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        if close:
            raise BulkInputError(f"column {name}: unknown fact column (did you mean {close[0]!r}?)")


def as_bulk_error(exc: FactsError) -> BulkInputError:
    """The law's ``FactsError`` in the words of a file: ``row N, column X: message``."""
    problem = exc.problems[0]
    row = f"row {exc.case_index + 1}, " if exc.case_index is not None else ""
    return BulkInputError(f"{row}column {problem.field}: {problem.message}")


def normalise(batch: pl.DataFrame, row0: int = 0) -> pl.DataFrame:
    """Extra (pass-through) columns first, then the typed fact columns in the law's order.

    Args:
        batch: raw rows as read from a file or given by a caller.
        row0: number of rows before this batch in the file, so errors name the row in the file.

    Raises:
        BulkInputError: naming the column, the row and the offending value.
    """
    _check_unknown(batch.columns)
    try:
        facts = normalize(batch.select([c for c in batch.columns if c in FACT_COLUMNS]), row0=row0)
    except FactsError as exc:
        raise as_bulk_error(exc) from None
    extras = [c for c in batch.columns if c not in FACT_COLUMNS and c not in RESULT_COLUMNS]
    return pl.concat([batch.select(extras), facts], how="horizontal") if extras else facts
