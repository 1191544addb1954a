"""Test a Redis instance, and for job backends, whether the job system's keys are there.

A job backend can be reachable and still wrong: the right server with the
wrong db or namespace shows no jobs at all. So besides PING the tester looks
for the keys each job system always keeps, using EXISTS and a bounded SCAN,
never KEYS, which blocks a busy server.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from gyrfalcon.catalog.schemas import (
    ConnectionTestResult,
    JobBackendConfig,
    JobBackendType,
    RedisConfig,
)
from gyrfalcon.catalog.testers.errors import Outcome, Target, auth_failed, run_check

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


class RedisTester:
    """Tester for :class:`RedisConfig` and :class:`JobBackendConfig`."""

    async def test(
        self, config: RedisConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        password = config.password.get_secret_value() if config.password else ""
        target = Target(host=config.host, port=config.port, secrets=(password,))

        async def probe() -> Outcome:
            client = _client(config, password or None, timeout)
            try:
                return await _check(client, config)
            finally:
                await client.aclose()

        return await run_check(
            probe, target=target, limit=timeout, classify=lambda exc: _classify(config, exc)
        )


def _client(config: RedisConfig, password: str | None, timeout: float) -> Redis:
    return Redis(
        host=config.host,
        port=config.port,
        db=config.db,
        username=config.username,
        password=password,
        ssl=config.tls,
        ssl_cert_reqs="required" if config.tls_verify else "none",
        ssl_check_hostname=config.tls and config.tls_verify,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        # Retries would hide the first failure and overrun the deadline.
        retry=Retry(NoBackoff(), 0),
        single_connection_client=True,
    )


async def _check(client: Redis, config: RedisConfig) -> Outcome:
    await client.ping()
    server: dict[str, Any] = await client.info("server")
    version = str(server.get("redis_version", "?"))
    details: dict[str, Any] = {"server_version": version, "db": config.db}
    message = f"connected to Redis {version}, db {config.db}"
    if isinstance(config, JobBackendConfig):
        found, job_details = await _job_keys(client, config)
        details["job_keys"] = job_details
        prefix = job_details["prefix"] or "the top level"
        message += (
            f"; {config.type.value} keys found under {prefix}"
            if found
            else f"; no {config.type.value} keys under {prefix} (check db and namespace)"
        )
    return Outcome(message, details)


def key_prefix(namespace: str) -> str:
    """The prefix a namespace gives keys: ``ns`` becomes ``ns:``, ``ns_`` stays.

    Sidekiq (redis-namespace) and gocraft/work add ':'; Celery's
    ``global_keyprefix`` is used verbatim, so a prefix that already ends in a
    separator is kept as it is.
    """
    return f"{namespace}:" if namespace and namespace[-1].isalnum() else namespace


async def _job_keys(client: Redis, config: JobBackendConfig) -> tuple[bool, dict[str, Any]]:
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


def _classify(config: RedisConfig, exc: BaseException) -> str | None:
    text = str(exc)
    user = config.username or "default"
    if "NOAUTH" in text or "Authentication required" in text:
        return "the server requires a password and none is configured"
    if "WRONGPASS" in text or "invalid username-password pair" in text:
        return auth_failed(user)
    if "DB index is out of range" in text or "Invalid Database" in text:
        return f"database {config.db} does not exist on this server"
    return None
