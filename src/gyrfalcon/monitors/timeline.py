"""A monitor's history (runs, alert timeline) and the alerts page's actions.

Mute and acknowledge are changes made through the platform, so they are
audited and put on the monitor's timeline like state changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.core.actor import current_actor
from gyrfalcon.core.errors import Conflict, InvalidInput
from gyrfalcon.core.orm import utcnow
from gyrfalcon.monitors.models import Monitor, MonitorEvent, MonitorResult
from gyrfalcon.monitors.recording import MONITOR_EVENT_SOURCE
from gyrfalcon.monitors.schemas import (
    AlertRead,
    EventKind,
    EventRead,
    MonitorRead,
    ResultRead,
    State,
)
from gyrfalcon.monitors.service import Located, add_event
from gyrfalcon.notify import service as notify

ATTENTION = (State.ALERTING.value, State.ERROR.value)


def results_statement(
    monitor_id: int, *, since: datetime | None, until: datetime | None, outcome: str | None
) -> Select[*tuple[Any, ...]]:
    statement = (
        select(MonitorResult)
        .where(MonitorResult.monitor_id == monitor_id)
        .order_by(MonitorResult.started_at.desc(), MonitorResult.id.desc())
    )
    if since is not None:
        statement = statement.where(MonitorResult.started_at >= since)
    if until is not None:
        statement = statement.where(MonitorResult.started_at < until)
    if outcome is not None:
        statement = statement.where(MonitorResult.outcome == outcome)
    return statement


def result_to_read(row: MonitorResult) -> ResultRead:
    return ResultRead(
        id=row.id,
        monitor_id=row.monitor_id,
        trigger=row.trigger,
        scheduled_for=row.scheduled_for,
        started_at=row.started_at,
        duration_ms=row.duration_ms,
        outcome=row.outcome,
        state=row.state,
        value=row.value,
        value_text=row.value_text,
        error=row.error,
        sample=row.sample,
    )


def events_statement(monitor_id: int) -> Select[*tuple[Any, ...]]:
    return (
        select(MonitorEvent)
        .where(MonitorEvent.monitor_id == monitor_id)
        .order_by(MonitorEvent.at.desc(), MonitorEvent.id.desc())
    )


async def events_to_read(session: AsyncSession, rows: list[MonitorEvent]) -> list[EventRead]:
    """Events with their notifications and every delivery attempt (one query each)."""
    sent = await notify.for_sources(
        session, source=MONITOR_EVENT_SOURCE, source_ids=[row.id for row in rows]
    )
    return [
        EventRead(
            id=row.id,
            monitor_id=row.monitor_id,
            at=row.at,
            kind=row.kind,
            from_state=row.from_state,
            to_state=row.to_state,
            value_text=row.value_text,
            message=row.message,
            actor=row.actor,
            notifications=sent.get(row.id, []),
        )
        for row in rows
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _audit_alert_action(session: AsyncSession, located: Located, verb: str, **after: Any) -> None:
    monitor = located.monitor
    audit.record(
        session,
        action=f"monitor.{verb}",
        object_type="monitor",
        object_id=monitor.id,
        object_name=f"{located.service}/{monitor.name}",
        service=located.service,
        after={"monitor": monitor.name, **after},
    )


async def mute(session: AsyncSession, *, located: Located, until: datetime) -> None:
    until = _aware(until)
    if until <= utcnow():
        raise InvalidInput("until", "a mute must end in the future")
    monitor = located.monitor
    monitor.muted_until = until
    actor = current_actor().name
    add_event(
        session,
        monitor,
        EventKind.MUTED,
        message=f"muted until {until.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        actor=actor,
    )
    _audit_alert_action(session, located, "mute", muted_until=until.isoformat())
    await session.commit()


async def unmute(session: AsyncSession, *, located: Located) -> None:
    monitor = located.monitor
    if monitor.muted_until is None:
        return
    monitor.muted_until = None
    add_event(session, monitor, EventKind.UNMUTED, actor=current_actor().name)
    _audit_alert_action(session, located, "unmute", muted_until=None)
    await session.commit()


async def acknowledge(session: AsyncSession, *, located: Located) -> None:
    monitor = located.monitor
    if monitor.state not in ATTENTION:
        raise Conflict(
            f"Monitor '{monitor.name}' is {monitor.state}: only ALERTING or ERROR "
            "monitors can be acknowledged."
        )
    actor = current_actor().name
    monitor.acknowledged_at = utcnow()
    monitor.acknowledged_by = actor
    add_event(
        session,
        monitor,
        EventKind.ACKNOWLEDGED,
        message="reminders stop until the state changes",
        actor=actor,
    )
    _audit_alert_action(session, located, "acknowledge", acknowledged_by=actor)
    await session.commit()


_SEVERITY_RANK = case(
    (Monitor.severity == "critical", 0), (Monitor.severity == "warning", 1), else_=2
)


def alerts_order(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """Most severe first, then the longest-standing."""
    return (
        statement.where(Monitor.state.in_(ATTENTION))
        .order_by(None)
        .order_by(_SEVERITY_RANK, Monitor.state_since, Monitor.id)
    )


def alert_to_read(monitor: MonitorRead) -> AlertRead:
    return AlertRead(
        monitor=monitor,
        muted=monitor.muted_until is not None and monitor.muted_until > utcnow(),
        acknowledged=monitor.acknowledged_at is not None,
    )
