"""One focused case per provision: each rule of both rule books decides (or is reported) where it should.

A meta-test checks that this table names every rule, so a rule added to the books without a test fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from stca.law import ALL_RULES, Stage, determine

POE = {"entry_place": "LAND_POE", "entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"}
BP = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False, "entry_local_date": "2024-05-01",
      "claim_local_date": "2024-05-03"}
US = {"direction": "CANADA_TO_US", **POE}


def fam(rel: str = "SISTER", **kw: Any) -> dict[str, Any]:
    return {"family_members": [{"relationship": rel, **kw}]}


# rule id -> (facts, policy, expected result or "ground" for parallel rules / "mode" for scope rules)
CASES: dict[str, tuple[dict[str, Any], str, str]] = {
    "CA-S1": ({**POE, "entry_place": "AIRPORT", "in_transit_removal_from_us": True}, "law", "BARRED"),
    "CA-S2": (BP, "law", "BARRED"),
    "CA-R01": ({**POE, "entry_local_date": "2004-12-28", "claim_local_date": "2004-12-28"}, "law",
               "NOT_APPLICABLE"),
    "CA-R01s": ({**POE, "agreement_suspended": True}, "law", "NOT_APPLICABLE"),
    "CA-R02": ({**POE, "came_from_other_party": False}, "law", "NOT_APPLICABLE"),
    "CA-R03": ({**POE, "nationalities": ["MX", "US"]}, "law", "NOT_APPLICABLE"),
    "CA-R04": ({**POE, "nationalities": [], "stateless": True, "former_habitual_residence": "US"}, "law",
               "NOT_APPLICABLE"),
    "CA-R05a": ({**POE, "entry_place": "AIRPORT"}, "law", "NOT_APPLICABLE"),
    "CA-R05b": ({**POE, "entry_place": "HARBOUR_PORT"}, "law", "NOT_APPLICABLE"),
    "CA-R05c": ({**BP, "claim_local_date": "2024-05-15"}, "law", "NOT_APPLICABLE"),
    "CA-R05d": ({**POE, "entry_place": "OTHER_NON_POE"}, "law", "NOT_APPLICABLE"),
    "CA-R05f": ({**POE, "claim_at_entry": False, "entered_at_poe_without_claim": True,
                 "claim_local_date": "2016-09-01"}, "law", "NOT_APPLICABLE"),
    "CA-R06a": ({**POE, **fam(ca_status="CANADIAN_CITIZEN")}, "law", "NOT_BARRED"),
    "CA-R06b1": ({**POE, **fam("MOTHER", ca_status="PROTECTED_PERSON")}, "law", "NOT_BARRED"),
    "CA-R06b2": ({**POE, **fam("GRANDCHILD", ca_status="PERMANENT_RESIDENT")}, "law", "NOT_BARRED"),
    "CA-R06b3": ({**POE, **fam("NEPHEW", ca_status="STAY_R233")}, "law", "NOT_BARRED"),
    "CA-R06c": ({**POE, **fam("BROTHER", ca_status="REFUGEE_CLAIMANT", claim_state="REFERRED_PENDING")}, "law",
                "NOT_BARRED"),
    "CA-R06d": ({**POE, **fam("AUNT", ca_status="STUDY_PERMIT")}, "law", "NOT_BARRED"),
    "CA-R06e": ({**POE, "age_years": 16}, "law", "NOT_BARRED"),
    "CA-R06f1": ({**POE, "documents_held": ["CA_TRV"]}, "law", "NOT_BARRED"),
    "CA-R06f2": ({**POE, "documents_held": ["CA_TRP"]}, "law", "NOT_BARRED"),
    "CA-R06f3": ({**POE, "documents_held": ["CA_PR_TRAVEL_DOC_31_3"]}, "law", "NOT_BARRED"),
    "CA-R06f4": ({**POE, "documents_held": ["CA_REFUGEE_TRAVEL_PAPERS"]}, "law", "NOT_BARRED"),
    "CA-R06f5": ({**POE, "documents_held": ["CA_TEMP_TRAVEL_DOC_R151"]}, "law", "NOT_BARRED"),
    "CA-R06f6": ({**POE, "documents_held": ["CA_WORK_PERMIT"]}, "law", "NOT_BARRED"),
    "CA-R06g": ({**POE, "visa_required_canada": False}, "law", "NOT_BARRED"),
    "CA-R06h1": ({**POE, "refused_entry_us_no_claim_adjudicated": True}, "law", "NOT_BARRED"),
    "CA-R06h2": ({**POE, "ca_pr_removed_from_us_being_returned": True}, "law", "NOT_BARRED"),
    "CA-R07a": ({**POE, "death_penalty": "CHARGED_OR_CONVICTED_US", "death_penalty_offence_punishable_by_death": True},
                "law", "NOT_BARRED"),
    "CA-R07b": ({**POE, "death_penalty": "CHARGED_OR_CONVICTED_OTHER",
                 "death_penalty_offence_punishable_by_death": True}, "law", "NOT_BARRED"),
    "CA-R08": ({**POE, "entry_local_date": "2009-07-22", "claim_local_date": "2009-07-22",
                "tsr_country_national": True}, "law", "NOT_BARRED"),
    "CA-R09t": ({**POE, "entry_place": "AIRPORT", "in_transit_removal_from_us": True,
                 **fam(ca_status="CANADIAN_CITIZEN")}, "law", "BARRED"),
    "CA-R09b": (BP, "law", "BARRED"),
    "CA-R09": (POE, "law", "BARRED"),
    "CA-P-a": ({**POE, "refugee_protection_conferred_in_canada": True}, "law", "ground"),
    "CA-P-b": ({**POE, "prior_canadian_claim": "REJECTED"}, "law", "ground"),
    "CA-P-c": ({**POE, "prior_canadian_claim": "WITHDRAWN_ABANDONED"}, "law", "ground"),
    "CA-P-c1": ({**POE, "claim_local_date": "2019-06-21", "entry_local_date": "2019-06-21",
                 "prior_claim_other_country_confirmed": True}, "law", "ground"),
    "CA-P-d": ({**POE, "recognized_refugee_elsewhere_returnable": True}, "law", "ground"),
    "CA-P-f": ({**POE, "inadmissibility_determined": ["ORGANIZED_CRIMINALITY_37"]}, "law", "ground"),
    "CA-P-b1": ({**POE, "entry_local_date": "2024-01-10", "claim_local_date": "2026-04-01"}, "law", "ground"),
    "CA-P-b2": ({**BP, "entry_local_date": "2026-04-01", "claim_local_date": "2026-04-15"}, "law", "ground"),
    "CA-O-covid": ({**BP, "entry_local_date": "2021-11-20", "claim_local_date": "2021-11-20"}, "law", "covid"),
    "CA-R01j": ({**POE, "entry_local_date": "2008-01-10", "claim_local_date": "2008-01-10"}, "fc2007",
                "NOT_APPLICABLE"),
    "CA-R04b": ({**POE, "former_habitual_residence": "US"}, "fhr", "NOT_APPLICABLE"),
    "US-S1": ({**US, "entry_place": "AIRPORT", "in_transit_removal_from_canada": True, "age_years": 15}, "law",
              "BARRED"),
    "US-S2": ({**BP, "direction": "CANADA_TO_US", "claim_local_date": "2024-05-15"}, "law", "BARRED"),
    "US-R01": ({**US, "entry_local_date": "2004-01-01", "claim_local_date": "2004-01-01"}, "law", "NOT_APPLICABLE"),
    "US-R01s": ({**US, "agreement_suspended": True}, "law", "NOT_APPLICABLE"),
    "US-R02": ({**US, "came_from_other_party": False}, "law", "NOT_APPLICABLE"),
    "US-R03": ({**US, "entry_place": "HARBOUR_PORT"}, "law", "NOT_APPLICABLE"),
    "US-R04A": ({**US, "nationalities": ["CA"]}, "law", "NOT_BARRED"),
    "US-R04B": ({**US, **fam("CHILD", location="US", us_status="ASYLEE")}, "law", "NOT_BARRED"),
    "US-R04C": ({**US, **fam("UNCLE", location="US", age_years=30, us_status="ASYLUM_PENDING",
                              us_asylum_forum="EOIR")}, "law", "NOT_BARRED"),
    "US-R04D": ({**US, "age_years": 17}, "law", "NOT_BARRED"),
    "US-R04E": ({**US, "visa_required_us": False}, "law", "NOT_BARRED"),
    "US-R04F": ({**US, "us_public_interest_determination": True}, "law", "NOT_BARRED"),
    "US-R05b": ({**BP, "direction": "CANADA_TO_US", "claim_local_date": "2024-05-05"}, "law", "BARRED"),
    "US-R05": (US, "law", "BARRED"),
    "US-R04Fr": ({**US, "us_forum": "REMOVAL_PROCEEDINGS", "us_public_interest_determination": True}, "law",
                 "NOT_BARRED"),
    "US-R05r": ({**US, "us_forum": "REMOVAL_PROCEEDINGS"}, "law", "BARRED"),
}

SWITCHES = {"fc2007": {"fc_2007_suspends": True}, "fhr": {"fhr_non_stateless_covered": False}}


@pytest.mark.parametrize("rule_id", list(CASES))
def test_provision(rule_id: str) -> None:
    from stca.law import Switches

    facts, mode, expected = CASES[rule_id]
    sw = Switches(**SWITCHES[mode]) if mode in SWITCHES else None
    d = determine(facts, switches=sw)
    rule = next(r for r in ALL_RULES if r.id == rule_id)
    if expected == "ground":
        assert rule.citation in d.other_ineligibility
    elif expected == "covid":
        assert d.covid_direct_back
    else:
        assert d.stca_result == expected
        if rule.stage is Stage.SCOPE:
            assert any(s.rule.id == rule_id and s.outcome == "applies" for s in d.path)
        else:
            assert d.deciding_rule == rule_id


def test_every_rule_has_a_focused_case() -> None:
    assert {r.id for r in ALL_RULES} == set(CASES)


def test_near_misses_do_not_trigger() -> None:
    """The closed lists and conditions: what looks like an exception but is not one."""
    barred = [
        {**POE, **fam("COUSIN", ca_status="CANADIAN_CITIZEN")},  # 159.1 closed list
        {**POE, **fam("SISTER", location="US", ca_status="CANADIAN_CITIZEN")},  # must be in Canada
        {**POE, **fam("SISTER", ca_status="WORK_PERMIT", age_years=17)},  # (d) needs 18
        {**POE, **fam("SISTER", ca_status="WORK_PERMIT", work_permit_r206_1_b=True)},  # 206(1)(b) excluded
        {**POE, **fam("SISTER", ca_status="REFUGEE_CLAIMANT", claim_state="REJECTED_RAD_PENDING")},  # UNCERTAIN
        {**POE, "documents_held": ["CA_TRANSIT_VISA"]},  # transit-only documents excluded
        {**POE, "age_years": 16, **fam("MOTHER", location="US")},  # parent in the US
        {**POE, "death_penalty": "CHARGED_OR_CONVICTED_US"},  # not a capital offence
        {**POE, "entry_local_date": "2009-07-23", "claim_local_date": "2009-07-23", "tsr_country_national": True},
        {**US, **fam("SISTER", location="US", us_status="B_VISITOR")},  # visitor proviso
        {**US, **fam("COMMON_LAW_PARTNER", location="US", us_status="US_CITIZEN")},  # not on the US list
        {**US, "age_years": 16, "marital": "SPOUSE"},  # (D) unmarried
    ]
    for facts in barred:
        assert determine(facts).stca_result == "BARRED", facts


def test_prior_claim_rules_around_159_01() -> None:
    """law.md §7.10: STCA-ineligible prior claim + refused by the US: 101(1)(c) before 2023-03-25 only."""
    case = {**POE, "refused_entry_us_no_claim_adjudicated": True, "prior_canadian_claim": "INELIGIBLE_STCA"}
    before = determine({**case, "entry_local_date": "2023-03-24", "claim_local_date": "2023-03-24"})
    after = determine({**case, "entry_local_date": "2023-03-25", "claim_local_date": "2023-03-25"})
    assert before.stca_result == after.stca_result == "NOT_BARRED"
    assert before.other_ineligibility == ("IRPA 101(1)(c)",)
    assert after.other_ineligibility == ()


def test_c12_bars_apply_from_royal_assent_and_are_flagged_for_earlier_claims() -> None:
    case = {**BP, "entry_local_date": "2025-07-01", "claim_local_date": "2025-07-20"}
    early = determine({**case, "determination_date": "2026-03-25"})
    late = determine({**case, "determination_date": "2026-03-26"})
    assert early.other_ineligibility == ()
    assert late.other_ineligibility == ("IRPA 101(1)(b.2)",)
    assert "CA-C12-TRANSITION" in late.uncertain
    assert late.stca_result == "NOT_APPLICABLE"


def test_protocol_instant_is_an_instant() -> None:
    """The Protocol took effect at 00:01 EDT on 2023-03-25 (04:01 UTC), not at midnight."""
    case = {**BP, "entry_local_date": "2023-03-25", "claim_local_date": "2023-03-25"}
    assert determine({**case, "entry_instant": "2023-03-25T00:00:30-04:00"}).stca_result == "NOT_APPLICABLE"
    assert determine({**case, "entry_instant": "2023-03-25T00:01:00-04:00"}).stca_result == "BARRED"
    western = determine({**case, "entry_local_date": "2023-03-24", "claim_local_date": "2023-03-25",
                         "entry_instant": "2023-03-24T22:30:00-07:00"})
    assert western.stca_result == "BARRED" and "CA-PROTOCOL-WESTERN-ZONES" in western.uncertain


def test_window_policy_and_switches() -> None:
    case = {**BP, "claim_local_date": "2024-05-21"}  # d = 20
    assert determine(case).stca_result == "NOT_APPLICABLE"
    assert determine(case, policy="window-days=30").stca_result == "BARRED"
    assert determine(case, policy="window-days=20").stca_result == "NOT_APPLICABLE"
    assert determine(case, policy="window-days=21").stca_result == "BARRED"
