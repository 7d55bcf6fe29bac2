"""The decision procedure (law.md §5–6), written once for one case.

It never names a provision or a date: it walks the rule book of the claim's country in order —
scope rules, then decide rules until the first one met, then every parallel ground and overlay — and
records each step. The vectorised evaluator (``_vector.py``) walks the same book the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from stca.law._context import Compiled, ScalarCase, compile_params
from stca.law._determination import (
    APPLIES,
    INELIGIBLE,
    NOT_IN_FORCE,
    NOT_MET,
    OVERLAY_APPLIED,
    Determination,
    Step,
)
from stca.law._enums import Direction
from stca.law._facts import Facts, parse_facts
from stca.law._params import LawParameters
from stca.law._policy import Policy, parse_policy
from stca.law._rule import Rule
from stca.law._rulebook import BOOKS, in_force
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
    pol = parse_policy(policy)
    sw = switches or DEFAULT_SWITCHES
    p = compile_params(pol.params)
    c = ScalarCase(f, p, sw)
    book = BOOKS["CA" if f.direction is Direction.US_TO_CANADA else "US"]
    values = (("d", c.d), ("window", p.window_days_ca if book.country == "CA" else p.window_days_us))
    steps: list[Step] = []
    flags: set[str] = set()
    reads: dict[str, None] = {}

    def consult(rule: Rule, met_outcome: str) -> bool:
        if not in_force(rule, c, p):
            steps.append(Step(rule, NOT_IN_FORCE))
            return False
        met = bool(rule.when(c))
        reads.update(dict.fromkeys(rule.reads))
        for flag in rule.flags:
            if (met if flag.pred is None else flag.pred(c)):
                flags.add(flag.point)
        steps.append(Step(rule, met_outcome if met else NOT_MET, values))
        return met

    for rule in book.scope:
        if in_force(rule, c, p) and rule.when(c):
            consult(rule, APPLIES)
            setattr(c, f"mode_{rule.sets}", True)
    deciding = book.decide[-1]
    for rule in book.decide:
        if rule.available is not None and not rule.available(c):
            continue
        if consult(rule, str(rule.outcome)):
            deciding = rule
            break
    grounds = [r.citation for r in book.parallel if consult(r, INELIGIBLE)]
    covid = any([consult(r, OVERLAY_APPLIED) for r in book.overlay])
    return Determination(
        stca_result=str(deciding.outcome),
        deciding_provision=deciding.citation,
        deciding_rule=deciding.id,
        path=tuple(steps),
        other_ineligibility=tuple(grounds),
        covid_direct_back=covid,
        uncertain=tuple(sorted(flags, key=_POINT_ORDER.__getitem__)),
        law_version=law_version(book.country, f.claim_local_date, f.decided_on, pol),
        policy=pol.name,
        facts_read=tuple(reads),
        direction=f.direction.value,
    )


#: Dated parameters that change each country's rules, and which date of the case they are read against.
_VERSION_EVENTS = {
    "CA": (("agreement", "claim"), ("tsr_repeal", "claim"), ("prior_claim_elsewhere", "claim"),
           ("protocol", "claim"), ("c12_law_from", "decided")),
    "US": (("agreement", "claim"), ("protocol", "claim")),
}


def law_version(country: str, claim: dt.date, decided: dt.date, policy: Policy) -> str:
    """Name the dated version of the rules applied, e.g. ``CA 2023-03-25`` (+ the policy if not ``law``)."""
    return _law_version(country, claim, decided, policy.params, policy.name)


@lru_cache(maxsize=4096)
def _law_version(country: str, claim: dt.date, decided: dt.date, params: LawParameters, name: str) -> str:
    dated = params.dated()
    latest: dt.date | None = None
    for key, which in _VERSION_EVENTS[country]:
        start = dated[key].value.date()
        if start <= (claim if which == "claim" else decided) and (latest is None or start > latest):
            latest = start
    label = f"{country} {latest.isoformat()}" if latest else f"{country} before 2004-12-29 (no agreement)"
    return label if name == "law" else f"{label} + policy {name}"


def compiled(policy: str | Policy) -> Compiled:
    """Compiled parameters of a policy (shared with the vectorised evaluator)."""
    return compile_params(parse_policy(policy).params)
