"""The examples in the simulator's docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ("stca.flows", "stca.flows._choice", "stca.flows._demand", "stca.flows._observed",
           "stca.flows._population", "stca.flows._validation", "stca.flows._scenarios", "stca.flows.baselines",
           "stca.flows.scoring", "stca.data._published", "stca.flows._targets", "stca.flows._run",
           "stca.data._catalog")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
