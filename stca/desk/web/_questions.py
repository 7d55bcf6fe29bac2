"""The interview's questions: what is asked, in which order, with which labels in each direction.

Why the engine decides which ones appear: the desk must never re-code a rule of law (stca/law owns
them). ``stca.desk.web._asking`` shows a question when the engine read one of its fact fields
(``Determination.facts_read``) and, for questions with a probe (``_probes``), when a plausible other
answer changes the outcome. The same list serves both directions: a claim in Canada by a person
coming from the United States (IRPR 159.1–159.7) and a claim in the United States by a person
coming from Canada (8 CFR 208.30(e)(6)); a question whose fact only one country's rules read is
simply never asked in the other direction. Labels are English msgids translated through the
gettext catalog (``N_`` marks them); ``us_label``/``us_hint``/``us_options`` replace them in the
US direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stca.desk.web import _probes as probes
from stca.desk.web._i18n import N_
from stca.desk.web._probes import Probe
from stca.desk.web._vocab import (
    DEATH_PENALTY,
    DIRECTIONS,
    DOCUMENTS,
    ENTRY_PLACES,
    INADMISSIBILITY,
    MARITAL,
    PRIOR_CLAIM,
    US_DOCUMENTS,
)

#: The direction value of a claim made in the United States (law.md §4 ``direction``).
US_DIRECTION = "CANADA_TO_US"
Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Question:
    """One question of the interview.

    Attributes:
        key: the form field name (also the HTML id).
        kind: ``select``, ``date``, ``time``, ``bool``, ``number``, ``countries``, ``country``,
            ``checkboxes`` or ``family``.
        label: English msgid of the question.
        hint: English msgid of the help text under it (may be empty).
        fields: the fact fields the answer fills (compared with ``facts_read``).
        section: which fieldset it belongs to.
        options: (value, English label) pairs for select and checkboxes.
        probe: alternative answers to try; None means "read is enough".
        always: asked for everyone (direction, entry place and date open every interview).
        us_label, us_hint, us_options: replacements for a claim made in the United States.
    """

    key: str
    kind: str
    label: str
    hint: str
    fields: tuple[str, ...]
    section: str
    options: Options = ()
    probe: Probe | None = None
    always: bool = False
    us_label: str = ""
    us_hint: str | None = None
    us_options: Options | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def text(self, direction: str) -> tuple[str, str]:
        """(label, hint) msgids for a claim in this direction."""
        if direction != US_DIRECTION:
            return self.label, self.hint
        return self.us_label or self.label, self.hint if self.us_hint is None else self.us_hint

    def choices(self, direction: str) -> Options:
        """The options offered in this direction."""
        if direction == US_DIRECTION and self.us_options is not None:
            return self.us_options
        return self.options


#: (key, English title, English title for a claim in the United States).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("entry", N_("Entry and claim"), N_("Entry and claim")),
    ("person", N_("The claimant"), N_("The claimant")),
    ("family", N_("Family members in Canada"), N_("Family members in the United States")),
    ("exceptions", N_("Documents and other exceptions"), N_("Documents and other exceptions")),
    ("other", N_("Other grounds of ineligibility (IRPA 101(1))"), N_("Other grounds of ineligibility (IRPA 101(1))")),
)


def section_title(section: tuple[str, str, str], direction: str) -> str:
    """The section's title msgid in this direction."""
    return section[2] if direction == US_DIRECTION else section[1]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "direction",
        "select",
        N_("Where is the refugee claim made?"),
        N_("Each country applies its own rules to claims made on its side of the border."),
        ("direction",),
        "entry",
        DIRECTIONS,
        always=True,
    ),
    Question(
        "entry_place",
        "select",
        N_("Where did the person seek to enter Canada?"),
        "",
        ("entry_place",),
        "entry",
        ENTRY_PLACES,
        always=True,
        us_label=N_("Where did the person seek to enter the United States?"),
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
        "entry_time",
        "time",
        N_("Time of entry (local time, 24-hour clock)"),
        N_("Asked only when the minute of entry can change the result, as on the day the Additional "
           "Protocol took effect (25 March 2023, 00:01 Eastern time)."),
        ("entry_instant",),
        "entry",
        probe=probes.entry_instants,
    ),
    Question(
        "claim_at_entry",
        "bool",
        N_("Was the claim made at the port of entry, when seeking entry?"),
        N_("Answer no if the person was admitted and claimed later, inland."),
        ("claim_at_entry",),
        "entry",
        probe=probes.flip("claim_at_entry", True),
    ),
    Question(
        "in_transit_removal_from_us",
        "bool",
        N_("Is the person in transit through Canada while being removed from the United States?"),
        N_("Removal order from the US, arriving at a Canadian airport in the course of its enforcement."),
        ("in_transit_removal_from_us",),
        "entry",
        probe=probes.flip("in_transit_removal_from_us"),
    ),
    Question(
        "in_transit_removal_from_canada",
        "bool",
        N_("Is the person in transit through the United States while being removed from Canada?"),
        N_("Removal order from Canada, in the course of its enforcement."),
        ("in_transit_removal_from_canada",),
        "entry",
        probe=probes.flip("in_transit_removal_from_canada"),
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
        probe=probes.claim_dates,
    ),
    Question(
        "came_from_other_party",
        "bool",
        N_("Did the person come to Canada directly or indirectly from the United States?"),
        "",
        ("came_from_other_party",),
        "entry",
        probe=probes.flip("came_from_other_party", True),
        us_label=N_("Was Canada the last country the person was in before arriving in the United States?"),
    ),
    Question(
        "nationalities",
        "countries",
        N_("Nationalities"),
        N_("Each country by its name or two-letter code, separated by commas, e.g. Colombia, VE. For a "
           "stateless person, answer the next question instead."),
        ("nationalities",),
        "person",
        probe=probes.nationalities,
    ),
    Question(
        "stateless",
        "bool",
        N_("Is the person stateless?"),
        "",
        ("stateless", "former_habitual_residence"),
        "person",
        probe=probes.stateless,
    ),
    Question(
        "habitual_residence",
        "country",
        N_("Country of habitual residence"),
        N_("For a person without a nationality: the country where the person habitually lives, e.g. Canada or CA."),
        ("habitual_residence",),
        "person",
        probe=probes.habitual_residence,
    ),
    Question(
        "age_years",
        "number",
        N_("Age on the claim date"),
        "",
        ("age_years",),
        "person",
        probe=probes.values("age_years", (15,)),
    ),
    Question(
        "marital",
        "select",
        N_("Does the person have a spouse or common-law partner?"),
        "",
        ("marital",),
        "person",
        MARITAL,
        probe=probes.values("marital", ("NONE", "SPOUSE")),
    ),
    Question(
        "accompanied_by_parent_or_legal_guardian",
        "bool",
        N_("Is the person accompanied by their mother, father or legal guardian?"),
        "",
        ("accompanied_by_parent_or_legal_guardian",),
        "person",
        probe=probes.flip("accompanied_by_parent_or_legal_guardian"),
    ),
    Question(
        "parent_or_legal_guardian_in_canada",
        "bool",
        N_("Does the person have a mother, father or legal guardian in Canada?"),
        "",
        ("parent_or_legal_guardian_in_canada",),
        "person",
        probe=probes.flip("parent_or_legal_guardian_in_canada"),
    ),
    Question(
        "parent_or_legal_guardian_in_us",
        "bool",
        N_("Does the person have a mother, father or legal guardian in the United States?"),
        "",
        ("parent_or_legal_guardian_in_us",),
        "person",
        probe=probes.flip("parent_or_legal_guardian_in_us"),
    ),
    Question(
        "family_members",
        "family",
        N_("Does the person have a family member in Canada?"),
        N_("Add each family member who could help: status in Canada and age matter."),
        ("family_members",),
        "family",
        probe=probes.add_relative,
        us_label=N_("Does the person have a family member in the United States?"),
        us_hint=N_("Add each family member who could help: their status in the United States matters (a "
                   "visitor does not count)."),
    ),
    Question(
        "documents_held",
        "checkboxes",
        N_("Documents held by the person"),
        N_("Do not count a document issued only for transit through Canada."),
        ("documents_held",),
        "exceptions",
        DOCUMENTS,
        probe=probes.add_each("documents_held", ("CA_TRV", "CA_WORK_PERMIT", "US_VISA_NON_TRANSIT")),
        us_hint=N_("Count a visa or admission document issued by the United States, other than for transit."),
        us_options=US_DOCUMENTS,
    ),
    Question(
        "visa_required_canada",
        "bool",
        N_("Does the person need a visa to enter Canada?"),
        "",
        ("visa_required_canada",),
        "exceptions",
        probe=probes.flip("visa_required_canada", True),
    ),
    Question(
        "visa_required_us",
        "bool",
        N_("Does the person need a visa to enter the United States?"),
        "",
        ("visa_required_us",),
        "exceptions",
        probe=probes.flip("visa_required_us", True),
    ),
    Question(
        "us_public_interest_determination",
        "bool",
        N_("Has the Director of USCIS decided it is in the public interest to let the person claim asylum "
           "in the United States?"),
        "",
        ("us_public_interest_determination",),
        "exceptions",
        probe=probes.flip("us_public_interest_determination"),
    ),
    Question(
        "refused_entry_us_no_claim_adjudicated",
        "bool",
        N_("Is the person returning after being refused entry to the US without a claim decided there?"),
        "",
        ("refused_entry_us_no_claim_adjudicated",),
        "exceptions",
        probe=probes.flip("refused_entry_us_no_claim_adjudicated"),
    ),
    Question(
        "death_penalty",
        "select",
        N_("Is the person charged with or convicted of a capital offence?"),
        "",
        ("death_penalty", "death_penalty_offence_punishable_by_death"),
        "exceptions",
        DEATH_PENALTY,
        probe=probes.death_penalty,
    ),
    Question(
        "tsr_country_national",
        "bool",
        N_("Is the person a national of a country under a temporary suspension of removals?"),
        N_("IRPR 230 stays in force on the claim date (2004–2009 only)."),
        ("tsr_country_national",),
        "exceptions",
        probe=probes.flip("tsr_country_national"),
    ),
    Question(
        "inadmissibility_determined",
        "checkboxes",
        N_("Inadmissibility already determined"),
        "",
        ("inadmissibility_determined",),
        "other",
        INADMISSIBILITY,
        probe=probes.add_each("inadmissibility_determined", ("SECURITY_34",)),
    ),
    Question(
        "prior_claim_other_country_confirmed",
        "bool",
        N_("Is an earlier claim in another country confirmed by information sharing?"),
        "",
        ("prior_claim_other_country_confirmed",),
        "other",
        probe=probes.flip("prior_claim_other_country_confirmed"),
    ),
    Question(
        "recognized_refugee_elsewhere_returnable",
        "bool",
        N_("Is the person a recognized refugee in another country that will take them back?"),
        "",
        ("recognized_refugee_elsewhere_returnable",),
        "other",
        probe=probes.flip("recognized_refugee_elsewhere_returnable"),
    ),
    Question(
        "prior_canadian_claim",
        "select",
        N_("Earlier refugee claim in Canada"),
        "",
        ("prior_canadian_claim",),
        "other",
        PRIOR_CLAIM,
        probe=probes.values("prior_canadian_claim", ("REJECTED",)),
    ),
)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}
