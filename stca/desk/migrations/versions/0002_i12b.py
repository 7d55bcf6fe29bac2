"""Audit log: keyed hashes (HMAC-SHA256) and ``case_id`` with an index for per-case trails.

Existing rows were chained with plain SHA-256, which anyone able to write the database can recompute.
This revision first verifies that legacy chain — refusing to go on if it is already broken, so that
tampering is never laundered — then re-seals every row under the audit key (``STCA_AUDIT_KEY`` or the
key file in the data directory) and fills ``case_id`` (``stca.desk.audit.case_of``). An empty log
needs no key. The downgrade keeps the keyed hashes (the key cannot be taken back out of them).

Revision ID: 0002_i12b
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import context, op

from stca.desk.audit import GENESIS_HASH, canonical, case_of, row_hash
from stca.desk.db import UtcDateTime

revision = "0002_i12b"
down_revision = "0001"
branch_labels = None
depends_on = None

_log = sa.table(
    "audit_log",
    sa.column("seq", sa.Integer), sa.column("at", UtcDateTime), sa.column("actor", sa.String),
    sa.column("entity", sa.String), sa.column("entity_id", sa.String), sa.column("action", sa.String),
    sa.column("before", sa.JSON), sa.column("after", sa.JSON), sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String), sa.column("case_id", sa.Integer),
)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("case_id", sa.Integer, nullable=True))
    op.create_index("ix_audit_log_case", "audit_log", ["case_id", "seq"])
    bind = op.get_bind()
    rows = bind.execute(sa.select(_log).order_by(_log.c.seq)).all()
    if not rows:
        return
    key = context.config.attributes.get("audit_key")
    if not isinstance(key, bytes):
        from stca.desk.config import audit_key_from_environment

        key = audit_key_from_environment()
    prev = GENESIS_HASH
    for row in rows:
        legacy = hashlib.sha256((row.prev_hash + canonical(row)).encode("utf-8")).hexdigest()
        if row.prev_hash != prev or legacy != row.hash:
            raise RuntimeError(f"the audit log is already broken at row {row.seq}; it cannot be re-sealed under "
                               "the audit key (restore a backup, or keep this database at revision 0001)")
        prev = row.hash
    dialect = bind.dialect.name
    _guard(dialect, on=False)
    prev = GENESIS_HASH
    for row in rows:
        new_hash = row_hash(SimpleNamespace(**{**row._asdict(), "prev_hash": prev}), key)
        bind.execute(sa.update(_log).where(_log.c.seq == row.seq).values(
            prev_hash=prev, hash=new_hash, case_id=case_of(row.entity, row.entity_id, row.before, row.after)))
        prev = new_hash
    _guard(dialect, on=True)


def _guard(dialect: str, *, on: bool) -> None:
    """Lift or restore the append-only trigger on UPDATE (created by revision 0001)."""
    if dialect == "postgresql":
        op.execute(f"ALTER TABLE audit_log {'ENABLE' if on else 'DISABLE'} TRIGGER audit_log_append_only")
    elif on:
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
                   "SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")


def downgrade() -> None:
    op.drop_index("ix_audit_log_case", table_name="audit_log")
    op.drop_column("audit_log", "case_id")  # native DROP COLUMN keeps the append-only triggers
