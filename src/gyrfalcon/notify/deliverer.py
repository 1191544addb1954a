"""Background service that delivers the outbox, with retries and backoff.

Each process claims due notifications with a lease (``core.leases``), sends
them, and records every attempt. A failed attempt is retried with exponential
backoff until the notification's deadline; an answer that retrying cannot
change (a 404, a rejected login) fails it at once. On shutdown the deliveries
in flight finish before the process stops, so a restart neither loses a
notification nor sends one twice. A process killed in the middle of a send
cannot know whether the receiver got it: the lease runs out, the message is
sent again, and the ``delivery_id`` (Message-ID, ``X-Gyrfalcon-Delivery``) lets
the receiver drop the duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from gyrfalcon.catalog.service import load_definition
from gyrfalcon.core.crypto import SecretDecryptionError
from gyrfalcon.core.leases import LeaseColumns, claim, held
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.notify.channels.kind import CHANNELS
from gyrfalcon.notify.models import DeliveryAttempt, Notification, NotificationChannel
from gyrfalcon.notify.senders.base import DeliveryError
from gyrfalcon.notify.senders.registry import sender_for
from gyrfalcon.notify.service import UNDELIVERABLE
from gyrfalcon.notify.settings import NotifySettings

_logger = logging.getLogger(__name__)
_POLL_SECONDS = 0.5
_BATCH = 20
_MAX_MESSAGE = 1000
LEASE = LeaseColumns(Notification.id, Notification.lease_token, Notification.lease_until)


class Deliverer:
    name = "notify.deliverer"

    def __init__(self, context: AppContext, clock: Callable[[], datetime] = utcnow) -> None:
        # The clock decides what is due and when a deadline has passed; tests move it.
        self._context = context
        self._clock = clock
        settings = context.settings.section(NotifySettings)
        self._timeout = settings.notification_timeout_seconds
        self._first_retry = settings.notification_retry_seconds
        self._max_retry = settings.notification_retry_max_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            delivered = await self.deliver_due()
            if delivered < _BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=_POLL_SECONDS)

    async def deliver_due(self) -> int:
        """Claim and send one batch of due notifications; returns how many were tried."""
        now = self._clock()
        async with self._context.database.sessionmaker() as session:
            token, ids = await claim(
                session,
                LEASE,
                due=(Notification.status == "pending") & (Notification.next_attempt_at <= now),
                order_by=Notification.next_attempt_at,
                now=now,
                # Every send of the batch is bounded by the timeout; the margin covers
                # the bookkeeping around them.
                lease=timedelta(seconds=self._timeout * 2 + 30),
                limit=_BATCH,
            )
        if ids:
            await asyncio.gather(
                *(self._deliver(notification_id, token) for notification_id in ids)
            )
        return len(ids)

    async def _deliver(self, notification_id: int, token: str) -> None:
        async with self._context.database.sessionmaker() as session:
            notification = await session.get(Notification, notification_id)
            if notification is None or notification.lease_token != token:
                return
            channel = (
                await session.get(NotificationChannel, notification.channel_id)
                if notification.channel_id is not None
                else None
            )
            await session.commit()
        clock = time.perf_counter()
        ok, message, retryable, retry_after = await self._send(notification, channel)
        duration_ms = (time.perf_counter() - clock) * 1000
        await self._record(
            notification,
            token,
            ok=ok,
            message=message,
            retryable=retryable,
            retry_after=retry_after,
            duration_ms=duration_ms,
        )

    async def _send(
        self, notification: Notification, channel: NotificationChannel | None
    ) -> tuple[bool, str, bool, float | None]:
        if channel is None:
            return False, "the channel was deleted", False, None
        if UNDELIVERABLE in notification.payload:
            return False, str(notification.payload[UNDELIVERABLE]), False, None
        try:
            config = load_definition(CHANNELS, channel, self._context.secrets)
        except SecretDecryptionError:
            return False, "the channel's secrets cannot be decrypted: enter them again", False, None
        try:
            receipt = await sender_for(config).send(
                config,
                notification.payload,
                delivery_id=f"gyrfalcon-notification-{notification.id}",
                timeout=self._timeout,
            )
        except DeliveryError as exc:
            return False, exc.message, exc.retryable, exc.retry_after
        except Exception as exc:  # a sender bug must not stop the outbox
            _logger.exception("sender failed on notification %s", notification.id)
            return False, f"unexpected error: {type(exc).__name__}", True, None
        return True, receipt, False, None

    async def _record(
        self,
        notification: Notification,
        token: str,
        *,
        ok: bool,
        message: str,
        retryable: bool,
        retry_after: float | None,
        duration_ms: float,
    ) -> None:
        now = self._clock()
        attempts = notification.attempts + 1
        values: dict[str, Any] = {"attempts": attempts, "lease_token": None, "lease_until": None}
        if ok:
            values.update(status="sent", sent_at=now, receipt=message[:300], last_error=None)
        else:
            # A receiver that says when to come back (429 Retry-After) is believed.
            wait = max(self._backoff(attempts), timedelta(seconds=retry_after or 0))
            retry_at = now + wait
            if retryable and retry_at < notification.deadline:
                values.update(next_attempt_at=retry_at, last_error=message)
            else:
                reason = message if not retryable else f"{message} (gave up at the deadline)"
                values.update(status="failed", last_error=reason)
        async with self._context.database.sessionmaker() as session:
            result = await session.execute(
                update(Notification)
                .where(held(LEASE, notification.id, token))
                .values(values)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0):
                session.add(
                    DeliveryAttempt(
                        notification_id=notification.id,
                        at=now,
                        ok=ok,
                        message=message[:_MAX_MESSAGE],
                        duration_ms=duration_ms,
                    )
                )
            await session.commit()
        if not ok:
            _logger.warning(
                "notification %s to %s failed (attempt %d): %s",
                notification.id,
                notification.channel_name,
                attempts,
                message,
            )

    def _backoff(self, attempts: int) -> timedelta:
        base = min(self._first_retry * 2 ** (attempts - 1), self._max_retry)
        # Jitter spreads the retries of many notifications to one channel that was down.
        return timedelta(seconds=base * random.uniform(0.8, 1.0))  # noqa: S311
