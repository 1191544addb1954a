"""The demo's mail sink: an SMTP server on 127.0.0.1 that keeps every message it
receives as an ``.eml`` file in a folder, so alert e-mails can be read without a
mail server. ``python -m gyrfalcon.demo.mailbox --folder DIR --port N``.
"""

from __future__ import annotations

import argparse
import itertools
import signal
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class FolderHandler:
    """Writes each message, as received, to ``<folder>/<UTC time>-<n>.eml``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        content = envelope.original_content or b""
        (self.folder / f"{stamp}-{next(self.counter):05d}.eml").write_bytes(content)
        return "250 Message kept"


def _health(port: int) -> ThreadingHTTPServer:
    """``GET /health``, so the demo knows when the sink listens; one port above SMTP."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return ThreadingHTTPServer(("127.0.0.1", port), Health)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--health-port", type=int, required=True)
    arguments = parser.parse_args()
    arguments.folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        FolderHandler(arguments.folder), hostname="127.0.0.1", port=arguments.port
    )
    controller.start()
    health = _health(arguments.health_port)
    threading.Thread(target=health.serve_forever, daemon=True).start()
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    health.shutdown()
    controller.stop()


if __name__ == "__main__":
    main()
