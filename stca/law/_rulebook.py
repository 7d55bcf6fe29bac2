"""The rule sets of both countries, split by stage; the one in-force check; the one plan every evaluator
walks (the walk itself is generated from it, ``_walk.py``)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import lru_cache, reduce

from stca.law import _canada, _united_states
from stca.law._context import Compiled
from stca.law._determination import APPLIES, INELIGIBLE, OVERLAY_APPLIED
from stca.law._expr import CASE, Expr, const_value, fold
from stca.law._rule import Field, Rule, Stage
from stca.law._uncertain import Switches
from stca.law._walk import Walk, compile_walk


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


# --- the one plan every evaluator walks ------------------------------------------------------------------

#: The case attribute an in-force window is compared with.
_WINDOW_ATTR = {Field.CLAIM: CASE.claim_day, Field.DETERMINATION: CASE.det_day, Field.ENTRY: CASE.entry_day,
                Field.INSTANT: CASE.instant}


def in_force(rule: Rule) -> Expr:
    """The one in-force check: every window of the rule holds (``start <= fact < end``), or its switch
    brings the rule into force for a claim made on or after ``start`` (``Window.or_claim_switch``)."""
    terms: list[Expr] = []
    for w in rule.in_force:
        value = _WINDOW_ATTR[w.on]
        bounds = CASE.p.sec if w.on is Field.INSTANT else CASE.p.day
        window = ([value >= bounds[w.start]] if w.start is not None else []) + (
            [value < bounds[w.end]] if w.end is not None else [])
        holds = reduce(operator.and_, window)
        if w.or_claim_switch is not None and w.start is not None:
            holds = holds | (getattr(CASE.sw, w.or_claim_switch) & (CASE.claim_day >= CASE.p.day[w.start]))
        terms.append(holds)
    return reduce(operator.and_, terms) if terms else CASE.true


class Entry:
    """One rule of a plan: its conditions folded for one policy and set of switches."""

    __slots__ = ("available", "flags", "in_force", "index", "outcome", "rule", "when")

    def __init__(self, rule: Rule, outcome: str, p: Compiled, sw: Switches) -> None:
        self.rule = rule
        self.outcome = outcome
        self.index = RULE_INDEX[rule.id]
        self.when = fold(rule.when, p, sw)
        force = fold(in_force(rule), p, sw)
        self.in_force: Expr | None = None if const_value(force) is True else force
        self.available = None if rule.available is None else fold(rule.available, p, sw)
        self.flags = tuple((f.point, None if f.pred is None else fold(f.pred, p, sw)) for f in rule.flags)


@dataclass(frozen=True, eq=False)
class Plan:
    """A country's rule book for one policy and set of switches, in procedure order, by stage."""

    country: str
    scope: tuple[Entry, ...]
    decide: tuple[Entry, ...]
    parallel: tuple[Entry, ...]
    overlay: tuple[Entry, ...]
    _walks: dict[bool, Walk] = field(default_factory=dict)

    def walk(self, arrays: bool) -> Walk:
        """The decision procedure over this plan, generated for one case or a population (``_walk.py``)."""
        fn = self._walks.get(arrays)
        if fn is None:
            fn = self._walks[arrays] = compile_walk(self, arrays)
        return fn


@lru_cache(maxsize=256)
def plan(country: str, p: Compiled, sw: Switches) -> Plan:
    """The rule book of ``country`` with switches and parameters folded (computed once per policy/switches)."""
    book = BOOKS[country]

    def entries(rules: tuple[Rule, ...], met: str | None) -> tuple[Entry, ...]:
        return tuple(Entry(r, met or (r.outcome.value if r.outcome else ""), p, sw) for r in rules)

    return Plan(country, entries(book.scope, APPLIES), entries(book.decide, None),
                entries(book.parallel, INELIGIBLE), entries(book.overlay, OVERLAY_APPLIED))
