"""A disabled account loses its sessions and tokens at once, and cannot log in again.

Disabled the way an administrator does it: ``PATCH /api/v1/users/{id}``.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.conftest import ADMIN_PASSWORD, add_user, login


async def test_disabling_a_user_stops_session_token_and_login(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    user_id = await add_user(app, "leaver", admin=False, roles=("Viewer",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as leaver:
        await login(leaver, "leaver")
        token = (await leaver.post("/api/v1/auth/tokens", json={"name": "t"})).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert (await leaver.get("/api/v1/auth/me")).status_code == 200

        disabled = await admin.patch(f"/api/v1/users/{user_id}", json={"is_active": False})
        assert disabled.status_code == 200 and disabled.json()["is_active"] is False

        assert (await leaver.get("/api/v1/auth/me")).status_code == 401
        leaver.cookies.clear()
        assert (await leaver.get("/api/v1/auth/me", headers=bearer)).status_code == 401
        again = await leaver.post(
            "/api/v1/auth/login", json={"username": "leaver", "password": ADMIN_PASSWORD}
        )
        assert again.status_code == 401
