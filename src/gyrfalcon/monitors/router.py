"""``/api/v1/monitors`` and ``/api/v1/alerts``: thin routes over the monitors services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import BaseModel, Field

from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import InvalidInput, NotFound
from gyrfalcon.core.pagination import Page, Pagination, paginate
from gyrfalcon.core.params import MAX_ID, DbId, Id, Timestamp
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import ServiceScope, granted_scope, require
from gyrfalcon.monitors import ascode, runs, timeline
from gyrfalcon.monitors import service as monitors
from gyrfalcon.monitors.runner import Runner, runner_of
from gyrfalcon.monitors.scheduler import delivery_of
from gyrfalcon.monitors.schemas import (
    AlertPage,
    AlertRead,
    ApplyReport,
    EventPage,
    EventRead,
    MonitorDefinition,
    MonitorPage,
    MonitorRead,
    MonitorType,
    MonitorUpdate,
    MuteRequest,
    PreviewRead,
    ResultPage,
    ResultRead,
    RunOutcome,
    Schedule,
    SchedulePreview,
    Severity,
    State,
)
from gyrfalcon.notify import service as notify

router = APIRouter(tags=["monitors"])
READ = Depends(require("monitors", "read"))
WRITE = Depends(require("monitors", "write"))
Search = Annotated[str | None, Query(max_length=100)]


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def _runner(request: Request) -> Runner:
    context = _context(request)
    return runner_of(context.shared, context.settings)


async def _located(request: Request, db: DbSession, monitor_id: Id) -> monitors.Located:
    return await monitors.get_within(db, monitor_id=monitor_id, scope=granted_scope(request))


Located = Annotated[monitors.Located, Depends(_located)]


async def _read(request: Request, db: DbSession, monitor_id: Id) -> MonitorRead:
    located = await monitors.get_located(db, monitor_id=monitor_id)
    return monitors.to_read(
        located, box=_context(request).secrets, channels=await notify.channel_names(db)
    )


async def _ensure_service_within(db: DbSession, scope: ServiceScope, service: str) -> None:
    if not scope.allows(service, await catalog.team_of(db, name=service)):
        raise NotFound(f"No service named '{service}'.")


@router.get(
    "/monitors",
    response_model=MonitorPage,
    dependencies=[READ],
    summary="Monitors of the services in your scope, with their current state",
)
async def list_monitors(
    request: Request,
    db: DbSession,
    page: Pagination,
    service: Search = None,
    state: State | None = None,
    severity: Severity | None = None,
    type: MonitorType | None = None,
    q: Search = None,
) -> Page[MonitorRead]:
    box, channels = _context(request).secrets, await notify.channel_names(db)
    statement = monitors.list_statement(
        scope=granted_scope(request),
        service=service,
        state=state,
        severity=severity.value if severity else None,
        q=q,
        type_=type.value if type else None,
    )
    return await paginate(
        db,
        statement,
        page,
        lambda row: monitors.to_read(monitors.as_located(row), box=box, channels=channels),
        MonitorPage,
    )


@router.post(
    "/monitors",
    status_code=status.HTTP_201_CREATED,
    dependencies=[WRITE],
    summary="Create a monitor; it is scheduled at once",
)
async def create_monitor(body: MonitorDefinition, request: Request, db: DbSession) -> MonitorRead:
    await _ensure_service_within(db, granted_scope(request), body.service)
    monitor_id = await monitors.create_monitor(db, box=_context(request).secrets, definition=body)
    return await _read(request, db, monitor_id)


@router.post(
    "/monitors/preview",
    dependencies=[WRITE],
    summary="Run an unsaved definition once: value, sample and the state it would give",
    description="Nothing is stored and nobody is notified. Needs the write permission, "
    "because it runs the query against the service's database like a saved monitor.",
)
async def preview_monitor(
    body: MonitorDefinition,
    request: Request,
    db: DbSession,
    monitor_id: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ID,
            description="When editing: the saved monitor, whose secret headers fill in "
            "those not sent (an empty value leaves one out)",
        ),
    ] = None,
) -> PreviewRead:
    scope = granted_scope(request)
    await _ensure_service_within(db, scope, body.service)
    stored: dict[str, str] = {}
    if monitor_id is not None:
        located = await monitors.get_within(db, monitor_id=monitor_id, scope=scope)
        if located.service != body.service:
            # Its secret headers were entered for that service's base URL only.
            raise InvalidInput("monitor_id", "that monitor belongs to another service")
        if located.monitor.secrets:
            stored = monitors.secret_headers(located.monitor, _context(request).secrets)
    return await runs.preview(
        db,
        definition=body,
        runner=_runner(request),
        box=_context(request).secrets,
        stored_secret_headers=stored,
    )


class SchedulePreviewRequest(BaseModel):
    schedule: Schedule
    monitor_id: DbId | None = Field(default=None, description="Interval phases depend on it")
    count: Annotated[int, Field(ge=1, le=20)] = 5


@router.post(
    "/monitors/schedule-preview",
    dependencies=[READ],
    summary="The next run times of a schedule (for the editor)",
)
async def preview_schedule(body: SchedulePreviewRequest) -> SchedulePreview:
    return runs.schedule_preview(body.schedule, monitor_id=body.monitor_id, count=body.count)


@router.get(
    "/monitors/export",
    dependencies=[READ],
    summary="Monitors as code: every monitor in your scope as a YAML document",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
)
async def export_monitors(request: Request, db: DbSession, service: Search = None) -> Response:
    text = await ascode.export_yaml(
        db, box=_context(request).secrets, scope=granted_scope(request), service=service
    )
    return Response(text, media_type="application/yaml")


class ApplyRequest(BaseModel):
    yaml: Annotated[str, Field(max_length=5_000_000)]
    dry_run: bool = False


@router.post(
    "/monitors/apply",
    dependencies=[WRITE],
    summary="Monitors as code: create or update monitors by service and name",
    description="Idempotent: applying the same file twice changes nothing the second time. "
    "With dry_run, reports what would change (field by field) without changing it.",
)
async def apply_monitors(body: ApplyRequest, request: Request, db: DbSession) -> ApplyReport:
    return await ascode.apply_yaml(
        db,
        box=_context(request).secrets,
        text=body.yaml,
        dry_run=body.dry_run,
        scope=granted_scope(request),
    )


@router.get("/monitors/{monitor_id}", dependencies=[READ], summary="One monitor")
async def get_monitor(located: Located, request: Request, db: DbSession) -> MonitorRead:
    return monitors.to_read(
        located, box=_context(request).secrets, channels=await notify.channel_names(db)
    )


@router.patch(
    "/monitors/{monitor_id}",
    dependencies=[WRITE],
    summary="Change a monitor; sent fields replace the stored ones, effective at once",
)
async def update_monitor(
    located: Located, body: MonitorUpdate, request: Request, db: DbSession
) -> MonitorRead:
    await monitors.update_monitor(db, box=_context(request).secrets, located=located, patch=body)
    return await _read(request, db, located.monitor.id)


@router.delete(
    "/monitors/{monitor_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Delete a monitor with its runs and timeline",
)
async def delete_monitor(located: Located, request: Request, db: DbSession) -> None:
    await monitors.delete_monitor(db, box=_context(request).secrets, located=located)


@router.post(
    "/monitors/{monitor_id}/run",
    dependencies=[WRITE],
    summary="Run now: the result is stored and alerts as a scheduled run would",
)
async def run_monitor(located: Located, request: Request, db: DbSession) -> ResultRead:
    return await runs.run_now(
        db, located=located, runner=_runner(request), delivery=delivery_of(_context(request))
    )


@router.get(
    "/monitors/{monitor_id}/results",
    response_model=ResultPage,
    dependencies=[READ],
    summary="Stored runs, newest first",
)
async def list_results(
    located: Located,
    db: DbSession,
    page: Pagination,
    since: Timestamp | None = None,
    until: Timestamp | None = None,
    outcome: RunOutcome | None = None,
) -> Page[ResultRead]:
    statement = timeline.results_statement(
        located.monitor.id, since=since, until=until, outcome=outcome.value if outcome else None
    )
    return await paginate(
        db, statement, page, lambda row: timeline.result_to_read(row[0]), ResultPage
    )


@router.get(
    "/monitors/{monitor_id}/events",
    response_model=EventPage,
    dependencies=[READ],
    summary="The alert timeline: state changes, reminders, mutes, acknowledgements, "
    "with each notification and its delivery attempts",
)
async def list_events(located: Located, db: DbSession, page: Pagination) -> Page[EventRead]:
    statement = timeline.events_statement(located.monitor.id)
    total_page = await paginate(db, statement, page, lambda row: row[0], Page[Any])
    items = await timeline.events_to_read(db, total_page.items)
    return EventPage(items=items, total=total_page.total, limit=page.limit, offset=page.offset)


@router.post(
    "/monitors/{monitor_id}/mute",
    dependencies=[WRITE],
    summary="Send no notifications until a time (events are still recorded)",
)
async def mute_monitor(
    located: Located, body: MuteRequest, request: Request, db: DbSession
) -> MonitorRead:
    await timeline.mute(db, located=located, until=body.until)
    return await _read(request, db, located.monitor.id)


@router.delete("/monitors/{monitor_id}/mute", dependencies=[WRITE], summary="End a mute")
async def unmute_monitor(located: Located, request: Request, db: DbSession) -> MonitorRead:
    await timeline.unmute(db, located=located)
    return await _read(request, db, located.monitor.id)


@router.post(
    "/monitors/{monitor_id}/acknowledge",
    dependencies=[WRITE],
    summary="Acknowledge an alert: reminders stop until the state changes",
)
async def acknowledge_monitor(located: Located, request: Request, db: DbSession) -> MonitorRead:
    await timeline.acknowledge(db, located=located)
    return await _read(request, db, located.monitor.id)


@router.get(
    "/alerts",
    response_model=AlertPage,
    dependencies=[READ],
    summary="What needs attention now: ALERTING and ERROR monitors across your services",
)
async def list_alerts(
    request: Request,
    db: DbSession,
    page: Pagination,
    service: Search = None,
    severity: Severity | None = None,
) -> Page[AlertRead]:
    box, channels = _context(request).secrets, await notify.channel_names(db)
    statement = monitors.list_statement(
        scope=granted_scope(request),
        service=service,
        state=None,
        severity=severity.value if severity else None,
        q=None,
    )
    return await paginate(
        db,
        timeline.alerts_order(statement),
        page,
        lambda row: timeline.alert_to_read(
            monitors.to_read(monitors.as_located(row), box=box, channels=channels)
        ),
        AlertPage,
    )
