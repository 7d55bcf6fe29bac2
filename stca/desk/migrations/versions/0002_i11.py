"""Interview drafts kept server-side, what the officer answered per fact version, encounters of people
crossing together, unaccompanied minors.

Revision ID: 0002_i11
Revises: 0002_i12b
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stca.desk.db import UtcDateTime

revision = "0002_i11"
down_revision = "0002_i12b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interview_drafts",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.add_column("fact_snapshots", sa.Column("provenance", sa.JSON, nullable=True))
    op.add_column("cases", sa.Column("encounter_group", sa.String(40), nullable=True))
    op.create_index("ix_cases_encounter_group", "cases", ["encounter_group"])
    op.add_column("cases", sa.Column("unaccompanied_minor", sa.Boolean, nullable=False,
                                     server_default=sa.false()))
    op.add_column("cases", sa.Column("guardian_name", sa.String(200), nullable=True))
    op.add_column("cases", sa.Column("guardian_contact", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_encounter_group")
        batch.drop_column("guardian_contact")
        batch.drop_column("guardian_name")
        batch.drop_column("unaccompanied_minor")
        batch.drop_column("encounter_group")
    with op.batch_alter_table("fact_snapshots") as batch:
        batch.drop_column("provenance")
    op.drop_table("interview_drafts")
