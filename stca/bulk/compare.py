"""How outcomes change between two policies (or two determination dates) on the same cases.

Streaming: each batch of the input is evaluated under both policies and reduced to counts at once, so
the input may be larger than memory. The counts are:

* the transition matrix: cases by (outcome under A, outcome under B);
* the provisions that move them: for cases whose outcome changes, cases by (deciding provision under
  A, deciding provision under B);
* parallel grounds (IRPA 101(1), reported in ``other_ineligibility``): cases with each ground under A
  and under B — what moves when only the determination date changes (``law@2026-03-26``);
* breakdowns by province (when the input has a ``province`` column), entry place, direction and first
  nationality (``stateless`` when there is none): cases, cases whose outcome changes, and BARRED under
  each policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from stca.bulk._normalise import normalise
from stca.bulk.evaluate import PolicySpec, parse_policy_spec, results_for
from stca.bulk.files import Progress, detect_format, read_batches

#: Breakdown dimensions: name → expression over the normalised cases.
_DIMENSIONS: dict[str, Callable[[list[str]], pl.Expr | None]] = {
    "province": lambda cols: pl.col("province").cast(pl.String) if "province" in cols else None,
    "entry_place": lambda cols: pl.col("entry_place"),
    "direction": lambda cols: pl.col("direction"),
    "nationality": lambda cols: pl.col("nationalities").list.first().fill_null("stateless"),
}


@dataclass
class Comparison:
    """Counts of a comparison between policy ``a`` and policy ``b`` over the same cases."""

    a: str
    b: str
    rows: int = 0
    transitions: pl.DataFrame = field(default_factory=pl.DataFrame)
    provisions: pl.DataFrame = field(default_factory=pl.DataFrame)
    grounds: pl.DataFrame = field(default_factory=pl.DataFrame)
    breakdowns: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        """Cases whose STCA outcome differs between the two policies."""
        if self.transitions.is_empty():
            return 0
        moved = self.transitions.filter(pl.col("result_a") != pl.col("result_b"))
        return int(moved["cases"].sum())

    def outcome_totals(self) -> pl.DataFrame:
        """Cases per outcome under each policy: columns ``stca_result``, ``a``, ``b``."""
        a = self.transitions.group_by(pl.col("result_a").alias("stca_result")).agg(a=pl.col("cases").sum())
        b = self.transitions.group_by(pl.col("result_b").alias("stca_result")).agg(b=pl.col("cases").sum())
        return (
            a.join(b, on="stca_result", how="full", coalesce=True)
            .fill_null(0).sort("stca_result")
        )


def _reduce(typed: pl.DataFrame, res_a: pl.DataFrame, res_b: pl.DataFrame) -> dict[str, pl.DataFrame]:
    cols = typed.columns
    frame = typed.select(
        [expr.alias(name) for name, make in _DIMENSIONS.items() if (expr := make(cols)) is not None]
    ).with_columns(
        result_a=res_a["stca_result"].cast(pl.String), result_b=res_b["stca_result"].cast(pl.String),
        deciding_a=res_a["deciding_provision"].cast(pl.String),
        deciding_b=res_b["deciding_provision"].cast(pl.String),
    )
    changed = pl.col("result_a") != pl.col("result_b")
    ground_counts = []
    for side, res in (("a", res_a), ("b", res_b)):
        flat = res["other_ineligibility"].explode(empty_as_null=False, keep_nulls=False).cast(pl.String)
        ground_counts.append(flat.value_counts(name=f"cases_{side}").rename({flat.name: "ground"}))
    grounds = ground_counts[0].join(ground_counts[1], on="ground", how="full", coalesce=True).fill_null(0)
    out = {
        "grounds": grounds.select("ground", pl.col("cases_a").cast(pl.Int64), pl.col("cases_b").cast(pl.Int64)),
        "transitions": frame.group_by("result_a", "result_b").agg(cases=pl.len()),
        "provisions": frame.filter(changed).group_by("result_a", "result_b", "deciding_a", "deciding_b")
        .agg(cases=pl.len()),
    }
    for name in _DIMENSIONS:
        if name in frame.columns:
            out[name] = frame.group_by(pl.col(name).alias("value")).agg(
                cases=pl.len(),
                changed=changed.sum(),
                barred_a=(pl.col("result_a") == "BARRED").sum(),
                barred_b=(pl.col("result_b") == "BARRED").sum(),
            )
    return out


def _combine(parts: list[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    counts = [c for c in parts[0].columns if c not in keys]
    return (
        pl.concat(parts).group_by(keys).agg([pl.col(c).sum().cast(pl.Int64) for c in counts])
        .sort(counts[0], *keys, descending=[True] + [False] * len(keys))
    )


def compare_batches(batches: Iterable[pl.DataFrame], a: str | PolicySpec, b: str | PolicySpec) -> Comparison:
    """Compare two policies over batches of raw case rows (see module docstring for the counts)."""
    spec_a = a if isinstance(a, PolicySpec) else parse_policy_spec(a)
    spec_b = b if isinstance(b, PolicySpec) else parse_policy_spec(b)
    result = Comparison(spec_a.label, spec_b.label)
    parts: dict[str, list[pl.DataFrame]] = {}
    for batch in batches:
        typed = normalise(batch, result.rows)
        reduced = _reduce(typed, results_for(typed, spec_a), results_for(typed, spec_b))
        for name, frame in reduced.items():
            parts.setdefault(name, []).append(frame)
        result.rows += typed.height
    if not parts:
        empty = pl.DataFrame(schema={"result_a": pl.String, "result_b": pl.String, "cases": pl.Int64})
        result.transitions = empty
        result.provisions = empty.with_columns(deciding_a=pl.lit(""), deciding_b=pl.lit(""))
        result.grounds = pl.DataFrame(schema={"ground": pl.String, "cases_a": pl.Int64, "cases_b": pl.Int64})
        return result
    result.transitions = _combine(parts.pop("transitions"), ["result_a", "result_b"])
    result.provisions = _combine(parts.pop("provisions"), ["result_a", "result_b", "deciding_a", "deciding_b"])
    result.grounds = _combine(parts.pop("grounds"), ["ground"]).sort("ground")
    result.breakdowns = {name: _combine(frames, ["value"]).sort("changed", "cases", "value",
                                                                  descending=[True, True, False])
                         for name, frames in parts.items()}
    return result


def compare_frame(cases: pl.DataFrame, a: str | PolicySpec, b: str | PolicySpec) -> Comparison:
    """Compare two policies over cases in memory."""
    return compare_batches([cases], a, b)


def compare_file(path: Path, a: str | PolicySpec, b: str | PolicySpec, *, input_format: str | None = None,
                 progress: Progress | None = None, on_batch: Callable[[], None] | None = None) -> Comparison:
    """Compare two policies over a case file, streaming."""

    def batches() -> Iterable[pl.DataFrame]:
        for batch in read_batches(path, detect_format(path, input_format), progress):
            yield batch
            if on_batch is not None:
                on_batch()

    return compare_batches(batches(), a, b)
