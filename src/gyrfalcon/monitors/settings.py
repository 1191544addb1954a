"""The monitors module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class MonitorSettings(SettingsSection):
    """How monitors run and what their runs keep."""

    monitor_concurrency: Annotated[int, Field(ge=1, le=512)] = Field(
        default=16,
        description="Monitor runs in flight at once per process (scheduled, run-now and "
        "preview together); SQL checks get a thread pool of this size.",
    )
    monitor_max_rows: Annotated[int, Field(ge=1, le=1_000_000)] = Field(
        default=10_000,
        description="Rows an SQL monitor reads at most; count bigger sets in SQL.",
    )
    monitor_sample_rows: Annotated[int, Field(ge=0, le=1000)] = Field(
        default=20, description="Rows of each run kept in its stored sample."
    )
    monitor_sample_bytes: Annotated[int, Field(ge=1024, le=10 * 1024 * 1024)] = Field(
        default=64 * 1024, description="Size of each run's stored sample at most (JSON bytes)."
    )
    monitor_http_max_response_bytes: Annotated[int, Field(ge=1024)] = Field(
        default=1024 * 1024, description="Body an HTTP monitor reads at most."
    )
    monitor_result_retention_days: Annotated[float, Field(gt=0)] = Field(
        default=30, description="Monitor runs older than this are deleted."
    )
