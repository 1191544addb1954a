"""The gocraft/work adapter on its exact Redis layout (see ``gocraft_format``)."""

from __future__ import annotations

import json

import pytest
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import QUEUE, JobMoved, JobsError, Place
from gyrfalcon.jobs.backends.gocraft import GocraftAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from tests.jobs import gocraft_format as go
from tests.jobs.conftest import NOW, backend_of
from tests.jobs.workers import retried_at_once

T = int(NOW.timestamp())
ADAPTER = GocraftAdapter()
DEAD = Place("dead")
RETRY = Place("retry")
SCHEDULED = Place("scheduled")
EVERYTHING = EntryFilter()


async def _dead(client: Redis, ns: str, count: int) -> list[bytes]:
    jobs = [
        go.job_json(
            "send_invoice" if index % 2 else "charge_card",
            f"job{index:04d}",
            T - 3600,
            {"order": index},
            fails=4,
            err=f"card declined for order {index}" if index % 2 == 0 else "smtp timeout",
            failed_at=T - index,
        )
        for index in range(count)
    ]
    for index, job in enumerate(jobs):
        await go.add(client, ns, "dead", T - index, job)
    return jobs


async def test_worker_pools_show_busy_workers_and_flag_stale_heartbeats(
    redis_client: Redis, namespace: str
) -> None:
    await go.pool(
        redis_client, namespace, "pool-live", heartbeat_at=T - 5, started_at=T - 600,
        job_names=["send_invoice", "charge_card"], worker_ids=["w1", "w2"],
    )  # fmt: skip
    await go.pool(
        redis_client, namespace, "pool-gone", heartbeat_at=T - 3600, started_at=T - 7200,
        job_names=["charge_card"], worker_ids=["w3"], host="worker-2",
    )  # fmt: skip
    await go.busy(
        redis_client, namespace, "w1", name="charge_card", job_id="abc", started_at=T - 30,
        args='{"order":7}',
    )  # fmt: skip

    pools = await ADAPTER.worker_pools(backend_of(redis_client, namespace))

    live, gone = sorted(pools, key=lambda pool: pool.id, reverse=True)
    assert (live.id, live.host, live.pid, live.concurrency) == ("pool-live", "worker-1", 4242, 2)
    assert live.job_names == ["charge_card", "send_invoice"]
    assert not live.stale and gone.stale
    assert live.busy_count == 1 and gone.busy_count == 0
    [worker] = live.busy
    assert (worker.worker, worker.job, worker.job_id, worker.args_preview) == (
        "w1", "charge_card", "abc", '{"order":7}',
    )  # fmt: skip
    assert worker.running_since is not None and int(worker.running_since.timestamp()) == T - 30


async def test_queues_show_size_latency_and_pause(redis_client: Redis, namespace: str) -> None:
    await go.enqueue(
        redis_client, namespace, "charge_card", go.job_json("charge_card", "a", T - 90)
    )
    await go.enqueue(
        redis_client, namespace, "charge_card", go.job_json("charge_card", "b", T - 10)
    )
    await go.enqueue(redis_client, namespace, "send_invoice", go.job_json("send_invoice", "c", T))
    await redis_client.set(f"{namespace}:jobs:send_invoice:paused", "1")

    queues = {
        queue.name: queue for queue in await ADAPTER.queues(backend_of(redis_client, namespace))
    }

    assert queues["charge_card"].size == 2
    assert queues["charge_card"].latency_seconds == 90  # the oldest job waits longest
    assert queues["charge_card"].paused is False and queues["send_invoice"].paused is True
    page = await ADAPTER.entries(
        backend_of(redis_client, namespace), Place(QUEUE, "charge_card"),
        position=0, limit=10, where=EVERYTHING,
    )  # fmt: skip
    assert [job.id for job in page.items] == ["a", "b"]  # next to run first


async def test_dead_jobs_page_newest_first_with_totals(redis_client: Redis, namespace: str) -> None:
    await _dead(redis_client, namespace, 60)
    backend = backend_of(redis_client, namespace)

    first = await ADAPTER.entries(backend, DEAD, position=0, limit=25, where=EVERYTHING)
    last = await ADAPTER.entries(backend, DEAD, position=50, limit=25, where=EVERYTHING)

    assert first.total == 60 and first.next_position == 25
    assert [job.id for job in first.items[:2]] == ["job0000", "job0001"]
    assert [job.id for job in last.items] == [f"job{index:04d}" for index in range(50, 60)]
    assert last.next_position is None
    job = first.items[0]
    assert (job.name, job.fails, job.error_message) == (
        "charge_card",
        4,
        "card declined for order 0",
    )
    assert job.args_preview == '{"order":0}'


async def test_filters_by_name_error_and_id_inside_redis(
    redis_client: Redis, namespace: str
) -> None:
    await _dead(redis_client, namespace, 200)
    backend = backend_of(redis_client, namespace, filter_window=30)

    by_error = await ADAPTER.entries(
        backend, DEAD, position=0, limit=5, where=EntryFilter(q="CARD DECLINED for order 1")
    )
    by_name = await ADAPTER.count(backend, DEAD, EntryFilter(name="send_invoice"))
    by_id = await ADAPTER.entries(
        backend, DEAD, position=0, limit=5, where=EntryFilter(id="job0042")
    )
    both = await ADAPTER.count(backend, DEAD, EntryFilter(name="charge_card", q="smtp"))

    # "order 1" is in orders 10..18 and 100..198 (even only: declined cards are even).
    assert [job.id for job in by_error.items] == [
        "job0010",
        "job0012",
        "job0014",
        "job0016",
        "job0018",
    ]
    assert by_error.filtered and by_error.next_position is not None
    assert (by_name.count, by_name.total, by_name.complete) == (100, 200, True)
    assert [job.id for job in by_id.items] == ["job0042"] and by_id.next_position is None
    assert both.count == 0


async def test_retrying_a_dead_job_enqueues_it_fresh_and_once(
    redis_client: Redis, namespace: str
) -> None:
    await _dead(redis_client, namespace, 1)
    backend = backend_of(redis_client, namespace)
    [entry] = (await ADAPTER.entries(backend, DEAD, position=0, limit=1, where=EVERYTHING)).items

    outcome = await ADAPTER.act(backend, DEAD, Action.RETRY, entry.ref)

    assert outcome.enqueued_to == "charge_card"
    assert await redis_client.zcard(f"{namespace}:dead") == 0
    [queued] = await redis_client.lrange(f"{namespace}:jobs:charge_card", 0, -1)
    assert json.loads(queued) == {
        "name": "charge_card",
        "id": "job0000",
        "t": T,
        "args": {"order": 0},
    }
    with pytest.raises(JobMoved):
        await ADAPTER.act(backend, DEAD, Action.RETRY, entry.ref)


async def test_many_concurrent_retries_of_one_job_enqueue_exactly_one_copy(
    redis_client: Redis, namespace: str
) -> None:
    await _dead(redis_client, namespace, 3)
    backend = backend_of(redis_client, namespace)
    entry = (await ADAPTER.entries(backend, DEAD, position=0, limit=1, where=EVERYTHING)).items[0]
    await retried_at_once(ADAPTER, backend, DEAD, entry.ref)

    assert await redis_client.llen(f"{namespace}:jobs:charge_card") == 1
    assert await redis_client.zcard(f"{namespace}:dead") == 2


async def test_retry_now_kill_run_and_delete(redis_client: Redis, namespace: str) -> None:
    retrying = go.job_json(
        "charge_card", "r1", T - 60, {"order": 1}, fails=1, err="boom", failed_at=T
    )
    later = go.job_json("charge_card", "r2", T - 60, {"order": 2}, fails=2, err="boom", failed_at=T)
    scheduled = go.job_json("send_invoice", "s1", T, {"order": 3})
    await go.add(redis_client, namespace, "retry", T + 60, retrying)
    await go.add(redis_client, namespace, "retry", T + 120, later)
    await go.add(redis_client, namespace, "scheduled", T + 600, scheduled)
    backend = backend_of(redis_client, namespace)
    first, second = (
        await ADAPTER.entries(backend, RETRY, position=0, limit=5, where=EVERYTHING)
    ).items
    [planned] = (
        await ADAPTER.entries(backend, SCHEDULED, position=0, limit=5, where=EVERYTHING)
    ).items

    await ADAPTER.act(backend, RETRY, Action.RETRY, first.ref)
    await ADAPTER.act(backend, RETRY, Action.KILL, second.ref)
    await ADAPTER.act(backend, SCHEDULED, Action.RUN, planned.ref)

    # From retry and scheduled a job goes as it is, failures and all, as the requeuer moves it.
    assert await redis_client.lrange(f"{namespace}:jobs:charge_card", 0, -1) == [retrying]
    assert await redis_client.lrange(f"{namespace}:jobs:send_invoice", 0, -1) == [scheduled]
    assert await redis_client.zrange(f"{namespace}:dead", 0, -1, withscores=True) == [(later, T)]
    [dead] = (await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EVERYTHING)).items
    await ADAPTER.act(backend, DEAD, Action.DELETE, dead.ref)
    assert await redis_client.zcard(f"{namespace}:dead") == 0
    with pytest.raises(JobsError, match="not something"):
        await ADAPTER.act(backend, SCHEDULED, Action.KILL, planned.ref)


async def test_bulk_retry_acts_on_what_the_filter_matches_and_no_more(
    redis_client: Redis, namespace: str
) -> None:
    await _dead(redis_client, namespace, 120)
    backend = backend_of(redis_client, namespace, filter_window=25)
    declined = EntryFilter(q="card declined")

    with pytest.raises(JobsError, match="60 jobs match now, more than the 59 you confirmed"):
        await ADAPTER.bulk(backend, DEAD, Action.RETRY, declined, expected=59)
    result = await ADAPTER.bulk(backend, DEAD, Action.RETRY, declined, expected=60)

    assert (result.done, result.moved, result.complete) == (60, 0, True)
    assert await redis_client.llen(f"{namespace}:jobs:charge_card") == 60
    assert (await ADAPTER.count(backend, DEAD, declined)).count == 0
    assert await redis_client.zcard(f"{namespace}:dead") == 60


async def test_periodic_jobs_come_from_their_scheduled_slots(
    redis_client: Redis, namespace: str
) -> None:
    for epoch in (T + 60, T + 120):
        job = go.job_json("nightly_report", f"periodic:nightly_report:0 * * * * *:{epoch}", epoch)
        await go.add(redis_client, namespace, "scheduled", epoch, job)
    await go.add(redis_client, namespace, "scheduled", T + 5, go.job_json("send_invoice", "x", T))
    await redis_client.set(f"{namespace}:last_periodic_enqueue", T - 30)

    [periodic] = await ADAPTER.periodic(backend_of(redis_client, namespace))

    assert (periodic.job, periodic.schedule) == ("nightly_report", "0 * * * * *")
    assert periodic.next_run_at is not None and int(periodic.next_run_at.timestamp()) == T + 60
    assert (
        periodic.last_enqueued_at is not None
        and int(periodic.last_enqueued_at.timestamp()) == T - 30
    )


async def test_broken_payloads_are_shown_not_trusted(redis_client: Redis, namespace: str) -> None:
    await go.add(redis_client, namespace, "dead", T, b"{not json")
    await go.add(redis_client, namespace, "dead", T - 1, b"\xff\xfe binary \x00")
    backend = backend_of(redis_client, namespace)

    page = await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EVERYTHING)
    broken, binary = page.items
    detail = await ADAPTER.job(backend, DEAD, binary.ref)

    assert broken.problem is not None and broken.problem.startswith("the payload is not JSON")
    assert binary.problem == "the payload is not UTF-8 text" and binary.name == "?"
    assert detail.payload.startswith("\\xff\\xfe binary")
    with pytest.raises(JobsError, match="names no job"):
        await ADAPTER.act(backend, DEAD, Action.RETRY, broken.ref)
    await ADAPTER.act(backend, DEAD, Action.DELETE, broken.ref)
    assert await redis_client.zcard(f"{namespace}:dead") == 1
