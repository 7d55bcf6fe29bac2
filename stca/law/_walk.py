"""The decision procedure (law.md §5–6), written once and generated for one case or for a population.

``walk_source`` turns a plan (``_rulebook.plan``: the rule book with switches and parameters folded)
into the source of one Python function that walks it: scope rules, then decide rules until the first
one met, then every parallel ground and the overlay. The same generator writes it in two dialects:

* one case (``ScalarCase``): short-circuit ``and``/``or``, an early ``return`` at the first decide rule
  met, and each step appended to the path as it is reached;
* a population (``ArrayCase``): bool arrays of the rows still undecided, conditions evaluated only when
  some row reaches them, the deciding rule's index written into ``deciding``.

Conditions are inlined as source (``_expr.source``), so one determination is a straight run of Python
with no call per rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stca.law._context import FROM_FACTS, FROM_FACTS_HELPERS
from stca.law._determination import NOT_IN_FORCE, NOT_MET
from stca.law._expr import Expr, const_value, source
from stca.law._rule import Stage

if TYPE_CHECKING:
    from stca.law._rulebook import Entry, Plan

#: Runs the walk: one case ``(c, trace, flags, grounds) -> (deciding rule, covid)``; a population
#: ``(c, every, out) -> None`` (``out`` holds ``deciding``, ``flags``, ``grounds``, ``covid`` arrays).
Walk = Callable[..., Any]


class _Writer:
    def __init__(self, arrays: bool) -> None:
        self.arrays = arrays
        self.lines: list[str] = []
        self.consts: list[frozenset[int]] = []
        self.names: dict[str, object] = {}

    def name(self, value: object, prefix: str) -> str:
        key = f"{prefix}{len(self.names)}"
        self.names[key] = value
        return key

    def cond(self, e: Expr | None) -> str:
        assert e is not None
        return source(e, self.arrays, self.consts, None if self.arrays else FROM_FACTS)

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)


def _is_true(e: Expr | None) -> bool:
    return e is None or const_value(e) is True


def _scalar(p: Plan, w: _Writer) -> None:
    w.emit(0, "def decide(c, trace, flags):")
    for e in p.decide:
        depth = 1
        if not _is_true(e.available):
            w.emit(depth, f"if {w.cond(e.available)}:")
            depth += 1
        _scalar_step(e, w, depth, decide=True)
    w.emit(1, f"return {w.name(p.decide[-1].rule, 'R')}")
    w.emit(0, "def walk(c, trace, flags, grounds):")
    w.emit(1, "covid = False")
    for e in p.scope:
        rule = w.name(e.rule, "R")
        parts = [w.cond(x) for x in (e.in_force, e.when) if not _is_true(x)]
        w.emit(1, f"if {' and '.join(parts) or 'True'}:")
        w.emit(2, f"trace(({rule}, {e.outcome!r})); c.mode_{e.rule.sets} = True")
        _scalar_flags(e, w, 2, met_only=True)
        _scalar_flags(e, w, 1, met_only=False)  # conditional flags for every case of the book (law.md §1.3)
    w.emit(1, "deciding = decide(c, trace, flags)")
    for e in p.parallel + p.overlay:
        _scalar_step(e, w, 1, decide=False)
    w.emit(1, "return deciding, covid")


def _scalar_flags(e: Entry, w: _Writer, depth: int, met_only: bool) -> None:
    for point, pred in e.flags:
        if (pred is None) is met_only:
            if pred is None:
                w.emit(depth, f"flags({point!r})")
            elif const_value(pred) is not False:
                w.emit(depth, f"if {w.cond(pred)}: flags({point!r})")


def _scalar_step(e: Entry, w: _Writer, depth: int, decide: bool) -> None:
    rule = w.name(e.rule, "R")
    if not _is_true(e.in_force):
        w.emit(depth, f"if not ({w.cond(e.in_force)}):")
        w.emit(depth + 1, f"trace(({rule}, {NOT_IN_FORCE!r}))")
        w.emit(depth, "else:")
        depth += 1
    w.emit(depth, f"m = {w.cond(e.when)}")
    w.emit(depth, f"trace(({rule}, {e.outcome!r} if m else {NOT_MET!r}))")
    _scalar_flags(e, w, depth, met_only=False)
    if any(pred is None for _, pred in e.flags):
        w.emit(depth, "if m:")
        _scalar_flags(e, w, depth + 1, met_only=True)
    if decide:
        w.emit(depth, f"if m: return {rule}")
    elif e.rule.stage is Stage.PARALLEL:
        w.emit(depth, f"if m: grounds({e.rule.citation!r})")
    else:
        w.emit(depth, "if m: covid = True")


def _arrays(p: Plan, w: _Writer) -> None:
    w.emit(0, "def walk(c, every, out):")
    w.emit(1, "F, G = out.flags, out.grounds")
    w.emit(1, "c.mode_transit = c.mode_between = every & False")
    for e in p.scope:
        hit = " & ".join(["every", *(f"({w.cond(x)})" for x in (e.in_force, e.when) if not _is_true(x))])
        w.emit(1, f"c.mode_{e.rule.sets} = h = {hit}")
        for point, pred in e.flags:  # conditional flags for every row of the book (law.md §1.3)
            w.emit(1, f"F[{point!r}] |= " + ("h" if pred is None else f"every & ({w.cond(pred)})"))
    w.emit(1, "def decide(U):")
    for e in p.decide:
        gate = "U" if _is_true(e.available) else f"U & ({w.cond(e.available)})"
        w.emit(2, f"a = {gate}")
        w.emit(2, "if a.any():")
        _array_step(e, w, 3, "a")
        w.emit(3, f"if m.any(): out.decided(m, {e.index})")
        w.emit(3, "U = U & ~m")
        w.emit(3, "if not U.any(): return")
    w.emit(1, "decide(every)")
    for e in p.parallel + p.overlay:
        _array_step(e, w, 1, "every")
        if e.rule.stage is Stage.PARALLEL:
            w.emit(1, f"G[{e.rule.citation!r}] |= m")
        else:
            w.emit(1, "out.covid |= m")


def _array_step(e: Entry, w: _Writer, depth: int, rows: str) -> None:
    k = rows if _is_true(e.in_force) else f"{rows} & ({w.cond(e.in_force)})"
    w.emit(depth, f"k = {k}")
    when = const_value(e.when)
    if when is None:
        w.emit(depth, f"m = k & ({w.cond(e.when)}) if k.any() else k")
    else:
        w.emit(depth, "m = k" if when else "m = k & False")
    for point, pred in e.flags:
        if pred is None:
            w.emit(depth, f"F[{point!r}] |= m")
        elif const_value(pred) is not False:
            w.emit(depth, f"if k.any(): F[{point!r}] |= k & ({w.cond(pred)})")


def walk_source(p: Plan, arrays: bool) -> tuple[str, dict[str, object]]:
    """The source of the walk over plan ``p`` and the names it refers to (rules, sets of codes)."""
    w = _Writer(arrays)
    (_arrays if arrays else _scalar)(p, w)
    names = dict(w.names) if arrays else {**FROM_FACTS_HELPERS, **w.names}
    names.update({f"K{i}": k for i, k in enumerate(w.consts)})
    return "\n".join(w.lines) + "\n", names


def compile_walk(p: Plan, arrays: bool) -> Walk:
    """The walk over plan ``p`` as a Python function (see ``Walk``)."""
    text, names = walk_source(p, arrays)
    namespace: dict[str, Any] = dict(names)
    exec(compile(text, f"<stca walk {p.country} {'arrays' if arrays else 'one case'}>", "exec"), namespace)
    walk: Walk = namespace["walk"]
    return walk
