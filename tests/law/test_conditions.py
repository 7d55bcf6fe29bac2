"""Rule conditions as typed expressions (issue 10, part 2): one tree per condition gives the one-case
engine, the numpy walk, the polars backend and the text a reader sees — and they agree."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stca.law import ALL_RULES, RULES_BY_ID, Switches
from stca.law._expr import CASE, Expr, compile_py, fold, render
from stca.law._frame import normalize
from stca.law._policy import parse_policy
from stca.law._rulebook import in_force, plan
from stca.law._vector import evaluate_normalized
from tests.law.strategies import facts

POLICIES = ["law", "no-agreement", "pre-protocol", "whole-border", "suspended", "window-days=30"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(facts(), min_size=1, max_size=50), st.sampled_from(POLICIES),
       st.builds(Switches, other_non_poe_as_between_ports=st.booleans(), ca_day_14_covered=st.booleans(),
                 protocol_by_claim_date=st.booleans(), rad_pending_qualifies=st.booleans(),
                 us_day_14_covered=st.booleans(), us_tps_parole_lawful=st.booleans()))
def test_the_polars_backend_equals_the_numpy_walk(cases: list[dict[str, Any]], policy: str,
                                                   switches: Switches) -> None:
    typed = normalize(pl.DataFrame(cases, infer_schema_length=None))
    numpy = evaluate_normalized(typed, policy, switches, backend="numpy")
    polars = evaluate_normalized(typed, policy, switches, backend="polars")
    assert polars.to_dicts() == numpy.to_dicts()


def test_a_condition_is_a_tree_not_a_value() -> None:
    cond = (CASE.place == 2) & CASE.transit_us
    assert isinstance(cond, Expr)
    with pytest.raises(TypeError, match="no truth value"):
        bool(cond)


def test_switches_and_parameters_fold_to_constants() -> None:
    p = parse_policy("law").compiled
    s2 = RULES_BY_ID["CA-S2"].when
    folded = fold(s2, p, Switches())
    text = render(folded)
    assert "switch" not in text and "window_days" not in text and "policy" not in text
    assert "< 14" in text
    assert "< 15" in render(fold(s2, p, Switches(ca_day_14_covered=True)))
    # under policy whole-border the between-ports window never opens: the condition is false outright
    assert render(fold(s2, parse_policy("whole-border").compiled, Switches())) == "false"


def test_one_case_and_arrays_compile_from_the_same_tree() -> None:
    import numpy as np

    cond = fold((CASE.age < 18) & CASE.NOT(CASE.accompanied), parse_policy("law").compiled, Switches())

    class One:
        age, accompanied = 16, False

    class Many:
        age, accompanied = np.array([16, 16, 30]), np.array([False, True, False])

    assert compile_py(cond, arrays=False)(One()) is True
    assert compile_py(cond, arrays=True)(Many()).tolist() == [True, False, False]


def test_every_rule_condition_reads_as_text() -> None:
    for rule in ALL_RULES:
        text = render(rule.when)
        assert text and "Expr(" not in text, rule.id
    assert render(RULES_BY_ID["CA-R01"].when) == "claim_local_date < agreement"
    # as docs/rules.md and `stca law --rule` show it: the law's dates, named lists by name
    assert RULES_BY_ID["CA-R01"].condition() == "claim_local_date < 2004-12-29"
    assert "member.relationship in the family members of IRPR 159.1" in RULES_BY_ID["CA-R06a"].condition()


def test_the_in_force_check_honours_the_claim_date_switch() -> None:
    """CA-S2 is in force for an entry before the Protocol only when the claim-date reading is chosen."""
    rule = RULES_BY_ID["CA-S2"]
    p = parse_policy("law").compiled

    class Case:
        instant = p.sec["protocol"] - 3600
        claim_day = p.day["protocol"] + 1

    assert compile_py(fold(in_force(rule), p, Switches()), arrays=False)(Case()) is False
    assert compile_py(fold(in_force(rule), p, Switches(protocol_by_claim_date=True)), arrays=False)(Case()) is True
    assert plan("CA", p, Switches()) is plan("CA", p, Switches())  # folded and compiled once per policy
