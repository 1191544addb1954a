"""Which sender delivers through which kind of channel."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from gyrfalcon.catalog.schemas import EmailChannelConfig, SlackChannelConfig, WebhookChannelConfig
from gyrfalcon.notify.senders.base import Sender
from gyrfalcon.notify.senders.email import EmailSender
from gyrfalcon.notify.senders.slack import SlackSender
from gyrfalcon.notify.senders.webhook import WebhookSender

_SENDERS: dict[type[BaseModel], Sender[Any]] = {
    EmailChannelConfig: EmailSender(),
    SlackChannelConfig: SlackSender(),
    WebhookChannelConfig: WebhookSender(),
}


def sender_for(config: BaseModel) -> Sender[Any]:
    """The sender for a channel definition (as ``load_definition`` returns it)."""
    try:
        return _SENDERS[type(config)]
    except KeyError:
        raise TypeError(f"no sender for {type(config).__name__}") from None
