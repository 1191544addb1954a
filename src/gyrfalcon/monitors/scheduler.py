"""Background service that runs due monitors: exactly once per slot across processes.

Each poll claims due schedule rows with a lease (``core.leases``), as many as
the runner has free slots, so a process never holds work it cannot start, and
loads the claimed monitors in one query. Plans (the decrypted datasource, the
parsed request) are cached per definition version, so a run costs no catalog
reads. Finished runs are written in batches: runs that only update a value go
through one three-statement transaction together; a run that changes state,
and so may alert, gets its own transaction with a fresh read of the monitor.

The lease lasts the longest hard timeout plus a margin, so a process that died
mid-run hands its monitors to another process after that, while a live one
always stores its result first; the lease token guards every slot update.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import Datasource, Service
from gyrfalcon.core.leases import claim
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.monitors.checks.base import Plan
from gyrfalcon.monitors.models import Monitor, MonitorSchedule
from gyrfalcon.monitors.plans import plan_for
from gyrfalcon.monitors.recording import (
    SCHEDULE_LEASE,
    Delivery,
    ScheduledRun,
    record_quiet_runs,
    record_run,
)
from gyrfalcon.monitors.runner import runner_of
from gyrfalcon.monitors.schemas import MAX_TIMEOUT_SECONDS
from gyrfalcon.monitors.settings import MonitorSettings
from gyrfalcon.notify import service as notify

_logger = logging.getLogger(__name__)
POLL_SECONDS = 0.2
# Room for loading the plan and storing the result around the check's own limit.
_LEASE_MARGIN_SECONDS = 30
# Finished runs wait this long for company before they are written together.
_WRITE_DELAY_SECONDS = 0.05
# Claimed but unstored runs per process, in multiples of the run concurrency.
_PIPELINE_DEPTH = 4

_Version = tuple[datetime, datetime | None, datetime | None]


@dataclass(frozen=True)
class _Claimed:
    monitor: Monitor
    slot: datetime
    version: _Version
    """The monitor's, its datasource's and its service's updated_at."""


class Scheduler:
    name = "monitors.scheduler"

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._runner = runner_of(context.shared, context.settings)
        self._delivery = delivery_of(context)
        self._running: set[asyncio.Task[None]] = set()
        self._plans: dict[int, tuple[_Version, Plan]] = {}
        self._finished: list[ScheduledRun] = []
        self._unstored = 0
        """Claimed runs whose results are not stored yet (running, or waiting to be
        written): bounded, so a slow platform database slows the claims down instead
        of letting finished runs pile up in memory with their leases held."""
        self._max_unstored = (
            _PIPELINE_DEPTH * context.settings.section(MonitorSettings).monitor_concurrency
        )
        self._writer: asyncio.Task[None] | None = None
        self._slot_freed = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                if self._free_slots() <= 0:
                    # Busy: claim again as soon as a run finishes, not a poll later.
                    self._slot_freed.clear()
                    await _wait_any(self._slot_freed, stop, timeout=POLL_SECONDS)
                elif await self.start_due() == 0:
                    await _wait_any(stop, timeout=POLL_SECONDS)
        finally:
            # Runs in flight finish and store their results: a restart loses none.
            await self.wait_idle()

    async def wait_idle(self) -> None:
        """Wait until every run this scheduler started has stored its result."""
        while self._running or self._writer is not None:
            await asyncio.gather(*self._running, return_exceptions=True)
            if self._writer is not None:
                await asyncio.gather(self._writer, return_exceptions=True)

    async def start_due(self) -> int:
        """Claim what is due and start it; returns how many runs started."""
        free = self._free_slots()
        if free <= 0:
            return 0
        now = utcnow()
        async with self._context.database.sessionmaker() as session:
            token, won = await claim(
                session,
                SCHEDULE_LEASE,
                due=MonitorSchedule.next_run_at <= now,
                order_by=MonitorSchedule.next_run_at,
                now=now,
                lease=timedelta(seconds=MAX_TIMEOUT_SECONDS + _LEASE_MARGIN_SECONDS),
                limit=free,
            )
            if not won:
                return 0
            claimed = await _load(session, won)
            plans = {item.monitor.id: await self._plan(session, item) for item in claimed}
            await session.commit()
        self._unstored += len(claimed)
        for item in claimed:
            task = asyncio.create_task(self._run_one(item, plans[item.monitor.id], token))
            self._running.add(task)
            task.add_done_callback(self._finish)
        return len(claimed)

    def _finish(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._slot_freed.set()

    def _free_slots(self) -> int:
        return min(
            self._runner.free_slots - len(self._running), self._max_unstored - self._unstored
        )

    async def _plan(self, session: AsyncSession, item: _Claimed) -> Plan:
        cached = self._plans.get(item.monitor.id)
        if cached is not None and cached[0] == item.version:
            return cached[1]
        plan = await plan_for(session, item.monitor, box=self._context.secrets)
        self._plans[item.monitor.id] = (item.version, plan)
        return plan

    async def _run_one(self, item: _Claimed, plan: Plan, token: str) -> None:
        try:
            report = await self._runner.run(plan)
        except Exception:
            # The lease runs out and a later poll runs it again; the loop carries on.
            _logger.exception("monitor %s: run failed", item.monitor.id)
            self._unstored -= 1
            return
        self._finished.append(ScheduledRun(item.monitor, report, item.slot, token))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        try:
            while self._finished:
                await asyncio.sleep(_WRITE_DELAY_SECONDS)
                batch, self._finished = self._finished, []
                await self._store(batch)
                self._unstored -= len(batch)
                self._slot_freed.set()
        finally:
            self._writer = None

    async def _store(self, batch: list[ScheduledRun]) -> None:
        quiet: list[ScheduledRun] = []
        eventful: list[ScheduledRun] = []
        for run in batch:
            (quiet if run.is_quiet() else eventful).append(run)
        database = self._context.database
        try:
            if quiet:
                async with database.sessionmaker() as session:
                    await record_quiet_runs(session, quiet)
            for run in eventful:
                async with database.sessionmaker() as session:
                    await record_run(
                        session,
                        monitor_id=run.monitor.id,
                        report=run.report,
                        trigger="schedule",
                        delivery=self._delivery,
                        scheduled_for=run.scheduled_for,
                        lease_token=run.token,
                    )
        except Exception:
            # Unstored runs keep their leases; the slots run again when those end.
            _logger.exception("storing %d monitor runs failed", len(batch))


async def _wait_any(*events: asyncio.Event, timeout: float) -> None:
    """Return when one of ``events`` is set or after ``timeout`` seconds."""
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _load(session: AsyncSession, ids: list[int]) -> list[_Claimed]:
    """The claimed monitors with their slots and definition versions, in one query."""
    rows = await session.execute(
        select(Monitor, MonitorSchedule.next_run_at, Datasource.updated_at, Service.updated_at)
        .join(MonitorSchedule, MonitorSchedule.monitor_id == Monitor.id)
        .join(Service, Service.id == Monitor.service_id)
        .outerjoin(Datasource, Datasource.id == Monitor.datasource_id)
        .where(Monitor.id.in_(ids))
    )
    return [
        _Claimed(monitor, slot, (monitor.updated_at, datasource_version, service_version))
        for monitor, slot, datasource_version, service_version in rows
    ]


def delivery_of(context: AppContext) -> Delivery:
    settings = context.settings
    return Delivery(
        box=context.secrets,
        console_url=settings.public_url,
        deadline=notify.delivery_deadline(settings),
    )
