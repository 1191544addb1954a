"""Sidekiq 6.x, 7.x and 8.x (Ruby), read from the keys its own web UI reads.

Layout (sidekiq's api.rb, launcher.rb, client.rb; docs/research/job-backend-layouts.md):
``queues`` (set) and ``queue:<q>`` (lists, LPUSH in and BRPOP out, so the next job is
at the right end); ``schedule``, ``retry`` and ``dead`` (sorted sets of job JSON by
epoch seconds); ``processes`` (set of identities), each ``<identity>`` a hash with
``info`` JSON and ``beat``, and its busy threads in ``<identity>:workers`` (6.x) or
``<identity>:work`` (7.0+). Sidekiq 8 writes ``created_at``/``enqueued_at`` as integer
milliseconds where earlier versions wrote float seconds, and since 6.0.1 the backtrace
is zlib + Base64. Periodic jobs come from sidekiq-cron's ``cron_jobs`` when present.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from gyrfalcon.jobs.backends.base import QUEUE, Backend, JobsError, Place
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
from gyrfalcon.jobs.store.windows import Fields, Member, Source

STALE_AFTER_SECONDS = 60.0
"""A process beats every 5 s (10 s in 7+) and its hash expires after 60 s."""
_KNOWN = {
    "class", "wrapped", "args", "jid", "queue", "created_at", "enqueued_at", "failed_at",
    "retried_at", "retry_count", "error_class", "error_message", "error_backtrace",
}  # fmt: skip
_SETS = {
    JobSet.SCHEDULED: ("schedule", "z"),
    JobSet.RETRY: ("retry", "z"),
    JobSet.DEAD: ("dead", "zr"),
}
_MILLISECONDS_FROM = 10**11
"""Sidekiq 8 writes integer milliseconds; earlier versions float seconds. Like api.rb's
``time_from_timestamp`` the type tells them apart, and a magnitude check covers
integers written in seconds (no job is from 1973)."""


def sidekiq_time(value: Any) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= _MILLISECONDS_FROM:
        return payloads.from_milliseconds(value)
    return payloads.from_seconds(value)


class SidekiqAdapter(PayloadSets):
    label = "Sidekiq"
    fields = Fields(name=("wrapped", "class"), id=("jid",))
    views = {
        View.WORKER_POOLS: Support(provided=True, why="Sidekiq processes and their busy threads"),
        View.QUEUES: Support(
            provided=True, why="Pausing a queue is Sidekiq Pro's; paused is not shown"
        ),
        View.SCHEDULED: Support(provided=True),
        View.RETRY: Support(provided=True),
        View.DEAD: Support(provided=True, why="Sidekiq keeps the newest 10,000 for 6 months"),
        View.PERIODIC: Support(provided=True, why="From sidekiq-cron, when the service uses it"),
    }
    actions = {
        JobSet.SCHEDULED: (Action.RUN, Action.DELETE),
        JobSet.RETRY: (Action.RETRY, Action.KILL, Action.DELETE),
        JobSet.DEAD: (Action.RETRY, Action.DELETE),
        QUEUE: (Action.DELETE,),
    }

    def source(self, backend: Backend, place: Place) -> Source:
        prefix = keys.colon_prefix(backend.namespace)
        if place.where == QUEUE:
            return Source(f"{prefix}queue:{place.queue}", "lr")
        key, order = _SETS[JobSet(place.where)]
        return Source(prefix + key, order)  # type: ignore[arg-type]

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        prefix = keys.colon_prefix(backend.namespace)
        found = await backend.client.exists(
            *(prefix + key for key in ("queues", "processes", "retry", "dead", "schedule"))
        )
        return bool(
            found
        ), f"{prefix or 'the top level'} (queues, processes, schedule, retry, dead)"

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        prefix = keys.colon_prefix(backend.namespace)
        identities = await keys.members(backend.client, prefix + "processes")
        async with backend.client.pipeline(transaction=False) as pipe:
            for identity in identities:
                pipe.hmget(prefix + identity, ["info", "busy", "beat", "quiet"])
                pipe.hgetall(f"{prefix}{identity}:work")
                pipe.hgetall(f"{prefix}{identity}:workers")
            replies = await keys.each(pipe)
        now = backend.now()
        pools = []
        for index, identity in enumerate(identities):
            (info_raw, busy, beat, quiet), work, workers = replies[3 * index : 3 * index + 3]
            info = payloads.parse(info_raw or b"{}").fields
            heartbeat = payloads.from_seconds(keys.text(beat))
            threads = [_busy(backend, tid, value) for tid, value in {**workers, **work}.items()]
            pools.append(
                WorkerPool(
                    id=identity,
                    host=payloads.string(info.get("hostname"), 255),
                    pid=payloads.integer(info.get("pid")),
                    concurrency=payloads.integer(info.get("concurrency")),
                    job_names=payloads.texts(info.get("queues"), 100),
                    started_at=payloads.from_seconds(info.get("started_at")),
                    heartbeat_at=heartbeat,
                    stale=heartbeat is None
                    or (now - heartbeat).total_seconds() > STALE_AFTER_SECONDS,
                    quiet=keys.text(quiet) == "true" if quiet is not None else None,
                    labels=payloads.texts(info.get("labels"), 20),
                    busy=sorted(threads, key=lambda thread: thread.worker),
                    busy_count=max(0, payloads.integer(keys.text(busy)) or len(threads)),
                )
            )
        return pools

    async def queues(self, backend: Backend) -> list[QueueInfo]:
        prefix = keys.colon_prefix(backend.namespace)
        names = await keys.members(backend.client, prefix + "queues")
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(f"{prefix}queue:{name}")
                pipe.lindex(f"{prefix}queue:{name}", -1)
            replies = await keys.each(pipe)
        now = backend.now()
        found = []
        for index, name in enumerate(names):
            size, oldest = replies[2 * index], replies[2 * index + 1]
            enqueued = (
                sidekiq_time(payloads.parse(oldest).fields.get("enqueued_at")) if oldest else None
            )
            found.append(
                QueueInfo(
                    name=name,
                    size=size,
                    latency_seconds=max(0.0, (now - enqueued).total_seconds())
                    if enqueued
                    else None,
                    oldest_enqueued_at=enqueued,
                    paused=None,
                )
            )
        return found

    async def periodic(self, backend: Backend) -> list[PeriodicJob]:
        prefix = keys.colon_prefix(backend.namespace)
        # sidekiq-cron 1.x keeps the full keys in ``cron_jobs``; 2.x per namespace.
        job_keys = sorted(
            {
                *await keys.members(backend.client, prefix + "cron_jobs", 500),
                *await keys.members(backend.client, prefix + "cron_jobs:default", 500),
            }
        )
        async with backend.client.pipeline(transaction=False) as pipe:
            for key in job_keys:
                pipe.hgetall(prefix + key)
            hashes = await keys.each(pipe)
        now = backend.now()
        found = []
        for stored in hashes:
            entry = {keys.text(field): keys.text(value) for field, value in stored.items()}
            if not entry.get("cron"):
                continue
            found.append(
                PeriodicJob(
                    name=entry.get("name") or "?",
                    job=entry.get("klass") or "?",
                    schedule=entry["cron"] or "",
                    enabled=entry.get("status", "enabled") == "enabled",
                    next_run_at=_next_run(entry["cron"] or "", now),
                    last_enqueued_at=_cron_time(entry.get("last_enqueue_time")),
                    args_preview=(entry.get("args") or "")[: backend.limits.preview_chars],
                )
            )
        return found

    def summarize(self, backend: Backend, member: Member, place: Place) -> JobSummary:
        parsed = payloads.parse(member.raw)
        job = parsed.fields
        retry_count = payloads.integer(job.get("retry_count"))
        return JobSummary(
            ref=member.ref,
            id=payloads.string(job.get("jid"), 100),
            name=payloads.string(job.get("wrapped") or job.get("class"), 500) or "?",
            queue=payloads.string(job.get("queue"), 500),
            args_preview=payloads.compact(_arguments(job), backend.limits.preview_chars),
            at=payloads.from_seconds(member.score) if member.score is not None else None,
            enqueued_at=sidekiq_time(job.get("enqueued_at")),
            created_at=sidekiq_time(job.get("created_at")),
            failed_at=sidekiq_time(job.get("failed_at")),
            retried_at=sidekiq_time(job.get("retried_at")),
            fails=retry_count + 1 if retry_count is not None else None,
            error_class=payloads.string(job.get("error_class"), 500),
            error_message=payloads.string(job.get("error_message"), 2000),
            problem=parsed.problem,
        )

    def detail(self, backend: Backend, member: Member, place: Place) -> JobDetail:
        parsed = payloads.parse(member.raw)
        limit = backend.limits.payload_bytes
        args, args_cut = payloads.bounded(_arguments(parsed.fields), limit)
        trace, trace_cut = _backtrace(parsed.fields.get("error_backtrace"), limit)
        shown, shown_cut = payloads.pretty(member.raw, parsed, limit)
        extra, _cut = payloads.bounded(
            {field: value for field, value in parsed.fields.items() if field not in _KNOWN}, limit
        )
        return JobDetail(
            **self.summarize(backend, member, place).model_dump(),
            args=args,
            args_cut=args_cut,
            backtrace=trace,
            backtrace_cut=trace_cut,
            payload=shown,
            payload_cut=shown_cut,
            extra=extra or {},
        )

    def plan(self, backend: Backend, member: Member, place: Place, action: Action) -> Move:
        if action is Action.DELETE:
            return Move("delete")
        if action is Action.KILL:
            dead = keys.colon_prefix(backend.namespace) + "dead"
            return Move("zadd", dead, score=backend.now().timestamp(), payload=member.raw)
        parsed = payloads.parse(member.raw)
        if parsed.problem:
            raise JobsError(f"Sidekiq could not run this job: {parsed.problem}. Delete it instead.")
        job = dict(parsed.fields)
        if place.where == JobSet.RETRY and isinstance(job.get("retry_count"), int):
            # As Sidekiq's own SortedEntry#retry: a retry by hand does not use up an attempt.
            job["retry_count"] -= 1
        job["enqueued_at"] = _now_in_unit_of(job.get("created_at"), backend.now())
        queue = job.get("queue") or "default"
        if not isinstance(queue, str):
            raise JobsError("Sidekiq could not run this job: its queue is not a name. Delete it.")
        prefix = keys.colon_prefix(backend.namespace)
        return Move(
            "lpush",
            f"{prefix}queue:{queue}",
            names=(prefix + "queues", queue),
            payload=payloads.encoded(job, parsed, "Sidekiq"),
            queue=queue,
        )


def _arguments(job: dict[str, Any]) -> Any:
    """The arguments as the engineer wrote them: ActiveJob wraps them one level down."""
    args = job.get("args")
    if job.get("wrapped") and isinstance(args, list) and args and isinstance(args[0], dict):
        return args[0].get("arguments", args)
    return args


def _backtrace(value: Any, limit: int) -> tuple[list[str] | None, bool]:
    if isinstance(value, str):
        inflated, cut = payloads.inflate(value, limit)
        if inflated is None:
            return payloads.lines(value, limit)
        if cut:
            return payloads.text(inflated, limit)[0].splitlines(), True
        parsed = payloads.parse(b'{"lines":' + inflated + b"}").fields.get("lines")
        return payloads.lines(
            parsed if parsed is not None else inflated.decode(errors="replace"), limit
        )
    return payloads.lines(value, limit)


def _busy(backend: Backend, thread: bytes, value: bytes) -> BusyWorker:
    work = payloads.parse(value).fields
    job = work.get("payload")
    if isinstance(job, str):  # 6.x-late and later keep the job as its JSON text
        job = payloads.parse(job.encode()).fields
    job = job if isinstance(job, dict) else {}
    return BusyWorker(
        worker=keys.text(thread) or "?",
        job=payloads.string(job.get("wrapped") or job.get("class"), 500),
        job_id=payloads.string(job.get("jid"), 100),
        queue=payloads.string(work.get("queue"), 500),
        args_preview=payloads.compact(_arguments(job), backend.limits.preview_chars),
        running_since=sidekiq_time(work.get("run_at")),
    )


def _now_in_unit_of(created_at: Any, now: datetime) -> float | int:
    if isinstance(created_at, int) and created_at >= _MILLISECONDS_FROM:
        return int(now.timestamp() * 1000)
    return now.timestamp()


def _next_run(cron: str, now: datetime) -> datetime | None:
    """The next time of a sidekiq-cron line: five fields, then optionally a time zone."""
    fields = cron.split()
    try:
        zone = ZoneInfo(fields[5]) if len(fields) > 5 else UTC
        return next(CronSim(" ".join(fields[:5]), now.astimezone(zone).replace(microsecond=0)))
    except (CronSimError, StopIteration, ValueError, ZoneInfoNotFoundError):
        return None


def _cron_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return payloads.from_iso(value)
