"""What chat and webhook channels share: the exact bytes sent, their signature, and a
target that blanks the URL (a webhook URL is a credential as a whole)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

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
