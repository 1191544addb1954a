"""What differs between Sidekiq 6, 7 and 8, on fixtures written in each one's format.

Only 6.4 runs here (Debian's ruby-sidekiq), so the later layouts are written by hand
from Sidekiq's source (github.com/sidekiq/sidekiq): 7.0 renamed ``<identity>:workers``
to ``<identity>:work`` and keeps the job there as JSON text (launcher.rb,
processor.rb); 8.0 writes ``created_at``/``enqueued_at`` as integer milliseconds
(docs/8.0-Upgrade.md); since 6.0.1 ``error_backtrace`` is zlib-deflated, Base64 JSON
(job_retry.rb ``compress_backtrace``).
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import Place
from gyrfalcon.jobs.backends.sidekiq import SidekiqAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from tests.jobs.conftest import NOW, backend_of

ADAPTER = SidekiqAdapter()
T = NOW.timestamp()


def _job(**fields: Any) -> bytes:
    job = {"class": "HardJob", "args": [1, "two"], "jid": "b4a577edbccf1d805744efa9",
           "queue": "default", "retry": True, "created_at": T - 60, **fields}  # fmt: skip
    return json.dumps(job).encode()


async def test_sidekiq_7_work_hash_and_8_milliseconds(redis_client: Redis, namespace: str) -> None:
    identity = "web-1:123:0a1b2c3d4e5f"
    prefix = f"{namespace}:"
    info = {"hostname": "web-1", "pid": 123, "concurrency": 5, "queues": ["default"],
            "started_at": T - 3600, "labels": ["canary"], "version": "8.0.0"}  # fmt: skip
    await redis_client.sadd(prefix + "processes", identity)
    await redis_client.hset(
        prefix + identity,
        mapping={"info": json.dumps(info), "busy": 1, "beat": T - 2, "quiet": "false"},
    )
    running = _job(enqueued_at=int(T * 1000) - 5000, created_at=int(T * 1000) - 6000)
    await redis_client.hset(
        f"{prefix}{identity}:work",
        "tid-1",
        json.dumps({"queue": "default", "payload": running.decode(), "run_at": int(T) - 4}),
    )

    [pool] = await ADAPTER.worker_pools(backend_of(redis_client, namespace))

    assert (pool.host, pool.pid, pool.concurrency, pool.labels, pool.quiet) == (
        "web-1", 123, 5, ["canary"], False,
    )  # fmt: skip
    [thread] = pool.busy
    assert (thread.worker, thread.job, thread.args_preview) == ("tid-1", "HardJob", '[1,"two"]')
    assert thread.running_since is not None and thread.running_since.timestamp() == int(T) - 4


async def test_milliseconds_are_told_from_seconds(redis_client: Redis, namespace: str) -> None:
    await redis_client.zadd(
        f"{namespace}:schedule",
        {
            _job(jid="v7", created_at=T - 60): T + 60,
            _job(jid="v8", created_at=int(T * 1000) - 60_000): T + 120,
        },
    )
    backend = backend_of(redis_client, namespace)
    page = await ADAPTER.entries(
        backend, Place("scheduled"), position=0, limit=5, where=EntryFilter()
    )

    assert [job.created_at for job in page.items] == [page.items[0].created_at] * 2
    assert page.items[0].created_at is not None and page.items[0].created_at.timestamp() == T - 60

    # Run now writes enqueued_at in the unit the job was created in.
    for job in page.items:
        await ADAPTER.act(backend, Place("scheduled"), Action.RUN, job.ref)
    queued = {
        json.loads(raw)["jid"]: json.loads(raw)
        for raw in await redis_client.lrange(f"{namespace}:queue:default", 0, -1)
    }
    assert queued["v7"]["enqueued_at"] == T
    assert queued["v8"]["enqueued_at"] == int(T * 1000)


async def test_compressed_backtrace_and_retry_count(redis_client: Redis, namespace: str) -> None:
    trace = [f"app/jobs/hard_job.rb:{line}:in `perform'" for line in range(1, 40)]
    packed = base64.b64encode(zlib.compress(json.dumps(trace).encode())).decode()
    failed = _job(error_class="RuntimeError", error_message="boom", failed_at=T - 30,
                  retry_count=2, error_backtrace=packed)  # fmt: skip
    await redis_client.zadd(f"{namespace}:retry", {failed: T + 300})
    backend = backend_of(redis_client, namespace)
    [job] = (
        await ADAPTER.entries(backend, Place("retry"), position=0, limit=5, where=EntryFilter())
    ).items

    detail = await ADAPTER.job(backend, Place("retry"), job.ref)
    await ADAPTER.act(backend, Place("retry"), Action.RETRY, job.ref)

    assert detail.backtrace == trace and job.fails == 3
    [queued] = await redis_client.lrange(f"{namespace}:queue:default", 0, -1)
    # As Sidekiq's SortedEntry#retry: a retry by hand does not use up an attempt.
    assert json.loads(queued)["retry_count"] == 1
    assert await redis_client.smembers(f"{namespace}:queues") == {b"default"}


async def test_kill_moves_a_retry_to_dead_unchanged(redis_client: Redis, namespace: str) -> None:
    failed = _job(error_class="RuntimeError", error_message="boom", retry_count=0)
    await redis_client.zadd(f"{namespace}:retry", {failed: T + 300})
    backend = backend_of(redis_client, namespace)
    [job] = (
        await ADAPTER.entries(backend, Place("retry"), position=0, limit=5, where=EntryFilter())
    ).items

    await ADAPTER.act(backend, Place("retry"), Action.KILL, job.ref)

    assert await redis_client.zrange(f"{namespace}:dead", 0, -1, withscores=True) == [(failed, T)]
    assert await redis_client.zcard(f"{namespace}:retry") == 0


async def test_odd_process_data_is_shown_not_fatal(redis_client: Redis, namespace: str) -> None:
    """A process hash another tool wrote by hand: wrong types, no beat, a broken work entry."""
    prefix = f"{namespace}:"
    info = {"hostname": 7, "pid": "x", "concurrency": None, "queues": "default", "labels": 3}
    await redis_client.sadd(prefix + "processes", "odd:1:abc", "gone:2:def")
    await redis_client.hset(prefix + "odd:1:abc", mapping={"info": json.dumps(info), "busy": "?"})
    await redis_client.hset(prefix + "odd:1:abc:work", "tid", b"\xff not json")

    pools = {
        pool.id: pool for pool in await ADAPTER.worker_pools(backend_of(redis_client, namespace))
    }

    odd, gone = pools["odd:1:abc"], pools["gone:2:def"]
    assert (odd.host, odd.pid, odd.job_names, odd.labels, odd.stale) == ("7", None, [], [], True)
    assert [thread.job for thread in odd.busy] == [None]
    assert gone.stale and gone.heartbeat_at is None
