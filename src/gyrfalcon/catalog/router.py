"""``/api/v1/services``: the service catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from gyrfalcon.catalog import services as catalog
from gyrfalcon.catalog.schemas import ServiceCreate, ServicePage, ServiceRead, ServiceUpdate
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.pagination import Pagination
from gyrfalcon.core.security import granted_scope, require

router = APIRouter(prefix="/services", tags=["services"])
READ = Depends(require("catalog", "read"))
WRITE = Depends(require("catalog", "write"))


@router.get("", dependencies=[READ], summary="Search services")
async def list_services(
    request: Request,
    db: DbSession,
    page: Pagination,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Text in name, display name, description, team or tags"),
    ] = None,
    team: Annotated[str | None, Query(max_length=100)] = None,
) -> ServicePage:
    return await catalog.list_services(db, q=q, team=team, page=page, scope=granted_scope(request))


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=[WRITE], summary="Register a service"
)
async def create_service(body: ServiceCreate, request: Request, db: DbSession) -> ServiceRead:
    return await catalog.create_service(db, body=body, scope=granted_scope(request))


@router.get("/{service}", dependencies=[READ], summary="One service")
async def get_service(service: str, db: DbSession) -> ServiceRead:
    return await catalog.read_service(db, name=service)


@router.patch("/{service}", dependencies=[WRITE], summary="Change a service")
async def update_service(
    service: str, body: ServiceUpdate, request: Request, db: DbSession
) -> ServiceRead:
    return await catalog.update_service(
        db,
        name=service,
        body=body,
        scope=granted_scope(request),
        on_base_url_change=getattr(request.app.state, "on_base_url_change", ()),
    )


@router.delete(
    "/{service}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Remove a service and all its connections",
)
async def delete_service(service: str, db: DbSession) -> None:
    await catalog.delete_service(db, name=service)
