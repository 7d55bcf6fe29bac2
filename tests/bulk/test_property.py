"""Contract §3: bulk and single-case results are identical for every row — through real files."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stca.bulk import evaluate_file
from stca.law import determine
from tests.law.strategies import facts

_LISTS = ("nationalities", "documents_held", "inadmissibility_determined", "family_members")


def _write_jsonl(cases: list[dict[str, Any]], path: Path) -> None:
    path.write_text("".join(json.dumps(c) + "\n" for c in cases))


def _write_csv(cases: list[dict[str, Any]], path: Path) -> None:
    columns = sorted({k for c in cases for k in c})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for case in cases:
            writer.writerow({k: _cell(k, v) for k, v in case.items()})


def _cell(key: str, value: Any) -> Any:
    """CSV encoding of bulk input: lists as JSON text, booleans as true/false."""
    if key in _LISTS:
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _expected(case: dict[str, Any], policy: str) -> dict[str, Any]:
    d = determine(case, policy=policy)
    return {"stca_result": d.stca_result, "deciding_provision": d.deciding_provision,
            "other_ineligibility": list(d.other_ineligibility), "covid_direct_back": d.covid_direct_back,
            "uncertain": list(d.uncertain)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(facts(), min_size=1, max_size=25),
       fmt=st.sampled_from(["jsonl", "csv"]),
       policy=st.sampled_from(["law", "pre-protocol", "whole-border", "window-days=30"]))
def test_bulk_file_equals_determine_row_by_row(cases: list[dict[str, Any]], fmt: str, policy: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / f"in.{fmt}", Path(tmp) / "out.parquet"
        (_write_jsonl if fmt == "jsonl" else _write_csv)(cases, source)
        evaluate_file(source, target, policy, block_bytes=4096)
        out = pl.read_parquet(target)
    assert out.height == len(cases)
    for i, case in enumerate(cases):
        row = out.row(i, named=True)
        got = {k: row[k] for k in ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back",
                                   "uncertain")}
        assert got == _expected(case, policy), (i, case)
