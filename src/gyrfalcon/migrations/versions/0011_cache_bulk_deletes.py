"""The cache module's bulk deletes by pattern, resumable from their SCAN cursors.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "cache_bulk_deletes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.LargeBinary(), nullable=False),
        sa.Column("pattern_text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("max_keys", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.BigInteger(), nullable=False),
        sa.Column("examined", sa.BigInteger(), nullable=False),
        sa.Column("cursors", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.Column("finished_at", _timestamp(), nullable=True),
        sa.Column("lease_token", sa.String(length=36), nullable=True),
        sa.Column("lease_until", _timestamp(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["redis_instances.id"],
            name=op.f("fk_cache_bulk_deletes_instance_id_redis_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cache_bulk_deletes")),
    )
    op.create_index(
        op.f("ix_cache_bulk_deletes_instance_id"), "cache_bulk_deletes", ["instance_id"]
    )
    op.create_index(op.f("ix_cache_bulk_deletes_state"), "cache_bulk_deletes", ["state"])


def downgrade() -> None:
    op.drop_table("cache_bulk_deletes")
