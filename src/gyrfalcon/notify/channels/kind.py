"""Notification channels as a connection kind, contributed to the catalog.

The catalog serves them at ``/api/v1/notification-channels`` like its own global
kinds (a channel serves every service, so changing one takes the catalog's write
permission on all of them) and keeps their secrets encrypted.
"""

from __future__ import annotations

from gyrfalcon.catalog.service import ConnectionKind
from gyrfalcon.notify.channels.definitions import NotificationChannelConfig
from gyrfalcon.notify.channels.reads import NotificationChannelRead
from gyrfalcon.notify.channels.tester import ChannelTester
from gyrfalcon.notify.models import NotificationChannel

CHANNELS = ConnectionKind(
    path="notification-channels",
    label="notification channel",
    model=NotificationChannel,
    definition=NotificationChannelConfig,
    read=NotificationChannelRead,
    tester=ChannelTester(),
    service_scoped=False,
    scheduled_tests=False,
)
