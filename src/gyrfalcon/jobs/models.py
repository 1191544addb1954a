"""The last counts of every job backend, sampled in the background.

The cross-service overview and the home page read these rows instead of asking every
backend's Redis on every refresh of every viewer: a sampler (``sampler.py``) asks
each backend once per interval, one worker per backend thanks to the lease.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gyrfalcon.core.orm import Base, UTCDateTime


class JobBackendSample(Base):
    __tablename__ = "job_backend_samples"

    backend_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("job_backends.id", ondelete="CASCADE"), primary_key=True
    )
    sampled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lease_token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
