"""The synthetic population of would-be claimants, in the law's own fact vocabulary.

Why a fixed population: the chance of being turned back on a route is a property of *who* arrives, and
the law engine decides it person by person. Drawing one population once (seeded) and evaluating it under
the rules in force each month lets the simulator ask the engine a bounded number of questions and cache
the answers, instead of re-deciding millions of people per replication.

Every share below is an ASSUMPTION (docs/simulator.md §Population), chosen from public reporting on
2017–2023 irregular arrivals, not fitted: reviewers should challenge them first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

#: Nationality mix of people in the US who intend to claim in Canada (assumption: shares of irregular
#: claimants by citizenship reported for 2017–2023, rounded) and whether Canada requires them a visa to fly
#: (assumption, for airport feasibility only: Mexico treated as visa-exempt for the whole period).
NATIONALITIES: tuple[tuple[str, float, bool], ...] = (
    ("HT", 0.24, True), ("NG", 0.15, True), ("CO", 0.14, True), ("VE", 0.10, True), ("TR", 0.08, True),
    ("PK", 0.07, True), ("MX", 0.06, False), ("CD", 0.05, True), ("ER", 0.05, True), ("AF", 0.06, True),
)
#: Share with a relative in Canada whose status can qualify under IRPR 159.5(a)–(d) (assumption).
SHARE_QUALIFYING_RELATIVE = 0.12
#: Share with a relative in Canada who only visits (does not qualify; assumption).
SHARE_NON_QUALIFYING_RELATIVE = 0.06
#: Share holding a valid Canadian visa (IRPR 159.5(f)/(g) documents; assumption).
SHARE_CANADIAN_VISA = 0.05
#: Share who are unaccompanied minors (IRPR 159.5(e); assumption).
SHARE_UNACCOMPANIED_MINOR = 0.015

_QUALIFYING = (("BROTHER", "PERMANENT_RESIDENT"), ("SISTER", "CANADIAN_CITIZEN"), ("MOTHER", "PROTECTED_PERSON"),
               ("UNCLE", "PERMANENT_RESIDENT"), ("AUNT", "CANADIAN_CITIZEN"), ("FATHER", "PERMANENT_RESIDENT"))


@dataclass(frozen=True)
class Profile:
    """One distinct kind of person: the facts that do not depend on route or date, and its weight.

    Attributes:
        facts: law.md §4 facts (JSON-ready values) shared by every route and date.
        weight: share of the population with exactly these facts (weights sum to 1).
        can_fly: whether the person can board a flight to Canada (no visa needed, or a Canadian visa held);
            a route cost, not a rule of the Agreement.
    """

    facts: dict[str, object]
    weight: float
    can_fly: bool


def draw_population(size: int = 4000, seed: int = 2017) -> list[Profile]:
    """Draw ``size`` people and collapse identical fact sets into weighted profiles.

    >>> profiles = draw_population(500, seed=1)
    >>> round(sum(p.weight for p in profiles), 9)
    1.0
    """
    rng = np.random.default_rng(seed)
    codes = [n[0] for n in NATIONALITIES]
    shares = np.array([n[1] for n in NATIONALITIES])
    visa_needed = {n[0]: n[2] for n in NATIONALITIES}
    counts: dict[str, tuple[dict[str, object], bool]] = {}
    tally: dict[str, int] = {}
    for _ in range(size):
        nat = str(rng.choice(codes, p=shares / shares.sum()))
        facts: dict[str, object] = {"nationalities": [nat], "visa_required_canada": visa_needed[nat]}
        u = rng.random()
        if u < SHARE_QUALIFYING_RELATIVE:
            rel, status = _QUALIFYING[int(rng.integers(len(_QUALIFYING)))]
            facts["family_members"] = [{"relationship": rel, "location": "CANADA", "age_years": 40,
                                        "ca_status": status}]
        elif u < SHARE_QUALIFYING_RELATIVE + SHARE_NON_QUALIFYING_RELATIVE:
            facts["family_members"] = [{"relationship": "COUSIN", "location": "CANADA", "age_years": 35,
                                        "ca_status": "VISITOR"}]
        has_visa = bool(visa_needed[nat]) and rng.random() < SHARE_CANADIAN_VISA / 0.94
        if has_visa:
            facts["documents_held"] = ["CA_TRV"]
        facts["age_years"] = 16 if rng.random() < SHARE_UNACCOMPANIED_MINOR else 30
        key = json.dumps(facts, sort_keys=True)
        counts.setdefault(key, (facts, (not visa_needed[nat]) or has_visa))
        tally[key] = tally.get(key, 0) + 1
    return [Profile(facts, tally[key] / size, fly) for key, (facts, fly) in counts.items()]


#: People crossing from Canada into the US between ports (assumptions, docs/simulator.md §Canada → US):
#: Mexican nationals 51 % (US Border Patrol, northern border, FY2023 Oct–Apr: 2,458 of 4,827 —
#: cbp_northern_encounters), visa-exempt for Canada (until 2024-02-29, not modelled) and visa-required for the
#: US; the rest a visa-required-for-both nationality (no published mix; assumption).
NORTHBOUND_NATIONALITIES: tuple[tuple[str, float, bool], ...] = (("MX", 0.51, False), ("IN", 0.49, True))
#: Share with a relative in the US whose status qualifies under 8 CFR 208.30(e)(6)(iii)(B) (assumption).
NORTHBOUND_SHARE_US_RELATIVE = 0.12
#: Share holding a valid non-transit US visa ((iii)(E); assumption).
NORTHBOUND_SHARE_US_VISA = 0.03


def draw_northbound_population(size: int = 4000, seed: int = 2017) -> list[Profile]:
    """Draw people crossing Canada → US and collapse identical fact sets into weighted profiles.

    >>> round(sum(p.weight for p in draw_northbound_population(300, seed=1)), 9)
    1.0
    """
    rng = np.random.default_rng([seed, 2])
    shares = np.array([n[1] for n in NORTHBOUND_NATIONALITIES])
    tally: dict[str, tuple[dict[str, object], int]] = {}
    for _ in range(size):
        code, _share, visa_ca = NORTHBOUND_NATIONALITIES[int(rng.choice(len(shares), p=shares / shares.sum()))]
        facts: dict[str, object] = {"nationalities": [code], "visa_required_canada": visa_ca,
                                    "visa_required_us": True, "age_years": 30}
        if rng.random() < NORTHBOUND_SHARE_US_RELATIVE:
            facts["family_members"] = [{"relationship": "BROTHER", "location": "US", "age_years": 40,
                                        "us_status": "LPR"}]
        if rng.random() < NORTHBOUND_SHARE_US_VISA:
            facts["documents_held"] = ["US_VISA_NON_TRANSIT"]
        key = json.dumps(facts, sort_keys=True)
        old = tally.get(key)
        tally[key] = (facts, (old[1] if old else 0) + 1)
    return [Profile(facts, n / size, False) for facts, n in tally.values()]
