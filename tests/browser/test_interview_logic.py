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

from stca.desk.web._form import InterviewForm
from stca.desk.web._i18n import LOCALE_DIR
from stca.desk.web._questions import visible_questions
from stca.law import determine

WEB_DIR = Path(__file__).resolve().parents[2] / "stca" / "desk" / "web"


def asked(**answers: object) -> set[str]:
    """Keys of the questions the interview shows after these answers."""
    state = InterviewForm(answers=dict(answers))
    facts = state.facts()
    assert facts is not None
    return {q.key for q in visible_questions(facts, determine(facts), state.answers)}


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
