"""Shared test fixtures: the project's copy of the specification and the project's command line."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The project's own copy of the specification (spec/README.md says where it comes from).
SPEC = ROOT / "spec"


def stca_bin() -> list[str]:
    """The installed ``stca`` console script of this environment."""
    exe = Path(sys.executable).with_name("stca")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "stca"]
