"""A debug run: one call of a service's debug endpoint and what it answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime

LongText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
"""A kept answer runs to megabytes: MySQL's TEXT holds 64 KB."""


class DebugRun(Base):
    __tablename__ = "debug_runs"
    __table_args__ = (Index("ix_debug_runs_endpoint_started", "endpoint_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("debug_endpoints.id", ondelete="CASCADE")
    )
    actor: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    """The endpoint's path when it ran (the definition may change afterwards)."""
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_ms: Mapped[float] = mapped_column(Float)
    """The whole call as the platform timed it, connection included."""
    outcome: Mapped[str] = mapped_column(String(16))
    failed: Mapped[bool] = mapped_column(Boolean)
    message: Mapped[str] = mapped_column(Text)
    trace: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """The answer as a trace in the platform's format (OTLP converted), when it was one."""
    source_format: Mapped[str | None] = mapped_column(String(16), nullable=True)
    body: Mapped[str | None] = mapped_column(LongText, nullable=True)
    body_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    invalid_at: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Where the trace broke the format (a JSON path), for an invalid one."""
    span_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_spans: Mapped[int] = mapped_column(Integer, default=0)
