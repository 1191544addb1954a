"""Issue 8.4: a user manager cannot grant what they do not hold.

The review's attack: a user whose only grant was ``access:write`` sent
``PATCH /users/{own id} {"is_admin": true}`` and then read every service; they could
also create a ``*:*`` role and give it to themselves. Each test performs one path of
that attack (user update, role create and update, team roles and members, directory
group mappings) and checks the 403 and that nothing changed; the last ones show that a
manager can still hand on what they do hold.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ON_SQLITE_ONLY, add_user, login

pytestmark = ON_SQLITE_ONLY


@dataclass
class Manager:
    client: httpx.AsyncClient
    user_id: int
    role_id: int


def _grant(module: str, action: str, scope: str = "all", *targets: str) -> dict[str, object]:
    return {"module": module, "action": action, "scope": scope, "targets": list(targets)}


async def _role(admin: httpx.AsyncClient, name: str, *grants: dict[str, object]) -> int:
    response = await admin.post("/api/v1/roles", json={"name": name, "grants": list(grants)})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _role_ids(admin: httpx.AsyncClient) -> dict[str, int]:
    return {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}


@pytest.fixture
async def manager(app: FastAPI, admin: httpx.AsyncClient) -> AsyncIterator[Manager]:
    """Holds access:write everywhere and catalog:write on team 'commerce' only."""
    for name, team in (("orders", "commerce"), ("billing", "payments")):
        created = await admin.post("/api/v1/services", json={"name": name, "team": team})
        assert created.status_code == 201
    role_id = await _role(
        admin,
        "user-managers",
        _grant("access", "write"),
        _grant("catalog", "write", "teams", "commerce"),
    )
    user_id = await add_user(app, "manager", admin=False, roles=("user-managers",))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await login(client, "manager")
    yield Manager(client, user_id, role_id)
    await client.aclose()


def _refused(response: httpx.Response, *words: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    for word in words:
        assert word in response.json()["detail"], response.json()["detail"]


async def test_a_manager_cannot_make_anyone_an_admin(
    admin: httpx.AsyncClient, manager: Manager
) -> None:
    _refused(
        await manager.client.patch(f"/api/v1/users/{manager.user_id}", json={"is_admin": True}),
        "Only an admin",
    )
    me = (await admin.get(f"/api/v1/users/{manager.user_id}")).json()
    assert me["is_admin"] is False
    assert (await manager.client.get("/api/v1/services/billing")).status_code == 404


async def test_a_manager_cannot_create_a_role_wider_than_their_own(
    admin: httpx.AsyncClient, manager: Manager
) -> None:
    before = await _role_ids(admin)
    for grants in (
        [_grant("*", "*")],
        [_grant("catalog", "*")],
        [_grant("catalog", "write")],
        [_grant("catalog", "read", "services", "billing")],
        [_grant("catalog", "read", "teams", "payments")],
        [_grant("monitors", "read", "services", "orders")],
    ):
        response = await manager.client.post(
            "/api/v1/roles", json={"name": "wide", "grants": grants}
        )
        _refused(response, "which you do not hold yourself")
    assert await _role_ids(admin) == before


async def test_a_manager_cannot_widen_a_role_they_hold(
    admin: httpx.AsyncClient, manager: Manager
) -> None:
    response = await manager.client.patch(
        f"/api/v1/roles/{manager.role_id}",
        json={"grants": [_grant("access", "write"), _grant("*", "*")]},
    )
    _refused(response, "*:*")
    role = (await admin.get("/api/v1/roles")).json()["items"]
    grants = next(r["grants"] for r in role if r["id"] == manager.role_id)
    assert {(g["module"], g["action"]) for g in grants} == {
        ("access", "write"),
        ("catalog", "write"),
    }


async def test_a_manager_cannot_take_the_admin_role_or_a_wider_one(
    admin: httpx.AsyncClient, manager: Manager
) -> None:
    roles = await _role_ids(admin)
    wide = await _role(admin, "billing-writers", _grant("catalog", "write", "teams", "payments"))
    for role_id in (roles["Admin"], roles["Viewer"], wide):
        response = await manager.client.patch(
            f"/api/v1/users/{manager.user_id}", json={"roles": [manager.role_id, role_id]}
        )
        _refused(response, "You cannot give role")
    held = (await admin.get(f"/api/v1/users/{manager.user_id}")).json()["roles"]
    assert [role["name"] for role in held] == ["user-managers"]


async def test_a_manager_cannot_reach_wider_roles_through_a_team(
    app: FastAPI, admin: httpx.AsyncClient, manager: Manager
) -> None:
    roles = await _role_ids(admin)
    created = await manager.client.post(
        "/api/v1/teams",
        json={"name": "escape", "members": ["manager"], "roles": [roles["Admin"]]},
    )
    _refused(created, "Admin")
    # A team the admin gave the Admin role: joining it would hand that role on.
    team = await admin.post("/api/v1/teams", json={"name": "ops", "roles": [roles["Admin"]]})
    assert team.status_code == 201, team.text
    _refused(await manager.client.patch("/api/v1/teams/ops", json={"members": ["manager"]}))
    # A team the manager runs: giving it a wider role reaches every member.
    mine = await manager.client.post("/api/v1/teams", json={"name": "mine", "members": ["manager"]})
    assert mine.status_code == 201, mine.text
    _refused(await manager.client.patch("/api/v1/teams/mine", json={"roles": [roles["Viewer"]]}))
    teams = {t["name"]: t for t in (await admin.get("/api/v1/teams")).json()["items"]}
    assert "escape" not in teams
    assert teams["ops"]["members"] == []
    assert teams["mine"]["roles"] == []


async def test_a_manager_cannot_map_a_directory_group_to_a_wider_role(
    admin: httpx.AsyncClient, manager: Manager
) -> None:
    roles = await _role_ids(admin)
    response = await manager.client.post(
        "/api/v1/directory-group-mappings", json={"group": "everyone", "role_id": roles["Admin"]}
    )
    _refused(response, "directory group 'everyone'")
    assert (await admin.get("/api/v1/directory-group-mappings")).json()["items"] == []


async def test_a_manager_cannot_disable_or_change_an_admin(
    app: FastAPI, admin: httpx.AsyncClient, manager: Manager
) -> None:
    admin_id = await add_user(app, "second-admin", admin=True)
    for change in ({"is_active": False}, {"roles": []}, {"display_name": "x"}):
        _refused(
            await manager.client.patch(f"/api/v1/users/{admin_id}", json=change),
            "Only an admin may change an admin's account",
        )
    assert (await admin.get(f"/api/v1/users/{admin_id}")).json()["is_active"] is True


async def test_a_manager_hands_on_what_they_hold(
    app: FastAPI, admin: httpx.AsyncClient, manager: Manager
) -> None:
    colleague = await add_user(app, "colleague", admin=False)
    # catalog:write on team commerce covers read on its service orders and on the team.
    narrower = await manager.client.post(
        "/api/v1/roles",
        json={
            "name": "orders-readers",
            "grants": [
                _grant("catalog", "read", "services", "orders"),
                _grant("catalog", "write", "teams", "commerce"),
            ],
        },
    )
    assert narrower.status_code == 201, narrower.text
    given = await manager.client.patch(
        f"/api/v1/users/{colleague}", json={"roles": [narrower.json()["id"]]}
    )
    assert given.status_code == 200, given.text
    team = await manager.client.post(
        "/api/v1/teams",
        json={"name": "commerce-eng", "members": ["colleague"], "roles": [narrower.json()["id"]]},
    )
    assert team.status_code == 201, team.text
    mapping = await manager.client.post(
        "/api/v1/directory-group-mappings",
        json={"group": "commerce", "role_id": narrower.json()["id"]},
    )
    assert mapping.status_code == 201, mapping.text
    # Taking away is always possible.
    removed = await manager.client.patch(f"/api/v1/users/{colleague}", json={"roles": []})
    assert removed.status_code == 200
