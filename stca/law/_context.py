"""Case contexts: the one interface rule predicates are written against (scalar side).

``ScalarCase`` holds one case as Python scalars; ``ArrayCase`` holds a population as numpy arrays
with the same attribute names (``_arrays.py``; kept apart so one-case use never imports numpy). The
names are those of the symbolic case (``_expr.FACTS``) conditions are written over. Enum values are
integer codes (``_enums.code``), dates are days since 1970-01-01, instants are seconds since the
epoch (UTC).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stca.law._enums import Direction, Document, EntryPlace, Marital, Relationship, UsForum, code
from stca.law._facts import Facts
from stca.law._params import NEVER, LawParameters
from stca.law._uncertain import Switches

EPOCH = dt.date(1970, 1, 1)
DOCS = tuple(d.value for d in Document)
_LAND_POE = code(EntryPlace.LAND_POE)
_BETWEEN = code(EntryPlace.BETWEEN_POES_LAND)
_OTHER = code(EntryPlace.OTHER_NON_POE)


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (the physical value of a polars/Arrow date)."""
    return (d - EPOCH).days


def add_one_year(d: dt.date) -> dt.date:
    """Same day next year; 29 February becomes 28 February (as polars ``offset_by("1y")``)."""
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


@dataclass(frozen=True, eq=False)
class Compiled:
    """Parameters turned into the numbers predicates compare with."""

    day: dict[str, int]
    sec: dict[str, int]
    window_days_ca: int
    window_days_us: int
    whole_border: bool
    suspended: bool
    b2_enabled: bool


@lru_cache(maxsize=64)
def compile_params(params: LawParameters) -> Compiled:
    """Convert dated parameters to day numbers and epoch seconds once per policy."""
    dated = params.dated()
    day = {k: day_number(v.value.date()) for k, v in dated.items()}
    sec = {k: int(v.value.timestamp()) for k, v in dated.items()}
    protocol_exists = dated["protocol"].value < NEVER
    return Compiled(day, sec, params.window_days_ca, params.window_days_us, params.whole_border,
                    params.suspended, protocol_exists and not params.whole_border)


class _Member:
    __slots__ = ("age", "ca_status", "claim_state", "claimant_age", "claimant_married", "forum", "loc",
                 "permit_valid", "rel", "us_status", "wp_206")

    def __init__(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)


def _member_of(m: Any, claimant_age: int, claimant_married: bool) -> _Member:
    return _Member(rel=m.relationship.code_, loc=m.location.code_, age=m.age_years, ca_status=m.ca_status.code_,
                   claim_state=m.claim_state.code_, permit_valid=m.permit_valid, wp_206=m.work_permit_r206_1_b,
                   us_status=m.us_status.code_, forum=m.us_asylum_forum.code_, claimant_age=claimant_age,
                   claimant_married=claimant_married)


class ScalarCase:
    """One case (Python scalars). Built from validated ``Facts``; conditions compiled for one case
    (``_expr.compile_py``) read its attributes, and ``members`` for "some family member"."""

    def __init__(self, f: Facts, p: Compiled, sw: Switches) -> None:
        self.p, self.sw = p, sw
        self.direction = f.direction.code_
        self.came_from = f.came_from_other_party
        self.place_orig = place = f.entry_place.code_
        self.claim_at_entry = f.claim_at_entry
        self.entered_without_claim = f.entered_at_poe_without_claim
        self.instant = int(f.instant.timestamp())
        self.entry_day = day_number(f.entry_local_date)
        self.claim_day = day_number(f.claim_local_date)
        self.det_day = day_number(f.decided_on)
        self.d = self.claim_day - self.entry_day
        self.transit_us = f.in_transit_removal_from_us
        self.transit_ca = f.in_transit_removal_from_canada
        nats = f.nationalities
        self.nat_us = "US" in nats
        self.nat_ca = "CA" in nats
        self.stateless = f.stateless
        self.fhr_us = f.former_habitual_residence == "US"
        self.hr_ca = f.habitual_residence == "CA"
        self.age = f.age_years
        self.marital = f.marital.code_
        self.accompanied = f.accompanied_by_parent_or_legal_guardian
        self.parent_ca = f.parent_or_legal_guardian_in_canada
        self.parent_us = f.parent_or_legal_guardian_in_us
        # the claimant's age and marriage travel with each member: a legal guardian counts for a minor only
        married = f.marital is Marital.SPOUSE or any(m.relationship is Relationship.SPOUSE for m in f.family_members)
        self.members = [_member_of(m, f.age_years, married) for m in f.family_members]
        held = {d.value for d in f.documents_held}
        self.doc = {d: d in held for d in DOCS}
        self.visa_ca = f.visa_required_canada
        self.visa_us = f.visa_required_us
        self.refused_us = f.refused_entry_us_no_claim_adjudicated
        self.pr_returned = f.ca_pr_removed_from_us_being_returned
        self.dp = f.death_penalty.code_
        self.dp_capital = f.death_penalty_offence_punishable_by_death
        self.tsr = f.tsr_country_national
        self.tsr_excluded = f.excluded_from_tsr_230_3
        self.inadmissible = bool(f.inadmissibility_determined)
        self.prior_elsewhere = f.prior_claim_other_country_confirmed
        self.recognized_elsewhere = f.recognized_refugee_elsewhere_returnable
        self.prior_ca = f.prior_canadian_claim.code_
        anchor = f.first_entry_after_2020_06_24 or f.entry_local_date
        self.anchor_day = day_number(anchor)
        self.anchor_anniversary = day_number(add_one_year(anchor))
        self.us_public_interest = f.us_public_interest_determination
        self.us_removal = f.us_forum is UsForum.REMOVAL_PROCEEDINGS
        self.suspended = f.agreement_suspended or p.suspended
        self.permits_ok = f.policy_accept_permits_as_documents
        self.protection_conferred = f.refugee_protection_conferred_in_canada
        self.whole_border = p.whole_border
        self.b2_enabled = p.b2_enabled
        # Policy whole-border: a land-border entry away from a port is treated as a claim at a port of entry.
        bp_like = place == _BETWEEN or (place == _OTHER and sw.other_non_poe_as_between_ports)
        if p.whole_border and bp_like:
            self.place, self.claim_at_entry = _LAND_POE, True
        else:
            self.place = place
        self.mode_transit = False
        self.mode_between = False
        self.is_canada = self.direction == code(Direction.US_TO_CANADA)
