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

from gyrfalcon.connectors.http import OffService, ServiceClient
from gyrfalcon.connectors.service_urls import parse_base, port_of
from gyrfalcon.core.failures import Target, describe, http_classifier
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation, Plan

_USER_AGENT = "Gyrfalcon monitor"
_EXCERPT_BYTES = 4 * 1024
_CONTENT_TYPE_CHARS = 200
_ELLIPSIS = "…"


def too_large(limit: int) -> str:
    return f"the response is larger than {limit} bytes"


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
        self._client = ServiceClient(user_agent=_USER_AGENT)

    @classmethod
    def from_settings(cls, _settings: Settings) -> HttpCheck:
        return cls()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def observe(self, plan: Plan, limits: Limits) -> Observation:
        assert plan.http is not None
        if not plan.base_url:
            raise CheckError("the service has no base_url: set it to run HTTP monitors")
        return await self.run(
            base_url=plan.base_url,
            method=plan.http.method,
            path=plan.http.path,
            headers={**plan.http.headers, **plan.secret_headers},
            body=plan.http.body,
            limits=limits,
        )

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
        except ValueError as exc:
            raise CheckError(str(exc)) from None
        # Header values may be secret: no error message may quote one.
        target = Target(host=base.host, port=port_of(base), secrets=tuple(headers.values()))
        content = body.encode() if body is not None else None
        try:
            # The deadline covers every hop and the body; httpx's own timeouts
            # only bound single phases (connect, each read).
            async with (
                asyncio.timeout(limits.timeout),
                self._client.stream(
                    base_url,
                    method,
                    path,
                    headers=headers,
                    content=content,
                    timeout=limits.timeout,
                ) as response,
            ):
                return await _observe(response, limits)
        except OffService as exc:
            raise CheckError(str(exc)) from None
        except CheckError:
            raise
        except (httpx.HTTPError, httpx.InvalidURL, OSError, TimeoutError) as exc:
            message = describe(
                exc, target, timeout=limits.timeout, classify=http_classifier(target)
            )
            raise CheckError(message) from exc
