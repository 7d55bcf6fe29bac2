"""The answer choices of the interview (law.md §4 codes with English labels, translated when shown).

Kept apart from the questions so the vocabularies can be read (and translated) at a glance.
"""

from __future__ import annotations

from stca.desk.web._i18n import N_

ENTRY_PLACES = (
    ("LAND_POE", N_("Land port of entry (road, bridge, tunnel, rail)")),
    ("BETWEEN_POES_LAND", N_("Between ports of entry on the land border")),
    ("AIRPORT", N_("Airport")),
    ("HARBOUR_PORT", N_("Harbour port or ferry landing")),
    ("OTHER_NON_POE", N_("Other place that is not a port of entry")),
)
MARITAL = (
    ("NONE", N_("Neither")),
    ("SPOUSE", N_("Spouse")),
    ("COMMON_LAW_PARTNER", N_("Common-law partner")),
)
DOCUMENTS = (
    ("CA_PR_VISA", N_("Canadian permanent resident visa")),
    ("CA_TRV", N_("Canadian temporary resident visa")),
    ("CA_TRANSIT_VISA", N_("Canadian transit visa")),
    ("CA_TRP", N_("Temporary resident permit")),
    ("CA_PR_TRAVEL_DOC_31_3", N_("Permanent resident travel document (IRPA 31(3))")),
    ("CA_REFUGEE_TRAVEL_PAPERS", N_("Refugee travel papers issued by the Minister")),
    ("CA_TEMP_TRAVEL_DOC_R151", N_("Temporary travel document (IRPR 151)")),
    ("CA_WORK_PERMIT", N_("Canadian work permit")),
    ("CA_STUDY_PERMIT", N_("Canadian study permit")),
)
DEATH_PENALTY = (
    ("NONE", N_("No")),
    ("CHARGED_OR_CONVICTED_US", N_("Charged or convicted in the United States")),
    ("CHARGED_OR_CONVICTED_OTHER", N_("Charged or convicted in another country")),
)
INADMISSIBILITY = (
    ("SECURITY_34", N_("Security (IRPA 34)")),
    ("HUMAN_RIGHTS_35", N_("Human or international rights violations (IRPA 35)")),
    ("SERIOUS_CRIMINALITY_36_1_10YR", N_("Serious criminality, maximum of 10 years or more (IRPA 36(1))")),
    ("ORGANIZED_CRIMINALITY_37", N_("Organized criminality (IRPA 37)")),
)
PRIOR_CLAIM = (
    ("NONE", N_("No earlier claim")),
    ("REJECTED", N_("Rejected by the Board")),
    ("INELIGIBLE_STCA", N_("Found ineligible under the Agreement")),
    ("INELIGIBLE_OTHER", N_("Found ineligible on another ground")),
    ("WITHDRAWN_ABANDONED", N_("Withdrawn or abandoned")),
)
RELATIONSHIPS = (
    ("SPOUSE", N_("Spouse")),
    ("COMMON_LAW_PARTNER", N_("Common-law partner")),
    ("LEGAL_GUARDIAN", N_("Legal guardian")),
    ("CHILD", N_("Child")),
    ("FATHER", N_("Father")),
    ("MOTHER", N_("Mother")),
    ("BROTHER", N_("Brother")),
    ("SISTER", N_("Sister")),
    ("GRANDFATHER", N_("Grandfather")),
    ("GRANDMOTHER", N_("Grandmother")),
    ("GRANDCHILD", N_("Grandchild")),
    ("UNCLE", N_("Uncle")),
    ("AUNT", N_("Aunt")),
    ("NEPHEW", N_("Nephew")),
    ("NIECE", N_("Niece")),
    ("COUSIN", N_("Cousin")),
    ("PARENT_IN_LAW", N_("Parent-in-law")),
    ("SIBLING_IN_LAW", N_("Sibling-in-law")),
    ("FIANCE", N_("Fiancé(e)")),
    ("OTHER", N_("Other relative")),
)
CA_STATUSES = (
    ("CANADIAN_CITIZEN", N_("Canadian citizen")),
    ("PERMANENT_RESIDENT", N_("Permanent resident")),
    ("PROTECTED_PERSON", N_("Protected person")),
    ("STAY_R233", N_("Removal stayed (IRPR 233)")),
    ("REFUGEE_CLAIMANT", N_("Refugee claimant")),
    ("WORK_PERMIT", N_("Work permit holder")),
    ("STUDY_PERMIT", N_("Study permit holder")),
    ("VISITOR", N_("Visitor")),
    ("OTHER_STAY", N_("Other temporary stay")),
    ("NO_STATUS", N_("No status")),
)
CLAIM_STATES = (
    ("NOT_APPLICABLE", N_("No claim")),
    ("NOT_YET_REFERRED", N_("Not yet referred")),
    ("REFERRED_PENDING", N_("Referred to the Board, pending")),
    ("WITHDRAWN", N_("Withdrawn")),
    ("ABANDONED", N_("Abandoned")),
    ("REJECTED", N_("Rejected")),
    ("REJECTED_RAD_PENDING", N_("Rejected, appeal pending")),
    ("TERMINATED_OR_NULLIFIED_104_2", N_("Terminated or nullified (IRPA 104(2))")),
    ("INELIGIBLE", N_("Found ineligible")),
)
LOCATIONS = (("CANADA", N_("In Canada")), ("US", N_("In the United States")), ("ELSEWHERE", N_("Elsewhere")))

# ---------------------------------------------------------------- United States direction (law.md §2, §6)
DIRECTIONS = (
    ("US_TO_CANADA", N_("In Canada, by a person coming from the United States")),
    ("CANADA_TO_US", N_("In the United States, by a person coming from Canada")),
)
US_DOCUMENTS = (
    ("US_VISA_NON_TRANSIT", N_("US visa (other than a transit visa)")),
    ("US_TRANSIT_VISA", N_("US transit visa")),
    ("US_OTHER_ADMISSION_DOC", N_("Other valid US admission document")),
)
US_STATUSES = (
    ("US_CITIZEN", N_("US citizen")),
    ("LPR", N_("Lawful permanent resident")),
    ("ASYLEE", N_("Granted asylum")),
    ("REFUGEE", N_("Admitted as a refugee")),
    ("OTHER_LAWFUL_STATUS", N_("Other lawful status")),
    ("B_VISITOR", N_("Visitor (B visa)")),
    ("VWP_VISITOR", N_("Visitor (Visa Waiver Program)")),
    ("ASYLUM_PENDING", N_("Asylum application pending")),
    ("TPS_OR_PAROLE", N_("Temporary protected status or parole")),
    ("NO_STATUS", N_("No status")),
)
US_ASYLUM_FORUMS = (
    ("USCIS", N_("Before USCIS")),
    ("EOIR", N_("Before an immigration court (EOIR)")),
    ("FEDERAL_COURT_APPEAL", N_("On appeal in federal court")),
    ("NONE", N_("No application")),
)

# ---------------------------------------------------------------- time of entry
#: Civil time zones offered for the time of entry (IANA names; both sides of the border share them).
TIME_ZONES = (
    ("America/St_Johns", N_("Newfoundland time")),
    ("America/Halifax", N_("Atlantic time")),
    ("America/Toronto", N_("Eastern time (Montréal, Toronto, New York)")),
    ("America/Winnipeg", N_("Central time (Winnipeg, Chicago)")),
    ("America/Edmonton", N_("Mountain time (Edmonton, Denver)")),
    ("America/Vancouver", N_("Pacific time (Vancouver, Seattle)")),
)
DEFAULT_TIME_ZONE = "America/Toronto"
#: The entry time assumed when none is given: noon local time (contract.md §2).
DEFAULT_ENTRY_TIME = "12:00"

# ---------------------------------------------------------------- policy scenarios (contract.md §4)
POLICIES = (
    ("law", N_("The law in force on each date")),
    ("no-agreement", N_("No agreement at any date")),
    ("pre-protocol", N_("The 2004 rules at every date (no Additional Protocol)")),
    ("whole-border", N_("Whole border: every land crossing counts as a port of entry, no 14-day limit")),
    ("suspended", N_("Agreement suspended (IRPR 159.7 notice in effect)")),
    ("window-days", N_("Between-ports window of N days")),
)
