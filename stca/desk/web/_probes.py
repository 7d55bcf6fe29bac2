"""Probes: the plausible other answers the interview tries to learn whether a question can matter.

Why probes: ``Determination.facts_read`` says which facts the consulted rules read, but a fact can
be read and still be unable to change anything (every claim date between ports before the Protocol
gives IRPR 159.4(1)(a)). A probe returns a few alternative fact sets; the question is asked when one
of them changes the engine's outcome. Probes never decide a result themselves — the engine does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from stca.desk.web._vocab import TIME_ZONES

Facts = dict[str, Any]
#: Alternative fact sets a probe tries; the question matters if one of them changes the outcome.
Probe = Callable[[Facts], list[Facts]]


def flip(name: str, default: bool = False) -> Probe:
    """Try the other answer of a yes/no question."""
    return lambda f: [{**f, name: not f.get(name, default)}]


def values(name: str, choices: tuple[Any, ...]) -> Probe:
    """Try each of ``choices`` that differs from the current answer."""
    return lambda f: [{**f, name: v} for v in choices if v != f.get(name)]


def add_each(name: str, choices: tuple[str, ...]) -> Probe:
    """Try adding each of ``choices`` to a list answer (documents, grounds)."""
    return lambda f: [{**f, name: [*f.get(name, []), v]} for v in choices if v not in f.get(name, [])]


def claim_dates(f: Facts) -> list[Facts]:
    """The claim 3, 20 or 400 days after entry (inside and outside the between-ports windows)."""
    entry = dt.date.fromisoformat(f["entry_local_date"])
    return [{**f, "claim_local_date": (entry + dt.timedelta(days=d)).isoformat()} for d in (3, 20, 400)]


def entry_instants(f: Facts) -> list[Facts]:
    """The earliest and latest instants of the entry date across the offered time zones.

    The dated rules compare the entry instant with fixed instants (the Protocol at 2023-03-25 04:01
    UTC, the COVID-19 orders); a result that differs at either end of the local day means the time of
    day (or its zone) can matter, so the question is asked. The variants change only the instant
    and, as a second try, the claim date; the base result they are compared with is the officer's.
    """
    day = dt.date.fromisoformat(f["entry_local_date"])
    first, last = TIME_ZONES[0][0], TIME_ZONES[-1][0]
    instants = (
        dt.datetime.combine(day, dt.time(0, 0), ZoneInfo(first)).isoformat(),
        dt.datetime.combine(day, dt.time(23, 59), ZoneInfo(last)).isoformat(),
    )
    # A late entry on 24 March 2023 in the west is after the Protocol instant, but only a claim made
    # from the 25th on is governed by it: also try a claim three days after entry.
    soon = (day + dt.timedelta(days=3)).isoformat()
    claims = {str(f.get("claim_local_date") or day.isoformat()), soon}
    return [{**f, "entry_instant": i, "claim_local_date": c} for i in instants for c in sorted(claims)]


def add_relative(f: Facts) -> list[Facts]:
    """A sister who is a citizen: in Canada (IRPR 159.5(a)) or in the US (8 CFR 208.30(e)(6)(iii)(B))."""
    in_canada = {"relationship": "SISTER", "location": "CANADA", "age_years": 40, "ca_status": "CANADIAN_CITIZEN"}
    in_us = {"relationship": "SISTER", "location": "US", "age_years": 40, "us_status": "US_CITIZEN"}
    members = list(f.get("family_members", []))
    return [{**f, "family_members": [*members, in_canada]}, {**f, "family_members": [*members, in_us]}]


def nationalities(f: Facts) -> list[Facts]:
    """A national of the other party (the Agreement never covers a country's own nationals)."""
    return [{**f, "nationalities": ["US"]}, {**f, "nationalities": ["CA"]}]


def stateless(f: Facts) -> list[Facts]:
    """Stateless, formerly resident in the US (IRPR 159.2) or habitually resident in Canada ((iii)(A))."""
    base = {**f, "stateless": True, "nationalities": []}
    return [{**base, "former_habitual_residence": "US"}, {**base, "habitual_residence": "CA"}]


def habitual_residence(f: Facts) -> list[Facts]:
    """Habitual residence in Canada (US direction, 8 CFR 208.30(e)(6)(iii)(A))."""
    return [{**f, "habitual_residence": "CA"}]


def death_penalty(f: Facts) -> list[Facts]:
    """Charged in the US with an offence punishable by death (IRPR 159.6(a))."""
    return [{**f, "death_penalty": "CHARGED_OR_CONVICTED_US", "death_penalty_offence_punishable_by_death": True}]
