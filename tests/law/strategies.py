"""Hypothesis strategies for facts of every shape (law.md §4), valid by construction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from stca.law import (
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
    UsAsylumForum,
    UsForum,
    UsStatus,
)


def values(enum: Any) -> st.SearchStrategy[str]:
    """Any value of an enum, as the string the JSON input uses."""
    return st.sampled_from([m.value for m in enum])


# Dates cluster around the days where the law changes, so boundaries are exercised, not just sampled.
_PIVOTS = [dt.date(2004, 12, 29), dt.date(2007, 11, 29), dt.date(2008, 6, 27), dt.date(2009, 7, 23),
           dt.date(2019, 6, 21), dt.date(2020, 3, 21), dt.date(2020, 6, 24), dt.date(2021, 11, 21),
           dt.date(2023, 3, 25), dt.date(2025, 6, 3), dt.date(2026, 3, 26)]

entry_dates = st.one_of(
    st.dates(min_value=dt.date(2002, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.builds(lambda p, k: p + dt.timedelta(days=k), st.sampled_from(_PIVOTS), st.integers(-20, 20)),
)
gaps = st.one_of(st.integers(0, 20), st.sampled_from([13, 14, 15, 364, 365, 366, 367]), st.integers(0, 800))

member = st.fixed_dictionaries(
    {"relationship": values(Relationship)},
    optional={
        "location": values(Location),
        "age_years": st.integers(0, 99),
        "ca_status": values(CaStatus),
        "claim_state": values(ClaimState),
        "permit_valid": st.booleans(),
        "work_permit_r206_1_b": st.booleans(),
        "us_status": values(UsStatus),
        "us_asylum_forum": values(UsAsylumForum),
    },
)

countries = st.sampled_from(["CO", "HT", "US", "CA", "MX", "NG", "TR", "AF", "VE", "IN"])


@st.composite
def facts(draw: st.DrawFn, **fixed: Any) -> dict[str, Any]:
    """A valid case: required dates always present, every other field optional (defaults apply)."""
    entry = draw(entry_dates)
    claim = entry + dt.timedelta(days=draw(gaps))
    case: dict[str, Any] = {"entry_local_date": entry.isoformat(), "claim_local_date": claim.isoformat()}
    if draw(st.booleans()):
        hour = draw(st.integers(0, 23))
        offset = draw(st.sampled_from(["-04:00", "-05:00", "-07:00", "-08:00", "Z"]))
        case["entry_instant"] = f"{entry.isoformat()}T{hour:02d}:{draw(st.integers(0, 59)):02d}:00{offset}"
    if draw(st.booleans()):
        case["determination_date"] = (claim + dt.timedelta(days=draw(st.integers(0, 900)))).isoformat()
    stateless = draw(st.booleans()) if draw(st.integers(0, 9)) == 0 else False
    optional = {
        "direction": values(Direction),
        "came_from_other_party": st.booleans(),
        "entry_place": values(EntryPlace),
        "claim_at_entry": st.booleans(),
        "entered_at_poe_without_claim": st.booleans(),
        "in_transit_removal_from_us": st.booleans(),
        "in_transit_removal_from_canada": st.booleans(),
        "habitual_residence": st.one_of(st.none(), countries),
        "former_habitual_residence": st.one_of(st.none(), countries),
        "age_years": st.one_of(st.integers(0, 17), st.integers(18, 90)),
        "marital": values(Marital),
        "accompanied_by_parent_or_legal_guardian": st.booleans(),
        "parent_or_legal_guardian_in_canada": st.booleans(),
        "parent_or_legal_guardian_in_us": st.booleans(),
        "family_members": st.lists(member, max_size=3),
        "documents_held": st.lists(values(Document), max_size=3, unique=True),
        "visa_required_canada": st.booleans(),
        "visa_required_us": st.booleans(),
        "refused_entry_us_no_claim_adjudicated": st.booleans(),
        "ca_pr_removed_from_us_being_returned": st.booleans(),
        "death_penalty": values(DeathPenalty),
        "death_penalty_offence_punishable_by_death": st.booleans(),
        "tsr_country_national": st.booleans(),
        "excluded_from_tsr_230_3": st.booleans(),
        "inadmissibility_determined": st.lists(values(Inadmissibility), max_size=2, unique=True),
        "prior_claim_other_country_confirmed": st.booleans(),
        "recognized_refugee_elsewhere_returnable": st.booleans(),
        "prior_canadian_claim": values(PriorCanadianClaim),
        "us_public_interest_determination": st.booleans(),
        "us_forum": values(UsForum),
        "refugee_protection_conferred_in_canada": st.booleans(),
        "agreement_suspended": st.booleans(),
        "policy_accept_permits_as_documents": st.booleans(),
    }
    for key, strat in optional.items():
        if key not in fixed and draw(st.integers(0, 3)) == 0:
            case[key] = draw(strat)
    if stateless:
        case["stateless"] = True
        case["nationalities"] = []
    elif draw(st.integers(0, 3)) == 0:
        case["nationalities"] = draw(st.lists(countries, min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 5)) == 0 and claim > dt.date(2020, 6, 25):
        # the first entry after 2020-06-24 comes no later than this entry when this entry is after that date
        latest = claim if entry <= dt.date(2020, 6, 24) else entry
        first = draw(st.dates(min_value=dt.date(2020, 6, 25), max_value=max(latest, dt.date(2020, 6, 25))))
        case["first_entry_after_2020_06_24"] = first.isoformat()
    case.update(fixed)
    return case
