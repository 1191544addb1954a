"""How the API shows a notification channel: stored fields and which secrets are set."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gyrfalcon.catalog.service import ConnectionRead
from gyrfalcon.notify.channels.definitions import SmtpSecurity


class EmailChannelRead(ConnectionRead):
    type: Literal["email"]
    host: str
    port: int
    security: SmtpSecurity
    username: str | None
    from_address: str
    recipients: list[str] = []
    subject_template: str | None = None
    body_template: str | None = None
    password_set: bool


class SlackChannelRead(ConnectionRead):
    type: Literal["slack"]
    text_template: str | None = None
    webhook_url_set: bool


class WebhookChannelRead(ConnectionRead):
    type: Literal["webhook"]
    body_template: str | None = None
    url_set: bool
    hmac_secret_set: bool


NotificationChannelRead = Annotated[
    EmailChannelRead | SlackChannelRead | WebhookChannelRead, Field(discriminator="type")
]
