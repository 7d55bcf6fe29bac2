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
from zoneinfo import ZoneInfo

from stca.desk.web._i18n import N_
from stca.desk.web._questions import QUESTIONS, US_DIRECTION
from stca.desk.web._vocab import DEFAULT_ENTRY_TIME, DEFAULT_TIME_ZONE, POLICIES, TIME_ZONES

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
        "entry_instant",
    ]
)
RECORD_FIELDS = ("given_name", "family_name", "place", "province", "site_code")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_ZONES = tuple(zone for zone, _label in TIME_ZONES)
#: Answers that are not facts: the time of entry is given as a local time and a zone (→ entry_instant).
_TIME_ANSWERS = ("entry_time", "entry_zone")
_POLICY_CHOICES = tuple(value for value, _label in POLICIES)
_MEMBER_CHOICES = ("relationship", "location", "ca_status", "claim_state", "us_status", "us_asylum_forum", "name")


def entry_instant(day: str, time: str, zone: str) -> str:
    """The ISO instant of a local date, a local ``HH:MM`` time and an IANA zone."""
    local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), ZoneInfo(zone))
    return local.isoformat()


def local_entry_time(instant: str, day: str) -> tuple[str, str]:
    """(``HH:MM``, zone) of a stored instant, in the offered zone whose offset it carries (else Eastern)."""
    moment = dt.datetime.fromisoformat(instant)
    preferred = (DEFAULT_TIME_ZONE, *(z for z in _ZONES if z != DEFAULT_TIME_ZONE))
    for zone in preferred:
        local = moment.astimezone(ZoneInfo(zone))
        if local.utcoffset() == moment.utcoffset() and local.date().isoformat() == day:
            return local.strftime("%H:%M"), zone
    return moment.astimezone(ZoneInfo(DEFAULT_TIME_ZONE)).strftime("%H:%M"), DEFAULT_TIME_ZONE


@dataclass
class InterviewForm:
    """The state of one interview: typed answers, the case-record fields, and per-field errors."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: dict[str, Any] = field(default_factory=dict)
    record: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: Stored facts the interview does not ask about (kept as they are when a case's facts are edited).
    base: dict[str, Any] = field(default_factory=dict)
    #: The policy scenario (contract.md §4): a name of ``POLICIES``; ``window-days`` takes ``window_days``.
    policy: str = "law"
    window_days: str = ""

    def policy_name(self) -> str:
        """The engine's policy name, e.g. ``law`` or ``window-days=30``."""
        if self.policy == "window-days":
            return f"window-days={self.window_days}"
        return self.policy

    @property
    def direction(self) -> str:
        """``US_TO_CANADA`` (claim in Canada, the default) or ``CANADA_TO_US`` (claim in the US)."""
        return str(self.answers.get("direction") or "US_TO_CANADA")

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any]) -> InterviewForm:
        """Re-open stored facts (a case's latest snapshot) in the interview."""
        state = cls()
        for key in CONTROLLED - {"entered_at_poe_without_claim", "entry_instant"}:
            value = facts.get(key)
            if value is not None:
                state.answers[key] = list(value) if isinstance(value, list | tuple) else value
        state.answers["family_members"] = [dict(m) for m in facts.get("family_members") or []]
        if facts.get("entry_instant") and facts.get("entry_local_date"):
            time, zone = local_entry_time(str(facts["entry_instant"]), str(facts["entry_local_date"]))
            if (time, zone) != (DEFAULT_ENTRY_TIME, DEFAULT_TIME_ZONE):
                state.answers.update(entry_time=time, entry_zone=zone)
        state.base = base_facts(facts)
        return state

    def facts(self) -> dict[str, Any] | None:
        """The facts for ``determine`` (None until the entry date is known)."""
        if "entry_local_date" not in self.answers:
            return None
        facts: dict[str, Any] = {**self.base, "direction": "US_TO_CANADA"}
        facts.update({k: v for k, v in self.answers.items() if k != "claim_local_date" and k not in _TIME_ANSWERS})
        if any(key in self.answers for key in _TIME_ANSWERS):
            facts["entry_instant"] = entry_instant(
                self.answers["entry_local_date"],
                self.answers.get("entry_time", DEFAULT_ENTRY_TIME),
                self.answers.get("entry_zone", DEFAULT_TIME_ZONE),
            )
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

    ``determination_date`` is dropped when it holds its default (the claim date), so that editing the
    claim date does not leave it inconsistent; ``entry_instant`` is controlled (time of entry).
    """
    base = {k: v for k, v in facts.items() if k not in CONTROLLED and v is not None}
    if str(base.get("determination_date")) == str(facts.get("claim_local_date")):
        base.pop("determination_date", None)
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
        if key == "claim_local_date" and raw and raw == str(form.get("claim_prefill") or ""):
            continue  # the pre-filled entry date, untouched: the claim date follows the entry date
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
    residence = str(form.get("habitual_residence") or "").strip().upper()
    if residence:
        if _COUNTRY.match(residence):
            answers["habitual_residence"] = residence
        else:
            errors["habitual_residence"] = N_("Use a two-letter country code, e.g. CA.")
    _entry_time(form, answers, errors)
    answers["family_members"] = _members(form, errors)
    state.record = {k: str(form.get(k) or "").strip() for k in RECORD_FIELDS}
    _policy(form, state)
    return state


def _entry_time(form: Mapping[str, Any], answers: dict[str, Any], errors: dict[str, str]) -> None:
    raw = str(form.get("entry_time") or "").strip()
    if raw:
        try:
            answers["entry_time"] = dt.time.fromisoformat(raw).strftime("%H:%M")
        except ValueError:
            errors["entry_time"] = N_("Enter the time as HH:MM on the 24-hour clock, e.g. 00:30.")
    zone = str(form.get("entry_zone") or "")
    if zone in _ZONES:
        answers["entry_zone"] = zone


def _policy(form: Mapping[str, Any], state: InterviewForm) -> None:
    choice = str(form.get("policy") or "law")
    state.policy = choice if choice in _POLICY_CHOICES else "law"
    # Choosing the scenario starts from the law's own between-ports window (IRPR 159.4(1.1): 14 days).
    state.window_days = str(form.get("window_days") or "14").strip()
    if state.policy == "window-days" and not (state.window_days.isdigit() and int(state.window_days) <= 3650):
        state.errors["window_days"] = N_("Enter the number of days, from 0 to 3650.")


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
        for name in _MEMBER_CHOICES:
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
        if state.direction == US_DIRECTION:
            members.append({"relationship": "SISTER", "location": "US", "us_status": "NO_STATUS"})
        else:
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
    if base == "entry_instant":
        return "entry_time"
    return base


class DraftStore:
    """Interview drafts by owner and form token, so the language toggle can re-open the same interview.

    Why the owner in the key: the token travels in URLs (``?draft=``) and forms; keyed by token alone,
    anyone who saw it could read an officer's draft on the public page or overwrite it with an
    anonymous ``POST /check`` (issue 12). The owner is ``deps.draft_owner``: the account, or the
    anonymous browser session.

    Why in memory: a draft is not a case (nothing is recorded until the officer saves); keeping the
    last few hundred in the server process is enough for a desk and keeps unsaved personal data out
    of the database.
    """

    def __init__(self, capacity: int = 500) -> None:
        self._items: OrderedDict[tuple[str, str], InterviewForm] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def put(self, owner: str, state: InterviewForm) -> None:
        """Remember ``owner``'s ``state`` (evicting the oldest draft when full)."""
        with self._lock:
            self._items[(owner, state.token)] = state
            self._items.move_to_end((owner, state.token))
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def get(self, owner: str, token: str) -> InterviewForm | None:
        """``owner``'s draft saved under ``token``, if still held."""
        with self._lock:
            return self._items.get((owner, token))


DRAFTS = DraftStore()
