"""Changing one's own password and an admin's reset: the policy, the sessions that end,
and an audit record that never holds the password."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ADMIN_PASSWORD, ON_SQLITE_ONLY, add_user, login

pytestmark = ON_SQLITE_ONLY

OWN = "/api/v1/auth/me/password"
NEW_PASSWORD = "a much longer passphrase 42"


async def _client(app: FastAPI, username: str, password: str = ADMIN_PASSWORD) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    response = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
    return client


@pytest.fixture
async def carol(app: FastAPI) -> AsyncIterator[tuple[int, httpx.AsyncClient]]:
    user_id = await add_user(app, "carol", admin=False, roles=("Viewer",))
    client = await _client(app, "carol")
    yield user_id, client
    await client.aclose()


def _field_error(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    return error["field"], error["message"]


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-1", "use at least 12 characters"),
        ("carol-is-my-name", "must not contain the username"),
        ("password1234", "is one of the most common passwords: choose another one"),
    ],
)
async def test_a_weak_new_password_is_refused_with_the_reason(
    carol: tuple[int, httpx.AsyncClient], new_password: str, message: str
) -> None:
    _user_id, client = carol
    refused = await client.post(
        OWN, json={"current_password": ADMIN_PASSWORD, "new_password": new_password}
    )
    assert _field_error(refused) == ("new_password", message)


async def test_the_current_password_must_be_given(carol: tuple[int, httpx.AsyncClient]) -> None:
    _user_id, client = carol
    refused = await client.post(
        OWN, json={"current_password": "not it at all", "new_password": NEW_PASSWORD}
    )
    assert _field_error(refused) == ("current_password", "is not your current password")


async def test_changing_ones_password_ends_the_other_sessions_only(
    app: FastAPI, admin: httpx.AsyncClient, carol: tuple[int, httpx.AsyncClient]
) -> None:
    _user_id, client = carol
    elsewhere = await _client(app, "carol")
    changed = await client.post(
        OWN, json={"current_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 204, changed.text
    assert (await client.get("/api/v1/auth/me")).status_code == 200
    assert (await elsewhere.get("/api/v1/auth/me")).status_code == 401
    await elsewhere.aclose()

    old = await admin.post(
        "/api/v1/auth/login", json={"username": "carol", "password": ADMIN_PASSWORD}
    )
    assert old.status_code == 401
    await (await _client(app, "carol", NEW_PASSWORD)).aclose()
    records = (await admin.get("/api/v1/audit", params={"action": "user.password_change"})).json()
    [record] = records["items"]
    assert record["object_name"] == "carol" and record["actor_name"] == "carol"
    detail = await admin.get(f"/api/v1/audit/{record['id']}")
    assert NEW_PASSWORD not in detail.text and ADMIN_PASSWORD not in detail.text


async def test_an_admin_resets_a_password_and_the_users_sessions_end(
    app: FastAPI, admin: httpx.AsyncClient, carol: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = carol
    reset = await admin.post(f"/api/v1/users/{user_id}/password", json={"password": NEW_PASSWORD})
    assert reset.status_code == 204, reset.text
    assert (await client.get("/api/v1/auth/me")).status_code == 401
    await (await _client(app, "carol", NEW_PASSWORD)).aclose()
    weak = await admin.post(f"/api/v1/users/{user_id}/password", json={"password": "qwerty"})
    assert _field_error(weak)[0] == "password"
    actions = {r["action"] for r in (await admin.get("/api/v1/audit")).json()["items"]}
    assert "user.password_reset" in actions
    missing = await admin.post("/api/v1/users/999999/password", json={"password": NEW_PASSWORD})
    assert missing.status_code == 404


async def test_only_an_admin_resets_an_admins_password(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    """A user manager (access write, not an admin) could otherwise take over an admin."""
    roles = {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}
    manager_role = await admin.post(
        "/api/v1/roles",
        json={"name": "user-manager", "grants": [{"module": "access", "action": "write"}]},
    )
    assert manager_role.status_code == 201, manager_role.text
    await add_user(app, "manager", admin=False)
    me = (await admin.get("/api/v1/auth/me")).json()
    managers = (await admin.get("/api/v1/users", params={"q": "manager"})).json()["items"]
    patched = await admin.patch(
        f"/api/v1/users/{managers[0]['id']}",
        json={"roles": [manager_role.json()["id"], roles["Viewer"]]},
    )
    assert patched.status_code == 200, patched.text
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as manager:
        await login(manager, "manager")
        refused = await manager.post(
            f"/api/v1/users/{me['id']}/password", json={"password": NEW_PASSWORD}
        )
    assert refused.status_code == 403, refused.text
