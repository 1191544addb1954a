"""Local login, sessions, CSRF, logout and personal API tokens on every platform database."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ADMIN_PASSWORD, ON_SQLITE_ONLY, add_user

pytestmark = ON_SQLITE_ONLY


async def test_login_sets_httponly_session_and_csrf_cookies(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    await add_user(app, "alice", admin=True)
    response = await anonymous.post(
        "/api/v1/auth/login", json={"username": "alice", "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "alice"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("gyrfalcon_session="))
    csrf_cookie = next(c for c in cookies if c.startswith("gyrfalcon_csrf="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "HttpOnly" not in csrf_cookie
    me = await anonymous.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["is_admin"] is True


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password"), ("nobody", ADMIN_PASSWORD)],
)
async def test_wrong_credentials_give_the_same_401(
    app: FastAPI, anonymous: httpx.AsyncClient, username: str, password: str
) -> None:
    await add_user(app, "alice", admin=False)
    response = await anonymous.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Wrong username or password."


async def test_empty_password_is_refused_as_invalid_input(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.post("/api/v1/auth/login", json={"username": "a", "password": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_api_requires_login(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/api/v1/services")
    assert response.status_code == 401
    assert response.json()["title"] == "Authentication required"


async def test_unsafe_request_with_cookie_needs_csrf_header(admin: httpx.AsyncClient) -> None:
    token = admin.headers.pop("X-CSRF-Token")
    refused = await admin.post("/api/v1/services", json={"name": "orders"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    admin.headers["X-CSRF-Token"] = token
    accepted = await admin.post("/api/v1/services", json={"name": "orders"})
    assert accepted.status_code == 201


async def test_logout_revokes_the_server_side_session(admin: httpx.AsyncClient) -> None:
    stolen_cookie = admin.cookies["gyrfalcon_session"]
    response = await admin.post("/api/v1/auth/logout")
    assert response.status_code == 204
    admin.cookies.set("gyrfalcon_session", stolen_cookie)
    assert (await admin.get("/api/v1/auth/me")).status_code == 401


async def test_api_token_is_shown_once_and_authenticates(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    created = await admin.post("/api/v1/auth/tokens", json={"name": "ci", "expires_in_days": 30})
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("gyr_")
    listed = (await admin.get("/api/v1/auth/tokens")).json()
    assert listed["total"] == 1 and "token" not in listed["items"][0]

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as bot:
        bot.headers["Authorization"] = f"Bearer {token}"
        assert (await bot.get("/api/v1/auth/me")).json()["username"] == "root-admin"
        # Bearer requests carry no ambient credential, so they need no CSRF token.
        assert (await bot.post("/api/v1/services", json={"name": "billing"})).status_code == 201
        await admin.delete(f"/api/v1/auth/tokens/{created.json()['id']}")
        assert (await bot.get("/api/v1/auth/me")).status_code == 401


async def test_token_validation_errors_name_the_field(admin: httpx.AsyncClient) -> None:
    response = await admin.post("/api/v1/auth/tokens", json={"name": "", "expires_in_days": 0})
    fields = {error["field"] for error in response.json()["errors"]}
    assert response.status_code == 422 and fields == {"name", "expires_in_days"}


async def test_a_user_cannot_revoke_someone_elses_token(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    created = (await admin.post("/api/v1/auth/tokens", json={"name": "mine"})).json()
    response = await viewer.delete(f"/api/v1/auth/tokens/{created['id']}")
    assert response.status_code == 404
