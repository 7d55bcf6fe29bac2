"""First independent review: 181 scenarios across law.md §1–7 (see tests/law/review_harness.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.law import review_harness as review

CASES = review.load(Path(__file__).resolve().parent)


def test_cases_are_well_formed() -> None:
    review.assert_well_formed(CASES, "RV-", 180)


@pytest.mark.parametrize("case", review.params(CASES))
def test_case(case: dict[str, Any]) -> None:
    review.check(case)


def test_check_command_equals_determine() -> None:
    review.assert_check_command_equals_determine(CASES)
