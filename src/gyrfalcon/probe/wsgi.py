"""The Probe as a WSGI app, alone or in front of another WSGI app (Flask's ``wsgi_app``)."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import quote

from gyrfalcon.probe.exchange import PATH_SAFE, Request, error_response

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from gyrfalcon.probe.app import Probe


class ProbeWSGI:
    """Answers the probe's paths (below ``SCRIPT_NAME``); every other path goes to
    ``fallback`` when there is one, else gets a 404."""

    def __init__(self, probe: Probe, fallback: WSGIApplication | None = None) -> None:
        self.probe = probe
        self.fallback = fallback

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        route = _text(environ.get("PATH_INFO", "")) or "/"
        if self.fallback is not None and not self.probe.serves(route):
            return self.fallback(environ, start_response)
        body = _body(environ, self.probe.max_body_bytes)
        if body is None:
            response = error_response(413, f"the body is over {self.probe.max_body_bytes} bytes")
        else:
            response = self.probe.respond_sync(_request(environ, route, body))
        status = f"{response.status} {HTTPStatus(response.status).phrase}"
        start_response(status, list(response.headers))
        return [response.body]


def _text(native: str) -> str:
    """PEP 3333 hands paths over as bytes decoded as latin-1; the URL's are UTF-8."""
    return native.encode("latin-1").decode("utf-8", "replace")


def _request(environ: WSGIEnvironment, route: str, body: bytes) -> Request:
    mount = _text(environ.get("SCRIPT_NAME", ""))
    query: str = environ.get("QUERY_STRING", "")
    # gunicorn (RAW_URI) and uWSGI (REQUEST_URI) keep the target as sent; wsgiref does not,
    # so the path is quoted again, leaving the characters a path may carry as they are.
    sent = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not sent:
        native_path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        path = quote(native_path.encode("latin-1"), safe=PATH_SAFE)
        sent = f"{path}?{query}" if query else path
    headers = {
        name[5:].replace("_", "-").lower(): value
        for name, value in environ.items()
        if name.startswith("HTTP_")
    }
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = environ[name]
    return Request(
        method=environ.get("REQUEST_METHOD", "GET").upper(),
        route=route,
        mount=mount,
        path_and_query=sent,
        query=query,
        headers=headers,
        body=body,
    )


def _body(environ: WSGIEnvironment, limit: int) -> bytes | None:
    """The body, or None when it is declared over ``limit`` bytes (not read then)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return None
    if length <= 0:
        if not environ.get("wsgi.input_terminated"):
            return b""
        # A chunked body: the server says the stream ends with it, so it can be read.
        chunked: bytes = environ["wsgi.input"].read(limit + 1)
        return None if len(chunked) > limit else chunked
    body: bytes = environ["wsgi.input"].read(length)
    return body
