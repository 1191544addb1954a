"""Connections under services and the global ones: CRUD, write-only secrets encrypted at
rest, merged PATCH validation, and test-connection against real servers."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text

from gyrfalcon.app import create_app
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings

PG_URL = "postgresql://postgres:s3cret-pw@127.0.0.1:5432/postgres"


@pytest.fixture
async def orders(admin: httpx.AsyncClient) -> str:
    response = await admin.post(
        "/api/v1/services", json={"name": "orders", "base_url": "http://127.0.0.1:9"}
    )
    assert response.status_code == 201
    return "/api/v1/services/orders"


async def test_datasource_from_url_keeps_password_write_only_and_encrypted(
    app: FastAPI, admin: httpx.AsyncClient, orders: str
) -> None:
    created = await admin.post(f"{orders}/datasources", json={"name": "main", "url": PG_URL})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["password_set"] is True
    assert "s3cret-pw" not in created.text
    assert body["url"] == "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    assert (body["dialect"], body["host"], body["port"]) == ("postgresql", "127.0.0.1", 5432)

    database: Database = app.state.database
    async with database.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT config, secrets FROM datasources"))).one()
    assert "s3cret-pw" not in json.dumps(stored[0]) and "s3cret-pw" not in stored[1]

    listed = await admin.get(f"{orders}/datasources")
    assert listed.json()["total"] == 1 and "s3cret-pw" not in listed.text


async def test_patch_keeps_secret_unless_cleared_and_revalidates(
    admin: httpx.AsyncClient, orders: str
) -> None:
    created = (
        await admin.post(f"{orders}/datasources", json={"name": "main", "url": PG_URL})
    ).json()
    item = f"{orders}/datasources/{created['id']}"

    described = await admin.patch(item, json={"description": "primary"})
    assert described.status_code == 200 and described.json()["password_set"] is True
    # A new address drops the stored password unless the same change enters it again.
    moved = await admin.patch(item, json={"port": 6543, "password": "s3cret-pw"})
    assert moved.status_code == 200 and moved.json()["password_set"] is True
    assert moved.json()["port"] == 6543

    invalid = await admin.patch(item, json={"dialect": "oracle-nonsense"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "dialect"
    assert (await admin.get(item)).json()["dialect"] == "postgresql"

    cleared = await admin.patch(item, json={"password": None})
    assert cleared.json()["password_set"] is False


async def test_connection_names_are_unique_per_service(
    admin: httpx.AsyncClient, orders: str
) -> None:
    body = {"name": "cache", "url": "redis://127.0.0.1:6379/0"}
    assert (await admin.post(f"{orders}/redis", json=body)).status_code == 201
    assert (await admin.post(f"{orders}/redis", json=body)).status_code == 409
    await admin.post("/api/v1/services", json={"name": "billing"})
    other = await admin.post("/api/v1/services/billing/redis", json=body)
    assert other.status_code == 201


async def test_unknown_service_and_foreign_connection_are_404(
    admin: httpx.AsyncClient, orders: str
) -> None:
    created = (
        await admin.post(f"{orders}/redis", json={"name": "c", "url": "redis://127.0.0.1:6379"})
    ).json()
    await admin.post("/api/v1/services", json={"name": "billing"})
    assert (await admin.get(f"/api/v1/services/billing/redis/{created['id']}")).status_code == 404
    assert (await admin.get("/api/v1/services/nope/redis")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "dialect": "nosuchdb", "host": "h"}, "dialect"),
        ({"name": "x", "url": "::not a url::"}, "url"),
        ({"name": "x", "dialect": "postgresql"}, "host"),
        ({"name": "x", "dialect": "postgresql", "host": "h", "port": 70000}, "port"),
    ],
)
async def test_bad_datasource_definitions_are_422_naming_the_field(
    admin: httpx.AsyncClient, orders: str, body: dict[str, object], field: str
) -> None:
    response = await admin.post(f"{orders}/datasources", json=body)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


async def test_test_connection_of_saved_and_unsaved_datasources(
    admin: httpx.AsyncClient, orders: str
) -> None:
    good = {"name": "pg", "url": "postgresql://postgres@127.0.0.1:5432/postgres"}
    unsaved = await admin.post(f"{orders}/datasources/test", json=good)
    assert unsaved.status_code == 200 and unsaved.json()["ok"] is True
    assert unsaved.json()["latency_ms"] > 0

    down = {"name": "down", "url": "postgresql://postgres@127.0.0.1:1/postgres"}
    created = (await admin.post(f"{orders}/datasources", json=down)).json()
    result = (await admin.post(f"{orders}/datasources/{created['id']}/test")).json()
    assert result["ok"] is False and "refused" in result["message"].lower()


async def test_kafka_cluster_and_channels_are_global(admin: httpx.AsyncClient) -> None:
    kafka = await admin.post(
        "/api/v1/kafka-clusters",
        json={"name": "main", "bootstrap_servers": ["127.0.0.1:9092"]},
    )
    assert kafka.status_code == 201 and kafka.json()["service"] is None
    bad = await admin.post(
        "/api/v1/kafka-clusters", json={"name": "x", "bootstrap_servers": ["no-port"]}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "bootstrap_servers"

    slack = await admin.post(
        "/api/v1/notification-channels",
        json={"name": "ops", "type": "slack", "webhook_url": "https://hooks.example.com/T/B/x"},
    )
    assert slack.status_code == 201, slack.text
    assert slack.json()["webhook_url_set"] is True and "hooks.example" not in slack.text
    email = await admin.post(
        "/api/v1/notification-channels",
        json={
            "name": "mail",
            "type": "email",
            "host": "smtp.example.com",
            "from_address": "gyrfalcon@example.com",
            "password": "pw",
        },
    )
    assert email.status_code == 201 and email.json()["password_set"] is True
    moved = await admin.patch(
        f"/api/v1/notification-channels/{email.json()['id']}", json={"port": 2525}
    )
    assert moved.json()["port"] == 2525 and moved.json()["password_set"] is False


async def test_deleting_a_service_removes_its_connections(
    admin: httpx.AsyncClient, orders: str
) -> None:
    await admin.post(f"{orders}/redis", json={"name": "c", "url": "redis://127.0.0.1:6379"})
    await admin.post(f"{orders}/debug-endpoints", json={"name": "chain", "path": "/debug/chain"})
    assert (await admin.get(orders)).json()["connections"]["debug_endpoints"] == 1
    assert (await admin.delete(orders)).status_code == 204
    await admin.post("/api/v1/services", json={"name": "orders"})
    assert (await admin.get(f"{orders}/redis")).json()["total"] == 0


async def test_debug_endpoint_parameters_must_be_a_json_schema(
    admin: httpx.AsyncClient, orders: str
) -> None:
    response = await admin.post(
        f"{orders}/debug-endpoints",
        json={"name": "chain", "path": "/debug", "parameters": {"type": "not-a-type"}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parameters"


async def test_saved_connection_can_be_tested_with_unsaved_changes(
    admin: httpx.AsyncClient, orders: str
) -> None:
    down = {"name": "pg", "url": "postgresql://postgres:pw@127.0.0.1:1/postgres"}
    created = (await admin.post(f"{orders}/datasources", json=down)).json()
    item = f"{orders}/datasources/{created['id']}"
    fixed = await admin.post(f"{item}/test", json={"port": 5432})
    assert fixed.json()["ok"] is True, fixed.text
    # The change was only tried, not saved.
    assert (await admin.get(item)).json()["port"] == 1


async def test_patch_of_any_channel_type_accepts_its_own_type(admin: httpx.AsyncClient) -> None:
    slack = (
        await admin.post(
            "/api/v1/notification-channels",
            json={"name": "ops", "type": "slack", "webhook_url": "https://hooks.example.com/a"},
        )
    ).json()
    patched = await admin.patch(
        f"/api/v1/notification-channels/{slack['id']}",
        json={"type": "slack", "description": "on-call"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["description"] == "on-call"
    assert patched.json()["webhook_url_set"] is True


async def test_secrets_written_under_another_key_are_reported_and_can_be_reentered(
    migrated: Settings, admin: httpx.AsyncClient, orders: str
) -> None:
    created = (
        await admin.post(f"{orders}/datasources", json={"name": "main", "url": PG_URL})
    ).json()
    rotated = migrated.model_copy(update={"secret_key": SecretStr("a-different-secret-key-42")})
    app = create_app(rotated, run_services=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.cookies = admin.cookies
        client.headers["X-CSRF-Token"] = admin.headers["X-CSRF-Token"]
        item = f"{orders}/datasources/{created['id']}"
        listed = await client.get(item)
        assert listed.status_code == 200 and listed.json()["password_set"] is False
        # The connection cannot be used until they are entered again: a failed test.
        tested = await client.post(f"{item}/test")
        assert tested.status_code == 200 and tested.json()["ok"] is False
        assert "GYRFALCON_SECRET_KEY changed" in tested.json()["message"]
        assert (await client.get(item)).json()["last_test"]["ok"] is False
        reentered = await client.patch(item, json={"password": "new-password"})
        assert reentered.status_code == 200 and reentered.json()["password_set"] is True
    await app.state.database.dispose()
