"""Which questions the interview asks now: the engine's ``facts_read`` plus probes (see ``_probes``).

A question is asked when two things hold, both answered by ``stca.law.determine`` under the policy
the officer chose:

1. *Read*: one of its fact fields is in ``Determination.facts_read`` — the rules consulted for this
   person on this date actually look at it (an airport arrival in Canada never reaches the family
   exceptions of IRPR 159.5, and Canadian rules never read ``us_public_interest_determination``);
2. *Could matter*: for questions with probes, at least one plausible alternative answer changes the
   outcome (result, deciding provision or other ineligibility grounds). This hides the claim date
   for a between-ports entry before the Protocol (every claim date gives IRPR 159.4(1)(a)), shows it
   after 2023-03-25, and shows the time of entry only on the days when the minute can matter.

Every question starts unanswered (the law's defaults never stand in for an answer); one the officer
answered stays visible so it can be changed. ``pending`` lists the questions shown but not yet
answered nor recorded as unknown with a reason: while any remains, no result is shown or saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stca.desk.web._i18n import N_
from stca.desk.web._probes import Facts, Probe, entry_instants
from stca.desk.web._questions import BY_KEY, QUESTIONS, US_DIRECTION, Question
from stca.law import Determination, FactsError, determine


def signature(d: Determination) -> tuple[Any, ...]:
    """What an answer must change to matter: result, deciding provision, other grounds."""
    return (d.stca_result, d.deciding_provision, tuple(d.other_ineligibility))


def _changes(probe: Probe, facts: Facts, base: tuple[Any, ...], policy: str) -> bool:
    if probe is entry_instants:
        return _minute_matters(facts, policy)
    for variant in probe(facts):
        try:
            if signature(determine(variant, policy=policy)) != base:
                return True
        except FactsError:
            continue
    return False


def law_changes(determination: Determination | None) -> dict[str, list[tuple[str, str]]]:
    """The law core's own "what could change the result" (``Determination.could_change``), by question.

    For each question whose fact was left unanswered: the results and deciding provisions another answer
    would give. The interview asks every such question (whatever its probes say) and shows, next to it in
    the list of open questions, what the answer could change.
    """
    if determination is None:
        return {}
    try:
        changes = determination.could_change
    except (ValueError, FactsError):
        return {}
    by_key: dict[str, list[tuple[str, str]]] = {}
    for change in changes:
        for question in QUESTIONS:
            if change.fact in question.fields:
                outcome = (change.stca_result, change.deciding_provision)
                if outcome not in by_key.setdefault(question.key, []):
                    by_key[question.key].append(outcome)
    return by_key


def _minute_matters(facts: Facts, policy: str) -> bool:
    """The time of entry matters when, for the same claim date, the first and the last instant of the
    entry day give different outcomes (a different claim date alone must not make the minute matter)."""
    by_claim: dict[str, set[tuple[Any, ...]]] = {}
    for variant in entry_instants(facts):
        try:
            outcome = signature(determine(variant, policy=policy))
        except FactsError:
            continue
        by_claim.setdefault(str(variant.get("claim_local_date")), set()).add(outcome)
    return any(len(outcomes) > 1 for outcomes in by_claim.values())


def is_answered(question: Question, answers: Facts) -> bool:
    """True when the officer gave an answer (any answer: nothing is assumed, issue 11 §1)."""
    return question.key in answers


def visible_questions(
    facts: Facts | None, determination: Determination | None, answers: Facts, *, policy: str = "law",
    keep: Iterable[str] = (), law_says: Iterable[str] = (),
) -> list[Question]:
    """The questions to ask now, in interview order (see the module docstring).

    ``keep`` names questions shown whatever the engine says: those recorded as unknown and those
    whose answer was not accepted (the field stays, with the value as typed and its error);
    ``law_says`` those the law core's ``could_change`` lists (``law_changes``).
    """
    kept = {*keep, *law_says}
    if determination is None or facts is None:
        return [q for q in QUESTIONS if q.always or q.key in kept or is_answered(q, answers)]
    read = set(determination.facts_read)
    base = signature(determination)
    shown: list[Question] = []
    for question in QUESTIONS:
        if (
            question.always
            or question.key in kept
            or is_answered(question, answers)
            or (
                read.intersection(question.fields)
                and (question.probe is None or _changes(question.probe, facts, base, policy))
            )
        ):
            shown.append(question)
    return shown


@dataclass(frozen=True)
class Pending:
    """One answer the result still depends on: its form field and label msgid (relative's number)."""

    key: str
    label: str
    relative: int | None = None


#: Fields of a relative, as the interview shows them (label msgids), asked in this order.
MEMBER_LABELS = {
    "relationship": N_("Relationship to the person"),
    "location": N_("Where is this relative?"),
    "age_years": N_("Age"),
    "ca_status": N_("Status in Canada"),
    "us_status": N_("Status in the United States"),
    "claim_state": N_("State of the relative's claim"),
    "us_asylum_forum": N_("Where is the asylum application pending?"),
    "permit_valid": N_("Is the permit valid (not expired or cancelled)?"),
    "work_permit_r206_1_b": N_(
        "Was the work permit issued because of an unenforceable removal order (IRPR 206(1)(b))?"),
}


def member_fields(member: Facts, us: bool) -> list[str]:
    """The fields asked for one relative, given what is answered so far."""
    fields = ["relationship", "location", "age_years", "us_status" if us else "ca_status"]
    if us and member.get("us_status") == "ASYLUM_PENDING":
        fields.append("us_asylum_forum")
    if not us and member.get("ca_status") == "REFUGEE_CLAIMANT":
        fields.append("claim_state")
    if not us and member.get("ca_status") in ("WORK_PERMIT", "STUDY_PERMIT"):
        fields.append("permit_valid")
        if member.get("ca_status") == "WORK_PERMIT":
            fields.append("work_permit_r206_1_b")
    return fields


def pending(visible: list[Question], answers: Facts, unknown: Facts, direction: str) -> list[Pending]:
    """Questions shown but neither answered nor recorded as unknown: Save waits for them."""
    out: list[Pending] = []
    us = direction == US_DIRECTION
    for q in visible:
        if q.key in unknown:
            continue
        label = q.text(direction)[0]
        if not is_answered(q, answers):
            out.append(Pending(q.key, label))
        elif q.key == "entry_time" and "entry_zone" not in answers:
            out.append(Pending("entry_zone", N_("Time zone of the place of entry")))
        elif q.key == "death_penalty" and answers[q.key] != "NONE" and (
                "death_penalty_offence_punishable_by_death" not in answers):
            out.append(Pending("death_penalty_offence_punishable_by_death",
                               N_("Is the offence punishable by death where the person is charged or convicted?")))
        elif q.key == "family_members":
            for i, member in enumerate(answers.get("family_members") or []):
                out.extend(Pending(f"fm-{i}-{name}", MEMBER_LABELS[name], i + 1)
                           for name in member_fields(member, us) if name not in member)
    return out


_BOOL_FIELDS = frozenset(
    [q.key for q in QUESTIONS if q.kind == "bool"]
    + ["death_penalty_offence_punishable_by_death", "unaccompanied_minor"]
)


def anchor(key: str) -> str:
    """The id of the first control of a form field (where an error or "answer this" link goes)."""
    question = BY_KEY.get(key)
    if question is not None and question.kind == "checkboxes":
        return f"{key}-{question.options[0][0]}"
    if question is not None and question.kind == "family":
        return "has_family-yes"
    if key in _BOOL_FIELDS or key.endswith(("-permit_valid", "-work_permit_r206_1_b")):
        return f"{key}-yes"
    return key
