"""Issue 8.1: stored secrets cannot be stolen through connection tests.

The review's attack: a user with only ``catalog:read`` on a service posted
``{"host": "127.0.0.2", "port": <listener>}`` to a saved datasource's test, and the
listener received the stored PostgreSQL password; the same worked for Redis AUTH and
the shared SMTP channel's login. Each test here aims the test (or a PATCH) at a credential
trap (``tests.support.traps``) and checks what reached it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ON_SQLITE_ONLY, add_user, login
from tests.support.traps import credential_trap

pytestmark = ON_SQLITE_ONLY

PG_PASSWORD = "pg-stored-secret-4711"
REDIS_PASSWORD = "redis-stored-secret-4712"
SMTP_PASSWORD = "smtp-stored-secret-4713"
ORDERS = "/api/v1/services/orders"


async def _role(admin: httpx.AsyncClient, name: str, action: str) -> None:
    actions = ("read", "write") if action == "write" else ("read",)
    grants = [
        {"module": "catalog", "action": a, "scope": "services", "targets": ["orders"]}
        for a in actions
    ]
    response = await admin.post("/api/v1/roles", json={"name": name, "grants": grants})
    assert response.status_code == 201, response.text


async def _client(app: FastAPI, username: str, role: str) -> httpx.AsyncClient:
    await add_user(app, username, admin=False, roles=(role,))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await login(client, username)
    return client


@pytest.fixture
async def people(
    app: FastAPI, admin: httpx.AsyncClient
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """A reader and a writer of the catalog of service ``orders`` only."""
    created = await admin.post("/api/v1/services", json={"name": "orders"})
    assert created.status_code == 201
    await _role(admin, "orders-reader", "read")
    await _role(admin, "orders-writer", "write")
    reader = await _client(app, "reader", "orders-reader")
    writer = await _client(app, "writer", "orders-writer")
    yield reader, writer
    await reader.aclose()
    await writer.aclose()


async def _create(client: httpx.AsyncClient, path: str, body: dict[str, object]) -> str:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return f"{path}/{response.json()['id']}"


async def test_a_reader_cannot_test_a_saved_datasource_at_all(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    reader, _writer = people
    item = await _create(
        admin,
        f"{ORDERS}/datasources",
        {"name": "pg", "url": f"postgresql://app:{PG_PASSWORD}@127.0.0.1:5432/postgres"},
    )
    async with credential_trap("postgresql") as trap:
        aimed = await reader.post(f"{item}/test", json={"host": trap.host, "port": trap.port})
        plain = await reader.post(f"{item}/test")
    assert aimed.status_code == 403, aimed.text
    assert aimed.headers["content-type"] == "application/problem+json"
    assert plain.status_code == 403
    assert not trap.received


async def test_a_test_aimed_elsewhere_sends_no_stored_password(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    _reader, writer = people
    item = await _create(
        admin,
        f"{ORDERS}/datasources",
        {"name": "pg", "url": f"postgresql://app:{PG_PASSWORD}@127.0.0.1:5432/postgres"},
    )
    async with credential_trap("postgresql") as trap:
        moved = await writer.post(f"{item}/test", json={"host": trap.host, "port": trap.port})
        assert moved.status_code == 200, moved.text
        assert moved.json()["ok"] is False
        assert not trap.saw(PG_PASSWORD)
        assert b"app" in trap.received  # the client did reach the trap: the check is real
        # A password entered again in the same request is the caller's to send.
        entered = await writer.post(
            f"{item}/test", json={"host": trap.host, "port": trap.port, "password": "typed-now"}
        )
        assert entered.status_code == 200
        assert trap.saw("typed-now")
    assert not trap.saw(PG_PASSWORD)


async def test_changing_the_address_drops_the_stored_password(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    _reader, writer = people
    item = await _create(
        admin,
        f"{ORDERS}/datasources",
        {"name": "pg", "url": f"postgresql://app:{PG_PASSWORD}@127.0.0.1:5432/postgres"},
    )
    renamed = await writer.patch(item, json={"description": "orders replica"})
    assert renamed.json()["password_set"] is True  # no address change: the secret stays
    moved = await writer.patch(item, json={"host": "127.0.0.2"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["password_set"] is False
    by_url = await _create(
        admin,
        f"{ORDERS}/datasources",
        {"name": "pg2", "url": f"postgresql://app:{PG_PASSWORD}@127.0.0.1:5432/postgres"},
    )
    # A URL without a password that points elsewhere does not carry the stored one along.
    patched = await writer.patch(by_url, json={"url": "postgresql://app@127.0.0.2:5432/postgres"})
    assert patched.json()["password_set"] is False
    kept = await writer.patch(by_url, json={"host": "127.0.0.1", "password": "entered-again"})
    assert kept.json()["password_set"] is True


async def test_redis_auth_never_follows_a_changed_address(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    reader, writer = people
    item = await _create(
        admin,
        f"{ORDERS}/redis",
        {"name": "cache", "url": f"redis://:{REDIS_PASSWORD}@127.0.0.1:6379/0"},
    )
    async with credential_trap("redis") as trap:
        refused = await reader.post(f"{item}/test", json={"host": trap.host, "port": trap.port})
        assert refused.status_code == 403
        moved = await writer.post(f"{item}/test", json={"host": trap.host, "port": trap.port})
        assert moved.status_code == 200
        assert moved.json()["ok"] is False
        downgraded = await writer.post(f"{item}/test", json={"tls_verify": False})
        assert downgraded.status_code == 200
    assert trap.received  # the client connected: the trap would have seen an AUTH
    assert not trap.saw(REDIS_PASSWORD)


async def test_the_shared_smtp_login_needs_write_everywhere_and_stays_home(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    reader, writer = people
    item = await _create(
        admin,
        "/api/v1/notification-channels",
        {
            "name": "mail",
            "type": "email",
            "host": "127.0.0.1",
            "port": 25,
            "security": "none",
            "username": "alerts",
            "password": SMTP_PASSWORD,
            "from_address": "alerts@example.com",
        },
    )
    async with credential_trap("smtp") as trap:
        aimed = {"type": "email", "host": trap.host, "port": trap.port}
        # Write on one service is not write on a channel every service shares.
        for client in (reader, writer):
            response = await client.post(f"{item}/test", json=aimed)
            assert response.status_code == 403, response.text
        moved = await admin.post(f"{item}/test", json=aimed)
        assert moved.status_code == 200, moved.text
        assert moved.json()["ok"] is False
    assert b"EHLO" in trap.received
    assert not trap.saw(SMTP_PASSWORD)


async def test_a_new_webhook_url_drops_the_stored_signing_secret(
    admin: httpx.AsyncClient, people: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    reader, _writer = people
    item = await _create(
        admin,
        "/api/v1/notification-channels",
        {
            "name": "hook",
            "type": "webhook",
            "url": "http://127.0.0.1:9/hook",
            "hmac_secret": "sign-with-me",
        },
    )
    # Readers cannot make a channel send anything.
    assert (await reader.post(f"{item}/test")).status_code == 403
    same = await admin.patch(item, json={"type": "webhook", "description": "ops"})
    assert same.json()["hmac_secret_set"] is True
    moved = await admin.patch(item, json={"type": "webhook", "url": "http://127.0.0.2:9/x"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["url_set"] is True
    assert moved.json()["hmac_secret_set"] is False
