"""Reading the interview form into facts (law.md §4) and mapping engine errors back to form fields.

Why a separate module: the same parsing serves the live htmx update, the no-JavaScript "Update"
button, the language toggle (through the draft store) and saving the case; error messages must land
next to the field that caused them, so ``FactsError`` paths are translated to form ids here.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import json
import re
import threading
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from stca.desk.web._i18n import N_
from stca.desk.web._questions import QUESTIONS
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
RECORD_FIELDS = (
    "given_name", "family_name", "place", "province", "site_code", "unaccompanied_minor", "guardian_name",
    "guardian_contact",
)
#: The checkbox that answers a list question with "none" (an empty list is an answer, not a default).
NONE_OF_THESE = "NONE"
_CHOICES = {q.key: {v for v, _label in (*q.options, *(q.us_options or ()))} for q in QUESTIONS if q.kind == "select"}
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ZONES = tuple(zone for zone, _label in TIME_ZONES)
#: Answers that are not facts: the time of entry is given as a local time and a zone (→ entry_instant).
_TIME_ANSWERS = ("entry_time", "entry_zone", "has_family")
_POLICY_CHOICES = tuple(value for value, _label in POLICIES)
_MEMBER_CHOICES = ("relationship", "location", "ca_status", "claim_state", "us_status", "us_asylum_forum", "name")
_MEMBER_FIELDS = (*_MEMBER_CHOICES, "age_years", "permit_valid", "work_permit_r206_1_b")


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
    """The state of one interview: the officer's answers, the case-record fields, and per-field errors.

    Only what the officer gave is in ``answers``; a value typed but not accepted stays in ``raw`` so
    its field is shown again exactly as typed, with its error beside it. ``unknown`` holds the
    questions the officer recorded as not known, with the reason given.
    """

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: dict[str, Any] = field(default_factory=dict)
    record: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    #: The relative removed by the last action (and where it was), so the removal can be undone.
    removed: tuple[int, dict[str, Any]] | None = None
    #: Stored facts the interview does not ask about (kept as they are when a case's facts are edited).
    base: dict[str, Any] = field(default_factory=dict)
    #: The policy scenario (contract.md §4): a name of ``POLICIES``; ``window-days`` takes ``window_days``.
    policy: str = "law"
    window_days: str = ""
    #: People crossing together share one encounter: the group key of the case saved first.
    group: str = ""

    def policy_name(self) -> str:
        """The engine's policy name, e.g. ``law`` or ``window-days=30``."""
        if self.policy == "window-days":
            return f"window-days={self.window_days}"
        return self.policy

    @property
    def direction(self) -> str:
        """``US_TO_CANADA`` (claim in Canada) or ``CANADA_TO_US`` (claim in the US); Canada until answered."""
        return str(self.answers.get("direction") or "US_TO_CANADA")

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any], answered: Iterable[str] | None = None,
                   unknown: Mapping[str, str] | None = None) -> InterviewForm:
        """Re-open stored facts (a case's latest snapshot) in the interview.

        ``answered`` (the snapshot's record of what the officer gave) limits the answers re-opened:
        a value the law filled in by default is not shown as if the officer had given it.
        """
        state = cls()
        keep = None if answered is None else set(answered)
        for key in CONTROLLED - {"entered_at_poe_without_claim", "entry_instant"}:
            value = facts.get(key)
            if value is not None and (keep is None or key in keep):
                state.answers[key] = list(value) if isinstance(value, list | tuple) else value
        if keep is None or "family_members" in keep:
            state.answers["family_members"] = [dict(m) for m in facts.get("family_members") or []]
        if facts.get("entry_instant") and facts.get("entry_local_date") and (keep is None or "entry_time" in keep):
            time, zone = local_entry_time(str(facts["entry_instant"]), str(facts["entry_local_date"]))
            if keep is not None or (time, zone) != (DEFAULT_ENTRY_TIME, DEFAULT_TIME_ZONE):
                state.answers.update(entry_time=time, entry_zone=zone)
        state.unknown = dict(unknown or {})
        state.base = base_facts(facts)
        return state

    def ready(self) -> bool:
        """The engine runs once direction, place and date of entry are given (they choose every rule)."""
        return all(key in self.answers for key in ("direction", "entry_place", "entry_local_date"))

    def facts(self) -> dict[str, Any] | None:
        """The facts for ``determine``: only the answers given (None until direction, place and date).

        Facts not given are left out; the interview never stores or shows a result while an unanswered
        question could change it (``_asking.pending``).
        """
        if not self.ready():
            return None
        facts: dict[str, Any] = {**self.base}
        facts.update({k: v for k, v in self.answers.items() if k not in _TIME_ANSWERS})
        if "entry_time" in self.answers:
            facts["entry_instant"] = entry_instant(
                self.answers["entry_local_date"],
                self.answers["entry_time"],
                self.answers.get("entry_zone", DEFAULT_TIME_ZONE),
            )
        if "family_members" in self.answers:
            # Names of relatives belong to the case record, not to the facts the law reads.
            # A family member is a fact once the relationship is given (law.md §4 requires it); the
            # fields still open are listed by ``_asking.pending``.
            facts["family_members"] = [
                {k: v for k, v in m.items() if k != "name"} for m in self.answers["family_members"]
                if m.get("relationship")
            ]
        facts.setdefault("claim_local_date", self.answers["entry_local_date"])
        if facts.get("entry_place") == "LAND_POE" and "claim_at_entry" in self.answers:
            # A land-POE arrival who did not claim at entry was admitted and claimed inland (law.md §4).
            facts["entered_at_poe_without_claim"] = not self.answers["claim_at_entry"]
        if facts.get("stateless"):
            facts["nationalities"] = []
        else:
            facts.pop("former_habitual_residence", None)
        if facts.get("death_penalty", "NONE") == "NONE":
            facts.pop("death_penalty_offence_punishable_by_death", None)
        return facts

    def answered_facts(self) -> list[str]:
        """The interview keys the officer answered (stored with the snapshot as its provenance)."""
        return sorted(k for k in self.answers if k not in ("entry_zone", "has_family"))

    def to_json(self) -> dict[str, Any]:
        """The draft as JSON (saved server-side as the officer answers)."""
        return {
            "token": self.token, "answers": self.answers, "record": self.record, "raw": self.raw,
            "unknown": self.unknown, "base": self.base, "policy": self.policy,
            "window_days": self.window_days, "group": self.group,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InterviewForm:
        """A draft read back from ``to_json`` (errors are recomputed on the next answer)."""
        return cls(
            token=str(data.get("token") or uuid.uuid4().hex), answers=dict(data.get("answers") or {}),
            record=dict(data.get("record") or {}), raw=dict(data.get("raw") or {}),
            unknown=dict(data.get("unknown") or {}), base=dict(data.get("base") or {}),
            policy=str(data.get("policy") or "law"), window_days=str(data.get("window_days") or ""),
            group=str(data.get("group") or ""),
        )


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
    if not _ISO_DATE.match(value.strip()):
        raise ValueError(value)
    return dt.date.fromisoformat(value.strip())


def parse_form(form: Mapping[str, Any], getlist: Any) -> InterviewForm:
    """Build an ``InterviewForm`` from posted values; unparseable values become field errors.

    A field left empty (or a choice left on "Choose…") is unanswered: nothing is assumed for it.

    Args:
        form: the posted form (first value per key).
        getlist: ``form.getlist`` for multi-valued fields (checkboxes).
    """
    state = InterviewForm(token=_token(form.get("form_token")))
    answers, errors, raw = state.answers, state.errors, state.raw
    for key in SELECT_KEYS:
        value = str(form.get(key) or "")
        if value in _CHOICES[key]:
            answers[key] = value
        elif value:
            errors[key] = N_("Choose one of the answers offered.")
    for key in ("entry_local_date", "claim_local_date"):
        text = str(form.get(key) or "").strip()
        if text:
            try:
                answers[key] = _date(text).isoformat()
            except ValueError:
                raw[key], errors[key] = text, N_("Enter a real date as YYYY-MM-DD, for example 2023-06-10.")
    if "claim_local_date" in answers and answers.get("entry_local_date", "") > answers["claim_local_date"]:
        errors["claim_local_date"] = N_("The claim cannot be made before the date of entry.")
        raw["claim_local_date"] = answers.pop("claim_local_date")
    for key in BOOL_KEYS:
        choice = form.get(key)
        if choice in ("yes", "no"):
            answers[key] = choice == "yes"
    for key in LIST_KEYS:
        chosen = [str(v) for v in getlist(key) if v]
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            errors[key] = N_("Choose either \u201cNone of these\u201d or the items that apply, not both.")
        elif chosen:
            answers[key] = [v for v in chosen if v != NONE_OF_THESE]
    _age(form, "age_years", answers, errors, raw)
    _countries(form, answers, errors, raw)
    for key in ("former_habitual_residence", "habitual_residence"):
        text = str(form.get(key) or "").strip()
        if text:
            code = country_code(text)
            if code:
                answers[key] = code
            else:
                raw[key], errors[key] = text, N_("Enter a country: its name or its two-letter code, e.g. CA.")
    _entry_time(form, answers, errors, raw)
    _family(form, state)
    for key in form:
        if str(key).startswith("unknown-"):
            reason = str(form.get(key) or "").strip()
            name = str(key).removeprefix("unknown-")
            if reason and name not in answers:
                state.unknown[name] = reason[:500]
    state.record = {k: str(form.get(k) or "").strip() for k in RECORD_FIELDS}
    state.group = str(form.get("group") or "")[:40]
    _policy(form, state)
    return state


def _token(value: object) -> str:
    text = str(value or "")
    return text if re.fullmatch(r"[0-9a-f]{32}", text) else uuid.uuid4().hex


def _age(form: Mapping[str, Any], key: str, answers: dict[str, Any], errors: dict[str, str],
         raw: dict[str, str]) -> None:
    text = str(form.get(key) or "").strip()
    if not text:
        return
    if text.isdigit() and int(text) <= 130:
        answers[key] = int(text)
    else:
        raw[key], errors[key] = text, N_("Enter the age in whole years (0 to 130).")


def _countries(form: Mapping[str, Any], answers: dict[str, Any], errors: dict[str, str],
               raw: dict[str, str]) -> None:
    text = str(form.get("nationalities") or "").strip()
    if not text:
        return
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    codes = [country_code(p) for p in parts]
    if parts and all(codes):
        answers["nationalities"] = list(dict.fromkeys(c for c in codes if c))
    else:
        raw["nationalities"] = text
        errors["nationalities"] = N_("Enter each country by its name or two-letter code, separated by commas, "
                                     "e.g. Colombia, VE.")


@functools.cache
def _country_names() -> dict[str, str]:
    """Country names in English and French (ISO 3166-1, from pycountry) → two-letter code."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", country.name), french.gettext(country.name)}:
            names[_fold(name)] = country.alpha_2
    return names


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.casefold())


def country_code(text: str) -> str | None:
    """The ISO 3166-1 two-letter code of a code or a country name (English or French); None if none."""
    if _COUNTRY.match(text):
        return text.upper() if pycountry.countries.get(alpha_2=text.upper()) else None
    return _country_names().get(_fold(text))


def _entry_time(form: Mapping[str, Any], answers: dict[str, Any], errors: dict[str, str],
                raw: dict[str, str]) -> None:
    text = str(form.get("entry_time") or "").strip()
    if text:
        try:
            if not re.fullmatch(r"\d{1,2}:\d{2}", text):
                raise ValueError(text)
            answers["entry_time"] = dt.time.fromisoformat(text.zfill(5)).strftime("%H:%M")
        except ValueError:
            raw["entry_time"], errors["entry_time"] = text, N_(
                "Enter the time as HH:MM on the 24-hour clock, e.g. 00:30.")
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


def _family(form: Mapping[str, Any], state: InterviewForm) -> None:
    """Relatives: "none" is an answer; "yes" lists them, each field as given (nothing assumed)."""
    has = str(form.get("has_family") or "")
    members = _members(form, state)
    if has == "yes" and not members:
        members = [{}]  # "yes": the first family member's fields are asked at once
    if has == "no" and not members:
        state.answers["family_members"] = []
    elif has == "yes" or members:
        state.answers["family_members"] = members
        state.answers["has_family"] = True
    if has == "no" and not members:
        state.answers["has_family"] = False
    removed = str(form.get("removed_member") or "")
    if removed:
        try:
            index, member = json.loads(removed)
            if isinstance(index, int) and isinstance(member, dict):
                state.removed = (index, {str(k): v for k, v in member.items() if k in _MEMBER_FIELDS})
        except ValueError:
            state.removed = None


def _members(form: Mapping[str, Any], state: InterviewForm) -> list[dict[str, Any]]:
    errors, raw = state.errors, state.raw
    try:
        count = min(int(str(form.get("family_count") or "0")), 20)
    except ValueError:
        count = 0
    members: list[dict[str, Any]] = []
    for i in range(count):
        prefix = f"fm-{i}-"
        if f"{prefix}relationship" not in form and f"{prefix}present" not in form:
            continue
        n = len(members)
        member: dict[str, Any] = {}
        for name in _MEMBER_CHOICES:
            if form.get(prefix + name):
                member[name] = str(form[prefix + name]).strip()
        text = str(form.get(prefix + "age_years") or "").strip()
        if text.isdigit() and int(text) <= 130:
            member["age_years"] = int(text)
        elif text:
            raw[f"fm-{n}-age_years"] = text
            errors[f"fm-{n}-age_years"] = N_("Enter the age in whole years (0 to 130).")
        for name in ("permit_valid", "work_permit_r206_1_b"):
            if form.get(prefix + name) in ("yes", "no"):
                member[name] = form[prefix + name] == "yes"
        members.append(member)
    return members


def apply_action(state: InterviewForm, action: str) -> None:
    """Add, remove or restore a relative (buttons work with and without JavaScript).

    Removing keeps the relative in ``state.removed`` so the next page offers "Undo".
    """
    members = state.answers.get("family_members", [])
    if action == "add_family":
        members.append({})
        state.answers["family_members"] = members
        state.answers["has_family"] = True
        state.removed = None
    elif action.startswith("remove_family-"):
        index = action.removeprefix("remove_family-")
        if index.isdigit() and int(index) < len(members):
            state.removed = (int(index), members.pop(int(index)))
            if not members:  # the question is open again, not answered "no"
                state.answers.pop("family_members", None)
                state.answers.pop("has_family", None)
            state.errors = {k: v for k, v in state.errors.items() if not k.startswith("fm-")}
            state.raw = {k: v for k, v in state.raw.items() if not k.startswith("fm-")}
    elif action == "undo_remove" and state.removed is not None:
        at, member = state.removed
        members.insert(min(at, len(members)), member)
        state.answers["family_members"] = members
        state.answers["has_family"] = True
        state.removed = None
    else:
        state.removed = None


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
