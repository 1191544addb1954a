"""The Sidekiq adapter against a real Sidekiq 6.4 worker: what it shows is what Sidekiq
wrote, and a job retried from the console really runs again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import QUEUE, Backend, Place
from gyrfalcon.jobs.backends.sidekiq import SidekiqAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter, JobSummary
from tests.jobs import sidekiq_worker
from tests.jobs.sidekiq_worker import SidekiqWorker
from tests.jobs.workers import emptied_database, retried_at_once, wait_for

ADAPTER = SidekiqAdapter()
EVERYTHING = EntryFilter()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SidekiqWorker]:
    db = sidekiq_worker.database_for_this_worker()
    with emptied_database(db):
        started = sidekiq_worker.start(db, Path(tmp_path_factory.mktemp("sidekiq")) / "sidekiq.log")
        yield started
        started.stop()


@pytest.fixture
async def backend(worker: SidekiqWorker) -> AsyncIterator[Backend]:
    client = Redis(host="127.0.0.1", port=6379, db=worker.db)
    await client.delete("broken", "done", "release", "dead", "retry")
    yield Backend(client, "", now=lambda: datetime.now(UTC))
    await client.aclose()


async def _dead(backend: Backend) -> list[JobSummary]:
    return (
        await ADAPTER.entries(backend, Place("dead"), position=0, limit=50, where=EVERYTHING)
    ).items


async def _done(backend: Backend) -> list[bytes]:
    return await backend.client.lrange("done", 0, -1)  # type: ignore[no-any-return]


async def test_a_busy_process_shows_its_job(worker: SidekiqWorker, backend: Backend) -> None:
    async def busy() -> bool:
        return any(pool.busy for pool in await ADAPTER.worker_pools(backend))

    await wait_for(lambda: _has_process(backend), "the Sidekiq process to beat")
    worker.push("Hold", "order-7")
    await wait_for(busy, "the Hold job to be busy")

    [pool] = await ADAPTER.worker_pools(backend)
    await backend.client.rpush("release", "go")
    assert pool.pid == worker.process.pid and pool.concurrency == 2 and not pool.stale
    assert pool.job_names == ["billing", "slow"]
    [thread] = pool.busy
    assert (thread.job, thread.queue, thread.args_preview) == ("Hold", "slow", '["order-7"]')
    assert thread.running_since is not None
    await wait_for(lambda: _ran(backend, b"Hold:order-7"), "Hold to finish")


async def test_find_a_dead_job_by_its_error_retry_it_and_see_it_run(
    worker: SidekiqWorker, backend: Backend
) -> None:
    await backend.client.set("broken", "1")
    worker.push("ChargeCard", 41)
    worker.push("ChargeCard", 42)
    await wait_for(lambda: _count(backend, "dead", 2), "both jobs to die")

    page = await ADAPTER.entries(
        backend, Place("dead"), position=0, limit=10, where=EntryFilter(q="ORDER 42")
    )
    [job] = page.items
    detail = await ADAPTER.job(backend, Place("dead"), job.ref)
    assert (job.name, job.queue, job.error_class) == ("ChargeCard", "billing", "ArgumentError")
    assert job.error_message == "card declined for order 42" and job.fails == 1
    assert detail.args == [42]
    assert detail.backtrace and any("jobs.rb" in line for line in detail.backtrace)

    await backend.client.delete("broken")
    outcome = await ADAPTER.act(backend, Place("dead"), Action.RETRY, job.ref)

    assert outcome.enqueued_to == "billing"
    await wait_for(lambda: _ran(backend, b"ChargeCard:42"), "the retried job to run")
    assert [entry.args_preview for entry in await _dead(backend)] == ["[41]"]


async def test_many_concurrent_retries_of_a_dead_job_run_it_once(
    worker: SidekiqWorker, backend: Backend
) -> None:
    await backend.client.set("broken", "1")
    worker.push("ChargeCard", 43)
    await wait_for(lambda: _count(backend, "dead", 1), "the job to die")
    [job] = await _dead(backend)
    await backend.client.delete("broken")

    outcome = await retried_at_once(ADAPTER, backend, Place("dead"), job.ref)

    assert outcome.enqueued_to == "billing"
    await wait_for(lambda: _ran(backend, b"ChargeCard:43"), "the retried job to run")
    assert await _done(backend) == [b"ChargeCard:43"]
    assert await backend.client.llen("queue:billing") == 0 and await _dead(backend) == []


async def test_retry_now_from_the_retry_set_runs_it(
    worker: SidekiqWorker, backend: Backend
) -> None:
    await backend.client.set("broken", "1")
    worker.push("SendInvoice", 7)
    await wait_for(lambda: _count(backend, "retry", 1), "the job to wait for its retry")
    [job] = (
        await ADAPTER.entries(backend, Place("retry"), position=0, limit=5, where=EVERYTHING)
    ).items
    assert (job.error_class, job.fails) == ("IOError", 1)
    assert job.at is not None and job.at > datetime.now(UTC)

    await backend.client.delete("broken")
    await ADAPTER.act(backend, Place("retry"), Action.RETRY, job.ref)

    await wait_for(lambda: _ran(backend, b"SendInvoice:7"), "the job retried now to run")
    assert await backend.client.zcard("retry") == 0


async def test_queues_show_what_waits(worker: SidekiqWorker, backend: Backend) -> None:
    worker.push("Hold", "first")
    worker.push("Hold", "second")
    worker.push("Hold", "third")

    async def waiting() -> bool:
        queues = {queue.name: queue for queue in await ADAPTER.queues(backend)}
        return "slow" in queues and queues["slow"].size >= 1

    await wait_for(waiting, "a Hold job to wait in its queue")
    page = await ADAPTER.entries(
        backend, Place(QUEUE, "slow"), position=0, limit=5, where=EVERYTHING
    )
    assert page.items and all(item.name == "Hold" for item in page.items)
    assert page.items[0].enqueued_at is not None
    await backend.client.rpush("release", "go", "go", "go")
    await wait_for(lambda: _ran(backend, b"Hold:third"), "the Hold jobs to finish")


async def _has_process(backend: Backend) -> bool:
    return bool(await ADAPTER.worker_pools(backend))


async def _count(backend: Backend, key: str, expected: int) -> bool:
    return int(await backend.client.zcard(key)) >= expected


async def _ran(backend: Backend, entry: bytes) -> bool:
    return entry in await _done(backend)


async def test_periodic_jobs_come_from_sidekiq_cron(
    worker: SidekiqWorker, backend: Backend
) -> None:
    """sidekiq-cron (Debian's ruby-sidekiq-cron) writes its own keys; its jobs show with
    their next runs."""
    worker.ruby(
        'Sidekiq::Cron::Job.create(name: "nightly-report", cron: "30 2 * * *", '
        'class: "ChargeCard", args: [7])'
    )

    [job] = [job for job in await ADAPTER.periodic(backend) if job.name == "nightly-report"]

    assert (job.job, job.schedule, job.enabled) == ("ChargeCard", "30 2 * * *", True)
    assert job.next_run_at is not None and (job.next_run_at.hour, job.next_run_at.minute) == (2, 30)
    assert job.args_preview == "[7]"
