"""What chat and webhook channels share, for their test and every delivery: the client
(redirects are not followed: a redirected alert could carry its body somewhere
unexpected), the exact bytes sent and their signature, the first line of an error
answer, and a target that blanks the URL (a webhook URL is a credential as a whole)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from gyrfalcon.connectors.http import url_target
from gyrfalcon.core.failures import Target

SIGNATURE_HEADER = "X-Gyrfalcon-Signature"


def encode_body(body: dict[str, Any]) -> bytes:
    """The exact bytes sent, which are also the bytes signed."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: bytes, secret: str) -> str:
    """Value of the signature header: receivers recompute it over the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def secret_url_target(url: str, *secrets: str) -> Target:
    # A webhook URL is a credential as a whole: its path and query are blanked too.
    path = url.split("://", 1)[-1].partition("/")[2]
    return url_target(url, (url, f"/{path}" if path else "", *secrets))


_SNIPPET_CHARS = 200


def open_client(*, timeout: float, user_agent: str) -> httpx.AsyncClient:
    """A client for channel URLs, bounded by ``timeout`` per phase."""
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, headers={"User-Agent": user_agent}
    )


async def first_line(response: httpx.Response) -> str:
    """The start of an error answer's body, to quote in the message."""
    async for chunk in response.aiter_bytes():
        lines = chunk[: _SNIPPET_CHARS * 4].decode(errors="replace").strip().splitlines()
        return lines[0][:_SNIPPET_CHARS] if lines else ""
    return ""
