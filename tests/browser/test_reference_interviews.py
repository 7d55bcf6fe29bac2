"""The three reference interviews of issue 11, typed and clicked as an officer would, in both languages.

(1) A Haitian family crossing between ports in June 2023, claiming on day 5, with a sister of the mother
    who is a permanent resident in Canada: recorded as one encounter, each person with their own
    determination; the answers about the crossing are entered once.
(2) A single Colombian man at the Lacolle port of entry in 2019.
(3) An unaccompanied 16-year-old at a port of entry, with the guardian's details.

Each asserts that no result is ever shown while a question on the page is unanswered (``Interview``
checks it after every answer), that Save is refused until every question that could change the result
is answered, and that the stored record says exactly which facts the officer gave. The number of
questions answered and clicks of each is written to out/interview-figures.json for the report.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from stca.desk.models import Case, Determination, FactSnapshot
from stca.desk.web._pages_interview import SHARED_KEYS
from tests.browser._interview import Interview, answer
from tests.browser.conftest import ROOT, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]

FIGURES = ROOT / "out" / "interview-figures.json"


def _report(name: str, interview: Interview) -> None:
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    questions = sorted(_given(interview))
    figures[name] = {"questions_answered": len(questions), "clicks": interview.clicks, "questions": questions}
    FIGURES.write_text(json.dumps(figures, indent=2))


def _saved_case(page: Page) -> int:
    match = re.search(r"/cases/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def _stored(db_sessions: sessionmaker[Session], case_id: int) -> tuple[Case, FactSnapshot, Determination]:
    with db_sessions() as db:
        case = db.get(Case, case_id)
        snap = db.scalars(select(FactSnapshot).where(FactSnapshot.case_id == case_id)).one()
        det = db.scalars(select(Determination).where(Determination.case_id == case_id)).one()
        assert case is not None
        db.expunge_all()
        return case, snap, det


def _given(interview: Interview) -> set[str]:
    """The facts the test answered, as the stored provenance names them."""
    keys = {k for k in interview.answered if not k.startswith("fm-")} - {"entry_zone"}
    return (keys - {"has_family"}) | ({"family_members"} if "has_family" in keys else set())


def test_reference_1_haitian_family_between_ports_june_2023_in_french(
    page: Page, db_sessions: sessionmaker[Session]
) -> None:
    sign_in(page, "intake")
    page.goto("/interview?lang=fr")
    mother = Interview(page)
    # Nothing is pre-answered: no choice made, no date, no radio checked.
    expect(page.locator("#entry_place")).to_have_value("")
    expect(page.locator("#direction")).to_have_value("")
    expect(page.locator("#interview-form input[type=radio]:checked")).to_have_count(0)
    mother.choose("direction", "US_TO_CANADA")
    mother.choose("entry_place", "BETWEEN_POES_LAND")
    mother.type("entry_local_date", "2023-06-10")
    mother.type("claim_local_date", "2023-06-15")
    expect(page.locator("#result-label")).to_have_count(0)
    expect(page.locator("#result-pending")).to_contain_text("Pas encore décidé")
    mother.yes("has_family")
    mother.choose("fm-0-relationship", "SISTER")
    mother.choose("fm-0-location", "CANADA")
    mother.type("fm-0-age_years", "41")
    mother.choose("fm-0-ca_status", "PERMANENT_RESIDENT")
    mother.answer_all({
        "came_from_other_party": True, "nationalities": "Haïti", "stateless": False, "age_years": "34",
        "marital": "NONE", "documents_held": "NONE", "visa_required_canada": True,
        "refused_entry_us_no_claim_adjudicated": False, "death_penalty": "NONE",
        "inadmissibility_determined": "NONE", "recognized_refugee_elsewhere_returnable": False,
        "prior_canadian_claim": "NONE", "prior_claim_other_country_confirmed": False,
        "in_transit_removal_from_us": False, "claim_at_entry": False,
    })
    label, provision = mother.result()
    assert label == "Exception applicable : l'Entente ne rend pas la demande irrecevable"
    assert provision == "RIPR 159.5(b)(ii)"
    mother.record("given_name", "Nadège")
    mother.record("family_name", "Joseph")
    mother.record("place", "Chemin Roxham")
    mother.choose("province", "QC")
    mother.answered.remove("province")
    page.get_by_role("button", name="Enregistrer, puis consigner une personne qui traverse avec elle").click()
    mother.clicks += 1
    page.wait_for_url(re.compile(r"/interview\?draft=\w+&after=\d+"))
    first_case = int(re.search(r"after=(\d+)", page.url).group(1))  # type: ignore[union-attr]
    _report("haitian_family_mother", mother)

    # The son: the crossing (direction, place, dates) is already answered; only his own questions remain.
    son = Interview(page)
    expect(page.locator("#companion-notice")).to_be_visible()
    expect(page.locator("#entry_local_date")).to_have_value("2023-06-10")
    expect(page.locator("#claim_local_date")).to_have_value("2023-06-15")
    expect(page.locator("#given_name")).to_have_value("")
    expect(page.locator("#age_years")).to_have_count(1)
    expect(page.locator("#age_years")).to_have_value("")
    son.answer_all({
        "came_from_other_party": True, "nationalities": "HT", "stateless": False, "age_years": "12",
        "marital": "NONE", "documents_held": "NONE", "visa_required_canada": True,
        "refused_entry_us_no_claim_adjudicated": False, "death_penalty": "NONE",
        "inadmissibility_determined": "NONE", "recognized_refugee_elsewhere_returnable": False,
        "prior_canadian_claim": "NONE", "prior_claim_other_country_confirmed": False,
        "in_transit_removal_from_us": False, "claim_at_entry": False, "family_members": True,
        "fm-0-relationship": "AUNT", "fm-0-location": "CANADA", "fm-0-age_years": "41",
        "fm-0-ca_status": "PERMANENT_RESIDENT", "accompanied_by_parent_or_legal_guardian": True,
        "parent_or_legal_guardian_in_canada": False, "parent_or_legal_guardian_in_us": False,
    })
    son.result()
    son.record("given_name", "Jean")
    son.record("family_name", "Joseph")
    page.get_by_role("button", name="Enregistrer le dossier").click()
    son.clicks += 1
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    second_case = _saved_case(page)
    _report("haitian_family_son", son)
    expect(page.locator("#linked-cases")).to_contain_text("Nadège Joseph")

    mother_case, mother_snap, mother_det = _stored(db_sessions, first_case)
    son_case, son_snap, _son_det = _stored(db_sessions, second_case)
    assert mother_case.encounter_group and mother_case.encounter_group == son_case.encounter_group
    assert set(mother_snap.provenance["answered"]) == _given(mother)
    # The crossing was answered once, for the mother; the son's record carries it as given.
    assert set(son_snap.provenance["answered"]) == _given(son) | (_given(mother) & set(SHARED_KEYS))
    # Her age could not change the result (her sister's status decides), so it was never asked: the
    # record says so rather than pretend the law's default was an answer.
    assert mother_snap.facts["nationalities"] == ["HT"] and "age_years" not in mother_snap.provenance["answered"]
    assert son_snap.facts["age_years"] == 12 and son_snap.facts["entry_local_date"] == "2023-06-10"
    assert mother_det.deciding_provision == "IRPR 159.5(b)(ii)"


def test_reference_2_colombian_man_at_lacolle_2019(page: Page, db_sessions: sessionmaker[Session]) -> None:
    sign_in(page, "intake")
    page.goto("/interview?lang=en")
    man = Interview(page)
    man.choose("direction", "US_TO_CANADA")
    man.choose("entry_place", "LAND_POE")
    man.type("entry_local_date", "2019-05-02")
    # Nationality and age are asked, empty: no default (CO, 35) stands in for them.
    expect(page.locator("#nationalities")).to_have_value("")
    expect(page.locator("#age_years")).to_have_value("")
    expect(page.locator("#result-label")).to_have_count(0)
    man.record("given_name", "Andrés")
    man.record("family_name", "Restrepo")
    man.record("place", "Lacolle port of entry")
    man.choose("province", "QC")
    man.answered.remove("province")
    # Save before answering: refused, every open question named, focus on the first one.
    answer(page, lambda: page.locator("#save-case").click())
    man.clicks += 1
    expect(page.locator("#error-summary")).to_contain_text("Nationalities: Answer this question")
    expect(page.locator("#claim_at_entry-yes")).to_be_focused()
    man.answer_all({
        "claim_at_entry": True, "came_from_other_party": True, "nationalities": "Colombia", "stateless": False,
        "age_years": "35", "marital": "NONE", "family_members": False, "documents_held": "NONE",
        "visa_required_canada": True, "refused_entry_us_no_claim_adjudicated": False, "death_penalty": "NONE",
        "inadmissibility_determined": "NONE", "prior_canadian_claim": "NONE",
        "prior_claim_other_country_confirmed": False,
        "recognized_refugee_elsewhere_returnable": ("UNKNOWN", "Information-sharing reply not received yet"),
    })
    assert man.result()[0] == "Barred by the Agreement"
    expect(page.locator("#unknown-answers")).to_contain_text("Information-sharing reply not received yet")
    page.get_by_role("button", name="Save case").click()
    man.clicks += 1
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    _report("colombian_man_lacolle_2019", man)
    _case, snap, det = _stored(db_sessions, _saved_case(page))
    assert set(snap.provenance["answered"]) == _given(man)
    assert snap.provenance["unknown"] == {
        "recognized_refugee_elsewhere_returnable": "Information-sharing reply not received yet"}
    expect(page.locator("#unknown-answers")).to_contain_text("Is the person a recognized refugee in another country")
    assert snap.facts["nationalities"] == ["CO"] and det.stca_result == "BARRED"


def test_reference_3_unaccompanied_16_year_old_at_a_port(page: Page, db_sessions: sessionmaker[Session]) -> None:
    sign_in(page, "intake")
    page.goto("/interview?lang=en")
    minor = Interview(page)
    minor.choose("direction", "US_TO_CANADA")
    minor.choose("entry_place", "LAND_POE")
    minor.type("entry_local_date", "2024-05-01")
    minor.type("age_years", "16")
    # The minor questions are asked, unanswered: 159.5(e) is never granted on a default "No".
    for key in ("accompanied_by_parent_or_legal_guardian", "parent_or_legal_guardian_in_canada"):
        expect(page.locator(f"#{key}-yes")).not_to_be_checked()
        expect(page.locator(f"#{key}-no")).not_to_be_checked()
    expect(page.locator("#result-label")).to_have_count(0)
    minor.answer_all({
        "claim_at_entry": True, "came_from_other_party": True, "nationalities": "VE", "stateless": False,
        "marital": "NONE", "family_members": False, "documents_held": "NONE", "visa_required_canada": True,
        "refused_entry_us_no_claim_adjudicated": False, "death_penalty": "NONE",
        "inadmissibility_determined": "NONE", "recognized_refugee_elsewhere_returnable": False,
        "prior_canadian_claim": "NONE", "prior_claim_other_country_confirmed": False,
        "accompanied_by_parent_or_legal_guardian": False, "parent_or_legal_guardian_in_canada": False,
        "parent_or_legal_guardian_in_us": False,
    })
    label, provision = minor.result()
    assert label == "Not barred: an exception applies" and provision == "IRPR 159.5(e)"
    minor.record("given_name", "Daniela")
    minor.record("family_name", "Pérez")
    minor.record("place", "Lacolle port of entry")
    minor.choose("province", "QC")
    minor.answered.remove("province")
    answer(page, lambda: page.locator("#unaccompanied_minor").check())
    minor.clicks += 1
    minor.record("guardian_name", "Centre jeunesse de la Montérégie")
    minor.record("guardian_contact", "450 555 0100")
    page.get_by_role("button", name="Save case").click()
    minor.clicks += 1
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    _report("unaccompanied_minor_16", minor)
    expect(page.locator("#unaccompanied-minor")).to_have_text("Yes")
    case, snap, det = _stored(db_sessions, _saved_case(page))
    assert case.unaccompanied_minor and case.guardian_name == "Centre jeunesse de la Montérégie"
    assert set(snap.provenance["answered"]) == _given(minor)
    assert snap.facts["age_years"] == 16 and det.deciding_provision == "IRPR 159.5(e)"
