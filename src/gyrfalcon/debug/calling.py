"""One call of a debug endpoint: the request built from the parameters, signed when the
endpoint wants it, sent through the service client (so only under the service's base
URL, redirects included), the answer read up to the size limit, and every way of not
getting one worded for the engineer (refused, timed out, left the service)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from gyrfalcon.catalog.service import DebugAuth
from gyrfalcon.connectors.http import OffService, ServiceClient, url_target
from gyrfalcon.connectors.service_urls import join_under, parse_base
from gyrfalcon.core.failures import describe, http_classifier, redact, timed_out
from gyrfalcon.probe import sign

USER_AGENT = "Gyrfalcon debug run"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class Call:
    base_url: str
    method: str
    path: str
    parameters: Mapping[str, Any]
    timeout: float
    auth: DebugAuth
    secret: str | None
    max_bytes: int


@dataclass(frozen=True)
class Answer:
    duration_ms: float
    error: str | None = None
    """Why there is no answer; None when the service answered."""
    http_status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    truncated: bool = False


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def request_parts(call: Call) -> tuple[str, bytes | None, dict[str, str]]:
    """The path (with the parameters as its query for GET and DELETE), the body (the
    parameters as JSON otherwise) and the headers, signed as the endpoint asks."""
    headers = {"Accept": "application/json"}
    body: bytes | None = None
    path = call.path
    if call.method in _BODY_METHODS:
        body = json.dumps(call.parameters, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    elif call.parameters:
        pairs = [
            (name, _query_value(item))
            for name, value in call.parameters.items()
            if value is not None
            for item in (value if isinstance(value, list) else [value])
        ]
        path += ("&" if "?" in path else "?") + urlencode(pairs)
    if call.auth is DebugAuth.TOKEN and call.secret:
        headers["Authorization"] = f"Bearer {call.secret}"
    elif call.auth is DebugAuth.HMAC and call.secret:
        # Signed over the path the service sees: the base URL's prefix included.
        url = join_under(parse_base(call.base_url), path)
        headers.update(
            sign(call.secret, call.method, url.raw_path.decode(), body or b"", int(time.time()))
        )
    return path, body, headers


async def call_endpoint(
    client: ServiceClient, call: Call, *, clock: Callable[[], float] = time.perf_counter
) -> Answer:
    started = clock()

    def elapsed() -> float:
        return (clock() - started) * 1000

    secrets = (call.secret,) if call.secret else ()
    try:
        path, body, headers = request_parts(call)
        target = url_target(str(join_under(parse_base(call.base_url), path)), secrets)
    except ValueError as exc:
        return Answer(elapsed(), error=str(exc))
    try:
        async with asyncio.timeout(call.timeout):
            async with client.stream(
                call.base_url,
                call.method,
                path,
                timeout=call.timeout,
                headers=headers,
                content=body,
            ) as response:
                kept = bytearray()
                truncated = False
                async for chunk in response.aiter_raw():
                    kept.extend(chunk)
                    if len(kept) > call.max_bytes:
                        del kept[call.max_bytes :]
                        truncated = True
                        break
                return Answer(
                    elapsed(),
                    http_status=response.status_code,
                    content_type=response.headers.get("content-type"),
                    body=bytes(kept),
                    truncated=truncated,
                )
    except OffService as exc:
        return Answer(elapsed(), error=str(exc))
    except TimeoutError:
        return Answer(elapsed(), error=f"{target.address} {timed_out(call.timeout)}")
    except (httpx.HTTPError, OSError) as exc:
        message = describe(exc, target, timeout=call.timeout, classify=http_classifier(target))
        return Answer(elapsed(), error=message)
    except ValueError as exc:  # a redirect's Location or a header httpx cannot send
        return Answer(elapsed(), error=redact(f"the request could not be made: {exc}", secrets))
