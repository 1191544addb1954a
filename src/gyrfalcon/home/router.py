"""``/api/v1/home``: what needs attention, for the home page and the sidebar badges."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import AUTHENTICATED, CurrentViewer
from gyrfalcon.home import service as home
from gyrfalcon.home.schemas import Badge, HomeRead

router = APIRouter(prefix="/home", tags=["home"], dependencies=[Depends(AUTHENTICATED)])


def _registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


@router.get("", summary="The home page: tiles of what needs attention and getting started")
async def read_home(
    request: Request,
    viewer: CurrentViewer,
    limit: Annotated[int, Query(ge=1, le=50, description="Items per tile")] = 8,
) -> HomeRead:
    return await home.home(viewer, _registry(request), limit=limit)


@router.get("/badges", summary="Per module, how many things need attention (sidebar badges)")
async def read_badges(request: Request, viewer: CurrentViewer) -> list[Badge]:
    return await home.badges(viewer, _registry(request))
