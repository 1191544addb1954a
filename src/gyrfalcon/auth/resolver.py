"""Turns a bearer token or a session cookie into the calling ``Principal``."""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.auth import service
from gyrfalcon.auth.models import User
from gyrfalcon.core.security import Principal

SESSION_COOKIE = "gyrfalcon_session"
CSRF_COOKIE = "gyrfalcon_csrf"


def _principal(
    user: User, via: Literal["session", "token"], credential_id: int, csrf: str | None = None
) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        is_admin=user.is_admin,
        via=via,
        credential_id=credential_id,
        csrf_token=csrf,
    )


class SessionOrTokenResolver:
    async def resolve(self, request: Request, session: AsyncSession) -> Principal | None:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credential:
            token = await service.find_token(session, credential.strip())
            return _principal(token.user, "token", token.id) if token else None
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        record = await service.find_session(session, cookie)
        if record is None:
            return None
        return _principal(record.user, "session", record.id, record.csrf_token)
