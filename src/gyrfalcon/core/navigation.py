"""``GET /api/v1/modules``: the registry as the UI sees it (sidebar and home cards)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from gyrfalcon.core.plugins import Module
from gyrfalcon.core.security import AUTHENTICATED

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
    summary="Installed modules, in navigation order",
    dependencies=[Depends(AUTHENTICATED)],
)
async def list_modules(request: Request) -> list[ModuleRead]:
    modules: list[Module] = request.app.state.modules
    return [_to_read(module) for module in modules]
