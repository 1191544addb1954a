"""Notifications: the durable outbox behind monitor alerts, and "send test" for channels.

Channels themselves are catalog objects (``/notification-channels``); this module
renders messages for them, queues them in the sender's transaction and delivers
them with retries.
"""

from __future__ import annotations

from gyrfalcon.core.plugins import Module
from gyrfalcon.notify.deliverer import Deliverer
from gyrfalcon.notify.router import router

module = Module(
    name="notify",
    title="Notifications",
    description="Delivers alerts by email, Slack and webhooks, with retries.",
    router=router,
    # Channels are managed with the catalog's permissions; nothing else to grant here.
    permissions=(),
    background_services=lambda context: [Deliverer(context)],
    models=("gyrfalcon.notify.models",),
)
