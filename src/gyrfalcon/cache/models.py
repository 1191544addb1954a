"""Bulk deletes by pattern: a job row each, so one survives a restart, is resumed from
where it stopped, and is worked by one worker at a time (``core.leases``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime


class BulkState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    """Every key that matched was deleted."""
    PARTIAL = "partial"
    """Stopped before the end (the confirmed maximum, or Redis failed): resumable."""
    CANCELLED = "cancelled"


class BulkDelete(Base):
    __tablename__ = "cache_bulk_deletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("redis_instances.id", ondelete="CASCADE"), index=True
    )
    pattern: Mapped[bytes] = mapped_column(LargeBinary)
    """The glob scanned, the instance's key prefix included."""
    pattern_text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    max_keys: Mapped[int] = mapped_column(BigInteger)
    """The most keys the user confirmed; the job stops as partial there."""
    deleted: Mapped[int] = mapped_column(BigInteger, default=0)
    examined: Mapped[int] = mapped_column(BigInteger, default=0)
    cursors: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """Each unfinished primary's SCAN cursor; None until the first batch."""
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Why it stopped before the end."""
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
