"""Human labels for the desk's codes (results, statuses, roles, encounter types, fact names).

The codes stay the data (``BARRED``, ``UNDER_REVIEW``); pages show these English msgids, which the
templates translate. Unknown codes fall back to the code itself, so a new status never breaks a page.
"""

from __future__ import annotations

from stca.desk.web._i18n import N_
from stca.desk.web._vocab import RELATIONSHIPS
from stca.law import POINTS

RESULTS = {
    "BARRED": N_("Barred by the Agreement"),
    "NOT_BARRED": N_("Not barred: an exception applies"),
    "NOT_APPLICABLE": N_("The Agreement does not apply"),
}
SHORT_RESULTS = {
    "BARRED": N_("Barred"),
    "NOT_BARRED": N_("Not barred"),
    "NOT_APPLICABLE": N_("Not applicable"),
}
OUTCOMES = {
    "applies": N_("applies"),
    # "not met": the rule's condition does not hold for this claim, and the reason says why.
    "not met": N_("does not apply here"),
    "not in force": N_("not in force on this date"),
    "INELIGIBLE": N_("ineligible"),
    "applied": N_("applied"),
    "BARRED": N_("barred"),
    "NOT_BARRED": N_("not barred"),
    "NOT_APPLICABLE": N_("not applicable"),
}
STATUSES = {
    "RECEIVED": N_("Received"),
    "DETERMINED": N_("Determined"),
    "UNDER_REVIEW": N_("Under review"),
    "REFERRED_TO_IRB": N_("Referred to the IRB"),
    "RETURNED_TO_US": N_("Returned to the United States"),
    "INELIGIBLE_OTHER_GROUND": N_("Ineligible on another ground"),
    "WITHDRAWN": N_("Withdrawn"),
}
ROLES = {
    "intake_officer": N_("Intake officer"),
    "eligibility_officer": N_("Eligibility officer"),
    "supervisor": N_("Supervisor"),
    "analyst": N_("Analyst"),
    "admin": N_("Administrator"),
}
ENCOUNTERS = {
    "LAND_POE": N_("Land port of entry"),
    "RCMP_INTERCEPTION": N_("RCMP interception between ports"),
    "AIRPORT": N_("Airport"),
    "INLAND": N_("Inland office"),
}
APPROVALS = {
    "NOT_NEEDED": N_("No approval needed"),
    "PENDING": N_("Awaiting supervisor"),
    "APPROVED": N_("Approved"),
    "REJECTED": N_("Rejected"),
}
REVIEW_KINDS = {"CONFIRM": N_("Confirmation"), "OVERRIDE": N_("Override")}
#: Audit rows: (entity, action) → what happened, in words.
AUDIT_ACTIONS = {
    ("case", "create"): N_("Case recorded"),
    ("case", "status"): N_("Status changed"),
    ("case", "assign_site"): N_("Placed in a reception site"),
    ("determination", "create"): N_("Determination recorded"),
    ("fact_snapshot", "create"): N_("Facts recorded (new version)"),
    ("review", "approve"): N_("Override approved"),
    ("review", "confirm"): N_("Determination confirmed"),
    ("review", "override"): N_("Override proposed"),
    ("review", "reject"): N_("Override rejected"),
    ("transfer", "create"): N_("Transfer recorded"),
    ("site", "create"): N_("Site opened"),
    ("site", "update"): N_("Site changed"),
    ("user", "create"): N_("Account created"),
    ("user", "activate"): N_("Account activated or deactivated"),
    ("user", "set_password"): N_("Password changed"),
}
_UNCERTAIN = {p.id: p for p in POINTS}


def label(table: dict[str, str], code: object) -> str:
    """The msgid for ``code`` in ``table`` (the code itself when unknown)."""
    return table.get(str(code), str(code))


def uncertain_text(point_id: str, lang: str = "en") -> str:
    """law.md's one-line description of an UNCERTAIN point, in ``lang`` (the id is the stable reference)."""
    point = _UNCERTAIN.get(point_id)
    return point.describe(lang) if point else ""


GLOBALS = {
    "result_label": lambda code: label(RESULTS, code),
    "short_result": lambda code: label(SHORT_RESULTS, code),
    "outcome_label": lambda code: label(OUTCOMES, code),
    "status_label": lambda code: label(STATUSES, code),
    "role_label": lambda code: label(ROLES, code),
    "encounter_label": lambda code: label(ENCOUNTERS, code),
    "approval_label": lambda code: label(APPROVALS, code),
    "review_kind_label": lambda code: label(REVIEW_KINDS, code),
    "uncertain_text": uncertain_text,
    "relationship_label": lambda code: label(dict(RELATIONSHIPS), code),
    "audit_label": lambda entity, action: AUDIT_ACTIONS.get((str(entity), str(action)), N_("Other change")),
}
