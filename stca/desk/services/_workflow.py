"""The one place a case's status changes: checks the move against ``domain.TRANSITIONS`` and records it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.domain import TRANSITIONS, CaseStatus
from stca.desk.models import Case, StatusChange
from stca.desk.services._errors import Conflict
from stca.desk.services._schemas import UserView
from stca.desk.services._unit import log


def check_move(case: Case, to: CaseStatus) -> None:
    """Raise :class:`Conflict` (field ``status``) unless ``case`` may move to ``to``."""
    current = CaseStatus(case.status)
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (the case is closed)"
        raise Conflict(f"a case in status {current} cannot move to {to}; allowed: {allowed}", field="status")


def move(db: Session, actor: UserView, case: Case, to: CaseStatus, reason: str = "") -> None:
    """Change the status inside the caller's unit of work; a no-op move records nothing."""
    check_move(case, to)
    if case.status == to:
        case.updated_at = utcnow()
        return
    before = case.status
    case.status = to
    case.updated_at = utcnow()
    db.add(StatusChange(case_id=case.id, from_status=before, to_status=to, reason=reason, by_id=actor.id))
    log(db, actor, "case", case.id, "status", {"status": before}, {"status": to.value, "reason": reason})
