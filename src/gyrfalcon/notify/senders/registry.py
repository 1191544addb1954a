"""Which sender delivers through which type of channel.

Senders are adapters of the ``gyrfalcon.notification_senders`` entry-point group, named
after the channel ``type`` they deliver (``email``, ``slack``, ``webhook``); a package
that adds a channel type registers its sender there the same way.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from gyrfalcon.core.plugins import load_adapters
from gyrfalcon.notify.senders.base import Sender

SENDERS_GROUP = "gyrfalcon.notification_senders"


@cache
def senders() -> dict[str, Sender[Any]]:
    return load_adapters(SENDERS_GROUP, Sender)  # type: ignore[type-abstract]


def sender_for(config: BaseModel) -> Sender[Any]:
    """The sender for a channel definition (as ``load_definition`` returns it)."""
    channel_type = getattr(config, "type", None)
    try:
        return senders()[str(channel_type)]
    except KeyError:
        raise TypeError(f"no sender for {type(config).__name__}") from None
