"""Resque (Ruby) and the workers that share its layout (node-resque, resque-compatible
ones in other languages).

Layout (resque's data_store.rb, worker.rb, failure/redis.rb; node-resque's
worker.ts and queue.ts; docs/research/job-backend-layouts.md), all under the
``resque`` namespace unless the backend names another: ``queues`` (set) and
``queue:<q>`` (lists, RPUSH in and LPOP out, so the next job is at the left);
``workers`` (set of ``host:pid:queues``), each ``worker:<id>`` the job it runs (JSON)
and ``worker:<id>:started``; heartbeats in the ``workers:heartbeat`` hash (Resque) or
``worker:ping:<host:pid>`` (node-resque); failed jobs in the ``failed`` list.

Resque has no scheduled, retry or dead sets of its own: its failed list is shown as
the dead jobs, and retrying one takes it out of the list and pushes its payload back
onto its queue in one step (Resque's own ``requeue`` leaves the failed entry behind).
"""

from __future__ import annotations

from gyrfalcon.jobs.backends.base import QUEUE, Backend, JobsError, NotProvided, Place
from gyrfalcon.jobs.schemas import (
    Action,
    BusyWorker,
    JobDetail,
    JobSet,
    JobSummary,
    PeriodicJob,
    QueueInfo,
    Support,
    View,
    WorkerPool,
)
from gyrfalcon.jobs.store import keys, payloads
from gyrfalcon.jobs.store.payload_sets import Move, PayloadSets
from gyrfalcon.jobs.store.times import any_time
from gyrfalcon.jobs.store.windows import Fields, Member, Source

DEFAULT_NAMESPACE = "resque"
STALE_AFTER_SECONDS = 60.0
"""Resque beats every 60 s and prunes a worker after 5 minutes; node-resque pings every
5 s. A worker is stale after a minute without either."""
_KNOWN = {"payload", "exception", "error", "backtrace", "failed_at", "queue", "worker"}


def _prefix(backend: Backend) -> str:
    return keys.colon_prefix(backend.namespace or DEFAULT_NAMESPACE)


class ResqueAdapter(PayloadSets):
    label = "Resque"
    fields = Fields(name=("payload.class", "class"), id=())
    views = {
        View.WORKER_POOLS: Support(provided=True, why="Each Resque worker is a pool of one"),
        View.QUEUES: Support(
            provided=True, why="Resque records no enqueue time, so there is no latency"
        ),
        View.SCHEDULED: Support(
            provided=False,
            why="Resque has no scheduled jobs of its own (resque-scheduler adds them)",
        ),
        View.RETRY: Support(
            provided=False, why="Resque does not retry failed jobs by itself: they are all in Dead"
        ),
        View.DEAD: Support(provided=True, why="Resque's failed jobs"),
        View.PERIODIC: Support(provided=False, why="Resque has no periodic jobs of its own"),
    }
    actions = {JobSet.DEAD: (Action.RETRY, Action.DELETE), QUEUE: (Action.DELETE,)}

    def source(self, backend: Backend, place: Place) -> Source:
        if place.where == QUEUE:
            return Source(f"{_prefix(backend)}queue:{place.queue}", "l")
        if place.where == JobSet.DEAD:
            return Source(f"{_prefix(backend)}failed", "lr")
        raise NotProvided(f"Resque keeps no {place} jobs")

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        prefix = _prefix(backend)
        names = ("queues", "workers", "failed", "stat:processed")
        found = await backend.client.exists(*(prefix + name for name in names))
        return bool(found), f"{prefix} ({', '.join(names)})"

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        prefix = _prefix(backend)
        ids = await keys.members(backend.client, prefix + "workers")
        async with backend.client.pipeline(transaction=False) as pipe:
            for worker_id in ids:
                pipe.get(f"{prefix}worker:{worker_id}")
                pipe.get(f"{prefix}worker:{worker_id}:started")
                pipe.hget(f"{prefix}workers:heartbeat", worker_id)
                pipe.get(f"{prefix}worker:ping:{worker_id.rpartition(':')[0]}")
            replies = await keys.each(pipe)
        now = backend.now()
        pools = []
        for index, worker_id in enumerate(ids):
            working, started, beat, ping = replies[4 * index : 4 * index + 4]
            name, _, queues = worker_id.rpartition(":")
            host, _, pid = name.rpartition(":")
            heartbeat = any_time(keys.text(beat)) or any_time(
                payloads.parse(ping).fields.get("time") if ping else None
            )
            busy = [_busy(backend, worker_id, working)] if working else []
            pools.append(
                WorkerPool(
                    id=worker_id,
                    host=host or name,
                    pid=payloads.integer(pid),
                    concurrency=1,
                    job_names=[queue for queue in queues.split(",") if queue],
                    started_at=any_time(keys.text(started)),
                    heartbeat_at=heartbeat,
                    stale=heartbeat is None
                    or (now - heartbeat).total_seconds() > STALE_AFTER_SECONDS,
                    busy=busy,
                    busy_count=len(busy),
                )
            )
        return pools

    async def queues(self, backend: Backend) -> list[QueueInfo]:
        prefix = _prefix(backend)
        names = await keys.members(backend.client, prefix + "queues")
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(f"{prefix}queue:{name}")
            sizes = await keys.each(pipe)
        return [
            QueueInfo(
                name=name, size=size, latency_seconds=None, oldest_enqueued_at=None, paused=None
            )
            for name, size in zip(names, sizes, strict=True)
        ]

    async def periodic(self, backend: Backend) -> list[PeriodicJob]:
        raise NotProvided("Resque has no periodic jobs of its own")

    def summarize(self, backend: Backend, member: Member, place: Place) -> JobSummary:
        parsed = payloads.parse(member.raw)
        entry = parsed.fields
        failed = place.where == JobSet.DEAD
        job = entry.get("payload") if failed else entry
        job = job if isinstance(job, dict) else {}
        return JobSummary(
            ref=member.ref,
            id=None,
            name=payloads.string(job.get("class"), 500) or "?",
            queue=payloads.string(entry.get("queue") or job.get("queue"), 500)
            or (place.queue if not failed else None),
            args_preview=payloads.compact(job.get("args"), backend.limits.preview_chars),
            at=any_time(entry.get("failed_at")) if failed else None,
            failed_at=any_time(entry.get("failed_at")),
            retried_at=any_time(entry.get("retried_at")),
            fails=1 if failed else None,
            error_class=payloads.string(entry.get("exception"), 500),
            error_message=payloads.string(entry.get("error"), 2000),
            problem=parsed.problem,
        )

    def detail(self, backend: Backend, member: Member, place: Place) -> JobDetail:
        parsed = payloads.parse(member.raw)
        limit = backend.limits.payload_bytes
        failed = place.where == JobSet.DEAD
        job = parsed.fields.get("payload") if failed else parsed.fields
        args, args_cut = payloads.bounded(job.get("args") if isinstance(job, dict) else None, limit)
        trace, trace_cut = payloads.lines(parsed.fields.get("backtrace"), limit)
        shown, shown_cut = payloads.pretty(member.raw, parsed, limit)
        extra, _cut = payloads.bounded(
            {field: value for field, value in parsed.fields.items() if field not in _KNOWN}
            if failed
            else {},
            limit,
        )
        return JobDetail(
            **self.summarize(backend, member, place).model_dump(),
            args=args,
            args_cut=args_cut,
            backtrace=trace if failed else None,
            backtrace_cut=trace_cut,
            payload=shown,
            payload_cut=shown_cut,
            extra={**(extra or {}), "worker": parsed.fields.get("worker")} if failed else {},
        )

    def plan(self, backend: Backend, member: Member, place: Place, action: Action) -> Move:
        if action is Action.DELETE:
            return Move("delete")
        parsed = payloads.parse(member.raw)
        job, queue = parsed.fields.get("payload"), parsed.fields.get("queue")
        if parsed.problem or not isinstance(job, dict) or not isinstance(queue, str) or not queue:
            raise JobsError("Resque could not run this job: it names no queue. Delete it instead.")
        prefix = _prefix(backend)
        return Move(
            "rpush",
            f"{prefix}queue:{queue}",
            names=(prefix + "queues", queue),
            payload=payloads.encoded(job, parsed, "Resque"),
            queue=queue,
        )


def _busy(backend: Backend, worker_id: str, working: bytes) -> BusyWorker:
    work = payloads.parse(working).fields
    payload = work.get("payload")
    job = payload if isinstance(payload, dict) else {}
    return BusyWorker(
        worker=worker_id,
        job=payloads.string(job.get("class"), 500),
        job_id=None,
        queue=payloads.string(work.get("queue"), 500),
        args_preview=payloads.compact(job.get("args"), backend.limits.preview_chars),
        running_since=any_time(work.get("run_at")),
    )
