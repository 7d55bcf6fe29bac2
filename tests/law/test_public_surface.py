"""An honest public surface (issue 10 part 5) and a light start-up (part 6).

What other packages use of the law is public: ``stca.law.__all__`` is exactly its public names, nothing is
reached through a lazy ``__getattr__``, and no code outside ``stca/law`` imports an underscore module of it.
One determination (``stca check``) imports neither numpy, pyarrow nor polars.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import types
from pathlib import Path

import stca
import stca.law
import stca.law.frame
from tests.conftest import ROOT


def _public(module: types.ModuleType) -> list[str]:
    return sorted(n for n, v in vars(module).items() if not n.startswith("_") and not isinstance(v, types.ModuleType))


def test_all_equals_the_public_names() -> None:
    for module in (stca.law, stca.law.frame):
        assert sorted(module.__all__) == _public(module), module.__name__
        assert not hasattr(module, "__getattr__"), module.__name__
    assert sorted(stca.__all__) == sorted(n for n in _public(stca) if n != "law")


def test_no_package_imports_a_private_module_of_the_law() -> None:
    offenders = []
    for folder in (ROOT / "stca", ROOT / "benchmarks"):
        for path in folder.rglob("*.py"):
            if (ROOT / "stca" / "law") in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith("stca.law._")]
    assert not offenders


def test_one_determination_imports_no_numpy_pyarrow_or_polars() -> None:
    case = {"entry_local_date": "2019-03-01", "claim_local_date": "2019-03-01", "nationalities": ["us"],
            "entry_instant": "2019-03-01T10:30-05:00"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "stca", "check"], input=json.dumps(case),
                          capture_output=True, text=True, timeout=60, cwd=Path(ROOT))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["stca_result"] == "NOT_APPLICABLE"
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert "pydantic" in imported  # the measurement sees the imports
    assert not imported & {"numpy", "pyarrow", "polars", "pandas"}
