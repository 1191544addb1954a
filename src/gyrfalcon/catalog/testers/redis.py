"""Test a Redis instance: PING every node the keys live on, and the server's version.

A cluster answers with its primaries, each pinged in turn: one primary down fails the
test and is named, as the cache browser would find it. A Sentinel-managed instance
reports which primary the Sentinels named."""

from __future__ import annotations

from typing import Any

from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.connectors.redis import Nodes, RedisConfig, RedisMode
from gyrfalcon.core.failures import CheckFailed


class RedisTester:
    """Tester for :class:`RedisConfig`: open, then probe."""

    async def test(
        self, config: RedisConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        async def probe() -> Outcome:
            async with redis_connector.open_nodes(config, timeout=timeout) as nodes:
                return await _check(nodes, config)

        return await run_check(
            probe,
            target=redis_connector.target(config),
            limit=timeout,
            classify=lambda exc: redis_connector.classify(config, exc),
        )


async def _check(nodes: Nodes, config: RedisConfig) -> Outcome:
    versions: dict[str, str] = {}
    down: list[str] = []
    for node in nodes.nodes:
        try:
            await node.client.ping()
            server: dict[str, Any] = await node.client.info("server")
        except Exception:
            if config.mode != RedisMode.CLUSTER:
                raise
            down.append(node.name)
            continue
        versions[node.name] = str(server.get("redis_version", "?"))
    if down:
        raise CheckFailed(
            f"primaries not answering ({len(down)} of {len(nodes.nodes)}): " + ", ".join(down),
            {"down": down, "primaries": sorted(versions)},
        )
    version = next(iter(versions.values()), "?")
    details: dict[str, Any] = {
        "server_version": version,
        "db": config.db,
        "mode": config.mode.value,
    }
    if config.mode == RedisMode.CLUSTER:
        details["primaries"] = sorted(versions)
        return Outcome(
            f"connected to the {len(versions)} primaries of a Redis {version} cluster", details
        )
    if config.mode == RedisMode.SENTINEL:
        primary = nodes.nodes[0].name
        details["primary"] = primary
        return Outcome(
            f"connected to Redis {version} at {primary}, the primary the Sentinels name "
            f"'{config.sentinel_master}', db {config.db}",
            details,
        )
    return Outcome(f"connected to Redis {version}, db {config.db}", details)
