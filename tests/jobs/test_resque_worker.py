"""The Resque adapter against a real node-resque worker, which writes Resque's layout:
failed jobs shown as dead, retried by hand into their queue, and run again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import QUEUE, Backend, JobsError, Place
from gyrfalcon.jobs.backends.resque import ResqueAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from tests.jobs import resque_worker
from tests.jobs.resque_worker import ResqueWorker
from tests.jobs.workers import retried_at_once, wait_for

ADAPTER = ResqueAdapter()
DEAD = Place("dead")
EVERYTHING = EntryFilter()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ResqueWorker]:
    namespace = f"gyrtest-resque-{uuid.uuid4().hex[:8]}"
    started = resque_worker.start(namespace, tmp_path_factory.mktemp("resque") / "worker.log")
    yield started
    started.stop()


@pytest.fixture
async def backend(worker: ResqueWorker) -> AsyncIterator[Backend]:
    client = Redis(host="127.0.0.1", port=6379)
    yield Backend(client, worker.namespace, now=lambda: datetime.now(UTC))
    async for key in client.scan_iter(match=f"{worker.namespace}:*", count=1000):
        if not key.startswith(f"{worker.namespace}:worker".encode()) and b":workers" not in key:
            await client.delete(key)
    await client.aclose()


async def _done(backend: Backend) -> list[bytes]:
    return await backend.client.lrange(f"{backend.namespace}:test:done", 0, -1)  # type: ignore[no-any-return]


async def test_the_worker_shows_with_its_queue_and_busy_job(
    worker: ResqueWorker, backend: Backend
) -> None:
    async def busy() -> bool:
        return any(pool.busy for pool in await ADAPTER.worker_pools(backend))

    worker.enqueue("billing", "hold", "order-3")
    await wait_for(busy, "the hold job to be busy")

    [pool] = await ADAPTER.worker_pools(backend)
    await backend.client.rpush(f"{backend.namespace}:test:release", "go")
    assert pool.job_names == ["billing"] and pool.concurrency == 1 and not pool.stale
    assert pool.pid == worker.process.pid
    [running] = pool.busy
    assert (running.job, running.queue, running.args_preview) == ("hold", "billing", '["order-3"]')
    assert running.running_since is not None
    await wait_for(lambda: _ran(backend, b"hold:order-3"), "hold to finish")


async def test_a_failed_job_is_dead_and_retried_by_hand(
    worker: ResqueWorker, backend: Backend
) -> None:
    await backend.client.set(f"{backend.namespace}:test:broken", "1")
    worker.enqueue("billing", "charge_card", 17)
    worker.enqueue("billing", "charge_card", 18)

    async def failed() -> bool:
        return int(await backend.client.llen(f"{backend.namespace}:failed")) >= 2

    await wait_for(failed, "both jobs to fail")
    page = await ADAPTER.entries(
        backend, DEAD, position=0, limit=10, where=EntryFilter(q="order 18")
    )
    [job] = page.items
    by_name = await ADAPTER.count(backend, DEAD, EntryFilter(name="charge_card"))
    detail = await ADAPTER.job(backend, DEAD, job.ref)

    assert (job.name, job.queue, job.error_class) == ("charge_card", "billing", "TypeError")
    assert job.error_message == "card declined for order 18"
    assert (
        job.failed_at is not None
        and abs((datetime.now(UTC) - job.failed_at).total_seconds()) < 3600
    )
    assert by_name.count == 2 and detail.args == [18] and detail.backtrace
    await backend.client.delete(f"{backend.namespace}:test:broken")
    outcome = await ADAPTER.act(backend, DEAD, Action.RETRY, job.ref)

    assert outcome.enqueued_to == "billing"
    await wait_for(lambda: _ran(backend, b"charge_card:18"), "the retried job to run")
    [left] = (await ADAPTER.entries(backend, DEAD, position=0, limit=10, where=EVERYTHING)).items
    assert left.args_preview == "[17]"


async def test_many_concurrent_retries_of_a_failed_job_run_it_once(
    worker: ResqueWorker, backend: Backend
) -> None:
    await backend.client.set(f"{backend.namespace}:test:broken", "1")
    worker.enqueue("billing", "charge_card", 19)

    async def failed() -> bool:
        return int(await backend.client.llen(f"{backend.namespace}:failed")) == 1

    await wait_for(failed, "the job to fail")
    [job] = (await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EVERYTHING)).items
    await backend.client.delete(f"{backend.namespace}:test:broken")

    outcome = await retried_at_once(ADAPTER, backend, DEAD, job.ref)

    assert outcome.enqueued_to == "billing"
    await wait_for(lambda: _ran(backend, b"charge_card:19"), "the retried job to run")
    assert await _done(backend) == [b"charge_card:19"]
    assert await backend.client.llen(f"{backend.namespace}:queue:billing") == 0
    assert await backend.client.llen(f"{backend.namespace}:failed") == 0


async def test_resque_says_what_it_does_not_keep(backend: Backend) -> None:
    assert not ADAPTER.views["retry"].provided and "does not retry" in ADAPTER.views["retry"].why
    assert not ADAPTER.views["scheduled"].provided
    with pytest.raises(JobsError):
        ADAPTER.source(backend, Place("retry"))
    counts = await ADAPTER.counts(backend)
    assert counts.retry is None and counts.scheduled is None and counts.dead == 0


async def test_a_queued_job_can_be_deleted(worker: ResqueWorker, backend: Backend) -> None:
    await backend.client.rpush(
        f"{backend.namespace}:queue:reports",
        b'{"class":"nightly","args":[1]}',
        b'{"class":"nightly","args":[2]}',
    )
    page = await ADAPTER.entries(
        backend, Place(QUEUE, "reports"), position=0, limit=5, where=EVERYTHING
    )
    assert [job.args_preview for job in page.items] == ["[1]", "[2]"]  # next to run first

    await ADAPTER.act(backend, Place(QUEUE, "reports"), Action.DELETE, page.items[1].ref)

    assert await backend.client.lrange(f"{backend.namespace}:queue:reports", 0, -1) == [
        b'{"class":"nightly","args":[1]}'
    ]


async def _ran(backend: Backend, entry: bytes) -> bool:
    return entry in await _done(backend)
