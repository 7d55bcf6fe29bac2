"""The project's copy of the specification (spec/) is complete, and still equals the original when it is at hand.

The original lives in the workspace the project was built in (``../shared/spec/`` beside the checkout); a
fresh clone has no such folder, so the comparison runs only where it exists, and the suite needs nothing
outside the repository.
"""

from __future__ import annotations

import yaml

from tests.conftest import ROOT, SPEC

FILES = ("cases.yaml", "law.md", "contract.md", "sources.md")
ORIGINAL = ROOT.parent / "shared" / "spec"


def test_copy_is_complete_and_states_its_origin() -> None:
    for name in FILES:
        assert (SPEC / name).stat().st_size > 1000, name
    assert yaml.safe_load((SPEC / "cases.yaml").read_text(encoding="utf-8"))["cases"]
    readme = (SPEC / "README.md").read_text(encoding="utf-8")
    assert "verbatim copy" in readme and "../shared/spec/" in readme


def test_copy_equals_the_original_when_it_is_beside_the_checkout() -> None:
    """Where the original exists (the build workspace), a change there fails here until it is copied in."""
    if not ORIGINAL.is_dir():  # a fresh clone: the copy is all there is, checked above
        return
    for name in FILES:
        assert (SPEC / name).read_bytes() == (ORIGINAL / name).read_bytes(), (
            f"spec/{name} differs from {ORIGINAL / name}: copy the new version into spec/")
