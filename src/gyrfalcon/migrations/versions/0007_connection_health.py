"""Each connection's last test result, and the claim of a scheduled test round.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CONNECTION_TABLES = (
    "datasources",
    "redis_instances",
    "job_backends",
    "debug_endpoints",
    "kafka_clusters",
    "notification_channels",
)


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    for table in _CONNECTION_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("tested_at", _timestamp(), nullable=True))
            batch.add_column(sa.Column("test_ok", sa.Boolean(), nullable=True))
            batch.add_column(sa.Column("test_message", sa.Text(), nullable=True))
            batch.add_column(sa.Column("test_claimed_at", _timestamp(), nullable=True))


def downgrade() -> None:
    for table in _CONNECTION_TABLES:
        with op.batch_alter_table(table) as batch:
            for column in ("test_claimed_at", "test_message", "test_ok", "tested_at"):
                batch.drop_column(column)
