"""The jobs module's sampled counts of every job backend.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "job_backend_samples",
        sa.Column("backend_id", sa.Integer(), nullable=False),
        sa.Column("sampled_at", _timestamp(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("lease_token", sa.String(length=36), nullable=True),
        sa.Column("lease_until", _timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["backend_id"],
            ["job_backends.id"],
            name=op.f("fk_job_backend_samples_backend_id_job_backends"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("backend_id", name=op.f("pk_job_backend_samples")),
    )


def downgrade() -> None:
    op.drop_table("job_backend_samples")
