"""The nine defects of issue 11, each reproduced in chromium as an officer met it, and shown fixed.

1. Typing a date at normal speed: no refresh on partial input, the value kept exactly, focus kept.
2. Enter in any field never adds or removes a family member; a removal can be undone.
3. No default stands in for an answer (also the three reference interviews).
4. Session expiry: a warning before, a visible message after, the draft back after signing in again.
5. An invalid answer keeps its field, the value as typed and a message in the page's language.
6. No English on French pages (every rendered string scanned against the catalogue).
7. An approved override is the outcome shown; the engine's result is marked superseded.
8. Case search, "my cases", pages.
9. At 390 px: the result always within reach, no sideways scrolling.
And: Back keeps every answer; friendly HTML error pages; axe-core finds no violation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session, sessionmaker

from stca.desk import services
from stca.desk.web._i18n import LOCALE_DIR
from tests.browser._interview import Interview, answer, settled
from tests.browser.conftest import SHORT_SESSION, sign_in
from tests.browser.test_desk_pages import ORDINARY

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(name="browser")]


@pytest.fixture(scope="module")
def overridden_case(db_sessions: sessionmaker[Session]) -> int:
    """A barred case whose override to "not barred" a supervisor approved (four eyes)."""
    with db_sessions() as db:
        users = {u.username: u for u in services.list_users(db)}
        case, _ = services.create_case(db, users["intake"], {
            "encounter_type": "LAND_POE", "place": "Lacolle port of entry", "province": "QC",
            "encountered_at": "2024-02-05T10:00:00-05:00", "claimant_name": "Olga Overridden",
            "facts": {"entry_place": "LAND_POE", "entry_local_date": "2024-02-05", "claim_local_date": "2024-02-05"},
        }, idempotency_key="browser-defect-7")
        services.determine_case(db, users["eligibility"], case.id)
        review = services.override_determination(db, users["eligibility"], case.id, {
            "result": "NOT_BARRED", "reason": "Brother's permanent resident card verified at the port."})
        services.approve_override(db, users["supervisor"], review.id, reason="Card verified.")
        return case.id


def _start(page: Page, lang: str = "en") -> Interview:
    sign_in(page, "intake")
    page.goto(f"/interview?lang={lang}")
    officer = Interview(page)
    officer.choose("direction", "US_TO_CANADA")
    officer.choose("entry_place", "BETWEEN_POES_LAND")
    return officer


def test_1_a_date_typed_at_normal_speed_is_sent_once_and_kept(page: Page) -> None:
    officer = _start(page, "fr")
    field = page.locator("#entry_local_date")
    before = int(settled(page))
    field.click()
    page.keyboard.type("2023-06-10", delay=35)
    page.wait_for_function("b => Number(document.body.dataset.settled || 0) > b", arg=before)
    expect(page.locator("#entry_local_date")).to_have_value("2023-06-10")
    expect(page.locator("#entry_local_date")).to_be_focused()
    assert int(settled(page)) == before + 1, "the page was refreshed before the date was complete"
    # The hint and the control agree: a text field in the locale's hint format, no mm/dd/yyyy control.
    expect(page.locator("#entry_local_date")).to_have_attribute("type", "text")
    expect(page.locator("#entry_local_date-hint")).to_have_text("Format : AAAA-MM-JJ")
    # A partial date is sent only when the field is left, and comes back as typed with its message.
    officer.type("claim_local_date", "2023-0")
    expect(page.locator("#claim_local_date")).to_have_value("2023-0")
    expect(page.locator("#claim_local_date-error")).to_contain_text("Entrez une date réelle au format AAAA-MM-JJ")


def test_2_enter_never_adds_or_removes_and_a_removal_can_be_undone(page: Page) -> None:
    officer = _start(page)
    officer.type("entry_local_date", "2023-06-10")
    officer.type("claim_local_date", "2023-06-13")
    officer.yes("has_family")
    officer.choose("fm-0-relationship", "SISTER")
    officer.choose("fm-0-location", "CANADA")
    officer.choose("fm-0-ca_status", "PERMANENT_RESIDENT")
    for key, text in (("fm-0-age_years", "41"), ("fm-0-name", "Rose"), ("entry_local_date", "2023-06-10"),
                      ("claim_local_date", "2023-06-15"), ("given_name", "Marie"), ("place", "Roxham Road")):
        field = page.locator(f"#{key}")
        field.click()
        field.press("Control+A")
        page.keyboard.type(text, delay=20)
        answer(page, lambda: page.keyboard.press("Enter"))
        expect(page.locator("fieldset.member")).to_have_count(1)
        expect(page.locator(f"#{key}")).to_have_value(text)
    expect(page.locator("#fm-0-ca_status")).to_have_value("PERMANENT_RESIDENT")
    answer(page, lambda: page.locator("#remove-family-0").click())
    expect(page.locator("fieldset.member")).to_have_count(0)
    answer(page, lambda: page.locator("#undo-remove-button").click())
    expect(page.locator("#fm-0-ca_status")).to_have_value("PERMANENT_RESIDENT")
    expect(page.locator("#fm-0-name")).to_have_value("Rose")
    expect(page.locator("#fm-0-age_years")).to_have_value("41")


def test_4_a_session_that_ends_mid_interview_loses_nothing(browser: Browser, short_session_url: str) -> None:
    context = browser.new_context(base_url=short_session_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        officer = _start(page)
        # Warned before the end; "Stay signed in" extends the session.
        expect(page.locator("#session-warning")).to_be_visible(timeout=SHORT_SESSION * 1000)
        page.locator("#session-extend").click()
        expect(page.locator("#session-warning")).to_be_hidden()
        # Left idle, the session ends: the page says so (no silent 401).
        expect(page.locator("#session-expired")).to_be_visible(timeout=SHORT_SESSION * 2000)
        # An answer given after the end is kept and sent again after signing in.
        field = page.locator("#entry_local_date")
        field.click()
        page.keyboard.type("2023-06-10", delay=20)
        expect(page.locator("#session-expired")).to_be_visible()
        page.locator("#session-signin").click()
        page.wait_for_url(re.compile(r"/login\?next="))
        page.get_by_label("User name").fill("intake")
        page.get_by_label("Password").fill("intake-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/interview\?draft="))
        expect(page.locator("#entry_place")).to_have_value("BETWEEN_POES_LAND")
        expect(page.locator("#entry_local_date")).to_have_value("2023-06-10")
        expect(page.locator("#claim_local_date")).to_be_visible()
        assert officer.answered == ["direction", "entry_place"]
    finally:
        context.close()


def test_5_an_invalid_answer_keeps_its_field_value_and_a_french_message(page: Page) -> None:
    officer = _start(page, "fr")
    officer.type("entry_local_date", "2023-06-10")
    officer.type("claim_local_date", "2023-06-01")
    expect(page.locator("#claim_local_date")).to_have_value("2023-06-01")
    expect(page.locator("#claim_local_date-error")).to_contain_text("La demande ne peut pas précéder la date d'entrée")
    officer.type("claim_local_date", "2023-06-13")
    officer.choose("entry_place", "LAND_POE")
    officer.type("nationalities", "Narnie")
    officer.type("age_years", "-3")
    for key, typed, message in (("nationalities", "Narnie", "Entrez chaque pays par son nom"),
                                ("age_years", "-3", "Entrez l'âge en années")):
        expect(page.locator(f"#{key}")).to_have_value(typed)
        expect(page.locator(f"#{key}-error")).to_contain_text(message)
    # Every link of the error summary leads to a field on the page; no internal name is shown.
    links = page.locator("#error-summary a")
    for i in range(links.count()):
        target = str(links.nth(i).get_attribute("href")).lstrip("#")
        expect(page.locator(f"[id='{target}']")).to_have_count(1)
        assert "_" not in links.nth(i).inner_text()
    # "Haïti" by its French name is understood; the field is then answered.
    officer.type("nationalities", "Haïti")
    expect(page.locator("#nationalities")).to_have_value("HT")


#: Strings allowed on French pages although they look English: data, codes and proper names.
_NOT_ENGLISH = re.compile(r"^(English|[A-Z]{2,3}(-[A-Z0-9]+)*|CA-\w+|US-\w+|8 CFR.*|stca|STCA.*|\d.*|—|·|#|\W*)$")
_ENGLISH_WORDS = re.compile(r"\b(the|and|should|must|of the|True|False|EDT|EST|IRPR|IRPA|String|field|None)\b")


def _english_msgids() -> set[str]:
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {m.id for m in read_po(po) if isinstance(m.id, str) and m.id and m.string and m.string != m.id
                and len(m.id) > 3}


def _english_on(page: Page, english: set[str], data: set[str]) -> list[str]:
    texts: list[str] = page.evaluate("""() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!el || el.closest('script, style, [hidden], [lang="en"]')) continue;
        const t = walker.currentNode.textContent.trim();
        if (t) out.push(t);
      }
      document.querySelectorAll('[aria-label], [placeholder], [title]').forEach(e => {
        ['aria-label', 'placeholder', 'title'].forEach(a => { if (e.getAttribute(a)) out.push(e.getAttribute(a)); });
      });
      document.querySelectorAll('option').forEach(o => out.push(o.textContent.trim()));
      return out;
    }""")
    found = []
    for text in texts:
        if text in data or _NOT_ENGLISH.match(text):
            continue
        if text in english or any(len(m) > 14 and m in text for m in english) or _ENGLISH_WORDS.search(text):
            found.append(text)
    return found


def test_6_no_english_text_on_french_pages(page: Page, overridden_case: int) -> None:
    english = _english_msgids()
    data = {"Olga Overridden", "Lacolle port of entry", "Brother's permanent resident card verified at the port.",
            "Card verified.", "intake", "eligibility", "supervisor", "Intake Officer", "Eligibility Officer"}
    officer = _start(page, "fr")
    officer.type("entry_local_date", "2023-06-10")
    officer.type("claim_local_date", "2023-06-13")
    officer.answer_all({**ORDINARY, "claim_at_entry": False})
    pages = {"/interview (décidée)": page.url}
    found = {"/interview": _english_on(page, english, data)}
    page.context.clear_cookies()
    sign_in(page, "supervisor")
    for path in (f"/cases/{overridden_case}?lang=fr", "/cases?lang=fr", "/cases?from=demain&lang=fr",
                 "/check?lang=fr", "/cases/abc?lang=fr", "/nulle-part?lang=fr", "/capacity?lang=fr",
                 "/analyst?lang=fr"):
        page.goto(path)
        cases = page.locator("#case-table td:nth-child(2), #case-table td:nth-child(3) .muted")
        names = {cases.nth(i).inner_text().strip() for i in range(cases.count())}
        found[path] = _english_on(page, english, data | names)
    page.context.clear_cookies()
    page.goto("/login?lang=fr")
    found["/login"] = _english_on(page, english, data)
    page.context.clear_cookies()
    sign_in(page, "admin")
    for path in ("/admin/users?lang=fr", "/admin/sites?lang=fr"):
        page.goto(path)
        cells = page.locator("table td")
        found[path] = _english_on(page, english, data | {cells.nth(i).inner_text().strip()
                                                          for i in range(cells.count())})
    assert {p: f for p, f in found.items() if f} == {}, pages


def test_7_an_approved_override_is_the_outcome_shown(page: Page, overridden_case: int) -> None:
    sign_in(page, "eligibility")
    page.goto(f"/cases/{overridden_case}?lang=en")
    current = page.locator("section", has=page.locator("#h-determination"))
    expect(current.locator("#override-in-force .result-label")).to_have_text("Not barred: an exception applies")
    superseded = current.locator(".result-superseded")
    expect(superseded).to_contain_text("superseded by the approved override")
    big = current.locator("#override-in-force .result-label").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    small = superseded.locator(".result-label").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert big > small
    # Only moves the workflow would accept are offered (a barred-only return is not).
    options = page.locator("#to_status option")
    offered = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert "RETURNED_TO_US" not in offered and "REFERRED_TO_IRB" in offered
    # Determining again on unchanged facts and law adds no row and says so.
    rows = page.locator("#h-history ~ details").count()
    page.get_by_role("button", name="Determine again on the latest facts").click()
    page.wait_for_url(re.compile(r"done=unchanged"))
    expect(page.locator(".notice")).to_contain_text("unchanged")
    expect(page.locator("#h-history ~ details")).to_have_count(rows)


def test_8_search_my_cases_and_pages(page: Page, overridden_case: int) -> None:
    sign_in(page, "intake")
    page.goto("/cases?lang=en")
    expect(page.locator("#next-page")).to_be_visible()  # 40 demo cases, 25 a page
    page.locator("#next-page").click()
    expect(page.locator("#case-table caption")).to_contain_text("page 2 of")
    page.get_by_label("Name, reference or place").fill("Olga Overr")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#case-table tbody tr")).to_have_count(1)
    expect(page.locator("#case-table")).to_contain_text("Olga Overridden")
    page.goto("/cases?mine=1&from=2024-02-05&to=2024-02-05")
    expect(page.locator("#case-table")).to_contain_text("Olga Overridden")
    page.goto("/cases?mine=1&from=2024-02-06")
    expect(page.locator("#case-table")).not_to_contain_text("Olga Overridden")


@pytest.fixture()
def phone(browser: Browser, desk_url: str) -> Iterator[Page]:
    """A browser at a phone's width (390 px)."""
    context = browser.new_context(base_url=desk_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"


def test_9_at_390_px_the_result_is_in_reach_and_nothing_scrolls_sideways(phone: Page, overridden_case: int) -> None:
    page = phone
    officer = _start(page)
    officer.type("entry_local_date", "2023-06-10")
    officer.type("claim_local_date", "2023-06-13")
    officer.answer_all({**ORDINARY, "claim_at_entry": False})
    page.locator("#save-case").scroll_into_view_if_needed()
    bar = page.locator("#summary-bar")
    expect(bar).to_contain_text("Barred")
    expect(bar).to_be_in_viewport()
    _no_sideways_scroll(page)
    bar.click()
    expect(page.locator("#result-label")).to_be_in_viewport()
    for path in ("/cases", f"/cases/{overridden_case}", "/check", "/capacity"):
        page.goto(path)
        _no_sideways_scroll(page)


def test_back_keeps_every_answer_and_typed_names(page: Page) -> None:
    officer = _start(page)
    officer.type("entry_local_date", "2023-06-10")
    officer.record("given_name", "Rosa")
    page.get_by_role("link", name="Cases").click()
    page.wait_for_url(re.compile(r"/cases"))
    page.go_back()
    expect(page.locator("#entry_place")).to_have_value("BETWEEN_POES_LAND")
    expect(page.locator("#entry_local_date")).to_have_value("2023-06-10")
    expect(page.locator("#given_name")).to_have_value("Rosa")


def test_axe_finds_no_violation_on_any_page_in_both_languages_and_at_390_px(
    browser: Browser, desk_url: str, overridden_case: int
) -> None:
    axe = Axe()
    failures: dict[str, list[str]] = {}
    for width, lang in ((1360, "en"), (390, "fr"), (390, "en")):
        context = browser.new_context(base_url=desk_url, viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        paths = ["/login", "/check"]
        if (width, lang) in ((1360, "en"), (390, "fr")):
            sign_in(page, "supervisor")
            paths += ["/interview", "/cases", f"/cases/{overridden_case}", "/capacity", "/analyst", "/nowhere"]
        for path in paths:
            page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            if path == "/interview":
                # Questions, the list of open answers and an error beside its field, as an officer sees them.
                officer = Interview(page)
                officer.choose("direction", "US_TO_CANADA")
                officer.choose("entry_place", "LAND_POE")
                officer.type("entry_local_date", "2019-05-02")
                officer.type("nationalities", "XX")
                expect(page.locator("#nationalities-error")).to_be_visible()
            result = axe.run(page)
            if result.violations_count:
                failures[f"{lang} {width}px {path}"] = [v["id"] for v in result.response["violations"]]
        if (width, lang) == (1360, "en"):
            sign_in(page, "admin")
            for path in ("/admin/users", "/admin/sites"):
                page.goto(f"{path}?lang={lang}")
                result = axe.run(page)
                if result.violations_count:
                    failures[f"{lang} {width}px {path}"] = [v["id"] for v in result.response["violations"]]
        context.close()
    assert failures == {}
