"""Driving the interview as an officer does: typing at a human pace, choosing, counting every click.

``Interview`` records which questions the test answered and how many clicks it took, and after
every answer checks the rule of issue 11: a result is shown only when every question on the page
has an answer the test gave (or was recorded as unknown with a reason).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from playwright.sync_api import Page, expect

#: Typing pace of an officer (ms between keys).
TYPING_DELAY = 20

#: JavaScript: ids of the questions on the page with no answer given (no checked choice, nothing
#: chosen or typed) and not recorded as unknown.
_UNANSWERED = """() => Array.from(document.querySelectorAll('#interview-form .question')).filter(q => {
  const controls = Array.from(q.querySelectorAll('input, select'))
    .filter(c => c.type !== 'hidden' && !c.name.startsWith('unknown-') && !c.name.endsWith('-name'));
  const given = controls.some(c => (c.type === 'radio' || c.type === 'checkbox') ? c.checked : c.value !== '');
  const unknown = Array.from(q.querySelectorAll('input[name^="unknown-"]')).some(c => c.value !== '');
  return !given && !unknown;
}).map(q => q.id)"""


def settled(page: Page) -> str:
    """How many htmx swaps have settled so far (desk.js counts them on <body>)."""
    return str(page.evaluate("document.body.dataset.settled || '0'"))


def answer(page: Page, act: Callable[[], Any]) -> None:
    """Do one interview action and wait until htmx has swapped in the server's updated page."""
    before = settled(page)
    act()
    page.wait_for_function("b => (document.body.dataset.settled || '0') !== b", arg=before)


class Interview:
    """One interview in the browser, answered only through the page's controls."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.clicks = 0
        self.answered: list[str] = []
        self.values: dict[str, Any] = {}

    def _check(self) -> None:
        """A result on the page must never rest on a question the test left unanswered."""
        if self.page.locator("#result-label").count():
            open_questions = self.page.evaluate(_UNANSWERED)
            assert open_questions == [], f"a result is shown while {open_questions} are unanswered"

    def _done(self, key: str, value: Any) -> None:
        if key not in self.answered:
            self.answered.append(key)
        self.values[key] = value
        self._check()

    def choose(self, key: str, value: str) -> None:
        """Pick an option of a select (one click to open, one to choose)."""
        answer(self.page, lambda: self.page.locator(f"#{key}").select_option(value))
        self.clicks += 2
        self._done(key, value)

    def yes(self, key: str) -> None:
        """Answer a yes/no question "yes"."""
        answer(self.page, lambda: self.page.locator(f"#{key}-yes").check())
        self.clicks += 1
        self._done(key, True)

    def no(self, key: str) -> None:
        """Answer a yes/no question "no"."""
        answer(self.page, lambda: self.page.locator(f"#{key}-no").check())
        self.clicks += 1
        self._done(key, False)

    def tick(self, key: str, value: str) -> None:
        """Tick one box of a list question (``NONE`` is "None of these")."""
        answer(self.page, lambda: self.page.locator(f"#{key}-{value}").check())
        self.clicks += 1
        self._done(key, value)

    def type(self, key: str, text: str, *, commit: str = "Tab") -> None:
        """Click into a field, type at a human pace, leave it (Tab) or press Enter.

        A complete date is sent as soon as its last digit is typed, so no key is needed after it.
        """
        field = self.page.locator(f"#{key}")
        complete_date = field.get_attribute("data-complete") == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)

        def act() -> None:
            field.click()
            field.press("Control+A")
            self.page.keyboard.type(text, delay=TYPING_DELAY)
            if not complete_date:
                self.page.keyboard.press(commit)

        answer(self.page, act)
        self.clicks += 1
        self._done(key, text)

    def record(self, key: str, text: str) -> None:
        """Type a case-record field (name, place): it is kept in the draft like every answer."""
        self.type(key, text)
        self.answered.remove(key)
        del self.values[key]

    def pending(self) -> list[str]:
        """The anchors of the answers the result still depends on (empty once decided)."""
        links = self.page.locator("#pending-list a")
        return [str(links.nth(i).get_attribute("href")).lstrip("#") for i in range(links.count())]

    def answer_all(self, plan: Mapping[str, Any]) -> None:
        """Answer every question the page still asks, each from ``plan`` (key → answer).

        ``True``/``False`` answer yes/no, ``"NONE"`` ticks "None of these", other strings are typed
        or chosen. A question asked that is not in the plan fails the test: nothing is guessed.
        """
        for _ in range(40):
            waiting = self.pending()
            if not waiting:
                return
            anchor = waiting[0]
            key = re.sub(r"-(yes|no|NONE|[A-Z_0-9]+)$", "", anchor) if not anchor.startswith("fm-") else anchor
            key = "family_members" if anchor == "has_family-yes" else key
            assert key in plan, f"the interview asks {anchor!r}, which this plan does not answer"
            self.give(key, plan[key])
        raise AssertionError("the interview kept asking")

    def unknown(self, key: str, reason: str) -> None:
        """Record ``key`` as not known, with the reason ("Not known?" under the question)."""
        self.page.locator(f"#q-{key} details.unknown summary").click()
        self.clicks += 1
        self.type(f"unknown-{key}", reason)
        self.answered.remove(f"unknown-{key}")
        del self.values[f"unknown-{key}"]

    def give(self, key: str, value: Any) -> None:
        """Answer ``key`` with ``value`` through the right control (``("UNKNOWN", reason)``: not known)."""
        if isinstance(value, tuple) and value[0] == "UNKNOWN":
            self.unknown(key, value[1])
            return
        if key == "family_members":
            (self.yes if value else self.no)("has_family")
            self.answered.remove("has_family")
            if "family_members" not in self.answered:
                self.answered.append("family_members")
            return
        control = self.page.locator(f"#{key}")
        if value is True or value is False:
            (self.yes if value else self.no)(key)
        elif value == "NONE" and self.page.locator(f"#{key}-NONE").count():
            self.tick(key, "NONE")
        elif control.count() and control.evaluate("e => e.tagName") == "SELECT":
            self.choose(key, str(value))
        else:
            self.type(key, str(value))

    def result(self) -> tuple[str, str]:
        """(result label, deciding provision) shown now."""
        expect(self.page.locator("#result-label")).to_be_visible()
        return self.page.locator("#result-label").inner_text(), self.page.locator("#deciding-provision").inner_text()
