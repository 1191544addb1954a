"""Background rounds that test every saved connection, so health stays current.

Every ``connection_test_interval_seconds`` each connection of a kind that allows it is
tested like the "Test" button does and the result kept as its last test. A round claims
a connection with a conditional update of ``test_claimed_at`` (the same race-free claim
as ``core.leases``), so several workers share the rounds without testing one twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update

from gyrfalcon.catalog import connections
from gyrfalcon.catalog.health import record_test
from gyrfalcon.catalog.kinds import CONNECTION_KINDS, ConnectionKind
from gyrfalcon.catalog.models import Service, ServiceConnectionMixin
from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.settings import CatalogSettings
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext

_logger = logging.getLogger(__name__)
_MAX_TICK_SECONDS = 30.0
_PARALLEL_TESTS = 4


class ScheduledTests:
    name = "catalog.scheduled_tests"

    def __init__(self, context: AppContext, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._context = context
        self._clock = clock
        self._interval = context.settings.section(CatalogSettings).connection_test_interval_seconds
        self._limit = asyncio.Semaphore(_PARALLEL_TESTS)

    def kinds(self) -> list[ConnectionKind]:
        kinds: list[ConnectionKind] = self._context.registry.contributions(CONNECTION_KINDS)
        return [kind for kind in kinds if kind.scheduled_tests]

    async def run(self, stop: asyncio.Event) -> None:
        tick = min(float(self._interval), _MAX_TICK_SECONDS)
        while self._interval and not stop.is_set():
            await self.run_round()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=tick)
        await stop.wait()

    async def run_round(self) -> int:
        """Test every connection that is due; returns how many were tested."""
        tested = 0
        for kind in self.kinds():
            due = await self._due(kind)
            results = await asyncio.gather(*(self._test(kind, key) for key in due))
            tested += sum(results)
        return tested

    def _due_condition(self, kind: ConnectionKind, now: datetime) -> ColumnElement[bool]:
        claimed = kind.model.test_claimed_at
        return or_(claimed.is_(None), claimed <= now - timedelta(seconds=self._interval))

    async def _due(self, kind: ConnectionKind) -> list[int]:
        async with self._context.database.sessionmaker() as session:
            statement = select(kind.model.id).where(self._due_condition(kind, self._clock()))
            return list(await session.scalars(statement.order_by(kind.model.id)))

    async def _test(self, kind: ConnectionKind, key: int) -> bool:
        async with self._limit, self._context.database.sessionmaker() as session:
            now = self._clock()
            claim = await session.execute(
                update(kind.model)
                .where(kind.model.id == key, self._due_condition(kind, now))
                .values(test_claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
            if not getattr(claim, "rowcount", 0):
                return False  # another worker took it, or it was deleted
            row = await session.get(kind.model, key)
            if row is None:
                return False
            service = None
            if isinstance(row, ServiceConnectionMixin):
                service = await session.get(Service, row.service_id)
            try:
                await connections.test_saved(
                    session,
                    kind,
                    box=self._context.secrets,
                    settings=self._context.settings,
                    service=service,
                    row=row,
                    now=self._clock(),
                )
            except ProblemError as exc:  # e.g. a SQLite file the settings no longer allow
                failed = ConnectionTestResult(ok=False, latency_ms=None, message=exc.detail)
                await record_test(session, row, failed, now=self._clock())
            except Exception:  # one connection's trouble must not end the round
                _logger.exception("scheduled test of %s %d failed", kind.label, key)
                return False
            return True
