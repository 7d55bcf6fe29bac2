"""Formulas: the Canadian rules at a land port of entry (law.md §5 CA-R01–R09, IRPR 159.2–159.6).

Person-level formulas test each relative; claim-level formulas aggregate them and apply the claimant's
own exceptions; ``stca_decision`` applies the rules in order, the first decisive one winning.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from benchmarks.openfisca_stca.entities import Claim, Person
from benchmarks.openfisca_stca.inputs import CaStatus, ClaimState, DeathPenalty, Location, Marital, Relationship

#: IRPR 159.3 (SOR/2004-217): the US designated from 2004-12-29.
AGREEMENT_IN_FORCE = np.datetime64("2004-12-29")
#: SOR/2009-210: former IRPR 159.6(c) repealed from 2009-07-23.
TSR_REPEAL = np.datetime64("2009-07-23")

_FAMILY_159_1 = ("SPOUSE", "COMMON_LAW_PARTNER", "LEGAL_GUARDIAN", "CHILD", "FATHER", "MOTHER", "BROTHER",
                 "SISTER", "GRANDFATHER", "GRANDMOTHER", "GRANDCHILD", "UNCLE", "AUNT", "NEPHEW", "NIECE")
_PARENTS = ("FATHER", "MOTHER", "LEGAL_GUARDIAN")
_PARTNERS = ("SPOUSE", "COMMON_LAW_PARTNER")


def _is_one_of(values: Any, enum: type[Enum], names: tuple[str, ...]) -> Any:
    codes = np.array([enum[n].index for n in names])
    return np.isin(np.asarray(values), codes)


def _formula(name: str, entity: object, fn: Any, label: str, value_type: type = bool,
             possible_values: type[Enum] | None = None) -> type[Variable]:
    attrs: dict[str, object] = {"value_type": value_type, "entity": entity, "label": label,
                                "definition_period": DateUnit.YEAR, "formula": fn}
    if possible_values is not None:
        attrs["possible_values"] = possible_values
        attrs["default_value"] = list(possible_values)[-1]
    return type(name, (Variable,), attrs)


# ---- relatives (person level) --------------------------------------------------------------------------

def _family_member_in_canada(person: Any, period: Any) -> Any:
    """IRPR 159.1 family member physically in Canada on the claim date; a legal guardian counts only for a
    claimant under 18 (IRPR 159.1 "legal guardian")."""
    relationship = person("relationship", period)
    guardian_of_minor = (relationship != Relationship.LEGAL_GUARDIAN) | (person.claim("claimant_age", period) < 18)
    return (_is_one_of(relationship, Relationship, _FAMILY_159_1)
            & (person("location", period) == Location.CANADA) & guardian_of_minor)


def _claimant_age(claim: Any, period: Any) -> Any:
    return claim.value_from_person(claim.members("age", period), role=Claim.CLAIMANT)


def _status_is(status: str) -> Any:
    def formula(person: Any, period: Any) -> Any:
        return person("family_member_in_canada", period) & (person("ca_status", period) == CaStatus[status])
    return formula


def _referred_claim(person: Any, period: Any) -> Any:
    """IRPR 159.5(c): adult family member in Canada whose claim is referred and still pending."""
    return (person("family_member_in_canada", period) & (person("age", period) >= 18)
            & (person("claim_state", period) == ClaimState.REFERRED_PENDING))


def _permit(person: Any, period: Any) -> Any:
    """IRPR 159.5(d): adult family member in Canada with a valid work/study permit, not under 206(1)(b)."""
    status = person("ca_status", period)
    work = status == CaStatus.WORK_PERMIT
    return (person("family_member_in_canada", period) & (person("age", period) >= 18)
            & (work | (status == CaStatus.STUDY_PERMIT)) & person("permit_valid", period)
            & ~(work & person("work_permit_r206_1_b", period)))


def _is_partner(person: Any, period: Any) -> Any:
    return _is_one_of(person("relationship", period), Relationship, _PARTNERS)


def _parent_at(location: str) -> Any:
    def formula(person: Any, period: Any) -> Any:
        return (_is_one_of(person("relationship", period), Relationship, _PARENTS)
                & (person("location", period) == Location[location]))
    return formula


PERSON_FORMULAS = [
    _formula("claimant_age", Claim, _claimant_age, "Age of the claimant", int),
    _formula("family_member_in_canada", Person, _family_member_in_canada, "IRPR 159.1 family member in Canada"),
    _formula("relative_citizen", Person, _status_is("CANADIAN_CITIZEN"), "IRPR 159.5(a) relative"),
    _formula("relative_protected", Person, _status_is("PROTECTED_PERSON"), "IRPR 159.5(b)(i) relative"),
    _formula("relative_permanent_resident", Person, _status_is("PERMANENT_RESIDENT"), "IRPR 159.5(b)(ii) relative"),
    _formula("relative_stay_r233", Person, _status_is("STAY_R233"), "IRPR 159.5(b)(iii) relative"),
    _formula("relative_referred_claim", Person, _referred_claim, "IRPR 159.5(c) relative"),
    _formula("relative_permit", Person, _permit, "IRPR 159.5(d) relative"),
    _formula("relative_is_partner", Person, _is_partner, "Spouse or common-law partner"),
    _formula("relative_parent_in_canada", Person, _parent_at("CANADA"), "Parent or guardian in Canada"),
    _formula("relative_parent_in_us", Person, _parent_at("US"), "Parent or guardian in the US"),
]


# ---- the claim --------------------------------------------------------------------------------------------

def _any_relative(variable: str) -> Any:
    def formula(claim: Any, period: Any) -> Any:
        return claim.any(claim.members(variable, period), role=Claim.RELATIVE)
    return formula


def _unaccompanied_minor(claim: Any, period: Any) -> Any:
    """IRPR 159.5(e): under 18, unaccompanied, no spouse/partner, no parent or guardian in Canada or the US."""
    age = claim.value_from_person(claim.members("age", period), role=Claim.CLAIMANT)
    partner = (claim("marital", period) != Marital.NONE) | claim("any_relative_is_partner", period)
    parent_ca = claim("parent_or_legal_guardian_in_canada", period) | claim("any_relative_parent_in_canada", period)
    parent_us = claim("parent_or_legal_guardian_in_us", period) | claim("any_relative_parent_in_us", period)
    return (age < 18) & ~claim("accompanied_by_parent_or_legal_guardian", period) & ~partner & ~parent_ca & ~parent_us


def _holds(*docs: str) -> Any:
    def formula(claim: Any, period: Any) -> Any:
        held = claim(f"holds_{docs[0].lower()}", period)
        for doc in docs[1:]:
            held = held | claim(f"holds_{doc.lower()}", period)
        return held
    return formula


def _permit_as_document(claim: Any, period: Any) -> Any:
    """IRPR 159.5(f) as read by guidance: a valid work or study permit (policy switch, default accepted)."""
    return _holds("CA_WORK_PERMIT", "CA_STUDY_PERMIT")(claim, period) & claim("policy_accept_permits_as_documents",
                                                                               period)


def _visa(claim: Any, period: Any) -> Any:
    """IRPR 159.5(g): visa-exempt for Canada and visa required for the US."""
    return ~claim("visa_required_canada", period) & claim("visa_required_us", period)


def _death_penalty(where: str) -> Any:
    def formula(claim: Any, period: Any) -> Any:
        return (claim("death_penalty", period) == DeathPenalty[where]) & claim(
            "death_penalty_offence_punishable_by_death", period)
    return formula


def _tsr(claim: Any, period: Any) -> Any:
    """Former IRPR 159.6(c), 2004-12-29 to 2009-07-22: TSR national not excluded by IRPR 230(3)."""
    day = claim("claim_date", period)
    return ((day >= AGREEMENT_IN_FORCE) & (day < TSR_REPEAL) & claim("tsr_country_national", period)
            & ~claim("excluded_from_tsr_230_3", period))


#: Deciding provisions in the order the rules are consulted: (name, stca_result, citation).
DECISIONS: tuple[tuple[str, str, str], ...] = (
    ("NOT_IN_FORCE", "NOT_APPLICABLE", "IRPR 159.1–159.7 (in force 2004-12-29)"),
    ("SUSPENDED", "NOT_APPLICABLE", "IRPR 159.7"),
    ("NOT_FROM_US", "NOT_APPLICABLE", "IRPA 101(1)(e); IRPR 159.3"),
    ("US_NATIONAL", "NOT_APPLICABLE", "IRPA 101(1)(e)"),
    ("STATELESS_FHR_US", "NOT_APPLICABLE", "IRPR 159.2"),
    ("INLAND_AFTER_POE", "NOT_APPLICABLE", "IRPR 159.4(1)(a)"),
    ("FAMILY_CITIZEN", "NOT_BARRED", "IRPR 159.5(a)"),
    ("FAMILY_PROTECTED", "NOT_BARRED", "IRPR 159.5(b)(i)"),
    ("FAMILY_PR", "NOT_BARRED", "IRPR 159.5(b)(ii)"),
    ("FAMILY_STAY", "NOT_BARRED", "IRPR 159.5(b)(iii)"),
    ("FAMILY_CLAIM", "NOT_BARRED", "IRPR 159.5(c)"),
    ("FAMILY_PERMIT", "NOT_BARRED", "IRPR 159.5(d)"),
    ("UNACCOMPANIED_MINOR", "NOT_BARRED", "IRPR 159.5(e)"),
    ("DOC_VISA", "NOT_BARRED", "IRPR 159.5(f)(i)"),
    ("DOC_TRP", "NOT_BARRED", "IRPR 159.5(f)(ii)"),
    ("DOC_PR_TRAVEL", "NOT_BARRED", "IRPR 159.5(f)(iii)"),
    ("DOC_REFUGEE_TRAVEL", "NOT_BARRED", "IRPR 159.5(f)(iv)"),
    ("DOC_R151", "NOT_BARRED", "IRPR 159.5(f)(v)"),
    ("DOC_PERMIT", "NOT_BARRED", "IRPR 159.5(f) (guidance: work or study permit)"),
    ("VISA_EXEMPT", "NOT_BARRED", "IRPR 159.5(g)"),
    ("REFUSED_BY_US", "NOT_BARRED", "IRPR 159.5(h)(i)"),
    ("PR_RETURNED", "NOT_BARRED", "IRPR 159.5(h)(ii)"),
    ("DEATH_PENALTY_US", "NOT_BARRED", "IRPR 159.6(a)"),
    ("DEATH_PENALTY_OTHER", "NOT_BARRED", "IRPR 159.6(b)"),
    ("MORATORIUM", "NOT_BARRED", "IRPR 159.6(c) (repealed 2009-07-23)"),
    ("BARRED", "BARRED", "IRPA 101(1)(e); IRPR 159.3"),
)
Decision = Enum("Decision", [(name, name) for name, _, _ in DECISIONS])  # type: ignore[misc]

#: The claim-level condition of each decision, by name (BARRED is the default).
_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("NOT_IN_FORCE", "before_agreement"), ("SUSPENDED", "agreement_suspended"), ("NOT_FROM_US", "not_from_us"),
    ("US_NATIONAL", "us_national"), ("STATELESS_FHR_US", "stateless_former_residence_us"),
    ("INLAND_AFTER_POE", "not_claimed_at_entry"), ("FAMILY_CITIZEN", "any_relative_citizen"),
    ("FAMILY_PROTECTED", "any_relative_protected"), ("FAMILY_PR", "any_relative_permanent_resident"),
    ("FAMILY_STAY", "any_relative_stay_r233"), ("FAMILY_CLAIM", "any_relative_referred_claim"),
    ("FAMILY_PERMIT", "any_relative_permit"), ("UNACCOMPANIED_MINOR", "unaccompanied_minor"),
    ("DOC_VISA", "document_159_5_f_i"), ("DOC_TRP", "document_159_5_f_ii"), ("DOC_PR_TRAVEL", "document_159_5_f_iii"),
    ("DOC_REFUGEE_TRAVEL", "document_159_5_f_iv"), ("DOC_R151", "document_159_5_f_v"),
    ("DOC_PERMIT", "permit_as_document"), ("VISA_EXEMPT", "visa_exception"),
    ("REFUSED_BY_US", "refused_entry_us_no_claim_adjudicated"), ("PR_RETURNED", "ca_pr_removed_from_us_being_returned"),
    ("DEATH_PENALTY_US", "death_penalty_us"), ("DEATH_PENALTY_OTHER", "death_penalty_other"),
    ("MORATORIUM", "moratorium_159_6_c"),
)


def _decision(claim: Any, period: Any) -> Any:
    """First decisive rule wins (law.md §5)."""
    conditions = [claim(variable, period) for _, variable in _CONDITIONS]
    choices = [Decision[name].index for name, _ in _CONDITIONS]
    return np.select(conditions, choices, default=Decision.BARRED.index)


CLAIM_FORMULAS = [
    _formula("before_agreement", Claim, lambda c, p: c("claim_date", p) < AGREEMENT_IN_FORCE, "CA-R01"),
    _formula("not_from_us", Claim, lambda c, p: ~c("came_from_us", p), "CA-R02"),
    _formula("stateless_former_residence_us", Claim,
             lambda c, p: c("stateless", p) & c("former_habitual_residence_us", p), "CA-R04, IRPR 159.2"),
    _formula("not_claimed_at_entry", Claim, lambda c, p: ~c("claim_at_entry", p), "CA-R05f"),
    *[_formula(f"any_{v}", Claim, _any_relative(v), f"Some relative: {v}") for v in (
        "relative_citizen", "relative_protected", "relative_permanent_resident", "relative_stay_r233",
        "relative_referred_claim", "relative_permit", "relative_is_partner", "relative_parent_in_canada",
        "relative_parent_in_us")],
    _formula("unaccompanied_minor", Claim, _unaccompanied_minor, "IRPR 159.5(e)"),
    _formula("document_159_5_f_i", Claim, _holds("CA_PR_VISA", "CA_TRV"), "IRPR 159.5(f)(i)"),
    _formula("document_159_5_f_ii", Claim, _holds("CA_TRP"), "IRPR 159.5(f)(ii)"),
    _formula("document_159_5_f_iii", Claim, _holds("CA_PR_TRAVEL_DOC_31_3"), "IRPR 159.5(f)(iii)"),
    _formula("document_159_5_f_iv", Claim, _holds("CA_REFUGEE_TRAVEL_PAPERS"), "IRPR 159.5(f)(iv)"),
    _formula("document_159_5_f_v", Claim, _holds("CA_TEMP_TRAVEL_DOC_R151"), "IRPR 159.5(f)(v)"),
    _formula("permit_as_document", Claim, _permit_as_document, "IRPR 159.5(f), guidance"),
    _formula("visa_exception", Claim, _visa, "IRPR 159.5(g)"),
    _formula("death_penalty_us", Claim, _death_penalty("CHARGED_OR_CONVICTED_US"), "IRPR 159.6(a)"),
    _formula("death_penalty_other", Claim, _death_penalty("CHARGED_OR_CONVICTED_OTHER"), "IRPR 159.6(b)"),
    _formula("moratorium_159_6_c", Claim, _tsr, "Former IRPR 159.6(c)"),
    _formula("stca_decision", Claim, _decision, "Deciding provision", Enum, Decision),
]
