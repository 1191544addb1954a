"""The HTTP check: one request to a path of a registered service, within hard limits.

The security model says HTTP monitors only call URLs under a registered
service, so a monitor names a *path* and the service supplies the base URL;
every URL actually requested, redirects included, is checked to stay under
that base (same scheme, host and port, and inside its path prefix). A user
cannot steer a request elsewhere through ``..``, ``//host``, a ``Host``
header or a redirect.

An HTTP error status is an observation, not a failure: a monitor may well
alert on "status != 200". Only not getting an answer at all (refused, no such
host, TLS, timeout, too large) is a :class:`CheckError`, worded the way the
connection testers word the same failures.
"""

from __future__ import annotations

import asyncio
import codecs
import json
from typing import Any

import httpx

from gyrfalcon.catalog.service_urls import (
    display,
    is_under,
    join_under,
    parse_base,
    port_of,
    where,
)
from gyrfalcon.catalog.testers.errors import Target, describe, http_classifier
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation

MAX_REDIRECTS = 5
_USER_AGENT = "Gyrfalcon monitor"
_EXCERPT_BYTES = 4 * 1024
_CONTENT_TYPE_CHARS = 200
_ELLIPSIS = "…"
# Host would reach another virtual host behind the same address (a shared
# ingress serves many services), escaping the base URL; the framing headers
# are the client's to set, and a user-set one invites request smuggling.
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


def validate_headers(headers: dict[str, str]) -> dict[str, str]:
    """Return ``headers`` if none of them is one Gyrfalcon must set itself; ValueError if so."""
    for name in headers:
        if name.strip().lower() in _RESERVED_HEADERS:
            raise ValueError(f"the header '{name}' cannot be set: Gyrfalcon sets it itself")
    return headers


def too_large(limit: int) -> str:
    return f"the response is larger than {limit} bytes"


def _redirected_method(status: int, method: str) -> str:
    # What browsers (and httpx) do: 303 always becomes GET, 301/302 turn POST into GET.
    if status == httpx.codes.SEE_OTHER and method != "HEAD":
        return "GET"
    if status in (httpx.codes.MOVED_PERMANENTLY, httpx.codes.FOUND) and method == "POST":
        return "GET"
    return method


def _decode_excerpt(data: bytes, encoding: str | None) -> str:
    try:
        decoder = codecs.getincrementaldecoder(encoding or "utf-8")(errors="replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    # final=False drops a multi-byte character split by the cut instead of garbling it;
    # NUL is replaced because PostgreSQL's jsonb refuses \u0000 in stored samples.
    return decoder.decode(data, final=False).replace("\x00", "\ufffd")


def _sample(*, status: int, content_type: str, text: str, cut: bool, budget: int) -> dict[str, Any]:
    """The stored sample, its body excerpt shortened until the JSON is at most ``budget`` bytes.

    ``text`` is the decoded start of the body and ``cut`` whether the body went on.
    Sizes are measured with json.dumps' defaults (ASCII escapes), the largest
    encoding a store may use.
    """

    def build(shown: int) -> dict[str, Any]:
        truncated = cut or shown < len(text)
        body = text[:shown] + (_ELLIPSIS if truncated else "")
        return {
            "status": status,
            "content_type": content_type,
            "body": body,
            "truncated": truncated,
        }

    def fits(shown: int) -> bool:
        return len(json.dumps(build(shown))) <= budget

    if fits(len(text)):
        return build(len(text))
    # Every shorter excerpt carries the ellipsis, so size grows with length: bisect.
    low, high = 0, len(text) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return build(low)


def _parse_json(data: bytes) -> tuple[bool, Any]:
    def refuse_constant(name: str) -> Any:
        # NaN and Infinity are not JSON; stored results must stay strict JSON.
        raise ValueError(name)

    try:
        return True, json.loads(data, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        return False, None


async def _observe(response: httpx.Response, limits: Limits) -> Observation:
    cap = limits.max_response_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise CheckError(too_large(cap))
    data = bytearray()
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) > cap:
            raise CheckError(too_large(cap))
    body = bytes(data)
    is_json, parsed = _parse_json(body)
    sample = _sample(
        status=response.status_code,
        content_type=response.headers.get("content-type", "")[:_CONTENT_TYPE_CHARS],
        text=_decode_excerpt(body[:_EXCERPT_BYTES], response.charset_encoding),
        cut=len(body) > _EXCERPT_BYTES,
        budget=limits.sample_bytes,
    )
    return Observation(
        status_code=response.status_code, json=parsed, body_is_json=is_json, sample=sample
    )


class HttpCheck:
    """Runs HTTP monitors; one instance shares its connection pool across runs."""

    def __init__(self) -> None:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            headers={
                "User-Agent": _USER_AGENT,
                # Uncompressed, so Content-Length and the size cap measure what is
                # held in memory, and a small compressed body cannot inflate past it.
                "Accept-Encoding": "identity",
            },
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def run(
        self,
        *,
        base_url: str,
        method: str,
        path: str,
        headers: dict[str, str],
        body: str | None,
        limits: Limits,
    ) -> Observation:
        """Request ``path`` under ``base_url`` and observe the answer, or raise CheckError."""
        try:
            base = parse_base(base_url)
            url = join_under(base, path)
            validate_headers(headers)
        except ValueError as exc:
            raise CheckError(str(exc)) from None
        # Header values may be secret: no error message may quote one.
        target = Target(host=base.host, port=port_of(base), secrets=tuple(headers.values()))
        try:
            # The deadline covers every hop and the body; httpx's own timeouts
            # only bound single phases (connect, each read).
            async with asyncio.timeout(limits.timeout):
                return await self._follow(base, url, method.upper(), headers, body, limits)
        except CheckError:
            raise
        except (httpx.HTTPError, httpx.InvalidURL, OSError, TimeoutError) as exc:
            message = describe(
                exc, target, timeout=limits.timeout, classify=http_classifier(target)
            )
            raise CheckError(message) from exc

    async def _follow(
        self,
        base: httpx.URL,
        url: httpx.URL,
        method: str,
        headers: dict[str, str],
        body: str | None,
        limits: Limits,
    ) -> Observation:
        """Request ``url``, following redirects only while they stay under ``base``."""
        content = body.encode() if body is not None else None
        for _ in range(MAX_REDIRECTS + 1):
            async with self._client.stream(
                method, url, headers=headers, content=content, timeout=limits.timeout
            ) as response:
                if not response.is_redirect:
                    return await _observe(response, limits)
                status = response.status_code
                location = url.join(response.headers["location"])
            if not is_under(location, base):
                raise CheckError(
                    f"redirected off the service to {where(location)} (HTTP {status}); "
                    f"redirects are followed only under {display(base)}"
                )
            redirected = _redirected_method(status, method)
            if redirected != method:
                content = None
            method, url = redirected, location
        raise CheckError(f"more than {MAX_REDIRECTS} redirects; the last one was to {url.path}")
