"""Async messages: Kafka consumers that decode protobuf schemas uploaded at run time,
store every message, and make the history searchable by business field (ADR 0007).

Schemas (``proto_schemas.py``, compiled by ``protos/``), subscriptions
(``subscriptions.py``), the consumers (``consumer/``, a background service of every
worker), the store (``store/``) and the search over it.
"""

from __future__ import annotations

from gyrfalcon.catalog.service import SERVICE_DEPENDENTS
from gyrfalcon.core.plugins import DEFAULT_PERMISSIONS, Module, NavEntry, PermissionSpec
from gyrfalcon.home.service import HOME_TILES
from gyrfalcon.messages.consumer.service import ConsumerService
from gyrfalcon.messages.dependents import MessagesDependents
from gyrfalcon.messages.home import SubscriptionTroubleTile
from gyrfalcon.messages.retention import Retention
from gyrfalcon.messages.router import router
from gyrfalcon.messages.settings import MessagesSettings

module = Module(
    name="messages",
    title="Async messages",
    description="Kafka messages between services, decoded with uploaded protobuf schemas, "
    "stored and searchable by business field.",
    router=router,
    permissions=(
        *DEFAULT_PERMISSIONS,
        PermissionSpec("export", "Download stored messages as JSON lines or CSV"),
    ),
    nav=NavEntry(title="Messages", path="/messages", icon="SendOutlined", order=40),
    settings=MessagesSettings,
    models=("gyrfalcon.messages.models",),
    background_services=lambda context: [ConsumerService(context), Retention(context)],
    contributes={
        HOME_TILES: (SubscriptionTroubleTile(),),
        SERVICE_DEPENDENTS: (MessagesDependents(),),
    },
)
