"""Monitor tables: definitions, their schedule slots, every run, and the alert timeline.

The schedule lives in its own narrow table so the scheduler's claim (a
conditional UPDATE on a few columns) never locks or rewrites the definition an
engineer may be editing at that moment; see ADR 0004.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime, utcnow


class Monitor(Base):
    __tablename__ = "monitors"
    __table_args__ = (UniqueConstraint("service_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(8))
    # SET NULL, not CASCADE: deleting a datasource must not silently delete the checks
    # built on it; the monitor goes to ERROR and says why.
    datasource_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasources.id", ondelete="SET NULL"), nullable=True, index=True
    )
    query: Mapped[str | None] = mapped_column(Text, nullable=True)
    http: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    secrets: Mapped[str | None] = mapped_column(Text, nullable=True)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    timeout_seconds: Mapped[float] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    severity: Mapped[str] = mapped_column(String(16))
    runbook_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    condition: Mapped[dict[str, Any]] = mapped_column(JSON)
    notify: Mapped[dict[str, Any]] = mapped_column(JSON)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    state: Mapped[str] = mapped_column(String(16), index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    failing_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_value_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(150), nullable=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by definition changes only (not by every run's state update): it versions the
    # definition, so the scheduler knows when its cached plan is stale.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonitorSchedule(Base):
    """When a monitor is due next, and who holds it while it runs.

    A row exists only while the monitor is enabled. ``lease_token`` is set by the
    one process whose conditional UPDATE claimed the slot; ``lease_until`` lets
    another process take over if that one died mid-run.
    """

    __tablename__ = "monitor_schedules"

    monitor_id: Mapped[int] = mapped_column(
        ForeignKey("monitors.id", ondelete="CASCADE"), primary_key=True
    )
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lease_token: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MonitorResult(Base):
    __tablename__ = "monitor_results"
    __table_args__ = (Index("ix_monitor_results_monitor_started", "monitor_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(16))
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_ms: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    value_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sample: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class MonitorEvent(Base):
    """The alert timeline: state changes, reminders, mutes and acknowledgements."""

    __tablename__ = "monitor_events"
    __table_args__ = (Index("ix_monitor_events_monitor_at", "monitor_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitors.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    value_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str | None] = mapped_column(String(150), nullable=True)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)
