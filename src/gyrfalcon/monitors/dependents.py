"""The monitors that go with a deleted service, each deleted with its audit record."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import DependentGroup, Service
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.monitors import service as monitors
from gyrfalcon.monitors.models import Monitor, MonitorResult

_NAMES_SHOWN = 50


class MonitorDependents:
    order = 10  # before the datasources they query

    async def describe(self, session: AsyncSession, service: Service) -> list[DependentGroup]:
        names = list(
            await session.scalars(
                select(Monitor.name).where(Monitor.service_id == service.id).order_by(Monitor.name)
            )
        )
        if not names:
            return []
        runs = await session.scalar(
            select(func.count(MonitorResult.id))
            .join(Monitor, Monitor.id == MonitorResult.monitor_id)
            .where(Monitor.service_id == service.id)
        )
        return [
            DependentGroup(
                module="monitors",
                kind="monitors",
                label="monitors",
                count=len(names),
                names=names[:_NAMES_SHOWN],
                detail=f"with their {runs or 0} stored runs and alert timelines",
            )
        ]

    async def remove(self, session: AsyncSession, service: Service, *, box: SecretBox) -> None:
        await monitors.remove_monitors_of(session, service, box=box)
