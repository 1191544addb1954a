"""The consumers against a real broker (tansu) and the real store: subscriptions
followed without a restart, indexed values extracted at ingest, undecodable values kept
raw, a schema version change mid-stream, exactly once through hand-overs."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import httpx
import pytest
from fastapi import FastAPI

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.messages.consumer.service import ConsumerService
from gyrfalcon.messages.store.base import Batch, IndexMatch, MessageStore, Query, Written
from gyrfalcon.messages.store.registry import store_of
from tests.messages.conftest import (
    Broker,
    eventually,
    fast_context,
    order_event,
    produce,
    shop_files,
    upload_shop,
)


@contextlib.asynccontextmanager
async def consuming(
    app: FastAPI, store: MessageStore | None = None, **overrides: Any
) -> AsyncIterator[ConsumerService]:
    service = ConsumerService(fast_context(app, **overrides), store=store)
    stop = asyncio.Event()
    task = asyncio.create_task(service.run(stop))
    try:
        yield service
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


async def subscribe(admin: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await admin.post("/api/v1/subscriptions", json=fields)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def subscribe_text(
    admin: httpx.AsyncClient, service: str, cluster: str, topic: str
) -> dict[str, Any]:
    """A subscription of UTF-8 text values from the start of the topic."""
    return await subscribe(
        admin,
        service=service,
        name="text",
        cluster=cluster,
        topic=topic,
        value_format="text",
        start_from="earliest",
    )


async def stored(admin: httpx.AsyncClient, subscription_id: int) -> int:
    status = (await admin.get(f"/api/v1/subscriptions/{subscription_id}")).json()["status"]
    count: int = status["stored"]
    return count


async def test_orders_are_stored_with_their_business_fields_indexed(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    shop_schema: bytes,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    name = topic(partitions=2)
    schema_id = (await upload_shop(admin, service))["schema"]["id"]
    subscription = await subscribe(
        admin,
        service=service,
        name="order-events",
        cluster=cluster,
        topic=name,
        schema_id=schema_id,
        message_type="shop.OrderEvent",
        start_from="earliest",
        indexed_fields=["order.id", "customer.email", "kind", "labels.region", "order.lines.sku"],
    )
    events = [
        order_event(
            shop_schema,
            kind=kind,
            order={"id": f"o-{i}", "lines": [{"sku": "sku-1"}, {"sku": f"sku-{i}"}]},
            customer={"email": f"c{i}@example.com", "tier": 1},
            labels={"region": "eu"},
            card_last4="4242",
        ).SerializeToString()
        for i, kind in enumerate((1, 2, 3))
    ]
    records = [
        (f"o-{i}".encode(), value, [("trace", b"t-1")], i % 2) for i, value in enumerate(events)
    ]
    records.append((b"bad", b"\xff\xfe not protobuf at all", [], 0))
    async with consuming(app):
        await produce(broker, name, records)
        await eventually(lambda: _at_least(admin, subscription["id"], 4))
    store = store_of(app.state.context)
    sid = subscription["id"]
    found = await store.page(
        Query((sid,), matches=(IndexMatch("order.id", "o-1"),)), after=None, limit=10
    )
    assert [(row.partition, row.key) for row in found] == [(1, b"o-1")]
    assert found[0].decode_error is None and found[0].schema_version_id is not None
    indexed = await store.indexed(sid, found[0].partition, found[0].offset)
    assert indexed["kind"] == ["PAID"]
    assert indexed["order.lines.sku"] == ["sku-1"]
    assert indexed["labels.region"] == ["eu"]
    assert indexed["@header.trace"] == ["t-1"]
    prefix = await store.page(
        Query((sid,), matches=(IndexMatch("customer.email", "c", prefix=True),)),
        after=None,
        limit=10,
    )
    assert len(prefix) == 3
    bad = await store.page(
        Query((sid,), matches=(IndexMatch("@key", "bad"),)), after=None, limit=10
    )
    assert bad[0].value == b"\xff\xfe not protobuf at all"
    assert bad[0].decode_error is not None and "shop.OrderEvent" in bad[0].decode_error


async def _at_least(admin: httpx.AsyncClient, subscription_id: int, count: int) -> bool:
    return await stored(admin, subscription_id) >= count


async def test_a_new_schema_version_decodes_what_comes_after_it(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    shop_schema: bytes,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    name = topic()
    uploaded = await upload_shop(admin, service)
    subscription = await subscribe(
        admin,
        service=service,
        name="events",
        cluster=cluster,
        topic=name,
        schema_id=uploaded["schema"]["id"],
        message_type="shop.OrderEvent",
        start_from="earliest",
        indexed_fields=["order.id"],
    )
    value = order_event(shop_schema, order={"id": "o-1"}).SerializeToString()
    async with consuming(app) as consumers:
        await produce(broker, name, [(b"1", value, [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 1))
        files = shop_files()
        files["shop/order.proto"] = files["shop/order.proto"].replace(
            "google.protobuf.Any extra = 8;", "google.protobuf.Any extra = 8;\n  string note = 9;"
        )
        second = await admin.post(
            "/api/v1/schemas", json={"service": service, "name": "shop", "files": files}
        )
        assert second.json()["version"]["version"] == 2
        await eventually(lambda: _decoding_with(consumers, subscription["id"], 2))
        await produce(broker, name, [(b"2", value, [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 2))
    rows = await store_of(app.state.context).page(
        Query((subscription["id"],)), after=None, limit=10
    )
    versions = [row.schema_version_id for row in sorted(rows, key=lambda r: r.offset)]
    assert versions[0] != versions[1]


async def _decoding_with(consumers: ConsumerService, subscription_id: int, version: int) -> bool:
    for running in consumers._running.values():
        for topic in running.consumer._topics.values():
            plan = topic.plans.get(subscription_id)
            if plan is not None and plan.decoder.schema is not None:
                return plan.decoder.schema.version == version
    return False


@pytest.mark.parametrize("start_from", ["latest", "earliest"])
async def test_the_start_position_of_a_new_subscription(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
    start_from: str,
) -> None:
    name = topic()
    await produce(broker, name, [(b"before", b"old", [], None)])
    subscription = await subscribe(
        admin,
        service=service,
        name="text",
        cluster=cluster,
        topic=name,
        value_format="text",
        start_from=start_from,
    )
    async with consuming(app):
        await eventually(lambda: _has_positions(admin, subscription["id"]))
        await produce(broker, name, [(b"after", b"new", [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 1))
        status = (await admin.get(f"/api/v1/subscriptions/{subscription['id']}")).json()["status"]
    rows = await store_of(app.state.context).page(
        Query((subscription["id"],)), after=None, limit=10
    )
    expected = [b"new"] if start_from == "latest" else [b"new", b"old"]
    assert [row.value for row in rows] == expected
    assert status["state"] == "running"
    assert status["lag"] == 0


async def _has_positions(admin: httpx.AsyncClient, subscription_id: int) -> bool:
    status = (await admin.get(f"/api/v1/subscriptions/{subscription_id}")).json()["status"]
    return bool(status["partitions"])


async def test_a_10_mb_message_is_stored_and_a_bigger_one_cut(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    name = topic()
    subscription = await subscribe(
        admin,
        service=service,
        name="blobs",
        cluster=cluster,
        topic=name,
        value_format="bytes",
        start_from="earliest",
    )
    big, bigger = os.urandom(10 * 1024 * 1024), os.urandom(13 * 1024 * 1024)
    config = KafkaClusterConfig(name="t", bootstrap_servers=[broker.bootstrap])
    producer = kafka.open_producer(
        config, timeout=30, client_id="big", max_request_size=20 * 1024 * 1024
    )
    await producer.start()
    try:
        await producer.send_and_wait(name, big, key=b"big")
        await producer.send_and_wait(name, bigger, key=b"bigger")
        await producer.send_and_wait(name, b"small", key=b"small")
    finally:
        await producer.stop()
    async with consuming(app, messages_max_value_bytes=12 * 1024 * 1024):
        await eventually(lambda: _at_least(admin, subscription["id"], 3))
    store = store_of(app.state.context)
    first, second, third = [await store.get(subscription["id"], 0, n) for n in range(3)]
    assert first is not None and first.value == big and first.decode_error is None
    assert second is not None and second.value_size == len(bigger)
    assert second.value is not None and len(second.value) == 12 * 1024 * 1024
    assert second.decode_error is not None and "larger than the store keeps" in second.decode_error
    assert third is not None and third.value == b"small"
    detail = (await admin.get(f"/api/v1/messages/{subscription['id']}/0/1")).json()
    assert detail["cut"] is True and detail["shown_bytes"] == 256 * 1024
    raw = await admin.get(f"/api/v1/messages/{subscription['id']}/0/0/value")
    assert raw.content == big


async def test_pausing_and_resuming_take_effect_without_a_restart(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    name = topic()
    subscription = await subscribe_text(admin, service, cluster, name)
    url = f"/api/v1/subscriptions/{subscription['id']}"
    async with consuming(app) as consumers:
        await produce(broker, name, [(b"1", b"one", [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 1))
        assert (await admin.patch(url, json={"enabled": False})).status_code == 200
        await eventually(lambda: _consumed_by(consumers, subscription["id"], False))
        await produce(broker, name, [(b"2", b"two", [], None)])
        status = (await admin.get(url)).json()["status"]
        assert status["state"] == "paused" and status["stored"] == 1
        assert (await admin.patch(url, json={"enabled": True})).status_code == 200
        await eventually(lambda: _at_least(admin, subscription["id"], 2))


async def test_a_connection_test_keeps_the_consumer_and_a_new_address_reopens_it(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    """A scheduled (or clicked) connection test writes its result into the cluster's
    row; reopening the consumer on that would cost a consumer-group rebalance each time
    (seconds of no ingest). Only a changed definition reopens it."""
    name = topic()
    subscription = await subscribe_text(admin, service, cluster, name)
    (defined,) = (await admin.get("/api/v1/kafka-clusters")).json()["items"]
    async with consuming(app) as consumers:
        await produce(broker, name, [(b"1", b"one", [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 1))
        opened = consumers._running[defined["id"]].consumer
        tested = await admin.post(f"/api/v1/kafka-clusters/{defined['id']}/test")
        assert tested.status_code == 200 and tested.json()["ok"] is True, tested.text
        await consumers.reconcile()
        assert consumers._running[defined["id"]].consumer is opened
        moved = broker.bootstrap.replace("127.0.0.1", "localhost")
        edited = await admin.patch(
            f"/api/v1/kafka-clusters/{defined['id']}", json={"bootstrap_servers": [moved]}
        )
        assert edited.status_code == 200, edited.text
        await consumers.reconcile()
        assert consumers._running[defined["id"]].consumer is not opened
        await produce(broker, name, [(b"2", b"two", [], None)])
        await eventually(lambda: _at_least(admin, subscription["id"], 2))


class _HeldUntilOverlapping:
    """The real store, whose writes wait until two are in flight at once: a consumer
    that wrote its lanes one after the other would never get past the first."""

    concurrent_writes = 2

    def __init__(self, store: MessageStore) -> None:
        self._store = store
        self._in_flight = 0
        self.overlapped = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def write(self, batch: Batch) -> Written:
        self._in_flight += 1
        if self._in_flight == 2:
            self.overlapped.set()
        try:
            await self.overlapped.wait()
            return await self._store.write(batch)
        finally:
            self._in_flight -= 1


async def test_the_lanes_of_a_consumer_write_at_once(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    """Partitions 0 and 1 are in different write lanes: their batches are written at
    once (on PostgreSQL that is what takes one worker past a tenth of the raw consume
    rate), and each is stored exactly once."""
    name = topic(partitions=2)
    await produce(broker, name, [(b"a", b"zero", [], 0), (b"b", b"one", [], 1)])
    subscription = await subscribe_text(admin, service, cluster, name)
    store = _HeldUntilOverlapping(store_of(app.state.context))
    async with consuming(app, cast(MessageStore, store)):
        await eventually(lambda: _at_least(admin, subscription["id"], 2))
    assert store.overlapped.is_set()
    assert await stored(admin, subscription["id"]) == 2


async def _consumed_by(consumers: ConsumerService, subscription_id: int, wanted: bool) -> bool:
    ids = {
        sid for running in consumers._running.values() for sid in running.consumer.subscription_ids
    }
    return (subscription_id in ids) == wanted


async def test_a_cluster_that_hangs_is_saved_and_shown_in_error(
    app: FastAPI,
    admin: httpx.AsyncClient,
    service: str,
    silent_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broker that accepts connections and never answers: saving the subscription
    waits for the time limit only, and the consumer's status says the cluster does not
    answer, while other subscriptions go on (each cluster has its own consumer)."""
    cluster = await admin.post(
        "/api/v1/kafka-clusters",
        json={"name": "hung", "bootstrap_servers": [f"127.0.0.1:{silent_port}"]},
    )
    assert cluster.status_code == 201, cluster.text
    extra = app.state.context.settings.__pydantic_extra__
    monkeypatch.setitem(extra, "messages_timeout_seconds", 1)
    subscription = await subscribe(
        admin,
        service=service,
        name="hung",
        cluster="hung",
        topic="anything",
        value_format="text",
    )
    async with consuming(app, messages_timeout_seconds=1):

        async def in_error() -> bool:
            status = (await admin.get(f"/api/v1/subscriptions/{subscription['id']}")).json()[
                "status"
            ]
            return status["state"] == "error" and "does not answer" in (status["error"] or "")

        await eventually(in_error)


async def test_a_cluster_whose_secrets_cannot_be_read_is_an_error_of_its_own(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    """A SASL cluster whose stored password was encrypted with another secret key: its
    subscription says so, and a subscription on another cluster goes on consuming."""
    locked = await admin.post(
        "/api/v1/kafka-clusters",
        json={
            "name": "locked",
            "bootstrap_servers": [broker.bootstrap],
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "PLAIN",
            "sasl_username": "svc",
            "sasl_password": "s3cret-password",
        },
    )
    assert locked.status_code == 201, locked.text
    fine_topic = topic()
    stuck = await subscribe(
        admin,
        service=service,
        name="stuck",
        cluster="locked",
        topic=fine_topic,
        value_format="text",
    )
    fine = await subscribe(
        admin,
        service=service,
        name="fine",
        cluster=cluster,
        topic=fine_topic,
        value_format="text",
        start_from="earliest",
    )
    context = fast_context(app)
    other_key = AppContext(
        settings=context.settings,
        database=context.database,
        secrets=SecretBox("another-secret-key-0123456789"),
        registry=context.registry,
        shared=context.shared,
    )
    service_ = ConsumerService(other_key)
    stop = asyncio.Event()
    task = asyncio.create_task(service_.run(stop))
    try:
        await produce(broker, fine_topic, [(b"k", b"still flowing", [], None)])
        await eventually(lambda: _at_least(admin, fine["id"], 1))
        status = (await admin.get(f"/api/v1/subscriptions/{stuck['id']}")).json()["status"]
        assert status["state"] == "error" and "secret" in (status["error"] or "").lower()
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)
