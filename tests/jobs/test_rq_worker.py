"""The RQ adapter against a real RQ worker: jobs enqueued with RQ's own client, shown
from their text fields (the pickled data is never read), retried and run again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
from redis.asyncio import Redis
from rq import Queue
from rq.registry import FailedJobRegistry

from gyrfalcon.jobs.backends.base import QUEUE, Backend, Place
from gyrfalcon.jobs.backends.rq import RqAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from tests.jobs import rq_worker
from tests.jobs.rq_app import tasks
from tests.jobs.rq_worker import RqWorker
from tests.jobs.workers import emptied_database, retried_at_once, wait_for

ADAPTER = RqAdapter()
DEAD = Place("dead")
EVERYTHING = EntryFilter()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RqWorker]:
    db = rq_worker.database_for_this_worker()
    with emptied_database(db):
        started = rq_worker.start(db, tmp_path_factory.mktemp("rq") / "worker.log")
        yield started
        started.stop()


@pytest.fixture
def plain(worker: RqWorker) -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=worker.db)
    client.delete("broken", "done", "release")
    yield client
    client.close()


@pytest.fixture
async def backend(worker: RqWorker) -> AsyncIterator[Backend]:
    client = Redis(host="127.0.0.1", port=6379, db=worker.db)
    yield Backend(client, "", now=lambda: datetime.now(UTC))
    await client.aclose()


async def _ran(backend: Backend, entry: bytes) -> bool:
    return entry in await backend.client.lrange("done", 0, -1)


async def test_a_busy_worker_shows_its_job(
    plain: redis.Redis, backend: Backend, worker: RqWorker
) -> None:
    async def busy() -> bool:
        return any(pool.busy for pool in await ADAPTER.worker_pools(backend))

    Queue("slow", connection=plain).enqueue(tasks.hold, "order-9")
    await wait_for(busy, "the hold job to be busy")
    [pool] = await ADAPTER.worker_pools(backend)
    plain.rpush("release", "go")

    assert (
        pool.pid == worker.process.pid and pool.job_names == ["billing", "slow"] and not pool.stale
    )
    [running] = pool.busy
    assert running.job == "tests.jobs.rq_app.tasks.hold" and running.args_preview == "'order-9'"
    await wait_for(lambda: _ran(backend, b"hold:order-9"), "hold to finish")


async def test_a_failed_job_is_found_retried_and_run(plain: redis.Redis, backend: Backend) -> None:
    plain.set("broken", "1")
    queue = Queue("billing", connection=plain)
    queue.enqueue(tasks.charge, 41)
    queue.enqueue(tasks.charge, 42)

    async def failed() -> bool:
        return len(FailedJobRegistry(queue=queue)) >= 2

    await wait_for(failed, "both jobs to fail")
    [job] = (
        await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EntryFilter(q="ORDER 42"))
    ).items
    detail = await ADAPTER.job(backend, DEAD, job.ref)
    assert (job.name, job.queue, job.error_class) == (
        "tests.jobs.rq_app.tasks.charge",
        "billing",
        "ValueError",
    )
    assert job.error_message == "card declined for order 42" and job.failed_at is not None
    assert detail.args == "42" and detail.backtrace and "tasks.py" in "\n".join(detail.backtrace)
    assert "data:" not in detail.payload  # the pickle is never read

    plain.delete("broken")
    outcome = await ADAPTER.act(backend, DEAD, Action.RETRY, job.ref)

    assert outcome.enqueued_to == "billing"
    await wait_for(lambda: _ran(backend, b"charge:42"), "the retried job to run")
    assert [
        left.args_preview
        for left in (
            await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EVERYTHING)
        ).items
    ] == ["41"]


async def test_a_scheduled_job_runs_now(plain: redis.Redis, backend: Backend) -> None:
    Queue("billing", connection=plain).enqueue_in(timedelta(hours=1), tasks.charge, 7)
    [job] = (
        await ADAPTER.entries(backend, Place("scheduled"), position=0, limit=5, where=EVERYTHING)
    ).items
    assert job.at is not None and job.at > datetime.now(UTC) + timedelta(minutes=50)

    await ADAPTER.act(backend, Place("scheduled"), Action.RUN, job.ref)

    await wait_for(lambda: _ran(backend, b"charge:7"), "the scheduled job to run now")
    assert (await ADAPTER.counts(backend)).scheduled == 0


async def test_concurrent_retries_enqueue_one_copy_and_delete_removes_the_job(
    plain: redis.Redis, backend: Backend
) -> None:
    idle = Queue("nobody-works-this", connection=plain)
    job = idle.enqueue(tasks.charge, 5)
    plain.lrem(idle.key, 1, job.id)
    FailedJobRegistry(queue=idle).add(job, exc_string="Traceback ...\nRuntimeError: boom")
    await retried_at_once(ADAPTER, backend, DEAD, job.id)

    assert plain.lrange(idle.key, 0, -1) == [job.id.encode()]
    [queued] = (
        await ADAPTER.entries(
            backend, Place(QUEUE, "nobody-works-this"), position=0, limit=5, where=EVERYTHING
        )
    ).items
    await ADAPTER.act(backend, Place(QUEUE, "nobody-works-this"), Action.DELETE, queued.ref)
    assert plain.llen(idle.key) == 0 and not plain.exists(f"rq:job:{job.id}")
