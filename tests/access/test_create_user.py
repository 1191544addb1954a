"""Admins (and user managers) create local users in the API: the password policy, the
roles given, and the rules on who may make an admin or give a role."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.conftest import add_user, login

USERS = "/api/v1/users"
PASSWORD = "saffron-window-eleven"


def _new(**fields: object) -> dict[str, object]:
    return {"username": "erin", "display_name": "Erin", "password": PASSWORD, **fields}


async def test_an_admin_creates_a_user_who_can_log_in(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    roles = {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}
    created = await admin.post(USERS, json=_new(email="erin@example.com", roles=[roles["Viewer"]]))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["username"], body["source"], body["is_admin"]) == ("erin", "local", False)
    assert [role["name"] for role in body["roles"]] == ["Viewer"]
    assert PASSWORD not in created.text

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as erin:
        answer = await erin.post(
            "/api/v1/auth/login", json={"username": "erin", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
    [record] = (await admin.get("/api/v1/audit", params={"action": "user.create"})).json()["items"]
    detail = (await admin.get(f"/api/v1/audit/{record['id']}")).text
    assert record["object_name"] == "erin" and PASSWORD not in detail


async def test_bad_new_users_are_refused_naming_the_field(admin: httpx.AsyncClient) -> None:
    weak = await admin.post(USERS, json=_new(password="erin-is-here-now"))
    assert weak.status_code == 422
    assert weak.json()["errors"] == [
        {"field": "password", "message": "must not contain the username"}
    ]
    spaced = await admin.post(USERS, json=_new(username="erin smith"))
    assert spaced.status_code == 422
    assert "username" in {error["field"] for error in spaced.json()["errors"]}
    unknown_role = await admin.post(USERS, json=_new(roles=[999_999]))
    assert unknown_role.status_code == 422
    assert unknown_role.json()["errors"][0]["field"] == "roles"
    assert (await admin.post(USERS, json=_new())).status_code == 201
    duplicate = await admin.post(USERS, json=_new())
    assert duplicate.status_code == 409 and "already exists" in duplicate.json()["detail"]


async def test_a_user_manager_may_not_make_admins_nor_give_what_they_lack(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    manager_role = await admin.post(
        "/api/v1/roles",
        json={"name": "user-manager", "grants": [{"module": "access", "action": "write"}]},
    )
    assert manager_role.status_code == 201, manager_role.text
    roles = {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}
    await add_user(app, "manager", admin=False, roles=("user-manager",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as manager:
        await login(manager, "manager")
        admin_refused = await manager.post(USERS, json=_new(is_admin=True))
        assert admin_refused.status_code == 403, admin_refused.text
        role_refused = await manager.post(USERS, json=_new(roles=[roles["Admin"]]))
        assert role_refused.status_code == 403, role_refused.text
        plain = await manager.post(USERS, json=_new(roles=[roles["user-manager"]]))
        assert plain.status_code == 201, plain.text
    users = (await admin.get(USERS, params={"q": "erin"})).json()["items"]
    assert [user["username"] for user in users] == ["erin"]
