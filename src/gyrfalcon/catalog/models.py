"""Catalog tables: services and their connections.

Every connection kind has its own table (monitors and other modules will hold
foreign keys to them) with the same shape: the validated definition as JSON in
``config`` and its secrets, encrypted with the platform's SecretBox, in
``secrets``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime, utcnow


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    team: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    base_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ConnectionMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    secrets: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The last test of the saved definition (by hand or on the schedule): a service whose
    # database is down must not look like a healthy one.
    tested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    test_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    test_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    test_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """When a scheduled round took this connection, so two workers never test it twice."""


class ServiceConnectionMixin(ConnectionMixin):
    @declared_attr
    def service_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("service_id", "name"),)


class Datasource(ServiceConnectionMixin, Base):
    __tablename__ = "datasources"


class RedisInstance(ServiceConnectionMixin, Base):
    __tablename__ = "redis_instances"


class JobBackend(ServiceConnectionMixin, Base):
    __tablename__ = "job_backends"


class DebugEndpoint(ServiceConnectionMixin, Base):
    __tablename__ = "debug_endpoints"


class KafkaCluster(ConnectionMixin, Base):
    __tablename__ = "kafka_clusters"
    __table_args__ = (UniqueConstraint("name"),)


ConnectionModel = ConnectionMixin
"""A stored connection of any kind, the catalog's or another module's."""
