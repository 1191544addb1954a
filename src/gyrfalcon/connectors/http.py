"""HTTP calls to a service's API, only ever under the base URL the catalog holds for it.

:class:`ServiceClient` is the one way the platform calls a service (HTTP monitors,
debug endpoints and their tests, and the modules to come). Each call names a path,
which is joined under the base with the guard of ``service_urls``; every redirect
is checked to stay under the base too, and a request can not be steered elsewhere
through a ``Host`` header. Anything that would leave the service raises
:class:`OffService` with a sentence for the engineer, before a byte is sent there.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping

import httpx

from gyrfalcon.connectors.service_urls import display, is_under, join_under, parse_base, where
from gyrfalcon.core.failures import Target

MAX_REDIRECTS = 5
# Host would reach another virtual host behind the same address (a shared
# ingress serves many services), escaping the base URL; the framing headers
# are the client's to set, and a user-set one invites request smuggling.
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


class OffService(ValueError):
    """The call would leave the service's base URL (or the base URL is unusable)."""


def validate_headers(headers: Mapping[str, str]) -> Mapping[str, str]:
    """Return ``headers`` if none of them is one the client must set itself; ValueError if so."""
    for name in headers:
        if name.strip().lower() in _RESERVED_HEADERS:
            raise ValueError(f"the header '{name}' cannot be set: Gyrfalcon sets it itself")
    return headers


def _redirected_method(status: int, method: str) -> str:
    # What browsers (and httpx) do: 303 always becomes GET, 301/302 turn POST into GET.
    if status == httpx.codes.SEE_OTHER and method != "HEAD":
        return "GET"
    if status in (httpx.codes.MOVED_PERMANENTLY, httpx.codes.FOUND) and method == "POST":
        return "GET"
    return method


def url_target(url: str, secrets: tuple[str, ...] = ()) -> Target:
    """Where a call to ``url`` goes, for failure messages that name it (secrets blanked)."""
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


class ServiceClient:
    """A pooled client for calls under services' base URLs; share one per purpose."""

    def __init__(self, *, user_agent: str) -> None:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            headers={
                "User-Agent": user_agent,
                # Uncompressed, so Content-Length and a caller's size cap measure what
                # is held in memory, and a small compressed body cannot inflate past it.
                "Accept-Encoding": "identity",
            },
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> ServiceClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    @contextlib.asynccontextmanager
    async def stream(
        self,
        base_url: str,
        method: str,
        path: str,
        *,
        timeout: float,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
    ) -> AsyncIterator[httpx.Response]:
        """The answer to ``method path`` under ``base_url``, its body not yet read.

        Redirects are followed (at most :data:`MAX_REDIRECTS`) while they stay under the
        base; ``timeout`` bounds each phase of each hop, the caller bounds the whole.
        """
        try:
            base = parse_base(base_url)
            url = join_under(base, path)
            validate_headers(headers or {})
        except ValueError as exc:
            raise OffService(str(exc)) from None
        method = method.upper()
        for _ in range(MAX_REDIRECTS + 1):
            async with self._client.stream(
                method, url, headers=headers, content=content, timeout=timeout
            ) as response:
                if not (follow_redirects and response.is_redirect):
                    yield response
                    return
                status = response.status_code
                location = url.join(response.headers["location"])
            if not is_under(location, base):
                raise OffService(
                    f"redirected off the service to {where(location)} (HTTP {status}); "
                    f"redirects are followed only under {display(base)}"
                )
            redirected = _redirected_method(status, method)
            if redirected != method:
                content = None
            method, url = redirected, location
        raise OffService(f"more than {MAX_REDIRECTS} redirects; the last one was to {url.path}")
