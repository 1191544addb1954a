"""Revision counters for per-process caches of read-mostly data.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    revisions = op.create_table(
        "revisions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    # Seeded so that concurrent first writers update a row rather than race to insert it.
    op.bulk_insert(revisions, [{"name": "auth", "value": 0}, {"name": "catalog", "value": 0}])


def downgrade() -> None:
    op.drop_table("revisions")
