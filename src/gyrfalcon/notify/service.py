"""Queue notifications in the caller's transaction, and read them back.

Messages are rendered when queued, so what is delivered is what the event
looked like at that moment even if it is retried hours later; only the
channel's address and credentials are read at delivery time (they stay
encrypted in the catalog, never copied into the outbox).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import load_definition
from gyrfalcon.core.crypto import SecretBox, SecretDecryptionError
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.settings import Settings
from gyrfalcon.notify.channels.definitions import EmailChannelConfig
from gyrfalcon.notify.channels.kind import CHANNELS
from gyrfalcon.notify.context import AlertContext as AlertContext
from gyrfalcon.notify.context import AlertSource as AlertSource
from gyrfalcon.notify.context import Event as Event
from gyrfalcon.notify.context import Fact as Fact
from gyrfalcon.notify.context import Severity as Severity
from gyrfalcon.notify.context import display as display
from gyrfalcon.notify.models import DeliveryAttempt, Notification, NotificationChannel
from gyrfalcon.notify.schemas import DeliveryAttemptRead
from gyrfalcon.notify.schemas import NotificationRead as NotificationRead
from gyrfalcon.notify.settings import NotifySettings
from gyrfalcon.notify.templates import render_safely

_logger = logging.getLogger(__name__)
UNDELIVERABLE = "_undeliverable"
"""Payload key of a notification that could not even be rendered, with the reason."""


async def channel_names(session: AsyncSession) -> dict[int, str]:
    """Every channel's name by id."""
    rows = await session.execute(select(NotificationChannel.id, NotificationChannel.name))
    return {channel_id: name for channel_id, name in rows}


async def channel_types(session: AsyncSession, names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """The id and type (email, slack, webhook) of each named channel that exists."""
    wanted = set(names)
    if not wanted:
        return {}
    rows = await session.execute(
        select(NotificationChannel.name, NotificationChannel.id, NotificationChannel.config).where(
            NotificationChannel.name.in_(wanted)
        )
    )
    return {name: (channel_id, str(config.get("type"))) for name, channel_id, config in rows}


def delivery_deadline(settings: Settings) -> timedelta:
    """How long after it is queued a notification may still be delivered."""
    return timedelta(hours=settings.section(NotifySettings).notification_deadline_hours)


async def enqueue(
    session: AsyncSession,
    *,
    box: SecretBox,
    source: str,
    source_id: int,
    channel_ids: list[int],
    emails: list[str],
    context: AlertContext,
    deadline: timedelta,
) -> list[Notification]:
    """Add one notification per channel to the session (the caller commits)."""
    if not channel_ids:
        return []
    channels = await session.scalars(
        select(NotificationChannel).where(NotificationChannel.id.in_(channel_ids))
    )
    now = utcnow()
    queued = []
    for channel in channels:
        try:
            config = load_definition(CHANNELS, channel, box)
        except SecretDecryptionError:
            # Still queued: the delivery fails with the reason, visible on the alert.
            _logger.warning("channel %s has secrets that cannot be decrypted", channel.name)
            payload = {UNDELIVERABLE: "the channel's secrets cannot be decrypted: enter them again"}
        else:
            extra = emails if isinstance(config, EmailChannelConfig) else []
            rendered = await render_safely(config, context, extra_recipients=extra)
            payload = rendered.payload
        notification = Notification(
            source=source,
            source_id=source_id,
            channel_id=channel.id,
            channel_name=channel.name,
            channel_type=channel.config.get("type", ""),
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            deadline=now + deadline,
            created_at=now,
        )
        session.add(notification)
        queued.append(notification)
    return queued


async def for_sources(
    session: AsyncSession, *, source: str, source_ids: list[int]
) -> dict[int, list[NotificationRead]]:
    """The notifications of each source id, with their attempt logs."""
    if not source_ids:
        return {}
    rows = list(
        await session.scalars(
            select(Notification)
            .where(Notification.source == source, Notification.source_id.in_(source_ids))
            .order_by(Notification.id)
        )
    )
    attempts: dict[int, list[DeliveryAttemptRead]] = defaultdict(list)
    if rows:
        for attempt in await session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.notification_id.in_([row.id for row in rows]))
            .order_by(DeliveryAttempt.id)
        ):
            attempts[attempt.notification_id].append(
                DeliveryAttemptRead(
                    at=attempt.at,
                    ok=attempt.ok,
                    message=attempt.message,
                    duration_ms=attempt.duration_ms,
                )
            )
    found: dict[int, list[NotificationRead]] = defaultdict(list)
    for row in rows:
        found[row.source_id].append(_to_read(row, attempts[row.id]))
    return found


def _to_read(row: Notification, attempts: list[DeliveryAttemptRead]) -> NotificationRead:
    status = row.status if row.status in ("sent", "failed") else "pending"
    return NotificationRead(
        id=row.id,
        channel=row.channel_name,
        channel_type=row.channel_type,
        status=status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if status == "pending" else None,
        deadline=row.deadline,
        last_error=row.last_error,
        receipt=row.receipt,
        sent_at=row.sent_at,
        attempt_log=attempts,
    )
