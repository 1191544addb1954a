"""gocraft/work (Go), read from the keys its own client and web UI read.

Layout (gocraft/work's redis.go key functions, heartbeater.go, observer.go, job.go;
docs/research/job-backend-layouts.md): ``<ns>:known_jobs`` (set of job names) and
``<ns>:jobs:<name>`` (lists, LPUSH in and RPOPLPUSH out, so the next job is at the
right end), ``<ns>:jobs:<name>:paused``; ``<ns>:scheduled``, ``<ns>:retry`` and
``<ns>:dead`` (sorted sets of job JSON ``name,id,t,args,fails,err,failed_at`` by
integer epoch seconds); ``<ns>:worker_pools`` (set of pool ids), each
``<ns>:worker_pools:<id>`` a heartbeat hash, and ``<ns>:worker:<id>`` the job a busy
worker runs. Periodic jobs are the scheduled entries whose id is
``periodic:<name>:<spec>:<epoch>`` (periodic_enqueuer.go).

The console's own moves replace gocraft's client calls on purpose: its
``RetryDeadJob`` re-encodes the job with Lua's cjson, which loses digits of numbers
in the arguments; here the new JSON is built outside Redis and swapped in by the
exact-member script.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

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
from gyrfalcon.jobs.store import keys, payloads, windows
from gyrfalcon.jobs.store.payload_sets import Move, PayloadSets
from gyrfalcon.jobs.store.windows import Fields, Member, Source

STALE_AFTER_SECONDS = 60.0
"""A pool beats every 5 s (heartbeater.go ``beatPeriod``); its reaper calls it dead
after 5 minutes, the console calls it stale after a minute."""
WORKERS_READ_MOST = 5000
"""Workers whose observation one page reads, over all pools: each is a hash to fetch."""
PERIODIC_LOOKAHEAD = 5000
"""Scheduled entries searched for periodic ones: the enqueuer schedules them only a
few minutes ahead, so they are among the soonest."""
_KNOWN = {"name", "id", "t", "args", "fails", "err", "failed_at"}
_SETS = {
    JobSet.SCHEDULED: ("scheduled", "z"),
    JobSet.RETRY: ("retry", "z"),
    JobSet.DEAD: ("dead", "zr"),
}
_PERIODIC = ["t", "2", "s", '"id":"periodic:']


class GocraftAdapter(PayloadSets):
    label = "gocraft/work"
    fields = Fields(name=("name",), id=("id",))
    views = {
        View.WORKER_POOLS: Support(provided=True, why="Worker pools and their busy workers"),
        View.QUEUES: Support(provided=True, why="One queue per job name"),
        View.SCHEDULED: Support(provided=True),
        View.RETRY: Support(provided=True),
        View.DEAD: Support(provided=True),
        View.PERIODIC: Support(
            provided=True, why="The periodic jobs the pools have scheduled for the next minutes"
        ),
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
            return Source(f"{prefix}jobs:{place.queue}", "lr")
        key, order = _SETS[JobSet(place.where)]
        return Source(prefix + key, order)  # type: ignore[arg-type]

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        prefix = keys.colon_prefix(backend.namespace)
        names = ("known_jobs", "worker_pools", "scheduled", "retry", "dead")
        found = await backend.client.exists(*(prefix + name for name in names))
        return bool(found), f"{prefix or 'the top level'} ({', '.join(names)})"

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        prefix = keys.colon_prefix(backend.namespace)
        pool_ids = await keys.members(backend.client, prefix + "worker_pools")
        async with backend.client.pipeline(transaction=False) as pipe:
            for pool_id in pool_ids:
                pipe.hgetall(f"{prefix}worker_pools:{pool_id}")
            beats = [_decoded(beat) for beat in await keys.each(pipe)]
        worker_ids = _within([_split(beat.get("worker_ids")) for beat in beats], WORKERS_READ_MOST)
        async with backend.client.pipeline(transaction=False) as pipe:
            for worker_id in (worker for workers in worker_ids for worker in workers):
                pipe.hgetall(f"{prefix}worker:{worker_id}")
            observed = iter(await keys.each(pipe))
        now = backend.now()
        pools = []
        for pool_id, beat, workers in zip(pool_ids, beats, worker_ids, strict=True):
            busy = [
                _busy(backend, worker, observation)
                for worker in workers
                if (observation := _decoded(next(observed))).get("job_name")
            ]
            heartbeat = payloads.from_seconds(beat.get("heartbeat_at"))
            pools.append(
                WorkerPool(
                    id=pool_id,
                    host=beat.get("host"),
                    pid=payloads.integer(beat.get("pid")),
                    concurrency=payloads.integer(beat.get("concurrency")),
                    job_names=_split(beat.get("job_names")),
                    started_at=payloads.from_seconds(beat.get("started_at")),
                    heartbeat_at=heartbeat,
                    stale=heartbeat is None
                    or (now - heartbeat).total_seconds() > STALE_AFTER_SECONDS,
                    busy=busy,
                    busy_count=len(busy),
                )
            )
        return pools

    async def queues(self, backend: Backend) -> list[QueueInfo]:
        prefix = keys.colon_prefix(backend.namespace)
        names = await keys.members(backend.client, prefix + "known_jobs")
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(f"{prefix}jobs:{name}")
                pipe.lindex(f"{prefix}jobs:{name}", -1)
                pipe.get(f"{prefix}jobs:{name}:paused")
            replies = await keys.each(pipe)
        now = backend.now()
        found = []
        for index, name in enumerate(names):
            size, oldest, paused = replies[3 * index : 3 * index + 3]
            enqueued = (
                payloads.from_seconds(payloads.parse(oldest).fields.get("t")) if oldest else None
            )
            found.append(
                QueueInfo(
                    name=name,
                    size=size,
                    latency_seconds=max(0.0, (now - enqueued).total_seconds())
                    if enqueued
                    else None,
                    oldest_enqueued_at=enqueued,
                    paused=bool(paused) and paused not in (b"0", b"false"),
                )
            )
        return found

    async def periodic(self, backend: Backend) -> list[PeriodicJob]:
        prefix = keys.colon_prefix(backend.namespace)
        source = self.source(backend, Place(JobSet.SCHEDULED))
        found = await windows.scan(
            backend.client,
            source,
            _PERIODIC,
            position=0,
            limit=PERIODIC_LOOKAHEAD,
            window=PERIODIC_LOOKAHEAD,
            budget_seconds=backend.limits.filter_budget_seconds,
        )
        last = payloads.from_seconds(
            keys.text(await backend.client.get(prefix + "last_periodic_enqueue"))
        )
        runs: dict[tuple[str, str], list[Member]] = defaultdict(list)
        for member in found.members:
            job = payloads.parse(member.raw).fields
            name, job_id = str(job.get("name", "")), str(job.get("id", ""))
            spec = job_id.removeprefix(f"periodic:{name}:").rpartition(":")[0]
            runs[(name, spec)].append(member)
        return [
            PeriodicJob(
                name=f"{name} ({spec})",
                job=name,
                schedule=spec,
                enabled=True,
                next_run_at=payloads.from_seconds(min(member.score or 0 for member in members)),
                last_enqueued_at=last,
            )
            for (name, spec), members in sorted(runs.items())
        ]

    def summarize(self, backend: Backend, member: Member, place: Place) -> JobSummary:
        parsed = payloads.parse(member.raw)
        job = parsed.fields
        return JobSummary(
            ref=member.ref,
            id=payloads.string(job.get("id"), 200),
            name=payloads.string(job.get("name"), 500) or "?",
            queue=payloads.string(job.get("name"), 500),
            args_preview=payloads.compact(job.get("args"), backend.limits.preview_chars),
            at=payloads.from_seconds(member.score) if member.score is not None else None,
            enqueued_at=payloads.from_seconds(job.get("t")),
            failed_at=payloads.from_seconds(job.get("failed_at")),
            fails=payloads.integer(job.get("fails")),
            error_message=payloads.string(job.get("err"), 2000),
            problem=parsed.problem,
        )

    def detail(self, backend: Backend, member: Member, place: Place) -> JobDetail:
        parsed = payloads.parse(member.raw)
        limit = backend.limits.payload_bytes
        args, args_cut = payloads.bounded(parsed.fields.get("args"), limit)
        shown, shown_cut = payloads.pretty(member.raw, parsed, limit)
        extra, _cut = payloads.bounded(
            {field: value for field, value in parsed.fields.items() if field not in _KNOWN}, limit
        )
        return JobDetail(
            **self.summarize(backend, member, place).model_dump(),
            args=args,
            args_cut=args_cut,
            payload=shown,
            payload_cut=shown_cut,
            extra=extra or {},
        )

    def plan(self, backend: Backend, member: Member, place: Place, action: Action) -> Move:
        prefix = keys.colon_prefix(backend.namespace)
        if action is Action.DELETE:
            return Move("delete")
        if action is Action.KILL:
            return Move(
                "zadd", prefix + "dead", score=int(backend.now().timestamp()), payload=member.raw
            )
        parsed = payloads.parse(member.raw)
        name = parsed.fields.get("name")
        if parsed.problem or not isinstance(name, str) or not name:
            raise JobsError(
                "gocraft/work could not run this job: it names no job. Delete it instead."
            )
        payload = member.raw
        if place.where == JobSet.DEAD:
            # As the client's RetryDeadJob: a fresh start, enqueued now, its failures cleared.
            job: dict[str, Any] = {
                field: value
                for field, value in parsed.fields.items()
                if field not in ("fails", "err", "failed_at")
            }
            job["t"] = int(backend.now().timestamp())
            payload = payloads.encoded(job, parsed, "gocraft/work")
        # From retry or scheduled the job goes as it is, as the pools' requeuer moves it.
        return Move(
            "lpush",
            f"{prefix}jobs:{name}",
            names=(prefix + "known_jobs", name),
            payload=payload,
            queue=name,
        )


def _within(groups: list[list[str]], most: int) -> list[list[str]]:
    """``groups`` cut so that together they hold at most ``most`` items, first come."""
    kept: list[list[str]] = []
    for group in groups:
        kept.append(group[: max(0, most)])
        most -= len(kept[-1])
    return kept


def _decoded(stored: dict[bytes, bytes]) -> dict[str, str]:
    return {keys.text(field) or "": keys.text(value) or "" for field, value in stored.items()}


def _split(joined: str | None) -> list[str]:
    return [part for part in (joined or "").split(",") if part]


def _busy(backend: Backend, worker: str, observation: dict[str, str]) -> BusyWorker:
    args_text = observation.get("args") or ""
    return BusyWorker(
        worker=worker,
        job=observation.get("job_name"),
        job_id=observation.get("job_id") or None,
        queue=observation.get("job_name"),
        args_preview=args_text[: backend.limits.preview_chars],
        running_since=payloads.from_seconds(observation.get("started_at")),
    )
