"""The service layer's refusals in the officer's language.

Why: services explain a refusal in English for the API and the audit log ("say why the override is
rejected (at least 3 characters)"); a page must say it in its own language, without internal names.
Each known refusal is recognised by a stable fragment of its text and shown as a translated msgid;
anything else becomes a general message (never the English text on a French page).
"""

from __future__ import annotations

from stca.desk.web._i18n import N_

#: (fragment of the service's message, msgid shown), most specific first.
KNOWN: tuple[tuple[str, str], ...] = (
    ("at least 10 characters", N_("Write a reason of at least 10 characters.")),
    ("override is rejected", N_("Say why the override is rejected (at least 3 characters).")),
    ("say why the case is", N_("Say why (at least 3 characters).")),
    ("before a final outcome", N_("Confirm the determination, or have an override approved, before a final outcome.")),
    ("only a BARRED claimant", N_("Only a claimant barred by the Agreement is returned to the United States.")),
    ("not referred to the IRB", N_("A claim barred by the Agreement is not referred to the IRB.")),
    ("decide it before changing the facts",
     N_("An override awaits a supervisor's approval: decide it before changing the facts.")),
    ("already awaits supervisor approval",
     N_("An override of this determination already awaits a supervisor's approval.")),
    ("someone other than the officer",
     N_("An override must be approved by someone other than the officer who made it.")),
    ("confirm it instead", N_("The determination already gives this result: confirm it instead.")),
    ("no current determination to review", N_("Determine the case before reviewing it.")),
    ("not an override awaiting approval", N_("This override was already decided.")),
    ("is not allowed", N_("This change of status is not allowed now.")),
    ("cannot move", N_("This change of status is not allowed now.")),
    ("at most", N_("The text is too long.")),
    ("the case has no facts yet", N_("Record the facts before determining the case.")),
)
GENERIC = N_("The action was refused: check the fields and try again.")


def human(message: str) -> str:
    """The msgid to show for a service's message."""
    for fragment, msgid in KNOWN:
        if fragment in message:
            return msgid
    return GENERIC
