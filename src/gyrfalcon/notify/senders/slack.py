"""Deliver to Slack through an incoming webhook: the payload is the Block Kit message.

Slack answers 200 "ok", or an error code in the body (``invalid_payload``,
``no_service`` ...) which the failure message quotes; see ``senders.webhook`` for
what is retried.
"""

from __future__ import annotations

from typing import Any

from gyrfalcon.notify.channels.definitions import SlackChannelConfig
from gyrfalcon.notify.channels.webhooks import encode_body
from gyrfalcon.notify.senders.base import DELIVERY_HEADER
from gyrfalcon.notify.senders.webhook import post_json


class SlackSender:
    async def send(
        self,
        config: SlackChannelConfig,
        payload: dict[str, Any],
        *,
        delivery_id: str,
        timeout: float,
    ) -> str:
        return await post_json(
            config.webhook_url.get_secret_value(),
            encode_body(payload),
            headers={DELIVERY_HEADER: delivery_id},
            timeout=timeout,
        )
