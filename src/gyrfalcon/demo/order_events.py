"""The orders service's business events, produced continuously on the demo's broker.

``python -m gyrfalcon.demo.order_events --bootstrap 127.0.0.1:... --port ...``: every
couple of seconds a new order is created, then paid and shipped a little later, each
step an ``OrderEvent`` (``protos/shop/events.proto``) keyed by the order id, with a
trace header. The legacy checkout sends one event in its old JSON format at the start
and then with every fifteenth order, which the schema cannot decode: the console stores
it raw with its decode error. On a schedule, not at random, so a new user (and the demo
test) sees one within the first seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from google.protobuf import json_format

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.demo.health import health_server
from gyrfalcon.messages.protos import compiler, descriptors

PROTOS = Path(__file__).with_name("protos")
SCHEMA_FILES = ("shop/events.proto", "shop/money.proto")
TOPIC = "shop.orders"
MESSAGE_TYPE = "shop.v1.OrderEvent"
_SKUS = {"SKU-TEA-01": 1250, "SKU-MUG-02": 900, "SKU-KETTLE-03": 4900}
_COUNTRIES = ("DE", "FR", "NL", "PL", "SE")
_KINDS = {1: "CREATED", 2: "PAID", 3: "SHIPPED"}
_LEGACY_EVERY = 15


def schema_files() -> dict[str, str]:
    return {name: (PROTOS / name).read_text() for name in SCHEMA_FILES}


def _order(rng: random.Random) -> dict[str, Any]:
    picked = [
        (sku, price, rng.randint(1, 3))
        for sku, price in rng.sample(sorted(_SKUS.items()), rng.randint(1, 3))
    ]
    lines = [
        {"sku": sku, "quantity": quantity, "unit_price": {"currency": "EUR", "minor_units": price}}
        for sku, price, quantity in picked
    ]
    total = sum(price * quantity for _sku, price, quantity in picked)
    customer = rng.randint(1, 400)
    return {
        "id": f"ORD-{rng.randint(100_000, 999_999)}",
        "customer": {
            "id": f"CUS-{customer:04d}",
            "email": f"customer{customer}@example.com",
            "country": rng.choice(_COUNTRIES),
        },
        "lines": lines,
        "total": {"currency": "EUR", "minor_units": total},
    }


async def produce(bootstrap: str, every: float, stop: threading.Event, sent: list[int]) -> None:
    descriptor_set = (await compiler.compile_files(schema_files(), timeout=60)).descriptor_set
    event_class = descriptors.message_class(descriptor_set, MESSAGE_TYPE)
    config = KafkaClusterConfig(name="demo", bootstrap_servers=[bootstrap])
    producer = kafka.open_producer(config, timeout=10, client_id="demo-orders")
    await producer.start()
    rng = random.Random()  # noqa: S311 - demo data
    pending: list[tuple[float, int, dict[str, Any]]] = []
    orders = 0
    try:
        while not stop.is_set():
            now = time.time()
            order = _order(rng)
            pending.append((now, 1, order))
            pending.append((now + rng.uniform(2, 8), 2, order))
            pending.append((now + rng.uniform(10, 30), 3, order))
            due = sorted(item for item in pending if item[0] <= now)
            pending = [item for item in pending if item[0] > now]
            for _at, kind, order_now in due:
                detail = (
                    {"payment_id": f"PAY-{uuid.uuid4().hex[:10]}"}
                    if kind == 2
                    else {"tracking_number": f"TRK{rng.randint(10**9, 10**10)}"}
                    if kind == 3
                    else {}
                )
                event = json_format.ParseDict(
                    {
                        "event_id": str(uuid.uuid4()),
                        "kind": _KINDS[kind],
                        "order": order_now,
                        "at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                        "labels": {"channel": rng.choice(("web", "app", "store"))},
                        **detail,
                    },
                    event_class(),
                )
                headers = [("trace-id", uuid.uuid4().hex.encode()), ("producer", b"orders")]
                await producer.send_and_wait(
                    TOPIC, event.SerializeToString(), key=order_now["id"].encode(), headers=headers
                )
                sent[0] += 1
            if orders % _LEGACY_EVERY == 0:
                legacy = json.dumps({"order": order["id"], "status": "created"}).encode()
                await producer.send_and_wait(
                    TOPIC,
                    legacy,
                    key=order["id"].encode(),
                    headers=[("producer", b"legacy-checkout")],
                )
                sent[0] += 1
            orders += 1
            await asyncio.get_running_loop().run_in_executor(None, stop.wait, every)
    finally:
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--every", type=float, default=2.0, help="Seconds between new orders")
    arguments = parser.parse_args()
    stop = threading.Event()
    sent = [0]
    server = health_server(arguments.port, lambda: (True, {"sent": sent[0]}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        asyncio.run(produce(arguments.bootstrap, arguments.every, stop, sent))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
