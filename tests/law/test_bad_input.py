"""contract.md §2: bad input exits 2, prints nothing on stdout, and names the field on stderr."""

from __future__ import annotations

import json
import subprocess

import pytest

from stca.law import FactsError, parse_facts
from tests.conftest import stca_bin

OK = {"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}

BAD: list[tuple[str, object, str]] = [
    ("impossible date", {**OK, "entry_local_date": "2024-02-30"}, "entry_local_date"),
    ("claim before entry", {**OK, "claim_local_date": "2024-04-30"}, "claim_local_date"),
    ("decision before claim", {**OK, "determination_date": "2024-04-01"}, "determination_date"),
    ("negative age", {**OK, "age_years": -3}, "age_years"),
    ("age as text", {**OK, "age_years": "35"}, "age_years"),
    ("unknown enum", {**OK, "entry_place": "ROXHAM"}, "entry_place"),
    ("unknown key", {**OK, "entryplace": "LAND_POE"}, "entryplace"),
    ("bool as string", {**OK, "stateless": "yes"}, "stateless"),
    ("missing date", {"claim_local_date": "2024-05-01"}, "entry_local_date"),
    ("bad nationality", {**OK, "nationalities": ["Colombia"]}, "nationalities[0]"),
    ("family member enum", {**OK, "family_members": [{"relationship": "BFF"}]}, "family_members[0].relationship"),
    ("family member age", {**OK, "family_members": [{"relationship": "SISTER", "age_years": -1}]},
     "family_members[0].age_years"),
    ("family member key", {**OK, "family_members": [{"relationship": "SISTER", "status": "PR"}]},
     "family_members[0].status"),
    ("instant far from date", {**OK, "entry_instant": "2024-06-01T10:00:00-04:00"}, "entry_instant"),
    ("bad instant", {**OK, "entry_instant": "yesterday"}, "entry_instant"),
    ("stateless with nationality", {**OK, "stateless": True}, "stateless"),
    ("date as number", {**OK, "entry_local_date": 20240501}, "entry_local_date"),
    ("document enum", {**OK, "documents_held": ["PASSPORT"]}, "documents_held[0]"),
    ("not an object", "LAND_POE", "(case)"),
]


@pytest.mark.parametrize(("label", "case", "field"), BAD, ids=[b[0] for b in BAD])
def test_python_api_names_the_field(label: str, case: object, field: str) -> None:
    with pytest.raises(FactsError) as err:
        parse_facts(case)  # type: ignore[arg-type]
    assert any(p.field == field for p in err.value.problems), (label, err.value.problems)


def _run(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), "check", *args], input=stdin, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("label", "case", "field"), BAD[:8] + BAD[10:12], ids=[b[0] for b in BAD[:8] + BAD[10:12]])
def test_cli_exits_2_naming_the_field(label: str, case: object, field: str) -> None:
    proc = _run(json.dumps(case))
    assert proc.returncode == 2, label
    assert proc.stdout == ""
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_array_names_the_case_index_and_outputs_nothing() -> None:
    proc = _run(json.dumps([OK, OK, {**OK, "age_years": -1}]))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("stca: [2].age_years: ")


@pytest.mark.parametrize(("stdin", "args", "needle"), [
    ("{not json", (), "not valid JSON"),
    ("", (), "got nothing"),
    (json.dumps(OK), ("--policy", "open-border"), "--policy"),
    (json.dumps(OK), ("--lang", "de"), "--lang"),
    (json.dumps(OK), ("--switch", "nonsense=true"), "--switch"),
])
def test_cli_bad_options_and_documents(stdin: str, args: tuple[str, ...], needle: str) -> None:
    proc = _run(stdin, *args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert needle in proc.stderr and "Traceback" not in proc.stderr


def test_null_takes_the_default() -> None:
    assert parse_facts({**OK, "age_years": None, "family_members": [{"relationship": "SISTER",
                                                                     "location": None}]}).age_years == 35


def test_deeply_nested_json_is_a_clear_error() -> None:
    proc = _run("[" * 5000 + "]" * 5000)
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    assert "nested" in proc.stderr


def test_evaluate_frame_carries_extra_columns_and_names_a_misspelt_fact() -> None:
    import polars as pl

    from stca import evaluate_frame

    df = pl.DataFrame({"case_ref": ["a", "b"], "entry_local_date": ["2024-01-01"] * 2,
                       "claim_local_date": ["2024-01-01"] * 2})
    out = evaluate_frame(df)
    assert out["case_ref"].to_list() == ["a", "b"] and out["stca_result"].to_list() == ["BARRED", "BARRED"]
    with pytest.raises(FactsError) as err:
        evaluate_frame(df.with_columns(entry_plac=pl.lit("AIRPORT")))
    assert err.value.problems[0].field == "entry_plac" and "entry_place" in err.value.problems[0].message
