"""Reading the interview form into facts (law.md §4) and mapping engine errors back to form fields.

Why a separate module: the same parsing serves the live htmx update, the no-JavaScript "Update"
button, the language toggle (through the draft store) and saving the case; error messages must land
next to the field that caused them, so ``FactsError`` paths are translated to form ids here.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stca.desk.web._i18n import N_
from stca.desk.web._questions import QUESTIONS

BOOL_KEYS = (*(q.key for q in QUESTIONS if q.kind == "bool"), "death_penalty_offence_punishable_by_death")
LIST_KEYS = tuple(q.key for q in QUESTIONS if q.kind == "checkboxes")
SELECT_KEYS = tuple(q.key for q in QUESTIONS if q.kind == "select")
#: Facts the interview controls (everything else in a stored snapshot is carried through unchanged).
CONTROLLED = frozenset(
    [q.key for q in QUESTIONS]
    + [
        "death_penalty_offence_punishable_by_death",
        "former_habitual_residence",
        "entered_at_poe_without_claim",
        "direction",
    ]
)
RECORD_FIELDS = ("given_name", "family_name", "place", "province", "site_code")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass
class InterviewForm:
    """The state of one interview: typed answers, the case-record fields, and per-field errors."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: dict[str, Any] = field(default_factory=dict)
    record: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: Stored facts the interview does not ask about (kept as they are when a case's facts are edited).
    base: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any]) -> InterviewForm:
        """Re-open stored facts (a case's latest snapshot) in the interview."""
        state = cls()
        for key in CONTROLLED - {"entered_at_poe_without_claim", "direction"}:
            value = facts.get(key)
            if value is not None:
                state.answers[key] = list(value) if isinstance(value, list | tuple) else value
        state.answers["family_members"] = [dict(m) for m in facts.get("family_members") or []]
        state.base = base_facts(facts)
        return state

    def facts(self) -> dict[str, Any] | None:
        """The facts for ``determine`` (None until the entry date is known)."""
        if "entry_local_date" not in self.answers:
            return None
        facts: dict[str, Any] = {**self.base, "direction": "US_TO_CANADA"}
        facts.update({k: v for k, v in self.answers.items() if k != "claim_local_date"})
        # Names of relatives belong to the case record, not to the facts the law reads.
        facts["family_members"] = [
            {k: v for k, v in m.items() if k != "name"} for m in self.answers.get("family_members", [])
        ]
        facts["claim_local_date"] = self.answers.get("claim_local_date") or self.answers["entry_local_date"]
        if facts.get("entry_place", "LAND_POE") == "LAND_POE":
            # A land-POE arrival who did not claim at entry was admitted and claimed inland (law.md §4).
            facts["entered_at_poe_without_claim"] = not facts.get("claim_at_entry", True)
        if facts.get("stateless"):
            facts["nationalities"] = []
        else:
            facts.pop("former_habitual_residence", None)
        if facts.get("death_penalty", "NONE") == "NONE":
            facts.pop("death_penalty_offence_punishable_by_death", None)
        return facts


def base_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The part of stored facts the interview does not control.

    ``entry_instant`` and ``determination_date`` are dropped when they hold their defaults (noon on
    the entry date; the claim date), so that editing the dates does not leave them inconsistent.
    """
    base = {k: v for k, v in facts.items() if k not in CONTROLLED and v is not None}
    if str(base.get("determination_date")) == str(facts.get("claim_local_date")):
        base.pop("determination_date", None)
    instant = str(base.get("entry_instant") or "")
    if instant.startswith(f"{facts.get('entry_local_date')}T12:00"):
        base.pop("entry_instant", None)
    return base


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value.strip())


def parse_form(form: Mapping[str, Any], getlist: Any) -> InterviewForm:
    """Build an ``InterviewForm`` from posted values; unparseable values become field errors.

    Args:
        form: the posted form (first value per key).
        getlist: ``form.getlist`` for multi-valued fields (checkboxes).
    """
    state = InterviewForm(token=str(form.get("form_token") or uuid.uuid4().hex))
    answers, errors = state.answers, state.errors
    for key in SELECT_KEYS:
        if form.get(key):
            answers[key] = str(form[key])
    for key in ("entry_local_date", "claim_local_date"):
        raw = str(form.get(key) or "").strip()
        if raw:
            try:
                answers[key] = _date(raw).isoformat()
            except ValueError:
                errors[key] = N_("Enter a real date as YYYY-MM-DD.")
    for key in BOOL_KEYS:
        choice = form.get(key)
        if choice in ("yes", "no"):
            answers[key] = choice == "yes"
    for key in LIST_KEYS:
        answers[key] = [str(v) for v in getlist(key) if v]
    raw_age = str(form.get("age_years") or "").strip()
    if raw_age:
        if raw_age.isdigit() and int(raw_age) <= 130:
            answers["age_years"] = int(raw_age)
        else:
            errors["age_years"] = N_("Enter the age in whole years (0 to 130).")
    if "nationalities" in form:
        codes = [c.strip().upper() for c in str(form.get("nationalities") or "").split(",") if c.strip()]
        if all(_COUNTRY.match(c) for c in codes):
            answers["nationalities"] = codes
        else:
            errors["nationalities"] = N_("Use two-letter country codes separated by commas, e.g. CO, VE.")
    fhr = str(form.get("former_habitual_residence") or "").strip().upper()
    if fhr:
        answers["former_habitual_residence"] = fhr
    answers["family_members"] = _members(form, errors)
    state.record = {k: str(form.get(k) or "").strip() for k in RECORD_FIELDS}
    return state


def _members(form: Mapping[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    try:
        count = min(int(str(form.get("family_count") or "0")), 20)
    except ValueError:
        count = 0
    members: list[dict[str, Any]] = []
    for i in range(count):
        prefix = f"fm-{i}-"
        if f"{prefix}relationship" not in form:
            continue
        member: dict[str, Any] = {}
        for name in ("relationship", "location", "ca_status", "claim_state", "name"):
            if form.get(prefix + name):
                member[name] = str(form[prefix + name]).strip()
        raw_age = str(form.get(prefix + "age_years") or "").strip()
        if raw_age.isdigit() and int(raw_age) <= 130:
            member["age_years"] = int(raw_age)
        elif raw_age:
            errors[f"fm-{len(members)}-age_years"] = N_("Enter the age in whole years (0 to 130).")
        for name in ("permit_valid", "work_permit_r206_1_b"):
            if form.get(prefix + name) in ("yes", "no"):
                member[name] = form[prefix + name] == "yes"
        members.append(member)
    return members


def apply_action(state: InterviewForm, action: str) -> None:
    """Add or remove a family member (buttons work with and without JavaScript)."""
    members = state.answers.setdefault("family_members", [])
    if action == "add_family":
        members.append({"relationship": "SISTER", "location": "CANADA", "ca_status": "NO_STATUS"})
    elif action.startswith("remove_family-"):
        index = action.removeprefix("remove_family-")
        if index.isdigit() and int(index) < len(members):
            del members[int(index)]
            state.errors = {k: v for k, v in state.errors.items() if not k.startswith("fm-")}


def error_key(problem_field: str) -> str:
    """Form id for an engine problem path, e.g. ``family_members[1].age_years`` → ``fm-1-age_years``."""
    match = re.match(r"family_members\[(\d+)\]\.(\w+)", problem_field)
    if match:
        return f"fm-{match.group(1)}-{match.group(2)}"
    base = problem_field.split("[")[0].split(".")[0]
    if base == "entered_at_poe_without_claim":
        return "claim_at_entry"
    if base == "death_penalty_offence_punishable_by_death":
        return "death_penalty"
    return base


class DraftStore:
    """Interview drafts by form token, so the language toggle can re-open the same interview.

    Why in memory: a draft is not a case (nothing is recorded until the officer saves); keeping the
    last few hundred in the server process is enough for a desk and keeps unsaved personal data out
    of the database.
    """

    def __init__(self, capacity: int = 500) -> None:
        self._items: OrderedDict[str, InterviewForm] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def put(self, state: InterviewForm) -> None:
        """Remember ``state`` (evicting the oldest draft when full)."""
        with self._lock:
            self._items[state.token] = state
            self._items.move_to_end(state.token)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def get(self, token: str) -> InterviewForm | None:
        """The draft saved under ``token``, if still held."""
        with self._lock:
            return self._items.get(token)


DRAFTS = DraftStore()
