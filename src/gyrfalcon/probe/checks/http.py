"""A check that sends one GET and judges the status code: with httpx when it is
installed (an ``async def`` check, cancelled at its timeout), else with urllib."""

from __future__ import annotations

import importlib.util
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from collections.abc import Callable, Container, Mapping
from email.message import Message
from typing import IO, Any

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.spans import current_span
from gyrfalcon.probe.vocabulary import CheckFailed


def http_get(
    url: str,
    *,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    expect: Container[int] = range(200, 400),
    headers: Mapping[str, str] | None = None,
) -> Check:
    """GET ``url`` without following redirects; a status outside ``expect`` fails the
    check with "HTTP 503". The body is not read. The target is the URL without its user
    info and query, which may carry credentials (user info is sent as basic
    authentication); ``headers`` are sent, never shown."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"http_get needs an http(s) URL with a host, not {url!r}")
    host = parts.netloc.rpartition("@")[2]
    target = f"{parts.scheme}://{host}{parts.path}"
    sent = dict(headers or {})
    if parts.username is not None:
        # urllib cannot take credentials in the URL; both clients get them as a header.
        user = urllib.parse.unquote(parts.username)
        credentials = f"{user}:{urllib.parse.unquote(parts.password or '')}"
        sent.setdefault("Authorization", f"Basic {b64encode(credentials.encode()).decode()}")
    bare_url = urllib.parse.urlunsplit(parts._replace(netloc=host))

    def judge(status: int) -> int:
        current_span().attributes["status"] = status
        if status not in expect:
            raise CheckFailed(f"HTTP {status}")
        return status

    call: Callable[[], Any]
    if importlib.util.find_spec("httpx") is not None:

        async def get_with_httpx() -> int:
            import httpx

            async with (
                httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client,
                client.stream("GET", bare_url, headers=sent) as response,
            ):
                return judge(response.status_code)

        call = get_with_httpx
    else:

        def get_with_urllib() -> int:
            opener = urllib.request.build_opener(_NoRedirects)
            request = urllib.request.Request(bare_url, headers=sent)  # noqa: S310  # scheme checked above
            try:
                with opener.open(request, timeout=timeout) as response:
                    return judge(response.status)
            except urllib.error.HTTPError as answered:  # urllib raises for 4xx, 5xx and 3xx here
                answered.close()
                return judge(answered.code)

        call = get_with_urllib
    return Check(
        name=name or f"GET {host}{parts.path}",
        call=call,
        kind="http",
        target=target,
        timeout=timeout,
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to judge (like httpx does by default), not one to follow."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None
