"""Long-running background services (schedulers, consumers, cleaners).

They run inside ``gyrfalcon serve`` by default, or alone in ``gyrfalcon worker``
when web replicas are started with ``--no-services``. A service that crashes is
restarted with capped exponential backoff so one bad loop never takes the
process down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

_logger = logging.getLogger(__name__)
_MAX_BACKOFF_SECONDS = 60.0


class BackgroundService(Protocol):
    name: str

    async def run(self, stop: asyncio.Event) -> None:
        """Work until ``stop`` is set; return promptly once it is."""


class ServiceRunner:
    def __init__(self, services: list[BackgroundService]) -> None:
        self._services = services
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def names(self) -> list[str]:
        return [service.name for service in self._services]

    def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(self._supervise(service), name=f"service:{service.name}")
            for service in self._services
        ]

    async def stop(self, grace_seconds: float = 10.0) -> None:
        self._stop.set()
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(self._tasks, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def wait(self) -> None:
        await self._stop.wait()

    def request_stop(self) -> None:
        self._stop.set()

    async def _supervise(self, service: BackgroundService) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                _logger.info("background service %s started", service.name)
                await service.run(self._stop)
                backoff = 1.0
            except Exception:
                _logger.exception(
                    "background service %s crashed; restarting in %.0fs", service.name, backoff
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
            else:
                if not self._stop.is_set():
                    # A service that returns on its own is restarted after a pause.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), timeout=backoff)
        _logger.info("background service %s stopped", service.name)
