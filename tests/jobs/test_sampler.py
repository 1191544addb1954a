"""The background sampler: every backend counted once per interval, its counts behind
the cross-service overview and the home page's tile."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from gyrfalcon.jobs.sampler import CountsSampler
from tests.conftest import _logged_in
from tests.jobs import gocraft_format as go
from tests.jobs.conftest import NOW

T = int(NOW.timestamp())


async def test_counts_reach_the_overview_and_the_home_page(
    jobs_app: FastAPI, admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    for index in range(3):
        await go.add(
            redis_client, namespace, "dead", T - index, go.job_json("charge", f"d{index}", T)
        )
    await go.add(redis_client, namespace, "retry", T, go.job_json("charge", "r", T, fails=1))
    await admin_client.post("/api/v1/services", json={"name": "billing", "team": "commerce"})
    await admin_client.post("/api/v1/services", json={"name": "search"})
    await admin_client.post(
        "/api/v1/services/billing/job-backends",
        json={"name": "workers", "type": "gocraft", "namespace": namespace},
    )
    await admin_client.post(
        "/api/v1/services/search/job-backends",
        json={"name": "indexer", "type": "sidekiq", "host": "127.0.0.1", "port": 1},
    )
    now = NOW
    sampler = CountsSampler(jobs_app.state.context, clock=lambda: now)

    before = (await admin_client.get("/api/v1/jobs")).json()
    assert await sampler.run_round() == 2
    assert await sampler.run_round() == 0  # counted: not due again before the interval
    after = (await admin_client.get("/api/v1/jobs")).json()
    home = (await admin_client.get("/api/v1/home")).json()

    assert [row["not_sampled"] for row in before["services"]] == [1, 1]
    billing, search = after["services"]
    assert (billing["service"], billing["team"], billing["dead"], billing["retry"]) == (
        "billing", "commerce", 3, 1,
    )  # fmt: skip
    assert billing["unreachable"] == 0 and billing["sampled_at"] is not None
    assert (search["unreachable"], search["dead"]) == (1, 0)
    [tile] = [tile for tile in home["tiles"] if tile["key"] == "jobs.failures"]
    assert [item["title"] for item in tile["items"]] == ["search", "billing"]
    assert tile["items"][1]["detail"] == "3 dead, 1 retrying"

    now = NOW + timedelta(seconds=31)
    assert await sampler.run_round() == 2


async def test_a_reader_sees_only_services_in_scope(
    jobs_app: FastAPI, admin_client: httpx.AsyncClient, namespace: str
) -> None:
    await admin_client.post("/api/v1/services", json={"name": "billing", "team": "commerce"})
    await admin_client.post(
        "/api/v1/services/billing/job-backends",
        json={"name": "workers", "type": "gocraft", "namespace": namespace},
    )
    role = await admin_client.post(
        "/api/v1/roles",
        json={
            "name": "ads-reader",
            "grants": [{"module": "jobs", "action": "read", "scope": "teams", "targets": ["ads"]}],
        },
    )
    assert role.status_code == 201, role.text
    async with _logged_in(jobs_app, "ads", admin=False, roles=("ads-reader",)) as ads:
        seen = (await ads.get("/api/v1/jobs")).json()
        page = await ads.get("/api/v1/services/billing/jobs")
    assert seen == {"services": []}
    assert page.status_code == 404
