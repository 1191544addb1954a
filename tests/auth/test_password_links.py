"""One-time set-password links: made by an admin (on creation or later), used once by
the user to choose a password under the policy, replaced by a newer link, dead once
expired; the token never appears in the audit log."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.auth.models import PasswordLink
from gyrfalcon.core.db import Database
from gyrfalcon.core.orm import utcnow
from tests.conftest import ON_SQLITE_ONLY, add_user, login

pytestmark = ON_SQLITE_ONLY

USERS = "/api/v1/users"
CHOSEN = "amber-orchard-twenty"


def _token(url: str) -> str:
    page, token = url.split("#")
    assert page.endswith("/set-password")
    return token


async def _log_in(client: httpx.AsyncClient, username: str, password: str) -> int:
    answer = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    return answer.status_code


async def test_a_new_user_chooses_a_password_with_the_link(
    admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    created = await admin.post(USERS, json={"username": "fay", "display_name": "Fay"})
    assert created.status_code == 201, created.text
    link = created.json()["password_link"]
    token = _token(link["url"])
    assert link["expires_at"]

    owner = await anonymous.post("/api/v1/auth/password-link/check", json={"token": token})
    assert owner.status_code == 200
    assert (owner.json()["username"], owner.json()["display_name"]) == ("fay", "Fay")

    weak = await anonymous.post(
        "/api/v1/auth/password-link", json={"token": token, "password": "fay"}
    )
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "password"
    used = await anonymous.post(
        "/api/v1/auth/password-link", json={"token": token, "password": CHOSEN}
    )
    assert used.status_code == 204, used.text
    assert await _log_in(anonymous, "fay", CHOSEN) == 200

    again = await anonymous.post(
        "/api/v1/auth/password-link", json={"token": token, "password": "another-long-one-9"}
    )
    assert again.status_code == 404 and "Ask an admin for a new link" in again.json()["detail"]

    records = (await admin.get("/api/v1/audit", params={"object_type": "user"})).json()["items"]
    assert {"user.password_link", "user.password_set"} <= {r["action"] for r in records}
    set_record = next(r for r in records if r["action"] == "user.password_set")
    assert set_record["actor_name"] == "fay"
    for record in records:
        assert token not in (await admin.get(f"/api/v1/audit/{record['id']}")).text


async def test_a_user_without_a_password_cannot_log_in(
    admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    assert (await admin.post(USERS, json={"username": "gus"})).status_code == 201
    assert await _log_in(anonymous, "gus", "") == 422
    assert await _log_in(anonymous, "gus", "anything-at-all") == 401


async def test_a_new_link_replaces_the_old_and_links_expire(
    app: FastAPI, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    user_id = (await admin.post(USERS, json={"username": "hal"})).json()["id"]
    first = _token((await admin.post(f"{USERS}/{user_id}/password-link")).json()["url"])
    second = _token((await admin.post(f"{USERS}/{user_id}/password-link")).json()["url"])
    check = "/api/v1/auth/password-link/check"
    assert (await anonymous.post(check, json={"token": first})).status_code == 404
    assert (await anonymous.post(check, json={"token": second})).status_code == 200

    database: Database = app.state.database
    async with database.engine.begin() as conn:
        await conn.execute(update(PasswordLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await anonymous.post(check, json={"token": second})).status_code == 404


async def test_only_admins_make_links_for_admins(
    app: FastAPI, admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    other_admin = await add_user(app, "ivy", admin=True)
    role = await admin.post(
        "/api/v1/roles",
        json={"name": "user manager", "grants": [{"module": "access", "action": "write"}]},
    )
    assert role.status_code == 201, role.text
    await add_user(app, "max", admin=False, roles=("user manager",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as manager:
        await login(manager, "max")
        refused = await manager.post(f"{USERS}/{other_admin}/password-link")
        assert refused.status_code == 403
        plain = await manager.post(USERS, json={"username": "joy"})
        assert plain.status_code == 201 and plain.json()["password_link"]
    bogus = await anonymous.post("/api/v1/auth/password-link/check", json={"token": "x" * 43})
    assert bogus.status_code == 404
