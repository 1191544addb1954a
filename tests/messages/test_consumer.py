"""The consumers against a real broker (tansu) and the real store: subscriptions
followed without a restart, indexed values extracted at ingest, undecodable values kept
raw, a schema version change mid-stream, exactly once through hand-overs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gyrfalcon.messages.consumer.service import ConsumerService
from gyrfalcon.messages.store.base import IndexMatch, Query
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
async def consuming(app: FastAPI, **overrides: Any) -> AsyncIterator[ConsumerService]:
    service = ConsumerService(fast_context(app, **overrides))
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
