"""Real servers for the probe tests, each in a thread of this process: uvicorn for ASGI
apps, wsgiref for WSGI apps, and a small HTTP server answering the status its path
names (``/status/503``), for the HTTP check."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import WSGIApplication

import uvicorn

from tests.support.receivers import LOCALHOST, free_port

STARTUP_LIMIT = 30.0
"""Only ends a test whose server never came up; nothing waits this long otherwise."""


@contextlib.contextmanager
def uvicorn_serving(app: Any) -> Iterator[str]:
    """``app`` under a real uvicorn on a free port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host=LOCALHOST, port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before it started"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://{LOCALHOST}:{port}"
    finally:
        server.should_exit = True
        thread.join()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextlib.contextmanager
def wsgi_serving(app: WSGIApplication) -> Iterator[str]:
    """``app`` under wsgiref's server (one thread per request); yields its base URL."""
    server = make_server(
        LOCALHOST, 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietWSGIHandler
    )
    with _served(server) as url:
        yield url


class _StatusHandler(BaseHTTPRequestHandler):
    """``/status/<code>`` answers that code; a 3xx points at ``/status/200``."""

    def do_GET(self) -> None:
        code = int(self.path.split("?")[0].rsplit("/", 1)[-1])
        self.send_response(code)
        if 300 <= code < 400:
            self.send_header("Location", "/status/200")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextlib.contextmanager
def status_server() -> Iterator[str]:
    server = ThreadingHTTPServer((LOCALHOST, 0), _StatusHandler)
    server.daemon_threads = True
    with _served(server) as url:
        yield url


@contextlib.contextmanager
def _served(server: HTTPServer) -> Iterator[str]:
    """``server`` answering in a thread for as long as the block; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCALHOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
