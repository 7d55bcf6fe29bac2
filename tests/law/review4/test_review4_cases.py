"""Fourth independent review: claims made in the United States by people coming from Canada (law.md §2, §6, §7)
and the policy variants for them (review_cases.yaml here, written from law.md / contract.md only).

Each case goes through ``stca.determine`` with its ``policy`` and ``switches``. Besides the comparison of
tests/law/review (result, deciding provision, other_ineligibility, covid_direct_back) it checks
``expected.uncertain`` (ids the result must list), ``expected.uncertain_absent`` (ids it must not list) and
``stca_result: ERROR`` (bad input: ``FactsError`` whose message names the field in ``deciding_rule``).
``review_verdict: spec_ambiguity`` cases are expected failures (strict=False); ``engine_bug`` cases carry
the correct expectation and fail until the engine is fixed.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from stca.law import FactsError, Switches, determine
from tests.conftest import stca_bin
from tests.law.review.test_review_cases import _key as _review_key

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "review_cases.yaml").read_text(encoding="utf-8"))["cases"]
RESULTS = {"BARRED", "NOT_BARRED", "NOT_APPLICABLE"}


def _key(text: str) -> str:
    """``provision_key`` (via tests/law/review); a case-law citation (e.g. '2007 FC 1262') is compared whole."""
    try:
        return _review_key(text)
    except AssertionError:
        return text.strip()


def _switches(case: dict[str, Any]) -> Switches | None:
    return Switches(**case["switches"]) if case.get("switches") else None


def _run(case: dict[str, Any]) -> dict[str, Any]:
    return determine(case["input"], policy=case.get("policy", "law"), switches=_switches(case)).to_dict()


def _check(case: dict[str, Any], got: dict[str, Any]) -> None:
    cid, exp = case["id"], case["expected"]
    assert got["stca_result"] == exp["stca_result"], (cid, got["stca_result"], got["deciding_provision"])
    ours, theirs = _key(got["deciding_provision"]), _key(exp["deciding_rule"])
    assert ours.startswith(theirs) or theirs.startswith(ours), (cid, ours, theirs)
    if "other_ineligibility" in exp:
        assert sorted(got["other_ineligibility"]) == sorted(exp["other_ineligibility"]), (
            cid,
            got["other_ineligibility"],
        )
    if "covid_direct_back" in exp:
        assert got["covid_direct_back"] == exp["covid_direct_back"], cid
    for point in exp.get("uncertain", []):
        assert point in got["uncertain"], (cid, "must list", point, got["uncertain"])
    for point in exp.get("uncertain_absent", []):
        assert point not in got["uncertain"], (cid, "must not list", point, got["uncertain"])


def _params() -> list[Any]:
    out = []
    for c in CASES:
        marks = []
        if c.get("review_verdict") == "spec_ambiguity":
            marks.append(pytest.mark.xfail(reason=c.get("review_note", "spec ambiguity"), strict=False))
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


def test_review4_cases_are_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 100
    for c in CASES:
        assert c["id"].startswith("R4-"), c["id"]
        assert c["description"] and "§" in c["description"], c["id"]
        assert c["expected"]["stca_result"] in RESULTS | {"ERROR"}, c["id"]
        if c["expected"]["stca_result"] in RESULTS:
            _key(c["expected"]["deciding_rule"])
        verdicts = (None, "engine_bug", "engine_bug_fixed", "resolved", "spec_ambiguity")
        assert c.get("review_verdict") in verdicts, c["id"]


@pytest.mark.parametrize("case", _params())
def test_review4_case(case: dict[str, Any]) -> None:
    if case["expected"]["stca_result"] == "ERROR":
        with pytest.raises(FactsError) as err:
            _run(case)
        assert case["expected"]["deciding_rule"] in str(err.value), (case["id"], str(err.value))
        return
    _check(case, _run(case))


def test_review4_check_command_equals_determine() -> None:
    """``stca check --policy P --switch ...`` on one JSON array per (policy, switches) gives ``determine``'s answers."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in CASES:
        if c["expected"]["stca_result"] != "ERROR":
            groups[(c.get("policy", "law"), json.dumps(c.get("switches") or {}, sort_keys=True))].append(c)
    for (policy, sw), cases in groups.items():
        args = [*stca_bin(), "check", "--policy", policy]
        for name, value in json.loads(sw).items():
            args += ["--switch", f"{name}={str(value).lower()}"]
        proc = subprocess.run(
            args, input=json.dumps([c["input"] for c in cases]), capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, (policy, sw, proc.stderr)
        results = json.loads(proc.stdout)
        assert len(results) == len(cases)
        for case, got in zip(cases, results, strict=True):
            single = _run(case)
            for key in ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain"):
                assert got[key] == single[key], (case["id"], key, got[key], single[key])
