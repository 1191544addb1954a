"""Test a Redis instance: PING and the server's version, and for job backends, whether
the job system's keys are there (``job_keys``)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from gyrfalcon.catalog.schemas import ConnectionTestResult, JobBackendConfig
from gyrfalcon.catalog.testers.job_keys import job_keys
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.connectors.redis import RedisConfig


class RedisTester:
    """Tester for :class:`RedisConfig` and :class:`JobBackendConfig`: open, then probe."""

    async def test(
        self, config: RedisConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        async def probe() -> Outcome:
            async with redis_connector.open_redis(config, timeout=timeout) as client:
                return await _check(client, config)

        return await run_check(
            probe,
            target=redis_connector.target(config),
            limit=timeout,
            classify=lambda exc: redis_connector.classify(config, exc),
        )


async def _check(client: Redis, config: RedisConfig) -> Outcome:
    await client.ping()
    server: dict[str, Any] = await client.info("server")
    version = str(server.get("redis_version", "?"))
    details: dict[str, Any] = {"server_version": version, "db": config.db}
    message = f"connected to Redis {version}, db {config.db}"
    if isinstance(config, JobBackendConfig):
        found, job_details = await job_keys(client, config)
        details["job_keys"] = job_details
        prefix = job_details["prefix"] or "the top level"
        message += (
            f"; {config.type.value} keys found under {prefix}"
            if found
            else f"; no {config.type.value} keys under {prefix} (check db and namespace)"
        )
    return Outcome(message, details)
