"""Deliver to webhooks: one signed JSON POST per notification.

The body is signed exactly as the connection test signs it (``channels/webhooks.py``),
so a receiver verified with "Test" keeps verifying real alerts. Redirects are not
followed: a redirected alert could carry its body somewhere unexpected. The URL is a
credential as a whole, so no part of it appears in a message. Slack's incoming
webhooks are the same kind of POST (``senders.slack`` uses :func:`post_json`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from gyrfalcon.core.failures import Target, http_classifier, redact
from gyrfalcon.notify.channels.definitions import WebhookChannelConfig
from gyrfalcon.notify.channels.webhooks import (
    SIGNATURE_HEADER,
    encode_body,
    first_line,
    open_client,
    secret_url_target,
    sign,
)
from gyrfalcon.notify.senders.base import DELIVERY_HEADER, DeliveryError, failure

_USER_AGENT = "Gyrfalcon notifier"
# Answers that mean "not now" rather than "never": a timeout on the receiver's side
# and rate limiting (Slack answers 429 with Retry-After).
_RETRYABLE_CLIENT_ERRORS = (408, 429)


def _url_target(url: str, secrets: tuple[str, ...]) -> Target:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise DeliveryError("the URL is not a valid http(s) URL", retryable=False)
    return secret_url_target(url, *secrets)


def _retry_after(response: httpx.Response) -> float | None:
    # Only the delta-seconds form: receivers that rate-limit webhooks use it.
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


async def _post(
    url: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[httpx.Response, str]:
    async with (
        open_client(timeout=timeout, user_agent=_USER_AGENT) as client,
        client.stream("POST", url, content=body, headers=headers) as response,
    ):
        snippet = "" if response.is_success else await first_line(response)
        return response, snippet


def _verdict(response: httpx.Response, snippet: str, target: Target) -> str:
    status = response.status_code
    if response.is_success:
        return f"HTTP {status}"
    if response.is_redirect:
        raise DeliveryError(
            f"the endpoint redirects (HTTP {status}); redirects are not followed, "
            "configure the final URL",
            retryable=False,
        )
    message = redact(
        f"the endpoint answered HTTP {status}" + (f": {snippet}" if snippet else ""),
        target.secrets,
    )
    if status >= 500 or status in _RETRYABLE_CLIENT_ERRORS:
        raise DeliveryError(message, retryable=True, retry_after=_retry_after(response))
    raise DeliveryError(message, retryable=False)


async def post_json(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    timeout: float,
    secrets: tuple[str, ...] = (),
) -> str:
    """POST ``body`` as JSON within ``timeout`` seconds; the receipt, or DeliveryError.

    A 5xx, 408 or 429 answer is retryable, any other 4xx or a redirect is not.
    """
    target = _url_target(url, secrets)
    try:
        async with asyncio.timeout(timeout):
            response, snippet = await _post(
                url, body, {"Content-Type": "application/json", **headers}, timeout
            )
    except Exception as exc:
        # ``from None``: the driver's exception text may hold the URL, a secret.
        raise failure(
            exc,
            target,
            timeout=timeout,
            classify=http_classifier(target),
        ) from None
    return _verdict(response, snippet, target)


class WebhookSender:
    """Sender for :class:`WebhookChannelConfig`: the payload is the JSON body."""

    async def send(
        self,
        config: WebhookChannelConfig,
        payload: dict[str, Any],
        *,
        delivery_id: str,
        timeout: float,
    ) -> str:
        body = encode_body(payload)
        headers = {DELIVERY_HEADER: delivery_id}
        secret = config.hmac_secret.get_secret_value() if config.hmac_secret else ""
        if secret:
            headers[SIGNATURE_HEADER] = sign(body, secret)
        return await post_json(
            config.url.get_secret_value(),
            body,
            headers=headers,
            timeout=timeout,
            secrets=(secret,),
        )
