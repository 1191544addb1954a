"""Turn an :class:`AlertContext` into the payload a channel sends.

One payload builder per channel type (``payloads/``), with the owner's templates
rendered in the sandbox of ``template_syntax.py``. A channel with custom templates
renders in the worker process of ``sandbox.py``, with a time and a memory limit,
never on the event loop (:func:`render_safely`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.jsonsafe import json_safe
from gyrfalcon.notify.channels.definitions import (
    EmailChannelConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.notify.context import AlertContext, display
from gyrfalcon.notify.payloads.email import DEFAULT_EMAIL_TEXT, email_payload
from gyrfalcon.notify.payloads.slack import slack_payload
from gyrfalcon.notify.payloads.webhook import webhook_payload
from gyrfalcon.notify.sandbox import RenderWorker, TemplateLimitExceeded
from gyrfalcon.notify.template_syntax import (
    DEFAULT_SUMMARY,
    MAX_OUTPUT,
    MAX_RANGE,
    TEMPLATE_VARIABLES,
    VARIABLE_MEANINGS,
    Renderer,
    validate_template,
)

__all__ = [
    "DEFAULT_EMAIL_TEXT",
    "DEFAULT_SUMMARY",
    "MAX_OUTPUT",
    "MAX_RANGE",
    "TEMPLATE_VARIABLES",
    "VARIABLE_MEANINGS",
    "Rendered",
    "render",
    "render_safely",
    "validate_template",
]


@dataclass(frozen=True)
class Rendered:
    payload: dict[str, Any]
    """JSON-safe: what the outbox stores and the sender sends."""
    failures: list[str]
    """``"<field>: <reason>"`` for each custom template that fell back to the default."""


def render(
    channel: ConnectionConfig,
    context: AlertContext,
    *,
    extra_recipients: list[str],
    failures: tuple[str, ...] = (),
) -> Rendered:
    """The payload for ``channel`` (an email, Slack or webhook channel definition, as
    ``load_definition`` returns it), and which custom templates failed.

    Renders in the calling thread: with custom templates, use :func:`render_safely`.
    ``failures`` are earlier ones the message should mention."""
    renderer = Renderer(context.as_template_variables(), list(failures))
    if isinstance(channel, EmailChannelConfig):
        payload = email_payload(channel, context, renderer, extra_recipients)
    elif isinstance(channel, SlackChannelConfig):
        payload = slack_payload(channel, context, renderer)
    elif isinstance(channel, WebhookChannelConfig):
        payload = webhook_payload(channel, context, renderer)
    else:
        raise TypeError(f"{type(channel).__name__} is not a notification channel")
    return Rendered(json_safe(payload, fallback=display), renderer.failures)


def _render_in_worker(
    channel: ConnectionConfig, context: AlertContext, extra_recipients: list[str]
) -> Rendered:
    return render(channel, context, extra_recipients=extra_recipients)


_WORKER = RenderWorker(preload=(__name__,))
"""The process's template worker (a process-wide resource, like a thread pool)."""


async def render_safely(
    channel: ConnectionConfig,
    context: AlertContext,
    *,
    extra_recipients: list[str],
    worker: RenderWorker = _WORKER,
) -> Rendered:
    """:func:`render`, with custom templates in the worker process under its limits.

    When the worker stops a render (too long, too much memory), the default wording is
    rendered here instead, with a note that says why: the alert still goes out."""
    custom = _template_fields(channel)
    if not custom:
        return render(channel, context, extra_recipients=extra_recipients)
    try:
        return await asyncio.to_thread(
            worker.call, _render_in_worker, channel, context, extra_recipients
        )
    except TemplateLimitExceeded as exc:
        plain = channel.model_copy(update=dict.fromkeys(custom))
        failure = f"{', '.join(custom)}: {exc}"
        return render(plain, context, extra_recipients=extra_recipients, failures=(failure,))


def _template_fields(channel: ConnectionConfig) -> list[str]:
    return [
        name
        for name in type(channel).model_fields
        if name.endswith("_template") and getattr(channel, name)
    ]
