"""Stored facts in plain language: each fact with its question's label and its value's label, translated.

Why: the case file is read by officers and supervisors, not by the engine; ``entry_place:
BETWEEN_POES_LAND`` means nothing to them, "Where did the person seek to enter Canada? — Between ports
of entry on the land border" does. Labels come from the interview's own questions and vocabularies,
so the case file and the interview always use the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stca.desk.web import _vocab as v
from stca.desk.web._asking import MEMBER_LABELS
from stca.desk.web._i18n import N_
from stca.desk.web._questions import BY_KEY, QUESTIONS

#: Facts the interview does not ask directly (derived or set through the API).
EXTRA_LABELS = {
    "entered_at_poe_without_claim": N_("Admitted at a port of entry, claim made later"),
    "entry_instant": N_("Time of entry"),
    "determination_date": N_("Date of the decision"),
    "former_habitual_residence": N_("Country of former habitual residence"),
    "death_penalty_offence_punishable_by_death": N_(
        "Is the offence punishable by death where the person is charged or convicted?"),
    "first_entry_after_2020_06_24": N_("First entry after 24 June 2020"),
    "ca_pr_removed_from_us_being_returned": N_("Permanent resident of Canada removed from the US"),
    "excluded_from_tsr_230_3": N_("Excluded from the suspension of removals (IRPR 230(3))"),
    "agreement_suspended": N_("Agreement suspended (IRPR 159.7)"),
    "policy_accept_permits_as_documents": N_("Permits count as documents"),
    "refugee_protection_conferred_in_canada": N_("Refugee protection conferred in Canada"),
}
#: Value labels per fact (the same code can mean different things: NONE is "Neither" for marital).
OPTIONS: dict[str, dict[str, str]] = {
    **{q.key: dict((*q.options, *(q.us_options or ()))) for q in QUESTIONS if q.options or q.us_options},
    "relationship": dict(v.RELATIONSHIPS),
    "location": dict(v.LOCATIONS),
    "ca_status": dict(v.CA_STATUSES),
    "claim_state": dict(v.CLAIM_STATES),
    "us_status": dict(v.US_STATUSES),
    "us_asylum_forum": dict(v.US_ASYLUM_FORUMS),
}
#: Interview keys recorded in the provenance that stand for another stored fact.
_ANSWER_OF = {"entry_time": "entry_instant"}


@dataclass(frozen=True)
class FactRow:
    """One fact as the case file shows it: translated label and value, and how it was obtained."""

    key: str
    label: str
    value: str
    state: str  # "answered", "unknown", "recorded" (API or older record: every field as stored)
    reason: str = ""


def label_of(key: str, direction: str) -> str:
    """The msgid naming a fact."""
    if key in BY_KEY:
        return BY_KEY[key].text(direction)[0]
    return EXTRA_LABELS.get(key, MEMBER_LABELS.get(key, key))


def value_text(key: str, value: Any, tr: Callable[[str], str]) -> str:
    """A stored value in words (``tr`` translates a msgid into the page's language)."""
    if isinstance(value, bool):
        return tr(N_("Yes") if value else N_("No"))
    if value is None or value == []:
        return tr(N_("None"))
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], Mapping):
            return "; ".join(_member(m, tr) for m in value)
        return ", ".join(value_text(key, item, tr) for item in value)
    options = OPTIONS.get(key)
    if options and str(value) in options:
        return tr(options[str(value)])
    if key == "entry_instant":
        try:
            return dt.datetime.fromisoformat(str(value)).strftime("%H:%M (UTC%z)")
        except ValueError:
            return str(value)
    return str(value)


def _member(member: Mapping[str, Any], tr: Callable[[str], str]) -> str:
    parts = []
    for name in ("relationship", "location", "age_years", "ca_status", "us_status", "claim_state"):
        if name in member and member[name] not in (None, "NOT_APPLICABLE", "NONE"):
            text = value_text(name, member[name], tr)
            parts.append(f"{tr(N_('Age'))} {text}" if name == "age_years" else text)
    return ", ".join(parts)


def fact_rows(facts: Mapping[str, Any], provenance: Mapping[str, Any] | None,
              tr: Callable[[str], str]) -> tuple[list[FactRow], int]:
    """The facts to show, and how many stored facts were never asked (they could not change the result).

    With a provenance, only the answers the officer gave and those recorded as unknown are shown;
    without one (API, older records) every stored field is shown as recorded.
    """
    direction = str(facts.get("direction") or "US_TO_CANADA")
    rows: list[FactRow] = []
    if provenance is None:
        for key, value in facts.items():
            if value not in (None, "", []):
                rows.append(FactRow(key, tr(label_of(key, direction)), value_text(key, value, tr), "recorded"))
        return rows, 0
    answered = [_ANSWER_OF.get(k, k) for k in provenance.get("answered") or []]
    unknown = dict(provenance.get("unknown") or {})
    for key in answered:
        if key in facts:
            rows.append(FactRow(key, tr(label_of(key, direction)), value_text(key, facts[key], tr), "answered"))
    for key, reason in unknown.items():
        rows.append(FactRow(key, tr(label_of(key, direction)), tr(N_("Unknown")), "unknown", str(reason)))
    shown = {r.key for r in rows}
    return rows, sum(1 for k in facts if k not in shown)


def change_rows(changes: list[tuple[str, Any, Any]], direction: str,
                tr: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(label, old, new) in words for the changes between two fact versions."""
    return [(tr(label_of(k, direction)), value_text(k, old, tr), value_text(k, new, tr)) for k, old, new in changes]


