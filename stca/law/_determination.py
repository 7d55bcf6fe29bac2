"""The result of one determination, and how it reads in English and French."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from stca.law._rule import Rule
from stca.law._uncertain import POINTS_BY_ID

if TYPE_CHECKING:
    from stca.law._could_change import Change
    from stca.law._facts import Facts
    from stca.law._policy import Policy
    from stca.law._uncertain import Switches

#: Path outcomes other than the three results.
APPLIES, NOT_MET, NOT_IN_FORCE, INELIGIBLE, OVERLAY_APPLIED = (
    "applies", "not met", "not in force", "INELIGIBLE", "applied")


class Step(NamedTuple):
    """One rule consulted: what it said about this case (a tuple, because millions are made)."""

    rule: Rule
    outcome: str
    values: tuple[tuple[str, int], ...] = ()

    def reason(self, lang: str = "en") -> str:
        """Why the rule came out as it did, in ``lang``."""
        if self.outcome == NOT_IN_FORCE:
            return ("Not in force on the relevant date." if lang != "fr"
                    else "Pas en vigueur à la date pertinente.")
        met = self.outcome != NOT_MET
        text = (self.rule.met if met else self.rule.not_met).get(lang)
        return text.format(**dict(self.values)) if self.values and "{" in text else text

    def to_dict(self, lang: str = "en") -> dict[str, str]:
        """The path entry of contract.md §2."""
        return {"rule": self.rule.id, "citation": self.rule.citation, "outcome": self.outcome,
                "reason": self.reason(lang)}


_HEADLINE = {
    "BARRED": ("The Safe Third Country Agreement bars this claim ({cite}).",
               "L'Entente sur les tiers pays sûrs rend cette demande irrecevable ({cite})."),
    "NOT_BARRED": ("The Safe Third Country Agreement reaches this claim, but an exception applies ({cite}), so the "
                   "Agreement does not bar it.",
                   "L'Entente sur les tiers pays sûrs vise cette demande, mais une exception s'applique ({cite}) : "
                   "l'Entente ne la rend donc pas irrecevable."),
    "NOT_APPLICABLE": ("The Safe Third Country Agreement does not apply to this claim ({cite}).",
                       "L'Entente sur les tiers pays sûrs ne s'applique pas à cette demande ({cite})."),
}


@dataclass(frozen=True)
class Determination:
    """What the law gives for one case on its date, with everything needed to explain and replay it."""

    stca_result: str
    deciding_provision: str
    deciding_rule: str
    trace: tuple[tuple[Rule, str], ...]
    values: tuple[tuple[str, int], ...]
    other_ineligibility: tuple[str, ...]
    covid_direct_back: bool
    uncertain: tuple[str, ...]
    law_version: str
    policy: str
    direction: str
    #: what was decided: the validated facts, the policy and the switches (``could_change`` replays them)
    inputs: tuple[Facts, Policy, Switches] | None = field(default=None, repr=False, compare=False)

    @property
    def law_known_on(self) -> dt.date | None:
        """Today, when the case is decided after today (its decision or claim date is in the future): the
        rules applied are the law as known today, and later changes cannot be foreseen. None otherwise."""
        if self.inputs is None:
            return None
        from stca.law._facts import today

        day = today()
        return day if self.inputs[0].decided_on > day else None

    @cached_property
    def could_change(self) -> tuple[Change, ...]:
        """The facts left at their default that would change ``stca_result`` if established otherwise
        (``stca.law.could_change``), computed on first use."""
        from stca.law._could_change import could_change

        if self.inputs is None:
            raise ValueError("this determination was not made by determine(): its facts are unknown")
        facts, policy, switches = self.inputs
        return could_change(facts, policy=policy, switches=switches, determination=self)

    @cached_property
    def path(self) -> tuple[Step, ...]:
        """Every rule consulted, in order, with its outcome."""
        return tuple(Step(rule, outcome, self.values) for rule, outcome in self.trace)

    @property
    def facts_read(self) -> tuple[str, ...]:
        """The fact fields the consulted rules read: the questions that mattered for this case."""
        return tuple(dict.fromkeys(f for rule, outcome in self.trace if outcome != NOT_IN_FORCE
                                   for f in rule.reads))

    def explanation(self, lang: str = "en") -> str:
        """A plain-language paragraph a claimant could read."""
        fr = lang == "fr"
        parts = [_HEADLINE[self.stca_result][1 if fr else 0].format(cite=self.deciding_provision)]
        path = self.path
        for step in path:
            if step.outcome == APPLIES or step.rule.id == self.deciding_rule:
                parts.append(step.reason(lang))
        grounds = [s for s in path if s.outcome == INELIGIBLE]
        if grounds:
            lead = ("Indépendamment de l'Entente, la demande est irrecevable pour un autre motif : " if fr
                    else "Separately from the Agreement, the claim is ineligible on another ground: ")
            parts.append(lead + " ".join(f"{s.rule.citation} — {s.reason(lang)}" for s in grounds))
        if self.covid_direct_back:
            parts.append(next(s.reason(lang) for s in path if s.outcome == OVERLAY_APPLIED))
        if self.uncertain:
            lead = ("Cette réponse repose sur des points de droit non tranchés : " if fr
                    else "This answer relies on points of law that are not settled: ")
            parts.append(lead + "; ".join(POINTS_BY_ID[u].describe(lang) for u in self.uncertain) + ".")
        known = self.law_known_on
        if known is not None:
            parts.append(f"La décision est datée après aujourd'hui : elle applique le droit tel qu'il est connu le "
                          f"{known.isoformat()}, sans prévoir ses changements." if fr else
                          f"The decision is dated after today: it applies the law as known on {known.isoformat()}, "
                          f"and cannot foresee later changes.")
        if self.policy != "law":
            parts.append(("Scénario appliqué au lieu du droit en vigueur : " if fr
                          else "Policy scenario applied instead of the law in force: ") + self.policy + ".")
        return " ".join(p for p in parts if p)

    def to_dict(self, lang: str = "en", *, could_change: bool = False) -> dict[str, Any]:
        """The JSON object of contract.md §2 (plus ``deciding_rule``, ``policy`` and ``uncertain_points``).

        A case decided after today also has ``law_known_on``: today's date, the law it was decided under.
        With ``could_change``, also the key ``could_change``: a list of objects ``{fact, meaning, values,
        stca_result, deciding_provision, deciding_rule, rule_title}``, one per fact left at its default and
        outcome it would lead to (``Change.to_dict``). It is asked for, not always given, because it replays
        the case once per value tried (about thirty times).
        """
        out = self._json(lang)
        known = self.law_known_on
        if known is not None:
            out["law_known_on"] = known.isoformat()
        if could_change:
            out["could_change"] = [c.to_dict(lang) for c in self.could_change]
        return out

    def _json(self, lang: str) -> dict[str, Any]:
        return {
            "stca_result": self.stca_result,
            "deciding_provision": self.deciding_provision,
            "deciding_rule": self.deciding_rule,
            "path": [s.to_dict(lang) for s in self.path],
            "other_ineligibility": list(self.other_ineligibility),
            "covid_direct_back": self.covid_direct_back,
            "uncertain": list(self.uncertain),
            "uncertain_points": [
                {"id": u, "law_md": POINTS_BY_ID[u].section, "point": POINTS_BY_ID[u].describe(lang),
                 "reading_applied": POINTS_BY_ID[u].reading, "switch": POINTS_BY_ID[u].switch,
                 "sources": list(POINTS_BY_ID[u].sources)}
                for u in self.uncertain
            ],
            "explanation": self.explanation(lang),
            "law_version": self.law_version,
            "policy": self.policy,
            "direction": self.direction,
        }
