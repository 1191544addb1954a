"""The audit module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class AuditSettings(SettingsSection):
    """How long audit records are kept."""

    audit_retention_days: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Delete audit records older than this many days (unset: keep forever).",
    )
