"""The connectors every module opens its clients with, against real servers: a message
produced and consumed through the Kafka connector, a Redis client bounded by its
timeout, and the service client that refuses to leave a service's base URL."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from gyrfalcon.connectors import kafka, redis
from gyrfalcon.connectors.http import OffService, ServiceClient
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.connectors.redis import RedisConfig
from tests.catalog.conftest import Broker
from tests.support.receivers import Receiver

CLIENT_ID = "gyrfalcon-connector-test"


async def test_a_message_goes_through_the_kafka_connector(kafka_broker: Broker) -> None:
    config = KafkaClusterConfig(name="events", bootstrap_servers=[kafka_broker.bootstrap])
    admin = kafka.open_admin(config, timeout=10, client_id=CLIENT_ID)
    await admin.start()
    try:
        assert "gyrfalcon-test" in await admin.list_topics()
    finally:
        await admin.close()
    producer = kafka.open_producer(config, timeout=10, client_id=CLIENT_ID)
    await producer.start()
    key = uuid.uuid4().hex.encode()
    try:
        await producer.send_and_wait("gyrfalcon-test", b"order 10482 paid", key=key)
    finally:
        await producer.stop()
    consumer = kafka.open_consumer(
        config,
        "gyrfalcon-test",
        timeout=10,
        client_id=CLIENT_ID,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            async for message in consumer:
                if message.key == key:
                    break
    finally:
        await consumer.stop()
    assert message.value == b"order 10482 paid"


async def test_the_redis_connector_opens_one_bounded_client() -> None:
    config = RedisConfig(name="cache", url="redis://127.0.0.1:6379/0")
    async with redis.open_redis(config, timeout=2) as client:
        assert await client.ping() is True


async def test_the_redis_connector_speaks_to_a_redis_older_than_6() -> None:
    """A stand-in for Redis 5, which no package here runs: it answers PING and SELECT as
    Redis does and refuses HELLO, the command Redis 6 added."""
    seen: list[bytes] = []

    async def redis_5(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            if not line.startswith(b"*"):
                continue
            parts = []
            for _ in range(int(line[1:])):
                await reader.readline()
                parts.append((await reader.readline()).strip())
            seen.append(parts[0].upper())
            reply = {b"PING": b"+PONG\r\n", b"SELECT": b"+OK\r\n"}.get(parts[0].upper())
            writer.write(reply or b"-ERR unknown command '" + parts[0] + b"'\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(redis_5, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        config = RedisConfig(name="old", url=f"redis://127.0.0.1:{port}/3")
        async with redis.open_redis(config, timeout=2) as client:
            assert await client.ping() is True
    finally:
        server.close()
    assert b"HELLO" not in seen and seen[-1] == b"PING"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/../admin", "must not contain '.' or '..' segments"),
        ("//evil.example/x", "must not start with '//'"),
    ],
)
async def test_the_service_client_refuses_paths_off_the_service(path: str, message: str) -> None:
    async with ServiceClient(user_agent=CLIENT_ID) as client:
        with pytest.raises(OffService, match=message):
            async with client.stream("http://127.0.0.1:9/api", "GET", path, timeout=1):
                pass


async def test_the_service_client_refuses_a_host_header() -> None:
    async with ServiceClient(user_agent=CLIENT_ID) as client:
        with pytest.raises(OffService, match="'Host' cannot be set"):
            async with client.stream(
                "http://127.0.0.1:9", "GET", "/health", timeout=1, headers={"Host": "admin"}
            ):
                pass


async def test_the_service_client_reaches_the_service(http_receiver: Receiver) -> None:
    async with (
        ServiceClient(user_agent=CLIENT_ID) as client,
        client.stream(
            http_receiver.base_url, "POST", "/status/204", timeout=5, content=b"{}"
        ) as response,
    ):
        assert isinstance(response, httpx.Response)
        assert response.status_code == 204
    [received] = http_receiver.at("/status/204")
    assert {name.lower(): value for name, value in received.headers.items()}["user-agent"] == (
        CLIENT_ID
    )
