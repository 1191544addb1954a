"""The messages module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class MessagesSettings(SettingsSection):
    """Consuming the services' Kafka topics: the consumer group, batches, time limits."""

    messages_consumer_group: Annotated[
        str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._\-]+$")
    ] = Field(
        default="gyrfalcon",
        description="The Kafka consumer group of this deployment. Every worker of one "
        "deployment uses it, so they share the partitions; two deployments watching the same "
        "cluster need different groups.",
    )
    messages_session_timeout_ms: Annotated[int, Field(ge=1000, le=300_000)] = Field(
        default=10_000,
        description="The consumers' Kafka session timeout: a worker that dies gives its "
        "partitions to the others after this long.",
    )
    messages_batch_max: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=5000,
        description="Messages one consumer writes to the store in one transaction at most.",
    )
    messages_writers: Annotated[int, Field(ge=1, le=16)] = Field(
        default=2,
        description="Store writes one cluster's consumer makes at once on PostgreSQL, each "
        "for its own share of the partitions: more use more database connections and "
        "cores. SQLite and MySQL take one at a time whatever this says.",
    )
    messages_reconcile_seconds: Annotated[float, Field(gt=0, le=300)] = Field(
        default=3,
        description="How often a worker reads the subscriptions and schemas, so a change "
        "takes effect without a restart.",
    )
    messages_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        default=10,
        description="Time limit of one request to a Kafka broker (metadata, offsets, a "
        "replay's send); a broker that takes longer shows as not answering.",
    )
    messages_compile_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = Field(
        default=30,
        description="How long compiling an uploaded schema may take.",
    )
    messages_max_value_bytes: Annotated[int, Field(ge=1024, le=256 * 1024 * 1024)] = Field(
        default=16 * 1024 * 1024,
        description="A message value larger than this is stored cut to this size, marked "
        "as cut, and not decoded. On MySQL keep it below the server's `max_allowed_packet` "
        "(16 MiB on MariaDB by default), or such a message cannot be stored.",
    )
    messages_scan_budget: Annotated[int, Field(ge=100, le=1_000_000)] = Field(
        default=20_000,
        description="Stored messages one search page decodes at most for a filter on "
        "fields that are not indexed, before it answers with where to go on from.",
    )
    messages_retention_interval_seconds: Annotated[float, Field(ge=0, le=86_400)] = Field(
        default=300,
        description="How often the retention service purges messages older than each "
        "subscription's retention; 0 turns it off.",
    )
    messages_retention_batch: Annotated[int, Field(ge=100, le=100_000)] = Field(
        default=5000,
        description="Messages one purge statement deletes at most, so no delete holds the "
        "table for long.",
    )
