"""Test a Redis instance: PING and the server's version."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.connectors.redis import RedisConfig


class RedisTester:
    """Tester for :class:`RedisConfig`: open, then probe."""

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
    return Outcome(f"connected to Redis {version}, db {config.db}", details)
