"""The law core: the Safe Third Country Agreement rules of Canada and the United States as data + one
decision procedure, for one case (``determine``) or a population (``evaluate_frame``).

Pure: no file, network or database I/O, and no import of the desk, CLI or simulator.
"""

from __future__ import annotations

from stca.law._determination import Determination, Step
from stca.law._engine import determine, law_version
from stca.law._enums import (
    CaStatus,
    ClaimState,
    DeathPenalty,
    Direction,
    Document,
    EntryPlace,
    Inadmissibility,
    Location,
    Marital,
    PriorCanadianClaim,
    Relationship,
    Result,
    UsAsylumForum,
    UsForum,
    UsStatus,
)
from stca.law._facts import FACT_NAMES, MEMBER_NAMES, Facts, FactsError, FamilyMember, Problem, parse_facts
from stca.law._params import LAW, LawParameters
from stca.law._policy import POLICY_NAMES, Policy, PolicyError, parse_policy
from stca.law._rule import Rule, Stage
from stca.law._rulebook import ALL_RULES, BOOKS, RULES_BY_ID
from stca.law._sources import SOURCES, Source
from stca.law._timeline import LawDiff, RuleInForce, diff, rules_on
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches, UncertainPoint, parse_switch

__all__ = [
    "ALL_RULES",
    "BOOKS",
    "DEFAULT_SWITCHES",
    "FACT_COLUMNS",
    "FACT_NAMES",
    "LAW",
    "MEMBER_NAMES",
    "POINTS",
    "POLICY_NAMES",
    "RULES_BY_ID",
    "SOURCES",
    "CaStatus",
    "ClaimState",
    "DeathPenalty",
    "Determination",
    "Direction",
    "Document",
    "EntryPlace",
    "Facts",
    "FactsError",
    "FamilyMember",
    "Inadmissibility",
    "LawDiff",
    "LawParameters",
    "Location",
    "Marital",
    "Policy",
    "PolicyError",
    "PriorCanadianClaim",
    "Problem",
    "Relationship",
    "Result",
    "Rule",
    "RuleInForce",
    "Source",
    "Stage",
    "Step",
    "Switches",
    "UncertainPoint",
    "UsAsylumForum",
    "UsForum",
    "UsStatus",
    "determine",
    "diff",
    "evaluate_frame",
    "law_version",
    "parse_facts",
    "parse_policy",
    "parse_switch",
    "rules_on",
]


def __getattr__(name: str) -> object:
    """Load the vectorised evaluator (polars, Arrow) only when asked: ``stca check`` stays light."""
    if name in ("evaluate_frame", "evaluate_normalized", "FACT_COLUMNS", "normalize"):
        from stca.law import _frame, _vector

        return {"evaluate_frame": _vector.evaluate_frame, "evaluate_normalized": _vector.evaluate_normalized,
                "FACT_COLUMNS": _frame.FACT_COLUMNS, "normalize": _frame.normalize}[name]
    raise AttributeError(name)
