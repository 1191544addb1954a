"""The ``GET /health`` every process of the demo answers, so the demo knows it is up."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Status = Callable[[], tuple[bool, dict[str, Any]]]
"""Whether the process is well, and what to say about it."""


def health_server(port: int, status: Status) -> ThreadingHTTPServer:
    """A server on 127.0.0.1:``port`` answering 200 while ``status`` says well, else 503."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in ("/", "/health"):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            ok, details = status()
            body = json.dumps(details).encode()
            self.send_response(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return ThreadingHTTPServer(("127.0.0.1", port), Health)
