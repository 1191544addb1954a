"""The test button of a job backend: Redis answers, and the job system's keys are there.

A backend can be reachable and still wrong: the right server with the wrong db or
namespace shows no jobs at all. So after PING the test asks the backend's adapter
whether its system's keys are where the backend says (with EXISTS, never KEYS), and
fails when they are not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gyrfalcon.catalog.service import ConnectionTestResult, Outcome, run_check
from gyrfalcon.connectors import redis as redis_connector
from gyrfalcon.core.failures import CheckFailed
from gyrfalcon.jobs.backends.base import Backend
from gyrfalcon.jobs.backends.registry import adapter_for

if TYPE_CHECKING:
    from gyrfalcon.jobs.kind import JobBackendConfig


class JobBackendTester:
    async def test(
        self, config: JobBackendConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        async def probe() -> Outcome:
            adapter = adapter_for(config.type)
            if adapter is None:
                raise CheckFailed(f"no job system '{config.type}' is installed here")
            async with redis_connector.open_redis(config, timeout=timeout) as client:
                await client.ping()
                server: dict[str, Any] = await client.info("server")
                version = str(server.get("redis_version", "?"))
                backend = Backend(client, config.namespace, now=lambda: datetime.now(UTC))
                found, looked_at = await adapter.probe(backend)
            details = {"server_version": version, "db": config.db, "keys_found": found}
            where = f"connected to Redis {version}, db {config.db}"
            if not found:
                # Reachable is not enough: a backend on the wrong db or namespace would show
                # every view empty and look healthy.
                raise CheckFailed(
                    f"{where}, but no {adapter.label} keys under {looked_at}: check the type, "
                    "db and namespace (a system that has never run has none yet)",
                    details,
                )
            return Outcome(f"{where}; {adapter.label} keys found under {looked_at}", details)

        return await run_check(
            probe,
            target=redis_connector.target(config),
            limit=timeout,
            classify=lambda exc: redis_connector.classify(config, exc),
        )
