"""A disabled account loses its sessions and tokens at once."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from gyrfalcon.auth import service as auth
from gyrfalcon.auth.models import User
from gyrfalcon.core.db import Database


async def test_disabling_a_user_stops_session_and_token(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    token = (await admin.post("/api/v1/auth/tokens", json={"name": "t"})).json()["token"]
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        user_id = await session.scalar(select(User.id).where(User.username == "root-admin"))
        assert user_id is not None
        await auth.set_user_active(session, user_id=user_id, active=False)
    assert (await admin.get("/api/v1/auth/me")).status_code == 401
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as bot:
        response = await bot.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
