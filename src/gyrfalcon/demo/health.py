"""The ``GET /health`` every process of the demo answers, so the demo knows it is up.

It is a WSGI app on a threading stdlib server, so that a sample service can put its
debug endpoints in front of it (the probe's ``wsgi(fallback=...)``) and add a plain
route or two, and one slow request holds up no other.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

Status = Callable[[], tuple[bool, dict[str, Any]]]
"""Whether the process is well, and what to say about it."""
Answer = Callable[[], tuple[int, dict[str, Any]]]
"""A plain route of a demo process: the HTTP status and JSON body of each GET."""


def health_app(status: Status, routes: Mapping[str, Answer] | None = None) -> WSGIApplication:
    """``GET /health`` (and ``/``): 200 while ``status`` says well, else 503; a path of
    ``routes`` answers what its ``Answer`` makes; any other path 404."""

    def health() -> tuple[int, dict[str, Any]]:
        ok, details = status()
        return (HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE), details

    answers: dict[str, Answer] = {"/": health, "/health": health, **(routes or {})}

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        answer = answers.get(environ.get("PATH_INFO", ""))
        headers = [("Content-Type", "application/json")]
        code: int
        details: dict[str, Any]
        if answer is None:
            code, details = HTTPStatus.NOT_FOUND, {"error": "not found"}
        elif environ.get("REQUEST_METHOD") != "GET":
            code, details = HTTPStatus.METHOD_NOT_ALLOWED, {"error": "only GET is answered"}
            headers.append(("Allow", "GET"))
        else:
            code, details = answer()
        body = json.dumps(details).encode()
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{code} {HTTPStatus(code).phrase}", headers)
        return [body]

    return app


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """A thread per request: a slow route must not keep ``/health`` waiting."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def serve(port: int, app: WSGIApplication) -> WSGIServer:
    """A server of ``app`` on 127.0.0.1:``port``; run it with ``serve_forever``."""
    return make_server(
        "127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )


def health_server(port: int, status: Status) -> WSGIServer:
    """A server on 127.0.0.1:``port`` answering 200 while ``status`` says well, else 503."""
    return serve(port, health_app(status))
