"""Reading and verifying the audit log (writing is ``stca.desk.audit.record``, inside each change)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stca.desk.audit import ChainReport, Checkpoint, verify_chain
from stca.desk.models import AuditEntry
from stca.desk.services._errors import InvalidInput
from stca.desk.services._schemas import AuditView


def verify_audit(db: Session, *, against: Checkpoint | None = None) -> ChainReport:
    """Recompute the keyed hash chain; ``ok`` False names the first altered, inserted or missing row.

    With ``against`` (a checkpoint from ``stca audit checkpoint``), rows deleted from the end are caught too.
    """
    return verify_chain(db, against=against)


def case_audit_trail(db: Session, case_id: int) -> list[AuditView]:
    """Every audit row about one case (the case, its fact versions, determinations…), newest first.

    One lookup in the ``(case_id, seq)`` index: the whole trail, however long the log.
    """
    query = select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.seq.desc())
    return [AuditView.model_validate(r) for r in db.scalars(query).all()]


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
