"""Evaluate many cases at once: in memory (polars / Arrow) or file to file, streaming.

The rules are the law engine's (``stca.law.evaluate_frame``); this module only brings rows to the typed
fact columns, hands them over, and puts the results beside the input. Policy names are those of
``stca.law`` (contract.md §4) with one addition for comparisons, ``NAME@YYYY-MM-DD``: every case is
determined on that date (``determination_date`` set to it, or to the claim date for claims made later,
since no decision precedes its claim) — the way to ask "what would these same claims get under the law
as it stands on that date?", e.g. ``law@2026-03-26`` for IRPA 101(1)(b.1)/(b.2) (S.C. 2026, c. 4).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa

from stca.bulk._normalise import BulkInputError, normalise
from stca.bulk._schema import LAW_SCHEMA, RESULT_COLUMNS
from stca.bulk.files import BATCH_ROWS, BLOCK_BYTES, Progress, copy_rows
from stca.law.frame import evaluate_frame

_FACT_NAMES = list(LAW_SCHEMA)


@dataclass(frozen=True)
class PolicySpec:
    """A policy name (``stca.law``) and, optionally, the date every case is determined on."""

    policy: str
    as_of: dt.date | None = None

    @property
    def label(self) -> str:
        """How the spec is written by users and shown in reports."""
        return self.policy + (f"@{self.as_of.isoformat()}" if self.as_of else "")


def parse_policy_spec(text: str) -> PolicySpec:
    """``law``, ``window-days=30``, ``law@2026-03-26`` … → ``PolicySpec``.

    Raises:
        BulkInputError: for an unknown policy or a malformed date (message names the policy option).
    """
    from stca.law import parse_policy

    name, _, date_text = text.partition("@")
    try:
        policy = parse_policy(name).name
    except ValueError as exc:
        raise BulkInputError(f"--policy: {exc}") from None
    as_of = None
    if date_text:
        try:
            as_of = dt.date.fromisoformat(date_text)
        except ValueError:
            raise BulkInputError(
                f"--policy {text!r}: expected NAME@YYYY-MM-DD with a real date, got {date_text!r}"
            ) from None
    return PolicySpec(policy, as_of)


def _as_spec(policy: str | PolicySpec) -> PolicySpec:
    return policy if isinstance(policy, PolicySpec) else parse_policy_spec(policy)


def _facts_for(frame: pl.DataFrame, spec: PolicySpec) -> pl.DataFrame:
    facts = frame.select(_FACT_NAMES)
    if spec.as_of is None:
        return facts
    claim = pl.col("claim_local_date")
    return facts.with_columns(
        determination_date=pl.when(claim <= spec.as_of).then(pl.lit(spec.as_of)).otherwise(claim)
    )


def results_for(normalised: pl.DataFrame, policy: str | PolicySpec = "law") -> pl.DataFrame:
    """Only the result columns for already-normalised rows (used by comparisons)."""
    spec = _as_spec(policy)
    return evaluate_frame(_facts_for(normalised, spec), spec.policy).select(RESULT_COLUMNS)


def _could_change(raw: pl.DataFrame, typed: pl.DataFrame, spec: PolicySpec) -> pl.Series:
    """What could change each row's result: facts left unset in the file (absent, null or empty cell)."""
    from stca.law.frame import could_change_typed

    unset = {}
    for name in _FACT_NAMES:
        if name in raw.columns:
            col = raw.get_column(name)
            missing = col.is_null()
            if col.dtype == pl.String():
                missing = missing | (col.str.strip_chars() == "").fill_null(True)
            unset[name] = missing.to_numpy()
    return could_change_typed(_facts_for(typed, spec), unset, spec.policy)


def evaluate_cases(cases: pl.DataFrame | pa.Table, policy: str | PolicySpec = "law") -> pl.DataFrame:
    """Determine every row of a polars DataFrame or Arrow table of cases.

    Missing optional columns and null cells take the defaults of cases.yaml (contract.md §2); extra
    columns (``case_id``, ``province`` …) are kept. Returns the input rows in order, typed, with
    ``stca_result``, ``deciding_provision``, ``other_ineligibility``, ``covid_direct_back`` and
    ``uncertain`` added.

    Raises:
        BulkInputError: naming the column, row and value that cannot be used.

    >>> import polars as pl
    >>> out = evaluate_cases(pl.DataFrame({"entry_local_date": ["2024-05-01"],
    ...                                    "claim_local_date": ["2024-05-01"]}))
    >>> out["stca_result"].to_list()
    ['BARRED']
    """
    frame = pl.from_arrow(cases) if isinstance(cases, pa.Table) else cases
    assert isinstance(frame, pl.DataFrame)
    typed = normalise(frame)
    return pl.concat([typed, results_for(typed, policy)], how="horizontal")


def evaluate_table(table: pa.Table, policy: str | PolicySpec = "law") -> pa.Table:
    """``evaluate_cases`` for Arrow in, Arrow out."""
    return evaluate_cases(table, policy).to_arrow()


@dataclass
class BulkSummary:
    """What a file evaluation did: rows written and how many got each outcome."""

    rows: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def evaluate_file(
    source: Path,
    target: Path,
    policy: str | PolicySpec = "law",
    *,
    input_format: str | None = None,
    output_format: str | None = None,
    progress: Progress | None = None,
    on_batch: Callable[[], None] | None = None,
    batch_rows: int = BATCH_ROWS,
    block_bytes: int = BLOCK_BYTES,
    could_change: bool = False,
) -> BulkSummary:
    """Evaluate a Parquet / CSV / JSON Lines file of cases into another, streaming batch by batch.

    Memory stays bounded by the batch size (``batch_rows`` for Parquet, ``block_bytes`` for CSV and
    JSON Lines), whatever the size of the file. The output keeps every input row in order with the
    result columns added (result columns already in the input are replaced).

    With ``could_change``, a ``could_change`` column lists, per row, the facts the row left unset (column
    absent, null or empty cell) that would change its ``stca_result`` (``stca.law.frame.could_change_typed``).

    Raises:
        BulkInputError: bad input, naming the row (1 = first case in the file) and column.
    """
    spec = _as_spec(policy)
    summary = BulkSummary()

    def transform(batch: pl.DataFrame, rows_before: int) -> pl.DataFrame:
        typed = normalise(batch.drop([c for c in batch.columns if c in RESULT_COLUMNS]), rows_before)
        out = pl.concat([typed, results_for(typed, spec)], how="horizontal")
        if could_change:
            out = out.with_columns(_could_change(batch, typed, spec))
        summary.outcomes.update(dict(out["stca_result"].value_counts().iter_rows()))
        if on_batch is not None:
            on_batch()
        return out

    summary.rows = copy_rows(source, target, transform, input_format, output_format, progress, batch_rows,
                             block_bytes)
    return summary
