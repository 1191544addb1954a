"""The home page's tiles and checklist, contributed by the modules, each within the
caller's read scope of its module, and the sidebar badges."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.core.db import Database
from gyrfalcon.monitors.models import Monitor
from tests.conftest import ON_SQLITE_ONLY, add_user, login
from tests.monitors.bodies import MONITORS, unpaid_monitor

pytestmark = ON_SQLITE_ONLY

HOME = "/api/v1/home"


def _tiles(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {tile["key"]: tile for tile in body["tiles"]}  # type: ignore[attr-defined, index]


async def test_an_empty_install_shows_the_checklist_and_quiet_tiles(
    admin: httpx.AsyncClient,
) -> None:
    body = (await admin.get(HOME)).json()
    assert [step["key"] for step in body["checklist"]] == [
        "catalog.service",
        "catalog.connection",
        "monitors.first",
        "notify.channel",
        "access.user",
    ]
    assert not any(step["done"] for step in body["checklist"])
    tiles = _tiles(body)
    assert list(tiles) == [
        "monitors.attention",
        "catalog.attention",
        "jobs.failures",
        "messages.trouble",
        "cache.unreachable",
        "debug.failing",
        "audit.recent",
    ]
    assert tiles["jobs.failures"]["total"] == 0
    assert tiles["cache.unreachable"]["total"] == 0
    assert tiles["debug.failing"]["total"] == 0
    assert tiles["messages.trouble"]["total"] == 0
    assert tiles["monitors.attention"]["total"] == 0
    assert tiles["monitors.attention"]["empty"]
    assert (await admin.get(f"{HOME}/badges")).json() == []


async def test_the_checklist_ticks_itself_off(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    datasource = (await admin.get(f"/api/v1/services/{shop}/datasources")).json()["items"][0]
    tested = await admin.post(f"/api/v1/services/{shop}/datasources/{datasource['id']}/test")
    assert tested.json()["ok"] is True
    done = {step["key"]: step["done"] for step in (await admin.get(HOME)).json()["checklist"]}
    assert done == {
        "catalog.service": True,
        "catalog.connection": True,
        "monitors.first": False,
        "notify.channel": False,
        "access.user": False,
    }
    assert (await admin.post(MONITORS, json=unpaid_monitor())).status_code == 201
    channel = await admin.post(
        "/api/v1/notification-channels",
        json={"name": "ops", "type": "webhook", "url": "http://127.0.0.1:9/hook"},
    )
    assert channel.status_code == 201
    await add_user(app, "second", admin=False)
    assert (await admin.get(HOME)).json()["checklist"] == []


async def test_alerting_monitors_lead_the_home_page_and_badge_the_sidebar(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    for name, severity in (("minor", "info"), ("major", "critical"), ("broken", "warning")):
        created = await admin.post(MONITORS, json=unpaid_monitor(name=name, severity=severity))
        assert created.status_code == 201, created.text
    database: Database = app.state.database
    async with database.engine.begin() as conn:
        await conn.execute(update(Monitor).values(state="ALERTING"))
        await conn.execute(
            update(Monitor)
            .where(Monitor.name == "broken")
            .values(state="ERROR", last_error="connection refused")
        )

    tiles = _tiles((await admin.get(HOME)).json())
    monitors = tiles["monitors.attention"]
    assert monitors["total"] == 3
    items = monitors["items"]
    assert [item["title"] for item in items] == ["major", "minor", "broken"]
    assert [item["severity"] for item in items] == ["critical", "info", "error"]
    assert items[2]["detail"] == "Cannot run: connection refused"
    assert all(item["service"] == "shop" and item["since"] for item in items)
    services = tiles["catalog.attention"]
    assert services["total"] == 1
    assert services["items"][0]["severity"] == "critical"
    assert "2 monitors alerting" in services["items"][0]["detail"]
    recent = tiles["audit.recent"]["items"]
    assert recent[0]["detail"].startswith("monitor.create by root-admin")
    assert (await admin.get(f"{HOME}/badges")).json() == [{"module": "monitors", "count": 3}]


async def test_tiles_stay_within_the_callers_scope(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    assert (await admin.post(MONITORS, json=unpaid_monitor())).status_code == 201
    other = await admin.post("/api/v1/services", json={"name": "billing"})
    assert other.status_code == 201
    database: Database = app.state.database
    async with database.engine.begin() as conn:
        await conn.execute(update(Monitor).values(state="ALERTING"))
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "billing reader",
            "grants": [
                {
                    "module": "monitors",
                    "action": "read",
                    "scope": "services",
                    "targets": ["billing"],
                },
                {
                    "module": "catalog",
                    "action": "read",
                    "scope": "services",
                    "targets": ["billing"],
                },
            ],
        },
    )
    assert role.status_code == 201, role.text
    await add_user(app, "bea", admin=False, roles=("billing reader",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as bea:
        await login(bea, "bea")
        body = (await bea.get(HOME)).json()
        tiles = _tiles(body)
        assert list(tiles) == ["monitors.attention", "catalog.attention"]  # no audit read
        assert tiles["monitors.attention"]["total"] == 0
        assert tiles["catalog.attention"]["total"] == 0
        assert body["checklist"] == []  # nothing she could do
        assert (await bea.get(f"{HOME}/badges")).json() == []


async def test_home_needs_a_login(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get(HOME)).status_code == 401
    assert (await anonymous.get(f"{HOME}/badges")).status_code == 401
