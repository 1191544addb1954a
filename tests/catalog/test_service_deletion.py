"""Deleting a service: the confirmation lists everything that goes with it, with counts;
each removed object gets its own audit record; and deleting a service is no way round
a missing write permission on its monitors."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.conftest import add_user, login
from tests.monitors.bodies import MONITORS, unpaid_monitor

SHOP = "/api/v1/services/shop"


async def _with_everything(admin: httpx.AsyncClient) -> int:
    redis = await admin.post(f"{SHOP}/redis", json={"name": "cache", "host": "127.0.0.1"})
    assert redis.status_code == 201, redis.text
    monitor = await admin.post(MONITORS, json=unpaid_monitor())
    assert monitor.status_code == 201, monitor.text
    for _ in range(2):
        assert (await admin.post(f"{MONITORS}/{monitor.json()['id']}/run")).status_code == 200
    return int(monitor.json()["id"])


async def test_the_confirmation_lists_what_goes_and_each_removal_is_audited(
    admin: httpx.AsyncClient, shop: str
) -> None:
    monitor_id = await _with_everything(admin)
    deletion = (await admin.get(f"{SHOP}/deletion")).json()
    assert deletion["service"] == "shop"
    groups = {group["kind"]: group for group in deletion["groups"]}
    assert list(groups) == ["monitors", "datasources", "redis"]
    assert groups["monitors"]["count"] == 1 and groups["monitors"]["names"] == ["unpaid-orders"]
    assert "stored runs" in groups["monitors"]["detail"]
    assert groups["datasources"]["names"] == ["main"]
    assert groups["redis"]["label"] == "redis instances"

    assert (await admin.delete(SHOP)).status_code == 204
    assert (await admin.get(f"{MONITORS}/{monitor_id}")).status_code == 404
    records = (await admin.get("/api/v1/audit", params={"service": "shop"})).json()["items"]
    actions = [record["action"] for record in records]
    assert actions[:4] == [
        "service.delete",
        "redis_instance.delete",
        "datasource.delete",
        "monitor.delete",
    ]
    service_record = (await admin.get(f"/api/v1/audit/{records[0]['id']}")).json()
    assert service_record["before"]["deleted_with_it"] == {
        "monitors": 1,
        "datasources": 1,
        "redis instances": 1,
    }


async def test_deleting_a_service_needs_write_on_what_goes_with_it(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    await _with_everything(admin)
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "catalog keeper",
            "grants": [
                {"module": "catalog", "action": "write"},
                {"module": "catalog", "action": "read"},
            ],
        },
    )
    assert role.status_code == 201, role.text
    await add_user(app, "kim", admin=False, roles=("catalog keeper",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as kim:
        await login(kim, "kim")
        refused = await kim.delete(SHOP)
        assert refused.status_code == 403
        assert refused.json()["detail"] == (
            "Deleting 'shop' also deletes its monitors (1): that takes the monitors write "
            "permission for 'shop'; ask an admin."
        )
        assert (await admin.get(SHOP)).status_code == 200

        assert (await admin.post("/api/v1/services", json={"name": "bare"})).status_code == 201
        assert (await kim.delete("/api/v1/services/bare")).status_code == 204


async def test_the_confirmation_of_an_unknown_service_is_404(admin: httpx.AsyncClient) -> None:
    assert (await admin.get("/api/v1/services/nope/deletion")).status_code == 404
