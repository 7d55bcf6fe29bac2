"""The append-only, hash-chained audit log.

Every change to desk data appends one row: who, when, which entity, what action, and the JSON before
and after. Each row stores ``hash = sha256(prev_hash + canonical JSON of the row)``, so editing or
deleting any row breaks every hash after it and :func:`verify_chain` names the first broken row.

This module offers no update or delete; on PostgreSQL and SQLite a trigger created by the migration
also rejects UPDATE and DELETE on ``audit_log``, so only someone able to drop triggers can tamper —
and the chain still shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.models import AuditEntry

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first row."""

_PG_LOCK_KEY = 0x57CA_A0D1
"""Advisory-lock key that serialises appenders on PostgreSQL (SQLite uses BEGIN IMMEDIATE)."""


def to_json(value: Any) -> Any:
    """Plain JSON values (dates as ISO strings) so hashes are identical on every database."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def canonical(entry: AuditEntry) -> str:
    """The canonical JSON of a row's content (everything except its own hash)."""
    at = entry.at.astimezone(dt.UTC) if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    body = {
        "seq": entry.seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(entry: AuditEntry) -> str:
    """``sha256(prev_hash + canonical JSON)`` as 64 hex digits."""
    return hashlib.sha256((entry.prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    actor: str | None,
    entity: str,
    entity_id: object,
    action: str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one audit row inside the caller's transaction (committed with the change it describes)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        actor=actor,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=to_json(before),
        after=to_json(after),
        prev_hash=prev,
    )
    entry.hash = row_hash(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`: ``ok`` and, when broken, the first bad row and why."""

    ok: bool
    rows: int
    first_bad_seq: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the API and the command line."""
        return {"ok": self.ok, "rows": self.rows, "first_bad_seq": self.first_bad_seq, "problem": self.problem}


def verify_chain(session: Session, *, batch: int = 2000) -> ChainReport:
    """Recompute every hash in order; report the first row whose content or link does not match."""
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, rows=count)
        for entry in rows:
            count += 1
            if entry.seq != expected_seq:
                return ChainReport(False, count, expected_seq, f"row {expected_seq} is missing (deleted?)")
            if entry.prev_hash != prev:
                return ChainReport(False, count, entry.seq, "prev_hash does not match the previous row's hash")
            if row_hash(entry) != entry.hash:
                return ChainReport(False, count, entry.seq, "content does not match its hash (row altered)")
            prev = entry.hash
            expected_seq += 1
            last_seq = entry.seq
        session.expunge_all()
