"""The closed vocabularies of law.md §4, as string enums.

Each enum's member order is fixed: the vectorised evaluator encodes members as their index
(``code``), so appending is safe and reordering is not.
"""

from __future__ import annotations

from enum import StrEnum


class CodedEnum(StrEnum):
    """A string enum whose members also carry ``code_``, their position (set at import, below)."""

    code_: int


class Result(CodedEnum):
    """STCA outcome (law.md Conventions)."""

    BARRED = "BARRED"
    NOT_BARRED = "NOT_BARRED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class Direction(CodedEnum):
    """Which party receives the claim: Canada (from the US) or the US (from Canada)."""

    US_TO_CANADA = "US_TO_CANADA"
    CANADA_TO_US = "CANADA_TO_US"


class EntryPlace(CodedEnum):
    """Where the claimant sought entry (IRPR 159.4(1); 8 CFR 208.30(e)(6) chapeau)."""

    LAND_POE = "LAND_POE"
    BETWEEN_POES_LAND = "BETWEEN_POES_LAND"
    AIRPORT = "AIRPORT"
    HARBOUR_PORT = "HARBOUR_PORT"
    OTHER_NON_POE = "OTHER_NON_POE"


class Marital(CodedEnum):
    """Whether the claimant has a spouse or common-law partner (IRPR 159.5(e)(ii))."""

    NONE = "NONE"
    SPOUSE = "SPOUSE"
    COMMON_LAW_PARTNER = "COMMON_LAW_PARTNER"


class Relationship(CodedEnum):
    """A relative's relationship to the claimant; only some are "family members" (IRPR 159.1)."""

    SPOUSE = "SPOUSE"
    COMMON_LAW_PARTNER = "COMMON_LAW_PARTNER"
    LEGAL_GUARDIAN = "LEGAL_GUARDIAN"
    CHILD = "CHILD"
    FATHER = "FATHER"
    MOTHER = "MOTHER"
    BROTHER = "BROTHER"
    SISTER = "SISTER"
    GRANDFATHER = "GRANDFATHER"
    GRANDMOTHER = "GRANDMOTHER"
    GRANDCHILD = "GRANDCHILD"
    UNCLE = "UNCLE"
    AUNT = "AUNT"
    NEPHEW = "NEPHEW"
    NIECE = "NIECE"
    COUSIN = "COUSIN"
    PARENT_IN_LAW = "PARENT_IN_LAW"
    SIBLING_IN_LAW = "SIBLING_IN_LAW"
    FIANCE = "FIANCE"
    OTHER = "OTHER"


class Location(CodedEnum):
    """Where a relative physically is on the claim date."""

    CANADA = "CANADA"
    US = "US"
    ELSEWHERE = "ELSEWHERE"


class CaStatus(CodedEnum):
    """A relative's status in Canada (IRPR 159.5(a)–(d))."""

    CANADIAN_CITIZEN = "CANADIAN_CITIZEN"
    PERMANENT_RESIDENT = "PERMANENT_RESIDENT"
    PROTECTED_PERSON = "PROTECTED_PERSON"
    STAY_R233 = "STAY_R233"
    REFUGEE_CLAIMANT = "REFUGEE_CLAIMANT"
    WORK_PERMIT = "WORK_PERMIT"
    STUDY_PERMIT = "STUDY_PERMIT"
    VISITOR = "VISITOR"
    OTHER_STAY = "OTHER_STAY"
    NO_STATUS = "NO_STATUS"


class ClaimState(CodedEnum):
    """State of a relative's own refugee claim in Canada (IRPR 159.5(c))."""

    NOT_APPLICABLE = "NOT_APPLICABLE"
    NOT_YET_REFERRED = "NOT_YET_REFERRED"
    REFERRED_PENDING = "REFERRED_PENDING"
    WITHDRAWN = "WITHDRAWN"
    ABANDONED = "ABANDONED"
    REJECTED = "REJECTED"
    REJECTED_RAD_PENDING = "REJECTED_RAD_PENDING"
    TERMINATED_OR_NULLIFIED_104_2 = "TERMINATED_OR_NULLIFIED_104_2"
    INELIGIBLE = "INELIGIBLE"


class UsStatus(CodedEnum):
    """A relative's status in the US (8 CFR 208.30(e)(6)(iii)(B)–(C))."""

    US_CITIZEN = "US_CITIZEN"
    LPR = "LPR"
    ASYLEE = "ASYLEE"
    REFUGEE = "REFUGEE"
    OTHER_LAWFUL_STATUS = "OTHER_LAWFUL_STATUS"
    B_VISITOR = "B_VISITOR"
    VWP_VISITOR = "VWP_VISITOR"
    ASYLUM_PENDING = "ASYLUM_PENDING"
    TPS_OR_PAROLE = "TPS_OR_PAROLE"
    NO_STATUS = "NO_STATUS"


class UsAsylumForum(CodedEnum):
    """Where a relative's US asylum application is pending (8 CFR 208.30(e)(6)(iii)(C))."""

    USCIS = "USCIS"
    EOIR = "EOIR"
    FEDERAL_COURT_APPEAL = "FEDERAL_COURT_APPEAL"
    NONE = "NONE"


class UsForum(CodedEnum):
    """Where a claim made in the US is heard (law.md §9 A1): a USCIS asylum officer's threshold screening
    (8 CFR 208.30(e)(6)) or an immigration judge in INA 240 removal proceedings (8 CFR 1240.11(g))."""

    THRESHOLD_SCREENING = "THRESHOLD_SCREENING"
    REMOVAL_PROCEEDINGS = "REMOVAL_PROCEEDINGS"


class Document(CodedEnum):
    """Documents the claimant holds (IRPR 159.5(f); 8 CFR 208.30(e)(6)(iii)(E))."""

    CA_PR_VISA = "CA_PR_VISA"
    CA_TRV = "CA_TRV"
    CA_TRANSIT_VISA = "CA_TRANSIT_VISA"
    CA_TRP = "CA_TRP"
    CA_PR_TRAVEL_DOC_31_3 = "CA_PR_TRAVEL_DOC_31_3"
    CA_REFUGEE_TRAVEL_PAPERS = "CA_REFUGEE_TRAVEL_PAPERS"
    CA_TEMP_TRAVEL_DOC_R151 = "CA_TEMP_TRAVEL_DOC_R151"
    CA_WORK_PERMIT = "CA_WORK_PERMIT"
    CA_STUDY_PERMIT = "CA_STUDY_PERMIT"
    US_VISA_NON_TRANSIT = "US_VISA_NON_TRANSIT"
    US_TRANSIT_VISA = "US_TRANSIT_VISA"
    US_OTHER_ADMISSION_DOC = "US_OTHER_ADMISSION_DOC"


class DeathPenalty(CodedEnum):
    """Whether the claimant is charged with/convicted of a capital offence, and where (IRPR 159.6)."""

    NONE = "NONE"
    CHARGED_OR_CONVICTED_US = "CHARGED_OR_CONVICTED_US"
    CHARGED_OR_CONVICTED_OTHER = "CHARGED_OR_CONVICTED_OTHER"


class Inadmissibility(CodedEnum):
    """Inadmissibility findings that make a claim ineligible under IRPA 101(1)(f) (limited by 101(2))."""

    SECURITY_34 = "SECURITY_34"
    HUMAN_RIGHTS_35 = "HUMAN_RIGHTS_35"
    SERIOUS_CRIMINALITY_36_1_10YR = "SERIOUS_CRIMINALITY_36_1_10YR"
    ORGANIZED_CRIMINALITY_37 = "ORGANIZED_CRIMINALITY_37"


class PriorCanadianClaim(CodedEnum):
    """Outcome of an earlier claim in Canada (IRPA 101(1)(b)–(c); IRPR 159.01)."""

    NONE = "NONE"
    REJECTED = "REJECTED"
    INELIGIBLE_STCA = "INELIGIBLE_STCA"
    INELIGIBLE_OTHER = "INELIGIBLE_OTHER"
    WITHDRAWN_ABANDONED = "WITHDRAWN_ABANDONED"


def code(member: StrEnum) -> int:
    """Integer code of an enum member: its position in the enum (used by both evaluators)."""
    return member.code_  # type: ignore[attr-defined, no-any-return]


def members(enum: type[StrEnum]) -> list[str]:
    """Values of an enum in code order."""
    return [m.value for m in enum]


_CODES: dict[type[StrEnum], dict[StrEnum, int]] = {
    e: {m: i for i, m in enumerate(e)}
    for e in (
        Result, Direction, EntryPlace, Marital, Relationship, Location, CaStatus, ClaimState,
        UsStatus, UsAsylumForum, UsForum, Document, DeathPenalty, Inadmissibility, PriorCanadianClaim,
    )
}

# Each member carries its code as an attribute: the one-case engine reads ~20 codes per case.
for _enum, _codes in _CODES.items():
    for _member, _i in _codes.items():
        object.__setattr__(_member, "code_", _i)
