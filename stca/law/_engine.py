"""The decision procedure (law.md §5–6), written once for one case.

It never names a provision or a date: it runs the walk generated from the plan of the claim's country
(``_walk.py``) — scope rules, then decide rules until the first one met, then every parallel ground
and overlay — recording each step. The vectorised evaluator (``_vector.py``) runs the same walk,
generated for arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from stca.law._context import Compiled, ScalarCase
from stca.law._determination import Determination
from stca.law._enums import Direction
from stca.law._facts import Facts, parse_facts
from stca.law._policy import Policy, parse_policy
from stca.law._rule import Rule
from stca.law._rulebook import plan
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches
from stca.law._walk import Walk

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
    trace: list[tuple[Rule, str]] = []  # Steps are built only if the path is read
    flags: set[str] = set()
    grounds: list[str] = []
    deciding, covid = _walk(country, p, sw)(c, trace.append, flags.add, grounds.append)
    return Determination(
        stca_result=deciding.outcome.value if deciding.outcome else "",
        deciding_provision=deciding.citation,
        deciding_rule=deciding.id,
        trace=tuple(trace),
        values=(("d", c.d), ("window", p.window_days_ca if country == "CA" else p.window_days_us)),
        other_ineligibility=tuple(grounds),
        covid_direct_back=covid,
        uncertain=tuple(sorted(flags, key=_POINT_ORDER.__getitem__)) if flags else (),
        law_version=law_version(country, f.claim_local_date, f.decided_on, pol),
        policy=pol.name,
        direction=f.direction.value,
        inputs=(f, pol, sw),
    )


#: The one-case walk last used for (country, parameters, switches), checked by identity: hashing a
#: ``Switches`` model for ``plan``'s cache costs more than the walk of a simple case.
_LAST: dict[str, tuple[Compiled, Switches, Walk]] = {}


def _walk(country: str, p: Compiled, sw: Switches) -> Walk:
    hit = _LAST.get(country)
    if hit is not None and hit[0] is p and hit[1] is sw:
        return hit[2]
    walk = plan(country, p, sw).walk(False)
    _LAST[country] = (p, sw, walk)
    return walk


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
