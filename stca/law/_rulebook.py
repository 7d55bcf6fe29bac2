"""The rule sets of both countries, split by stage, and the index the vectorised evaluator codes rules by."""

from __future__ import annotations

from dataclasses import dataclass

from stca.law import _canada, _united_states
from stca.law._rule import Rule, Stage


@dataclass(frozen=True)
class Book:
    """One country's rules in procedure order, by stage."""

    country: str
    scope: tuple[Rule, ...]
    decide: tuple[Rule, ...]
    parallel: tuple[Rule, ...]
    overlay: tuple[Rule, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """All rules in the order the engine consults them."""
        return self.scope + self.decide + self.parallel + self.overlay


def _book(country: str, rules: tuple[Rule, ...]) -> Book:
    def of(stage: Stage) -> tuple[Rule, ...]:
        return tuple(r for r in rules if r.stage is stage)

    return Book(country, of(Stage.SCOPE), of(Stage.DECIDE), of(Stage.PARALLEL), of(Stage.OVERLAY))


CANADA = _book("CA", _canada.RULES)
UNITED_STATES = _book("US", _united_states.RULES)
BOOKS = {"CA": CANADA, "US": UNITED_STATES}
ALL_RULES: tuple[Rule, ...] = CANADA.rules + UNITED_STATES.rules
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in ALL_RULES}
#: Rule index used by the vectorised evaluator for ``deciding_provision`` codes.
RULE_INDEX: dict[str, int] = {r.id: i for i, r in enumerate(ALL_RULES)}
