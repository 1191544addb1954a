"""Turns a bearer token or a session cookie into the calling ``Principal``.

Resolved credentials are cached per process (keyed by the credential's SHA-256), so
an authenticated request costs no database round trip; logout, revocation and any
other change that ends a credential early bump the auth revision, which drops the
cache at once in this process and within a second in the others. Expiry is checked
on every request.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.auth import service
from gyrfalcon.auth.models import User
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.revisions import cache_for
from gyrfalcon.core.security import Principal

SESSION_COOKIE = "gyrfalcon_session"
CSRF_COOKIE = "gyrfalcon_csrf"
_TOKEN_TOUCH_SECONDS = 60.0


@dataclass
class _Credential:
    principal: Principal
    expires_at: datetime | None
    touched_at: float = field(default_factory=time.monotonic)


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
            return await self._token(session, service.digest(credential.strip()))
        cookie = request.cookies.get(SESSION_COOKIE)
        return await self._session(session, service.digest(cookie)) if cookie else None

    async def _token(self, session: AsyncSession, token_digest: str) -> Principal | None:
        async def load() -> _Credential | None:
            token = await service.find_token(session, token_digest)
            if token is None:
                return None
            await service.touch_token(session, token_id=token.id)
            return _Credential(_principal(token.user, "token", token.id), token.expires_at)

        found = await self._cached(session, ("token", token_digest), load)
        if found is not None and time.monotonic() - found.touched_at > _TOKEN_TOUCH_SECONDS:
            found.touched_at = time.monotonic()
            await service.touch_token(session, token_id=found.principal.credential_id)
        return found.principal if found else None

    async def _session(self, session: AsyncSession, cookie_digest: str) -> Principal | None:
        async def load() -> _Credential | None:
            record = await service.find_session(session, cookie_digest)
            if record is None:
                return None
            principal = _principal(record.user, "session", record.id, record.csrf_token)
            return _Credential(principal, record.expires_at)

        found = await self._cached(session, ("session", cookie_digest), load)
        return found.principal if found else None

    async def _cached(
        self,
        session: AsyncSession,
        key: tuple[str, str],
        load: Callable[[], Awaitable[_Credential | None]],
    ) -> _Credential | None:
        cache = cache_for(session, service.AUTH_REVISION)
        found: _Credential | None = await cache.get(session, key, load)
        if found is not None and found.expires_at is not None and found.expires_at <= utcnow():
            cache.discard(key)
            return None
        return found
