"""RQ (Python), read from its keys and never unpickled.

Layout (rq's queue.py, job.py, registry.py, worker/base.py, worker_registration.py;
docs/research/job-backend-layouts.md), all under the ``rq`` prefix (``RQ_KEY_PREFIX``)
unless the backend names another: ``rq:queues`` (set of the queues' full keys) and
``rq:queue:<q>`` (lists of job ids, RPUSH in and LPOP out); ``rq:job:<id>`` (a hash per
job); per queue, ``rq:scheduled:<q>`` (run-at scores), ``rq:failed:<q>`` (expiry
scores) and ``rq:wip:<q>`` (running ``<job id>:<execution id>``); ``rq:workers`` (set of
the workers' full keys), each ``rq:worker:<name>`` a hash.

A job's ``data`` is a pickle of its function and arguments: unpickling it would run
code from the watched Redis inside the console, so it is never read. What shows is
what RQ keeps as text: the ``description`` (``module.func(1, 'a')``, the function and
a ``repr`` of the arguments), ``origin``, ``status``, the timestamps, and ``exc_info``
(zlib-compressed text). The scheduled and failed registries are one per queue; the
views page through them queue after queue.
"""

from __future__ import annotations

import base64
import binascii
import time
import zlib
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, cast

from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import (
    QUEUE,
    ActionOutcome,
    Backend,
    JobMoved,
    JobsError,
    NotProvided,
    Place,
)
from gyrfalcon.jobs.schemas import (
    Action,
    BulkResult,
    BusyWorker,
    Counts,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSet,
    JobSummary,
    MatchCount,
    PeriodicJob,
    QueueInfo,
    Support,
    View,
    WorkerPool,
)
from gyrfalcon.jobs.store import bulk, keys, payloads, scripts

DEFAULT_NAMESPACE = "rq"
STALE_AFTER_SECONDS = 480.0
"""An idle RQ worker beats when its BLPOP times out (worker_ttl 420 s less 15): only
later than that is it stale."""
_FIELDS = ("description", "origin", "status", "created_at", "enqueued_at", "started_at",
           "ended_at", "exc_info", "worker_name", "retries_left", "timeout")  # fmt: skip
_WINDOW = 500
NO_PERIODIC = (
    "RQ's periodic jobs (its cron scheduler, or rq-scheduler) are not read by the console; "
    "the jobs they enqueue show under Queues and Scheduled"
)
_QUEUE_REACH = 100_000
"""How far into a queue's list a job is looked for by its id (``LPOS ... MAXLEN``)."""
_BUSY_PER_QUEUE = 200
_BUSY_MOST = 1000
"""Running jobs read for the worker view: more is a page nobody reads, and each costs a
read of its hash."""
_INFLATE_LIMIT = 64 * 1024
_REGISTRIES = {JobSet.SCHEDULED: "scheduled", JobSet.DEAD: "failed"}

ENQUEUE = """
-- KEYS[1] the registry, KEYS[2] the job hash, KEYS[3] the queue list, KEYS[4] rq:queues.
-- ARGV[1] the job id, ARGV[2] enqueued_at, ARGV[3] the queue's full key.
-- As RQ's requeue, in one step: out of the registry, cleared, back onto its queue.
-- Returns 1 when moved, 0 when no longer in the registry, -1 when its hash is gone.
-- Every key written is checked first: Redis keeps a script's earlier writes when a
-- later one fails, and the job must not leave its registry for nowhere.
local wanted = {[2] = 'hash', [3] = 'list', [4] = 'set'}
for index, kind in pairs(wanted) do
  local found = redis.call('TYPE', KEYS[index])['ok']
  if found ~= 'none' and found ~= kind then
    return redis.error_reply('WRONGTYPE ' .. KEYS[index] .. ' holds a ' .. found)
  end
end
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'status', 'queued', 'enqueued_at', ARGV[2])
redis.call('HDEL', KEYS[2], 'started_at', 'ended_at', 'exc_info')
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('RPUSH', KEYS[3], ARGV[1])
return 1
"""

DELETE = """
-- KEYS[1] the registry (sorted set) or queue (list), KEYS[2..] the job's own keys.
-- ARGV[1] the job id, ARGV[2] 'z' or 'l'. Deletes the job only if it was still there.
local removed
if ARGV[2] == 'z' then removed = redis.call('ZREM', KEYS[1], ARGV[1])
else removed = redis.call('LREM', KEYS[1], 1, ARGV[1]) end
if removed == 1 then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
end
return removed
"""


class _Moved(IntEnum):
    """What the move scripts answer."""

    DATA_GONE = -1
    GONE = 0
    DONE = 1


@dataclass(frozen=True)
class _Entry:
    job_id: str
    score: float | None
    queue: str | None
    """The queue whose registry or list holds it: its hash's ``origin`` may be gone."""


@dataclass(frozen=True)
class _Segment:
    queue: str
    key: str
    size: int


def _prefix(backend: Backend) -> str:
    return keys.colon_prefix(backend.namespace or DEFAULT_NAMESPACE)


class RqAdapter:
    label = "RQ"
    views = {
        View.WORKER_POOLS: Support(provided=True, why="Each RQ worker is a pool of one"),
        View.QUEUES: Support(provided=True, why="RQ pauses all queues at once (suspend), not one"),
        View.SCHEDULED: Support(provided=True, why="From every queue's scheduled registry"),
        View.RETRY: Support(
            provided=False,
            why="RQ retries a failed job by scheduling it again (see Scheduled) or at once",
        ),
        View.DEAD: Support(
            provided=True, why="From every queue's failed registry; arguments as RQ describes them"
        ),
        View.PERIODIC: Support(provided=False, why=NO_PERIODIC),
    }
    actions = {
        JobSet.SCHEDULED: (Action.RUN, Action.DELETE),
        JobSet.DEAD: (Action.RETRY, Action.DELETE),
        QUEUE: (Action.DELETE,),
    }

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        prefix = _prefix(backend)
        found = await backend.client.exists(prefix + "queues", prefix + "workers")
        return bool(found), f"{prefix} (queues, workers)"

    async def counts(self, backend: Backend) -> Counts:
        pools, queues = await self.worker_pools(backend), await self.queues(backend)
        names = [queue.name for queue in queues]
        scheduled = await self._segments(backend, JobSet.SCHEDULED, names)
        dead = await self._segments(backend, JobSet.DEAD, names)
        return Counts(
            worker_pools=len(pools),
            busy=sum(pool.busy_count for pool in pools),
            queues=len(queues),
            enqueued=sum(queue.size for queue in queues),
            scheduled=sum(segment.size for segment in scheduled),
            dead=sum(segment.size for segment in dead),
        )

    async def _queue_names(self, backend: Backend) -> list[str]:
        prefix = _prefix(backend) + "queue:"
        return [
            key.removeprefix(prefix)
            for key in await keys.members(backend.client, _prefix(backend) + "queues")
        ]

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        prefix = _prefix(backend)
        worker_keys = await keys.members(backend.client, prefix + "workers")
        async with backend.client.pipeline(transaction=False) as pipe:
            for key in worker_keys:
                pipe.hgetall(key)
            workers = [_decoded(stored) for stored in await keys.each(pipe)]
        running = await self._running(backend, await self._queue_names(backend))
        now = backend.now()
        pools = []
        for key, worker in zip(worker_keys, workers, strict=True):
            name = key.removeprefix(prefix + "worker:")
            heartbeat = payloads.from_iso(worker.get("last_heartbeat"))
            busy = [job for job in running if job.worker == name]
            pools.append(
                WorkerPool(
                    id=name,
                    host=worker.get("hostname"),
                    pid=payloads.integer(worker.get("pid")),
                    concurrency=1,
                    job_names=[queue for queue in (worker.get("queues") or "").split(",") if queue],
                    started_at=payloads.from_iso(worker.get("birth")),
                    heartbeat_at=heartbeat,
                    stale=bool(worker.get("death"))
                    or heartbeat is None
                    or (now - heartbeat).total_seconds() > STALE_AFTER_SECONDS,
                    busy=busy,
                    busy_count=len(busy),
                )
            )
        return pools

    async def _running(self, backend: Backend, queues: list[str]) -> list[BusyWorker]:
        prefix = _prefix(backend)
        async with backend.client.pipeline(transaction=False) as pipe:
            for queue in queues:
                pipe.zrange(f"{prefix}wip:{queue}", 0, _BUSY_PER_QUEUE - 1)
            members = [
                keys.text(member) or "" for batch in await keys.each(pipe) for member in batch
            ][:_BUSY_MOST]
        job_ids = [member.split(":")[0] for member in members]
        jobs = await self._hashes(backend.client, prefix, job_ids)
        return [
            BusyWorker(
                worker=job.get("worker_name") or "?",
                job=_function(job.get("description")),
                job_id=job_id,
                queue=job.get("origin"),
                args_preview=_arguments(job.get("description"))[: backend.limits.preview_chars],
                running_since=payloads.from_iso(job.get("started_at")),
            )
            for job_id, job in zip(job_ids, jobs, strict=True)
            if job
        ]

    async def queues(self, backend: Backend) -> list[QueueInfo]:
        prefix = _prefix(backend)
        names = await self._queue_names(backend)
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(f"{prefix}queue:{name}")
                pipe.lindex(f"{prefix}queue:{name}", 0)
            replies = await keys.each(pipe)
        oldest = await self._hashes(
            backend.client, prefix, [keys.text(replies[2 * i + 1]) or "" for i in range(len(names))]
        )
        now = backend.now()
        found = []
        for index, name in enumerate(names):
            enqueued = payloads.from_iso(oldest[index].get("enqueued_at"))
            found.append(
                QueueInfo(
                    name=name,
                    size=replies[2 * index],
                    latency_seconds=max(0.0, (now - enqueued).total_seconds())
                    if enqueued
                    else None,
                    oldest_enqueued_at=enqueued,
                    paused=None,
                )
            )
        return found

    async def periodic(self, backend: Backend) -> list[PeriodicJob]:
        raise NotProvided(NO_PERIODIC)

    async def _segments(
        self, backend: Backend, job_set: JobSet, queues: list[str] | None = None
    ) -> list[_Segment]:
        registry = _REGISTRIES.get(job_set)
        if registry is None:
            raise NotProvided(f"RQ keeps no {job_set.value} jobs")
        names = queues if queues is not None else await self._queue_names(backend)
        prefix = _prefix(backend)
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.zcard(f"{prefix}{registry}:{name}")
            sizes = await keys.each(pipe)
        return [
            _Segment(name, f"{prefix}{registry}:{name}", size)
            for name, size in zip(names, sizes, strict=True)
            if size
        ]

    async def _ids(
        self, backend: Backend, place: Place, position: int, limit: int
    ) -> tuple[list[_Entry], int]:
        """Ids from ``position`` on, across a set's queues in name order (or in one queue),
        with their scores and queues, and the total."""
        if place.where == QUEUE:
            key = f"{_prefix(backend)}queue:{place.queue}"
            async with backend.client.pipeline(transaction=False) as pipe:
                pipe.lrange(key, position, position + limit - 1)
                pipe.llen(key)
                window, size = await keys.each(pipe)
            return [_Entry(keys.text(raw) or "", None, place.queue) for raw in window], int(size)
        segments = await self._segments(backend, JobSet(place.where))
        total = sum(segment.size for segment in segments)
        found: list[_Entry] = []
        start = position
        newest_first = place.where == JobSet.DEAD
        for segment in segments:
            if len(found) >= limit:
                break
            if start >= segment.size:
                start -= segment.size
                continue
            last = start + limit - len(found) - 1
            rows = cast(
                list[tuple[bytes, float]],
                await (
                    backend.client.zrevrange(segment.key, start, last, withscores=True)
                    if newest_first
                    else backend.client.zrange(segment.key, start, last, withscores=True)
                ),
            )
            found += [
                _Entry(keys.text(raw) or "", float(score), segment.queue) for raw, score in rows
            ]
            start = 0
        return found, total

    async def _hashes(self, client: Redis, prefix: str, job_ids: list[str]) -> list[dict[str, Any]]:
        """The text fields of each job, and its last error: ``exc_info`` in the job's hash
        (RQ 1.x) or the latest entry of its results stream (``rq:results:<id>``, later)."""
        async with client.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.hmget(f"{prefix}job:{job_id}", list(_FIELDS))
                pipe.xrevrange(f"{prefix}results:{job_id}", count=1)
            replies = await keys.each(pipe)
        found = []
        for index, job_id in enumerate(job_ids):
            stored, results = replies[2 * index], replies[2 * index + 1]
            job: dict[str, Any] = (
                {
                    field: value if field == "exc_info" else keys.text(value)
                    for field, value in zip(_FIELDS, stored, strict=True)
                    if value is not None
                }
                if job_id
                else {}
            )
            if job and "exc_info" not in job and results:
                job["exc_info"] = _result_error(results[0][1])
            found.append(job)
        return found

    async def entries(
        self, backend: Backend, place: Place, *, position: int, limit: int, where: EntryFilter
    ) -> EntryPage:
        return await self._entries(
            backend, place, position, limit, where, backend.limits.filter_budget_seconds
        )

    async def _entries(
        self,
        backend: Backend,
        place: Place,
        position: int,
        limit: int,
        where: EntryFilter,
        budget_seconds: float,
    ) -> EntryPage:
        limit = min(limit, backend.limits.page_max)
        prefix = _prefix(backend)
        deadline = time.monotonic() + budget_seconds
        items: list[JobSummary] = []
        at, total, complete, ended = position, 0, True, False
        while len(items) < limit:
            window = limit if where.empty else _WINDOW
            ids, total = await self._ids(backend, place, at, window)
            if not ids:
                ended = True
                break
            jobs = await self._hashes(backend.client, prefix, [entry.job_id for entry in ids])
            for entry, job in zip(ids, jobs, strict=True):
                at += 1
                summary = _summary(backend, place, entry, job)
                if _matches(summary, job, where):
                    items.append(summary)
                    if len(items) >= limit:
                        break
            if where.empty or at >= total:
                break
            if time.monotonic() > deadline:
                complete = False
                break
        return EntryPage(
            items=items,
            total=total,
            position=position,
            next_position=at if at < total and not ended else None,
            scanned=at - position,
            filtered=not where.empty,
            complete=complete,
        )

    async def count(self, backend: Backend, place: Place, where: EntryFilter) -> MatchCount:
        deadline = time.monotonic() + backend.limits.filter_budget_seconds
        matched, at, scanned, total = 0, 0, 0, 0
        while True:
            left = deadline - time.monotonic()
            found = await self._entries(
                backend, place, at, backend.limits.page_max, where, max(0.0, left)
            )
            matched, scanned, total = (
                matched + len(found.items),
                found.position + found.scanned,
                found.total,
            )
            if found.next_position is None:
                return MatchCount(count=matched, scanned=scanned, total=total, complete=True)
            at = found.next_position
            if time.monotonic() > deadline:
                return MatchCount(count=matched, scanned=scanned, total=total, complete=False)

    async def job(self, backend: Backend, place: Place, ref: str) -> JobDetail:
        job, entry = await self._located(backend, place, ref)
        summary = _summary(backend, place, entry, job)
        trace = _traceback(job.get("exc_info"))
        lines, cut = payloads.lines(trace, backend.limits.payload_bytes) if trace else (None, False)
        shown = {
            field: payloads.string(value, 2000)
            for field, value in job.items()
            if field != "exc_info"
        }
        return JobDetail(
            **summary.model_dump(),
            args=_arguments(job.get("description"))[: backend.limits.payload_bytes] or None,
            backtrace=lines,
            backtrace_cut=cut,
            payload="\n".join(f"{field}: {value}" for field, value in shown.items()),
            extra={"rq_never_unpickled": "the job's data (a pickle) is not read"},
        )

    async def _located(
        self, backend: Backend, place: Place, job_id: str
    ) -> tuple[dict[str, Any], _Entry]:
        """The job's hash and where it is, found by its id in the queue's list or the
        set's registries (its ``origin`` first), so a job whose hash expired or names
        another queue can still be seen and deleted."""
        prefix = _prefix(backend)
        [job] = await self._hashes(backend.client, prefix, [job_id])
        origin = _text(job.get("origin"))
        if place.where == QUEUE:
            key = f"{prefix}queue:{place.queue}"
            if await backend.client.lpos(key, job_id, maxlen=_QUEUE_REACH) is None:
                raise JobMoved(f"The job is not in {place} any more: it has run, moved or gone.")
            return job, _Entry(job_id, None, place.queue)
        registry = _REGISTRIES[JobSet(place.where)]
        if origin:
            score = await backend.client.zscore(f"{prefix}{registry}:{origin}", job_id)
            if score is not None:
                return job, _Entry(job_id, float(score), origin)
        queues = await self._queue_names(backend)
        async with backend.client.pipeline(transaction=False) as pipe:
            for name in queues:
                pipe.zscore(f"{prefix}{registry}:{name}", job_id)
            scores = await keys.each(pipe)
        for name, score in zip(queues, scores, strict=True):
            if score is not None:
                return job, _Entry(job_id, float(score), name)
        raise JobMoved(f"The job is not in {place} any more: it has run, moved or gone.")

    async def act(self, backend: Backend, place: Place, action: Action, ref: str) -> ActionOutcome:
        if action not in self.actions.get(place.where, ()):
            raise NotProvided(f"{action.value} is not something a job in {place} can do here")
        job, entry = await self._located(backend, place, ref)
        summary = _summary(backend, place, entry, job)
        moved = await self._move(backend, place, action, entry)
        if moved is _Moved.DATA_GONE:
            raise JobsError("The job's data has expired, so RQ cannot run it; delete it instead.")
        if moved is _Moved.GONE:
            raise JobMoved(f"The job left {place} just now: someone or a worker moved it first.")
        return ActionOutcome(summary, None if action is Action.DELETE else entry.queue)

    async def _move(self, backend: Backend, place: Place, action: Action, entry: _Entry) -> _Moved:
        prefix = _prefix(backend)
        job_key = f"{prefix}job:{entry.job_id}"
        queue = entry.queue or ""
        if action is Action.DELETE:
            source, kind = (
                (f"{prefix}queue:{queue}", "l")
                if place.where == QUEUE
                else (f"{prefix}{_REGISTRIES[JobSet(place.where)]}:{queue}", "z")
            )
            own = [
                job_key,
                f"{job_key}:dependents",
                f"{job_key}:dependencies",
                f"{prefix}results:{entry.job_id}",
            ]
            removed = await scripts.run(
                backend.client, DELETE, [source, *own], [entry.job_id, kind]
            )
            return _Moved.DONE if removed else _Moved.GONE
        registry = f"{prefix}{_REGISTRIES[JobSet(place.where)]}:{queue}"
        queue_key = f"{prefix}queue:{queue}"
        now = backend.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        moved = await scripts.run(
            backend.client,
            ENQUEUE,
            [registry, job_key, queue_key, prefix + "queues"],
            [entry.job_id, now, queue_key],
        )
        return _Moved(int(moved))

    async def bulk(
        self, backend: Backend, place: Place, action: Action, where: EntryFilter, expected: int
    ) -> BulkResult:
        if action not in self.actions.get(place.where, ()):
            raise NotProvided(f"{action.value} is not something a job in {place} can do here")
        budget = bulk.Budget(backend.limits.bulk_budget_seconds)
        counted = await self.count(backend, place, where)
        result = bulk.started(action, counted, expected)
        position = 0
        with bulk.kept_when_stopped(result):
            while result.done + result.skipped < expected and not budget.spent(result):
                page = await self._entries(
                    backend, place, position, backend.limits.page_max, where, budget.left
                )
                gone = 0
                for job in page.items[: expected - result.done - result.skipped]:
                    result.matched += 1
                    entry = _Entry(job.ref, None, job.queue)
                    moved = await self._move(backend, place, action, entry)
                    if moved is _Moved.DATA_GONE:
                        result.skipped += 1
                        continue
                    gone += 1
                    if moved is _Moved.DONE:
                        bulk.done(result, job.ref)
                    else:
                        result.moved += 1
                if page.next_position is None:
                    break
                # The jobs that left were all before the position reached; the ones
                # skipped are still there and stay behind it.
                position = max(0, page.next_position - gone)
        return bulk.finish(result, counted, expected)


def _decoded(stored: dict[bytes, bytes]) -> dict[str, str]:
    return {keys.text(field) or "": keys.text(value) or "" for field, value in stored.items()}


def _text(value: Any) -> str | None:
    return keys.text(value) if isinstance(value, bytes | str) else None


def _function(description: Any) -> str | None:
    text = _text(description)
    return text.partition("(")[0] if text else None


def _arguments(description: Any) -> str:
    """What is between the parentheses of RQ's description: a ``repr`` of the arguments."""
    text = _text(description) or ""
    _function_name, paren, rest = text.partition("(")
    return rest[:-1] if paren and rest.endswith(")") else ""


def _result_error(fields: dict[bytes, bytes]) -> bytes | None:
    """A result's ``exc_string``: Base64 of zlib-compressed text (rq's results.py)."""
    encoded = fields.get(b"exc_string")
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded)
    except (binascii.Error, ValueError):
        return None


def _traceback(exc_info: Any) -> str | None:
    if not isinstance(exc_info, bytes) or not exc_info:
        return None
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(exc_info, _INFLATE_LIMIT)
    except zlib.error:
        data = exc_info[:_INFLATE_LIMIT]
    return data.decode("utf-8", errors="backslashreplace")


def _error(trace: str | None) -> tuple[str | None, str | None]:
    """The exception's class and message from the traceback's last line."""
    if not trace:
        return None, None
    last = next((line for line in reversed(trace.strip().splitlines()) if line.strip()), "")
    name, colon, message = last.partition(":")
    if colon and name and " " not in name.strip():
        return name.strip(), message.strip()
    return None, last.strip() or None


def _summary(backend: Backend, place: Place, entry: _Entry, job: dict[str, Any]) -> JobSummary:
    score = entry.score
    error_class, error_message = _error(_traceback(job.get("exc_info")))
    ended = payloads.from_iso(_text(job.get("ended_at")))
    at = (
        payloads.from_seconds(score)
        if place.where == JobSet.SCHEDULED
        else ended
        if place.where == JobSet.DEAD
        else None
    )
    return JobSummary(
        ref=entry.job_id,
        id=entry.job_id,
        name=_function(job.get("description")) or "?",
        queue=entry.queue or _text(job.get("origin")),
        args_preview=_arguments(job.get("description"))[: backend.limits.preview_chars],
        at=at or payloads.from_iso(_text(job.get("enqueued_at"))),
        enqueued_at=payloads.from_iso(_text(job.get("enqueued_at"))),
        created_at=payloads.from_iso(_text(job.get("created_at"))),
        failed_at=ended if error_class or error_message else None,
        error_class=error_class,
        error_message=error_message[:2000] if error_message else None,
        problem=None if job else "the job's hash is gone (expired or deleted)",
    )


def _matches(summary: JobSummary, job: dict[str, Any], where: EntryFilter) -> bool:
    if where.id is not None and summary.id != where.id:
        return False
    if where.name is not None and summary.name != where.name:
        return False
    if where.q is not None:
        haystack = f"{_text(job.get('description')) or ''}\n{_traceback(job.get('exc_info')) or ''}"
        return where.q.lower() in haystack.lower()
    return True
