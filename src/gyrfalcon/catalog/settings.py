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
