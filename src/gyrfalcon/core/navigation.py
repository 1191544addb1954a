"""``GET /api/v1/modules``: the registry as the UI sees it (sidebar and home cards)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from gyrfalcon.core.db import DbSession
from gyrfalcon.core.plugins import Module
from gyrfalcon.core.security import AUTHENTICATED, CurrentUser, authorizer_of

router = APIRouter(tags=["modules"])


class PermissionRead(BaseModel):
    action: str
    description: str


class ModuleRead(BaseModel):
    name: str
    title: str
    description: str
    path: str | None
    icon: str | None
    permissions: list[PermissionRead]


def _to_read(module: Module) -> ModuleRead:
    return ModuleRead(
        name=module.name,
        title=module.title,
        description=module.description,
        path=module.nav.path if module.nav else None,
        icon=module.nav.icon if module.nav else None,
        permissions=[
            PermissionRead(action=p.action, description=p.description) for p in module.permissions
        ],
    )


@router.get(
    "/modules",
    summary="The modules the caller may read, in navigation order",
    dependencies=[Depends(AUTHENTICATED)],
)
async def list_modules(
    request: Request, principal: CurrentUser, session: DbSession
) -> list[ModuleRead]:
    modules: list[Module] = request.app.state.modules
    authorizer = authorizer_of(request)
    visible = []
    for module in modules:
        readable = (
            not module.permissions
            or not (
                await authorizer.scope(principal, module.name, "read", session=session)
            ).is_empty
        )
        if readable:
            visible.append(_to_read(module))
    return visible
