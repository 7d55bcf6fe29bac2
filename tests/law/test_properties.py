"""Properties the law must have, checked on generated cases of every shape (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stca.law import ALL_RULES, Stage, determine
from tests.law.strategies import facts

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shift(case: dict[str, Any], days: int) -> dict[str, Any]:
    out = dict(case)
    for key in ("entry_local_date", "claim_local_date", "determination_date"):
        if key in out:
            out[key] = (dt.date.fromisoformat(out[key]) + dt.timedelta(days=days)).isoformat()
    out.pop("entry_instant", None)
    out.pop("first_entry_after_2020_06_24", None)
    return out


@SETTINGS
@given(facts())
def test_nothing_is_barred_before_the_agreement(case: dict[str, Any]) -> None:
    """IRPR 159.1–159.7 and 8 CFR 208.30(e)(6) took effect 2004-12-29."""
    if dt.date.fromisoformat(case["claim_local_date"]) < dt.date(2004, 12, 29):
        assert determine(case).stca_result == "NOT_APPLICABLE"


@SETTINGS
@given(facts(direction="US_TO_CANADA"), st.lists(st.sampled_from(["CO", "MX", "CA"]), max_size=2))
def test_a_us_national_is_never_barred_in_canada(case: dict[str, Any], others: list[str]) -> None:
    """IRPA 101(1)(e): "other than a country of their nationality"."""
    case = {**case, "nationalities": ["US", *others], "stateless": False}
    assert determine(case).stca_result == "NOT_APPLICABLE"


@SETTINGS
@given(facts(direction="US_TO_CANADA", entry_place="LAND_POE", claim_at_entry=True),
       st.sampled_from(["SPOUSE", "CHILD", "MOTHER", "SISTER", "UNCLE", "NIECE", "GRANDFATHER"]),
       st.sampled_from(["CANADIAN_CITIZEN", "PERMANENT_RESIDENT", "PROTECTED_PERSON", "STAY_R233"]))
def test_established_family_exception_at_a_land_poe_is_never_barred(case: dict[str, Any], rel: str,
                                                                    status: str) -> None:
    """IRPR 159.5(a)–(b): a family member in Canada with status makes the Agreement inapplicable."""
    member = {"relationship": rel, "location": "CANADA", "ca_status": status}
    case = {**case, "family_members": [*case.get("family_members", []), member]}
    assert determine(case).stca_result != "BARRED"


@SETTINGS
@given(facts(), st.integers(1, 20), st.integers(1, 20))
def test_crossing_the_protocol_date_changes_between_ports_outcomes_only(case: dict[str, Any], before: int,
                                                                       after: int) -> None:
    """The Additional Protocol (2023-03-25) changed the scope for between-ports entries and nothing else."""
    base = _shift(case, 0)
    entry = dt.date.fromisoformat(base["entry_local_date"])
    gap = (dt.date.fromisoformat(base["claim_local_date"]) - entry).days
    if gap > 20:
        return
    early = _shift(base, (dt.date(2023, 3, 24) - dt.timedelta(days=before + gap) - entry).days)
    late = _shift(base, (dt.date(2023, 3, 26) + dt.timedelta(days=after) - entry).days)
    a, b = determine(early), determine(late)
    if a.stca_result != b.stca_result:
        assert base.get("entry_place") == "BETWEEN_POES_LAND", (a.deciding_rule, b.deciding_rule)


@SETTINGS
@given(facts())
def test_the_path_ends_with_the_deciding_rule_and_explanations_exist(case: dict[str, Any]) -> None:
    d = determine(case)
    decide = [s for s in d.path if s.rule.stage is Stage.DECIDE and s.outcome not in ("not met", "not in force")]
    assert len(decide) == 1 and decide[0].rule.id == d.deciding_rule
    assert decide[0].outcome == d.stca_result
    en, fr = d.explanation("en"), d.explanation("fr")
    assert en and fr and en != fr
    assert d.deciding_provision in en and d.deciding_provision in fr


@SETTINGS
@given(facts())
def test_no_agreement_and_suspension_leave_nothing_in_scope(case: dict[str, Any]) -> None:
    assert determine(case, policy="no-agreement").stca_result == "NOT_APPLICABLE"
    assert determine(case, policy="suspended").stca_result == "NOT_APPLICABLE"


@SETTINGS
@given(facts(direction="US_TO_CANADA", entry_place="BETWEEN_POES_LAND"))
def test_pre_protocol_keeps_between_ports_outside_and_whole_border_brings_it_in(case: dict[str, Any]) -> None:
    assert determine(case, policy="pre-protocol").stca_result == "NOT_APPLICABLE"
    law = determine(case)
    whole = determine(case, policy="whole-border")
    if law.stca_result != "NOT_APPLICABLE":
        assert whole.stca_result != "NOT_APPLICABLE"
    if whole.deciding_rule.startswith("CA-R05"):
        raise AssertionError("whole-border must not decide a land-border entry by place")


@SETTINGS
@given(st.integers(0, 30), st.sampled_from(["US_TO_CANADA", "CANADA_TO_US"]))
def test_day_counts_canada_less_than_14_us_within_14(d: int, direction: str) -> None:
    """law.md §7.1: Canada covers d <= 13, the US d <= 14 (UNCERTAIN, flagged)."""
    entry = dt.date(2024, 5, 1)
    case = {"direction": direction, "entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False,
            "entry_local_date": entry.isoformat(), "claim_local_date": (entry + dt.timedelta(days=d)).isoformat()}
    r = determine(case)
    limit = 13 if direction == "US_TO_CANADA" else 14
    assert (r.stca_result == "BARRED") == (d <= limit)
    if direction == "CANADA_TO_US":
        assert ("US-DAY-14" in r.uncertain) == (d == 14)


def test_every_rule_has_english_and_french_text() -> None:
    for rule in ALL_RULES:
        for text in (rule.title, rule.met):
            assert text.en.strip() and text.fr.strip(), rule.id
            assert text.en != text.fr, rule.id
        if not rule.id.startswith(("CA-R09", "US-R05")):
            assert rule.not_met.en.strip() and rule.not_met.fr.strip(), rule.id
