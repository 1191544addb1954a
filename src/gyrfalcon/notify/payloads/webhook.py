"""The alert as a webhook's JSON event."""

from __future__ import annotations

from typing import Any

from gyrfalcon.notify.channels.definitions import WebhookChannelConfig
from gyrfalcon.notify.context import AlertContext
from gyrfalcon.notify.template_syntax import DEFAULT_SUMMARY, Renderer


def webhook_payload(
    channel: WebhookChannelConfig, context: AlertContext, renderer: Renderer
) -> dict[str, Any]:
    message, _ = renderer.text("body_template", channel.body_template, DEFAULT_SUMMARY)
    if renderer.note:
        message = f"{message.rstrip()}\n{renderer.note}"
    source = context.source
    return {
        "event": context.event,
        "module": source.module,
        source.kind: {"id": source.id, "name": source.name, "description": context.description},
        "service": context.service,
        "state": context.state,
        "previous_state": context.previous_state,
        "severity": context.severity,
        "summary": context.summary,
        "value": context.value,
        **context.values,
        "error": context.error,
        "sample": context.sample,
        "runbook_url": context.runbook_url,
        "link": context.link,
        "at": context.at.isoformat(),
        "message": message,
    }
