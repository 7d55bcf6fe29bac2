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

from stca.law._enums import Document, EntryPlace, Marital, Relationship, UsForum, code
from stca.law._facts import DEFAULT_ZONE, Facts, FamilyMember
from stca.law._params import NEVER, LawParameters
from stca.law._uncertain import Switches

EPOCH = dt.date(1970, 1, 1)
DOCS = tuple(d.value for d in Document)
_LAND_POE = code(EntryPlace.LAND_POE)
_BETWEEN = code(EntryPlace.BETWEEN_POES_LAND)
_OTHER = code(EntryPlace.OTHER_NON_POE)


_EPOCH_ORDINAL = EPOCH.toordinal()


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (the physical value of a polars/Arrow date)."""
    return d.toordinal() - _EPOCH_ORDINAL


@lru_cache(maxsize=8192)
def _noon(d: dt.date) -> int:
    """Epoch seconds of noon in America/Toronto on ``d``: the entry instant when none is given (contract.md §2)."""
    return int(dt.datetime.combine(d, dt.time(12), tzinfo=DEFAULT_ZONE).timestamp())


@lru_cache(maxsize=8192)
def _anniversary(d: dt.date) -> int:
    return day_number(add_one_year(d))


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
    """One family member as the attributes of ``_expr.SymbolicMember``."""

    __slots__ = ("age", "ca_status", "claim_state", "claimant_age", "claimant_married", "forum", "loc",
                 "permit_valid", "rel", "us_status", "wp_206")

    def __init__(self, m: FamilyMember, claimant_age: int, claimant_married: bool) -> None:
        self.rel = m.relationship.code_
        self.loc = m.location.code_
        self.age = m.age_years
        self.ca_status = m.ca_status.code_
        self.claim_state = m.claim_state.code_
        self.permit_valid = m.permit_valid
        self.wp_206 = m.work_permit_r206_1_b
        self.us_status = m.us_status.code_
        self.forum = m.us_asylum_forum.code_
        self.claimant_age = claimant_age
        self.claimant_married = claimant_married


#: Case attributes (``_expr.FACTS``) a condition compiled for one case reads straight from the validated
#: ``Facts`` (``c.f``), as Python source, so building a ``ScalarCase`` skips them; the source may call the
#: helpers of ``FROM_FACTS_HELPERS``.
FROM_FACTS: dict[str, str] = {
    "direction": "c.f.direction.code_",
    "came_from": "c.f.came_from_other_party",
    "place_orig": "c.f.entry_place.code_",
    "entered_without_claim": "c.f.entered_at_poe_without_claim",
    "transit_us": "c.f.in_transit_removal_from_us",
    "transit_ca": "c.f.in_transit_removal_from_canada",
    "stateless": "c.f.stateless",
    "age": "c.f.age_years",
    "marital": "c.f.marital.code_",
    "accompanied": "c.f.accompanied_by_parent_or_legal_guardian",
    "parent_ca": "c.f.parent_or_legal_guardian_in_canada",
    "parent_us": "c.f.parent_or_legal_guardian_in_us",
    "visa_ca": "c.f.visa_required_canada",
    "visa_us": "c.f.visa_required_us",
    "refused_us": "c.f.refused_entry_us_no_claim_adjudicated",
    "pr_returned": "c.f.ca_pr_removed_from_us_being_returned",
    "dp": "c.f.death_penalty.code_",
    "dp_capital": "c.f.death_penalty_offence_punishable_by_death",
    "tsr": "c.f.tsr_country_national",
    "tsr_excluded": "c.f.excluded_from_tsr_230_3",
    "prior_elsewhere": "c.f.prior_claim_other_country_confirmed",
    "recognized_elsewhere": "c.f.recognized_refugee_elsewhere_returnable",
    "prior_ca": "c.f.prior_canadian_claim.code_",
    "us_public_interest": "c.f.us_public_interest_determination",
    "permits_ok": "c.f.policy_accept_permits_as_documents",
    "protection_conferred": "c.f.refugee_protection_conferred_in_canada",
    # derived, but read by few cases (after an in-force check that most fail): computed when read
    "nat_us": "('US' in c.f.nationalities)",
    "nat_ca": "('CA' in c.f.nationalities)",
    "fhr_us": "(c.f.former_habitual_residence == 'US')",
    "hr_ca": "(c.f.habitual_residence == 'CA')",
    "inadmissible": "bool(c.f.inadmissibility_determined)",
    "us_removal": f"(c.f.us_forum.code_ == {code(UsForum.REMOVAL_PROCEEDINGS)})",
    "det_day": "DAY(c.f.decided_on)",
    "anchor_day": "DAY(c.f.first_entry_after_2020_06_24 or c.f.entry_local_date)",
    "anchor_anniversary": "ANNIVERSARY(c.f.first_entry_after_2020_06_24 or c.f.entry_local_date)",
}


class ScalarCase:
    """One case (Python scalars). Built from validated ``Facts``; conditions compiled for one case
    (``_expr.compile_py``) read its attributes, and ``members`` for "some family member"."""

    __slots__ = ("claim_at_entry", "claim_day", "d", "doc", "entry_day", "f", "instant", "members", "mode_between",
                 "mode_transit", "p", "place", "suspended", "sw")

    def __init__(self, f: Facts, p: Compiled, sw: Switches) -> None:
        self.p, self.sw, self.f = p, sw, f  # facts read as they are: ``FROM_FACTS``, through ``f``
        place = f.entry_place.code_
        self.claim_at_entry = f.claim_at_entry
        self.instant = _noon(f.entry_local_date) if f.entry_instant is None else int(f.entry_instant.timestamp())
        self.entry_day = day_number(f.entry_local_date)
        self.claim_day = day_number(f.claim_local_date)
        self.d = self.claim_day - self.entry_day
        members = f.family_members
        if members:
            # the claimant's age and marriage travel with each member: a legal guardian counts for a minor only
            married = f.marital is Marital.SPOUSE or any(m.relationship is Relationship.SPOUSE for m in members)
            self.members = [_Member(m, f.age_years, married) for m in members]
        else:
            self.members = []
        self.doc = f.documents_held  # a tuple of str enums: ``"CA_TRV" in c.doc`` compares by value
        self.suspended = f.agreement_suspended or p.suspended
        # Policy whole-border: a land-border entry away from a port is treated as a claim at a port of entry.
        bp_like = place == _BETWEEN or (place == _OTHER and sw.other_non_poe_as_between_ports)
        if p.whole_border and bp_like:
            self.place, self.claim_at_entry = _LAND_POE, True
        else:
            self.place = place
        self.mode_transit = False
        self.mode_between = False


#: Functions the sources of ``FROM_FACTS`` may call.
FROM_FACTS_HELPERS: dict[str, object] = {"DAY": day_number, "ANNIVERSARY": _anniversary}


# the same attributes as properties, for conditions compiled one at a time (``_expr.compile_py``)
for _attr, _source in FROM_FACTS.items():
    setattr(ScalarCase, _attr, property(eval(f"lambda c: {_source}", dict(FROM_FACTS_HELPERS))))
