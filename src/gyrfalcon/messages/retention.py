"""Retention: purge each subscription's messages older than its retention, and all the
messages of deleted subscriptions, in bounded batches.

Each batch is its own short transaction of at most ``GYRFALCON_MESSAGES_RETENTION_BATCH``
messages, so ingest and reads are never held behind one long delete. Several workers
may purge at once: the deletes are idempotent and the stored counts are decremented by
what each delete really removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.messages.models import DeletedSubscription, Subscription
from gyrfalcon.messages.settings import MessagesSettings
from gyrfalcon.messages.store.base import MessageStore
from gyrfalcon.messages.store.registry import store_of

_logger = logging.getLogger(__name__)
Purge = Callable[..., Awaitable[int]]
EVERYTHING_MS = 2**62
"""A time after every message: a deleted subscription's messages all go."""


class Retention:
    name = "messages.retention"

    def __init__(
        self,
        context: AppContext,
        *,
        store: MessageStore | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._context = context
        self._store = store or store_of(context)
        self._clock = clock
        settings = context.settings.section(MessagesSettings)
        self._interval = settings.messages_retention_interval_seconds
        self._batch = settings.messages_retention_batch

    async def run(self, stop: asyncio.Event) -> None:
        while self._interval and not stop.is_set():
            await self.run_round(stop)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._interval)
        await stop.wait()

    async def run_round(self, stop: asyncio.Event | None = None) -> int:
        """Purge what is due now; returns how many messages went."""
        now = self._clock()
        async with self._context.database.sessionmaker() as session:
            kept = list(await session.execute(select(Subscription.id, Subscription.retention_days)))
            deleted = list(await session.scalars(select(DeletedSubscription.subscription_id)))
        longest = max((days for _sid, days in kept), default=1)
        removed = await self._store.prepare(now_ms=int(now.timestamp() * 1000), keep_days=longest)
        for subscription_id, days in kept:
            before_ms = int((now - timedelta(days=days)).timestamp() * 1000)
            removed += await self._purge(subscription_id, before_ms, stop)
        for subscription_id in deleted:
            removed += await self._purge(subscription_id, EVERYTHING_MS, stop)
            if stop is None or not stop.is_set():
                async with self._context.database.sessionmaker() as session:
                    await session.execute(
                        delete(DeletedSubscription).where(
                            DeletedSubscription.subscription_id == subscription_id
                        )
                    )
                    await session.commit()
        if removed:
            _logger.info("retention removed %d stored messages", removed)
        return removed

    async def _purge(self, subscription_id: int, before_ms: int, stop: asyncio.Event | None) -> int:
        removed = await self._drain(self._store.purge, subscription_id, before_ms, stop)
        await self._drain(self._store.purge_index, subscription_id, before_ms, stop)
        return removed

    async def _drain(
        self, purge: Purge, subscription_id: int, before_ms: int, stop: asyncio.Event | None
    ) -> int:
        """Call ``purge`` batch after batch until a batch comes back short."""
        removed = 0
        while stop is None or not stop.is_set():
            went = await purge(subscription_id, before_ms=before_ms, limit=self._batch)
            removed += went
            if went < self._batch:
                break
            await asyncio.sleep(0)  # let ingest and reads in between batches
        return removed
