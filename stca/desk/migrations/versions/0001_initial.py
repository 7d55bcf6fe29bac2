"""Initial case-desk schema, with append-only triggers on the audit log and the fact versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stca.desk.db import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION stca_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("province", sa.String(2), nullable=False, index=True),
        sa.Column("beds", sa.Integer, nullable=False),
        sa.Column("daily_intake", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("encounter_type", sa.String(32), nullable=False, index=True),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("encountered_at", UtcDateTime, nullable=False, index=True),
        sa.Column("province", sa.String(2), nullable=False, index=True),
        sa.Column("claimant_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(32), nullable=False, index=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=True, index=True),
        sa.Column("site_assigned_at", UtcDateTime, nullable=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.Column("request_digest", sa.String(64), nullable=True),
        sa.UniqueConstraint("created_by_id", "idempotency_key", name="uq_cases_idempotency"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("relationship", sa.String(32), nullable=False),
    )
    op.create_table(
        "fact_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("case_id", "version", name="uq_snapshot_version"),
    )
    op.create_table(
        "determinations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("fact_snapshots.id"), nullable=False),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("law_version", sa.String(64), nullable=False),
        sa.Column("policy", sa.String(64), nullable=False),
        sa.Column("stca_result", sa.String(32), nullable=False, index=True),
        sa.Column("deciding_provision", sa.String(200), nullable=False),
        sa.Column("other_ineligibility", sa.JSON, nullable=False),
        sa.Column("covid_direct_back", sa.Boolean, nullable=False),
        sa.Column("uncertain", sa.JSON, nullable=False),
        sa.Column("path", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("determination_id", sa.Integer, sa.ForeignKey("determinations.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("result", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("officer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("approval", sa.String(16), nullable=False),
        sa.Column("approver_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("approved_at", UtcDateTime, nullable=True),
        sa.Column("approval_reason", sa.Text, nullable=True),
    )
    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("from_site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=True),
        sa.Column("to_site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("from_province", sa.String(2), nullable=True),
        sa.Column("to_province", sa.String(2), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    dialect = op.get_bind().dialect.name
    # The audit log and the fact versions are evidence: the database itself refuses to rewrite them.
    for table in ("audit_log", "fact_snapshots"):
        if dialect == "postgresql":
            op.execute(_PG_FUNCTION)
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION stca_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION stca_append_only()")
        elif dialect == "sqlite":
            for op_name in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table} BEGIN "
                           f"SELECT RAISE(ABORT, '{table} is append-only: {op_name} is not allowed'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in ("audit_log", "fact_snapshots"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS stca_append_only()")
    for table in ("audit_log", "transfers", "status_changes", "reviews", "determinations", "fact_snapshots",
                  "people", "cases", "sites", "users"):
        op.drop_table(table)
