"""The messages module: schemas and versions, subscriptions, positions, consumer
states, and the stored Kafka messages with their index (ADR 0007).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp() -> sa.types.TypeEngine[Any]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _blob() -> sa.types.TypeEngine[Any]:
    return sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def _search_text() -> sa.types.TypeEngine[Any]:
    # Byte-for-byte comparison everywhere, so equality is exact and a prefix a range.
    return (
        sa.String(200)
        .with_variant(sa.String(200, collation="C"), "postgresql")
        .with_variant(
            mysql.VARCHAR(200, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
        )
    )


# On PostgreSQL the stored messages and their index are partitioned by day of the
# message time, so retention drops whole days (ADR 0007); rows of days without a
# partition of their own land in the DEFAULT one. A partitioned table's primary key must
# hold the partition column, hence the message time in its key there.
_BY_TIME = "RANGE (timestamp_ms)"


def _message_key() -> tuple[str, ...]:
    if op.get_bind().dialect.name == "postgresql":
        return ("subscription_id", "partition", "offset", "timestamp_ms")
    return ("subscription_id", "partition", "offset")


def _default_partitions() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("kafka_messages", "kafka_message_index"):
            op.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")


def upgrade() -> None:
    op.create_table(
        "kafka_message_index",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("field", _search_text(), nullable=False),
        sa.Column("value", _search_text(), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "subscription_id",
            "field",
            "value",
            "timestamp_ms",
            "partition",
            "offset",
            name=op.f("pk_kafka_message_index"),
        ),
        postgresql_partition_by=_BY_TIME,
    )
    with op.batch_alter_table("kafka_message_index", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kafka_message_index_time", ["subscription_id", "timestamp_ms"], unique=False
        )

    op.create_table(
        "kafka_messages",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(length=249), nullable=False),
        sa.Column("key", _blob(), nullable=True),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("value", _blob(), nullable=True),
        sa.Column("value_size", sa.Integer(), nullable=False),
        sa.Column("schema_version_id", sa.Integer(), nullable=True),
        sa.Column("decode_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(*_message_key(), name=op.f("pk_kafka_messages")),
        postgresql_partition_by=_BY_TIME,
    )
    with op.batch_alter_table("kafka_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kafka_messages_time",
            ["subscription_id", "timestamp_ms", "partition", "offset"],
            unique=False,
        )
    _default_partitions()

    op.create_table(
        "message_subscription_purges",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("subscription_id", name=op.f("pk_message_subscription_purges")),
    )
    op.create_table(
        "message_schemas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_message_schemas_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_schemas")),
        sa.UniqueConstraint("service_id", "name", name=op.f("uq_message_schemas_service_id_name")),
    )
    with op.batch_alter_table("message_schemas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_schemas_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "message_schema_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("descriptor_set", _blob(), nullable=False),
        sa.Column("message_types", sa.JSON(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["schema_id"],
            ["message_schemas.id"],
            name=op.f("fk_message_schema_versions_schema_id_message_schemas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_schema_versions")),
        sa.UniqueConstraint(
            "schema_id", "version", name=op.f("uq_message_schema_versions_schema_id_version")
        ),
    )
    with op.batch_alter_table("message_schema_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_schema_versions_schema_id"), ["schema_id"], unique=False
        )

    op.create_table(
        "message_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=249), nullable=False),
        sa.Column("value_format", sa.String(length=20), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=True),
        sa.Column("message_type", sa.String(length=500), nullable=True),
        sa.Column("key_format", sa.String(length=20), nullable=False),
        sa.Column("start_from", sa.String(length=20), nullable=False),
        sa.Column("start_at", _timestamp(), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("indexed_fields", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["kafka_clusters.id"],
            name=op.f("fk_message_subscriptions_cluster_id_kafka_clusters"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schema_id"],
            ["message_schemas.id"],
            name=op.f("fk_message_subscriptions_schema_id_message_schemas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_message_subscriptions_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_subscriptions")),
        sa.UniqueConstraint(
            "service_id", "name", name=op.f("uq_message_subscriptions_service_id_name")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("message_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_subscriptions_cluster_id"), ["cluster_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_subscriptions_schema_id"), ["schema_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_subscriptions_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "message_consumer_states",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["message_subscriptions.id"],
            name=op.f("fk_message_consumer_states_subscription_id_message_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscription_id", name=op.f("pk_message_consumer_states")),
    )
    op.create_table(
        "message_positions",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.Column("end_offset", sa.BigInteger(), nullable=True),
        sa.Column("checked_at", _timestamp(), nullable=True),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.Column("last_message_ms", sa.BigInteger(), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["message_subscriptions.id"],
            name=op.f("fk_message_positions_subscription_id_message_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscription_id", "partition", name=op.f("pk_message_positions")),
    )


def downgrade() -> None:
    op.drop_table("message_positions")
    op.drop_table("message_consumer_states")
    with op.batch_alter_table("message_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_subscriptions_service_id"))
        batch_op.drop_index(batch_op.f("ix_message_subscriptions_schema_id"))
        batch_op.drop_index(batch_op.f("ix_message_subscriptions_cluster_id"))

    op.drop_table("message_subscriptions")
    with op.batch_alter_table("message_schema_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_schema_versions_schema_id"))

    op.drop_table("message_schema_versions")
    with op.batch_alter_table("message_schemas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_schemas_service_id"))

    op.drop_table("message_schemas")
    op.drop_table("message_subscription_purges")
    with op.batch_alter_table("kafka_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_kafka_messages_time")

    op.drop_table("kafka_messages")
    with op.batch_alter_table("kafka_message_index", schema=None) as batch_op:
        batch_op.drop_index("ix_kafka_message_index_time")

    op.drop_table("kafka_message_index")
