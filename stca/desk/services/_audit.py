"""Reading and verifying the audit log (writing is ``stca.desk.audit.record``, inside each change)."""

from __future__ import annotations

from typing import Any

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


#: Entities whose audit rows an administrator reads in full: accounts and sites are their own work.
ADMIN_ENTITIES = frozenset({"user", "site"})
#: Keys of case rows that name no person and quote no free text: workflow states, results, places by
#: code. Everything else (names, case references, places, dates, facts, reasons, notes) is redacted.
UNREDACTED_KEYS = frozenset({
    "case_id", "version", "snapshot_version", "status", "from_status", "to_status", "kind", "result", "approval",
    "determination_id", "province", "encounter_type", "site", "from_site", "to_site", "from_province",
    "to_province", "stca_result", "deciding_provision", "policy", "law_version", "engine_version",
})
REDACTED = "[redacted]"


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (v if k in UNREDACTED_KEYS and not isinstance(v, dict | list) else REDACTED)
                for k, v in value.items()}
    return None if value is None else REDACTED


def redact_audit(rows: list[AuditView]) -> list[AuditView]:
    """The rows as a role that cannot open cases may see them (an administrator reading the log): who
    did what to which row and when, with names, case references and free text replaced by
    ``[redacted]`` in every row not about an account or a site (OWASP ASVS V8.3.4: least privilege).
    The hash still identifies the stored row, so the chain can be checked against it."""
    return [r if r.entity in ADMIN_ENTITIES
            else r.model_copy(update={"before": _redact(r.before), "after": _redact(r.after)}) for r in rows]
