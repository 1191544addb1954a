"""Turns a bearer token or a session cookie into the calling ``Principal``."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.auth import service
from gyrfalcon.core.security import Principal

SESSION_COOKIE = "gyrfalcon_session"
CSRF_COOKIE = "gyrfalcon_csrf"


class SessionOrTokenResolver:
    async def resolve(self, request: Request, session: AsyncSession) -> Principal | None:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credential:
            token = await service.find_token(session, credential.strip())
            if token is None:
                return None
            user = token.user
            return Principal(
                user_id=user.id,
                username=user.username,
                display_name=user.display_name,
                is_admin=user.is_admin,
                via="token",
                credential_id=token.id,
            )
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        record = await service.find_session(session, cookie)
        if record is None:
            return None
        user = record.user
        return Principal(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            is_admin=user.is_admin,
            via="session",
            credential_id=record.id,
            csrf_token=record.csrf_token,
        )
