"""The debug module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class DebugSettings(SettingsSection):
    """Running the services' debug endpoints: how much of an answer is read and kept."""

    debug_response_max_bytes: Annotated[int, Field(ge=1024, le=64 * 1024 * 1024)] = Field(
        default=4 * 1024 * 1024,
        description="The largest answer a debug run reads (a 2,000-span trace is about "
        "500 KB); a larger one is kept cut at this size and not read as a trace.",
    )
    debug_runs_kept: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=200,
        description="Runs kept per debug endpoint, the newest; older ones are deleted as "
        "new ones are stored.",
    )
