"""Third independent review: two or more mutations of every cases.yaml scenario (``derived_from``; see
tests/law/review_harness.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.law import review_harness as review
from tests.law.spec_cases import load_cases

CASES = review.load(Path(__file__).resolve().parent)


def test_cases_are_well_formed() -> None:
    review.assert_well_formed(CASES, "R3-", 230)
    spec_ids = {c["id"] for c in load_cases()}
    assert {c["derived_from"] for c in CASES} == spec_ids
    for sid in spec_ids:
        assert sum(c["derived_from"] == sid for c in CASES) >= 2, sid


@pytest.mark.parametrize("case", review.params(CASES))
def test_case(case: dict[str, Any]) -> None:
    review.check(case)


def test_check_command_equals_determine() -> None:
    review.assert_check_command_equals_determine(CASES)
