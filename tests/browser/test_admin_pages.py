"""The administrator's pages in a real browser: create an account, set a site's capacity.

Also writes docs/screenshots/admin.png. The same pages are tested on both databases, with their
audit rows, in tests/desk/test_admin_pages.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from stca.desk import services
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]


def test_h_admin_creates_an_account_and_sets_capacity(page: Page, db_sessions: sessionmaker[Session]) -> None:
    sign_in(page, "admin")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Accounts")).to_be_visible()
    expect(nav.get_by_role("link", name="Interview")).to_have_count(0)

    page.get_by_label("User name").fill("mlavoie")
    page.get_by_label("Full name (shown in the desk)").fill("Marc Lavoie")
    page.get_by_label("Role").select_option("analyst")
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.get_by_label("User name")).to_have_value("mlavoie")

    page.get_by_label("Initial password").fill("a-long-initial-password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/admin/users\?done=user"))
    expect(page.locator(".notice")).to_have_text("Account created.")
    expect(page.locator("#user-table")).to_contain_text("Marc Lavoie")
    screenshot(page, "admin")

    with db_sessions() as db:
        site = next(s for s in services.list_sites(db) if s.code == "PE-CHA-1")
    page.get_by_role("link", name="Sites and capacity").click()
    form = page.locator(f"#site-{site.id}")
    form.get_by_label("Beds").fill(str(site.beds + 5))
    form.get_by_label("Daily intake").fill("12")
    form.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/admin/sites\?done=capacity"))
    expect(page.locator(f"#site-{site.id}-beds")).to_have_value(str(site.beds + 5))
    with db_sessions() as db:
        assert services.get_site(db, site.id).daily_intake == 12
        assert services.audit_trail(db, entity="site", entity_id=site.id)[0].actor == "admin"

    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sites et capacité")
