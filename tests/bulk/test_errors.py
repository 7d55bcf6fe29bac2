"""Bad input: the message names the column, the row (1 = first case in the file) and the value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stca.bulk import BulkInputError, evaluate_file

HEADER = "entry_local_date,claim_local_date,entry_place,age_years\n"
GOOD = "2024-05-01,2024-05-01,LAND_POE,30\n"


def _bulk(tmp_path: Path, name: str, text: str) -> str:
    source = tmp_path / name
    source.write_text(text)
    with pytest.raises(BulkInputError) as err:
        evaluate_file(source, tmp_path / "out.parquet")
    return str(err.value)


@pytest.mark.parametrize(("line", "expected"), [
    ("2024-05-01,2024-05-01,ROXHAM,30\n", "row 3, column entry_place: expected one of LAND_POE"),
    ("2024-02-30,2024-05-01,LAND_POE,30\n", "row 3, column entry_local_date: expected a real calendar date"),
    ("2024-05-01,2024-05-01,LAND_POE,thirty\n", "row 3, column age_years: expected a whole number, got 'thirty'"),
    ("2024-05-01,2024-05-01,LAND_POE,150\n", "row 3, column age_years: expected an age from 0 to 130"),
    ("2024-05-02,2024-05-01,LAND_POE,30\n", "row 3, column claim_local_date: the claim cannot be made before"),
    (",2024-05-01,LAND_POE,30\n", "row 3, column entry_local_date: required value is missing"),
])
def test_csv_errors_name_row_and_column(tmp_path: Path, line: str, expected: str) -> None:
    assert expected in _bulk(tmp_path, "cases.csv", HEADER + GOOD + GOOD + line)


def test_error_in_a_later_batch_names_the_row_in_the_file(tmp_path: Path) -> None:
    text = HEADER + GOOD * 5000 + "2024-05-01,2024-05-01,LAND_POE,-1\n"
    source = tmp_path / "big.csv"
    source.write_text(text)
    with pytest.raises(BulkInputError, match=r"row 5001, column age_years"):
        evaluate_file(source, tmp_path / "out.parquet", block_bytes=16 << 10)


def test_misspelt_column_is_named_with_a_suggestion(tmp_path: Path) -> None:
    message = _bulk(tmp_path, "typo.csv", "entry_local_date,claim_local_date,entry_plac\n2024-05-01,2024-05-01,X\n")
    assert "column entry_plac: unknown fact column (did you mean 'entry_place'?)" in message


def test_missing_required_column(tmp_path: Path) -> None:
    assert "column claim_local_date: required column is missing" in _bulk(
        tmp_path, "missing.csv", "entry_local_date\n2024-05-01\n")


def test_bad_json_list_in_csv_cell(tmp_path: Path) -> None:
    message = _bulk(tmp_path, "lists.csv", "entry_local_date,claim_local_date,nationalities\n"
                                           '2024-05-01,2024-05-01,"[""CO""]"\n2024-05-01,2024-05-01,CO;VE\n')
    assert "row 2, column nationalities: expected a JSON array" in message


def test_jsonl_wrong_type_names_line_and_field(tmp_path: Path) -> None:
    message = _bulk(tmp_path, "cases.jsonl",
                    '{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}\n'
                    '{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01", "stateless": "yes"}\n')
    assert "row 2" in message and "stateless" in message


def test_jsonl_unknown_member_field_and_bad_member_value(tmp_path: Path) -> None:
    base = '{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01", "family_members": '
    message = _bulk(tmp_path, "m.jsonl", base + '[{"relationship": "MOTHER", "ca_status": "CITIZEN"}]}\n')
    assert "row 1, column family_members[].ca_status: expected one of CANADIAN_CITIZEN" in message
    message = _bulk(tmp_path, "n.jsonl", base + '[{"location": "US"}]}\n' + base + "[]}\n")
    assert "row 1, column family_members[].relationship: required value is missing" in message


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BulkInputError, match="cannot tell the format"):
        evaluate_file(tmp_path / "cases.xlsx", tmp_path / "out.parquet")
    with pytest.raises(BulkInputError, match="no such file"):
        evaluate_file(tmp_path / "absent.csv", tmp_path / "out.parquet")


def test_a_failed_run_leaves_no_partial_output_and_keeps_an_existing_file(tmp_path: Path) -> None:
    """Bad input in a later batch: exit 2, the earlier output file untouched, no truncated result."""
    import subprocess

    from tests.conftest import stca_bin

    rows = [{"entry_local_date": "2024-01-01", "claim_local_date": "2024-01-01"}] * 3000
    rows.append({"entry_local_date": "2024-01-01", "claim_local_date": "2024-01-01", "entry_place": "ROAD"})
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    target = tmp_path / "out.parquet"
    target.write_bytes(b"previous results")
    proc = subprocess.run([*stca_bin(), "bulk", str(source), str(target), "--no-progress"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "entry_place" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_bytes() == b"previous results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl", "out.parquet"]
    # the same in process, with the bad row several small batches in: nothing half-written survives
    with pytest.raises(BulkInputError, match="entry_place"):
        evaluate_file(source, target, "law", block_bytes=16_384)
    assert target.read_bytes() == b"previous results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl", "out.parquet"]


def test_an_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import stca_bin

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    source = tmp_path / "cases.jsonl"
    source.write_text(json.dumps({"entry_local_date": "2024-01-01", "claim_local_date": "2024-01-01"}) + "\n")
    for args in (["bulk", str(source), str(blocker / "out.jsonl")], ["synth", "--rows", "5", str(blocker / "s.jsonl")]):
        proc = subprocess.run([*stca_bin(), *args], capture_output=True, text=True)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert str(blocker) in proc.stderr
