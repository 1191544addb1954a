"""The notify module's getting-started step: a channel for the alerts to go to."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.notify.models import NotificationChannel


class FirstChannelStep:
    key = "notify.channel"
    title = "Add a notification channel"
    description = "An e-mail relay, a Slack webhook or your own webhook, for the alerts."
    link = "/catalog/notification-channels"
    order = 40
    module = "catalog"  # channels are kept in the catalog, under its write permission
    action = "write"

    async def done(self, session: AsyncSession) -> bool:
        statement = select(exists().where(NotificationChannel.id.is_not(None)))
        return bool(await session.scalar(statement))
