"""The append-only, keyed hash chain of the audit log, and signed checkpoints of its head.

Every change to desk data appends one row: who, when, which entity, what action, and the JSON before
and after. Each row stores ``hash = HMAC-SHA256(key, prev_hash + canonical JSON of the row)``, so
editing or deleting any row breaks every hash after it and :func:`verify_chain` names the first broken
row. The key lives outside the database (``STCA_AUDIT_KEY`` or the key file in the data directory, see
:mod:`stca.desk.config`): a database user who drops the append-only trigger and rewrites a row cannot
compute the hashes that would make the rewrite verify.

Deleting rows from the end leaves a shorter chain that is still internally valid; a *checkpoint* —
the head's sequence number and hash, signed with the same key and kept outside the database
(``stca audit checkpoint``) — catches that: :func:`verify_chain` with ``against=`` requires the
checkpointed row to be present with the checkpointed hash.

This module offers no update or delete; on PostgreSQL and SQLite a trigger created by the migration
also rejects UPDATE and DELETE on ``audit_log``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, Protocol

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


class _Row(Protocol):
    """What hashing reads from a row (an :class:`AuditEntry`, or a row read by a migration)."""

    seq: int
    at: dt.datetime
    actor: str | None
    entity: str
    entity_id: str
    action: str
    before: Any
    after: Any
    prev_hash: str


def case_of(entity: str, entity_id: str, before: Any, after: Any) -> int | None:
    """The case a row is about: the case itself, or the case named by ``case_id`` in its content.

    Stored in ``audit_log.case_id`` (indexed) so a case's trail is one index lookup. It is derived
    from hashed content, so :func:`verify_chain` checks it rather than hashing it.
    """
    if entity == "case":
        return int(entity_id) if entity_id.isdigit() else None
    for value in (after, before):
        if isinstance(value, dict) and isinstance(value.get("case_id"), int):
            return int(value["case_id"])
    return None


def canonical(entry: _Row) -> str:
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


def row_hash(entry: _Row, key: bytes) -> str:
    """``HMAC-SHA256(key, prev_hash + canonical JSON)`` as 64 hex digits."""
    return hmac.new(key, (entry.prev_hash + canonical(entry)).encode("utf-8"), hashlib.sha256).hexdigest()


def session_key(session: Session) -> bytes:
    """The audit key the session's factory was given, else the one the environment names."""
    key = session.info.get("audit_key")
    if isinstance(key, bytes):
        return key
    from stca.desk.config import audit_key_from_environment

    key = audit_key_from_environment()
    session.info["audit_key"] = key
    return key


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
    before, after = to_json(before), to_json(after)
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        actor=actor,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=before,
        after=after,
        prev_hash=prev,
        case_id=case_of(entity, str(entity_id), before, after),
    )
    entry.hash = row_hash(entry, session_key(session))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Checkpoint:
    """The head of the log at one moment, signed with the audit key (kept outside the database)."""

    seq: int
    hash: str
    at: str
    signature: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form written by ``stca audit checkpoint``."""
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "signature": self.signature}

    @classmethod
    def from_dict(cls, data: Any) -> Checkpoint:
        """Read a checkpoint; ``ValueError`` naming the field when one is missing or malformed."""
        if not isinstance(data, dict):
            raise ValueError("a checkpoint is a JSON object with seq, hash, at and signature")
        for name, kind in (("seq", int), ("hash", str), ("at", str), ("signature", str)):
            if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
                raise ValueError(f"{name}: missing or not a{'n integer' if kind is int else ' string'}")
        return cls(data["seq"], data["hash"], data["at"], data["signature"])


def _signature(key: bytes, seq: int, head: str, at: str) -> str:
    message = f"stca-audit-checkpoint\n{seq}\n{head}\n{at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint(session: Session) -> Checkpoint:
    """Sign the current head (the last row's ``seq`` and ``hash``; seq 0 for an empty log)."""
    key = session_key(session)
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, head = (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
    at = utcnow().isoformat(timespec="seconds")
    return Checkpoint(seq, head, at, _signature(key, seq, head, at))


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


def verify_chain(session: Session, *, against: Checkpoint | None = None, batch: int = 2000) -> ChainReport:
    """Recompute every keyed hash in order; report the first row whose content or link does not match.

    With ``against``, the checkpoint's signature must be valid and its row must still be there with the
    same hash: rows deleted from the end, or a log rebuilt from scratch, fail here.
    """
    key = session_key(session)
    if against is not None and not hmac.compare_digest(
            against.signature, _signature(key, against.seq, against.hash, against.at)):
        return ChainReport(False, 0, None, "the checkpoint's signature does not match (another key, or edited)")
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            break
        for entry in rows:
            count += 1
            if entry.seq != expected_seq:
                return ChainReport(False, count, expected_seq, f"row {expected_seq} is missing (deleted?)")
            if entry.prev_hash != prev:
                return ChainReport(False, count, entry.seq, "prev_hash does not match the previous row's hash")
            if not hmac.compare_digest(row_hash(entry, key), entry.hash):
                return ChainReport(False, count, entry.seq,
                                   "content does not match its keyed hash (row altered, or another audit key)")
            if entry.case_id != case_of(entry.entity, entry.entity_id, entry.before, entry.after):
                return ChainReport(False, count, entry.seq, "case_id does not match the row's content")
            if against is not None and entry.seq == against.seq and entry.hash != against.hash:
                return ChainReport(False, count, entry.seq, "the row differs from the checkpoint (log rewritten)")
            prev = entry.hash
            expected_seq += 1
            last_seq = entry.seq
        session.expunge_all()
    if against is not None and last_seq < against.seq:
        return ChainReport(False, count, last_seq + 1,
                           f"the log ends at row {last_seq} but the checkpoint of {against.at} saw row "
                           f"{against.seq} (rows deleted from the end)")
    return ChainReport(ok=True, rows=count)
