"""Background service that runs due monitors: exactly once per slot across processes.

Each poll claims due schedule rows with a lease (``core.leases``), as many as
the runner has free slots, so a process never holds work it cannot start.
Each claimed run executes as its own task; its transaction moves the slot on
and ends the lease (``recording.record_run``). The lease lasts the monitor's
hard timeout plus a margin, so a process that died mid-run hands the monitor
to another process after that, and a live one always finishes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from gyrfalcon.core.db import utcnow
from gyrfalcon.core.leases import claim
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.monitors.models import Monitor, MonitorSchedule
from gyrfalcon.monitors.plans import plan_for
from gyrfalcon.monitors.recording import SCHEDULE_LEASE, Delivery, record_run
from gyrfalcon.monitors.runner import runner_of
from gyrfalcon.monitors.schemas import MAX_TIMEOUT_SECONDS

_logger = logging.getLogger(__name__)
POLL_SECONDS = 0.2
# Room for loading the plan and storing the result around the check's own limit.
_LEASE_MARGIN_SECONDS = 30


class Scheduler:
    name = "monitors.scheduler"

    def __init__(self, context: AppContext) -> None:
        self._context = context
        self._runner = runner_of(context.shared, context.settings)
        self._delivery = delivery_of(context)
        self._running: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                await self.start_due()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)
        finally:
            # Runs in flight finish and store their results: a restart loses none.
            await self.wait_idle()

    async def wait_idle(self) -> None:
        """Wait until every run this scheduler started has stored its result."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def start_due(self) -> int:
        """Claim what is due and start it; returns how many runs started."""
        free = self._runner.free_slots - len(self._running)
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
            rows = await session.execute(
                select(MonitorSchedule.monitor_id, MonitorSchedule.next_run_at).where(
                    MonitorSchedule.monitor_id.in_(won)
                )
            )
            slots = {monitor_id: slot for monitor_id, slot in rows}
            await session.commit()
        for monitor_id in won:
            task = asyncio.create_task(self._run_one(monitor_id, token, slots.get(monitor_id)))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(won)

    async def _run_one(self, monitor_id: int, token: str, slot: datetime | None) -> None:
        database = self._context.database
        try:
            async with database.sessionmaker() as session:
                monitor = await session.get(Monitor, monitor_id)
                if monitor is None:
                    return  # deleted since the claim; its schedule row went with it
                plan = await plan_for(session, monitor, box=self._context.secrets)
                await session.commit()
            report = await self._runner.run(plan)
            async with database.sessionmaker() as session:
                await record_run(
                    session,
                    monitor_id=monitor_id,
                    report=report,
                    trigger="schedule",
                    delivery=self._delivery,
                    scheduled_for=slot,
                    lease_token=token,
                )
        except Exception:
            # The lease runs out and a later poll runs it again; the loop carries on.
            _logger.exception("monitor %s: run failed", monitor_id)


def delivery_of(context: AppContext) -> Delivery:
    settings = context.settings
    return Delivery(
        box=context.secrets,
        console_url=settings.public_url,
        deadline=timedelta(hours=settings.notification_deadline_hours),
    )
