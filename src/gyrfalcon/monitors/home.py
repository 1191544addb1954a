"""The monitors' part of the home page: monitors needing attention, and the first monitor
of the getting-started checklist."""

from __future__ import annotations

from sqlalchemy import case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import Service
from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem
from gyrfalcon.monitors.models import Monitor
from gyrfalcon.monitors.schemas import State

_NEEDS_ATTENTION = (State.ALERTING.value, State.ERROR.value)
# Most severe first: critical, warning and info alerts, then monitors that cannot run.
_URGENCY = case(
    (Monitor.state == State.ERROR.value, 3),
    (Monitor.severity == "critical", 0),
    (Monitor.severity == "warning", 1),
    else_=2,
)


class MonitorsTile:
    key = "monitors.attention"
    module = "monitors"
    title = "Monitors needing attention"
    empty = "No monitor is alerting or failing to run."
    link = "/monitors/alerts"
    feed = False
    badge = True
    order = 10

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        scope = await viewer.scope(self.module)
        statement = (
            select(Monitor, Service.name)
            .join(Service, Service.id == Monitor.service_id)
            .where(Monitor.state.in_(_NEEDS_ATTENTION))
        )
        if not scope.everything:
            statement = statement.where(
                Service.name.in_(scope.services) | Service.team.in_(scope.teams)
            )
        total = await viewer.session.scalar(select(func.count()).select_from(statement.subquery()))
        rows = await viewer.session.execute(
            statement.order_by(_URGENCY, Monitor.state_since).limit(limit)
        )
        return TileContent(total=total or 0, items=[_item(m, service) for m, service in rows])


def _item(monitor: Monitor, service: str) -> TileItem:
    alerting = monitor.state == State.ALERTING.value
    if alerting:
        detail = f"Alerting, value {monitor.last_value_text or monitor.last_value}"
        if monitor.acknowledged_by:
            detail += f"; acknowledged by {monitor.acknowledged_by}"
    else:
        detail = f"Cannot run: {monitor.last_error or 'unknown error'}"
    return TileItem(
        title=monitor.name,
        link=f"/monitors/{monitor.id}",
        severity=monitor.severity if alerting else "error",
        service=service,
        detail=detail,
        since=monitor.state_since,
    )


class FirstMonitorStep:
    key = "monitors.first"
    title = "Add a monitor"
    description = "Write an SQL query or pick an HTTP endpoint that finds dirty data."
    link = "/monitors/new"
    order = 30
    module = "monitors"
    action = "write"

    async def done(self, session: AsyncSession) -> bool:
        return bool(await session.scalar(select(exists().where(Monitor.id.is_not(None)))))
