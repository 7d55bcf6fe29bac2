"""What the law said on a date, and what changed between two dates — read from the rules' own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stca.law._context import EPOCH
from stca.law._engine import compiled
from stca.law._expr import compile_py
from stca.law._policy import Policy, parse_policy
from stca.law._rule import Rule
from stca.law._rulebook import BOOKS, plan
from stca.law._uncertain import DEFAULT_SWITCHES, Switches


@dataclass(frozen=True)
class RuleInForce:
    """A rule with its in-force dates resolved under a policy (None = open-ended)."""

    rule: Rule
    start: dt.date | None
    end: dt.date | None

    def as_dict(self, lang: str = "en") -> dict[str, str | None]:
        """JSON-friendly form."""
        r = self.rule
        return {"rule": r.id, "country": r.country, "stage": r.stage.value, "citation": r.citation,
                "title": r.title.get(lang), "in_force_from": self.start.isoformat() if self.start else None,
                "in_force_until": self.end.isoformat() if self.end else None}


def _span(rule: Rule, policy: Policy) -> tuple[dt.date | None, dt.date | None]:
    p = compiled(policy)
    start: int | None = None
    end: int | None = None
    for w in rule.in_force:
        if w.start is not None:
            start = max(start or p.day[w.start], p.day[w.start])
        if w.end is not None:
            end = min(end or p.day[w.end], p.day[w.end])

    def to_date(v: int | None) -> dt.date | None:
        if v is None or v > 2_900_000:
            return None if v is None else dt.date.max
        return EPOCH + dt.timedelta(days=v)

    return to_date(start), to_date(end)


class _OnDate:
    """Every dated fact of a case taken as one date: the context of "the rules in force on a date".

    The entry instant is the last second of that day (UTC), so a provision that starts at an instant
    during the day (the Protocol at 04:01 UTC) is in force on that day, as its start date says."""

    def __init__(self, date: dt.date) -> None:
        self.claim_day = self.det_day = self.entry_day = (date - EPOCH).days
        self.instant = (self.claim_day + 1) * 86_400 - 1


def rules_on(date: dt.date, policy: str | Policy = "law", country: str | None = None,
             switches: Switches | None = None) -> list[RuleInForce]:
    """Every rule in force on ``date`` (all dated facts taken as that date), in procedure order: the
    engines' own in-force check (``_rulebook.in_force``), switches included."""
    pol = parse_policy(policy)
    on = _OnDate(date)
    out = []
    for ctry in BOOKS:
        if country and ctry != country:
            continue
        book = plan(ctry, pol.compiled, switches or DEFAULT_SWITCHES)
        for entry in book.scope + book.decide + book.parallel + book.overlay:
            if entry.in_force is None or compile_py(entry.in_force, arrays=False)(on):
                out.append(RuleInForce(entry.rule, *_span(entry.rule, pol)))
    return out


@dataclass(frozen=True)
class LawDiff:
    """Rules that came into force and went out of force between two dates."""

    before: dt.date
    after: dt.date
    added: list[RuleInForce]
    removed: list[RuleInForce]


def diff(d1: dt.date, d2: dt.date, policy: str | Policy = "law", country: str | None = None) -> LawDiff:
    """Compare the rules in force on ``d1`` and ``d2``."""
    a = {r.rule.id: r for r in rules_on(d1, policy, country)}
    b = {r.rule.id: r for r in rules_on(d2, policy, country)}
    return LawDiff(d1, d2, [b[k] for k in b if k not in a], [a[k] for k in a if k not in b])
