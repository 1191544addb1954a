"""Background service deleting monitor runs older than the retention setting.

Deletes in chunks: a monitor running every 10 s writes 8,640 runs a day, and
one huge DELETE would hold locks the scheduler's inserts then wait for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.monitors.models import MonitorResult
from gyrfalcon.monitors.settings import MonitorSettings

_logger = logging.getLogger(__name__)
_INTERVAL_SECONDS = 600.0
_CHUNK = 5000


async def purge_results(session: AsyncSession, *, older_than: timedelta) -> int:
    """Delete runs started before now - ``older_than``; returns how many."""
    cutoff = utcnow() - older_than
    removed = 0
    while True:
        ids = list(
            await session.scalars(
                select(MonitorResult.id).where(MonitorResult.started_at < cutoff).limit(_CHUNK)
            )
        )
        if not ids:
            return removed
        await session.execute(delete(MonitorResult).where(MonitorResult.id.in_(ids)))
        await session.commit()
        removed += len(ids)


class ResultRetention:
    name = "monitors.retention"

    def __init__(self, context: AppContext) -> None:
        self._context = context

    async def run(self, stop: asyncio.Event) -> None:
        keep = timedelta(
            days=self._context.settings.section(MonitorSettings).monitor_result_retention_days
        )
        while not stop.is_set():
            async with self._context.database.sessionmaker() as session:
                removed = await purge_results(session, older_than=keep)
            if removed:
                _logger.info("removed %d monitor runs older than %s", removed, keep)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=_INTERVAL_SECONDS)
