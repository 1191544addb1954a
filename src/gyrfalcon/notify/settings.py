"""The notify module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class NotifySettings(SettingsSection):
    """Delivery of notifications: deadlines, retries and time limits."""

    notification_deadline_hours: Annotated[float, Field(gt=0, le=24 * 14)] = Field(
        default=24,
        description="A notification that could not be delivered is retried, with "
        "exponential backoff, until this long after it was queued, then marked failed.",
    )
    notification_retry_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        default=10, description="Wait before the first retry; doubles each time."
    )
    notification_retry_max_seconds: Annotated[float, Field(gt=0, le=86400)] = Field(
        default=900, description="Longest wait between two retries."
    )
    notification_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        default=15, description="Time limit of one delivery attempt."
    )
