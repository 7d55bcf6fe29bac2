"""The law core: the Safe Third Country Agreement rules of Canada and the United States as data + one
decision procedure, for one case (``determine``) or a population (``evaluate_frame``).

Pure: no file, network or database I/O, and no import of the desk, CLI or simulator. Importing it loads
neither numpy, pyarrow nor polars: the population side lives in the public module ``stca.law.frame``,
which ``evaluate_frame`` and ``could_change_frame`` below load when first called.
"""

import typing as _typing

from stca.law._could_change import Change, consulted_facts, could_change
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
from stca.law._fact_docs import facts_markdown
from stca.law._fact_table import (
    FACT_TABLE,
    FACTS_BY_NAME,
    MEMBER_TABLE,
    MEMBERS_BY_NAME,
    FactSpec,
    fact_questions,
    facts_json_schema,
    rules_reading,
)
from stca.law._facts import (
    FACT_NAMES,
    MEMBER_NAMES,
    RELATIVE_PROBES,
    About,
    Facts,
    FactsError,
    FamilyMember,
    Problem,
    parse_facts,
)
from stca.law._params import LAW, NEVER, Dated, LawParameters
from stca.law._policy import POLICY_NAMES, Policy, PolicyError, parse_policy
from stca.law._rule import Rule, Stage
from stca.law._rulebook import ALL_RULES, BOOKS, RULES_BY_ID
from stca.law._sources import SOURCES, Source
from stca.law._timeline import LawDiff, RuleInForce, diff, rules_on
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches, UncertainPoint, parse_switch

if _typing.TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

__all__ = [
    "ALL_RULES",
    "BOOKS",
    "DEFAULT_SWITCHES",
    "FACTS_BY_NAME",
    "FACT_NAMES",
    "FACT_TABLE",
    "LAW",
    "MEMBERS_BY_NAME",
    "MEMBER_NAMES",
    "MEMBER_TABLE",
    "NEVER",
    "POINTS",
    "POLICY_NAMES",
    "RELATIVE_PROBES",
    "RULES_BY_ID",
    "SOURCES",
    "About",
    "CaStatus",
    "Change",
    "ClaimState",
    "Dated",
    "DeathPenalty",
    "Determination",
    "Direction",
    "Document",
    "EntryPlace",
    "FactSpec",
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
    "consulted_facts",
    "could_change",
    "could_change_frame",
    "determine",
    "diff",
    "evaluate_frame",
    "fact_questions",
    "facts_json_schema",
    "facts_markdown",
    "law_version",
    "parse_facts",
    "parse_policy",
    "parse_switch",
    "rules_on",
    "rules_reading",
]


def evaluate_frame(frame: "pl.DataFrame | pa.Table", policy: str | Policy = "law",
                   switches: Switches | None = None) -> "pl.DataFrame":
    """Decide every row of a population (``stca.law.frame.evaluate_frame``, loaded on first call)."""
    from stca.law import frame as _population

    return _population.evaluate_frame(frame, policy, switches)


def could_change_frame(frame: "pl.DataFrame | pa.Table", policy: str | Policy = "law",
                       switches: Switches | None = None) -> "pl.Series":
    """Per row, what could change its result (``stca.law.frame.could_change_frame``, loaded on first call)."""
    from stca.law import frame as _population

    return _population.could_change_frame(frame, policy, switches)
