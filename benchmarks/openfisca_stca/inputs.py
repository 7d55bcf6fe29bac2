"""Input variables: the facts of law.md §4 that the Canadian land-port rules read.

Lists (nationalities, documents) are turned into per-claim booleans when the simulation is built; family
members become persons.
"""

from __future__ import annotations

from datetime import date

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from benchmarks.openfisca_stca.entities import Claim, Person


def _enum(name: str, members: list[str]) -> type[Enum]:
    return Enum(name, [(m, m) for m in members])  # type: ignore[return-value]


Relationship = _enum("Relationship", [
    "SPOUSE", "COMMON_LAW_PARTNER", "LEGAL_GUARDIAN", "CHILD", "FATHER", "MOTHER", "BROTHER", "SISTER",
    "GRANDFATHER", "GRANDMOTHER", "GRANDCHILD", "UNCLE", "AUNT", "NEPHEW", "NIECE", "COUSIN", "PARENT_IN_LAW",
    "SIBLING_IN_LAW", "FIANCE", "OTHER"])
Location = _enum("Location", ["CANADA", "US", "ELSEWHERE"])
CaStatus = _enum("CaStatus", [
    "CANADIAN_CITIZEN", "PERMANENT_RESIDENT", "PROTECTED_PERSON", "STAY_R233", "REFUGEE_CLAIMANT", "WORK_PERMIT",
    "STUDY_PERMIT", "VISITOR", "OTHER_STAY", "NO_STATUS"])
ClaimState = _enum("ClaimState", [
    "NOT_APPLICABLE", "NOT_YET_REFERRED", "REFERRED_PENDING", "WITHDRAWN", "ABANDONED", "REJECTED",
    "REJECTED_RAD_PENDING", "TERMINATED_OR_NULLIFIED_104_2", "INELIGIBLE"])
Marital = _enum("Marital", ["NONE", "SPOUSE", "COMMON_LAW_PARTNER"])
DeathPenalty = _enum("DeathPenalty", ["NONE", "CHARGED_OR_CONVICTED_US", "CHARGED_OR_CONVICTED_OTHER"])
#: Documents of IRPR 159.5(f) as read by stca (work/study permits accepted by guidance, switchable).
DOCUMENTS = ("CA_PR_VISA", "CA_TRV", "CA_TRP", "CA_PR_TRAVEL_DOC_31_3", "CA_REFUGEE_TRAVEL_PAPERS",
             "CA_TEMP_TRAVEL_DOC_R151", "CA_WORK_PERMIT", "CA_STUDY_PERMIT")


def _input(name: str, entity: object, value_type: type, default: object = None, label: str = "",
           possible_values: type[Enum] | None = None) -> type[Variable]:
    attrs: dict[str, object] = {
        "value_type": value_type, "entity": entity, "definition_period": DateUnit.YEAR,
        "label": label or name.replace("_", " "),
    }
    if possible_values is not None:
        attrs["possible_values"] = possible_values
        attrs["default_value"] = default if default is not None else list(possible_values)[-1]
    elif default is not None:
        attrs["default_value"] = default
    return type(name, (Variable,), attrs)


PERSON_INPUTS = [
    _input("age", Person, int, 40, "Age in years on the claim date"),
    _input("relationship", Person, Enum, Relationship.OTHER, "Relationship to the claimant", Relationship),
    _input("location", Person, Enum, Location.CANADA, "Where the relative is on the claim date", Location),
    _input("ca_status", Person, Enum, CaStatus.NO_STATUS, "Status in Canada", CaStatus),
    _input("claim_state", Person, Enum, ClaimState.NOT_APPLICABLE, "State of own refugee claim", ClaimState),
    _input("permit_valid", Person, bool, True, "Work/study permit not invalid under IRPR 209/222"),
    _input("work_permit_r206_1_b", Person, bool, False, "Work permit issued under IRPR 206(1)(b)"),
]

CLAIM_INPUTS = [
    _input("claim_date", Claim, date, date(2024, 1, 1), "Local date of the claim"),
    _input("agreement_suspended", Claim, bool, False, "Notice under IRPR 159.7 in effect"),
    _input("came_from_us", Claim, bool, True, "Came directly or indirectly from the US"),
    _input("us_national", Claim, bool, False, "The US is a country of nationality"),
    _input("stateless", Claim, bool, False),
    _input("former_habitual_residence_us", Claim, bool, False),
    _input("claim_at_entry", Claim, bool, True, "Claim made when seeking entry at the land port"),
    _input("accompanied_by_parent_or_legal_guardian", Claim, bool, False),
    _input("parent_or_legal_guardian_in_canada", Claim, bool, False),
    _input("parent_or_legal_guardian_in_us", Claim, bool, False),
    _input("marital", Claim, Enum, Marital.NONE, "Spouse or common-law partner", Marital),
    _input("visa_required_canada", Claim, bool, True),
    _input("visa_required_us", Claim, bool, True),
    _input("refused_entry_us_no_claim_adjudicated", Claim, bool, False),
    _input("ca_pr_removed_from_us_being_returned", Claim, bool, False),
    _input("death_penalty", Claim, Enum, DeathPenalty.NONE, "Capital charge or conviction", DeathPenalty),
    _input("death_penalty_offence_punishable_by_death", Claim, bool, False),
    _input("tsr_country_national", Claim, bool, False),
    _input("excluded_from_tsr_230_3", Claim, bool, False),
    _input("policy_accept_permits_as_documents", Claim, bool, True),
    *[_input(f"holds_{doc.lower()}", Claim, bool, False, f"Holds {doc}") for doc in DOCUMENTS],
]
