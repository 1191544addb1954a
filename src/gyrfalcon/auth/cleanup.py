"""Background service that deletes expired login sessions and stale login throttles."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from gyrfalcon.auth import service
from gyrfalcon.auth.ratelimit import LoginThrottle
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core.plugins import AppContext

_logger = logging.getLogger(__name__)


class ExpiredSessionCleaner:
    name = "auth.session-cleaner"

    def __init__(self, context: AppContext, interval_seconds: float = 600) -> None:
        self._context = context
        self._interval = interval_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with self._context.database.sessionmaker() as session:
                removed = await service.purge_expired_sessions(session)
            if removed:
                _logger.info("removed %d expired login sessions", removed)
            throttle = LoginThrottle.from_settings(
                self._context.settings.section(AuthSettings), self._context.database.sessionmaker
            )
            await throttle.forget_stale()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._interval)
