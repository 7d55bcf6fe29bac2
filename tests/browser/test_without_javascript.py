"""The public "Check a case" page works without JavaScript, and the language toggle keeps the draft.

Without JavaScript there is no htmx: every answer is sent by the "Update result" button and the
add/remove buttons, and the server renders the whole page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]


@pytest.fixture()
def plain_page(browser: Browser, desk_url: str) -> Iterator[Page]:
    """A browser context with JavaScript switched off and no session."""
    context = browser.new_context(base_url=desk_url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_public_check_without_javascript_then_in_french(plain_page: Page) -> None:
    page = plain_page
    page.goto("/check?lang=en")
    expect(page.locator("#result-pending")).to_be_visible()
    page.get_by_label("Where is the refugee claim made?").select_option("US_TO_CANADA")
    page.get_by_label("Where did the person seek to enter Canada?").select_option("LAND_POE")
    page.get_by_label("Date of entry (local date)").fill("2024-05-01")
    page.get_by_role("button", name="Update result").click()
    # Nothing assumed: the open questions are listed, no result yet.
    expect(page.locator("#pending-list")).to_contain_text("Nationalities")
    expect(page.locator("#result-label")).to_have_count(0)

    page.locator("#has_family-yes").check()
    page.get_by_role("button", name="Update result").click()
    page.get_by_label("Status in Canada").select_option("PERMANENT_RESIDENT")
    # Enter in a field updates the result; it never adds or removes a family member.
    page.get_by_label("Age", exact=True).fill("40")
    page.get_by_label("Age", exact=True).press("Enter")
    expect(page.locator("fieldset.member")).to_have_count(1)
    expect(page.get_by_label("Status in Canada")).to_have_value("PERMANENT_RESIDENT")
    expect(page.get_by_label("Age", exact=True)).to_have_value("40")
    # Nothing can be saved from the public page.
    expect(page.get_by_role("button", name="Save case")).to_have_count(0)

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Statut au Canada")).to_have_value("PERMANENT_RESIDENT")
    expect(page.locator("#pending-list")).to_contain_text("Nationalités")

    page.get_by_role("button", name="Retirer le membre de la famille 1").click()
    expect(page.locator("fieldset.member")).to_have_count(0)
    page.get_by_role("button", name="Annuler : remettre le membre de la famille").click()
    expect(page.get_by_label("Statut au Canada")).to_have_value("PERMANENT_RESIDENT")
