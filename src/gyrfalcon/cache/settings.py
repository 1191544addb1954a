"""The cache module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class CacheSettings(SettingsSection):
    """Reading the services' Redis: time limits, scan budgets, sample and page sizes."""

    cache_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        default=5,
        description="How long one Redis call may take before the instance is shown as "
        "not answering.",
    )
    cache_scan_budget_keys: Annotated[int, Field(ge=1000, le=100_000_000)] = Field(
        default=200_000,
        description="Keys one search page examines at most (SCAN ... COUNT adds up to "
        "it): a pattern that matches little stops there and offers to go on.",
    )
    cache_scan_budget_seconds: Annotated[float, Field(gt=0, le=300)] = Field(
        default=2,
        description="How long one search page scans at most; the same bound as the keys.",
    )
    cache_scan_count_max: Annotated[int, Field(ge=10, le=100_000)] = Field(
        default=5000,
        description="The largest COUNT hint one SCAN call is given: each call blocks the "
        "Redis server while it runs, so it stays small enough to never be noticed.",
    )
    cache_sample_keys: Annotated[int, Field(ge=100, le=1_000_000)] = Field(
        default=10_000,
        description="Keys an analysis samples (memory by type, prefixes, biggest keys, TTLs).",
    )
    cache_value_page_bytes: Annotated[int, Field(ge=1024, le=16 * 1024 * 1024)] = Field(
        default=64 * 1024,
        description="Bytes of a string value one page of the value viewer reads (GETRANGE).",
    )
    cache_element_bytes: Annotated[int, Field(ge=64, le=1024 * 1024)] = Field(
        default=4096,
        description="Bytes of one element (a hash field's value, a list item) shown before "
        "it is cut, with its full length said.",
    )
    cache_bulk_batch: Annotated[int, Field(ge=1, le=10_000)] = Field(
        default=500,
        description="Keys a bulk delete unlinks per call (SCAN + UNLINK).",
    )
