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

A question the officer has already answered with a non-default value stays visible so it can be
undone.
"""

from __future__ import annotations

from typing import Any

from stca.desk.web._probes import Facts, Probe
from stca.desk.web._questions import QUESTIONS, Question
from stca.desk.web._vocab import DEFAULT_ENTRY_TIME, DEFAULT_TIME_ZONE
from stca.law import Determination, FactsError, determine


def signature(d: Determination) -> tuple[Any, ...]:
    """What an answer must change to matter: result, deciding provision, other grounds."""
    return (d.stca_result, d.deciding_provision, tuple(d.other_ineligibility))


def _changes(probe: Probe, facts: Facts, base: tuple[Any, ...], policy: str) -> bool:
    for variant in probe(facts):
        try:
            if signature(determine(variant, policy=policy)) != base:
                return True
        except FactsError:
            continue
    return False


def is_answered(question: Question, answers: Facts) -> bool:
    """True when the officer gave a value different from the default (keep the question visible)."""
    if question.key == "entry_time":
        return (answers.get("entry_time", DEFAULT_ENTRY_TIME) != DEFAULT_ENTRY_TIME
                or answers.get("entry_zone", DEFAULT_TIME_ZONE) != DEFAULT_TIME_ZONE)
    if question.key not in answers:
        return False
    value = answers[question.key]
    if question.default is None:
        if question.key == "claim_local_date":
            return bool(value != answers.get("entry_local_date"))
        return bool(value)
    return bool(value != question.default)


def visible_questions(
    facts: Facts, determination: Determination | None, answers: Facts, *, policy: str = "law"
) -> list[Question]:
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
                and (question.probe is None or _changes(question.probe, facts, base, policy))
            )
        ):
            shown.append(question)
    return shown
