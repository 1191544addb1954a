"""Who is calling, and may they do this.

Authentication is pluggable: the auth module installs an ``IdentityResolver``
(session cookies, bearer tokens). Authorization goes through an ``Authorizer``
that answers, for a principal and a module action, the ``ServiceScope`` it holds
(the access module installs one built on roles; without it admins may do
everything and other users may read). Every route declares its requirement with
``require``, ``AUTHENTICATED`` or ``PUBLIC`` so a test can prove no route is left
unguarded.

Answers for a caller without the permission: no grant of the action on the module
at all is 403; a grant that does not reach the service in the path is 404, the
same answer as for a service that does not exist, so scopes do not reveal names.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.actor import Actor, set_actor
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import Forbidden, NotFound, Unauthorized

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


@dataclass(frozen=True)
class ServiceScope:
    """Where a permission reaches: every service, or some services and teams."""

    everything: bool = False
    services: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.services or self.teams)

    def allows(self, service: str, team: str | None) -> bool:
        return (
            self.everything or service in self.services or (team is not None and team in self.teams)
        )


EVERYTHING = ServiceScope(everything=True)
NOTHING = ServiceScope()


class Authorizer(Protocol):
    async def scope(
        self, principal: Principal, module: str, action: str, *, session: AsyncSession
    ) -> ServiceScope:
        """Where ``principal`` holds ``action`` on ``module``."""
        ...

    async def team_of(self, service: str, *, session: AsyncSession) -> str | None:
        """The team that owns ``service`` (None: no team, or no such service)."""
        ...

    async def teams_by_service(self, *, session: AsyncSession) -> dict[str, str | None]:
        """Every service with its owning team, for filtering lists by a scope's teams."""
        ...


class AdminWritesAuthorizer:
    """Until roles exist: admins do everything; everyone else may read."""

    async def scope(
        self, principal: Principal, module: str, action: str, *, session: AsyncSession
    ) -> ServiceScope:
        return EVERYTHING if principal.is_admin or action == "read" else NOTHING

    async def team_of(self, service: str, *, session: AsyncSession) -> str | None:
        return None

    async def teams_by_service(self, *, session: AsyncSession) -> dict[str, str | None]:
        return {}


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
    set_actor(
        Actor(
            kind="user" if principal.via == "session" else "token",
            user_id=principal.user_id,
            name=principal.username,
            credential_id=principal.credential_id,
            address=request.client.host if request.client else None,
        )
    )
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
    def __init__(self, module: str, action: str, *, everywhere: bool) -> None:
        self.requirement = Requirement(module, action)
        self.everywhere = everywhere

    async def __call__(
        self, request: Request, principal: CurrentUser, session: DbSession
    ) -> Principal:
        module, action = self.requirement.module, self.requirement.action
        assert module is not None and action is not None
        authorizer = authorizer_of(request)
        scope = await authorizer.scope(principal, module, action, session=session)
        if scope.is_empty or (self.everywhere and not scope.everything):
            reach = " on every service" if self.everywhere else ""
            raise Forbidden(
                f"You need the {module} {action} permission{reach}; ask an admin for a role "
                "that gives it."
            )
        service = request.path_params.get("service")
        if service is not None and not scope.allows(
            service, await authorizer.team_of(service, session=session)
        ):
            raise NotFound(f"No service named '{service}'.")
        request.state.service_scope = scope
        return principal


class _Authenticated(RouteGuard):
    requirement = Requirement()

    async def __call__(self, principal: CurrentUser) -> Principal:
        return principal


class _Public(RouteGuard):
    requirement = Requirement(public=True)

    async def __call__(self) -> None:
        return None


def require(module: str, action: str, *, everywhere: bool = False) -> _Permission:
    """Dependency: the caller holds ``action`` on ``module`` for the path's service (when
    the path has one), or on every service with ``everywhere`` (for global objects). The
    granted scope is left in ``request.state.service_scope`` for list endpoints."""
    return _Permission(module, action, everywhere=everywhere)


def authorizer_of(request: Request) -> Authorizer:
    authorizer: Authorizer = getattr(request.app.state, "authorizer", AdminWritesAuthorizer())
    return authorizer


def granted_scope(request: Request) -> ServiceScope:
    """The scope the route's ``require`` guard found (for filtering lists)."""
    scope: ServiceScope = request.state.service_scope
    return scope


class Viewer:
    """Who is looking, for a page that gathers several modules' data (the home page, the
    health of a service): each part asks where its own module's permission reaches."""

    def __init__(self, principal: Principal, authorizer: Authorizer, session: AsyncSession) -> None:
        self.principal = principal
        self.authorizer = authorizer
        self.session = session
        self._scopes: dict[tuple[str, str], ServiceScope] = {}

    async def scope(self, module: str, action: str = "read") -> ServiceScope:
        key = (module, action)
        if key not in self._scopes:
            self._scopes[key] = await self.authorizer.scope(
                self.principal, module, action, session=self.session
            )
        return self._scopes[key]


async def _viewer(request: Request, principal: CurrentUser, session: DbSession) -> Viewer:
    return Viewer(principal, authorizer_of(request), session)


CurrentViewer = Annotated[Viewer, Depends(_viewer)]


AUTHENTICATED = _Authenticated()
"""For routes any logged-in user may call on their own behalf (me, own tokens)."""
PUBLIC = _Public()
"""For the few routes open to anyone: login, health, metrics."""
