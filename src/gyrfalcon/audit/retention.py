"""Background service applying the audit retention setting (default: keep forever)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from gyrfalcon.audit import service as audit
from gyrfalcon.audit.settings import AuditSettings
from gyrfalcon.core.plugins import AppContext

_logger = logging.getLogger(__name__)
_INTERVAL_SECONDS = 3600.0


class AuditRetention:
    name = "audit.retention"

    def __init__(self, context: AppContext) -> None:
        self._context = context

    async def run(self, stop: asyncio.Event) -> None:
        days = self._context.settings.section(AuditSettings).audit_retention_days
        while days is not None and not stop.is_set():
            async with self._context.database.sessionmaker() as session:
                removed = await audit.purge_older_than(session, days=days)
            if removed:
                _logger.info("removed %d audit records older than %d days", removed, days)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=_INTERVAL_SECONDS)
        await stop.wait()
