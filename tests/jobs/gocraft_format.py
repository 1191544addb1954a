"""gocraft/work's Redis layout, written the way its Go code writes it.

No Go toolchain reaches gocraft/work's module here, so the tests write its keys
themselves, byte for byte as its source does (github.com/gocraft/work):

* job JSON: ``job.go`` ``Job`` marshalled by ``encoding/json``: fields in struct order
  (``name``, ``id``, ``t``, ``args``, then ``fails``, ``err``, ``failed_at`` when set),
  no spaces;
* keys: ``redis.go`` ``redisKeyKnownJobs``, ``redisKeyJobs`` (``<ns>:jobs:<name>``,
  LPUSH by ``enqueue.go`` ``Enqueuer.Enqueue``), ``redisKeyScheduled``/``Retry``/``Dead``
  (sorted sets, integer epoch seconds: ``EnqueueIn``, ``worker.go``
  ``terminateAndRetry``/``terminateAndDead``), ``redisKeyJobsPaused``;
* pools: ``heartbeater.go`` ``heartbeat`` (HMSET of ``<ns>:worker_pools:<id>`` and SADD
  to ``<ns>:worker_pools``) and ``observer.go`` ``writeStatus`` (``<ns>:worker:<id>``);
* periodic jobs: ``periodic_enqueuer.go`` ``enqueue`` (id ``periodic:<name>:<spec>:<epoch>``).
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis


def job_json(
    name: str,
    job_id: str,
    t: int,
    args: dict[str, Any] | None = None,
    *,
    fails: int = 0,
    err: str = "",
    failed_at: int = 0,
) -> bytes:
    job: dict[str, Any] = {"name": name, "id": job_id, "t": t, "args": args}
    if fails:
        job["fails"] = fails
    if err:
        job["err"] = err
    if failed_at:
        job["failed_at"] = failed_at
    return json.dumps(job, separators=(",", ":")).encode()


async def enqueue(client: Redis, ns: str, name: str, job: bytes) -> None:
    await client.sadd(f"{ns}:known_jobs", name)
    await client.lpush(f"{ns}:jobs:{name}", job)


async def add(client: Redis, ns: str, job_set: str, score: int, job: bytes) -> None:
    await client.zadd(f"{ns}:{job_set}", {job: score})


async def pool(
    client: Redis,
    ns: str,
    pool_id: str,
    *,
    heartbeat_at: int,
    started_at: int,
    job_names: list[str],
    worker_ids: list[str],
    host: str = "worker-1",
    pid: int = 4242,
) -> None:
    await client.sadd(f"{ns}:worker_pools", pool_id)
    await client.hset(
        f"{ns}:worker_pools:{pool_id}",
        mapping={
            "heartbeat_at": heartbeat_at,
            "started_at": started_at,
            "job_names": ",".join(sorted(job_names)),
            "concurrency": len(worker_ids),
            "worker_ids": ",".join(worker_ids),
            "host": host,
            "pid": pid,
        },
    )


async def busy(
    client: Redis, ns: str, worker_id: str, *, name: str, job_id: str, started_at: int, args: str
) -> None:
    await client.hset(
        f"{ns}:worker:{worker_id}",
        mapping={
            "job_name": name,
            "job_id": job_id,
            "started_at": started_at,
            "args": args,
            "checkin": "",
            "checkin_at": 0,
        },
    )
