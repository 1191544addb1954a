"""Service health: each connection keeps its last test, scheduled rounds test every saved
connection, and a service shows failing tests and what other modules signal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.catalog.scheduled_tests import ScheduledTests
from gyrfalcon.core.db import Database
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.monitors.models import Monitor
from tests.conftest import add_user, login
from tests.monitors.bodies import MONITORS, unpaid_monitor

SERVICES = "/api/v1/services"


@pytest.fixture
async def broken_redis(admin: httpx.AsyncClient, shop: str, refused_port: int) -> str:
    created = await admin.post(
        f"{SERVICES}/{shop}/redis",
        json={"name": "cache", "host": "127.0.0.1", "port": refused_port},
    )
    assert created.status_code == 201, created.text
    return f"{SERVICES}/{shop}/redis/{created.json()['id']}"


async def _health(client: httpx.AsyncClient, service: str = "shop") -> dict[str, object]:
    health: dict[str, object] = (await client.get(f"{SERVICES}/{service}")).json()["health"]
    return health


async def test_a_saved_test_is_kept_and_shows_in_the_service_health(
    admin: httpx.AsyncClient, broken_redis: str
) -> None:
    assert (await _health(admin))["state"] == "untested"
    assert (await admin.get(broken_redis)).json()["last_test"] is None

    failed = (await admin.post(f"{broken_redis}/test")).json()
    assert failed["ok"] is False

    last = (await admin.get(broken_redis)).json()["last_test"]
    assert last["ok"] is False and last["message"] == failed["message"]
    health = await _health(admin)
    assert health["state"] == "failing"
    assert health["failing"] == [
        {
            "kind": "redis",
            "id": int(broken_redis.rsplit("/", 1)[1]),
            "name": "cache",
            "message": failed["message"],
        }
    ]
    listed = (await admin.get(SERVICES, params={"attention": "true"})).json()
    assert [item["name"] for item in listed["items"]] == ["shop"]

    # The fix, tried before it is saved, is not the saved connection's health.
    tried = await admin.post(f"{broken_redis}/test", json={"port": 6379})
    assert tried.json()["ok"] is True
    assert (await _health(admin))["state"] == "failing"

    assert (await admin.patch(broken_redis, json={"port": 6379})).status_code == 200
    assert (await admin.post(f"{broken_redis}/test")).json()["ok"] is True
    datasource = (await admin.get(f"{SERVICES}/shop/datasources")).json()["items"][0]
    assert (await admin.post(f"{SERVICES}/shop/datasources/{datasource['id']}/test")).json()["ok"]
    health = await _health(admin)
    assert health["state"] == "ok" and health["passing"] == 2 and health["failing"] == []
    assert (await admin.get(SERVICES, params={"attention": "true"})).json()["items"] == []


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_scheduled_rounds_test_what_is_due_and_skip_channels(
    app: FastAPI, admin: httpx.AsyncClient, broken_redis: str
) -> None:
    channel = await admin.post(
        "/api/v1/notification-channels",
        json={"name": "ops", "type": "webhook", "url": "http://127.0.0.1:9/hook"},
    )
    assert channel.status_code == 201, channel.text
    context: AppContext = app.state.context
    clock = _Clock()
    rounds = ScheduledTests(context, clock=clock)

    assert await rounds.run_round() == 2  # the shop's datasource and its Redis
    assert (await _health(admin))["state"] == "failing"
    assert (
        (await admin.get(broken_redis))
        .json()["last_test"]["tested_at"]
        .startswith("2026-12-02T08:00")
    )
    assert (await admin.get(f"/api/v1/notification-channels/{channel.json()['id']}")).json()[
        "last_test"
    ] is None

    clock.now += timedelta(seconds=60)
    assert await rounds.run_round() == 0  # nothing is due before the interval has passed
    clock.now += timedelta(seconds=300)
    assert await rounds.run_round() == 2


async def test_a_round_claims_each_connection_once(app: FastAPI, broken_redis: str) -> None:
    """Two workers racing over the same due connections test each one only once."""
    context: AppContext = app.state.context
    clock = _Clock()
    first, second = ScheduledTests(context, clock=clock), ScheduledTests(context, clock=clock)
    kind = next(kind for kind in first.kinds() if kind.path == "redis")
    due = await first._due(kind)
    assert due and await second._due(kind) == due
    won = [await first._test(kind, key) for key in due]
    lost = [await second._test(kind, key) for key in due]
    assert all(won) and not any(lost)


async def test_monitor_signals_show_only_to_who_may_read_monitors(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    created = await admin.post(MONITORS, json=unpaid_monitor())
    assert created.status_code == 201, created.text
    database: Database = app.state.database
    async with database.engine.begin() as conn:
        await conn.execute(update(Monitor).values(state="ALERTING"))

    signals = (await admin.get(f"{SERVICES}/{shop}")).json()["signals"]
    assert signals == [
        {
            "module": "monitors",
            "severity": "critical",
            "text": "1 monitor alerting",
            "link": "/monitors?service=shop&state=ALERTING",
        }
    ]
    listed = (await admin.get(SERVICES, params={"attention": "true"})).json()
    assert [item["name"] for item in listed["items"]] == ["shop"]

    role = await admin.post(
        "/api/v1/roles",
        json={"name": "catalog only", "grants": [{"module": "catalog", "action": "read"}]},
    )
    assert role.status_code == 201, role.text
    await add_user(app, "cora", admin=False, roles=("catalog only",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as cora:
        await login(cora, "cora")
        assert (await cora.get(f"{SERVICES}/{shop}")).json()["signals"] == []
        assert (await cora.get(SERVICES, params={"attention": "true"})).json()["items"] == []
