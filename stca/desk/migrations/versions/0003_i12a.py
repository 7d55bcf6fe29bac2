"""Server-side sessions (revocable, idle and absolute timeouts) and each account's scope.

Revision ID: 0003_i12a
Revises: 0002_i11
Create Date: 2026-12-01

Existing accounts keep seeing every case (``national_scope`` true) so an upgrade changes nobody's
work; accounts created afterwards get exactly the scope they are given (``services.create_user``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stca.desk.db import UtcDateTime

revision = "0003_i12a"
down_revision = "0002_i11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_seen_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime, nullable=True),
        sa.Column("revoked_reason", sa.String(32), nullable=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(200), nullable=False),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("national_scope", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("scope_provinces", sa.JSON, nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("scope_site_ids", sa.JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("scope_site_ids")
        batch.drop_column("scope_provinces")
        batch.drop_column("national_scope")
    op.drop_table("user_sessions")
