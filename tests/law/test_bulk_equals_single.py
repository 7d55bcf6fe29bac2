"""One law, one meaning: the vectorised evaluator gives exactly what ``determine`` gives, row by row,
for generated cases of every shape and every policy (issue #4)."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stca.law import Switches, determine, evaluate_frame
from tests.law.spec_cases import load_cases
from tests.law.strategies import facts

POLICIES = ["law", "no-agreement", "pre-protocol", "whole-border", "suspended", "window-days=7", "window-days=30"]
COLUMNS = ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain")


def _compare(cases: list[dict[str, Any]], policy: str, switches: Switches | None = None) -> None:
    frame = pl.DataFrame(cases, infer_schema_length=None)
    out = evaluate_frame(frame, policy=policy, switches=switches)
    assert out.height == len(cases)
    for i, (case, row) in enumerate(zip(cases, out.select(COLUMNS).iter_rows(named=True), strict=True)):
        d = determine(case, policy=policy, switches=switches)
        single = (d.stca_result, d.deciding_provision, list(d.other_ineligibility), d.covid_direct_back,
                  list(d.uncertain))
        bulk = tuple(row[c] for c in COLUMNS)
        assert bulk == single, (i, policy, case)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(facts(), min_size=1, max_size=60), st.sampled_from(POLICIES))
def test_bulk_equals_single_for_generated_cases(cases: list[dict[str, Any]], policy: str) -> None:
    _compare(cases, policy)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(facts(), min_size=1, max_size=40),
       st.builds(Switches, fhr_non_stateless_covered=st.booleans(), other_non_poe_as_between_ports=st.booleans(),
                 ca_day_14_covered=st.booleans(), protocol_by_claim_date=st.booleans(),
                 inland_after_poe_covered=st.booleans(), rad_pending_qualifies=st.booleans(),
                 accept_permits_as_documents=st.booleans(), fc_2007_suspends=st.booleans(),
                 us_day_14_covered=st.booleans(), us_tps_parole_lawful=st.booleans()))
def test_bulk_equals_single_under_every_switch(cases: list[dict[str, Any]], switches: Switches) -> None:
    _compare(cases, "law", switches)


def test_bulk_equals_single_on_the_spec_cases() -> None:
    cases = [c["input"] for c in load_cases()]
    for policy in POLICIES:
        _compare(cases, policy)
