"""The jobs module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class JobsSettings(SettingsSection):
    """Reading the services' job systems: time limits and filter windows."""

    jobs_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        default=5,
        description="Time limit of one read or action on a job backend's Redis; a backend "
        "that takes longer shows as not answering.",
    )
    jobs_filter_budget_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=2,
        description="How long one filtered page may search a set before it answers with what "
        "it found and where to go on from.",
    )
    jobs_filter_window: Annotated[int, Field(ge=100, le=100_000)] = Field(
        default=5000,
        description="Jobs one filter step reads inside Redis; smaller keeps each step "
        "shorter on a busy server.",
    )
    jobs_counts_interval_seconds: Annotated[float, Field(ge=0, le=3600)] = Field(
        default=30,
        description="How often the background sampler counts every job backend's dead, "
        "retry and other jobs for the overview and the home page; 0 turns it off.",
    )
    jobs_celery_reply_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=1,
        description="How long a Celery backend's page waits for its workers to answer the "
        "control API (workers, running, reserved and scheduled tasks); a worker that has not "
        "answered by then is not shown. At most half of `GYRFALCON_JOBS_TIMEOUT_SECONDS` is "
        "used, so the page has time for the rest.",
    )
