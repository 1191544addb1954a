"""Ready-made checks of the usual dependencies, and ``Check`` to write others. Each
imports its client library only when it runs or is made, so the SDK needs none of them."""

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.checks.http import http_get
from gyrfalcon.probe.checks.kafka import kafka_metadata
from gyrfalcon.probe.checks.redis import redis_get, redis_ping
from gyrfalcon.probe.checks.s3 import s3_head_bucket
from gyrfalcon.probe.checks.sql import sql_query

__all__ = [
    "DEFAULT_TIMEOUT",
    "Check",
    "http_get",
    "kafka_metadata",
    "redis_get",
    "redis_ping",
    "s3_head_bucket",
    "sql_query",
]
