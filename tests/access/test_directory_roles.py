"""Directory groups give roles: an LDAP user's roles follow its groups at every login,
against a real throwaway OpenLDAP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from gyrfalcon.app import create_app
from gyrfalcon.core.settings import Settings
from tests.conftest import add_user, login
from tests.support.slapd import (
    GROUPS,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    USER_PASSWORD,
    Slapd,
    running_slapd,
)


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
async def directory_app(migrated: Settings, slapd: Slapd) -> AsyncIterator[FastAPI]:
    settings = migrated.model_copy(
        update={
            "ldap_uris": [slapd.uri],
            "ldap_bind_dn": SERVICE_DN,
            "ldap_bind_password": SecretStr(SERVICE_PASSWORD),
            "ldap_user_base": PEOPLE,
            "ldap_group_base": GROUPS,
            "ldap_group_styles": ["groupOfNames"],
        }
    )
    app = create_app(settings, run_services=False)
    yield app
    from tests.conftest import _empty_tables

    await _empty_tables(app.state.database)
    await app.state.database.dispose()


async def test_mapped_groups_give_roles_and_lose_them_with_the_mapping(
    directory_app: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=directory_app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as admin,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as alice,
    ):
        await add_user(directory_app, "root-admin", admin=True)
        await login(admin, "root-admin")
        await admin.post("/api/v1/services", json={"name": "orders"})
        roles = {r["name"]: r["id"] for r in (await admin.get("/api/v1/roles")).json()["items"]}
        mapping = await admin.post(
            "/api/v1/directory-group-mappings",
            json={"group": "developers", "role_id": roles["Viewer"]},
        )
        assert mapping.status_code == 201

        async def log_in() -> None:
            response = await alice.post(
                "/api/v1/auth/login", json={"username": "alice", "password": USER_PASSWORD}
            )
            assert response.status_code == 200, response.text
            alice.headers["X-CSRF-Token"] = alice.cookies["gyrfalcon_csrf"]

        await log_in()
        assert (await alice.get("/api/v1/services")).json()["total"] == 1
        user_id = (await alice.get("/api/v1/auth/me")).json()["id"]
        held = (await admin.get(f"/api/v1/users/{user_id}")).json()["roles"]
        assert [(r["name"], r["source"]) for r in held] == [("Viewer", "directory")]

        await admin.delete(f"/api/v1/directory-group-mappings/{mapping.json()['id']}")
        await log_in()
        assert (await alice.get("/api/v1/services")).status_code == 403


async def test_mappings_from_settings_apply_too(migrated: Settings, slapd: Slapd) -> None:
    settings = migrated.model_copy(
        update={
            "ldap_uris": [slapd.uri],
            "ldap_bind_dn": SERVICE_DN,
            "ldap_bind_password": SecretStr(SERVICE_PASSWORD),
            "ldap_user_base": PEOPLE,
            "ldap_group_base": GROUPS,
            "ldap_group_styles": ["groupOfNames"],
            "ldap_group_roles": {"platform-admins": "Admin"},
        }
    )
    app = create_app(settings, run_services=False)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as alice:
            response = await alice.post(
                "/api/v1/auth/login", json={"username": "alice", "password": USER_PASSWORD}
            )
            assert response.status_code == 200
            # platform-admins → Admin: alice may now manage access.
            assert (await alice.get("/api/v1/users")).status_code == 200
    finally:
        from tests.conftest import _empty_tables

        await _empty_tables(app.state.database)
        await app.state.database.dispose()
