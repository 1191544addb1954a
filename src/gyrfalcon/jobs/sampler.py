"""Counts every job backend in the background, for the overview and the home page.

Each round gives every backend without a recent sample a row, leases the due rows
(``core.leases``: several workers share the rounds, a backend is counted by one),
counts them a few at a time, each within its own time limit, and stores the counts or
why there are none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from gyrfalcon.catalog import service as catalog
from gyrfalcon.core import leases
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.jobs import overview
from gyrfalcon.jobs import service as jobs
from gyrfalcon.jobs.models import JobBackendSample
from gyrfalcon.jobs.settings import JobsSettings

_logger = logging.getLogger(__name__)
COLUMNS = leases.LeaseColumns(
    key=JobBackendSample.backend_id,
    token=JobBackendSample.lease_token,
    until=JobBackendSample.lease_until,
)
_BATCH = 200
_MAX_TICK_SECONDS = 15.0


class CountsSampler:
    name = "jobs.counts"

    def __init__(self, context: AppContext, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._context = context
        self._clock = clock
        section = context.settings.section(JobsSettings)
        self._interval = section.jobs_counts_interval_seconds
        self._lease = timedelta(seconds=section.jobs_timeout_seconds * 2 + 30)

    async def run(self, stop: asyncio.Event) -> None:
        tick = min(self._interval, _MAX_TICK_SECONDS)
        while self._interval and not stop.is_set():
            await self.run_round()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=tick)
        await stop.wait()

    async def run_round(self) -> int:
        """Count every backend that is due; returns how many were counted."""
        await self._add_missing()
        now = self._clock()
        due = or_(
            JobBackendSample.sampled_at.is_(None),
            JobBackendSample.sampled_at <= now - timedelta(seconds=self._interval),
        )
        async with self._context.database.sessionmaker() as session:
            token, keys = await leases.claim(
                session,
                COLUMNS,
                due=due,
                order_by=JobBackendSample.backend_id,
                now=now,
                lease=self._lease,
                limit=_BATCH,
            )
        gate = asyncio.Semaphore(overview.AT_ONCE)

        async def one(key: int) -> None:
            async with gate:
                await self._sample(key, token)

        await asyncio.gather(*(one(key) for key in keys))
        return len(keys)

    async def _add_missing(self) -> None:
        async with self._context.database.sessionmaker() as session:
            missing = await session.scalars(
                select(catalog.JobBackend.id).where(
                    ~select(JobBackendSample.backend_id)
                    .where(JobBackendSample.backend_id == catalog.JobBackend.id)
                    .exists()
                )
            )
            for backend_id in missing:
                session.add(JobBackendSample(backend_id=backend_id, message="", counts={}))
            try:
                await session.commit()
            except IntegrityError:  # another worker added them first
                await session.rollback()

    async def _sample(self, key: int, token: str) -> None:
        context = self._context
        async with context.database.sessionmaker() as session:
            service = await session.scalar(
                select(catalog.Service.name)
                .join(catalog.JobBackend, catalog.JobBackend.service_id == catalog.Service.id)
                .where(catalog.JobBackend.id == key)
            )
            try:
                located = await jobs.locate(
                    session, context.secrets, service=service or "", backend_id=key
                )
            except ProblemError as problem:
                ok, message, counts = False, problem.detail, {}
            else:
                read = await overview.of_backend(located, context.settings)
                ok, message = read.ok, read.message
                counts = read.counts.model_dump()
            await session.execute(
                update(JobBackendSample)
                .where(leases.held(COLUMNS, key, token))
                .values(
                    sampled_at=self._clock(),
                    ok=ok,
                    message=message,
                    counts=counts,
                    lease_token=None,
                    lease_until=None,
                )
                .execution_options(synchronize_session=False)
            )
            await session.commit()
