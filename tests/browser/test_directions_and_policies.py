"""Both directions, the minute of entry and policy scenarios, in a real browser.

(f) On the public check page a claim made in the United States by a person coming from Canada asks
the US questions (8 CFR 208.30(e)(6)) and none of the Canadian ones; a relative with lawful status in
the US gives exception (iii)(B); a policy scenario changes the result and says so; the French page
keeps the whole draft (writes docs/screenshots/check-us.png).
(g) An officer's interview on 25 March 2023 asks the time of entry — the Additional Protocol took
effect at 00:01 Eastern time — and saving records the instant and the policy the determination used.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from stca.desk.models import Case, Determination, FactSnapshot
from tests.browser._interview import Interview, answer
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_desk_pages import ORDINARY, fill_and_commit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]


US_ORDINARY = {
    "came_from_other_party": True, "nationalities": "CO", "stateless": False, "age_years": "35",
    "marital": "NONE", "documents_held": "NONE", "visa_required_us": True,
    "us_public_interest_determination": False, "in_transit_removal_from_canada": False,
}


def test_f_claim_in_the_us_and_a_policy_scenario_on_the_public_page(page: Page) -> None:
    page.goto("/check?lang=en")
    visitor = Interview(page)
    visitor.choose("direction", "CANADA_TO_US")
    expect(page.get_by_label("Where did the person seek to enter the United States?")).to_be_visible()
    visitor.choose("entry_place", "LAND_POE")
    visitor.type("entry_local_date", "2024-05-01")
    expect(page.locator("#us_public_interest_determination-group")).to_be_visible()
    expect(page.locator("#refused_entry_us_no_claim_adjudicated-group")).to_have_count(0)
    expect(page.locator("#sec-family")).to_have_text("Family members in the United States")

    visitor.yes("has_family")
    expect(page.get_by_label("Status in Canada")).to_have_count(0)
    # The public page records nothing: it never asks for a name.
    expect(page.get_by_label("Name (for the case record; optional)")).to_have_count(0)
    expect(page.get_by_label("Given name")).to_have_count(0)
    visitor.choose("fm-0-relationship", "SISTER")
    visitor.choose("fm-0-location", "US")
    visitor.type("fm-0-age_years", "30")
    visitor.choose("fm-0-us_status", "LPR")
    visitor.answer_all(US_ORDINARY)
    expect(page.locator("#result-label")).to_have_text("Not barred: an exception applies")
    expect(page.locator("#deciding-provision")).to_have_text("8 CFR 208.30(e)(6)(iii)(B)")
    expect(page.locator("#policy-banner")).to_have_count(0)
    expect(page.locator("#print-result")).to_be_visible()
    screenshot(page, "check-us")

    answer(page, lambda: page.get_by_label("Rules to apply").select_option("no-agreement"))
    expect(page.locator("#policy-banner")).to_contain_text("no-agreement")
    expect(page.locator("#result-label")).to_have_text("The Agreement does not apply")

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Où la personne a-t-elle cherché à entrer aux États-Unis?")).to_be_visible()
    expect(page.get_by_label("Statut aux États-Unis")).to_have_value("LPR")
    expect(page.get_by_label("Règles à appliquer")).to_have_value("no-agreement")
    expect(page.locator("#policy-banner")).to_contain_text("ce n'est pas le droit en vigueur")
    # Printed, the determination stands alone: no menu, no form.
    page.emulate_media(media="print")
    expect(page.locator("#interview-form")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("#result-label")).to_be_visible()
    page.emulate_media(media="screen")


def test_g_the_minute_of_entry_on_protocol_day_is_asked_and_saved(
    page: Page, db_sessions: sessionmaker[Session]
) -> None:
    sign_in(page, "intake")
    page.goto("/interview?lang=en")
    officer = Interview(page)
    officer.choose("direction", "US_TO_CANADA")
    officer.choose("entry_place", "BETWEEN_POES_LAND")
    officer.type("entry_local_date", "2023-06-10")
    expect(page.locator("#entry_time")).to_have_count(0)  # weeks after the Protocol the minute cannot matter

    officer.type("entry_local_date", "2023-03-25")
    expect(page.get_by_label("Time of entry (local time, 24-hour clock)")).to_be_visible()
    officer.type("entry_time", "00:00")
    officer.choose("entry_zone", "America/Toronto")
    officer.answer_all({**ORDINARY, "claim_at_entry": False, "claim_local_date": "2023-03-25"})
    expect(page.locator("#deciding-provision")).to_have_text("IRPR 159.4(1)(a)")
    officer.type("entry_time", "00:02")
    officer.answer_all({**ORDINARY, "claim_at_entry": False, "claim_local_date": "2023-03-25"})
    expect(page.locator("#deciding-provision")).to_have_text("IRPR 159.4(1.1); IRPA 101(1)(e)")

    # The same facts under a 30-day window scenario, recorded as such.
    answer(page, lambda: page.get_by_label("Rules to apply").select_option("window-days"))
    fill_and_commit(page, "Number of days of the between-ports window (N)", "30")
    officer.answer_all({**ORDINARY, "claim_at_entry": False, "claim_local_date": "2023-03-25"})
    expect(page.locator("#policy-banner")).to_contain_text("window-days=30")

    officer.record("given_name", "Minute")
    officer.record("family_name", "Protocolday")
    officer.record("place", "Roxham Road")
    officer.choose("province", "QC")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(re.compile(r"/cases/\d+\?done=saved"))
    case_id = int(re.search(r"/cases/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    expect(page.locator("body")).to_contain_text("window-days=30")
    with db_sessions() as db:
        snapshot = db.scalars(select(FactSnapshot).where(FactSnapshot.case_id == case_id)).one()
        determination = db.scalars(select(Determination).where(Determination.case_id == case_id)).one()
        case = db.get(Case, case_id)
        assert case is not None
        assert snapshot.facts["entry_instant"] == "2023-03-25T00:02:00-04:00"
        assert determination.policy == "window-days=30"
        assert determination.deciding_provision == "IRPR 159.4(1.1); IRPA 101(1)(e)"
        assert case.encountered_at.isoformat().startswith("2023-03-25T04:02")
