"""Every scenario of spec/cases.yaml, through the Python API and through ``stca check``."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from stca.law import determine
from tests.conftest import stca_bin
from tests.law.spec_cases import load_cases, provision_key

CASES = load_cases()


def _check(case: dict[str, Any], got: dict[str, Any]) -> None:
    exp = case["expected"]
    assert got["stca_result"] == exp["stca_result"], case["id"]
    ours, theirs = provision_key(got["deciding_provision"]), provision_key(exp["deciding_rule"])
    # the spec sometimes cites the paragraph (208.30(e)(6)) where the engine cites the clause (…(e)(6)(i))
    assert ours.startswith(theirs) or theirs.startswith(ours), (case["id"], ours, theirs)
    if "other_ineligibility" in exp:
        assert sorted(got["other_ineligibility"]) == sorted(exp["other_ineligibility"]), case["id"]
    if "covid_direct_back" in exp:
        assert got["covid_direct_back"] == exp["covid_direct_back"], case["id"]


def test_counts_match_the_spec() -> None:
    assert len(CASES) == 84


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_through_the_api(case: dict[str, Any]) -> None:
    _check(case, determine(case["input"]).to_dict())


def test_all_cases_through_stca_check_as_one_array() -> None:
    """contract.md §2: an array on standard input gives an array of results, in order."""
    proc = subprocess.run(
        [*stca_bin(), "check"], input=json.dumps([c["input"] for c in CASES]), capture_output=True, text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert isinstance(results, list) and len(results) == len(CASES)
    for case, got in zip(CASES, results, strict=True):
        _check(case, got)
        for key in ("path", "uncertain", "explanation", "law_version"):
            assert key in got


def test_french_explanations_through_stca_check() -> None:
    proc = subprocess.run([*stca_bin(), "check", "--lang", "fr"], input=json.dumps(CASES[0]["input"]),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert isinstance(out, dict)
    assert "Entente" in out["explanation"] and "irrecevable" in out["explanation"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_step_of_every_path_gives_a_reason(lang: str) -> None:
    """A user reading the path sees why each rule was or was not met, in either language."""
    for case in CASES:
        for step in determine(case["input"]).to_dict(lang)["path"]:
            assert step["reason"].strip(), (case["id"], step["rule"], lang)


def test_uncertain_points_read_in_french() -> None:
    """A French explanation that relies on an UNCERTAIN point names it in French."""
    from stca.law import POINTS

    assert all(p.describe("fr") and p.describe("fr") != p.description for p in POINTS)
    relying = [c for c in CASES if determine(c["input"]).uncertain]
    assert relying, "cases.yaml has cases that rely on UNCERTAIN points"
    for case in relying:
        d = determine(case["input"])
        fr = d.explanation("fr")
        assert "points de droit non tranchés" in fr
        for point_id in d.uncertain:
            point = next(p for p in POINTS if p.id == point_id)
            assert point.describe("fr") in fr and point.description not in fr, case["id"]
        assert d.to_dict("fr")["uncertain_points"][0]["point"] == next(
            p for p in POINTS if p.id == d.uncertain[0]).describe("fr")
