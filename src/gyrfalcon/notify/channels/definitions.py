"""What an engineer enters for a notification channel, one model per channel type."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, field_validator

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.fields import EmailAddress, Host, Port
from gyrfalcon.notify.template_syntax import validate_template


class SmtpSecurity(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


TemplateText = Annotated[str, StringConstraints(max_length=10_000)]
_TEMPLATE_HELP = (
    "Jinja template (sandboxed) with the alert's variables, e.g. {{ monitor }}, {{ state }}, "
    "{{ value }}, {{ sample_text }}, {{ link }}; unset: the default wording"
)


def _valid_template(value: str | None) -> str | None:
    if value is not None:
        validate_template(value)
    return value


def _http_url(value: SecretStr) -> SecretStr:
    if not value.get_secret_value().startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return value


class EmailChannelConfig(ConnectionConfig):
    address_fields = ("host", "port", "security")

    type: Literal["email"]
    host: Host
    port: Port = 587
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: Annotated[str, StringConstraints(max_length=255)] | None = None
    password: SecretStr | None = None
    from_address: EmailAddress = Field(description="Sender address of alert mails")
    recipients: Annotated[list[EmailAddress], Field(max_length=100)] = Field(
        default=[],
        description="Who receives every alert sent through this channel; monitors add "
        "their own addresses",
    )
    subject_template: TemplateText | None = Field(default=None, description=_TEMPLATE_HELP)
    body_template: TemplateText | None = Field(
        default=None, description=f"Plain-text body. {_TEMPLATE_HELP}"
    )

    _templates = field_validator("subject_template", "body_template")(_valid_template)


class SlackChannelConfig(ConnectionConfig):
    address_fields = ("webhook_url",)

    type: Literal["slack"]
    webhook_url: SecretStr = Field(description="Slack incoming-webhook URL (kept encrypted)")
    text_template: TemplateText | None = Field(
        default=None, description=f"Message text (Slack mrkdwn). {_TEMPLATE_HELP}"
    )

    _templates = field_validator("text_template")(_valid_template)
    _url = field_validator("webhook_url")(_http_url)


class WebhookChannelConfig(ConnectionConfig):
    address_fields = ("url",)

    type: Literal["webhook"]
    url: SecretStr = Field(description="Endpoint that receives a JSON POST (kept encrypted)")
    hmac_secret: SecretStr | None = Field(
        default=None, description="Signs each body with HMAC-SHA256 in X-Gyrfalcon-Signature"
    )
    body_template: TemplateText | None = Field(
        default=None, description=f"The event's 'message' field. {_TEMPLATE_HELP}"
    )

    _templates = field_validator("body_template")(_valid_template)
    _url = field_validator("url")(_http_url)


NotificationChannelConfig = Annotated[
    EmailChannelConfig | SlackChannelConfig | WebhookChannelConfig, Field(discriminator="type")
]
