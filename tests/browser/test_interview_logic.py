"""The interview's engine-driven question choice and the French catalog, without a browser.

These run in milliseconds and pin the behaviour the browser scenarios rely on: a question is asked
only when the law engine reads its fact for this person on this date and an answer could change
the outcome.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from stca.desk.web._asking import visible_questions
from stca.desk.web._form import InterviewForm, parse_form
from stca.desk.web._i18n import LOCALE_DIR
from stca.law import determine

WEB_DIR = Path(__file__).resolve().parents[2] / "stca" / "desk" / "web"


def asked(policy: str = "law", **answers: object) -> set[str]:
    """Keys of the questions the interview shows after these answers (under ``policy``)."""
    state = InterviewForm(answers={"direction": "US_TO_CANADA", **answers})
    facts = state.facts()
    assert facts is not None
    return {q.key for q in visible_questions(facts, determine(facts, policy=policy), state.answers, policy=policy)}


def provision(policy: str = "law", **answers: object) -> str:
    """The deciding provision the engine gives for the facts these answers make."""
    facts = InterviewForm(answers={"direction": "US_TO_CANADA", **answers}).facts()
    assert facts is not None
    return determine(facts, policy=policy).deciding_provision


def test_between_ports_before_the_protocol_asks_no_claim_date_and_no_family() -> None:
    keys = asked(entry_place="BETWEEN_POES_LAND", entry_local_date="2019-06-10")
    assert "claim_local_date" not in keys
    assert "family_members" not in keys
    assert "in_transit_removal_from_us" not in keys


def test_between_ports_after_the_protocol_asks_claim_date_and_family() -> None:
    keys = asked(entry_place="BETWEEN_POES_LAND", entry_local_date="2023-06-10")
    assert {"claim_local_date", "family_members", "documents_held"} <= keys


def test_airport_asks_transit_but_not_family() -> None:
    keys = asked(entry_place="AIRPORT", entry_local_date="2024-05-01")
    assert "in_transit_removal_from_us" in keys
    assert "family_members" not in keys
    assert "claim_local_date" not in keys


def test_land_port_asks_family_but_not_transit_or_claim_date() -> None:
    keys = asked(entry_place="LAND_POE", entry_local_date="2024-05-01")
    assert {"family_members", "claim_at_entry", "documents_held"} <= keys
    assert "in_transit_removal_from_us" not in keys
    assert "claim_local_date" not in keys


def test_minor_questions_appear_only_for_a_minor() -> None:
    adult = asked(entry_place="LAND_POE", entry_local_date="2024-05-01")
    minor = asked(entry_place="LAND_POE", entry_local_date="2024-05-01", age_years=15)
    assert "accompanied_by_parent_or_legal_guardian" not in adult
    assert {"accompanied_by_parent_or_legal_guardian", "parent_or_legal_guardian_in_us"} <= minor


def test_a_given_answer_stays_visible_even_when_it_no_longer_matters() -> None:
    keys = asked(entry_place="AIRPORT", entry_local_date="2024-05-01", documents_held=["CA_TRV"])
    assert "documents_held" in keys


US_CLAIM = {"direction": "CANADA_TO_US", "entry_local_date": "2024-05-01"}
CANADIAN_ONLY = {"refused_entry_us_no_claim_adjudicated", "death_penalty", "tsr_country_national",
                 "inadmissibility_determined", "prior_canadian_claim", "claim_at_entry", "in_transit_removal_from_us"}


def test_a_claim_in_the_us_asks_the_us_exceptions_and_no_canadian_question() -> None:
    keys = asked(entry_place="LAND_POE", **US_CLAIM)
    assert {"family_members", "documents_held", "visa_required_us", "us_public_interest_determination",
            "age_years"} <= keys
    assert not keys & CANADIAN_ONLY
    assert provision(entry_place="LAND_POE", **US_CLAIM).startswith("8 CFR 208.30(e)(6)(i)")
    # A relative in the US with lawful status: exception (iii)(B), read from the family answers.
    sister = {"relationship": "SISTER", "location": "US", "age_years": 30, "us_status": "LPR"}
    assert provision(entry_place="LAND_POE", family_members=[sister], **US_CLAIM) == "8 CFR 208.30(e)(6)(iii)(B)"
    # Canadian questions never appear for a claim in the US, and US-only ones never in Canada.
    assert "us_public_interest_determination" not in asked(entry_place="LAND_POE", entry_local_date="2024-05-01")


def test_a_us_airport_claim_asks_only_the_transit_question() -> None:
    keys = asked(entry_place="AIRPORT", **US_CLAIM)
    assert "in_transit_removal_from_canada" in keys
    assert "family_members" not in keys and "in_transit_removal_from_us" not in keys


def test_a_stateless_claimant_in_the_us_is_asked_the_habitual_residence() -> None:
    keys = asked(entry_place="LAND_POE", stateless=True, nationalities=[], **US_CLAIM)
    assert "habitual_residence" in keys
    assert provision(entry_place="LAND_POE", stateless=True, nationalities=[], habitual_residence="CA",
                     **US_CLAIM) == "8 CFR 208.30(e)(6)(iii)(A)"


def test_the_time_of_entry_is_asked_only_when_the_minute_can_matter() -> None:
    roxham = {"entry_place": "BETWEEN_POES_LAND"}
    assert "entry_time" in asked(entry_local_date="2023-03-25", **roxham)
    assert "entry_time" not in asked(entry_local_date="2023-06-10", **roxham)
    assert "entry_time" not in asked(entry_local_date="2019-06-10", **roxham)
    # The Protocol took effect at 00:01 Eastern time on 25 March 2023 (2023-03-25T04:01Z).
    assert provision(entry_local_date="2023-03-25", entry_time="00:00", **roxham) == "IRPR 159.4(1)(a)"
    assert provision(entry_local_date="2023-03-25", entry_time="00:02", **roxham).startswith("IRPR 159.4(1.1)")
    # Late on the 24th in Pacific time is already after that instant.
    late_west = {"entry_local_date": "2023-03-24", "entry_time": "23:30", "entry_zone": "America/Vancouver",
                 "claim_local_date": "2023-03-25"}
    assert "entry_time" in asked(entry_local_date="2023-03-24", **roxham)
    assert provision(**late_west, **roxham).startswith("IRPR 159.4(1.1)")
    assert provision(**{**late_west, "entry_zone": "America/Toronto"}, **roxham) == "IRPR 159.4(1)(a)"


def test_a_stored_entry_instant_reopens_as_local_time_and_zone() -> None:
    stored = {"entry_place": "BETWEEN_POES_LAND", "entry_local_date": "2023-03-25", "claim_local_date": "2023-03-25",
              "entry_instant": "2023-03-25T00:30:00-04:00", "direction": "US_TO_CANADA"}
    state = InterviewForm.from_facts(stored)
    assert (state.answers["entry_time"], state.answers["entry_zone"]) == ("00:30", "America/Toronto")
    facts = state.facts()
    assert facts is not None and facts["entry_instant"] == "2023-03-25T00:30:00-04:00"


def test_the_policy_changes_the_result_and_the_questions() -> None:
    before_protocol = {"entry_place": "BETWEEN_POES_LAND", "entry_local_date": "2019-06-10"}
    assert provision(**before_protocol) == "IRPR 159.4(1)(a)"
    assert "family_members" not in asked(**before_protocol)
    # Whole border: every land crossing counts as a port of entry, so the 159.5 exceptions matter.
    assert "family_members" in asked("whole-border", **before_protocol)
    assert provision("whole-border", **before_protocol) != "IRPR 159.4(1)(a)"
    late = {"entry_place": "BETWEEN_POES_LAND", "entry_local_date": "2024-06-10", "claim_local_date": "2024-06-30"}
    assert provision(**late) == "IRPR 159.4(1)(a)"
    assert provision("window-days=30", **late).startswith("IRPR 159.4(1.1)")


def test_bad_time_and_window_are_errors_on_their_fields() -> None:
    form = {"entry_local_date": "2023-03-25", "entry_time": "25:99", "policy": "window-days", "window_days": "x"}
    state = parse_form(form, lambda key: [])
    assert set(state.errors) == {"entry_time", "window_days"}
    good = parse_form({**form, "entry_time": "00:30", "window_days": "30"}, lambda key: [])
    assert not good.errors and good.policy_name() == "window-days=30"
    assert parse_form({"policy": "martial-law"}, lambda key: []).policy_name() == "law"


@pytest.mark.parametrize("lang", ["fr"])
def test_every_page_message_has_a_translation(lang: str) -> None:
    """Extract the msgids from the code and templates now; each must be translated in the .po."""
    keywords = {"_": None, "gettext": None, "N_": None, "translate": (2,)}
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    wanted = {msg for _f, _l, msg, _c, _ctx in extract_from_dir(
        str(WEB_DIR), method_map, options, keywords=keywords) if isinstance(msg, str) and msg}
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translated = {m.id for m in read_po(po) if m.id and m.string}
    assert wanted, "no message extracted: the extraction setup is broken"
    assert sorted(wanted - translated) == []


def test_nothing_is_assumed_for_a_question_left_unanswered() -> None:
    """No default stands in for an answer: an empty field or "Choose…" leaves the question open."""
    posted = {"direction": "US_TO_CANADA", "entry_place": "LAND_POE", "entry_local_date": "2019-05-02",
              "nationalities": "", "age_years": "", "claim_local_date": "", "marital": ""}
    state = parse_form(posted, lambda key: [])
    assert set(state.answers) == {"direction", "entry_place", "entry_local_date"}
    facts = state.facts() or {}
    assert "nationalities" not in facts and "age_years" not in facts and "claim_at_entry" not in facts
    assert "entered_at_poe_without_claim" not in facts
    assert parse_form({"entry_place": "", "direction": ""}, lambda key: []).facts() is None


def test_an_invalid_answer_keeps_its_value_and_names_a_human_error() -> None:
    state = parse_form({"age_years": "-3", "nationalities": "Haiti, XX", "entry_local_date": "0002-03-1",
                        "habitual_residence": "Narnia"}, lambda key: [])
    assert state.raw == {"age_years": "-3", "nationalities": "Haiti, XX", "entry_local_date": "0002-03-1",
                         "habitual_residence": "Narnia"}
    assert set(state.errors) == set(state.raw)
    assert not any("_" in message for message in state.errors.values())
    named = parse_form({"nationalities": "Haïti, colombia, VE"}, lambda key: [])
    assert named.answers["nationalities"] == ["HT", "CO", "VE"]
