"""The hello module's tables: greetings and its connection kind's hello endpoints.

Revision ID: hello_0001
Revises: (its own branch)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hello_0001"
down_revision = None
branch_labels = ("hello",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hello_greetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.String(200), nullable=False),
    )
    op.create_table(
        "hello_endpoints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("secrets", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        # Every connection table keeps its last test (catalog ConnectionMixin).
        sa.Column("tested_at", sa.DateTime(), nullable=True),
        sa.Column("test_ok", sa.Boolean(), nullable=True),
        sa.Column("test_message", sa.Text(), nullable=True),
        sa.Column("test_claimed_at", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("hello_endpoints")
    op.drop_table("hello_greetings")
