"""The decision procedure (law.md §5–6), written once for one case.

It never names a provision or a date: it walks the rule book of the claim's country in order —
scope rules, then decide rules until the first one met, then every parallel ground and overlay — and
records each step. The vectorised evaluator (``_vector.py``) walks the same book the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stca.law._context import Compiled, ScalarCase
from stca.law._determination import (
    APPLIES,
    INELIGIBLE,
    NOT_IN_FORCE,
    NOT_MET,
    OVERLAY_APPLIED,
    Determination,
)
from stca.law._enums import Direction
from stca.law._facts import Facts, parse_facts
from stca.law._policy import Policy, parse_policy
from stca.law._rule import Field, Rule, Window
from stca.law._rulebook import BOOKS
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches

_POINT_ORDER = {p.id: i for i, p in enumerate(POINTS)}


def determine(
    facts: Mapping[str, Any] | Facts,
    *,
    policy: str | Policy = "law",
    switches: Switches | None = None,
) -> Determination:
    """Decide one case under the law on its dates (or a policy variant).

    Args:
        facts: the facts of law.md §4 (a mapping, validated here, or ``Facts``).
        policy: a policy name of contract.md §4 or a ``Policy``.
        switches: readings of UNCERTAIN points; defaults are law.md's recommendations.

    Raises:
        FactsError: a field is missing, of the wrong type, or impossible.
        PolicyError: unknown policy name.

    >>> determine({"entry_local_date": "2016-06-01", "claim_local_date": "2016-06-01"}).stca_result
    'BARRED'
    """
    f = parse_facts(facts)
    pol = policy if isinstance(policy, Policy) else parse_policy(policy)
    sw = switches or DEFAULT_SWITCHES
    p = pol.compiled
    c = ScalarCase(f, p, sw)
    country = "CA" if f.direction is Direction.US_TO_CANADA else "US"
    plan = _plan(country, p)
    values = (("d", c.d), ("window", p.window_days_ca if country == "CA" else p.window_days_us))
    trace: list[tuple[Rule, str]] = []  # (rule, outcome); Steps are built only if the path is read
    add = trace.append
    flags: set[str] = set()

    def consult(entry: _Entry) -> bool:
        rule, met_outcome, windows = entry
        if windows and not _holds(windows, c):
            add((rule, NOT_IN_FORCE))
            return False
        met = bool(rule.when(c))
        if rule.flags:
            for flag in rule.flags:
                if (met if flag.pred is None else flag.pred(c)):
                    flags.add(flag.point)
        add((rule, met_outcome if met else NOT_MET))
        return met

    for entry in plan.scope:
        if _active(entry, c) and entry[0].when(c):
            consult(entry)
            setattr(c, f"mode_{entry[0].sets}", True)
        else:  # a scope rule that does not apply still raises its conditional UNCERTAIN flags
            for flag in entry[0].flags:
                if flag.pred is not None and flag.pred(c):
                    flags.add(flag.point)
    deciding = plan.decide[-1][0]
    for entry in plan.decide:
        available = entry[0].available
        if available is not None and not available(c):
            continue
        if consult(entry):
            deciding = entry[0]
            break
    grounds = tuple([e[0].citation for e in plan.parallel if consult(e)])
    covid = False
    for e in plan.overlay:
        covid = consult(e) or covid
    return Determination(
        stca_result=deciding.outcome.value if deciding.outcome else "",
        deciding_provision=deciding.citation,
        deciding_rule=deciding.id,
        trace=tuple(trace),
        values=values,
        other_ineligibility=grounds,
        covid_direct_back=covid,
        uncertain=tuple(sorted(flags, key=_POINT_ORDER.__getitem__)) if flags else (),
        law_version=law_version(country, f.claim_local_date, f.decided_on, pol),
        policy=pol.name,
        direction=f.direction.value,
        inputs=(f, pol, sw),
    )


#: An in-force window resolved for one parameter set: (case attribute, first value, value after the last,
#: (switch, first claim day) that also brings the rule into force, or None).
_Resolved = tuple[str, int, int, tuple[str, int] | None]
#: (rule, outcome when met, its resolved in-force windows).
_Entry = tuple[Rule, str, tuple[_Resolved, ...]]
_ATTR = {"claim_local_date": "claim_day", "determination_date": "det_day", "entry_local_date": "entry_day",
         "entry_instant": "instant"}
_FAR = 10**12


@dataclass(frozen=True)
class _Plan:
    scope: tuple[_Entry, ...]
    decide: tuple[_Entry, ...]
    parallel: tuple[_Entry, ...]
    overlay: tuple[_Entry, ...]


def _holds(windows: tuple[_Resolved, ...], c: ScalarCase) -> bool:
    """Every in-force window holds for the case (or its switch brings the rule into force)."""
    for attr, lo, hi, alt in windows:
        v = getattr(c, attr)
        if (v < lo or v >= hi) and (alt is None or not getattr(c.sw, alt[0]) or c.claim_day < alt[1]):
            return False
    return True


def _active(entry: _Entry, c: ScalarCase) -> bool:
    return not entry[2] or _holds(entry[2], c)


def _resolve(w: Window, p: Compiled) -> _Resolved:
    """A window's bounds as day numbers, or as seconds for the entry instant."""
    bounds = p.sec if w.on is Field.INSTANT else p.day
    alt = (w.or_claim_switch, p.day[w.start]) if w.or_claim_switch and w.start else None
    return (_ATTR[w.on.value], bounds[w.start] if w.start else -_FAR, bounds[w.end] if w.end else _FAR, alt)


@lru_cache(maxsize=128)
def _plan(country: str, p: Compiled) -> _Plan:
    """The rule book with in-force windows resolved for one parameter set (computed once per policy)."""
    book = BOOKS[country]

    def entries(rules: tuple[Rule, ...], met: str | None) -> tuple[_Entry, ...]:
        out = []
        for r in rules:
            windows = tuple(_resolve(w, p) for w in r.in_force)
            out.append((r, met or (r.outcome.value if r.outcome else ""), windows))
        return tuple(out)

    return _Plan(entries(book.scope, APPLIES), entries(book.decide, None), entries(book.parallel, INELIGIBLE),
                 entries(book.overlay, OVERLAY_APPLIED))


#: Dated parameters that change each country's rules, and which date of the case they are read against.
_VERSION_EVENTS = {
    "CA": (("agreement", "claim"), ("tsr_repeal", "claim"), ("prior_claim_elsewhere", "claim"),
           ("protocol", "claim"), ("c12_law_from", "decided")),
    "US": (("agreement", "claim"), ("protocol", "claim")),
}


def law_version(country: str, claim: dt.date, decided: dt.date, policy: Policy) -> str:
    """Name the dated version of the rules applied, e.g. ``CA 2023-03-25`` (+ the policy if not ``law``)."""
    return _law_version(country, claim, decided, policy.name)


@lru_cache(maxsize=4096)
def _law_version(country: str, claim: dt.date, decided: dt.date, name: str) -> str:
    dated = parse_policy(name).params.dated()
    latest: dt.date | None = None
    for key, which in _VERSION_EVENTS[country]:
        start = dated[key].value.date()
        if start <= (claim if which == "claim" else decided) and (latest is None or start > latest):
            latest = start
    label = f"{country} {latest.isoformat()}" if latest else f"{country} before 2004-12-29 (no agreement)"
    return label if name == "law" else f"{label} + policy {name}"


def compiled(policy: str | Policy) -> Compiled:
    """Compiled parameters of a policy (shared with the vectorised evaluator)."""
    return parse_policy(policy).compiled
