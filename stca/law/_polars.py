"""The rule book compiled to polars expressions: the bulk backend of ``evaluate_frame``.

Generated from the same conditions (``_expr.py``) and the same plan (``_rulebook.plan``) as the
one-case engine — no rule is written here. Switches and parameters are folded to constants, so the
expressions polars runs hold only fact columns and numbers; polars evaluates them on every core, on
the Arrow buffers of the typed fact columns (``_frame.FACT_COLUMNS``), without a copy into numpy.

How the walk becomes expressions: for each book, the first decide rule met is one ``when/then`` chain
giving the deciding rule's index; a decide rule was consulted on a row when the deciding index is not
smaller than its own (rule indices follow the book's order), which is all the UNCERTAIN flags need.
Parallel grounds and flags are packed as bits of one integer column each, unpacked to lists once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import cast

import polars as pl

from stca.law._context import Compiled
from stca.law._enums import Direction, Marital, Relationship, UsForum, code
from stca.law._expr import CASE, MEMBER_FACTS, Expr, const_value, fold, lift
from stca.law._facts import DEFAULT_ZONE
from stca.law._rule import Stage
from stca.law._rulebook import BOOKS, Entry, Plan, plan
from stca.law._uncertain import POINTS, Switches

_MEMBER_FIELD = {"rel": "relationship", "loc": "location", "age": "age_years", "ca_status": "ca_status",
                 "claim_state": "claim_state", "permit_valid": "permit_valid", "wp_206": "work_permit_r206_1_b",
                 "us_status": "us_status", "forum": "us_asylum_forum"}
assert set(_MEMBER_FIELD) | {"claimant_age", "claimant_married"} == set(MEMBER_FACTS)
#: The claimant's own facts that travel with each family member, as conditions on the case.
_CLAIMANT = {"claimant_age": CASE.age,
             "claimant_married": (CASE.marital == code(Marital.SPOUSE))
             | CASE.any_member(lambda m: m.rel == code(Relationship.SPOUSE))}
POINT_IDS = [p.id for p in POINTS]
GROUNDS = list(dict.fromkeys(r.citation for b in BOOKS.values() for r in b.parallel))
assert len(POINT_IDS) <= 64 and len(GROUNDS) <= 64, "flags and grounds are packed into 64-bit words"


def _date_days(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Int32)


def _case_columns(p: Compiled, sw: Switches) -> dict[str, pl.Expr]:
    """Each attribute of the case context (``_expr.FACTS``) as a polars expression over the fact columns;
    derived attributes are computed as ``ScalarCase`` computes them."""
    place = pl.col("entry_place").to_physical().cast(pl.Int32)
    bp_like = (place == 1) | ((place == 4) & pl.lit(sw.other_non_poe_as_between_ports))
    entry_day, claim_day = _date_days("entry_local_date"), _date_days("claim_local_date")
    # an absent entry instant is noon local time in America/Toronto on the entry date (contract.md §2)
    noon = ((pl.col("entry_local_date").cast(pl.Datetime("us")) + pl.duration(hours=12))
            .dt.replace_time_zone(DEFAULT_ZONE.key).dt.epoch("s"))
    anchor = pl.col("first_entry_after_2020_06_24").fill_null(pl.col("entry_local_date"))

    def flag(name: str) -> pl.Expr:
        return pl.col(name)

    return {
        "direction": pl.col("direction").to_physical().cast(pl.Int32),
        "came_from": flag("came_from_other_party"),
        "place_orig": place,
        "place": pl.when(bp_like).then(0).otherwise(place) if p.whole_border else place,
        "claim_at_entry": flag("claim_at_entry") | bp_like if p.whole_border else flag("claim_at_entry"),
        "entered_without_claim": flag("entered_at_poe_without_claim"),
        "instant": pl.col("entry_instant").dt.epoch("s").fill_null(noon),
        "entry_day": entry_day,
        "claim_day": claim_day,
        "det_day": _date_days("determination_date").fill_null(claim_day),
        "d": claim_day - entry_day,
        "transit_us": flag("in_transit_removal_from_us"),
        "transit_ca": flag("in_transit_removal_from_canada"),
        "nat_us": pl.col("nationalities").list.contains("US"),
        "nat_ca": pl.col("nationalities").list.contains("CA"),
        "stateless": flag("stateless"),
        "fhr_us": (pl.col("former_habitual_residence") == "US").fill_null(False),
        "hr_ca": (pl.col("habitual_residence") == "CA").fill_null(False),
        "age": pl.col("age_years").cast(pl.Int32),
        "marital": pl.col("marital").to_physical().cast(pl.Int32),
        "accompanied": flag("accompanied_by_parent_or_legal_guardian"),
        "parent_ca": flag("parent_or_legal_guardian_in_canada"),
        "parent_us": flag("parent_or_legal_guardian_in_us"),
        "visa_ca": flag("visa_required_canada"),
        "visa_us": flag("visa_required_us"),
        "refused_us": flag("refused_entry_us_no_claim_adjudicated"),
        "pr_returned": flag("ca_pr_removed_from_us_being_returned"),
        "dp": pl.col("death_penalty").to_physical().cast(pl.Int32),
        "dp_capital": flag("death_penalty_offence_punishable_by_death"),
        "tsr": flag("tsr_country_national"),
        "tsr_excluded": flag("excluded_from_tsr_230_3"),
        "inadmissible": pl.col("inadmissibility_determined").list.len() > 0,
        "prior_elsewhere": flag("prior_claim_other_country_confirmed"),
        "recognized_elsewhere": flag("recognized_refugee_elsewhere_returnable"),
        "prior_ca": pl.col("prior_canadian_claim").to_physical().cast(pl.Int32),
        "anchor_day": anchor.cast(pl.Int32),
        "anchor_anniversary": anchor.dt.offset_by("1y").cast(pl.Int32),
        "us_public_interest": flag("us_public_interest_determination"),
        "suspended": pl.lit(True) if p.suspended else flag("agreement_suspended"),
        "permits_ok": flag("policy_accept_permits_as_documents"),
        "protection_conferred": flag("refugee_protection_conferred_in_canada"),
        "us_removal": pl.col("us_forum").to_physical().cast(pl.Int32) == code(UsForum.REMOVAL_PROCEEDINGS),
    }


def _claimant_atoms(body: Expr) -> list[Expr]:
    """The largest sub-conditions of a family-member condition that read only the claimant's own facts
    (``claimant_age < 18``): polars evaluates member conditions inside a list, where no outer column
    can be read, so these are split out (``_split``)."""
    found: dict[tuple[object, ...], Expr] = {}

    def outer_only(x: Expr) -> bool | None:  # True: claimant facts and constants only; None: constants only
        if x.op == "member":
            return x.args[0] in _CLAIMANT
        if x.op == "const":
            return None
        if x.op in ("fact", "doc", "any"):
            return False
        seen = [outer_only(k) for k in x.kids()]
        if any(s is False for s in seen):
            return False
        return True if any(s for s in seen) else None

    def go(x: Expr) -> None:
        if outer_only(x):
            found.setdefault(x.key, x)
            return
        for k in x.kids():
            go(k)

    go(body)
    return list(found.values())


def _replace(e: Expr, key: tuple[object, ...], by: Expr) -> Expr:
    if e.key == key:
        return by
    kids = e.kids()
    if not kids:
        return e
    return Expr(e.op, *(_replace(a, key, by) if isinstance(a, Expr) else a for a in e.args))


def _to_case(atom: Expr) -> Expr:
    """A member-level condition on the claimant's own facts, as a condition on the case."""
    for name, value in _CLAIMANT.items():
        atom = _replace(atom, ("member", name), value)
    return atom


def _split(body: Expr, p: Compiled, sw: Switches) -> Expr:
    """``any(body)`` with the claimant's facts taken out of the member condition: for each claimant atom
    ``a``, ``(a & any(body[a:=true])) | (~a & any(body[a:=false]))``."""
    atoms = _claimant_atoms(body)
    if not atoms:
        return Expr("any", body)
    atom = atoms[0]  # the others are split by the recursion on each branch
    on = fold(_replace(body, atom.key, lift(True)), p, sw)
    off = fold(_replace(body, atom.key, lift(False)), p, sw)
    outer = _to_case(atom)

    def branch(b: Expr) -> Expr:
        v = const_value(b)
        return lift(bool(v)) if v is not None else _split(b, p, sw)

    return fold((outer & branch(on)) | (~outer & branch(off)), p, sw)


class _Compiler:
    """``Expr`` → ``pl.Expr`` for one policy and set of switches.

    Case attributes, "some family member" conditions and the book's modes are computed once each into
    temporary columns (``stages``), which the rules then read: polars' own common-subexpression pass
    does not reach across ``when/then`` chains.
    """

    def __init__(self, p: Compiled, sw: Switches, columns: dict[str, pl.Expr]) -> None:
        self.p, self.sw = p, sw
        self.source = columns
        self.columns: dict[str, pl.Expr] = {}
        self.stages: list[dict[str, pl.Expr]] = [{}, {}]
        self.anys: dict[tuple[object, ...], pl.Expr] = {}

    def column(self, name: str) -> pl.Expr:
        hit = self.columns.get(name)
        if hit is None:
            self.stages[0][f"__f_{name}"] = self.source[name]
            hit = self.columns[name] = pl.col(f"__f_{name}")
        return hit

    def materialize(self, name: str, expr: pl.Expr, stage: int) -> pl.Expr:
        while len(self.stages) <= stage:
            self.stages.append({})
        self.stages[stage][name] = expr
        return pl.col(name)

    def __call__(self, e: Expr, member: bool = False) -> pl.Expr:
        op, args = e.op, e.args
        if op == "const":
            return pl.lit(args[0])
        if op == "fact":
            return self.column(cast(str, args[0]))
        if op == "member":
            field = pl.element().struct.field(_MEMBER_FIELD[cast(str, args[0])])
            return field if args[0] in ("permit_valid", "wp_206", "age") else field.to_physical().cast(pl.Int32)
        if op == "doc":
            return pl.col("documents_held").list.contains(cast(str, args[0]))
        if op == "any":
            body = cast(Expr, args[0])
            if _claimant_atoms(body):
                return self(_split(body, self.p, self.sw))
            hit = self.anys.get(e.key)
            if hit is None:
                any_ = pl.col("family_members").list.eval(self(body, True)).list.any().fill_null(False)
                hit = self.anys[e.key] = self.materialize(f"__a_{len(self.anys)}", any_, 1)
            return hit
        kids = [self(k, member) for k in e.kids()]
        if op == "and":
            return kids[0] & kids[1]
        if op == "or":
            return kids[0] | kids[1]
        if op == "not":
            return ~kids[0]
        if op == "neg":
            return -kids[0]
        if op == "add":
            return kids[0] + kids[1]
        if op == "cmp":
            a, b = kids
            return cast(pl.Expr, _COMPARE[cast(str, args[0])](a, b))
        if op == "isin":
            return kids[0].is_in(sorted(cast(frozenset[int], args[1])))
        if op == "where":
            return pl.when(kids[0]).then(kids[1]).otherwise(kids[2])
        raise ValueError(f"cannot compile {op!r} to polars")


_COMPARE: dict[str, Callable[[pl.Expr, pl.Expr], object]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _both(a: pl.Expr | None, b: pl.Expr) -> pl.Expr:
    return b if a is None else a & b


def _book(book: Plan, compile_: _Compiler, rows: pl.Expr, flags: dict[str, list[pl.Expr]],
          grounds: dict[str, list[pl.Expr]]) -> tuple[pl.Expr, pl.Expr]:
    """One country's plan as (deciding rule index, covid) expressions, adding to ``flags`` and ``grounds``."""

    def part(e: Expr | None) -> pl.Expr | None:
        return None if e is None else compile_(e)

    def raise_flags(entry: Entry, consulted: pl.Expr, met: pl.Expr) -> None:
        for point, pred in entry.flags:
            flags.setdefault(point, []).append(rows & (met if pred is None else consulted & compile_(pred)))

    for i, entry in enumerate(book.scope):
        hit = _both(part(entry.in_force), compile_(entry.when))
        hit = compile_.materialize(f"__m_{book.country}_{entry.rule.sets}", hit, 2 + i)
        raise_flags(entry, pl.lit(True), hit)
        compile_.columns[f"mode_{entry.rule.sets}"] = hit
    chain: pl.Expr | None = None
    gates: list[tuple[Entry, pl.Expr | None]] = []
    for entry in book.decide:
        gate = None if entry.available is None else compile_(entry.available)
        gate = gate if entry.in_force is None else _both(gate, compile_(entry.in_force))
        cond = _both(gate, compile_(entry.when))
        index = pl.lit(entry.index, dtype=pl.UInt8)
        chain = (pl.when(cond).then(index) if chain is None
                 else chain.when(cond).then(index))  # type: ignore[attr-defined]
        gates.append((entry, gate))
    deciding = chain.otherwise(pl.lit(book.decide[-1].index, dtype=pl.UInt8))  # type: ignore[union-attr]
    decided = pl.col("__deciding")
    for entry, gate in gates:
        if not entry.flags:
            continue
        reached = decided >= entry.index
        consulted = reached if gate is None else reached & gate
        raise_flags(entry, consulted, decided == entry.index)
    covid = pl.lit(False)
    for entry in book.parallel + book.overlay:
        gate = part(entry.in_force)
        met = _both(gate, compile_(entry.when))
        raise_flags(entry, pl.lit(True) if gate is None else gate, met)
        if entry.rule.stage is Stage.PARALLEL:
            grounds.setdefault(entry.rule.citation, []).append(rows & met)
        else:
            covid = covid | met
    return deciding, rows & covid


def _bits(masks: dict[str, list[pl.Expr]], names: list[str]) -> pl.Expr:
    """Boolean columns packed into one UInt64 column, bit ``i`` for ``names[i]``."""
    terms = []
    for i, name in enumerate(names):
        parts = masks.get(name)
        if not parts:
            continue
        hit = parts[0]
        for more in parts[1:]:
            hit = hit | more
        terms.append(hit.cast(pl.UInt64) * pl.lit(1 << i, dtype=pl.UInt64))
    if not terms:
        return pl.lit(0, dtype=pl.UInt64)
    return pl.sum_horizontal(terms)


@lru_cache(maxsize=64)
def expressions(p: Compiled, sw: Switches) -> list[list[pl.Expr]]:
    """Stages of expressions over the typed fact columns, each stage reading the columns of the ones
    before: the case attributes used, then "some family member" conditions, then the scope modes, then
    ``__deciding`` (the deciding rule's index) and ``covid_direct_back``, last ``__flags`` and
    ``__grounds`` (bit sets over ``POINT_IDS`` and ``GROUNDS``)."""
    flags: dict[str, list[pl.Expr]] = {}
    grounds: dict[str, list[pl.Expr]] = {}
    deciding: pl.Expr | None = None
    covid = pl.lit(False)
    compile_ = _Compiler(p, sw, _case_columns(p, sw))
    canada = compile_.column("direction") == code(Direction.US_TO_CANADA)
    for country in BOOKS:
        rows = canada if country == "CA" else ~canada
        compile_.columns.pop("mode_transit", None)
        compile_.columns.pop("mode_between", None)
        decided, met = _book(plan(country, p, sw), compile_, rows, flags, grounds)
        deciding = decided if deciding is None else pl.when(rows).then(decided).otherwise(deciding)
        covid = covid | met
    assert deciding is not None
    stages = [[e.alias(k) for k, e in stage.items()] for stage in compile_.stages]
    return [*[s for s in stages if s], [deciding.alias("__deciding"), covid.alias("covid_direct_back")],
            [_bits(flags, POINT_IDS).alias("__flags"), _bits(grounds, GROUNDS).alias("__grounds")]]


def evaluate(df: pl.DataFrame, p: Compiled, sw: Switches) -> pl.DataFrame:
    """``__deciding``, ``covid_direct_back``, ``__flags`` and ``__grounds`` for every row of a typed frame."""
    *stages, last = expressions(p, sw)
    query = df.lazy()
    for stage in stages:
        query = query.with_columns(stage)
    return query.select(["__deciding", "covid_direct_back", *last]).collect()
