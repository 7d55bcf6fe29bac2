"""The interview's questions and the engine-driven choice of which ones to ask.

Why the engine decides: the desk must never re-code a rule of law (stca/law owns them). A question is
asked when two things hold, both answered by ``stca.law.determine``:

1. *Read*: one of its fact fields is in ``Determination.facts_read`` — the rules consulted for this
   person on this date actually look at it (an airport arrival never reaches the family exceptions of
   IRPR 159.5, so ``family_members`` is not read);
2. *Could matter*: for questions with probes, at least one plausible alternative answer changes the
   outcome (result, deciding provision or other ineligibility grounds). This is what hides the claim
   date for a between-ports entry before the Protocol (every claim date gives IRPR 159.4(1)(a)) and
   shows it after 2023-03-25 (day 3 is barred under 159.4(1.1), day 20 is not).

A question the officer has already answered with a non-default value stays visible so it can be
undone. Labels are English msgids translated through the gettext catalog (``N_`` marks them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stca.desk.web._i18n import N_
from stca.desk.web._vocab import (
    DEATH_PENALTY,
    DOCUMENTS,
    ENTRY_PLACES,
    INADMISSIBILITY,
    MARITAL,
    PRIOR_CLAIM,
)
from stca.law import Determination, FactsError, determine

Facts = dict[str, Any]
#: Alternative fact sets a probe tries; the question matters if one of them changes the outcome.
Probe = Callable[[Facts], list[Facts]]


@dataclass(frozen=True)
class Question:
    """One question of the interview.

    Attributes:
        key: the form field name (also the HTML id).
        kind: ``select``, ``date``, ``bool``, ``number``, ``countries``, ``checkboxes`` or ``family``.
        label: English msgid of the question.
        hint: English msgid of the help text under it (may be empty).
        fields: the fact fields the answer fills (compared with ``facts_read``).
        section: which fieldset it belongs to.
        options: (value, English label) pairs for select and checkboxes.
        probe: alternative answers to try; None means "read is enough".
        always: asked for everyone (the entry place and date open every interview).
    """

    key: str
    kind: str
    label: str
    hint: str
    fields: tuple[str, ...]
    section: str
    options: tuple[tuple[str, str], ...] = ()
    probe: Probe | None = None
    always: bool = False
    default: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)


SECTIONS: tuple[tuple[str, str], ...] = (
    ("entry", N_("Entry and claim")),
    ("person", N_("The claimant")),
    ("family", N_("Family members in Canada")),
    ("exceptions", N_("Documents and other exceptions")),
    ("other", N_("Other grounds of ineligibility (IRPA 101(1))")),
)


def _flip(name: str, default: bool = False) -> Probe:
    return lambda f: [{**f, name: not f.get(name, default)}]


def _values(name: str, values: tuple[Any, ...]) -> Probe:
    return lambda f: [{**f, name: v} for v in values if v != f.get(name)]


def _claim_dates(f: Facts) -> list[Facts]:
    entry = dt.date.fromisoformat(f["entry_local_date"])
    return [{**f, "claim_local_date": (entry + dt.timedelta(days=d)).isoformat()} for d in (3, 20, 400)]


def _add_relative(f: Facts) -> list[Facts]:
    sister = {
        "relationship": "SISTER",
        "location": "CANADA",
        "age_years": 40,
        "ca_status": "CANADIAN_CITIZEN",
    }
    return [{**f, "family_members": [*f.get("family_members", []), sister]}]


def _add_each(name: str, values: tuple[str, ...]) -> Probe:
    return lambda f: [{**f, name: [*f.get(name, []), v]} for v in values if v not in f.get(name, [])]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "entry_place",
        "select",
        N_("Where did the person seek to enter Canada?"),
        "",
        ("entry_place",),
        "entry",
        ENTRY_PLACES,
        always=True,
        default="LAND_POE",
    ),
    Question(
        "entry_local_date",
        "date",
        N_("Date of entry (local date)"),
        N_("Format: YYYY-MM-DD"),
        ("entry_local_date",),
        "entry",
        always=True,
    ),
    Question(
        "claim_at_entry",
        "bool",
        N_("Was the claim made at the port of entry, when seeking entry?"),
        N_("Answer no if the person was admitted and claimed later, inland."),
        ("claim_at_entry",),
        "entry",
        probe=_flip("claim_at_entry", True),
        default=True,
    ),
    Question(
        "in_transit_removal_from_us",
        "bool",
        N_("Is the person in transit through Canada while being removed from the United States?"),
        N_("Removal order from the US, arriving at a Canadian airport in the course of its enforcement."),
        ("in_transit_removal_from_us",),
        "entry",
        probe=_flip("in_transit_removal_from_us"),
        default=False,
    ),
    Question(
        "claim_local_date",
        "date",
        N_("Date the claim was made (local date)"),
        N_(
            "Between ports of entry, the day count from entry decides whether the Agreement reaches the "
            "claim."
        ),
        ("claim_local_date",),
        "entry",
        probe=_claim_dates,
    ),
    Question(
        "came_from_other_party",
        "bool",
        N_("Did the person come to Canada directly or indirectly from the United States?"),
        "",
        ("came_from_other_party",),
        "entry",
        probe=_flip("came_from_other_party", True),
        default=True,
    ),
    Question(
        "nationalities",
        "countries",
        N_("Nationalities"),
        N_("Two-letter country codes separated by commas, e.g. CO, VE. Leave empty if stateless."),
        ("nationalities",),
        "person",
        probe=lambda f: [{**f, "nationalities": ["US"]}],
        default=["CO"],
    ),
    Question(
        "stateless",
        "bool",
        N_("Is the person stateless?"),
        "",
        ("stateless", "former_habitual_residence"),
        "person",
        probe=lambda f: [{**f, "stateless": True, "nationalities": [], "former_habitual_residence": "US"}],
        default=False,
    ),
    Question(
        "age_years",
        "number",
        N_("Age on the claim date"),
        "",
        ("age_years",),
        "person",
        probe=_values("age_years", (15,)),
        default=35,
    ),
    Question(
        "marital",
        "select",
        N_("Does the person have a spouse or common-law partner?"),
        "",
        ("marital",),
        "person",
        MARITAL,
        probe=_values("marital", ("NONE", "SPOUSE")),
        default="NONE",
    ),
    Question(
        "accompanied_by_parent_or_legal_guardian",
        "bool",
        N_("Is the person accompanied by their mother, father or legal guardian?"),
        "",
        ("accompanied_by_parent_or_legal_guardian",),
        "person",
        probe=_flip("accompanied_by_parent_or_legal_guardian"),
        default=False,
    ),
    Question(
        "parent_or_legal_guardian_in_canada",
        "bool",
        N_("Does the person have a mother, father or legal guardian in Canada?"),
        "",
        ("parent_or_legal_guardian_in_canada",),
        "person",
        probe=_flip("parent_or_legal_guardian_in_canada"),
        default=False,
    ),
    Question(
        "parent_or_legal_guardian_in_us",
        "bool",
        N_("Does the person have a mother, father or legal guardian in the United States?"),
        "",
        ("parent_or_legal_guardian_in_us",),
        "person",
        probe=_flip("parent_or_legal_guardian_in_us"),
        default=False,
    ),
    Question(
        "family_members",
        "family",
        N_("Relatives in Canada"),
        N_("Add each relative who could help: status in Canada and age matter."),
        ("family_members",),
        "family",
        probe=_add_relative,
        default=[],
    ),
    Question(
        "documents_held",
        "checkboxes",
        N_("Documents held by the person"),
        N_("Do not count a document issued only for transit through Canada."),
        ("documents_held",),
        "exceptions",
        DOCUMENTS,
        probe=_add_each("documents_held", ("CA_TRV", "CA_WORK_PERMIT")),
        default=[],
    ),
    Question(
        "visa_required_canada",
        "bool",
        N_("Does the person need a visa to enter Canada?"),
        "",
        ("visa_required_canada",),
        "exceptions",
        probe=_flip("visa_required_canada", True),
        default=True,
    ),
    Question(
        "visa_required_us",
        "bool",
        N_("Does the person need a visa to enter the United States?"),
        "",
        ("visa_required_us",),
        "exceptions",
        probe=_flip("visa_required_us", True),
        default=True,
    ),
    Question(
        "refused_entry_us_no_claim_adjudicated",
        "bool",
        N_("Is the person returning after being refused entry to the US without a claim decided there?"),
        "",
        ("refused_entry_us_no_claim_adjudicated",),
        "exceptions",
        probe=_flip("refused_entry_us_no_claim_adjudicated"),
        default=False,
    ),
    Question(
        "death_penalty",
        "select",
        N_("Is the person charged with or convicted of a capital offence?"),
        "",
        ("death_penalty", "death_penalty_offence_punishable_by_death"),
        "exceptions",
        DEATH_PENALTY,
        probe=lambda f: [
            {
                **f,
                "death_penalty": "CHARGED_OR_CONVICTED_US",
                "death_penalty_offence_punishable_by_death": True,
            }
        ],
        default="NONE",
    ),
    Question(
        "tsr_country_national",
        "bool",
        N_("Is the person a national of a country under a temporary suspension of removals?"),
        N_("IRPR 230 stays in force on the claim date (2004–2009 only)."),
        ("tsr_country_national",),
        "exceptions",
        probe=_flip("tsr_country_national"),
        default=False,
    ),
    Question(
        "inadmissibility_determined",
        "checkboxes",
        N_("Inadmissibility already determined"),
        "",
        ("inadmissibility_determined",),
        "other",
        INADMISSIBILITY,
        probe=_add_each("inadmissibility_determined", ("SECURITY_34",)),
        default=[],
    ),
    Question(
        "prior_claim_other_country_confirmed",
        "bool",
        N_("Is an earlier claim in another country confirmed by information sharing?"),
        "",
        ("prior_claim_other_country_confirmed",),
        "other",
        probe=_flip("prior_claim_other_country_confirmed"),
        default=False,
    ),
    Question(
        "recognized_refugee_elsewhere_returnable",
        "bool",
        N_("Is the person a recognized refugee in another country that will take them back?"),
        "",
        ("recognized_refugee_elsewhere_returnable",),
        "other",
        probe=_flip("recognized_refugee_elsewhere_returnable"),
        default=False,
    ),
    Question(
        "prior_canadian_claim",
        "select",
        N_("Earlier refugee claim in Canada"),
        "",
        ("prior_canadian_claim",),
        "other",
        PRIOR_CLAIM,
        probe=_values("prior_canadian_claim", ("REJECTED",)),
        default="NONE",
    ),
)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}


def signature(d: Determination) -> tuple[Any, ...]:
    """What an answer must change to matter: result, deciding provision, other grounds."""
    return (d.stca_result, d.deciding_provision, tuple(d.other_ineligibility))


def _changes(probe: Probe, facts: Facts, base: tuple[Any, ...]) -> bool:
    for variant in probe(facts):
        try:
            if signature(determine(variant)) != base:
                return True
        except FactsError:
            continue
    return False


def is_answered(question: Question, answers: Facts) -> bool:
    """True when the officer gave a value different from the default (keep the question visible)."""
    if question.key not in answers:
        return False
    value = answers[question.key]
    if question.default is None:
        return question.key == "claim_local_date" and value != answers.get("entry_local_date")
    return bool(value != question.default)


def visible_questions(facts: Facts, determination: Determination | None, answers: Facts) -> list[Question]:
    """The questions to ask now, in interview order (see the module docstring)."""
    if determination is None:
        return [q for q in QUESTIONS if q.always]
    read = set(determination.facts_read)
    base = signature(determination)
    shown: list[Question] = []
    for question in QUESTIONS:
        if (
            question.always
            or is_answered(question, answers)
            or (
                read.intersection(question.fields)
                and (question.probe is None or _changes(question.probe, facts, base))
            )
        ):
            shown.append(question)
    return shown
