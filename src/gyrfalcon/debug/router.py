"""``/api/v1/services/{service}/debug-endpoints/{endpoint_id}/...``, ``/api/v1/debug-runs``
and ``/api/v1/debug``: thin routes over the debug service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from gyrfalcon.connectors.http import ServiceClient
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.params import MAX_ID, Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import CurrentUser, granted_scope, require
from gyrfalcon.debug import service as debug
from gyrfalcon.debug.calling import USER_AGENT
from gyrfalcon.debug.schemas import EndpointStatus, RunComparison, RunPage, RunRead, RunRequest
from gyrfalcon.debug.settings import DebugSettings
from gyrfalcon.probe import SCHEMA

router = APIRouter(tags=["debug"])
READ = Depends(require("debug", "read"))
RUN = Depends(require("debug", "run"))
ENDPOINT = "/services/{service}/debug-endpoints/{endpoint_id}"


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


@router.get(
    "/debug/trace-schema",
    dependencies=[READ],
    summary="The JSON Schema of the trace a debug endpoint answers with",
)
async def trace_schema() -> dict[str, Any]:
    return SCHEMA


@router.get("/debug/endpoints", dependencies=[READ], summary="Debug endpoints with their last run")
async def list_endpoints(
    request: Request,
    db: DbSession,
    service: Annotated[str | None, Query(max_length=63, description="Only this service's")] = None,
) -> list[EndpointStatus]:
    return await debug.endpoint_statuses(db, granted_scope(request), service=service)


@router.post(
    ENDPOINT + "/run",
    dependencies=[RUN],
    status_code=201,
    summary="Run a debug endpoint and store what it answered",
)
async def run_endpoint(
    request: Request,
    db: DbSession,
    service: str,
    endpoint_id: Id,
    body: RunRequest,
    user: CurrentUser,
) -> RunRead:
    context = _context(request)
    async with ServiceClient(user_agent=USER_AGENT) as client:
        return await debug.run_endpoint(
            db,
            context.secrets,
            context.settings.section(DebugSettings),
            client,
            service=service,
            endpoint_id=endpoint_id,
            parameters=body.parameters,
            actor=user.username,
        )


@router.get(ENDPOINT + "/runs", dependencies=[READ], summary="An endpoint's runs, newest first")
async def list_runs(
    db: DbSession,
    service: str,
    endpoint_id: Id,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="The `next_cursor` of the page before")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RunPage:
    return await debug.list_runs(
        db, service=service, endpoint_id=endpoint_id, before=before, limit=limit
    )


@router.get("/debug-runs/{run_id}", dependencies=[READ], summary="A run with its trace")
async def get_run(request: Request, db: DbSession, run_id: Id) -> RunRead:
    return await debug.get_run(db, granted_scope(request), run_id)


@router.get(
    "/debug-runs/{run_id}/compare/{other_id}",
    dependencies=[READ],
    summary="Two runs of one endpoint side by side: which spans got slower, which failed",
)
async def compare_runs(request: Request, db: DbSession, run_id: Id, other_id: Id) -> RunComparison:
    return await debug.compare_runs(db, granted_scope(request), run_id, other_id)
