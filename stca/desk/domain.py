"""The case desk's vocabularies: roles, encounter types, statuses and the allowed workflow moves.

Why a table of moves: the status of a case is evidence in a legal file; a move the table does not
list (say RECEIVED → RETURNED_TO_US without a determination) must be impossible, not merely unusual.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a desk account may do (see ``stca.desk.deps`` and the route × role table)."""

    INTAKE_OFFICER = "intake_officer"
    ELIGIBILITY_OFFICER = "eligibility_officer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


class EncounterType(StrEnum):
    """How the claimant came to the desk."""

    LAND_POE = "LAND_POE"
    """Claim at a land port of entry (IRPR 159.4(1))."""
    RCMP_INTERCEPTION = "RCMP_INTERCEPTION"
    """Intercepted by the RCMP between ports of entry (IRPR 159.4(1.1) since 2023-03-25)."""
    AIRPORT = "AIRPORT"
    """Claim at an airport (outside the Agreement unless in transit, IRPR 159.4(2))."""
    INLAND = "INLAND"
    """Claim made at an inland IRCC office after entry."""


class CaseStatus(StrEnum):
    """Where a case stands; the last four are final."""

    RECEIVED = "RECEIVED"
    DETERMINED = "DETERMINED"
    UNDER_REVIEW = "UNDER_REVIEW"
    REFERRED_TO_IRB = "REFERRED_TO_IRB"
    RETURNED_TO_US = "RETURNED_TO_US"
    INELIGIBLE_OTHER_GROUND = "INELIGIBLE_OTHER_GROUND"
    WITHDRAWN = "WITHDRAWN"


FINAL_STATUSES: frozenset[CaseStatus] = frozenset(
    {
        CaseStatus.REFERRED_TO_IRB,
        CaseStatus.RETURNED_TO_US,
        CaseStatus.INELIGIBLE_OTHER_GROUND,
        CaseStatus.WITHDRAWN,
    }
)
OPEN_STATUSES: frozenset[CaseStatus] = frozenset(CaseStatus) - FINAL_STATUSES

#: Every allowed move. RECEIVED→DETERMINED happens by running the engine; any open status goes back to
#: RECEIVED when new facts are recorded (the old determination no longer describes the case).
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.RECEIVED: frozenset({CaseStatus.RECEIVED, CaseStatus.DETERMINED, CaseStatus.WITHDRAWN}),
    CaseStatus.DETERMINED: frozenset(
        {CaseStatus.RECEIVED, CaseStatus.DETERMINED, CaseStatus.UNDER_REVIEW, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.UNDER_REVIEW: frozenset(
        {
            CaseStatus.RECEIVED,
            CaseStatus.UNDER_REVIEW,
            CaseStatus.REFERRED_TO_IRB,
            CaseStatus.RETURNED_TO_US,
            CaseStatus.INELIGIBLE_OTHER_GROUND,
            CaseStatus.WITHDRAWN,
        }
    ),
    CaseStatus.REFERRED_TO_IRB: frozenset(),
    CaseStatus.RETURNED_TO_US: frozenset(),
    CaseStatus.INELIGIBLE_OTHER_GROUND: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}

#: Statuses an officer may request directly with :func:`stca.desk.services.transition_case`.
MANUAL_TARGETS: frozenset[CaseStatus] = FINAL_STATUSES | {CaseStatus.UNDER_REVIEW}


class ReviewKind(StrEnum):
    """What the eligibility officer did with the engine's determination."""

    CONFIRM = "CONFIRM"
    OVERRIDE = "OVERRIDE"


class Approval(StrEnum):
    """Supervisor sign-off state of a review (a confirmation needs none)."""

    NOT_NEEDED = "NOT_NEEDED"
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


#: Provinces and territories (two-letter codes used by IRCC and Statistics Canada).
PROVINCES: tuple[str, ...] = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU")

STCA_RESULTS: tuple[str, ...] = ("BARRED", "NOT_BARRED", "NOT_APPLICABLE")
