"""Helpers shared by the benchmarks: a real `gyrfalcon serve` process and wrk load.

Benchmarks print one JSON line each; timing lives here, never in pass/fail tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ADMIN = ("bench-admin", "bench-password-123")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]


def serve_env(data_dir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "GYRFALCON_DATA_DIR": str(data_dir),
        "GYRFALCON_PORT": str(port),
        "GYRFALCON_ADMIN_USERNAME": ADMIN[0],
        "GYRFALCON_ADMIN_PASSWORD": ADMIN[1],
        "GYRFALCON_LOG_LEVEL": "WARNING",
    }


def wait_ready(base_url: str, timeout: float = 30.0) -> float:
    """Polls /readyz until it answers 200; returns the moment it did (perf_counter)."""
    deadline = time.perf_counter() + timeout
    with httpx.Client(timeout=1.0) as client:
        while time.perf_counter() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{base_url}/readyz").status_code == 200:
                    return time.perf_counter()
            time.sleep(0.01)
    raise TimeoutError(f"{base_url} not ready within {timeout}s")


@contextlib.contextmanager
def running_server(
    data_dir: Path, *extra_args: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """``gyrfalcon serve`` on a free port; ``env`` adds GYRFALCON_* settings."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gyrfalcon", "serve", *extra_args],
        env={**serve_env(data_dir, port), **(env or {})},
        stdout=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url)
        yield Server(base_url, process)
    finally:
        process.terminate()
        process.wait(timeout=15)


def admin_token(base_url: str) -> str:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post(
            "/api/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}
        )
        response.raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        created = client.post("/api/v1/auth/tokens", json={"name": "bench"})
        created.raise_for_status()
        return str(created.json()["token"])


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT[unit]


def wrk(url: str, *, connections: int, seconds: int, headers: dict[str, str]) -> LoadResult:
    """Runs wrk (C, so the load generator costs little CPU) and parses its latency table."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    command = ["wrk", f"-c{connections}", "-t2", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", output, re.MULTILINE))
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return LoadResult(
        requests=total,
        rps=rps,
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=int(non2xx.group(1)) if non2xx else 0,
    )
