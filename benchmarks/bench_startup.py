"""Start-up of one determination: a one-case ``stca check`` process against the least such a process must do.

Figure (issue 10, part 6): the wall time of ``stca check case.json`` on one case (interpreter start,
imports, validation, one determination, JSON out), as a ratio to a process that only imports pydantic and
typer and parses the same JSON — the floor for any command line built on those two. Target ≤ 1.3×.
A second figure shows the same case with ``--could-change`` (about thirty more determinations), for scale.
Processes alternate and the best of 9 of each is kept, to damp the machine.
"""

from __future__ import annotations

import json
import sys

from benchmarks._harness import VENV_BIN, Figure, run_child, scratch_dir

_CASE = {"entry_place": "LAND_POE", "entry_instant": "2024-05-01T10:00-04:00", "entry_local_date": "2024-05-01",
         "claim_local_date": "2024-05-01", "nationalities": ["co"], "age_years": 29,
         "family_members": [{"relationship": "SISTER", "location": "CANADA", "ca_status": "WORK_PERMIT"}]}
#: The baseline process: what any pydantic + typer command line pays before doing its own work.
_FLOOR = "import json, sys, pydantic, typer; json.loads(open(sys.argv[1], encoding='utf-8').read())"


def run(quick: bool = False) -> list[Figure]:
    """One-case ``stca check`` vs pydantic + typer + JSON parse, both as fresh processes."""
    path = scratch_dir() / "startup-case.json"
    path.write_text(json.dumps(_CASE))
    stca = str(VENV_BIN / "stca")
    repeat = 5 if quick else 9
    floor, check, could = [], [], []
    for _ in range(repeat):
        floor.append(run_child([sys.executable, "-c", _FLOOR, str(path)]).seconds)
        check.append(run_child([stca, "check", str(path)]).seconds)
        could.append(run_child([stca, "check", "--could-change", str(path)]).seconds)
    base, one, more = min(floor), min(check), min(could)
    return [
        Figure("stca check, one case (process wall time)", one, "s",
               baseline=f"python importing pydantic + typer and parsing the same JSON: {base:.3f} s",
               ratio=one / base, target="≤ 1.3× the baseline", met=one / base <= 1.3),
        Figure("stca check --could-change, one case (process wall time)", more, "s",
               baseline=f"the same baseline: {base:.3f} s", ratio=more / base),
    ]
