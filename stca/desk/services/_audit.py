"""Reading and verifying the audit log (writing is ``stca.desk.audit.record``, inside each change)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stca.desk.audit import ChainReport, verify_chain
from stca.desk.models import AuditEntry
from stca.desk.services._errors import InvalidInput
from stca.desk.services._schemas import AuditView


def verify_audit(db: Session) -> ChainReport:
    """Recompute the hash chain; ``ok`` False names the first altered, inserted or missing row."""
    report = verify_chain(db)
    return report


def audit_trail(
    db: Session, *, entity: str | None = None, entity_id: str | int | None = None, limit: int = 200
) -> list[AuditView]:
    """Audit rows, newest first, optionally for one entity (``case``, ``review``…) and id."""
    if not 1 <= limit <= 5000:
        raise InvalidInput.one("limit", "must be between 1 and 5000")
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    rows = [AuditView.model_validate(r) for r in db.scalars(query).all()]
    return rows
