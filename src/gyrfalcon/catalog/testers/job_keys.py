"""Whether a job system's keys are where a job backend says they are.

A job backend can be reachable and still wrong: the right server with the wrong
db or namespace shows no jobs at all. So the test looks for the keys each job
system always keeps, using EXISTS and a bounded SCAN, never KEYS, which blocks a
busy server. The jobs module's backends will own each system's full key layout;
this is only what a connection test needs to tell "found" from "look again".
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from gyrfalcon.catalog.schemas import JobBackendConfig, JobBackendType

# Keys each job system keeps while it has ever run (looked up with EXISTS), and a
# pattern of the keys that hold its queues (looked up with SCAN).
_JOB_KEYS: dict[JobBackendType, tuple[tuple[str, ...], str]] = {
    JobBackendType.SIDEKIQ: (("queues", "processes"), "queue:*"),
    JobBackendType.RQ: (("rq:queues", "rq:workers"), "rq:queue:*"),
    JobBackendType.CELERY: (("unacked", "unacked_index"), "_kombu.binding.*"),
    JobBackendType.GOCRAFT: (("known_jobs", "worker_pools"), "jobs:*"),
}
_SCAN_BATCH = 500
_SCAN_ROUNDS = 20


def key_prefix(namespace: str) -> str:
    """The prefix a namespace gives keys: ``ns`` becomes ``ns:``, ``ns_`` stays.

    Sidekiq (redis-namespace) and gocraft/work add ':'; Celery's
    ``global_keyprefix`` is used verbatim, so a prefix that already ends in a
    separator is kept as it is.
    """
    return f"{namespace}:" if namespace and namespace[-1].isalnum() else namespace


async def job_keys(client: Redis, config: JobBackendConfig) -> tuple[bool, dict[str, Any]]:
    names, pattern = _JOB_KEYS[config.type]
    prefix = key_prefix(config.namespace)
    exists = {prefix + name: bool(await client.exists(prefix + name)) for name in names}
    queues = await _any_key(client, prefix + pattern)
    details = {"prefix": prefix, "keys": exists, "queue_keys": queues}
    return any(exists.values()) or queues, details


async def _any_key(client: Redis, pattern: str) -> bool:
    # SCAN may return empty pages before a match; a bounded number of rounds
    # keeps a huge keyspace from eating the deadline.
    cursor = 0
    for _ in range(_SCAN_ROUNDS):
        cursor, keys = await client.scan(cursor, match=pattern, count=_SCAN_BATCH)
        if keys:
            return True
        if cursor == 0:
            break
    return False
