"""Prepared scenarios shared by the simulator tests (the law engine is asked once per policy and cached)."""

from __future__ import annotations

import pytest

from stca.flows import Prepared, get_scenario, prepare


@pytest.fixture(scope="session")
def prepared() -> dict[str, Prepared]:
    """``law``, ``pre-protocol``, ``whole-border`` and ``close-roxham`` on all data, seed 0."""
    return {name: prepare(get_scenario(name), seed=0)
            for name in ("law", "pre-protocol", "whole-border", "close-roxham")}
