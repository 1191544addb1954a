"""The catalog module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class CatalogSettings(SettingsSection):
    """Connection tests."""

    connection_test_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=5, description="Time limit of a catalog 'test connection'."
    )
    connection_test_interval_seconds: Annotated[int, Field(ge=0, le=86400)] = Field(
        default=300,
        description="How often every saved connection is tested in the background, so a "
        "service whose database is down shows as failing; 0 turns the scheduled tests off. "
        "Notification channels are never tested on a schedule: their test posts a message.",
    )
