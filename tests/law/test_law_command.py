"""``stca law``: the rules on a date, what changed, the UNCERTAIN points — from the rules' own data."""

from __future__ import annotations

import json
import subprocess

import pytest

import stca.law
from tests.conftest import stca_bin


def _law(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*stca_bin(), "law", *args], capture_output=True, text=True, timeout=60)


def test_protocol_day_diff() -> None:
    out = json.loads(_law("--diff", "2023-03-24", "2023-03-26", "--json").stdout)
    assert {r["rule"] for r in out["added"]} == {"CA-S2", "US-S2"}
    assert out["removed"] == []


def test_moratorium_repeal_and_c12() -> None:
    out = json.loads(_law("--diff", "2009-07-22", "2026-04-01", "--json", "--country", "CA").stdout)
    assert "CA-R08" in {r["rule"] for r in out["removed"]}
    assert {"CA-P-b1", "CA-P-b2", "CA-P-c1", "CA-S2"} <= {r["rule"] for r in out["added"]}


def test_rules_on_a_date_carry_citations_and_dates() -> None:
    rows = json.loads(_law("--date", "2023-03-25", "--json").stdout)
    byid = {r["rule"]: r for r in rows}
    assert byid["CA-S2"]["citation"] == "IRPR 159.4(1.1)" and byid["CA-S2"]["in_force_from"] == "2023-03-25"
    assert "CA-R08" not in byid


def test_uncertain_points_are_listed_with_switches() -> None:
    rows = json.loads(_law("--uncertain", "--json").stdout)
    switches = {r["switch"] for r in rows if r["switch"]}
    assert switches == set(stca.law.Switches.model_fields)


def test_bad_date_exits_2() -> None:
    proc = _law("--date", "2023-02-30")
    assert proc.returncode == 2 and "--date" in proc.stderr


def test_public_surface_is_unique_and_importable() -> None:
    # ordering of __all__ is ruff's RUF022 (constants, classes, functions), checked by the linter
    assert len(set(stca.law.__all__)) == len(stca.law.__all__)
    for name in stca.law.__all__:
        assert getattr(stca.law, name) is not None


def test_law_core_imports_no_shell_code() -> None:
    """stca/law is pure: no web, database, simulator or CLI imports."""
    import ast
    from pathlib import Path

    banned = ("fastapi", "sqlalchemy", "stca.desk", "stca.flows", "stca.cli", "stca._cli", "dask", "typer",
              "requests", "httpx", "os", "pathlib", "open")
    for path in Path(stca.law.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for name in names:
                    assert not name.startswith(banned), (path.name, name)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", path.name


def test_top_level_python_api() -> None:
    import stca

    d = stca.determine({"entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"})
    assert (d.stca_result, d.deciding_provision) == ("BARRED", "IRPA 101(1)(e); IRPR 159.3")
    assert stca.evaluate_frame is stca.law.evaluate_frame
    with pytest.raises(AttributeError):
        _ = stca.no_such_name


def test_every_cited_source_is_known() -> None:
    for rule in stca.law.ALL_RULES:
        assert rule.citation.strip(), rule.id
        for sid in rule.sources:
            src = stca.law.SOURCES[sid]
            assert src.url.startswith(("https://", "http://")) and src.tier[0] in "POS", sid


def test_rules_reference_in_docs_is_current() -> None:
    """docs/rules.md and docs/rules.fr.md are exactly what `stca law --markdown` prints now."""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    for lang, name in (("en", "rules.md"), ("fr", "rules.fr.md")):
        proc = subprocess.run([*stca_bin(), "law", "--markdown", "--lang", lang], capture_output=True, text=True,
                              check=True)
        assert proc.stdout == (docs / name).read_text(encoding="utf-8"), f"regenerate docs/{name}"
        assert proc.stdout.count("\n| CA-") + proc.stdout.count("\n| US-") == len(stca.law.ALL_RULES)
