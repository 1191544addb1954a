"""Monitors: create, read, change, delete; their runs, timeline and alerts.

Definitions name their datasource and channels; they are stored by id. A
change to the schedule or to ``enabled`` rewrites the monitor's schedule row
in the same transaction, which the scheduler of every process reads on its
next poll: edits apply within a second, with no restart and no cache to
invalidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.catalog.service import Datasource, Service
from gyrfalcon.core.crypto import SecretBox, SecretDecryptionError
from gyrfalcon.core.db import flush_or_conflict
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound, invalid_input, validation_errors
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.monitors.checks.sql_guard import validate_query
from gyrfalcon.monitors.conditions import describe
from gyrfalcon.monitors.models import Monitor, MonitorEvent, MonitorSchedule
from gyrfalcon.monitors.schedule import next_run_after
from gyrfalcon.monitors.schemas import (
    Condition,
    EventKind,
    HttpRequest,
    HttpRequestRead,
    MonitorDefinition,
    MonitorRead,
    MonitorUpdate,
    Notify,
    Schedule,
    State,
)
from gyrfalcon.notify import service as notify

SECRET_MARKER = audit.SECRET_MARKER


@dataclass(frozen=True)
class Located:
    """A monitor with the names its definition refers to."""

    monitor: Monitor
    service: str
    team: str | None
    datasource: str | None
    next_run_at: datetime | None


def _located() -> Select[*tuple[Any, ...]]:
    return (
        select(Monitor, Service.name, Service.team, Datasource.name, MonitorSchedule.next_run_at)
        .join(Service, Service.id == Monitor.service_id)
        .outerjoin(Datasource, Datasource.id == Monitor.datasource_id)
        .outerjoin(MonitorSchedule, MonitorSchedule.monitor_id == Monitor.id)
    )


def as_located(row: Any) -> Located:
    return Located(row[0], row[1], row[2], row[3], row[4])


def _secret_header_names(monitor: Monitor, box: SecretBox) -> list[str]:
    try:
        return sorted(box.decrypt(monitor.secrets))
    except SecretDecryptionError:
        return []


def secret_headers(monitor: Monitor, box: SecretBox) -> dict[str, str]:
    """The decrypted secret headers, for a run."""
    return {name: str(value) for name, value in box.decrypt(monitor.secrets).items()}


def _notify_of(monitor: Monitor, channels: dict[int, str]) -> Notify:
    stored = monitor.notify
    return Notify(
        channels=[channels[i] for i in stored.get("channel_ids", []) if i in channels],
        emails=stored.get("emails", []),
        on_error=stored.get("on_error", True),
        renotify_minutes=stored.get("renotify_minutes"),
    )


def to_read(located: Located, *, box: SecretBox, channels: dict[int, str]) -> MonitorRead:
    monitor = located.monitor
    condition = Condition.model_validate(monitor.condition)
    http = None
    if monitor.http is not None:
        http = HttpRequestRead(
            method=monitor.http["method"],
            path=monitor.http["path"],
            headers=monitor.http.get("headers", {}),
            secret_headers=_secret_header_names(monitor, box),
            body=monitor.http.get("body"),
        )
    return MonitorRead(
        id=monitor.id,
        service=located.service,
        name=monitor.name,
        description=monitor.description,
        type=monitor.type,
        datasource=located.datasource,
        datasource_id=monitor.datasource_id,
        query=monitor.query,
        http=http,
        schedule=Schedule.model_validate(monitor.schedule),
        timeout_seconds=monitor.timeout_seconds,
        enabled=monitor.enabled,
        severity=monitor.severity,
        runbook_url=monitor.runbook_url,
        condition=condition,
        condition_text=describe(condition),
        notify=_notify_of(monitor, channels),
        state=monitor.state,
        state_since=monitor.state_since,
        failing_streak=monitor.failing_streak,
        last_run_at=monitor.last_run_at,
        last_value=monitor.last_value,
        last_value_text=monitor.last_value_text,
        last_error=monitor.last_error,
        next_run_at=located.next_run_at,
        muted_until=monitor.muted_until,
        acknowledged_at=monitor.acknowledged_at,
        acknowledged_by=monitor.acknowledged_by,
        created_at=monitor.created_at,
        updated_at=monitor.updated_at,
    )


def definition_of(located: Located, *, box: SecretBox, channels: dict[int, str]) -> dict[str, Any]:
    """The monitor as a person would write it (API body, YAML), secrets as markers."""
    monitor = located.monitor
    http: dict[str, Any] | None = None
    if monitor.http is not None:
        http = {
            "method": monitor.http["method"],
            "path": monitor.http["path"],
            "headers": monitor.http.get("headers", {}),
            "body": monitor.http.get("body"),
        }
        names = _secret_header_names(monitor, box)
        if names:
            http["secret_headers"] = dict.fromkeys(names, SECRET_MARKER)
    definition: dict[str, Any] = {
        "service": located.service,
        "name": monitor.name,
        "description": monitor.description,
        "type": monitor.type,
        "datasource": located.datasource,
        "query": monitor.query,
        "http": http,
        "schedule": Schedule.model_validate(monitor.schedule).model_dump(exclude_none=True),
        "timeout_seconds": monitor.timeout_seconds,
        "enabled": monitor.enabled,
        "severity": monitor.severity,
        "runbook_url": monitor.runbook_url,
        "condition": Condition.model_validate(monitor.condition).model_dump(mode="json"),
        "notify": _notify_of(monitor, channels).model_dump(mode="json"),
    }
    return {key: value for key, value in definition.items() if value is not None}


async def get_located(session: AsyncSession, *, monitor_id: int) -> Located:
    row = (await session.execute(_located().where(Monitor.id == monitor_id))).first()
    if row is None:
        raise NotFound(f"No monitor with id {monitor_id}.")
    return as_located(row)


async def get_within(session: AsyncSession, *, monitor_id: int, scope: ServiceScope) -> Located:
    """The monitor, if ``scope`` reaches its service; otherwise the same 404 as for a
    monitor that does not exist, so scopes do not reveal what lies outside them."""
    located = await get_located(session, monitor_id=monitor_id)
    if not scope.allows(located.service, located.team):
        raise NotFound(f"No monitor with id {monitor_id}.")
    return located


def list_statement(
    *,
    scope: ServiceScope,
    service: str | None,
    state: State | None,
    severity: str | None,
    q: str | None,
    type_: str | None = None,
) -> Select[*tuple[Any, ...]]:
    statement = _located().order_by(Service.name, Monitor.name)
    if not scope.everything:
        statement = statement.where(
            Service.name.in_(scope.services) | Service.team.in_(scope.teams)
        )
    if service:
        statement = statement.where(Service.name == service)
    if state:
        statement = statement.where(Monitor.state == state.value)
    if severity:
        statement = statement.where(Monitor.severity == severity)
    if type_:
        statement = statement.where(Monitor.type == type_)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            func.lower(Monitor.name).like(pattern) | func.lower(Monitor.description).like(pattern)
        )
    return statement


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    service: Service
    datasource_id: int | None
    channel_ids: list[int]


async def resolve(session: AsyncSession, definition: MonitorDefinition) -> _Resolved:
    service = await catalog.get_service(session, name=definition.service)
    datasource_id = None
    if definition.datasource is not None:
        found = (
            await session.execute(
                select(Datasource.id, Datasource.config).where(
                    Datasource.service_id == service.id, Datasource.name == definition.datasource
                )
            )
        ).first()
        if found is None:
            raise InvalidInput(
                "datasource",
                f"service '{service.name}' has no datasource named '{definition.datasource}'",
            )
        datasource_id = found.id
        if definition.query is not None:
            _check_query_for(definition.query, found.config.get("dialect"))
    channel_ids = []
    has_email_channel = False
    found_channels = await notify.channel_types(session, definition.notify.channels)
    for name in definition.notify.channels:
        if name not in found_channels:
            raise InvalidInput("notify.channels", f"no notification channel named '{name}'")
        channel_id, channel_type = found_channels[name]
        channel_ids.append(channel_id)
        has_email_channel |= channel_type == "email"
    if definition.notify.emails and not has_email_channel:
        raise InvalidInput(
            "notify.emails", "addresses are mailed through an email channel: add one to channels"
        )
    return _Resolved(service, datasource_id, channel_ids)


def _check_query_for(query: str, dialect: str | None) -> None:
    # The schema checked what every dialect agrees on; some rules need the dialect.
    try:
        validate_query(query, dialect)
    except ValueError as exc:
        raise InvalidInput("query", str(exc)) from exc


def _apply(
    monitor: Monitor,
    definition: MonitorDefinition,
    resolved: _Resolved,
    *,
    box: SecretBox,
    secrets: dict[str, str],
) -> None:
    monitor.service_id = resolved.service.id
    monitor.name = definition.name
    monitor.description = definition.description
    monitor.type = definition.type.value
    monitor.datasource_id = resolved.datasource_id
    monitor.query = definition.query
    monitor.http = None
    if definition.http is not None:
        monitor.http = definition.http.model_dump(mode="json", exclude={"secret_headers"})
    monitor.secrets = box.encrypt(secrets) if secrets else None
    monitor.schedule = definition.schedule.model_dump(exclude_none=True)
    monitor.timeout_seconds = definition.timeout_seconds
    monitor.severity = definition.severity.value
    monitor.runbook_url = str(definition.runbook_url) if definition.runbook_url else None
    monitor.condition = definition.condition.model_dump(mode="json")
    monitor.updated_at = utcnow()
    monitor.notify = {
        "channel_ids": resolved.channel_ids,
        "emails": definition.notify.emails,
        "on_error": definition.notify.on_error,
        "renotify_minutes": definition.notify.renotify_minutes,
    }


def merged_secret_headers(current: dict[str, str], sent: dict[str, SecretStr]) -> dict[str, str]:
    """Sent secret headers set their value; an empty value removes one; others stay."""
    merged = dict(current)
    for name, value in sent.items():
        text = value.get_secret_value()
        if text and text != SECRET_MARKER:
            merged[name] = text
        elif not text:
            merged.pop(name, None)
    return merged


async def _ensure_unique(
    session: AsyncSession, service_id: int, name: str, except_id: int | None
) -> None:
    statement = select(Monitor.id).where(Monitor.service_id == service_id, Monitor.name == name)
    if except_id is not None:
        statement = statement.where(Monitor.id != except_id)
    if await session.scalar(statement) is not None:
        raise Conflict(f"A monitor named '{name}' already exists in this service.")


async def reschedule(session: AsyncSession, monitor: Monitor, *, run_at_once: bool) -> None:
    """Make the schedule row match the monitor: none while disabled; else due now (a new
    or re-enabled monitor shows its state at once) or at the next slot of its schedule."""
    await session.execute(delete(MonitorSchedule).where(MonitorSchedule.monitor_id == monitor.id))
    if monitor.enabled:
        now = utcnow()
        due = (
            now
            if run_at_once
            else next_run_after(monitor.schedule, monitor_id=monitor.id, after=now)
        )
        session.add(MonitorSchedule(monitor_id=monitor.id, next_run_at=due))


def add_event(
    session: AsyncSession,
    monitor: Monitor,
    kind: EventKind,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    message: str = "",
    actor: str | None = None,
) -> MonitorEvent:
    event = MonitorEvent(
        monitor_id=monitor.id,
        at=utcnow(),
        kind=kind.value,
        from_state=from_state,
        to_state=to_state,
        value_text=monitor.last_value_text,
        message=message,
        actor=actor,
        notified=False,
    )
    session.add(event)
    return event


def _audit(
    session: AsyncSession,
    verb: str,
    located_name: tuple[int, str, str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    monitor_id, name, service = located_name
    audit.record(
        session,
        action=f"monitor.{verb}",
        object_type="monitor",
        object_id=monitor_id,
        object_name=f"{service}/{name}",
        service=service,
        before=before,
        after=after,
    )


async def create_monitor(
    session: AsyncSession, *, box: SecretBox, definition: MonitorDefinition
) -> int:
    resolved = await resolve(session, definition)
    await _ensure_unique(session, resolved.service.id, definition.name, None)
    monitor = Monitor(
        state=State.PENDING.value if definition.enabled else State.PAUSED.value,
        state_since=utcnow(),
        failing_streak=0,
        muted_until=None,
        enabled=definition.enabled,
    )
    sent = definition.http.secret_headers if definition.http else {}
    _apply(monitor, definition, resolved, box=box, secrets=merged_secret_headers({}, sent))
    session.add(monitor)
    await flush_or_conflict(session, f"A monitor named '{definition.name}' already exists.")
    await reschedule(session, monitor, run_at_once=True)
    located = Located(
        monitor, resolved.service.name, resolved.service.team, definition.datasource, None
    )
    after = definition_of(located, box=box, channels=await notify.channel_names(session))
    _audit(session, "create", (monitor.id, monitor.name, resolved.service.name), after=after)
    await session.commit()
    return monitor.id


async def forget_secret_headers(session: AsyncSession, service: Service, *, box: SecretBox) -> None:
    """The service has another base URL: its HTTP monitors' secret headers were entered
    for the old one, so they are dropped (and audited) until someone enters them again."""
    rows = await session.execute(
        _located().where(Monitor.service_id == service.id, Monitor.secrets.is_not(None))
    )
    channels = await notify.channel_names(session)
    for located in map(as_located, rows):
        before = definition_of(located, box=box, channels=channels)
        located.monitor.secrets = None
        located.monitor.updated_at = utcnow()  # a new definition version: plans reload
        after = definition_of(located, box=box, channels=channels)
        identity = (located.monitor.id, located.monitor.name, located.service)
        _audit(session, "update", identity, before=before, after=after)


def merge_update(current: dict[str, Any], patch: MonitorUpdate) -> MonitorDefinition:
    """The stored definition with the PATCH's sent fields applied, validated whole."""
    merged = dict(current)
    for field_name in patch.model_fields_set:
        value = getattr(patch, field_name)
        merged[field_name] = (
            value.model_dump(mode="json") if hasattr(value, "model_dump") else value
        )
        if isinstance(value, HttpRequest):
            merged["http"]["secret_headers"] = {
                name: secret.get_secret_value() for name, secret in value.secret_headers.items()
            }
    if merged.get("runbook_url") is not None:
        merged["runbook_url"] = str(merged["runbook_url"])
    try:
        return MonitorDefinition.model_validate(merged)
    except ValidationError as exc:
        raise invalid_input(validation_errors(exc.errors())) from exc


async def update_monitor(
    session: AsyncSession, *, box: SecretBox, located: Located, patch: MonitorUpdate
) -> None:
    channels = await notify.channel_names(session)
    before = definition_of(located, box=box, channels=channels)
    definition = merge_update(before, patch)
    await save_definition(session, box=box, located=located, definition=definition, before=before)


async def save_definition(
    session: AsyncSession,
    *,
    box: SecretBox,
    located: Located,
    definition: MonitorDefinition,
    before: dict[str, Any],
) -> None:
    """Store a whole new definition of an existing monitor (PATCH and apply)."""
    monitor = located.monitor
    if definition.service != located.service:
        raise InvalidInput("service", "a monitor cannot move to another service")
    resolved = await resolve(session, definition)
    await _ensure_unique(session, resolved.service.id, definition.name, monitor.id)
    old_schedule, was_enabled = monitor.schedule, monitor.enabled
    current_secrets = secret_headers(monitor, box) if monitor.secrets else {}
    sent = definition.http.secret_headers if definition.http else {}
    secrets = merged_secret_headers(current_secrets, sent) if definition.http else {}
    _apply(monitor, definition, resolved, box=box, secrets=secrets)
    monitor.enabled = definition.enabled
    if was_enabled != monitor.enabled:
        _pause_or_resume(session, monitor)
    if was_enabled != monitor.enabled or old_schedule != monitor.schedule:
        await reschedule(session, monitor, run_at_once=was_enabled != monitor.enabled)
    await flush_or_conflict(session, f"A monitor named '{definition.name}' already exists.")
    after_located = Located(monitor, located.service, located.team, definition.datasource, None)
    after = definition_of(after_located, box=box, channels=await notify.channel_names(session))
    if after != before:
        _audit(
            session,
            "update",
            (monitor.id, monitor.name, located.service),
            before=before,
            after=after,
        )
    await session.commit()


def _pause_or_resume(session: AsyncSession, monitor: Monitor) -> None:
    previous = monitor.state
    if monitor.enabled:
        monitor.state, kind = State.PENDING.value, EventKind.RESUMED
    else:
        monitor.state, kind = State.PAUSED.value, EventKind.PAUSED
    monitor.state_since = utcnow()
    monitor.failing_streak = 0
    monitor.acknowledged_at = monitor.acknowledged_by = None
    add_event(session, monitor, kind, from_state=previous, to_state=monitor.state)


async def delete_monitor(session: AsyncSession, *, box: SecretBox, located: Located) -> None:
    await _remove(session, box=box, located=located, channels=await notify.channel_names(session))
    await session.commit()


async def _remove(
    session: AsyncSession, *, box: SecretBox, located: Located, channels: dict[int, str]
) -> None:
    before = definition_of(located, box=box, channels=channels)
    monitor = located.monitor
    _audit(session, "delete", (monitor.id, monitor.name, located.service), before=before)
    await session.delete(monitor)


async def remove_monitors_of(session: AsyncSession, service: Service, *, box: SecretBox) -> None:
    """Delete every monitor of ``service`` (their runs and events go with them), each with
    its audit record, in the caller's transaction: the service is being deleted."""
    channels = await notify.channel_names(session)
    rows = await session.execute(_located().where(Monitor.service_id == service.id))
    for row in rows.all():
        await _remove(session, box=box, located=as_located(row), channels=channels)
