"""Retention in bounded batches, replay through the real broker, and the live tail."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from gyrfalcon.connectors import kafka
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.core.security import EVERYTHING
from gyrfalcon.messages import search, tail
from gyrfalcon.messages.retention import Retention
from gyrfalcon.messages.store.registry import store_of
from tests.messages.conftest import Broker, fast_context, order_event, upload_shop
from tests.messages.stored import FakeRecord, store_records

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DAY_MS = 86_400_000


async def _subscription(admin: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await admin.post("/api/v1/subscriptions", json=fields)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
async def text_subscription(
    admin: httpx.AsyncClient, topic: Callable[..., str], service: str, cluster: str
) -> dict[str, Any]:
    return await _subscription(
        admin,
        service=service,
        name="notes",
        cluster=cluster,
        topic=topic(partitions=2),
        value_format="text",
        retention_days=3,
    )


async def _stored(admin: httpx.AsyncClient, subscription_id: int) -> int:
    status = (await admin.get(f"/api/v1/subscriptions/{subscription_id}")).json()["status"]
    count: int = status["stored"]
    return count


async def test_retention_purges_old_messages_in_batches(
    app: FastAPI, admin: httpx.AsyncClient, text_subscription: dict[str, Any]
) -> None:
    now_ms = int(NOW.timestamp() * 1000)
    records = [
        FakeRecord(
            offset=i // 2,
            partition=i % 2,
            value=f"note {i}".encode(),
            key=f"k{i}".encode(),
            timestamp=now_ms - (5 if i < 30 else 1) * DAY_MS + i,
        )
        for i in range(50)
    ]
    await store_records(app, text_subscription, records)
    assert await _stored(admin, text_subscription["id"]) == 50
    context = fast_context(app, messages_retention_batch=100)
    # The batch is 100 at least; a smaller store batch shows the rounds go on until done.
    retention = Retention(context, clock=lambda: NOW)
    retention._batch = 7
    assert await retention.run_round() == 30
    assert await _stored(admin, text_subscription["id"]) == 20
    page = (
        await admin.get(
            "/api/v1/messages", params={"subscription": text_subscription["id"], "limit": 200}
        )
    ).json()
    assert sorted(item["key"] for item in page["items"]) == sorted(f"k{i}" for i in range(30, 50))
    old_key = await admin.get(
        "/api/v1/messages", params={"subscription": text_subscription["id"], "key": "k3"}
    )
    assert old_key.json()["items"] == []
    assert await retention.run_round() == 0


@pytest.mark.parametrize("platform_database", ["postgresql"], indirect=True)
async def test_postgresql_drops_whole_days(
    app: FastAPI, admin: httpx.AsyncClient, text_subscription: dict[str, Any]
) -> None:
    """Day partitions are PostgreSQL's: this test runs on that platform database only."""
    now_ms = int(NOW.timestamp() * 1000)
    context = fast_context(app)
    # Two days ago the retention service made that day's partition, today today's.
    await Retention(context, clock=lambda: NOW - timedelta(days=2)).run_round()
    await Retention(context, clock=lambda: NOW).run_round()
    days = [0, 2, 5]  # today, in a day partition that will be dropped, in DEFAULT
    records = [
        FakeRecord(offset=i, value=b"x", timestamp=now_ms - days[i % 3] * DAY_MS + i)
        for i in range(30)
    ]
    await store_records(app, text_subscription, records)
    later = NOW + timedelta(days=2)
    removed = await Retention(context, clock=lambda: later).run_round()
    assert removed == 20
    assert await _stored(admin, text_subscription["id"]) == 10
    async with app.state.database.sessionmaker() as session:
        tables = set(
            await session.scalars(
                text("SELECT tablename FROM pg_tables WHERE tablename LIKE 'kafka_messages_d%'")
            )
        )
    assert f"kafka_messages_d{(NOW - timedelta(days=2)):%Y%m%d}" not in tables
    assert f"kafka_messages_d{NOW:%Y%m%d}" in tables
    assert f"kafka_messages_d{(later + timedelta(days=3)):%Y%m%d}" in tables


async def test_a_deleted_subscriptions_messages_go_in_the_background(
    app: FastAPI, admin: httpx.AsyncClient, text_subscription: dict[str, Any]
) -> None:
    now_ms = int(NOW.timestamp() * 1000)
    records = [FakeRecord(offset=i, value=b"x", timestamp=now_ms) for i in range(12)]
    await store_records(app, text_subscription, records)
    deleted = await admin.delete(f"/api/v1/subscriptions/{text_subscription['id']}")
    assert deleted.status_code == 204
    store = store_of(app.state.context)
    assert await store.get(text_subscription["id"], 0, 3) is not None
    retention = Retention(fast_context(app), clock=lambda: NOW)
    assert await retention.run_round() == 12
    assert await store.get(text_subscription["id"], 0, 3) is None
    assert await retention.run_round() == 0


async def test_replay_publishes_again_with_an_audit_record(
    app: FastAPI,
    admin: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    broker: Broker,
    shop_schema: bytes,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    schema_id = (await upload_shop(admin, service))["schema"]["id"]
    source, target = topic(), topic()
    subscription = await _subscription(
        admin,
        service=service,
        name="orders",
        cluster=cluster,
        topic=source,
        schema_id=schema_id,
        message_type="shop.OrderEvent",
        indexed_fields=["order.id"],
    )
    value = order_event(shop_schema, kind=1, order={"id": "o-7"}).SerializeToString()
    await store_records(
        app, subscription, [FakeRecord(0, value, key=b"o-7", topic=source, headers=(("h", b"1"),))]
    )
    url = f"/api/v1/messages/{subscription['id']}/0/0/replay"
    assert (await viewer.post(url, json={})).status_code == 403
    same = await admin.post(url, json={})
    assert same.status_code == 200, same.text
    assert same.json()["topic"] == source
    edited = await admin.post(
        url, json={"topic": target, "value_json": {"kind": "SHIPPED", "order": {"id": "o-7"}}}
    )
    assert edited.status_code == 200, edited.text
    config = KafkaClusterConfig(name="t", bootstrap_servers=[broker.bootstrap])
    consumer = kafka.open_consumer(
        config, source, target, timeout=10, client_id="replay-check", auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        got: dict[str, Any] = {}
        async with asyncio.timeout(60):
            while len(got) < 2:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        got[record.topic] = record
    finally:
        await consumer.stop()
    assert got[source].value == value and got[source].key == b"o-7"
    assert got[source].headers == (("h", b"1"),)
    shipped = order_event(shop_schema).FromString(got[target].value)
    assert shipped.kind == 3 and shipped.order.id == "o-7"
    bad = await admin.post(url, json={"topic": "no-such-topic-here"})
    assert bad.status_code == 422 and "no topic 'no-such-topic-here'" in bad.text
    wrong = await admin.post(url, json={"value_json": {"kind": "NOPE"}})
    assert wrong.status_code == 422 and "not a shop.OrderEvent" in wrong.text
    records = (await admin.get("/api/v1/audit", params={"action": "message.replay"})).json()
    assert records["total"] == 2


async def test_the_tail_streams_what_is_stored_after_it_began(
    app: FastAPI, admin: httpx.AsyncClient, text_subscription: dict[str, Any]
) -> None:
    await store_records(app, text_subscription, [FakeRecord(0, b"before", key=b"a")])
    context = app.state.context
    async with context.database.sessionmaker() as session:
        plan = await search.plan(
            session,
            search.Search(subscription_id=text_subscription["id"]),
            scope=EVERYTHING,
        )
    gone = asyncio.Event()

    async def disconnected() -> bool:
        return gone.is_set()

    stream = tail.events(
        store_of(context),
        plan,
        search.Versions(context.database.sessionmaker),
        disconnected=disconnected,
        poll_seconds=0.05,
        heartbeat_every=1000,
    )
    assert await anext(stream) == "event: ready\ndata: {}\n\n"
    await store_records(
        app,
        text_subscription,
        [FakeRecord(1, b"after-1", key=b"b"), FakeRecord(0, b"after-2", key=b"c", partition=1)],
    )
    frames = [await anext(stream), await anext(stream)]
    payloads = [json.loads(frame.split("data: ", 1)[1]) for frame in frames]
    assert sorted(p["key"] for p in payloads) == ["b", "c"]
    gone.set()
    with pytest.raises(StopAsyncIteration):
        while True:
            await anext(stream)
    # Reconnecting with the last event's id goes on from there: nothing missed.
    last_id = frames[-1].split("id: ", 1)[1].split("\n", 1)[0]
    await store_records(app, text_subscription, [FakeRecord(2, b"while away", key=b"d")])
    gone.clear()
    resumed = tail.events(
        store_of(context),
        plan,
        search.Versions(context.database.sessionmaker),
        resume=tail.resume_point(last_id),
        disconnected=disconnected,
        poll_seconds=0.05,
        heartbeat_every=1000,
    )
    await anext(resumed)
    frame = await anext(resumed)
    assert json.loads(frame.split("data: ", 1)[1])["key"] == "d"
    assert tail.resume_point("0:1,not-a-cursor") is None
    gone.set()


def _everything() -> Any:
    from gyrfalcon.core.security import EVERYTHING

    return EVERYTHING
