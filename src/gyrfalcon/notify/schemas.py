"""Read shapes of the outbox: a notification and each attempt to deliver it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class DeliveryAttemptRead(BaseModel):
    at: datetime
    ok: bool
    message: str
    duration_ms: float


class NotificationRead(BaseModel):
    id: int
    channel: str
    channel_type: str
    status: Literal["pending", "sent", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    deadline: datetime
    last_error: str | None
    receipt: str | None
    sent_at: datetime | None
    attempt_log: list[DeliveryAttemptRead]
