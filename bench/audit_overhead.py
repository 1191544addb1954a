"""Audit write overhead: p50 latency of `PATCH /api/v1/services/{name}` with the audit
record vs the same update with recording switched off in this benchmark, same process,
same run (target: ratio < 1.5).

The app runs in process (ASGI transport, embedded SQLite) so both variants pay the
same HTTP-free path; batches alternate between the two so drift affects both alike.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from gyrfalcon.app import create_app
from gyrfalcon.audit import service as audit
from gyrfalcon.auth import service as auth
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings

BATCHES = 10
PER_BATCH = 50


async def _client(data_dir: Path) -> tuple[httpx.AsyncClient, Database]:
    settings = Settings(data_dir=data_dir, secret_key="audit-benchmark-secret-key")  # type: ignore[arg-type]
    database = Database(settings.resolved_database_url)
    await migrate.upgrade(database, settings.resolved_database_url)
    await database.dispose()
    app = create_app(settings, run_services=False)
    async with app.state.database.sessionmaker() as session:
        user = await auth.create_user(session, username="bench", password="x" * 12, is_admin=True)
        token, _ = await auth.create_token(session, user_id=user.id, name="b", expires_in_days=None)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://bench",
        headers={"Authorization": f"Bearer {token}"},
    )
    return client, app.state.database


async def _batch(client: httpx.AsyncClient, offset: int) -> list[float]:
    timings = []
    for index in range(PER_BATCH):
        started = time.perf_counter()
        response = await client.patch(
            "/api/v1/services/orders", json={"description": f"revision {offset + index}"}
        )
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        client, database = await _client(Path(tmp))
        (await client.post("/api/v1/services", json={"name": "orders"})).raise_for_status()
        recording = audit.record
        samples: dict[str, list[float]] = {"with_audit": [], "without_audit": []}

        def no_record(*_args: Any, **_kwargs: Any) -> None:
            return None

        await _batch(client, 0)  # warm-up
        for batch in range(BATCHES):
            for variant in ("with_audit", "without_audit"):
                audit.record = recording if variant == "with_audit" else no_record  # type: ignore[assignment]
                samples[variant] += await _batch(client, batch * PER_BATCH)
        audit.record = recording  # type: ignore[assignment]
        await client.aclose()
        await database.dispose()
    p50 = {name: statistics.median(values) for name, values in samples.items()}
    ratio = p50["with_audit"] / p50["without_audit"]
    print(
        json.dumps(
            {
                "benchmark": "audit_overhead",
                "updates_per_variant": BATCHES * PER_BATCH,
                "p50_ms_with_audit": round(p50["with_audit"], 3),
                "p50_ms_without_audit": round(p50["without_audit"], 3),
                "ratio": round(ratio, 2),
                "target_ratio": 1.5,
                "meets_target": ratio < 1.5,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
