"""What could change the result: the facts nobody gave that would change ``stca_result`` if established.

A fact that was not given takes its default (contract.md §2), and the default is an assumption, not an
answer. For each such fact ``could_change`` tries the other values worth trying (``FactSpec.probes``; for
dates and instants, the edges of the rules' in-force windows) and reports those that give another
``stca_result``, with the provision that would then decide. The case desk's interview reads it to know
which questions are still open; ``stca check``, the API and ``evaluate_frame(could_change=True)`` report it.

Only facts that the decision actually consulted are tried: ``stca_result`` is fixed by the scope rules and
the decide rules up to the deciding one, so a fact none of them reads (``Rule.reads``) or dates
(``Rule.in_force``) cannot move it. The test suite checks this pruning against trying every fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stca.law._determination import Determination
from stca.law._engine import determine
from stca.law._fact_table import FACT_TABLE, FACTS_BY_NAME, FactSpec
from stca.law._facts import DEFAULT_ZONE, Facts, FactsError, parse_facts
from stca.law._policy import Policy, parse_policy
from stca.law._rule import Rule
from stca.law._rulebook import BOOKS, RULES_BY_ID
from stca.law._uncertain import DEFAULT_SWITCHES, Switches

#: The dated facts an in-force window can be on, and the facts they stand for.
_DATED = ("entry_instant", "entry_local_date", "claim_local_date", "determination_date")


@dataclass(frozen=True)
class Change:
    """Establishing ``fact`` as one of ``values`` would give ``stca_result`` under ``deciding_rule``.

    Attributes:
        fact: the fact's key (law.md §4), left at its default in the case.
        values: the values tried that give this outcome, in JSON form (as an input would give them).
        stca_result: the result the case would then have.
        deciding_provision: the citation that would then decide.
        deciding_rule: the id of that rule.
    """

    fact: str
    values: tuple[Any, ...]
    stca_result: str
    deciding_provision: str
    deciding_rule: str

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON of one ``could_change`` entry: the fact, its meaning, the values, the outcome, the rule."""
        return {"fact": self.fact, "meaning": FACTS_BY_NAME[self.fact].meaning(lang), "values": list(self.values),
                "stca_result": self.stca_result, "deciding_provision": self.deciding_provision,
                "deciding_rule": self.deciding_rule, "rule_title": RULES_BY_ID[self.deciding_rule].title.get(lang)}


def could_change(
    facts: Mapping[str, Any] | Facts,
    *,
    policy: str | Policy = "law",
    switches: Switches | None = None,
    determination: Determination | None = None,
) -> tuple[Change, ...]:
    """The facts left at their default whose other values would change ``stca_result``.

    A fact counts as given when its key was present and not ``null`` (``Facts.model_fields_set``); a given
    ``family_members: []`` means "no relative", so it is not tried.

    Args:
        facts: the case, as for ``determine``.
        policy: a policy name or ``Policy``.
        switches: readings of UNCERTAIN points.
        determination: the case's determination if already computed (saves one evaluation).

    Returns:
        One ``Change`` per (fact, resulting provision), in the order of the fact table then of the values
        tried; ``deciding_rule`` is the rule that decides for the first of them.

    >>> [(c.fact, c.stca_result) for c in could_change({"entry_local_date": "2016-06-01",
    ...     "claim_local_date": "2016-06-01", "entry_place": "LAND_POE", "direction": "US_TO_CANADA",
    ...     "family_members": [], "documents_held": []})][:2]
    [('came_from_other_party', 'NOT_APPLICABLE'), ('claim_at_entry', 'NOT_BARRED')]
    """
    f = parse_facts(facts)
    pol = policy if isinstance(policy, Policy) else parse_policy(policy)
    sw = switches or DEFAULT_SWITCHES
    base = determination or determine(f, policy=pol, switches=sw)
    given = f.model_fields_set
    relevant = consulted_facts(base)
    kept = {k: getattr(f, k) for k in given}
    found: dict[tuple[str, str, str], tuple[str, list[Any]]] = {}
    for spec in FACT_TABLE:
        if spec.name in given or spec.name not in relevant:
            continue
        for patch in _patches(spec, f, pol):
            if any(k in given for k in patch if k != spec.name):
                continue  # the probe would overrule another answer (e.g. stateless with nationalities given)
            try:
                variant = parse_facts({**kept, **patch})
            except FactsError:
                continue  # not a possible case (e.g. an instant on another day)
            d = determine(variant, policy=pol, switches=sw)
            if d.stca_result != base.stca_result:
                key = (spec.name, d.stca_result, d.deciding_provision)
                found.setdefault(key, (d.deciding_rule, []))[1].append(patch[spec.name])
    return tuple(Change(fact, tuple(values), result, provision, rule)
                 for (fact, result, provision), (rule, values) in found.items())


def consulted_facts(d: Determination) -> frozenset[str]:
    """Facts that can move ``stca_result`` for this case: the direction, and what the scope rules and the
    decide rules up to the deciding one read or are dated by."""
    book = BOOKS["CA" if d.direction == "US_TO_CANADA" else "US"]
    decide = book.decide[:book.decide.index(RULES_BY_ID[d.deciding_rule]) + 1]
    names = {"direction"}
    for rule in (*book.scope, *decide):
        names.update(rule.reads)
        names.update(w.on.value for w in rule.in_force)
    return frozenset(names)


def _patches(spec: FactSpec, f: Facts, pol: Policy) -> Iterator[dict[str, Any]]:
    """Each probe of ``spec`` that fits the case, as a mapping of facts to set together."""
    for probe, near in probes(spec, pol):
        if near is None or abs((near - f.entry_local_date).days) <= 1:
            yield dict(probe) if isinstance(probe, Mapping) else {spec.name: probe}


def probes(spec: FactSpec, pol: Policy) -> tuple[tuple[Any, dt.date | None], ...]:
    """The values ``could_change`` tries for a fact, each with the local day of entry it is tried near
    (``None``: every case). Dated facts try either side of each in-force bound the rules put on them: a
    minute before and after an instant (tried when the entry is within a day of it), the day before and the
    day of a date."""
    if spec.name not in _DATED:
        return tuple((p, None) for p in spec.probes())
    dated = pol.params.dated()
    bounds = sorted({b for r in _rules() for w in r.in_force if w.on.value == spec.name for b in (w.start, w.end) if b})
    out: list[tuple[Any, dt.date | None]] = []
    for key in bounds:
        edge = dated[key].value
        if spec.name == "entry_instant":
            near = edge.astimezone(DEFAULT_ZONE).date()
            out += [((edge + dt.timedelta(seconds=s)).isoformat(), near) for s in (-60, 60)]
        else:
            out += [((edge.date() + dt.timedelta(days=k)).isoformat(), None) for k in (-1, 0)]
    return tuple(out)


def _rules() -> tuple[Rule, ...]:
    return tuple(r for book in BOOKS.values() for r in book.rules)
