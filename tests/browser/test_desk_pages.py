"""The case desk in a real browser: interviews in French and English, review, approval, analysis.

Scenarios of issue #5: (a) a between-ports interview in French is barred under IRPR 159.4(1.1);
(b) a land-POE interview in English with a sister who is a Canadian citizen is not barred under
IRPR 159.5(a); (c) an eligibility officer overrides a determination with a reason; (d) a supervisor
approves it; (e) an analyst sees the count change and no claimant name anywhere. The tests also
save the screenshots of docs/screenshots/ that docs/desk.md shows.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from stca.desk import services
from stca.desk.models import Case, Person
from tests.browser._interview import Interview, answer
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]


def fill_and_commit(page: Page, label: str, value: str) -> None:
    """Type into a field and leave it (what a person does), then wait for the updated page."""
    field = page.get_by_label(label, exact=True)
    answer(page, lambda: (field.fill(value), field.dispatch_event("change")))


#: Answers for the questions these scenarios do not vary (every one given explicitly: nothing is assumed).
ORDINARY = {
    "came_from_other_party": True, "nationalities": "CO", "stateless": False, "age_years": "35",
    "marital": "NONE", "documents_held": "NONE", "visa_required_canada": True, "family_members": False,
    "refused_entry_us_no_claim_adjudicated": False, "death_penalty": "NONE", "claim_at_entry": True,
    "inadmissibility_determined": "NONE", "recognized_refugee_elsewhere_returnable": False,
    "prior_canadian_claim": "NONE", "prior_claim_other_country_confirmed": False,
    "in_transit_removal_from_us": False, "tsr_country_national": False,
}


def test_a_between_ports_interview_in_french_is_barred(page: Page) -> None:
    """Entry between ports on 2023-06-10, claim 3 days later: RIPR 159.4(1.1), all in French."""
    sign_in(page, "intake")
    page.goto("/interview")
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrevue guidée")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    officer = Interview(page)
    officer.choose("direction", "US_TO_CANADA")
    officer.choose("entry_place", "BETWEEN_POES_LAND")
    officer.type("entry_local_date", "2019-06-10")
    # Before the Protocol every claim date gives IRPR 159.4(1)(a): the engine makes the date irrelevant.
    expect(page.get_by_label("Date de la demande d'asile (date locale)")).to_have_count(0)
    expect(page.locator("#family")).to_have_count(0)

    officer.type("entry_local_date", "2023-06-10")
    expect(page.get_by_label("Date de la demande d'asile (date locale)")).to_be_visible()
    officer.type("claim_local_date", "2023-06-13")
    # Within the 14-day window the family exceptions of 159.5 can still help, so they are asked.
    expect(page.locator("#family")).to_be_visible()
    officer.answer_all({**ORDINARY, "claim_at_entry": False})
    expect(page.locator("#result-label")).to_have_text("Irrecevable en vertu de l'Entente")
    expect(page.locator("#deciding-provision")).to_have_text("RIPR 159.4(1.1); LIPR 101(1)(e)")
    expect(page.locator("#explanation")).to_contain_text("L'Entente sur les tiers pays sûrs rend cette demande")
    expect(page.locator("#explanation")).to_contain_text("moins de 14 jours")
    expect(page.locator(".rule-path summary")).to_contain_text("Cheminement des règles")
    screenshot(page, "interview-fr")

    officer.record("given_name", "Amina")
    officer.record("family_name", "Haddad")
    officer.record("place", "Chemin Roxham")
    officer.choose("province", "QC")
    page.get_by_role("button", name="Enregistrer le dossier").click()
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    expect(page.locator(".notice")).to_have_text("Le dossier a été enregistré et décidé.")
    expect(page.locator("#claimant-name")).to_have_text("Amina Haddad")
    expect(page.locator("#h-determination")).to_have_text("Décision actuelle")
    expect(page.locator("section", has=page.locator("#h-determination")).locator(".result-label")).to_have_text(
        "Irrecevable en vertu de l'Entente")

    # New facts make a new version: the claim was in fact made 20 days after entry; a note is required.
    page.get_by_role("link", name="Modifier les faits (enregistre une nouvelle version)").click()
    editing = Interview(page)
    editing.type("claim_local_date", "2023-06-30")
    expect(page.locator("#deciding-provision")).to_have_text("RIPR 159.4(1)(a)")
    answer(page, lambda: page.get_by_role("button", name="Enregistrer la nouvelle version").click())
    expect(page.locator("#note-error")).to_contain_text("Dites ce qui a changé et pourquoi")
    page.get_by_label("Ce qui a changé, et pourquoi").fill("Date de la demande corrigée (registre de la GRC)")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    page.wait_for_url(re.compile(r"/cases/\d+\?done=facts"))
    facts = page.locator("#h-facts").locator("..")
    expect(facts).to_contain_text("Version 2")
    expect(facts).to_contain_text("Date de la demande d'asile (date locale)\u202f: 2023-06-13 → 2023-06-30")
    expect(page.locator("section", has=page.locator("#h-determination")).locator(".result-label")).to_have_text(
        "L'Entente ne s'applique pas")


def test_b_land_poe_interview_in_english_sister_citizen_is_not_barred(page: Page) -> None:
    """Land POE, sister in Canada who is a Canadian citizen: NOT_BARRED under IRPR 159.5(a)."""
    sign_in(page, "intake")
    page.goto("/interview?lang=en")
    officer = Interview(page)
    officer.choose("direction", "US_TO_CANADA")

    # At an airport only the transit question matters (IRPR 159.4(1)(c) / 159.4(2)), not family.
    officer.choose("entry_place", "AIRPORT")
    officer.type("entry_local_date", "2024-05-01")
    expect(page.locator("#in_transit_removal_from_us-group")).to_be_visible()
    expect(page.locator("#family")).to_have_count(0)

    # Keyboard only: focus the select, choose with the arrow keys; htmx keeps the focus on it.
    page.get_by_label("Where did the person seek to enter Canada?").focus()
    answer(page, lambda: page.keyboard.press("l"))  # type-ahead: "Land port of entry"
    expect(page.get_by_label("Where did the person seek to enter Canada?")).to_have_value("LAND_POE")
    expect(page.get_by_label("Where did the person seek to enter Canada?")).to_be_focused()
    expect(page.get_by_label("Date the claim was made (local date)")).to_have_count(0)

    officer.yes("has_family")
    officer.choose("fm-0-relationship", "SISTER")
    officer.choose("fm-0-location", "CANADA")
    officer.type("fm-0-age_years", "40")
    officer.choose("fm-0-ca_status", "CANADIAN_CITIZEN")
    officer.answer_all(ORDINARY)
    expect(page.locator("#result-label")).to_have_text("Not barred: an exception applies")
    expect(page.locator("#deciding-provision")).to_have_text("IRPR 159.5(a)")
    expect(page.locator("#explanation")).to_contain_text("an exception applies")
    expect(page.locator("#decisive-path")).to_contain_text("CA-R06a")
    screenshot(page, "interview")

    officer.record("fm-0-name", "Maria Gómez")
    officer.record("given_name", "Lucía")
    officer.record("family_name", "Gómez")
    officer.record("place", "Lacolle port of entry")
    officer.choose("province", "QC")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    expect(page.locator("#claimant-name")).to_have_text("Lucía Gómez")
    expect(page.locator("#h-family").locator("..")).to_contain_text("Maria Gómez")
    expect(page.locator("#effective-result")).to_have_text("Not barred")


@pytest.fixture(scope="module")
def review_case(db_sessions: sessionmaker[Session]) -> int:
    """A determined land-POE case (barred) recorded by the intake officer through the services."""
    with db_sessions() as db:
        actors = {u.username: u for u in services.list_users(db)}
        montreal = next(s.id for s in services.list_sites(db) if s.code == "QC-MTL-1")
        case, _ = services.create_case(db, actors["intake"], {
            "encounter_type": "LAND_POE", "place": "Lacolle port of entry",
            "encountered_at": "2024-02-03T10:00:00-05:00", "province": "QC", "claimant_name": "Jorge Review",
            "facts": {"entry_place": "LAND_POE", "entry_local_date": "2024-02-03",
                      "claim_local_date": "2024-02-03"},
            "site_id": montreal,
        }, idempotency_key="browser-review-case")
        services.determine_case(db, actors["eligibility"], case.id)
        return case.id


def test_c_eligibility_officer_overrides_with_a_reason(page: Page, review_case: int) -> None:
    """The override needs a written reason; without one the error sits next to the field."""
    sign_in(page, "eligibility")
    page.goto(f"/cases/{review_case}")
    expect(page.locator("#effective-result")).to_have_text("Barred")
    page.locator("#override-result").select_option("NOT_BARRED")
    page.locator("#override-reason").fill("short")
    page.locator("#override-reason").evaluate("el => el.removeAttribute('minlength')")
    page.get_by_role("button", name="Record override").click()
    expect(page.locator("#override-reason-error")).to_be_visible()

    page.locator("#override-result").select_option("NOT_BARRED")
    page.get_by_label("Written reason (at least 10 characters)").fill(
        "Brother's permanent resident card seen and verified at the port of entry.")
    page.get_by_role("button", name="Record override").click()
    page.wait_for_url(re.compile(rf"/cases/{review_case}\?done=overridden"))
    row = page.locator(".review-row").last
    expect(row).to_contain_text("Override")
    expect(row).to_contain_text("Brother's permanent resident card")
    expect(row).to_contain_text("Awaiting supervisor")
    expect(page.locator("#effective-result")).to_have_text("Barred")  # not in effect until approved


def test_d_supervisor_approves_the_override(page: Page, review_case: int,
                                            db_sessions: sessionmaker[Session]) -> None:
    """Four eyes: the supervisor approves; the override becomes the result in force."""
    with db_sessions() as db:
        if not any(r.approval == "PENDING" for r in services.get_case(db, review_case).reviews):
            officer = next(u for u in services.list_users(db) if u.username == "eligibility")
            services.override_determination(db, officer, review_case, {
                "result": "NOT_BARRED", "reason": "Brother's permanent resident card seen and verified."})
    sign_in(page, "supervisor")
    page.goto("/cases")
    expect(page.locator("#pending-overrides")).to_be_visible()
    page.goto(f"/cases/{review_case}")
    page.get_by_role("button", name="Approve override").click()
    page.wait_for_url(re.compile(rf"/cases/{review_case}\?done=approved"))
    expect(page.locator(".notice")).to_have_text("Override approved.")
    expect(page.locator(".review-row").last).to_contain_text("Approved")
    expect(page.locator("#effective-result")).to_have_text("Not barred")
    expect(page.locator("#audit-table")).to_contain_text("Override approved")
    screenshot(page, "case-detail")

    expect(page.locator("#override-in-force")).to_contain_text("Not barred")

    page.goto("/capacity")
    expect(page.locator("#province-table")).to_contain_text("QC")
    expect(page.locator("svg.chart")).to_be_visible()
    reference = page_reference(db_sessions, review_case)
    page.get_by_label("Case reference").fill(reference)
    with db_sessions() as db:
        toronto = next(s.id for s in services.list_sites(db) if s.code == "ON-TOR-1")
    page.get_by_label("Receiving site").select_option(str(toronto))
    page.get_by_label("Reason").fill("Brother lives in Toronto; space available")
    page.get_by_role("button", name="Record transfer").click()
    page.wait_for_url(re.compile(r"/capacity\?done=transfer"))
    expect(page.locator("#transfer-table")).to_contain_text(reference)
    screenshot(page, "capacity")


def page_reference(db_sessions: sessionmaker[Session], case_id: int) -> str:
    """The human reference of a case (what an officer types into the transfer form)."""
    with db_sessions() as db:
        return services.get_case(db, case_id).reference


def test_e_analyst_sees_the_count_change_but_no_name(page: Page, db_sessions: sessionmaker[Session]) -> None:
    """Aggregates move when a case is recorded; no claimant or relative name, no reference, appears."""
    sign_in(page, "analyst")
    page.goto("/analyst")
    before = int(page.locator("#total-cases").inner_text().replace(",", "").strip())
    with db_sessions() as db:
        intake = next(u for u in services.list_users(db) if u.username == "intake")
        services.create_case(db, intake, {
            "encounter_type": "RCMP_INTERCEPTION", "place": "Roxham Road", "province": "QC",
            "encountered_at": dt.datetime(2024, 3, 1, 9, 0).isoformat(), "claimant_name": "Zed Analystcheck",
            "family_members": [{"name": "Yara Analystcheck", "relationship": "SISTER"}],
        }, idempotency_key="browser-analyst-case")
    page.reload()
    expect(page.locator("#total-cases")).to_have_text(str(before + 1))
    text = page.content()
    with db_sessions() as db:
        names = set(db.scalars(select(Case.claimant_name))) | set(db.scalars(select(Person.name)))
        references = set(db.scalars(select(Case.reference)))
    leaked = sorted(n for n in names | references if n in text)
    assert not leaked, f"the analyst page shows personal data: {leaked}"
    screenshot(page, "analyst")

    with page.expect_download() as download:
        page.locator("#download-csv").click()
    with open(download.value.path(), encoding="utf-8") as csv_file:
        header = csv_file.readline()
    assert header.strip() == "month,province,encounter_type,stca_result,count,shown"  # shown: "<5" when suppressed
