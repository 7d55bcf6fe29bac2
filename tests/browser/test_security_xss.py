"""Stored XSS and the Content-Security-Policy, in a real chromium (issue 12, findings 1 and 9).

A reception site named ``<img src=x onerror=alert(1)>`` used to run its script on /interview and
/capacity: the ``select`` macro passed data through ``_()``, which marks its result safe. Now data is
escaped, and a strict CSP would stop an inline handler even if some template let one through. The
same walk also records every CSP violation, so a page that still needs inline script or style (which
the policy blocks, silently breaking it) fails here.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from stca.desk import services
from stca.desk.models import Site, User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]

PAYLOAD = "<img src=x onerror=alert(1)>"
#: Runs before any page script (Playwright injects it, so the CSP does not apply to it).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`));
"""


def test_y_a_site_named_like_markup_fires_no_dialog_and_pages_break_no_csp_rule(
        page: Page, db_sessions: sessionmaker[Session]) -> None:
    with db_sessions() as db:
        if db.scalar(select(Site.id).where(Site.code == "YT-XSS-1")) is None:
            admin = services.UserView.model_validate(db.scalar(select(User).where(User.username == "admin")))
            services.create_site(db, admin, {"code": "YT-XSS-1", "name": PAYLOAD, "province": "YT", "beds": 0,
                                             "daily_intake": 0})
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.context.add_init_script(RECORD_VIOLATIONS)
    violations: list[str] = []
    policies: dict[str, str] = {}

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response is not None
        policies[path] = response.headers.get("content-security-policy", "")
        violations.extend(page.evaluate("window.__csp"))

    sign_in(page, "intake")
    visit("/interview")
    page.wait_for_load_state("load")  # the broken image (if parsed as one) has fired by now
    text_options = page.locator("#site_code option", has_text=PAYLOAD).count()
    # htmx still works under the policy: an answer brings the live result.
    before = page.evaluate("document.body.dataset.settled || '0'")
    page.get_by_label("Where did the person seek to enter Canada?").select_option("BETWEEN_POES_LAND")
    page.wait_for_function("b => (document.body.dataset.settled || '0') !== b", arg=before)
    violations.extend(page.evaluate("window.__csp"))
    visit("/capacity")
    page.wait_for_load_state("load")
    shown_as_text = page.get_by_text(PAYLOAD).count()
    visit("/cases")
    page.locator("table a[href^='/cases/']").first.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    violations.extend(page.evaluate("window.__csp"))
    visit("/check")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "supervisor")
    visit("/analyst")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "admin")
    visit("/admin/sites")
    visit("/admin/users")
    assert dialogs == []
    assert text_options == 1 and shown_as_text >= 1  # the name is text, not an element
    assert all("frame-ancestors 'none'" in p and "script-src 'self'" in p for p in policies.values()), policies
    assert violations == []
