"""Who is calling, and may they do this.

Authentication is pluggable: the auth module installs an ``IdentityResolver``
(session cookies, bearer tokens). Authorization goes through an ``Authorizer``;
until the access module installs per-service roles, admins may do everything
and other users may read. Every route declares its requirement with ``require``
or ``public`` so a test can prove no route is left unguarded.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import Forbidden, Unauthorized

CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    is_admin: bool
    via: Literal["session", "token"]
    credential_id: int
    csrf_token: str | None = None


class IdentityResolver(Protocol):
    async def resolve(self, request: Request, session: AsyncSession) -> Principal | None: ...


class Authorizer(Protocol):
    async def allows(
        self,
        principal: Principal,
        module: str,
        action: str,
        *,
        session: AsyncSession,
        service: str | None = None,
    ) -> bool: ...


class AdminWritesAuthorizer:
    """Admins do everything; everyone else may read."""

    async def allows(
        self,
        principal: Principal,
        module: str,
        action: str,
        *,
        session: AsyncSession,
        service: str | None = None,
    ) -> bool:
        return principal.is_admin or action == "read"


async def authenticate(request: Request, session: DbSession) -> Principal:
    resolver: IdentityResolver | None = getattr(request.app.state, "identity_resolver", None)
    principal = await resolver.resolve(request, session) if resolver else None
    if principal is None:
        raise Unauthorized("Log in or send 'Authorization: Bearer <token>'.")
    if principal.via == "session" and request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not principal.csrf_token or not hmac.compare_digest(sent, principal.csrf_token):
            raise Forbidden(
                f"Missing or wrong {CSRF_HEADER} header: send the value of the "
                "gyrfalcon_csrf cookie with every change."
            )
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(authenticate)]


@dataclass(frozen=True)
class Requirement:
    """What a route needs: a permission, any logged-in user, or nothing (public)."""

    module: str | None = None
    action: str | None = None
    public: bool = False

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.module is None:
            return "authenticated"
        return f"{self.module}:{self.action}"


class RouteGuard:
    """Base of the dependencies that declare a route's requirement."""

    requirement: Requirement


class _Permission(RouteGuard):
    def __init__(self, module: str, action: str) -> None:
        self.requirement = Requirement(module, action)

    async def __call__(
        self, request: Request, principal: CurrentUser, session: DbSession
    ) -> Principal:
        module, action = self.requirement.module, self.requirement.action
        assert module is not None and action is not None
        authorizer: Authorizer = getattr(request.app.state, "authorizer", AdminWritesAuthorizer())
        service = request.path_params.get("service")
        if not await authorizer.allows(principal, module, action, session=session, service=service):
            scope = f" for service '{service}'" if service else ""
            raise Forbidden(f"You lack the '{action}' permission on '{module}'{scope}.")
        return principal


class _Authenticated(RouteGuard):
    requirement = Requirement()

    async def __call__(self, principal: CurrentUser) -> Principal:
        return principal


class _Public(RouteGuard):
    requirement = Requirement(public=True)

    async def __call__(self) -> None:
        return None


def require(module: str, action: str) -> _Permission:
    """Dependency: the caller holds ``action`` on ``module`` (for the path's service)."""
    return _Permission(module, action)


AUTHENTICATED = _Authenticated()
"""For routes any logged-in user may call on their own behalf (me, own tokens)."""
PUBLIC = _Public()
"""For the few routes open to anyone: login, health, metrics."""
