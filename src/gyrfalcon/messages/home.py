"""The messages' part of the home page: subscriptions in error or falling behind."""

from __future__ import annotations

from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem
from gyrfalcon.messages import subscriptions
from gyrfalcon.messages.schemas import ConsumerStatus, SubscriptionStatus
from gyrfalcon.messages.settings import MessagesSettings

LAGGING = 1000
"""Messages behind the end of the topic from which a subscription counts as lagging."""


class SubscriptionTroubleTile:
    key = "messages.trouble"
    module = "messages"
    title = "Subscriptions in trouble"
    empty = "Every subscription is consuming and keeping up."
    link = "/messages"
    feed = False
    badge = True
    order = 30

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        found = await subscriptions.list_located(
            viewer.session, scope=await viewer.scope(self.module)
        )
        status_of = await subscriptions.statuses(
            viewer.session, found, stale_after=subscriptions.stale_after(MessagesSettings())
        )
        troubled = [
            (item, status_of[item.subscription.id])
            for item in found
            if _troubled(status_of[item.subscription.id])
        ]
        troubled.sort(key=lambda pair: (pair[1].state != ConsumerStatus.ERROR, -(pair[1].lag or 0)))
        return TileContent(
            total=len(troubled),
            items=[
                TileItem(
                    title=f"{item.service}/{item.subscription.name}",
                    link=f"/messages/subscriptions/{item.subscription.id}",
                    severity="error" if status.state == ConsumerStatus.ERROR else "warning",
                    service=item.service,
                    detail=status.error
                    if status.state == ConsumerStatus.ERROR and status.error
                    else f"{status.lag} messages behind on {item.subscription.topic}",
                    since=status.updated_at,
                )
                for item, status in troubled[:limit]
            ],
        )


def _troubled(status: SubscriptionStatus) -> bool:
    return status.state == ConsumerStatus.ERROR or (status.lag or 0) >= LAGGING
