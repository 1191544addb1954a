"""Bulk actions and filters at their edges: jobs that cannot be acted on, a write Redis
refuses, a spent time budget, big payloads, and RQ jobs whose hash has expired.

gocraft/work jobs are written in its format (``gocraft_format``); RQ's keys by hand as
rq's registry.py and job.py keep them, without a worker, since what is tested is a job
whose hash a worker would never leave behind on purpose.
"""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import QUEUE, JobMoved, Place
from gyrfalcon.jobs.backends.gocraft import GocraftAdapter
from gyrfalcon.jobs.backends.rq import RqAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from gyrfalcon.jobs.store import scripts, windows
from tests.jobs import gocraft_format as go
from tests.jobs.conftest import NOW, backend_of

T = int(NOW.timestamp())
DEAD = Place("dead")
EVERYTHING = EntryFilter()


async def _dead(client: Redis, ns: str, name: str, job_id: str, age: int) -> None:
    job = go.job_json(name, job_id, T, {"n": age}, fails=4, err="boom", failed_at=T - age)
    await go.add(client, ns, "dead", T - age, job)


async def test_bulk_retry_skips_a_job_it_cannot_run_and_retries_the_rest(
    redis_client: Redis, namespace: str
) -> None:
    for age in range(3):
        await _dead(redis_client, namespace, "charge_card", f"j{age}", age)
    await go.add(redis_client, namespace, "dead", T - 10, b'{"id":"nameless","fails":1}')

    result = await GocraftAdapter().bulk(
        backend_of(redis_client, namespace), DEAD, Action.RETRY, EVERYTHING, expected=4
    )

    assert (result.matched, result.done, result.skipped, result.complete) == (4, 3, 1, True)
    assert result.job_ids == ["j0", "j1", "j2"]
    assert await redis_client.llen(f"{namespace}:jobs:charge_card") == 3
    assert await redis_client.zrange(f"{namespace}:dead", 0, -1) == [b'{"id":"nameless","fails":1}']


async def test_a_spent_budget_stops_the_bulk_and_says_so(
    redis_client: Redis, namespace: str
) -> None:
    await _dead(redis_client, namespace, "charge_card", "j0", 0)

    result = await GocraftAdapter().bulk(
        backend_of(redis_client, namespace, bulk_budget_seconds=-1),
        DEAD,
        Action.DELETE,
        EVERYTHING,
        expected=1,
    )

    assert not result.complete and result.done == 0
    assert result.stopped == "the time budget ran out after 0 jobs; run it again"
    assert await redis_client.zcard(f"{namespace}:dead") == 1


async def test_a_filter_out_of_time_before_any_match_is_incomplete(
    redis_client: Redis, namespace: str
) -> None:
    for age in range(600):
        await _dead(redis_client, namespace, "charge_card", f"j{age}", age)
    source = windows.Source(f"{namespace}:dead", "zr")
    groups = windows.filter_args(EntryFilter(q="nowhere"), GocraftAdapter.fields)

    found = await windows.scan(
        redis_client, source, groups, position=0, limit=10, window=100, budget_seconds=-1
    )

    assert found.members == [] and not found.complete
    assert found.next_position == found.scanned == 100


async def test_big_payloads_are_read_a_few_at_a_time(redis_client: Redis, namespace: str) -> None:
    """A page or a filter step stops after the member that passes its byte budget, so
    jobs of a megabyte each never fill the server's memory in one call."""
    megabyte = "x" * (1024 * 1024)
    for age in range(20):
        job = go.job_json("charge_card", f"big{age}", T, {"blob": megabyte}, failed_at=T - age)
        await go.add(redis_client, namespace, "dead", T - age, job)
    backend = backend_of(redis_client, namespace)
    per_call = -(-windows.STEP_BYTES // len(job))

    page = await GocraftAdapter().entries(backend, DEAD, position=0, limit=200, where=EVERYTHING)
    found = await GocraftAdapter().entries(
        backend, DEAD, position=0, limit=200, where=EntryFilter(q="big19")
    )

    assert len(page.items) == per_call and page.next_position == per_call
    assert [item.id for item in found.items] == ["big19"] and found.complete


async def test_a_list_move_from_the_right_takes_the_copy_nearest_the_right(
    redis_client: Redis, namespace: str
) -> None:
    key = f"{namespace}:failed"
    await redis_client.rpush(key, b"same", b"other", b"same")

    [moved] = await scripts.move(
        redis_client, source=("lr", key), how="delete", jobs=[(b"same", b"")]
    )

    assert moved and await redis_client.lrange(key, 0, -1) == [b"same", b"other"]


async def test_an_rq_job_whose_hash_expired_is_skipped_by_retry_and_can_be_deleted(
    redis_client: Redis, namespace: str
) -> None:
    prefix = f"{namespace}:"
    await redis_client.sadd(prefix + "queues", prefix + "queue:default")
    await redis_client.zadd(prefix + "failed:default", {"expired": T + 100, "alive": T + 50})
    await redis_client.hset(
        prefix + "job:alive",
        mapping={"description": "app.charge(7)", "origin": "default", "status": "failed"},
    )
    backend = backend_of(redis_client, namespace)
    adapter = RqAdapter()

    retried = await adapter.bulk(backend, DEAD, Action.RETRY, EVERYTHING, expected=2)
    [left] = (await adapter.entries(backend, DEAD, position=0, limit=10, where=EVERYTHING)).items
    deleted = await adapter.act(backend, DEAD, Action.DELETE, left.ref)

    assert (retried.done, retried.skipped, retried.job_ids) == (1, 1, ["alive"])
    assert await redis_client.lrange(prefix + "queue:default", 0, -1) == [b"alive"]
    assert left.id == "expired" and left.queue == "default"
    assert left.problem == "the job's hash is gone (expired or deleted)"
    assert deleted.job.id == "expired"
    assert await redis_client.zcard(prefix + "failed:default") == 0


async def test_an_rq_job_key_of_the_wrong_kind_shows_as_gone_and_can_be_deleted(
    redis_client: Redis, namespace: str
) -> None:
    prefix = f"{namespace}:"
    await redis_client.sadd(prefix + "queues", prefix + "queue:default")
    await redis_client.zadd(prefix + "failed:default", {"strange": T + 100, "alive": T + 50})
    await redis_client.set(prefix + "job:strange", "a string, not a hash")
    await redis_client.hset(
        prefix + "job:alive",
        mapping={"description": "app.charge(" + "7" * 100_000 + ")", "origin": "default"},
    )
    backend = backend_of(redis_client, namespace)
    adapter = RqAdapter()

    page = await adapter.entries(backend, DEAD, position=0, limit=10, where=EVERYTHING)
    counted = await adapter.count(backend, DEAD, EntryFilter(q="charge"))
    strange, alive = page.items
    await adapter.act(backend, DEAD, Action.DELETE, strange.ref)

    assert strange.problem == "the job's hash is gone (expired or deleted)"
    assert alive.name == "app.charge" and len(alive.args_preview) == 300
    assert counted.count == 1
    assert not await redis_client.exists(prefix + "job:strange")


async def test_an_rq_job_is_found_where_it_is_not_where_its_hash_says(
    redis_client: Redis, namespace: str
) -> None:
    prefix = f"{namespace}:"
    await redis_client.sadd(prefix + "queues", prefix + "queue:default", prefix + "queue:other")
    await redis_client.zadd(prefix + "failed:default", {"moved-1": T})
    await redis_client.hset(
        prefix + "job:moved-1", mapping={"description": "app.charge(1)", "origin": "other"}
    )
    backend = backend_of(redis_client, namespace)
    adapter = RqAdapter()

    found = await adapter.job(backend, DEAD, "moved-1")
    with pytest.raises(JobMoved):
        await adapter.job(backend, Place(QUEUE, "other"), "moved-1")
    await adapter.act(backend, DEAD, Action.DELETE, "moved-1")

    assert found.queue == "default"
    assert await redis_client.zcard(prefix + "failed:default") == 0
