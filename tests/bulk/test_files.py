"""Bulk files: every format round-trips (nested columns, CSV-encoded lists), order is kept, streaming
over several batches gives what one in-memory evaluation gives."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from stca.bulk import evaluate_cases, evaluate_file, normalise, read_batches, synth_frame, write_frame
from stca.bulk._schema import RESULT_COLUMNS
from stca.bulk.files import copy_rows


@pytest.fixture(scope="module")
def cases() -> pl.DataFrame:
    return synth_frame(3_000, seed=42)


def _read_all(path: Path, fmt: str, batch_rows: int = 700) -> pl.DataFrame:
    parts, before = [], 0
    for batch in read_batches(path, fmt, batch_rows=batch_rows):
        parts.append(normalise(batch, before))
        before += batch.height
    return pl.concat(parts)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_round_trip_keeps_every_value(cases: pl.DataFrame, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"cases.{fmt}"
    write_frame(cases, path)
    back = _read_all(path, fmt)
    expected = normalise(cases)
    facts = [c for c in expected.columns if c not in ("case_id", "province")]
    assert back.select(facts).equals(expected.select(facts))
    assert back["province"].to_list() == cases["province"].to_list()
    assert [int(x) for x in back["case_id"].to_list()] == list(range(cases.height))  # order kept


def test_nested_columns_survive_every_format(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"entry_local_date": ["2024-05-01"], "claim_local_date": ["2024-05-01"], "nationalities": [["CO", "VE"]],
         "documents_held": [["CA_TRV", "US_VISA_NON_TRANSIT"]],
         "family_members": [[{"relationship": "MOTHER", "location": "CANADA", "ca_status": "PERMANENT_RESIDENT",
                              "age_years": 61}, {"relationship": "COUSIN", "location": "US", "ca_status": None,
                                                 "age_years": None}]]},
        schema_overrides={"family_members": pl.List(pl.Struct({"relationship": pl.String, "location": pl.String,
                                                               "ca_status": pl.String, "age_years": pl.Int64}))},
    )
    for fmt in ("parquet", "csv", "jsonl"):
        path = tmp_path / f"nested.{fmt}"
        write_frame(frame, path)
        row = _read_all(path, fmt).row(0, named=True)
        assert row["nationalities"] == ["CO", "VE"]
        assert row["documents_held"] == ["CA_TRV", "US_VISA_NON_TRANSIT"]
        mother, cousin = row["family_members"]
        assert (mother["relationship"], mother["ca_status"]) == ("MOTHER", "PERMANENT_RESIDENT")
        assert mother["age_years"] == 61
        # A member's missing fields take family_member_defaults (cases.yaml).
        assert (cousin["location"], cousin["ca_status"], cousin["age_years"]) == ("US", "NO_STATUS", 40)


def test_csv_cells_hold_json_lists_and_empty_cells_take_defaults(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text(
        "entry_local_date,claim_local_date,nationalities,family_members,age_years,claim_at_entry\n"
        '2024-05-01,2024-05-01,"[""HT""]","[{""relationship"": ""SISTER"", ""ca_status"": ""CANADIAN_CITIZEN""}]",'
        "17,true\n"
        "2016-06-01,2016-06-01,,,,\n"
    )
    out = _read_all(path, "csv")
    assert out["nationalities"].to_list() == [["HT"], ["CO"]]  # empty cell → default ["CO"]
    assert out["age_years"].to_list() == [17, 35]
    assert out["family_members"].to_list()[1] == []
    assert out["family_members"].to_list()[0][0]["ca_status"] == "CANADIAN_CITIZEN"
    result = evaluate_cases(out)
    assert result["deciding_provision"].cast(pl.String).to_list() == ["IRPR 159.5(a)", "IRPA 101(1)(e); IRPR 159.3"]


def test_bulk_output_can_be_read_back_as_input(cases: pl.DataFrame, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    write_frame(cases.head(500), source)
    for fmt in ("parquet", "csv", "jsonl"):
        first = tmp_path / f"out.{fmt}"
        evaluate_file(source, first)
        again = tmp_path / f"again.{fmt}"
        evaluate_file(first, again)  # result columns in the input are replaced, not duplicated
        a, b = (pl.concat(list(read_batches(p, fmt))) for p in (first, again))
        assert a.columns == b.columns and a.columns[-len(RESULT_COLUMNS):] == list(RESULT_COLUMNS)
        assert a["stca_result"].cast(pl.String).equals(b["stca_result"].cast(pl.String))


def test_streaming_over_batches_equals_one_in_memory_evaluation(cases: pl.DataFrame, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_frame(cases, source)
    target = tmp_path / "out.parquet"
    seen: list[int] = []

    def transform(batch: pl.DataFrame, before: int) -> pl.DataFrame:
        seen.append(batch.height)
        typed = normalise(batch, before)
        return pl.concat([typed, evaluate_cases(typed).select(RESULT_COLUMNS)], how="horizontal")

    rows = copy_rows(source, target, transform, block_bytes=256 << 10)
    assert rows == cases.height and len(seen) > 1, seen
    streamed = pl.read_parquet(target)
    whole = evaluate_cases(cases)
    assert streamed.select(RESULT_COLUMNS).equals(whole.select(RESULT_COLUMNS))
    assert streamed["case_id"].to_list() == whole["case_id"].to_list()


def test_parquet_streams_in_several_batches(cases: pl.DataFrame, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    write_frame(cases, source)
    sizes = [b.height for b in read_batches(source, "parquet", batch_rows=1_000)]
    assert sizes == [1_000, 1_000, 1_000]
    out = tmp_path / "out.csv"
    summary = evaluate_file(source, out)
    assert summary.rows == cases.height and sum(summary.outcomes.values()) == cases.height
    back = pl.read_csv(out, infer_schema=False)
    whole = evaluate_cases(cases)
    assert back["stca_result"].to_list() == whole["stca_result"].cast(pl.String).to_list()
    assert back["case_id"].to_list() == [str(i) for i in range(cases.height)]


def test_arrow_table_in_arrow_table_out(cases: pl.DataFrame) -> None:
    from stca.bulk import evaluate_table

    out = evaluate_table(cases.head(100).to_arrow(), policy="no-agreement")
    assert out.num_rows == 100
    assert set(out.column("stca_result").to_pylist()) == {"NOT_APPLICABLE"}


def test_parquet_batches_never_straddle_row_groups(cases: pl.DataFrame, tmp_path: Path) -> None:
    """A batch that would cross a row-group boundary of a file with nested columns made pyarrow fail
    ("Nested data conversions not implemented for chunked array outputs"); reading stays per row group."""
    import pyarrow.parquet as pq

    path = tmp_path / "groups.parquet"
    pq.write_table(normalise(cases).to_arrow(), path, row_group_size=1_000)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    back = _read_all(path, "parquet", batch_rows=768)  # 768 does not divide 1,000
    assert back.height == cases.height
    assert [int(x) for x in back["case_id"].to_list()] == list(range(cases.height))
