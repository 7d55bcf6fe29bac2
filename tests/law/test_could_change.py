"""What could change the result (issue 10 part 4): the facts nobody gave whose other values would change
``stca_result``, the same through ``determine``, ``stca check``, the API and a population."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stca.law import FACT_TABLE, could_change, could_change_frame, determine
from tests.conftest import stca_bin
from tests.law.spec_cases import load_cases
from tests.law.strategies import facts

POE_2016 = {"entry_place": "LAND_POE", "entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"}


def _single(case: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(c["fact"], c["values"], c["stca_result"], c["deciding_provision"])
            for c in determine(case).to_dict(could_change=True)["could_change"]]


def _population(cases: list[dict[str, Any]]) -> list[list[tuple[Any, ...]]]:
    column = could_change_frame(pl.DataFrame(cases, infer_schema_length=None))
    return [[(c["fact"], json.loads(c["values"]), c["stca_result"], c["deciding_provision"]) for c in row]
            for row in column.to_list()]


def test_a_barred_case_lists_the_exceptions_still_open() -> None:
    changes = {(c.fact, c.deciding_rule) for c in could_change(POE_2016)}
    assert ("family_members", "CA-R06a") in changes  # a citizen relative in Canada, IRPR 159.5(a)
    assert ("documents_held", "CA-R06f2") in changes  # a temporary resident permit, 159.5(f)
    assert ("age_years", "CA-R06e") in changes  # an unaccompanied minor, 159.5(e)
    assert {c.stca_result for c in could_change(POE_2016)} == {"NOT_BARRED", "NOT_APPLICABLE"}


def test_given_facts_are_never_tried() -> None:
    answered = {**POE_2016, "family_members": [], "documents_held": [], "age_years": 35}
    facts_tried = {c.fact for c in could_change(answered)}
    assert not facts_tried & {"family_members", "documents_held", "age_years", "entry_place"}
    assert "visa_required_canada" in facts_tried  # still unanswered, and it decides (159.5(g))


def test_each_entry_names_the_provision_and_reads_in_french() -> None:
    entry = next(c for c in determine(POE_2016).to_dict("fr", could_change=True)["could_change"]
                 if c["fact"] == "documents_held")
    assert entry["deciding_provision"].startswith("IRPR 159.5(f)") and entry["values"]
    assert "Documents" in entry["meaning"] and entry["rule_title"]
    assert "could_change" not in determine(POE_2016).to_dict()  # asked for, not always computed


def test_facts_that_no_consulted_rule_reads_cannot_change_the_result() -> None:
    """A NOT_APPLICABLE decided early (before the Agreement) reads few facts; only those are tried."""
    early = {"entry_local_date": "2003-01-01", "claim_local_date": "2003-01-01"}
    assert {c.fact for c in could_change(early)} <= {"direction", "entry_place", "agreement_suspended"}


def test_spec_cases_single_equals_population() -> None:
    cases = [c["input"] for c in load_cases()]
    assert [_single(c) for c in cases] == _population(cases)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(facts(), min_size=1, max_size=10))
def test_generated_cases_single_equals_population(cases: list[dict[str, Any]]) -> None:
    """The population side tries every fact on every row; the single side only those its walk consulted —
    so this also proves the pruning loses nothing."""
    assert [_single(c) for c in cases] == _population(cases)


def test_stca_check_and_every_fact_has_probes_or_is_dated() -> None:
    proc = subprocess.run([*stca_bin(), "check", "--could-change"], input=json.dumps(POE_2016), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["could_change"] == determine(POE_2016).to_dict(could_change=True)["could_change"]
    dated = {"entry_instant", "entry_local_date", "claim_local_date", "determination_date",
             "first_entry_after_2020_06_24", "policy_accept_permits_as_documents"}
    assert {f.name for f in FACT_TABLE if not f.probes()} == dated


def test_stca_bulk_lists_what_each_row_left_unset(tmp_path: Any) -> None:
    """An empty CSV cell is a fact not given, as a missing key is for one case."""
    from stca.bulk import evaluate_file

    source = tmp_path / "cases.csv"
    source.write_text("entry_local_date,claim_local_date,age_years,documents_held\n"
                      "2016-06-01,2016-06-01,30,\n2016-06-01,2016-06-01,,[]\n")
    evaluate_file(source, tmp_path / "out.parquet", could_change=True)
    got = [[(c["fact"], json.loads(c["values"])) for c in row]
           for row in pl.read_parquet(tmp_path / "out.parquet")["could_change"].to_list()]
    dates = {"entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"}
    for row, case in zip(got, ({**dates, "age_years": 30}, {**dates, "documents_held": []}), strict=True):
        assert row == [(c["fact"], c["values"]) for c in determine(case).to_dict(could_change=True)["could_change"]]
    assert any(f == "documents_held" for f, _ in got[0]) and not any(f == "age_years" for f, _ in got[0])
