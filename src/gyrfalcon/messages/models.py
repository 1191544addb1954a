"""The messages module's tables: schemas and their versions, subscriptions, the stored
messages with their index, and each subscription's positions and consumer state.

Stored messages carry no foreign key to their subscription: deleting a subscription
must not cascade over millions of rows in one statement, so a deleted subscription
leaves a row in ``message_subscription_purges`` and the retention service removes its
messages in bounded batches (ADR 0007).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime, utcnow

# MySQL's BLOB holds 64 KiB; a Kafka message or a descriptor set can be far bigger.
Blob = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
# Searched values compare byte for byte (code point order) on every database, so that
# equality is exact and a prefix is a range: "C" on PostgreSQL, binary on MySQL (whose
# default collation ignores case), SQLite's own BINARY.
SearchText = (
    String(200)
    .with_variant(String(200, collation="C"), "postgresql")
    .with_variant(
        mysql.VARCHAR(200, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )
)


class MessageSchema(Base):
    __tablename__ = "message_schemas"
    __table_args__ = (UniqueConstraint("service_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MessageSchemaVersion(Base):
    __tablename__ = "message_schema_versions"
    __table_args__ = (UniqueConstraint("schema_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schema_id: Mapped[int] = mapped_column(
        ForeignKey("message_schemas.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptor_set: Mapped[bytes] = mapped_column(Blob)
    message_types: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(255), default="")


class Subscription(Base):
    __tablename__ = "message_subscriptions"
    # Ids are never reused (SQLite would reuse the highest one without AUTOINCREMENT): a
    # deleted subscription's messages wait for the retention service under its id.
    __table_args__ = (UniqueConstraint("service_id", "name"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    # A deleted cluster or schema leaves the subscription in error, as a deleted
    # datasource leaves its monitors, rather than taking it and its history along.
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("kafka_clusters.id", ondelete="SET NULL"), nullable=True, index=True
    )
    topic: Mapped[str] = mapped_column(String(249))
    value_format: Mapped[str] = mapped_column(String(20))
    schema_id: Mapped[int | None] = mapped_column(
        ForeignKey("message_schemas.id", ondelete="SET NULL"), nullable=True, index=True
    )
    message_type: Mapped[str | None] = mapped_column(String(500), nullable=True)
    key_format: Mapped[str] = mapped_column(String(20))
    start_from: Mapped[str] = mapped_column(String(20))
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retention_days: Mapped[int] = mapped_column(Integer)
    indexed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Position(Base):
    """Where a subscription's partition goes on from, written in the same transaction as
    the messages before it: the position that makes ingest exactly once."""

    __tablename__ = "message_positions"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("message_subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_offset: Mapped[int] = mapped_column(BigInteger)
    end_offset: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    """The partition's end (high watermark) when last seen, for the lag."""
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Kept per partition, not per subscription: workers writing different partitions of
    # one subscription then never wait on each other's row.
    stored: Mapped[int] = mapped_column(BigInteger, default=0)
    """Messages stored and not yet purged."""
    last_message_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    worker: Mapped[str] = mapped_column(String(255), default="")
    """The worker that last stored messages of the partition (host:pid)."""


class ConsumerState(Base):
    """How a subscription's consumption goes, as the worker consuming it last said."""

    __tablename__ = "message_consumer_states"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("message_subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeletedSubscription(Base):
    """A deleted subscription whose stored messages the retention service still has to
    remove, batch by batch."""

    __tablename__ = "message_subscription_purges"

    subscription_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredMessage(Base):
    __tablename__ = "kafka_messages"
    __table_args__ = (
        Index("ix_kafka_messages_time", "subscription_id", "timestamp_ms", "partition", "offset"),
    )

    subscription_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str] = mapped_column(String(249))
    key: Mapped[bytes | None] = mapped_column(Blob, nullable=True)
    headers: Mapped[str] = mapped_column(Text, default="[]")
    """JSON of ``[name, value as base64]`` pairs in the record's order (a name may repeat);
    text rather than a JSON column so ingest hands the rows to the database as they are."""
    value: Mapped[bytes | None] = mapped_column(Blob, nullable=True)
    value_size: Mapped[int] = mapped_column(Integer)
    schema_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decode_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class IndexedValue(Base):
    """One searchable value of a stored message: its key (``@key``), a header
    (``@header.<name>``) or an indexed field's value, newest first per value."""

    __tablename__ = "kafka_message_index"
    __table_args__ = (
        # The retention service deletes a subscription's old index rows by time.
        Index("ix_kafka_message_index_time", "subscription_id", "timestamp_ms"),
    )

    subscription_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[str] = mapped_column(SearchText, primary_key=True)
    value: Mapped[str] = mapped_column(SearchText, primary_key=True)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
