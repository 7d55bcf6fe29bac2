"""What a rule is: data (id, citation, in-force window, reasons in EN and FR) plus one condition.

A condition is an ``Expr`` (``_expr.py``) written once over the symbolic case; the single-case engine,
the vectorised evaluator, the polars backend and the rule reference all derive from that one tree, and
walk the rule book through the one plan of ``_rulebook.py``, which is why they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stca.law._enums import Result
from stca.law._expr import Expr, describe


class Stage(StrEnum):
    """Where a rule sits in the decision procedure (law.md §5–6)."""

    SCOPE = "scope"  # establishes a mode (transit, between-ports window) that later rules read
    DECIDE = "decide"  # first met rule decides stca_result
    PARALLEL = "parallel"  # other ineligibility grounds, always evaluated (IRPA 101(1))
    OVERLAY = "overlay"  # COVID-19 direct-back (Quarantine Act orders, not IRPA)


class Field(StrEnum):
    """The dated fact an in-force window is compared with."""

    CLAIM = "claim_local_date"
    DETERMINATION = "determination_date"
    ENTRY = "entry_local_date"
    #: the entry instant, compared with a dated parameter to the second (the Protocol's 00:01 EDT, the
    #: COVID-19 order's 00:00:01 EDT): a crossing late on the eve in a western zone can fall after it.
    INSTANT = "entry_instant"


@dataclass(frozen=True)
class Window:
    """A rule applies only while ``start <= fact < end``; bounds name parameters of ``LawParameters``."""

    on: Field
    start: str | None = None
    end: str | None = None
    #: name of an UNCERTAIN switch that, when on, also brings the rule into force for a claim made on or
    #: after ``start`` (CA-PROTOCOL-TRANSITION: entry before the Protocol, claim after it).
    or_claim_switch: str | None = None


@dataclass(frozen=True)
class Flag:
    """An UNCERTAIN point the result relies on when the rule is consulted and ``pred`` holds.

    ``pred=None`` means "when the rule is met".
    """

    point: str
    pred: Expr | None = None


@dataclass(frozen=True)
class Text:
    """A sentence in English and French (reasons and titles)."""

    en: str
    fr: str

    def get(self, lang: str) -> str:
        """The sentence in ``lang`` ("en" or "fr")."""
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, eq=False)
class Rule:
    """One provision as the engine applies it.

    Attributes:
        id: stable identifier, e.g. ``CA-R06a``.
        country: "CA" (claims in Canada) or "US" (claims in the US).
        stage: see ``Stage``.
        citation: the provision, e.g. ``IRPR 159.5(a)``.
        title: short name in EN/FR.
        met: reason when the rule's condition holds.
        not_met: reason when the rule is consulted and its condition does not hold.
        when: the condition.
        reads: the fact fields the condition reads (drives "ask only what matters" in the desk).
        outcome: for DECIDE rules, the result they give.
        sets: for SCOPE rules, the mode name they establish.
        available: for DECIDE rules, when the rule may be consulted at all (e.g. not in transit mode).
        in_force: windows that must all hold for the rule to apply.
        flags: UNCERTAIN points relied on.
        sources: source ids of sources.md.
    """

    id: str
    country: str
    stage: Stage
    citation: str
    title: Text
    met: Text
    not_met: Text
    when: Expr
    reads: tuple[str, ...]
    outcome: Result | None = None
    sets: str | None = None
    available: Expr | None = None
    in_force: tuple[Window, ...] = ()
    flags: tuple[Flag, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def condition(self) -> str:
        """The condition as text (docs/rules.md, ``stca law --rule``), from the same tree the engines run."""
        return describe(self.when)
