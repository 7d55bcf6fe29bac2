"""One error style, conflicting options and duplicate keys refused, arrays reported whole, the law's dates.

Every command runs as the user runs it (the installed ``stca`` in a subprocess); the independent calls of
a test run concurrently, since most of their time is the interpreter starting.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.conftest import stca_bin

OK = {"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}


def stca(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def together(*calls: tuple[Any, ...]) -> list[subprocess.CompletedProcess[str]]:
    """Run ``stca(*call)`` for each call at once; a call is (args tuple, stdin, env)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda c: stca(*c[0], stdin=c[1] if len(c) > 1 else None,
                                            env=c[2] if len(c) > 2 else None), calls))


def refused(done: subprocess.CompletedProcess[str], *lines: str) -> None:
    """Exit 2, nothing on stdout, and stderr exactly ``stca: …`` lines starting as given."""
    assert done.returncode == 2 and done.stdout == "", (done.returncode, done.stdout, done.stderr)
    got = done.stderr.splitlines()
    assert all(line.startswith("stca: ") for line in got), got
    assert len(got) == len(lines), got
    for line, start in zip(got, lines, strict=True):
        assert line.startswith(start), (line, start)


def test_check_array_names_every_bad_case_with_its_index_up_to_a_limit() -> None:
    few = [OK, {**OK, "entry_local_date": "2024-02-30"}, OK, {**OK, "colour": "red", "age_years": -1}, "x"]
    many = [{**OK, "entry_place": "ROXHAM"}] * 25
    small, big = together((("check",), json.dumps(few)), (("check",), json.dumps(many)))
    assert small.returncode == 2 and small.stdout == ""
    lines = small.stderr.splitlines()
    assert all(ln.startswith("stca: ") for ln in lines)
    assert sorted(ln.split(": ")[1] for ln in lines) == ["[1].entry_local_date", "[3].age_years", "[3].colour", "[4]"]
    big_lines = big.stderr.splitlines()
    assert [ln.split(":")[1].strip() for ln in big_lines[:20]] == [f"[{i}].entry_place" for i in range(20)]
    assert len(big_lines) == 21 and "5 more bad case" in big_lines[-1]


def test_duplicate_keys_are_refused_in_either_language() -> None:
    doc = '{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01", "entry_local_date": "2024-05-02"}'
    en, fr, nested = together(
        (("check",), doc), (("check", "--lang", "fr"), doc),
        (("check",), '[{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01", '
                     '"family_members": [{"relationship": "SISTER", "relationship": "BROTHER"}]}]'))
    refused(en, "stca: entry_local_date: given twice in the same object")
    refused(fr, "stca: entry_local_date: donné deux fois dans le même objet")
    refused(nested, "stca: relationship: given twice")


def test_check_speaks_french_with_lang_fr() -> None:
    bad_json, nothing = together((("check", "--lang", "fr"), "{"), (("check", "--lang", "fr"), "  "))
    refused(bad_json, "stca: entrée: JSON invalide (ligne 1")
    refused(nothing, "stca: entrée: un objet JSON (un cas) ou un tableau")


def test_law_before_the_agreement_says_it_was_not_in_force() -> None:
    en, fr, as_json, after = together((("law", "--date", "2003-01-01"),), (("law", "--date", "2004-12-28", "--lang",
                                                                              "fr"),),
                                      (("law", "--date", "2003-01-01", "--json"),),
                                      (("law", "--date", "2004-12-29", "--json"),))
    assert en.returncode == 0 and "The Agreement was not in force on 2003-01-01" in " ".join(en.stdout.split())
    assert "CA-S1" not in en.stdout and "US-R01" not in en.stdout
    assert "L'Entente n'était pas en vigueur le 2004-12-28" in " ".join(fr.stdout.split())
    before = json.loads(as_json.stdout)
    assert before and all(r["stage"] == "parallel" for r in before), before
    assert any(r["rule"] == "CA-R01" for r in json.loads(after.stdout))


def test_simulate_refuses_conflicting_options_and_months_the_data_do_not_allow(tmp_path: Path) -> None:
    out = str(tmp_path / "sim")
    both, *months = together((("simulate", "--out", out, "--scenario", "law", "--compare", "law,pre-protocol"),),
                             *[(("simulate", "--out", out, "--train-until", m),)
                               for m in ("2023-12", "2024-01", "2024-06", "2030-01")])
    refused(both, "stca: --scenario: cannot be combined with --compare")
    for done in months:
        refused(done, "stca: --train-until: no published monthly figure at or after")
        assert "choose a month from 2017-03 to 2023-06" in done.stderr
    assert not (tmp_path / "sim").exists()


def test_desk_commands_use_the_same_error_style(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    bad_setting, bad_role, audit = together(
        (("db", "upgrade"), None, {"STCA_DATABASE_URL": url, "STCA_SESSION_MAX_AGE_SECONDS": "eight hours"}),
        (("admin", "create-user", "jt", "--role", "boss", "--password-stdin"), "long-enough-pw\n",
         {"STCA_DATABASE_URL": url}),
        (("audit", "verify"), None, {"STCA_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}))
    refused(bad_setting, "stca: STCA_SESSION_MAX_AGE_SECONDS: expected a whole number, got 'eight hours'")
    refused(bad_role, "stca: --role: expected one of intake_officer")
    refused(audit, "stca: STCA_DATABASE_URL: cannot read the audit log there")
