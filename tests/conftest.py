"""Shared test fixtures: the spec directory beside the repository and the project's command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path(os.environ.get("STCA_SPEC_DIR", ROOT.parent / "shared" / "spec"))


def stca_bin() -> list[str]:
    """The installed ``stca`` console script of this environment."""
    exe = Path(sys.executable).with_name("stca")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "stca"]


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    """``../shared/spec`` — the test suite reads cases.yaml from there, never a copy."""
    assert (SPEC / "cases.yaml").exists(), f"cases.yaml not found in {SPEC}"
    return SPEC
