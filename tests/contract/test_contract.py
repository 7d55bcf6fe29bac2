"""Conformance with ``spec/contract.md``: the outside contract, driven through real processes.

Every command runs as a subprocess of the installed ``stca``; the service is a real ``stca serve`` on a free
port of 127.0.0.1 with its data directory in a temporary folder. Slow processes (the simulator, the bad
scheduler address) run concurrently so the whole file stays well under a minute.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from tests.conftest import ROOT, SPEC, stca_bin

RESULTS = {"BARRED", "NOT_BARRED", "NOT_APPLICABLE"}
POLICIES = ["law", "no-agreement", "pre-protocol", "whole-border", "suspended", "window-days=30"]
ROUTES = {"LAND_POE", "BETWEEN_POES_LAND", "AIRPORT", "INLAND"}
MEASURES = {"interceptions", "claims", "turned_back"}
SERIES_COLUMNS = ["month", "province", "route", "measure", "mean", "p05", "p95"]

# One worker runs the whole file under ``pytest -n 2 --dist loadgroup``, so the module fixtures start once.
pytestmark = pytest.mark.xdist_group(name="contract")

POE_2016 = {"entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"}
ROXHAM_2022 = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False,
               "entry_local_date": "2022-06-10", "claim_local_date": "2022-06-10"}
BETWEEN_2023 = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False,
                "entry_local_date": "2023-06-10", "claim_local_date": "2023-06-13"}


def run(args: list[str], stdin: str | None = None, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), *args], input=stdin, capture_output=True, text=True, timeout=timeout,
                          env=env)


def check(facts: Any, *args: str) -> Any:
    """``stca check`` on a JSON document; asserts success and returns the parsed output."""
    done = run(["check", *args], json.dumps(facts))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def parallel(calls: list[tuple[list[str], str | None]]) -> list[subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda c: run(*c), calls))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load((SPEC / "cases.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- §1 setting up

def test_entry_point_exists_and_ci_runs_the_readme_test_command() -> None:
    exe = ROOT / ".venv" / "bin" / "stca"
    assert exe.is_file() and os.access(exe, os.X_OK)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = readme.split("\n---")[0]
    assert "./run demo" in first_screen and "./run test" in first_screen
    ci = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
          if ln.strip() and not ln.startswith("#")]
    assert ci[-1] == "./run test"
    # …from a fresh clone in an empty temporary folder, so the suite needs nothing beside the repository
    assert any(ln.startswith("git clone") for ln in ci) and any("mktemp -d" in ln for ln in ci)
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


# ------------------------------------------------------------------------------------------------ §2 check

def test_check_reads_an_object_from_stdin_a_file_and_dash(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(BETWEEN_2023))
    a, b, c = parallel([(["check"], json.dumps(BETWEEN_2023)), (["check", str(case)], None),
                        (["check", "-"], json.dumps(BETWEEN_2023))])
    for done in (a, b, c):
        assert done.returncode == 0, done.stderr
    out = json.loads(a.stdout)
    assert isinstance(out, dict) and out == json.loads(b.stdout) == json.loads(c.stdout)
    assert out["stca_result"] == "BARRED" and out["deciding_provision"].startswith("IRPR 159.4(1.1)")


def test_check_array_gives_array_in_order() -> None:
    out = check([POE_2016, ROXHAM_2022, BETWEEN_2023])
    assert isinstance(out, list) and [o["stca_result"] for o in out] == ["BARRED", "NOT_APPLICABLE", "BARRED"]
    assert out[0] == check(POE_2016)
    assert check([]) == []


def test_every_output_key_has_its_type_for_every_spec_case(spec: dict[str, Any]) -> None:
    inputs = [c["input"] for c in spec["cases"]]
    out = check(inputs)
    assert isinstance(out, list) and len(out) == len(inputs)
    for case, o in zip(spec["cases"], out, strict=True):
        assert o["stca_result"] in RESULTS, case["id"]
        assert o["stca_result"] == case["expected"]["stca_result"], case["id"]
        assert isinstance(o["deciding_provision"], str) and o["deciding_provision"]
        assert isinstance(o["path"], list) and o["path"]
        for step in o["path"]:
            assert all(isinstance(step[k], str) and step[k] for k in ("rule", "citation", "outcome", "reason"))
        assert isinstance(o["other_ineligibility"], list)
        assert all(isinstance(x, str) for x in o["other_ineligibility"])
        assert type(o["covid_direct_back"]) is bool
        assert isinstance(o["uncertain"], list) and all(isinstance(x, str) for x in o["uncertain"])
        assert isinstance(o["explanation"], str) and len(o["explanation"]) > 40
        assert isinstance(o["law_version"], str) and o["law_version"]


def test_missing_or_null_keys_take_the_cases_yaml_defaults(spec: dict[str, Any]) -> None:
    defaults = {k: v for k, v in spec["defaults"].items() if k != "determination_date"}
    explicit = {**defaults, **BETWEEN_2023}
    nulls = {**{k: None for k in defaults}, **BETWEEN_2023}
    member = {"relationship": "BROTHER", "ca_status": "WORK_PERMIT"}
    member_explicit = {**spec["family_member_defaults"], **member}
    member_nulls = {**{k: None for k in spec["family_member_defaults"]}, **member}
    sensitive = [
        {**POE_2016, "came_from_other_party": None},      # default true: the Agreement reaches the claim
        {**POE_2016, "came_from_other_party": False},
        {**POE_2016, "visa_required_canada": None},       # default true: no 159.5(g) exception
        {**POE_2016, "visa_required_canada": False},
        {**POE_2016, "age_years": None},                  # default 35: no unaccompanied-minor exception
        {**POE_2016, "family_members": [{"relationship": "BROTHER", "ca_status": "CANADIAN_CITIZEN"}]},
        {**POE_2016, "family_members": [{"relationship": "BROTHER", "ca_status": "CANADIAN_CITIZEN",
                                         "location": "US"}]},
    ]
    out = check([BETWEEN_2023, explicit, nulls,
                 {**POE_2016, "family_members": [member]},
                 {**POE_2016, "family_members": [member_explicit]},
                 {**POE_2016, "family_members": [member_nulls]},
                 *sensitive])
    assert out[0] == out[1] == out[2]
    assert out[3] == out[4] == out[5]
    assert out[3]["deciding_provision"] == "IRPR 159.5(d)"  # adult (40), in Canada, permit valid by default
    assert [o["stca_result"] for o in out[6:]] == [
        "BARRED", "NOT_APPLICABLE", "BARRED", "NOT_BARRED", "BARRED", "NOT_BARRED", "BARRED"]


def test_determination_date_defaults_to_claim_local_date() -> None:
    # IRPA 101(1)(b.2) is applied only when determination_date >= 2026-03-26 (law.md §1.1, CA-R10).
    late = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False,
            "entry_local_date": "2025-06-10", "claim_local_date": "2025-07-01"}
    missing, null, same, later = check([late, {**late, "determination_date": None},
                                        {**late, "determination_date": "2025-07-01"},
                                        {**late, "determination_date": "2026-04-01"}])
    assert missing == null == same
    assert "IRPA 101(1)(b.2)" not in missing["other_ineligibility"]
    assert "IRPA 101(1)(b.2)" in later["other_ineligibility"]


def test_entry_instant_defaults_to_noon_local_time() -> None:
    day = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False,
           "entry_local_date": "2023-03-25", "claim_local_date": "2023-03-26"}   # the Protocol began 00:01 EDT
    missing, null, noon, before = check([day, {**day, "entry_instant": None},
                                         {**day, "entry_instant": "2023-03-25T12:00:00-04:00"},
                                         {**day, "entry_instant": "2023-03-25T00:00:30-04:00"}])
    assert missing == null == noon
    assert missing["stca_result"] == "BARRED" and before["stca_result"] == "NOT_APPLICABLE"


def test_lang_fr_gives_a_french_explanation() -> None:
    en = check(ROXHAM_2022)
    fr = check(ROXHAM_2022, "--lang", "fr")
    assert fr["stca_result"] == en["stca_result"] and fr["explanation"] != en["explanation"]
    assert "L'Entente sur les tiers pays sûrs" in fr["explanation"]


def test_every_policy_name_is_accepted_by_check() -> None:
    cases = [POE_2016, ROXHAM_2022, BETWEEN_2023,
             {**BETWEEN_2023, "claim_local_date": "2023-06-30"}]  # day 20: outside the 14-day window
    runs = parallel([(["check", "--policy", p], json.dumps(cases)) for p in POLICIES])
    got = {}
    for p, done in zip(POLICIES, runs, strict=True):
        assert done.returncode == 0, (p, done.stderr)
        got[p] = [o["stca_result"] for o in json.loads(done.stdout)]
    assert got["law"] == ["BARRED", "NOT_APPLICABLE", "BARRED", "NOT_APPLICABLE"]
    assert got["no-agreement"] == ["NOT_APPLICABLE"] * 4
    assert got["pre-protocol"] == ["BARRED", "NOT_APPLICABLE", "NOT_APPLICABLE", "NOT_APPLICABLE"]
    assert got["whole-border"] == ["BARRED"] * 4
    assert got["suspended"] == ["NOT_APPLICABLE"] * 4
    assert got["window-days=30"] == ["BARRED", "NOT_APPLICABLE", "BARRED", "BARRED"]


BAD_INPUTS: dict[str, tuple[str, str]] = {
    # name: (standard input, what stderr must name)
    "unknown key": (json.dumps({**POE_2016, "colour": "red"}), "colour"),
    "unknown family-member key": (json.dumps({**POE_2016, "family_members": [{"relationship": "AUNT", "x": 1}]}),
                                  "family_members[0].x"),
    "wrong type boolean": (json.dumps({**POE_2016, "claim_at_entry": "yes"}), "claim_at_entry"),
    "wrong type integer": (json.dumps({**POE_2016, "age_years": "35"}), "age_years"),
    "wrong type list": (json.dumps({**POE_2016, "nationalities": "CO"}), "nationalities"),
    "impossible date": (json.dumps({"entry_local_date": "2023-02-30", "claim_local_date": "2023-03-01"}),
                        "entry_local_date"),
    "claim before entry": (json.dumps({"entry_local_date": "2016-06-02", "claim_local_date": "2016-06-01"}),
                           "claim_local_date"),
    "determination before claim": (json.dumps({**POE_2016, "determination_date": "2016-05-01"}),
                                   "determination_date"),
    "unknown enum value": (json.dumps({**POE_2016, "entry_place": "ROAD"}), "entry_place"),
    "unknown family-member enum": (json.dumps({**POE_2016, "family_members": [{"relationship": "FRIEND"}]}),
                                   "family_members[0].relationship"),
    "unknown document": (json.dumps({**POE_2016, "documents_held": ["PASSPORT"]}), "documents_held"),
    "negative age": (json.dumps({**POE_2016, "age_years": -1}), "age_years"),
    "negative family-member age": (json.dumps({**POE_2016, "family_members": [{"relationship": "AUNT",
                                                                               "age_years": -3}]}),
                                   "family_members[0].age_years"),
    "missing required date": (json.dumps({"entry_local_date": "2016-06-01"}), "claim_local_date"),
    "invalid JSON": ('{"entry_local_date": ', "JSON"),
    "empty input": ("", "input"),
    "non-object inside an array": (json.dumps([POE_2016, 5]), "[1]"),
    "bad case inside an array": (json.dumps([POE_2016, {**POE_2016, "colour": "red"}]), "colour"),
    "top-level scalar": ("42", "object"),
}


@pytest.fixture(scope="module")
def bad_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    names = list(BAD_INPUTS)
    runs = parallel([(["check"], BAD_INPUTS[n][0]) for n in names])
    return dict(zip(names, runs, strict=True))


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_exits_2_with_nothing_on_stdout_and_names_the_field(
        name: str, bad_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    done = bad_runs[name]
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert BAD_INPUTS[name][1] in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_policy_exits_2_naming_policy_in_check_and_bulk(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(POE_2016) + "\n")
    a, b = parallel([(["check", "--policy", "bogus"], json.dumps(POE_2016)),
                     (["bulk", str(src), str(tmp_path / "out.jsonl"), "--policy", "window-days=x"], None)])
    for done in (a, b):
        assert done.returncode == 2 and done.stdout == "" and "--policy" in done.stderr
        assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------------------------- §3 bulk

def test_synth_same_seed_same_file_and_rows_are_valid_cases(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.parquet", tmp_path / "b.parquet", tmp_path / "c.jsonl"
    runs = parallel([(["synth", "--rows", "300", "--seed", "5", str(a)], None),
                     (["synth", "--rows", "300", "--seed", "5", str(b)], None),
                     (["synth", "--rows", "300", "--seed", "5", str(c)], None)])
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    assert a.read_bytes() == b.read_bytes()
    assert pl.read_parquet(a).height == 300
    rows = [json.loads(line) for line in c.read_text().splitlines()]
    assert len(rows) == 300
    # bulk: every row kept in order, results added, and identical to the single-case path
    out = tmp_path / "out.jsonl"
    done = run(["bulk", str(c), str(out)])
    assert done.returncode == 0, done.stderr
    decided = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(decided) == len(rows)
    for row, res in zip(rows, decided, strict=True):
        assert {k: res[k] for k in row} == row
    single = check([{k: v for k, v in r.items() if k not in ("case_id", "province")} for r in rows])
    for res, one in zip(decided, single, strict=True):
        for key in ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain"):
            assert res[key] == one[key], (res["case_id"], key)


def _handmade_rows() -> list[dict[str, Any]]:
    return [
        {"id": "a", **POE_2016, "family_members": [], "documents_held": []},
        {"id": "b", **POE_2016, "family_members": [{"relationship": "BROTHER", "ca_status": "CANADIAN_CITIZEN"}],
         "documents_held": []},
        {"id": "c", **BETWEEN_2023, "family_members": [], "documents_held": ["CA_TRV"]},
        {"id": "d", **ROXHAM_2022, "family_members": [], "documents_held": []},
    ]


EXPECTED = [("a", "BARRED", "IRPA 101(1)(e); IRPR 159.3"), ("b", "NOT_BARRED", "IRPR 159.5(a)"),
            ("c", "NOT_BARRED", "IRPR 159.5(f)(i)"), ("d", "NOT_APPLICABLE", "IRPR 159.4(1)(a)")]


def test_bulk_reads_and_writes_parquet_csv_and_jsonl_with_nested_lists(tmp_path: Path) -> None:
    rows = _handmade_rows()
    member = pa.struct([("relationship", pa.string()), ("ca_status", pa.string())])
    table = pa.table({
        "id": [r["id"] for r in rows],
        **{k: [r.get(k) for r in rows] for k in ("entry_local_date", "claim_local_date")},
        "entry_place": [r.get("entry_place", "LAND_POE") for r in rows],
        "claim_at_entry": [r.get("claim_at_entry", True) for r in rows],
        "family_members": pa.array([r["family_members"] for r in rows], type=pa.list_(member)),
        "documents_held": pa.array([r["documents_held"] for r in rows], type=pa.list_(pa.string())),
    })
    pq.write_table(table, tmp_path / "in.parquet")
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pl.read_parquet(tmp_path / "in.parquet").with_columns(
        pl.col("family_members").map_elements(lambda s: json.dumps(s.to_list()), return_dtype=pl.String),
        pl.col("documents_held").map_elements(lambda s: json.dumps(s.to_list()), return_dtype=pl.String),
    ).write_csv(tmp_path / "in.csv")
    pairs = [("parquet", "jsonl"), ("jsonl", "parquet"), ("csv", "csv")]
    runs = parallel([(["bulk", str(tmp_path / f"in.{i}"), str(tmp_path / f"out_{i}.{o}")], None) for i, o in pairs])
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    for i, o in pairs:
        path = tmp_path / f"out_{i}.{o}"
        df = (pl.read_parquet(path) if o == "parquet" else pl.read_ndjson(path) if o == "jsonl"
              else pl.read_csv(path))
        got = list(zip(df["id"], df["stca_result"].cast(pl.String), df["deciding_provision"].cast(pl.String),
                       strict=True))
        assert got == EXPECTED, (i, o)


def test_bulk_bad_input_exits_2_naming_row_and_column(tmp_path: Path) -> None:
    rows = [POE_2016, POE_2016, {**POE_2016, "entry_place": "ROAD"}, POE_2016]
    (tmp_path / "bad.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "bad.csv").write_text("entry_local_date,claim_local_date,claim_at_entry\n"
                                      "2016-06-01,2016-06-01,true\n2016-06-01,2016-05-01,true\n")
    a, b = parallel([(["bulk", str(tmp_path / "bad.jsonl"), str(tmp_path / "o.jsonl")], None),
                     (["bulk", str(tmp_path / "bad.csv"), str(tmp_path / "o.csv")], None)])
    assert a.returncode == 2 and "row 3" in a.stderr and "entry_place" in a.stderr
    assert b.returncode == 2 and "row 2" in b.stderr and "claim_local_date" in b.stderr
    assert "Traceback" not in a.stderr + b.stderr


def test_python_function_on_polars_and_arrow_in_memory() -> None:
    from stca import evaluate_frame

    rows = [{k: v for k, v in r.items() if k not in ("id", "family_members")} for r in _handmade_rows()]
    members = pl.Series("family_members", [r["family_members"] for r in _handmade_rows()],
                        dtype=pl.List(pl.Struct({"relationship": pl.String, "ca_status": pl.String})))
    frame = pl.DataFrame(rows).with_columns(members)
    for data in (frame, frame.to_arrow()):
        out = evaluate_frame(data)
        assert out.height == 4
        assert list(zip(out["stca_result"].cast(pl.String), out["deciding_provision"].cast(pl.String),
                        strict=True)) == [(r, p) for _, r, p in EXPECTED]
    assert evaluate_frame(frame, policy="whole-border")["stca_result"].cast(pl.String).to_list()[3] == "BARRED"


# ------------------------------------------------------------------------------------------- §5 service

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("serve-home")
    env = {k: v for k, v in os.environ.items() if k != "STCA_DATABASE_URL"}
    env.update(XDG_DATA_HOME=str(home / "data"), HOME=str(home))
    # --port 0: the server binds a free port itself and prints it once listening (no port guessed here)
    proc = subprocess.Popen([*stca_bin(), "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        printed = ""
        for line in proc.stdout:  # bounded by the per-test timeout
            printed += line
            if line.startswith("case desk on "):
                break
        found = re.search(r"case desk on (http://127\.0\.0\.1:\d+)/", printed)
        assert found, printed
        url = found.group(1)
        # connections wait in the listening socket's queue until the app serves them
        assert httpx.get(f"{url}/healthz", timeout=60).status_code == 200
        assert any((home / "data").rglob("*.sqlite3")), "embedded database not in the user's data directory"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_service_health_and_openapi(server: str) -> None:
    health = httpx.get(f"{server}/healthz", timeout=10)
    assert health.status_code == 200
    spec = httpx.get(f"{server}/openapi.json", timeout=10)
    assert spec.status_code == 200 and "/api/v1/determinations" in spec.json()["paths"]
    assert "post" in spec.json()["paths"]["/api/v1/determinations"]


def test_service_determinations_are_the_json_of_check(server: str) -> None:
    one = {**BETWEEN_2023, "family_members": [{"relationship": "SISTER", "ca_status": "PERMANENT_RESIDENT"}]}
    many = [one, POE_2016, ROXHAM_2022]
    with httpx.Client(base_url=server, timeout=30) as client:
        got_one = client.post("/api/v1/determinations", json=one)
        got_many = client.post("/api/v1/determinations", json=many)
        got_fr = client.post("/api/v1/determinations", params={"lang": "fr"}, json=one)
        by_policy = {p: client.post("/api/v1/determinations", params={"policy": p}, json=ROXHAM_2022)
                     for p in POLICIES}
        bad_policy = client.post("/api/v1/determinations", params={"policy": "bogus"}, json=one)
        bad_field = client.post("/api/v1/determinations", json={**one, "entry_place": "ROAD"})
    assert got_one.status_code == 200 and got_one.json() == check(one)
    assert got_many.status_code == 200 and isinstance(got_many.json(), list) and got_many.json() == check(many)
    assert got_fr.status_code == 200 and got_fr.json() == check(one, "--lang", "fr")
    assert all(r.status_code == 200 for r in by_policy.values())
    assert by_policy["whole-border"].json()["stca_result"] == "BARRED"
    assert by_policy["law"].json()["stca_result"] == "NOT_APPLICABLE"
    assert bad_policy.status_code == 422 and "policy" in bad_policy.text
    assert bad_field.status_code == 422 and "entry_place" in bad_field.text


# ----------------------------------------------------------------------------------------- §6 simulator

def test_simulate_writes_the_series_charts_summary_and_held_out_errors(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    # A port bound here but not listening refuses every connection, and nobody else can take it meanwhile:
    # a scheduler address that cannot be reached.
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))
    closed = refusing.getsockname()[1]
    sim = subprocess.Popen([*stca_bin(), "simulate", "--scenario", "law", "--from", "2022-01", "--to", "2024-06",
                            "--runs", "20", "--seed", "3", "--train-until", "2023-02", "--out", str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sched = subprocess.Popen([*stca_bin(), "simulate", "--scenario", "law", "--from", "2023-01", "--to", "2023-03",
                              "--runs", "5", "--scheduler", f"tcp://127.0.0.1:{closed}", "--out",
                              str(tmp_path / "sched")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    bad = parallel([(["simulate", "--scenario", "bogus", "--out", str(tmp_path / "bad")], None)])[0]
    sim_out, sim_err = sim.communicate(timeout=180)
    sched_out, sched_err = sched.communicate(timeout=180)
    refusing.close()

    assert bad.returncode == 2 and "--scenario" in bad.stderr and "Traceback" not in bad.stderr

    assert sched.returncode == 2 and sched_out == ""
    assert "--scheduler" in sched_err and f"127.0.0.1:{closed}" in sched_err and "Traceback" not in sched_err

    assert sim.returncode == 0, sim_err[-3000:]
    assert "Canada" in sim_out and "Held-out errors" in sim_out  # the summary table and the forecast errors
    csv = pl.read_csv(out / "series.csv", schema_overrides={"month": pl.String})
    parquet = pl.read_parquet(out / "series.parquet")
    assert csv.columns == SERIES_COLUMNS == parquet.columns
    assert csv.height == parquet.height > 0
    months = sorted(set(csv["month"]))
    assert months[0] == "2022-01" and months[-1] == "2024-06" and len(months) == 30
    assert all(len(m) == 7 and m[4] == "-" for m in months)
    assert set(csv["route"]) == ROUTES and set(csv["measure"]) == MEASURES
    provinces = set(csv["province"])
    assert "CA" in provinces and all(len(p) == 2 and p.isupper() for p in provinces)
    assert (csv["p05"] <= csv["mean"]).all() and (csv["mean"] <= csv["p95"]).all()
    assert (out / "series.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<html" in (out / "series.html").read_text(encoding="utf-8")[:500].lower()
