"""The debug module's runs of the services' debug endpoints, with their traces.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _long_text() -> sa.types.TypeEngine[Any]:
    # A kept answer runs to megabytes: MySQL's TEXT holds 64 KB.
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "debug_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("started_at", _timestamp(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=True),
        sa.Column("body", _long_text(), nullable=True),
        sa.Column("body_truncated", sa.Boolean(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("invalid_at", sa.Text(), nullable=True),
        sa.Column("span_count", sa.Integer(), nullable=False),
        sa.Column("failed_spans", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["debug_endpoints.id"],
            name=op.f("fk_debug_runs_endpoint_id_debug_endpoints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debug_runs")),
    )
    op.create_index("ix_debug_runs_endpoint_started", "debug_runs", ["endpoint_id", "started_at"])


def downgrade() -> None:
    op.drop_table("debug_runs")
