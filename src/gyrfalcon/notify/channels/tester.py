"""Test a notification channel: an SMTP session for e-mail, a delivered test message for
Slack and webhooks.

A chat or webhook channel is only proven by a delivered message, so its test posts
one, worded so nobody mistakes it for an alert, in exactly the shape real alerts will
have (a Slack Block Kit body, or a signed JSON event). Redirects are not followed: a
webhook that redirects would get alerts only by luck of the client, and following
one could carry the body somewhere unexpected. An e-mail channel's test does every
step a delivery needs (``smtp.open_session``) and stops before MAIL FROM, so nobody
receives a test mail and no relay counts it against a quota.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from gyrfalcon.catalog.service import ConnectionTestResult, Outcome, run_check
from gyrfalcon.core.failures import CheckFailed, http_classifier
from gyrfalcon.notify.channels import smtp
from gyrfalcon.notify.channels.definitions import (
    EmailChannelConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.notify.channels.webhooks import (
    SIGNATURE_HEADER,
    encode_body,
    first_line,
    open_client,
    secret_url_target,
    sign,
)

TEST_TEXT = "Gyrfalcon test message: this channel is set up correctly. No action is needed."
_USER_AGENT = "Gyrfalcon connection test"


def slack_test_body(channel: str) -> dict[str, Any]:
    """Block Kit body of the test message; ``text`` is what notifications show."""
    return {
        "text": TEST_TEXT,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Gyrfalcon test message"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Channel *{channel}* is set up correctly. No action is needed.",
                },
            },
        ],
    }


def webhook_test_body(channel: str, sent_at: datetime) -> dict[str, Any]:
    return {
        "event": "test",
        "channel": channel,
        "message": TEST_TEXT,
        "sent_at": sent_at.isoformat(),
    }


class WebhookTester:
    """Tester for :class:`SlackChannelConfig` and :class:`WebhookChannelConfig`."""

    async def test(
        self,
        config: SlackChannelConfig | WebhookChannelConfig,
        *,
        timeout: float,
        base_url: str | None,
    ) -> ConnectionTestResult:
        headers = {"Content-Type": "application/json"}
        if isinstance(config, SlackChannelConfig):
            url = config.webhook_url.get_secret_value()
            body = encode_body(slack_test_body(config.name))
            target = secret_url_target(url)
        else:
            url = config.url.get_secret_value()
            body = encode_body(webhook_test_body(config.name, datetime.now(UTC)))
            secret = config.hmac_secret.get_secret_value() if config.hmac_secret else ""
            if secret:
                headers[SIGNATURE_HEADER] = sign(body, secret)
            target = secret_url_target(url, secret)

        async def probe() -> Outcome:
            async with (
                open_client(timeout=timeout, user_agent=_USER_AGENT) as client,
                client.stream("POST", url, content=body, headers=headers) as response,
            ):
                status = response.status_code
                details: dict[str, Any] = {"status": status, "signed": SIGNATURE_HEADER in headers}
                if response.is_success:
                    return Outcome(f"test message delivered (HTTP {status})", details)
                if response.is_redirect:
                    raise CheckFailed(
                        f"the endpoint redirects (HTTP {status}); redirects are not followed, "
                        "configure the final URL",
                        details,
                    )
                snippet = await first_line(response)
                raise CheckFailed(
                    f"the endpoint answered HTTP {status}" + (f": {snippet}" if snippet else ""),
                    details,
                )

        return await run_check(
            probe, target=target, limit=timeout, classify=http_classifier(target)
        )


class SmtpTester:
    """Tester for :class:`EmailChannelConfig`: the session alerts will use, without sending."""

    async def test(
        self, config: EmailChannelConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        async def probe() -> Outcome:
            async with smtp.open_session(config, timeout=timeout) as session:
                details: dict[str, Any] = {
                    "security": config.security.value,
                    "auth_methods": sorted(
                        method.upper() for method in session.client.server_auth_methods
                    ),
                    "authenticated": bool(config.username),
                }
                steps = ", ".join(session.steps)
            return Outcome(f"SMTP session with {config.host}:{config.port}: {steps}", details)

        return await run_check(
            probe,
            target=smtp.target(config),
            limit=timeout,
            classify=lambda exc: smtp.classify(config, exc),
        )


class ChannelTester:
    """E-mail channels are tried over SMTP; chat and webhook channels get a test message."""

    def __init__(self) -> None:
        self._smtp = SmtpTester()
        self._http = WebhookTester()

    async def test(
        self, config: BaseModel, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        if isinstance(config, EmailChannelConfig):
            return await self._smtp.test(config, timeout=timeout, base_url=base_url)
        assert isinstance(config, SlackChannelConfig | WebhookChannelConfig)
        return await self._http.test(config, timeout=timeout, base_url=base_url)
