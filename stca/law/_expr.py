"""Rule conditions as typed expressions: written once, evaluated on one case, a population, or read.

A condition is an ``Expr`` tree built from the symbolic case ``CASE`` with ``&``, ``|``, ``~``,
comparisons, ``+`` and four helpers (``NOT``, ``isin``, ``where``, ``any_member``)::

    (CASE.place == AIRPORT) & CASE.transit_us

Nothing is computed when a rule is written. From the one tree come, for a given policy and set of
UNCERTAIN switches (``fold`` turns both into constants and simplifies):

* Python source for one case (``compile_scalar``: short-circuit ``and``/``or`` over ``ScalarCase``);
* Python source for numpy arrays (``compile_arrays``: ``&``, ``|``, ``~`` over ``ArrayCase``);
* a polars expression over the typed fact columns (``_polars.py``);
* readable text for ``docs/rules.md`` and ``stca law --rule`` (``render``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, cast

from stca.law._enums import (
    CaStatus,
    ClaimState,
    DeathPenalty,
    Direction,
    EntryPlace,
    Location,
    Marital,
    PriorCanadianClaim,
    Relationship,
    UsAsylumForum,
    UsStatus,
)
from stca.law._uncertain import Switches

if TYPE_CHECKING:
    from stca.law._context import Compiled

#: A node argument that is not a sub-expression: a name, a constant or a set of enum codes.
Atom = str | int | bool | frozenset[int]


class Expr:
    """One node of a condition: ``op`` and its arguments (sub-expressions or atoms).

    ``==`` and the other comparisons build nodes (as numpy and polars do), so an ``Expr`` is never
    used as a dictionary key itself: ``key`` is its structural identity.
    """

    __slots__ = ("__dict__", "args", "op")

    def __init__(self, op: str, *args: Expr | Atom) -> None:
        self.op = op
        self.args = args

    @cached_property
    def key(self) -> tuple[object, ...]:
        """Structural identity (two trees built alike have the same key)."""
        return (self.op, *(a.key if isinstance(a, Expr) else a for a in self.args))

    def kids(self) -> tuple[Expr, ...]:
        """The sub-expressions."""
        return tuple(a for a in self.args if isinstance(a, Expr))

    def __bool__(self) -> bool:
        raise TypeError("a condition has no truth value until it is evaluated; use & | ~ and c.where")

    def __and__(self, other: Expr | bool) -> Expr:
        return Expr("and", self, lift(other))

    def __rand__(self, other: Expr | bool) -> Expr:
        return Expr("and", lift(other), self)

    def __or__(self, other: Expr | bool) -> Expr:
        return Expr("or", self, lift(other))

    def __ror__(self, other: Expr | bool) -> Expr:
        return Expr("or", lift(other), self)

    def __invert__(self) -> Expr:
        return Expr("not", self)

    def __add__(self, other: Expr | int) -> Expr:
        return Expr("add", self, lift(other))

    def __sub__(self, other: Expr | int) -> Expr:
        return Expr("add", self, lift(-other) if isinstance(other, int) else Expr("neg", other))

    def _cmp(self, op: str, other: Expr | int) -> Expr:
        return Expr("cmp", op, self, lift(other))

    def __eq__(self, other: Expr | int) -> Expr:  # type: ignore[override]
        return self._cmp("==", other)

    def __ne__(self, other: Expr | int) -> Expr:  # type: ignore[override]
        return self._cmp("!=", other)

    def __lt__(self, other: Expr | int) -> Expr:
        return self._cmp("<", other)

    def __le__(self, other: Expr | int) -> Expr:
        return self._cmp("<=", other)

    def __gt__(self, other: Expr | int) -> Expr:
        return self._cmp(">", other)

    def __ge__(self, other: Expr | int) -> Expr:
        return self._cmp(">=", other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Expr({render(self)})"


def lift(value: Expr | int | bool) -> Expr:
    """A constant as an expression (``True``, ``14``)."""
    return value if isinstance(value, Expr) else Expr("const", value)


def const_value(e: Expr) -> int | bool | None:
    """The value of a constant node, else None."""
    return cast(int | bool, e.args[0]) if e.op == "const" else None


# --- the symbolic case ---------------------------------------------------------------------------------

#: What each case attribute is, for readers: the fact it comes from and, for coded facts, its enum.
FACTS: dict[str, tuple[str, type[StrEnum] | None]] = {
    "direction": ("direction", Direction),
    "came_from": ("came_from_other_party", None),
    "place_orig": ("entry_place", EntryPlace),
    "place": ("entry_place (a between-ports entry counts as LAND_POE under policy whole-border)", EntryPlace),
    "claim_at_entry": ("claim_at_entry (true for a between-ports entry under policy whole-border)", None),
    "entered_without_claim": ("entered_at_poe_without_claim", None),
    "instant": ("entry_instant", None),
    "entry_day": ("entry_local_date", None),
    "claim_day": ("claim_local_date", None),
    "det_day": ("determination_date", None),
    "d": ("days from entry_local_date to claim_local_date", None),
    "transit_us": ("in_transit_removal_from_us", None),
    "transit_ca": ("in_transit_removal_from_canada", None),
    "nat_us": ("nationalities includes US", None),
    "nat_ca": ("nationalities includes CA", None),
    "stateless": ("stateless", None),
    "fhr_us": ("former_habitual_residence = US", None),
    "hr_ca": ("habitual_residence = CA", None),
    "age": ("age_years", None),
    "marital": ("marital", Marital),
    "accompanied": ("accompanied_by_parent_or_legal_guardian", None),
    "parent_ca": ("parent_or_legal_guardian_in_canada", None),
    "parent_us": ("parent_or_legal_guardian_in_us", None),
    "visa_ca": ("visa_required_canada", None),
    "visa_us": ("visa_required_us", None),
    "refused_us": ("refused_entry_us_no_claim_adjudicated", None),
    "pr_returned": ("ca_pr_removed_from_us_being_returned", None),
    "dp": ("death_penalty", DeathPenalty),
    "dp_capital": ("death_penalty_offence_punishable_by_death", None),
    "tsr": ("tsr_country_national", None),
    "tsr_excluded": ("excluded_from_tsr_230_3", None),
    "inadmissible": ("inadmissibility_determined is not empty", None),
    "prior_elsewhere": ("prior_claim_other_country_confirmed", None),
    "recognized_elsewhere": ("recognized_refugee_elsewhere_returnable", None),
    "prior_ca": ("prior_canadian_claim", PriorCanadianClaim),
    "anchor_day": ("first_entry_after_2020_06_24 (else entry_local_date)", None),
    "anchor_anniversary": ("one year after first_entry_after_2020_06_24 (else entry_local_date)", None),
    "us_public_interest": ("us_public_interest_determination", None),
    "suspended": ("agreement_suspended (or policy suspended)", None),
    "permits_ok": ("policy_accept_permits_as_documents", None),
    "protection_conferred": ("refugee_protection_conferred_in_canada", None),
    "us_removal": ("us_forum = REMOVAL_PROCEEDINGS", None),
    "mode_transit": ("in-transit mode (set by the scope rule)", None),
    "mode_between": ("between-ports mode (set by the scope rule)", None),
}
#: The family member's attributes (``any_member``), likewise.
MEMBER_FACTS: dict[str, tuple[str, type[StrEnum] | None]] = {
    "rel": ("relationship", Relationship),
    "loc": ("location", Location),
    "age": ("age_years", None),
    "ca_status": ("ca_status", CaStatus),
    "claim_state": ("claim_state", ClaimState),
    "permit_valid": ("permit_valid", None),
    "wp_206": ("work_permit_r206_1_b", None),
    "us_status": ("us_status", UsStatus),
    "forum": ("us_asylum_forum", UsAsylumForum),
    "claimant_age": ("the claimant's age_years", None),
    "claimant_married": ("the claimant is married (marital SPOUSE or a SPOUSE listed)", None),
}
_SWITCHES = frozenset(Switches.model_fields)
_VALUES = frozenset({"window_days_ca", "window_days_us", "whole_border", "b2_enabled"})


class _Dated(Mapping[str, Expr]):
    """``c.p.day["protocol"]``: a dated parameter as a day number (``day``) or epoch second (``sec``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __getitem__(self, name: str) -> Expr:
        return Expr("param", self.kind, name)

    def __iter__(self) -> object:  # type: ignore[override]
        raise TypeError("parameters are named, not listed")

    def __len__(self) -> int:
        return 0


class SymbolicParams:
    """``c.p``: the policy's parameters, folded to constants when a condition is compiled."""

    day = _Dated("day")
    sec = _Dated("sec")
    window_days_ca = Expr("param", "value", "window_days_ca")
    window_days_us = Expr("param", "value", "window_days_us")


class SymbolicSwitches:
    """``c.sw``: the readings of UNCERTAIN points, folded to constants when a condition is compiled."""

    def __getattr__(self, name: str) -> Expr:
        if name not in _SWITCHES:
            raise AttributeError(f"unknown switch {name!r}")
        return Expr("switch", name)


class _Docs(Mapping[str, Expr]):
    def __getitem__(self, name: str) -> Expr:
        return Expr("doc", name)

    def __iter__(self) -> object:  # type: ignore[override]
        raise TypeError("documents are named, not listed")

    def __len__(self) -> int:
        return 0


def _fact(name: str) -> Expr:
    return Expr("fact", name)


def _member(name: str) -> Expr:
    return Expr("member", name)


class SymbolicMember:
    """One family member, as symbols (the argument of ``any_member``)."""

    rel = _member("rel")
    loc = _member("loc")
    age = _member("age")
    ca_status = _member("ca_status")
    claim_state = _member("claim_state")
    permit_valid = _member("permit_valid")
    wp_206 = _member("wp_206")
    us_status = _member("us_status")
    forum = _member("forum")
    claimant_age = _member("claimant_age")
    claimant_married = _member("claimant_married")


class SymbolicCase:
    """The case as symbols: every attribute a rule may read (see ``FACTS``), and the helpers."""

    direction = _fact("direction")
    came_from = _fact("came_from")
    place_orig = _fact("place_orig")
    place = _fact("place")
    claim_at_entry = _fact("claim_at_entry")
    entered_without_claim = _fact("entered_without_claim")
    instant = _fact("instant")
    entry_day = _fact("entry_day")
    claim_day = _fact("claim_day")
    det_day = _fact("det_day")
    d = _fact("d")
    transit_us = _fact("transit_us")
    transit_ca = _fact("transit_ca")
    nat_us = _fact("nat_us")
    nat_ca = _fact("nat_ca")
    stateless = _fact("stateless")
    fhr_us = _fact("fhr_us")
    hr_ca = _fact("hr_ca")
    age = _fact("age")
    marital = _fact("marital")
    accompanied = _fact("accompanied")
    parent_ca = _fact("parent_ca")
    parent_us = _fact("parent_us")
    visa_ca = _fact("visa_ca")
    visa_us = _fact("visa_us")
    refused_us = _fact("refused_us")
    pr_returned = _fact("pr_returned")
    dp = _fact("dp")
    dp_capital = _fact("dp_capital")
    tsr = _fact("tsr")
    tsr_excluded = _fact("tsr_excluded")
    inadmissible = _fact("inadmissible")
    prior_elsewhere = _fact("prior_elsewhere")
    recognized_elsewhere = _fact("recognized_elsewhere")
    prior_ca = _fact("prior_ca")
    anchor_day = _fact("anchor_day")
    anchor_anniversary = _fact("anchor_anniversary")
    us_public_interest = _fact("us_public_interest")
    suspended = _fact("suspended")
    permits_ok = _fact("permits_ok")
    protection_conferred = _fact("protection_conferred")
    us_removal = _fact("us_removal")
    mode_transit = _fact("mode_transit")
    mode_between = _fact("mode_between")
    whole_border = Expr("param", "value", "whole_border")
    b2_enabled = Expr("param", "value", "b2_enabled")
    true = Expr("const", True)
    doc: Mapping[str, Expr] = _Docs()
    p = SymbolicParams()
    sw = SymbolicSwitches()

    @staticmethod
    def NOT(x: Expr) -> Expr:
        """Logical not."""
        return Expr("not", x)

    @staticmethod
    def isin(x: Expr, codes: frozenset[int]) -> Expr:
        """``x`` is one of ``codes`` (enum codes)."""
        return Expr("isin", x, codes)

    @staticmethod
    def where(cond: Expr, a: Expr | int, b: Expr | int) -> Expr:
        """``a`` where ``cond`` holds, else ``b``."""
        return Expr("where", cond, lift(a), lift(b))

    @staticmethod
    def any_member(pred: Callable[[SymbolicMember], Expr]) -> Expr:
        """Some family member satisfies ``pred``."""
        return Expr("any", pred(MEMBER))


CASE = SymbolicCase()
MEMBER = SymbolicMember()
assert {k for k, v in vars(SymbolicCase).items() if isinstance(v, Expr) and v.op == "fact"} == set(FACTS)


# --- folding ---------------------------------------------------------------------------------------------

def fold(e: Expr, p: Compiled, sw: Switches) -> Expr:
    """``e`` with switches and parameters replaced by their values, and constants simplified away."""
    memo: dict[int, Expr] = {}

    def go(x: Expr) -> Expr:
        hit = memo.get(id(x))
        if hit is None:
            hit = memo[id(x)] = _fold1(x, go, p, sw)
        return hit

    return go(e)


_CMP: dict[str, Callable[[int, int], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _fold1(e: Expr, go: Callable[[Expr], Expr], p: Compiled, sw: Switches) -> Expr:
    op, args = e.op, e.args
    if op == "switch":
        return lift(bool(getattr(sw, cast(str, args[0]))))
    if op == "param":
        kind, name = cast(tuple[str, str], args)
        if kind == "value":
            return lift(cast(int | bool, getattr(p, name)))
        return lift((p.day if kind == "day" else p.sec)[name])
    if op in ("fact", "member", "const", "doc"):
        return e
    if op in ("and", "or"):
        a, b = go(cast(Expr, args[0])), go(cast(Expr, args[1]))
        va, vb = const_value(a), const_value(b)
        absorbing = op == "or"  # True absorbs an "or", False an "and"
        if va is not None:
            return lift(absorbing) if bool(va) is absorbing else b
        if vb is not None:
            return lift(absorbing) if bool(vb) is absorbing else a
        return Expr(op, a, b)
    if op == "not":
        a = go(cast(Expr, args[0]))
        va = const_value(a)
        return lift(not va) if va is not None else Expr("not", a)
    if op == "neg":
        a = go(cast(Expr, args[0]))
        va = const_value(a)
        return lift(-int(va)) if va is not None else Expr("neg", a)
    if op == "cmp":
        a, b = go(cast(Expr, args[1])), go(cast(Expr, args[2]))
        va, vb = const_value(a), const_value(b)
        if va is not None and vb is not None:
            return lift(_CMP[cast(str, args[0])](int(va), int(vb)))
        return Expr("cmp", args[0], a, b)
    if op == "add":
        a, b = go(cast(Expr, args[0])), go(cast(Expr, args[1]))
        va, vb = const_value(a), const_value(b)
        if va is not None and vb is not None:
            return lift(int(va) + int(vb))
        return Expr("add", a, b)
    if op == "isin":
        a = go(cast(Expr, args[0]))
        va = const_value(a)
        return lift(int(va) in cast(frozenset[int], args[1])) if va is not None else Expr("isin", a, args[1])
    if op == "where":
        cond, a, b = (go(cast(Expr, x)) for x in args)
        vc = const_value(cond)
        return (a if vc else b) if vc is not None else Expr("where", cond, a, b)
    if op == "any":
        body = go(cast(Expr, args[0]))
        vb = const_value(body)
        if vb is not None and not vb:
            return lift(False)
        return Expr("any", body)
    raise ValueError(f"unknown operation {op!r}")


# --- Python source: one case, or numpy arrays --------------------------------------------------------------

def source(e: Expr, arrays: bool, consts: list[frozenset[int]], reads: Mapping[str, str] | None = None) -> str:
    """Python source of ``e`` over a context named ``c`` (members ``m``); sets go to ``consts``; ``reads``
    gives the source of some case attributes (``_context.FROM_FACTS``) instead of ``c.<name>``."""

    def go(x: Expr) -> str:
        op, args = x.op, x.args
        if op == "fact":
            name = cast(str, args[0])
            return reads[name] if reads is not None and name in reads else f"c.{name}"
        if op == "member":
            return f"m.{args[0]}"
        if op == "const":
            return repr(args[0])
        if op == "doc":  # one case: the set of documents held; arrays: one bool array per document
            return f"c.doc[{args[0]!r}]" if arrays else f"({args[0]!r} in c.doc)"
        kids = [go(k) for k in x.kids()]
        if op == "and":
            return f"({kids[0]} & {kids[1]})" if arrays else f"({kids[0]} and {kids[1]})"
        if op == "or":
            return f"({kids[0]} | {kids[1]})" if arrays else f"({kids[0]} or {kids[1]})"
        if op == "not":
            return f"(~{kids[0]})" if arrays else f"(not {kids[0]})"
        if op == "neg":
            return f"(-{kids[0]})"
        if op == "cmp":
            return f"({kids[0]} {args[0]} {kids[1]})"
        if op == "add":
            return f"({kids[0]} + {kids[1]})"
        if op == "isin":
            consts.append(cast(frozenset[int], args[1]))
            name = f"K{len(consts) - 1}"
            return f"c.isin({kids[0]}, {name})" if arrays else f"({kids[0]} in {name})"
        if op == "where":
            return f"c.where({kids[0]}, {kids[1]}, {kids[2]})" if arrays else (
                f"({kids[1]} if {kids[0]} else {kids[2]})")
        if op == "any":
            return f"c.any_member(lambda m: {kids[0]})" if arrays else (
                f"(c.members and any({kids[0]} for m in c.members))")
        raise ValueError(f"cannot compile {op!r} (fold switches and parameters first)")

    return go(e)


def compile_py(e: Expr, arrays: bool) -> Callable[[object], object]:
    """A Python function of the context computing ``e`` (already folded)."""
    consts: list[frozenset[int]] = []
    text = source(e, arrays, consts)
    namespace: dict[str, object] = {f"K{i}": k for i, k in enumerate(consts)}
    return cast(Callable[[object], object], eval(f"lambda c: {text}", namespace))


# --- readable text -----------------------------------------------------------------------------------------

_OPS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def _enum_of(e: Expr) -> type[StrEnum] | None:
    if e.op == "fact":
        return FACTS[cast(str, e.args[0])][1]
    if e.op == "member":
        return MEMBER_FACTS[cast(str, e.args[0])][1]
    return None


def render(e: Expr, names: Mapping[frozenset[int], str] | None = None,
           dates: Mapping[str, dt.datetime] | None = None, numbers: Mapping[str, int] | None = None) -> str:
    """The condition as text: fact names, enum members by name, named sets and parameters.

    >>> render(CASE.stateless & (CASE.marital != 0))
    'stateless and marital ≠ NONE'
    """
    names = names or {}

    def label(x: Expr) -> str:
        name = cast(str, x.args[0])
        if x.op == "fact":
            return FACTS[name][0]
        return MEMBER_FACTS[name][0] if name.startswith("claimant_") else "member." + MEMBER_FACTS[name][0]

    def go(x: Expr, parent: str = "") -> str:
        op, args = x.op, x.args
        if op in ("fact", "member"):
            return label(x)
        if op == "const":
            v = args[0]
            return str(v).lower() if isinstance(v, bool) else str(v)
        if op == "doc":
            return f"documents_held includes {args[0]}"
        if op == "switch":
            return f"switch {args[0]}"
        if op == "param":
            kind, name = cast(tuple[str, str], args)
            if kind == "value":
                if numbers and name in numbers:
                    return str(numbers[name])
                return {"whole_border": "policy whole-border", "b2_enabled": "IRPA 101(1)(b.2) enabled by policy"
                        }.get(name, name)
            when = dates.get(name) if dates else None
            if when is None:
                return name
            return when.strftime("%Y-%m-%d %H:%M:%S UTC") if kind == "sec" else when.date().isoformat()
        if op in ("and", "or"):
            text = f" {op} ".join(go(k, op) for k in x.kids())
            return f"({text})" if parent and parent != op else text
        if op == "not":
            return f"not {go(x.kids()[0], 'not')}"
        if op == "neg":
            return f"-{go(x.kids()[0], 'neg')}"
        if op == "cmp":
            a, b = x.kids()
            enum = _enum_of(a)
            vb = const_value(b)
            right = list(enum)[int(vb)].value if enum is not None and vb is not None else go(b, "cmp")
            text = f"{go(a, 'cmp')} {_OPS[cast(str, args[0])]} {right}"
            return f"({text})" if parent in ("not", "cmp") else text
        if op == "add":
            return f"{go(x.kids()[0], 'add')} + {go(x.kids()[1], 'add')}"
        if op == "isin":
            codes = cast(frozenset[int], args[1])
            enum = _enum_of(x.kids()[0])
            named = names.get(codes)
            members = named or "{" + ", ".join(
                list(enum)[k].value if enum else str(k) for k in sorted(codes)) + "}"
            text = f"{go(x.kids()[0], 'isin')} in {members}"
            return f"({text})" if parent in ("not",) else text
        if op == "where":
            c, a, b = x.kids()
            return f"({go(a, 'where')} if {go(c, 'where')} else {go(b, 'where')})"
        if op == "any":
            return f"some family member has ({go(x.kids()[0])})"
        raise ValueError(op)

    return go(e)


#: Names of the closed lists conditions test membership in, as the provisions call them (``named``).
SET_NAMES: dict[frozenset[int], str] = {}


def named(name: str, codes: frozenset[int]) -> frozenset[int]:
    """Register the name a reader sees for a set of enum codes (``render``), and return the set."""
    SET_NAMES[codes] = name
    return codes


def describe(e: Expr) -> str:
    """A condition as text for docs/rules.md and ``stca law --rule``: the law's dates and windows in place of
    parameter names, named lists by name; switches stay named, since the reader may choose them."""
    from stca.law._params import LAW

    return render(e, SET_NAMES, {k: v.value for k, v in LAW.dated().items()},
                  {"window_days_ca": LAW.window_days_ca, "window_days_us": LAW.window_days_us})


def facts_of(e: Expr) -> set[str]:
    """The case attributes a condition reads (``FACTS`` keys; ``member`` for any family member fact)."""
    out: set[str] = set()
    stack = [e]
    while stack:
        x = stack.pop()
        if x.op == "fact":
            out.add(cast(str, x.args[0]))
        elif x.op == "member":
            out.add("member")
        elif x.op == "doc":
            out.add("doc")
        stack.extend(x.kids())
    return out
