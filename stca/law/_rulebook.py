"""The rule sets of both countries, split by stage; the one in-force check; the one plan every evaluator walks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, TypeVar

from stca.law import _canada, _united_states
from stca.law._context import Compiled
from stca.law._determination import APPLIES, INELIGIBLE, OVERLAY_APPLIED
from stca.law._expr import CASE, Expr, compile_py, const_value, fold
from stca.law._rule import Field, Rule, Stage
from stca.law._uncertain import Switches


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
    cond = CASE.true
    for w in rule.in_force:
        value = _WINDOW_ATTR[w.on]
        bounds = CASE.p.sec if w.on is Field.INSTANT else CASE.p.day
        holds = CASE.true
        if w.start is not None:
            holds = holds & (value >= bounds[w.start])
        if w.end is not None:
            holds = holds & (value < bounds[w.end])
        if w.or_claim_switch is not None and w.start is not None:
            holds = holds | (getattr(CASE.sw, w.or_claim_switch) & (CASE.claim_day >= CASE.p.day[w.start]))
        cond = cond & holds
    return cond


class Entry:
    """One rule of a plan: its conditions folded for one policy and set of switches, and compiled for a
    context on first use (``compiled(arrays)``: ``ScalarCase`` when false, ``ArrayCase`` when true)."""

    __slots__ = ("_compiled", "available", "flags", "in_force", "index", "outcome", "rule", "when")

    def __init__(self, rule: Rule, outcome: str, p: Compiled, sw: Switches) -> None:
        self.rule = rule
        self.outcome = outcome
        self.index = RULE_INDEX[rule.id]
        self.when = fold(rule.when, p, sw)
        force = fold(in_force(rule), p, sw)
        self.in_force: Expr | None = None if const_value(force) is True else force
        self.available = None if rule.available is None else fold(rule.available, p, sw)
        self.flags = tuple((f.point, None if f.pred is None else fold(f.pred, p, sw)) for f in rule.flags)
        self._compiled: dict[bool, Compiled_] = {}

    def compiled(self, arrays: bool) -> Compiled_:
        """(when, in_force, available, flags) as Python functions of a context; None where absent."""
        out = self._compiled.get(arrays)
        if out is None:
            def fn(e: Expr | None) -> Cond | None:
                return None if e is None else compile_py(e, arrays)

            out = self._compiled[arrays] = Compiled_(
                fn(self.when), fn(self.in_force), fn(self.available),
                tuple((point, fn(pred)) for point, pred in self.flags))
        return out


#: A compiled condition: a function of a case context (one case, or a population).
Cond = Callable[[Any], Any]


class Compiled_(NamedTuple):
    """An entry's conditions compiled for one kind of context."""

    when: Cond | None
    in_force: Cond | None
    available: Cond | None
    flags: tuple[tuple[str, Cond | None], ...]


@dataclass(frozen=True)
class Plan:
    """A country's rule book for one policy and set of switches, in procedure order, by stage."""

    country: str
    scope: tuple[Entry, ...]
    decide: tuple[Entry, ...]
    parallel: tuple[Entry, ...]
    overlay: tuple[Entry, ...]


@lru_cache(maxsize=256)
def plan(country: str, p: Compiled, sw: Switches) -> Plan:
    """The rule book of ``country`` with switches and parameters folded (computed once per policy/switches)."""
    book = BOOKS[country]

    def entries(rules: tuple[Rule, ...], met: str | None) -> tuple[Entry, ...]:
        return tuple(Entry(r, met or (r.outcome.value if r.outcome else ""), p, sw) for r in rules)

    return Plan(country, entries(book.scope, APPLIES), entries(book.decide, None),
                entries(book.parallel, INELIGIBLE), entries(book.overlay, OVERLAY_APPLIED))


M = TypeVar("M")


class Lanes(Protocol[M]):
    """What the walk needs from an evaluator: a set of rows ``M`` (one case: a bool; a population: a bool
    array), conditions evaluated on those rows, and somewhere to record what each rule said."""

    def holds(self, cond: Cond | None, within: M) -> M:
        """The rows of ``within`` where ``cond`` holds (``within`` itself when there is no condition)."""

    def but(self, a: M, b: M) -> M:
        """Rows of ``a`` not in ``b``."""

    def empty(self, rows: M) -> bool:
        """No row at all."""

    def flag(self, point: str, rows: M) -> None:
        """The result of these rows relies on UNCERTAIN ``point``."""

    def mode(self, name: str, rows: M) -> None:
        """A scope rule established mode ``name`` (``transit``, ``between``) for these rows."""

    def step(self, entry: Entry, consulted: M, active: M, met: M) -> None:
        """``entry`` was reached for rows ``active``, in force for ``consulted``, met for ``met``."""


def walk(p: Plan, lanes: Lanes[M], every: M) -> None:
    """The decision procedure (law.md §5–6), written once for one case and for a population: scope rules,
    then decide rules until the first one met, then every parallel ground and the overlay."""
    arrays = not isinstance(every, bool)

    def raise_flags(fns: Compiled_, consulted: M, met: M) -> None:
        for point, pred in fns.flags:
            lanes.flag(point, met if pred is None else lanes.holds(pred, consulted))

    for e in p.scope:
        fns = e.compiled(arrays)
        hit = lanes.holds(fns.when, lanes.holds(fns.in_force, every))
        raise_flags(fns, every, hit)  # conditional flags for every row of the book (law.md §1.3)
        lanes.mode(e.rule.sets or "", hit)
        lanes.step(e, hit, hit, hit)
    undecided = every
    for e in p.decide:
        fns = e.compiled(arrays)
        active = lanes.holds(fns.available, undecided)
        if lanes.empty(active):
            continue
        consulted = lanes.holds(fns.in_force, active)
        met = lanes.holds(fns.when, consulted)
        raise_flags(fns, consulted, met)
        lanes.step(e, consulted, active, met)
        undecided = lanes.but(undecided, met)
        if lanes.empty(undecided):
            break
    for e in p.parallel + p.overlay:
        fns = e.compiled(arrays)
        consulted = lanes.holds(fns.in_force, every)
        met = lanes.holds(fns.when, consulted)
        raise_flags(fns, consulted, met)
        lanes.step(e, consulted, every, met)
