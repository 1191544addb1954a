"""Notifications: channels, the durable outbox behind alerts, and "send test".

Channels are a connection kind of this module (``channels/``), contributed to the
catalog, which serves them at ``/notification-channels``. This module renders
messages for them, queues them in the sender's transaction and delivers them with
retries.
"""

from __future__ import annotations

from gyrfalcon.catalog.service import CONNECTION_KINDS
from gyrfalcon.core.plugins import Module
from gyrfalcon.home.service import CHECKLIST
from gyrfalcon.notify.channels.kind import CHANNELS
from gyrfalcon.notify.deliverer import Deliverer
from gyrfalcon.notify.home import FirstChannelStep
from gyrfalcon.notify.router import router
from gyrfalcon.notify.settings import NotifySettings

module = Module(
    name="notify",
    title="Notifications",
    description="Delivers alerts by email, Slack and webhooks, with retries.",
    router=router,
    # Channels are managed with the catalog's permissions; nothing else to grant here.
    permissions=(),
    background_services=lambda context: [Deliverer(context)],
    models=("gyrfalcon.notify.models",),
    settings=NotifySettings,
    contributes={CONNECTION_KINDS: (CHANNELS,), CHECKLIST: (FirstChannelStep(),)},
)
