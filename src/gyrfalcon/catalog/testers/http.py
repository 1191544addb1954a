"""Test HTTP targets: chat and webhook channels, and a service's debug endpoints.

A channel is only proven by a delivered message, so its test posts one, worded
so nobody mistakes it for an alert, in exactly the shape real alerts will
have (a Slack Block Kit body, or a signed JSON event). Redirects are not
followed: a webhook that redirects would get alerts only by luck of the
client, and following one could carry the body somewhere unexpected.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from gyrfalcon.catalog.schemas import (
    ConnectionTestResult,
    DebugEndpointConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.catalog.testers.probe import Outcome, run_check
from gyrfalcon.connectors.http import ServiceClient
from gyrfalcon.connectors.service_urls import display, join_under, parse_base
from gyrfalcon.core.failures import CheckFailed, Target, http_classifier

SIGNATURE_HEADER = "X-Gyrfalcon-Signature"
TEST_TEXT = "Gyrfalcon test message: this channel is set up correctly. No action is needed."
_USER_AGENT = "Gyrfalcon connection test"
_SNIPPET_BYTES = 200


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


def encode_body(body: dict[str, Any]) -> bytes:
    """The exact bytes sent, which are also the bytes signed."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: bytes, secret: str) -> str:
    """Value of the signature header: receivers recompute it over the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _target(url: str, secrets: tuple[str, ...] = ()) -> Target:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        # The request fails the same way inside the check, which reports it.
        return Target(secrets=secrets)
    return Target(
        host=parsed.host,
        port=parsed.port or (443 if parsed.scheme == "https" else 80),
        secrets=secrets,
    )


def _secret_url_target(url: str, *secrets: str) -> Target:
    # A webhook URL is a credential as a whole: its path and query are blanked too.
    path = url.split("://", 1)[-1].partition("/")[2]
    return _target(url, (url, f"/{path}" if path else "", *secrets))


def _client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, headers={"User-Agent": _USER_AGENT}
    )


async def _snippet(response: httpx.Response) -> str:
    async for chunk in response.aiter_bytes():
        return chunk[:_SNIPPET_BYTES].decode(errors="replace").strip().splitlines()[0]
    return ""


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
            target = _secret_url_target(url)
        else:
            url = config.url.get_secret_value()
            body = encode_body(webhook_test_body(config.name, datetime.now(UTC)))
            secret = config.hmac_secret.get_secret_value() if config.hmac_secret else ""
            if secret:
                headers[SIGNATURE_HEADER] = sign(body, secret)
            target = _secret_url_target(url, secret)

        async def probe() -> Outcome:
            async with (
                _client(timeout) as client,
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
                snippet = await _snippet(response)
                raise CheckFailed(
                    f"the endpoint answered HTTP {status}" + (f": {snippet}" if snippet else ""),
                    details,
                )

        return await run_check(
            probe, target=target, limit=timeout, classify=http_classifier(target)
        )


class DebugEndpointTester:
    """Tester for :class:`DebugEndpointConfig`: is the endpoint's server reachable?

    It sends OPTIONS, not the endpoint's method, because a debug run has side
    effects and needs parameters; any HTTP answer, even 404 or 405, proves
    the service is up and reachable at that address. Open, then probe: the call
    goes through the service client, which keeps it under the base URL.
    """

    async def test(
        self, config: DebugEndpointConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        if not base_url:
            return ConnectionTestResult(
                ok=False,
                latency_ms=None,
                message="the service has no base_url: set it to reach its debug endpoints",
            )
        try:
            url = join_under(parse_base(base_url), config.path)
        except ValueError as exc:
            return ConnectionTestResult(ok=False, latency_ms=None, message=str(exc))
        target = _target(str(url))

        async def probe() -> Outcome:
            async with (
                ServiceClient(user_agent=_USER_AGENT) as client,
                client.stream(
                    base_url, "OPTIONS", config.path, timeout=timeout, follow_redirects=False
                ) as response,
            ):
                status = response.status_code
                details: dict[str, Any] = {"status": status, "url": display(url)}
                if "allow" in response.headers:
                    details["allow"] = response.headers["allow"]
                return Outcome(f"reachable: OPTIONS {config.path} answered HTTP {status}", details)

        return await run_check(
            probe, target=target, limit=timeout, classify=http_classifier(target)
        )
