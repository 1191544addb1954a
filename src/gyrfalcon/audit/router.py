"""``/api/v1/audit``: the audit log, read-only (there is no way to edit or delete it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from gyrfalcon.audit import service as audit
from gyrfalcon.audit.schemas import AuditDetail, AuditFacets, AuditPage, AuditRead
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.pagination import Page, Pagination, paginate
from gyrfalcon.core.params import Id, Timestamp
from gyrfalcon.core.security import authorizer_of, granted_scope, require

router = APIRouter(prefix="/audit", tags=["audit"])
READ = Depends(require("audit", "read"))
Text = Annotated[str | None, Query(max_length=150)]


@router.get(
    "",
    response_model=AuditPage,
    dependencies=[READ],
    summary="Audit records, newest first, of the services in your scope",
)
async def list_records(
    request: Request,
    db: DbSession,
    page: Pagination,
    actor: Text = None,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    service: Text = None,
    since: Annotated[Timestamp | None, Query(description="From this time (inclusive)")] = None,
    until: Annotated[Timestamp | None, Query(description="Before this time")] = None,
) -> Page[AuditRead]:
    statement = audit.list_statement(
        scope=granted_scope(request),
        teams_of_services=await authorizer_of(request).teams_by_service(session=db),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        service=service,
        since=since,
        until=until,
    )
    return await paginate(db, statement, page, lambda row: audit.to_read(row[0]), AuditPage)


@router.get(
    "/facets",
    dependencies=[READ],
    summary="The actors, actions, object types and services on record, for the filter pickers",
)
async def get_facets(request: Request, db: DbSession) -> AuditFacets:
    return await audit.facets(
        db,
        scope=granted_scope(request),
        teams_of_services=await authorizer_of(request).teams_by_service(session=db),
    )


@router.get(
    "/{record_id}",
    dependencies=[READ],
    summary="One audit record with both snapshots and the field-level diff",
)
async def get_record(record_id: Id, request: Request, db: DbSession) -> AuditDetail:
    scope = granted_scope(request)
    row_service = await audit.service_of(db, record_id=record_id)
    authorizer = authorizer_of(request)
    team = await authorizer.team_of(row_service, session=db) if row_service else None
    return await audit.get_detail(db, record_id=record_id, scope=scope, team=team)
