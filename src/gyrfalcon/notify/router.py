"""``POST /notification-channels/{id}/send-test``: a realistic alert, really delivered.

The catalog's "Test" proves a channel can be reached; this proves the whole path
an alert takes: the channel's own templates, the real sender, the real recipients.
Like a connection test, a failed delivery is an answer (``ok: false`` and why),
not an error status.
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import InvalidInput
from gyrfalcon.core.fields import EmailAddress
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import require
from gyrfalcon.notify.channels.definitions import EmailChannelConfig
from gyrfalcon.notify.channels.kind import CHANNELS
from gyrfalcon.notify.context import AlertContext
from gyrfalcon.notify.senders.base import DeliveryError
from gyrfalcon.notify.senders.registry import sender_for
from gyrfalcon.notify.settings import NotifySettings
from gyrfalcon.notify.templates import (
    DEFAULT_EMAIL_TEXT,
    DEFAULT_SUMMARY,
    VARIABLE_MEANINGS,
    render_safely,
)

router = APIRouter(tags=["notification-channels"])
# A test message reaches real people: the same permission as changing the channel.
WRITE = Depends(require("catalog", "write", everywhere=True))
READ = Depends(require("catalog", "read"))


class TemplateVariable(BaseModel):
    name: str
    meaning: str


class TemplateDefaults(BaseModel):
    summary: str = Field(
        description="Default one-line wording: email subject, Slack text, webhook message"
    )
    email_text: str = Field(description="Default body of alert mails")
    variables: list[TemplateVariable]


@router.get(
    "/notification-templates",
    dependencies=[READ],
    summary="The default alert wording and the variables a channel template may use",
)
async def template_defaults() -> TemplateDefaults:
    return TemplateDefaults(
        summary=DEFAULT_SUMMARY,
        email_text=DEFAULT_EMAIL_TEXT,
        variables=[TemplateVariable(name=n, meaning=m) for n, m in VARIABLE_MEANINGS.items()],
    )


class SendTestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: Annotated[list[EmailAddress], Field(min_length=1, max_length=20)] | None = Field(
        default=None,
        description="Email channels only: send the test to these addresses instead of "
        "the channel's recipients",
    )


class SendTestResult(BaseModel):
    ok: bool
    message: str = Field(description="What happened, in words an engineer can act on")
    latency_ms: float = Field(description="Time the delivery took, or failed after")


@router.post(
    "/notification-channels/{channel_id}/send-test",
    dependencies=[WRITE],
    summary="Send a test alert through a saved channel",
    description="Renders an example alert with the channel's templates and delivers it "
    "for real. A failed delivery is answered with ok=false and the reason.",
)
async def send_test(
    channel_id: Id, request: Request, db: DbSession, body: SendTestRequest | None = None
) -> SendTestResult:
    context: AppContext = request.app.state.context
    row = await catalog.get_connection(db, CHANNELS, service=None, connection_id=channel_id)
    channel = catalog.load_definition(CHANNELS, row, context.secrets)
    to = body.to if body else None
    if isinstance(channel, EmailChannelConfig):
        if to is not None:
            channel = channel.model_copy(update={"recipients": []})
    elif to is not None:
        raise InvalidInput("to", "only email channels take recipients")
    rendered = await render_safely(
        channel,
        AlertContext.sample_for_test(channel.name, context.settings.public_url),
        extra_recipients=to or [],
    )
    if isinstance(channel, EmailChannelConfig) and not rendered.payload["to"]:
        raise InvalidInput("to", "the channel has no recipients: give at least one address")

    started = time.perf_counter()
    try:
        receipt = await sender_for(channel).send(
            channel,
            rendered.payload,
            delivery_id=f"gyrfalcon-test-{uuid.uuid4().hex}",
            timeout=context.settings.section(NotifySettings).notification_timeout_seconds,
        )
    except DeliveryError as exc:
        return SendTestResult(ok=False, message=exc.message, latency_ms=_since(started))
    recipients = rendered.payload.get("to")
    message = (
        f"test alert delivered{' to ' + ', '.join(recipients) if recipients else ''}: {receipt}"
    )
    if rendered.failures:
        message += "; the default wording replaced a failing template: " + "; ".join(
            rendered.failures
        )
    return SendTestResult(ok=True, message=message, latency_ms=_since(started))


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
