"""The role-based ``Authorizer`` the access module installs in the core."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.access.service import compiled_grants
from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.security import EVERYTHING, Principal, ServiceScope


class RoleAuthorizer:
    """Admins (the account flag) may do everything; everyone else what their roles grant."""

    async def scope(
        self, principal: Principal, module: str, action: str, *, session: AsyncSession
    ) -> ServiceScope:
        if principal.is_admin:
            return EVERYTHING
        return (await compiled_grants(session, principal.user_id)).scope(module, action)

    async def team_of(self, service: str, *, session: AsyncSession) -> str | None:
        return await catalog.team_of(session, name=service)

    async def teams_by_service(self, *, session: AsyncSession) -> dict[str, str | None]:
        return await catalog.teams_by_service(session)
