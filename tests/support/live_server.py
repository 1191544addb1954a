"""A real `gyrfalcon serve` process on a free port, for browser tests."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class LiveServer:
    url: str
    admin_username: str
    admin_password: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def create_user(self, username: str, password: str) -> None:
        """A local account, made the way an operator makes one (`gyrfalcon user create`)."""
        subprocess.run(
            [
                *(sys.executable, "-m", "gyrfalcon", "user", "create"),
                *("--username", username, "--password", password),
            ],
            env={**os.environ, "GYRFALCON_DATA_DIR": str(self.data_dir)},
            check=True,
            capture_output=True,
            timeout=60,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(
    data_dir: Path, *serve_args: str, settings: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """``gyrfalcon serve`` on a free port; ``settings`` are more GYRFALCON_* variables."""
    port = _free_port()
    url, username, password = f"http://127.0.0.1:{port}", "admin", "e2e-admin-password"
    env = {
        **os.environ,
        "GYRFALCON_DATA_DIR": str(data_dir),
        "GYRFALCON_PORT": str(port),
        "GYRFALCON_ADMIN_USERNAME": username,
        "GYRFALCON_ADMIN_PASSWORD": password,
        "GYRFALCON_CONNECTION_TEST_TIMEOUT_SECONDS": "5",
        "GYRFALCON_SQLITE_DATASOURCE_DIRS": json.dumps([tempfile.gettempdir()]),
        **(settings or {}),
    }
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gyrfalcon", "serve", *serve_args], env=env, stdout=log, stderr=log
    )
    server = LiveServer(url, username, password, data_dir, process)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(
                    f"gyrfalcon serve exited: {(data_dir / 'server.log').read_text()}"
                )
            time.sleep(0.1)
        else:
            raise RuntimeError("gyrfalcon serve did not become ready in 30 s")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
