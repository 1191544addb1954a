"""``/api/v1/services``: the service catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from gyrfalcon.catalog import services as catalog
from gyrfalcon.catalog.dependents import (
    SERVICE_DEPENDENTS,
    ConnectionDependents,
    DependentSource,
)
from gyrfalcon.catalog.health import SERVICE_SIGNALS, SignalSource, signals_for
from gyrfalcon.catalog.kinds import CONNECTION_KINDS
from gyrfalcon.catalog.schemas import (
    ServiceCreate,
    ServiceDeletion,
    ServicePage,
    ServiceRead,
    ServiceSignal,
    ServiceUpdate,
)
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.pagination import Pagination
from gyrfalcon.core.security import CurrentViewer, granted_scope, require

router = APIRouter(prefix="/services", tags=["services"])
READ = Depends(require("catalog", "read"))
WRITE = Depends(require("catalog", "write"))


async def _signals(request: Request, viewer: CurrentViewer) -> dict[str, list[ServiceSignal]]:
    sources: list[SignalSource] = request.app.state.registry.contributions(SERVICE_SIGNALS)
    teams = await catalog.teams_by_service(viewer.session)
    return await signals_for(viewer, sources, teams)


Signals = Annotated[dict[str, list[ServiceSignal]], Depends(_signals)]


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
    attention: Annotated[
        bool,
        Query(description="Only services with a failing connection test or a signal"),
    ] = False,
    *,
    signals: Signals,
) -> ServicePage:
    return await catalog.list_services(
        db,
        q=q,
        team=team,
        page=page,
        scope=granted_scope(request),
        signals=signals,
        attention=attention,
    )


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=[WRITE], summary="Register a service"
)
async def create_service(body: ServiceCreate, request: Request, db: DbSession) -> ServiceRead:
    return await catalog.create_service(db, body=body, scope=granted_scope(request))


@router.get("/{service}", dependencies=[READ], summary="One service")
async def get_service(service: str, db: DbSession, signals: Signals) -> ServiceRead:
    return await catalog.read_service(db, name=service, signals=signals)


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


def _dependents(request: Request) -> list[DependentSource]:
    registry = request.app.state.registry
    own = ConnectionDependents(registry.contributions(CONNECTION_KINDS))
    return [own, *registry.contributions(SERVICE_DEPENDENTS)]


@router.get(
    "/{service}/deletion",
    dependencies=[READ],
    summary="What deleting the service would delete with it, with counts",
)
async def read_deletion(service: str, request: Request, db: DbSession) -> ServiceDeletion:
    return await catalog.deletion_of(db, name=service, sources=_dependents(request))


@router.delete(
    "/{service}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Remove a service and everything under it",
    description="Its connections, monitors (with their run history) and every other "
    "module's objects under it go with it, each with its own audit record; "
    "`GET /services/{service}/deletion` lists them first. Each module with objects "
    "under the service must grant the caller write on it.",
)
async def delete_service(
    service: str, request: Request, db: DbSession, viewer: CurrentViewer
) -> None:
    await catalog.delete_service(
        db,
        name=service,
        sources=_dependents(request),
        box=request.app.state.context.secrets,
        viewer=viewer,
    )
