"""Roles, grants scoped per service and per team, teams, users, and the last admin."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from gyrfalcon.access import service as access
from gyrfalcon.core.db import Database
from tests.conftest import add_user, login


@pytest.fixture
async def services(admin: httpx.AsyncClient) -> None:
    for name, team in (("orders", "commerce"), ("billing", "payments"), ("ledger", "payments")):
        response = await admin.post("/api/v1/services", json={"name": name, "team": team})
        assert response.status_code == 201


async def _client(app: FastAPI, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await login(client, username)
    return client


async def _role(admin: httpx.AsyncClient, name: str, *grants: dict[str, object]) -> int:
    response = await admin.post("/api/v1/roles", json={"name": name, "grants": list(grants)})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
async def alice(app: FastAPI) -> AsyncIterator[tuple[int, httpx.AsyncClient]]:
    user_id = await add_user(app, "alice", admin=False)
    client = await _client(app, "alice")
    yield user_id, client
    await client.aclose()


async def _held(admin: httpx.AsyncClient, user_id: int) -> set[tuple[str, str]]:
    roles = (await admin.get(f"/api/v1/users/{user_id}")).json()["roles"]
    return {(role["name"], role["source"]) for role in roles}


async def test_permission_catalogue_comes_from_the_modules(admin: httpx.AsyncClient) -> None:
    listed = (await admin.get("/api/v1/permissions")).json()
    pairs = {(p["module"], p["action"]) for p in listed}
    assert {("catalog", "read"), ("catalog", "write"), ("access", "write")} <= pairs


@pytest.mark.parametrize(
    ("grant", "field"),
    [
        ({"module": "nosuch", "action": "read"}, "grants.0.module"),
        ({"module": "catalog", "action": "fly"}, "grants.0.action"),
        ({"module": "catalog", "action": "read", "scope": "teams"}, "grants.0.targets"),
    ],
)
async def test_bad_grants_are_422_naming_the_field(
    admin: httpx.AsyncClient, grant: dict[str, object], field: str
) -> None:
    response = await admin.post("/api/v1/roles", json={"name": "x", "grants": [grant]})
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


async def test_builtin_roles_exist_and_cannot_change(admin: httpx.AsyncClient) -> None:
    roles = {r["name"]: r for r in (await admin.get("/api/v1/roles")).json()["items"]}
    assert roles["Admin"]["builtin"] and roles["Viewer"]["builtin"]
    refused = await admin.delete(f"/api/v1/roles/{roles['Viewer']['id']}")
    assert refused.status_code == 409


@pytest.mark.usefixtures("services")
async def test_team_scoped_read_shows_only_that_teams_services(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = alice
    role = await _role(
        admin,
        "payments-reader",
        {"module": "catalog", "action": "read", "scope": "teams", "targets": ["payments"]},
    )
    assert (await client.get("/api/v1/services")).status_code == 403  # no grant yet
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [role]})

    listed = (await client.get("/api/v1/services")).json()
    assert [s["name"] for s in listed["items"]] == ["billing", "ledger"]
    assert (await client.get("/api/v1/services/billing")).status_code == 200
    hidden = await client.get("/api/v1/services/orders")
    assert hidden.status_code == 404 and hidden.json()["detail"] == "No service named 'orders'."
    refused = await client.patch("/api/v1/services/billing", json={"description": "x"})
    assert refused.status_code == 403


@pytest.mark.usefixtures("services")
async def test_service_scoped_write_reaches_only_that_service(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = alice
    role = await _role(
        admin,
        "orders-owner",
        {"module": "catalog", "action": "write", "scope": "services", "targets": ["orders"]},
    )
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [role]})
    assert (await client.patch("/api/v1/services/orders", json={"description": "x"})).is_success
    assert (await client.patch("/api/v1/services/billing", json={})).status_code == 404
    created = await client.post("/api/v1/services", json={"name": "new", "team": "commerce"})
    assert created.status_code == 403
    # Global objects take the permission on every service.
    kafka = {"name": "k", "bootstrap_servers": ["127.0.0.1:9092"]}
    assert (await client.post("/api/v1/kafka-clusters", json=kafka)).status_code == 403


@pytest.mark.usefixtures("services")
async def test_roles_through_teams(
    app: FastAPI, admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    _user_id, client = alice
    role = await _role(
        admin,
        "commerce-dev",
        {"module": "catalog", "action": "write", "scope": "teams", "targets": ["commerce"]},
    )
    team = await admin.post(
        "/api/v1/teams", json={"name": "commerce", "members": ["alice"], "roles": [role]}
    )
    assert team.status_code == 201, team.text
    assert [s["name"] for s in (await client.get("/api/v1/services")).json()["items"]] == ["orders"]
    moved = await client.patch("/api/v1/services/orders", json={"team": "payments"})
    assert moved.status_code == 403  # handing it to a team outside one's reach
    detail = (await admin.get(f"/api/v1/users/{_user_id}")).json()
    assert detail["teams"] == ["commerce"]
    assert {"name": "commerce-dev", "source": "team", "via": "commerce"} in [
        {k: r[k] for k in ("name", "source", "via")} for r in detail["roles"]
    ]
    catalog_write = next(p for p in detail["permissions"] if p["action"] == "write")
    assert catalog_write["teams"] == ["commerce"] and not catalog_write["everything"]

    await admin.patch("/api/v1/teams/commerce", json={"members": []})
    assert (await client.get("/api/v1/services")).status_code == 403


async def test_unknown_users_and_roles_in_a_team_are_422(admin: httpx.AsyncClient) -> None:
    response = await admin.post("/api/v1/teams", json={"name": "t", "members": ["ghost"]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "members"
    response = await admin.post("/api/v1/teams", json={"name": "t", "roles": [999]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "roles"


async def test_the_last_admin_cannot_be_removed(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    me = (await admin.get("/api/v1/auth/me")).json()
    refused = await admin.patch(f"/api/v1/users/{me['id']}", json={"is_active": False})
    assert refused.status_code == 409 and "no active administrator" in refused.json()["detail"]
    assert (await admin.get("/api/v1/auth/me")).status_code == 200

    alice_id, _client = alice
    roles = {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}
    await admin.patch(f"/api/v1/users/{alice_id}", json={"roles": [roles["Admin"]]})
    demoted = await admin.patch(f"/api/v1/users/{me['id']}", json={"is_admin": False})
    assert demoted.status_code == 200


async def test_disabling_a_user_stops_its_token_at_once(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = alice
    token = (await client.post("/api/v1/auth/tokens", json={"name": "t"})).json()["token"]
    bot = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/auth/me", headers=bot)).status_code == 200
    await admin.patch(f"/api/v1/users/{user_id}", json={"is_active": False})
    assert (await client.get("/api/v1/auth/me", headers=bot)).status_code == 401


async def test_directory_sync_replaces_only_directory_roles(
    app: FastAPI, admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, _client = alice
    manual = await _role(admin, "manual", {"module": "catalog", "action": "read"})
    mapped = await _role(admin, "mapped", {"module": "access", "action": "read"})
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [manual]})
    created = await admin.post(
        "/api/v1/directory-group-mappings",
        json={"group": "cn=ops,ou=groups,dc=example,dc=org", "role_id": mapped},
    )
    assert created.status_code == 201
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        await access.sync_directory_roles(
            session, user_id=user_id, groups=["CN=ops,ou=groups,dc=example,dc=org", "ops"]
        )
        await session.commit()
    held = {
        (r["name"], r["source"])
        for r in (await admin.get(f"/api/v1/users/{user_id}")).json()["roles"]
    }
    assert held == {("manual", "manual"), ("mapped", "directory")}
    async with database.sessionmaker() as session:
        await access.sync_directory_roles(session, user_id=user_id, groups=[])
        await session.commit()
    held = {
        (r["name"], r["source"])
        for r in (await admin.get(f"/api/v1/users/{user_id}")).json()["roles"]
    }
    assert held == {("manual", "manual")}


@pytest.mark.usefixtures("services")
async def test_my_permissions_say_where_each_reaches(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = alice
    assert (await client.get("/api/v1/auth/me/permissions")).json() == []
    role = await _role(
        admin,
        "orders-owner",
        {"module": "catalog", "action": "write", "scope": "services", "targets": ["orders"]},
    )
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [role]})
    held = (await client.get("/api/v1/auth/me/permissions")).json()
    assert {(p["module"], p["action"], tuple(p["services"])) for p in held} == {
        ("catalog", "read", ("orders",)),
        ("catalog", "write", ("orders",)),
    }
    everything = (await admin.get("/api/v1/auth/me/permissions")).json()
    assert all(p["everything"] for p in everything) and len(everything) >= 5


@pytest.mark.usefixtures("services")
async def test_editing_a_role_changes_what_its_holders_may_do_at_once(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    user_id, client = alice
    read_orders: dict[str, object] = {"module": "catalog", "action": "read", "scope": "services"}
    read_orders["targets"] = ["orders"]
    role = await _role(admin, "support", read_orders)
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [role]})
    assert [s["name"] for s in (await client.get("/api/v1/services")).json()["items"]] == ["orders"]

    widened = await admin.patch(
        f"/api/v1/roles/{role}",
        json={"description": "first line", "grants": [{**read_orders, "targets": ["billing"]}]},
    )
    assert widened.status_code == 200, widened.text
    assert widened.json()["description"] == "first line"
    assert [s["name"] for s in (await client.get("/api/v1/services")).json()["items"]] == [
        "billing"
    ]
    taken = await admin.patch(f"/api/v1/roles/{role}", json={"name": "Viewer"})
    assert taken.status_code == 409

    assert (await admin.delete(f"/api/v1/roles/{role}")).status_code == 204
    assert (await admin.get(f"/api/v1/roles/{role}")).status_code == 404
    assert (await client.get("/api/v1/services")).status_code == 403
    assert await _held(admin, user_id) == set()
    actions = [r["action"] for r in (await admin.get("/api/v1/audit")).json()["items"]]
    assert {"role.update", "role.delete"} <= set(actions)


@pytest.mark.usefixtures("services")
async def test_deleting_a_team_takes_its_roles_from_the_members(
    admin: httpx.AsyncClient, alice: tuple[int, httpx.AsyncClient]
) -> None:
    _user_id, client = alice
    role = await _role(
        admin,
        "commerce-reader",
        {"module": "catalog", "action": "read", "scope": "teams", "targets": ["commerce"]},
    )
    team = await admin.post(
        "/api/v1/teams", json={"name": "commerce", "members": ["alice"], "roles": [role]}
    )
    assert team.status_code == 201, team.text
    assert (await client.get("/api/v1/services")).status_code == 200

    assert (await admin.delete("/api/v1/teams/commerce")).status_code == 204
    assert (await admin.get("/api/v1/teams/commerce")).status_code == 404
    assert (await client.get("/api/v1/services")).status_code == 403
    # The services keep their team name: the grant by team still means them.
    orders = (await admin.get("/api/v1/services/orders")).json()
    assert orders["team"] == "commerce"
    records = (await admin.get("/api/v1/audit")).json()["items"]
    assert any(record["action"] == "team.delete" for record in records)
