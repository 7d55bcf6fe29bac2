"""Every door gives the same answer (issue 10 part 3): generated cases in every accepted form — lower- and
mixed-case country codes, instants with and without seconds, every optional fact including the extension
``refugee_protection_conferred_in_canada``, missing keys and nulls — through ``determine``, ``stca check``,
``evaluate_frame`` on polars and on Arrow, ``stca bulk`` on CSV, JSON Lines and Parquet, and
``POST /api/v1/determinations``: identical results, or the identical error.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from stca.bulk import BulkInputError, evaluate_file
from stca.law import FactsError, determine, evaluate_frame, parse_facts
from tests.conftest import stca_bin
from tests.contract.test_contract import server  # noqa: F401  (the real `stca serve` on 127.0.0.1)
from tests.law.strategies import facts

KEYS = ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain")
LISTS = ("nationalities", "family_members", "documents_held", "inadmissibility_determined")


def _forms(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same case written another accepted way: codes in any case, an instant without seconds, nulls."""
    out = dict(case)
    for key in ("habitual_residence", "former_habitual_residence"):
        if isinstance(out.get(key), str):
            out[key] = rng.choice([str.lower, str.upper, lambda s: s[0] + s[1].lower()])(out[key])
    if out.get("nationalities"):
        out["nationalities"] = [rng.choice([c.lower(), c]) for c in out["nationalities"]]
    instant = out.get("entry_instant")
    if isinstance(instant, str) and instant.count(":") >= 2 and rng.random() < 0.5:
        date, _, rest = instant.partition("T")
        out["entry_instant"] = f"{date}T{rest[:5]}{rest[8:]}"  # 10:30:00-04:00 → 10:30-04:00
    for key in list(out):
        if key not in ("entry_local_date", "claim_local_date") and rng.random() < 0.1:
            out[key] = None  # null: the default applies
    return out


def _row(result: dict[str, Any]) -> tuple[Any, ...]:
    return (result["stca_result"], result["deciding_provision"], sorted(result["other_ineligibility"]),
            result["covid_direct_back"], list(result["uncertain"]))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_inputs(cases: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    keys = sorted({k for c in cases for k in c})
    (folder / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    pl.DataFrame({k: [_csv_cell(c.get(k)) for c in cases] for k in keys},
                 schema=dict.fromkeys(keys, pl.String)).write_csv(folder / "cases.csv")
    pl.DataFrame(cases, infer_schema_length=None).write_parquet(folder / "cases.parquet")
    return {fmt: folder / f"cases.{fmt}" for fmt in ("csv", "jsonl", "parquet")}


def _bulk_rows(path: Path) -> list[tuple[Any, ...]]:
    out = pl.read_parquet(path)
    return [(r["stca_result"], r["deciding_provision"], sorted(r["other_ineligibility"]), r["covid_direct_back"],
             r["uncertain"]) for r in out.select(KEYS).iter_rows(named=True)]


@settings(max_examples=2, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.lists(facts(), min_size=4, max_size=25), st.randoms(use_true_random=False))
def test_every_door_gives_the_same_results(server: str, tmp_path_factory: pytest.TempPathFactory,  # noqa: F811
                                           raw: list[dict[str, Any]], rng: random.Random) -> None:
    cases = [_forms(c, rng) for c in raw]
    expected = [_row(determine(c).to_dict()) for c in cases]
    check = subprocess.run([*stca_bin(), "check"], input=json.dumps(cases), capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == 0, check.stderr
    assert [_row(r) for r in json.loads(check.stdout)] == expected, "stca check"
    frame = pl.DataFrame(cases, infer_schema_length=None)
    polars_rows = [_row(r) for r in evaluate_frame(frame).select(KEYS).to_dicts()]
    assert polars_rows == expected, "evaluate_frame (polars)"
    keys = sorted({k for c in cases for k in c})  # from_pylist reads the keys of the first row only
    table = pa.Table.from_pylist([{k: c.get(k) for k in keys} for c in cases])
    arrow_rows = [_row(r) for r in evaluate_frame(table).select(KEYS).to_dicts()]
    assert arrow_rows == expected, "evaluate_frame (Arrow)"
    folder = tmp_path_factory.mktemp("doors")
    for fmt, path in _write_inputs(cases, folder).items():
        target = folder / f"out-{fmt}.parquet"
        if fmt == "parquet":  # one through the command line itself, the others through its function
            done = subprocess.run([*stca_bin(), "bulk", str(path), str(target), "--no-progress"],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        else:
            evaluate_file(path, target)
        assert _bulk_rows(target) == expected, f"stca bulk ({fmt})"
    api = httpx.post(f"{server}/api/v1/determinations", json=cases, timeout=60)
    assert api.status_code == 200, api.text
    assert [_row(r) for r in api.json()] == expected, "POST /api/v1/determinations"


OK = {"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}
BAD: list[tuple[dict[str, Any], str, str]] = [
    ({**OK, "nationalities": ["ZZ"]}, "nationalities", "expected an ISO 3166-1 alpha-2 country code"),
    ({**OK, "habitual_residence": "xx"}, "habitual_residence", "expected an ISO 3166-1 alpha-2 country code"),
    ({**OK, "entry_place": "ROAD"}, "entry_place", "expected one of LAND_POE, BETWEEN_POES_LAND"),
    ({**OK, "age_years": 150}, "age_years", "expected an age from 0 to 130"),
    ({**OK, "claim_local_date": "2024-04-30"}, "claim_local_date", "the claim cannot be made before"),
    ({**OK, "entry_local_date": "2024-02-30"}, "entry_local_date", "expected a real calendar date as YYYY-MM-DD"),
    ({**OK, "entry_instant": "2024-06-01T10:00-04:00"}, "entry_instant", "more than a day from entry_local_date"),
    ({**OK, "us_forum": "COURT"}, "us_forum", "expected one of THRESHOLD_SCREENING, REMOVAL_PROCEEDINGS"),
    ({**OK, "documents_held": ["PASSPORT"]}, "documents_held", "expected "),
    ({**OK, "family_members": [{"relationship": "SISTER", "ca_status": "CITIZEN"}]},
     "family_members", "expected one of CANADIAN_CITIZEN"),
]


@pytest.mark.parametrize(("case", "field", "message"), BAD, ids=[b[1] + "-" + b[2][:12] for b in BAD])
def test_every_door_gives_the_same_error(case: dict[str, Any], field: str, message: str, tmp_path: Path) -> None:
    """The same field named and the same words, from the one-case door and the population doors."""
    with pytest.raises(FactsError) as single:
        parse_facts(case)
    with pytest.raises(FactsError) as frame:
        evaluate_frame(pl.DataFrame([case], infer_schema_length=None))
    for err in (single.value, frame.value):
        assert any(p.field.startswith(field) and message in p.message for p in err.problems), err.problems
        assert all(p.message_fr for p in err.problems if not p.message.startswith(("the ", "more ")))
    for path in _write_inputs([case], tmp_path).values():
        with pytest.raises(BulkInputError) as bulk:
            evaluate_file(path, tmp_path / "out.parquet")
        assert f"column {field}" in str(bulk.value) and message in str(bulk.value), (path.suffix, bulk.value)


def test_the_command_line_and_the_api_give_the_same_error_in_french(server: str) -> None:  # noqa: F811
    case = {**OK, "nationalities": ["zz"]}
    check = subprocess.run([*stca_bin(), "check", "--lang", "fr"], input=json.dumps(case), capture_output=True,
                           text=True, timeout=60)
    api = httpx.post(f"{server}/api/v1/determinations", params={"lang": "fr"}, json=case, timeout=30)
    assert check.returncode == 2 and api.status_code == 422
    said = "attendu : un code de pays ISO 3166-1 alpha-2"
    assert said in check.stderr and "nationalities[0]" in check.stderr
    assert any(p["field"] == "nationalities[0]" and said in p["message"] for p in api.json()["problems"])
