"""Celery (Python) with a Redis broker and a Redis result backend, read from kombu's keys,
Celery's results and its workers' answers to the control protocol, without Celery.

* Queues: kombu's binding sets and priority lists (:mod:`.celery_queues`).
* Worker pools, busy workers, reserved and scheduled (ETA) tasks: Celery's control
  protocol over the backend's own client, one round of the reply window per page
  (:mod:`.celery_control`, :mod:`.celery_workers`).
* Dead: the failures in the result backend, found by a bounded SCAN
  (:mod:`.celery_results`); retrying one sends a new task message under a new id.
* Messages and results are read by :mod:`.celery_messages`, never unpickled.

The namespace is kombu's ``global_keyprefix`` (usually empty). Layout and citations:
docs/research/job-backend-layouts.md, section 5.
"""

from __future__ import annotations

from gyrfalcon.jobs.backends import celery_control as control
from gyrfalcon.jobs.backends import celery_failures as failures
from gyrfalcon.jobs.backends import celery_keys as keys
from gyrfalcon.jobs.backends import celery_queues as queues
from gyrfalcon.jobs.backends import celery_results as results
from gyrfalcon.jobs.backends import celery_workers as workers
from gyrfalcon.jobs.backends.base import QUEUE, ActionOutcome, Backend, NotProvided, Place
from gyrfalcon.jobs.schemas import (
    Action,
    BulkResult,
    Counts,
    EntryFilter,
    EntryPage,
    JobDetail,
    JobSet,
    MatchCount,
    PeriodicJob,
    QueueInfo,
    Support,
    View,
    WorkerPool,
)

_PROBE_STEPS = 10
_PROBE_SAMPLE = 20
NO_RETRY = (
    "Celery retries a task by sending it again with a countdown: the retry waits in a "
    "worker's memory as an ETA task, shown under Scheduled (the control API does not say "
    "which of those are retries)"
)
NO_PERIODIC = (
    "Celery beat keeps its schedule in the beat process (or in a database, with "
    "django-celery-beat), not in Redis"
)


class CeleryAdapter:
    label = "Celery"
    views = {
        View.WORKER_POOLS: Support(
            provided=True,
            why="The workers that answer Celery's control API within the reply window "
            "(GYRFALCON_JOBS_CELERY_REPLY_SECONDS), with their running and reserved tasks. A "
            "worker that is offline simply does not answer, so it is not listed: none shows as "
            "stale",
        ),
        View.QUEUES: Support(
            provided=True,
            why="From kombu's bindings and priority lists. Celery's messages carry no time "
            "they were sent at, so there is no latency; tasks a worker has prefetched or holds "
            "for their ETA are no longer in the lists (see Worker pools and Scheduled)",
        ),
        View.SCHEDULED: Support(
            provided=True,
            why="ETA and countdown tasks (Celery's own retries among them) wait in the "
            "workers' memory, read through the control API: only workers that answer are "
            "shown, and the tasks can be revoked with Celery, not moved from here",
        ),
        View.RETRY: Support(provided=False, why=NO_RETRY),
        View.DEAD: Support(
            provided=True,
            why="Failures from the Redis result backend (celery-task-meta-*), kept for "
            "result_expires (a day by default) and found by a bounded scan, newest first. "
            "Only with result_extended=True does Celery keep a failure's task name and "
            "arguments, which retrying needs; without it a failure shows its error only",
        ),
        View.PERIODIC: Support(provided=False, why=NO_PERIODIC),
    }
    actions = {JobSet.DEAD: (Action.RETRY, Action.DELETE), QUEUE: (Action.DELETE,)}

    async def probe(self, backend: Backend) -> tuple[bool, str]:
        """kombu's keys by EXISTS, and a few SCAN steps for results, whose failures are
        sampled for the fields ``result_extended`` adds."""
        prefix = keys.broker(backend)
        found = await backend.client.exists(
            *(
                prefix + key
                for key in (
                    f"{keys.BINDINGS}{keys.DEFAULT_QUEUE}",
                    f"{keys.BINDINGS}{keys.CONTROL_EXCHANGE}",
                    keys.DEFAULT_QUEUE,
                    "unacked",
                )
            )
        )
        sampled = await self._sample_results(backend)
        looked_at = (
            f"{prefix or 'the top level'} (_kombu.binding.*, celery, unacked, "
            f"{keys.results(backend)}*)"
        )
        failures = [failure for failure in sampled if failure.status == "FAILURE"]
        lacking = sum(not failure.extended for failure in failures)
        if lacking:
            looked_at += (
                f"; {lacking} of the {len(failures)} failures sampled lack their task name and "
                "arguments: set result_extended=True in the service's Celery app to retry "
                "failures from here"
            )
        return bool(found or sampled), looked_at

    async def _sample_results(self, backend: Backend) -> list[failures.Failure]:
        pattern = keys.glob(keys.results(backend)) + "*"
        found: list[bytes | str] = []
        cursor = 0
        for _step in range(_PROBE_STEPS):
            cursor, batch = await backend.client.scan(cursor, match=pattern, count=1000)
            found += batch
            if cursor == 0 or len(found) >= _PROBE_SAMPLE:
                break
        if not found:
            return []
        stored = await backend.client.mget(found[:_PROBE_SAMPLE])
        return [
            failures.read_result(raw, results.keys_text(key))
            for key, raw in zip(found, stored, strict=False)
            if isinstance(raw, bytes)
        ]

    async def counts(self, backend: Backend) -> Counts:
        """One control round (stats, active, scheduled: ended early once every listening
        worker answered) for the workers, busy and scheduled tasks; the queues' sizes; and
        the failures in the result backend, counted by the same bounded scan as the Dead
        view with half the filter budget (so at least that many when it ran out)."""
        replies = await control.broadcast(
            backend, {"stats": {}, "active": {"safe": True}, "scheduled": {}}
        )
        half = backend.limits.filter_budget_seconds / 2
        found = await queues.names(backend, budget=half)
        sizes = await queues.infos(backend, found.names)
        dead = await results.scan(backend, EntryFilter(), budget=half)
        return Counts(
            worker_pools=len(replies.workers),
            busy=_tasks(replies.of("active")),
            queues=len(sizes),
            enqueued=sum(queue.size for queue in sizes),
            scheduled=_tasks(replies.of("scheduled")),
            dead=len(dead.failures),
        )

    async def worker_pools(self, backend: Backend) -> list[WorkerPool]:
        replies = await control.broadcast(backend, workers.POOL_METHODS)
        return workers.pools(backend, replies)

    async def queues(self, backend: Backend) -> list[QueueInfo]:
        found = await queues.names(backend)
        return await queues.infos(backend, found.names)

    async def periodic(self, backend: Backend) -> list[PeriodicJob]:
        raise NotProvided(NO_PERIODIC)

    async def entries(
        self, backend: Backend, place: Place, *, position: int, limit: int, where: EntryFilter
    ) -> EntryPage:
        if place.where == QUEUE:
            return await queues.entries(
                backend, place.queue or "", position=position, limit=limit, where=where
            )
        if place.where == JobSet.SCHEDULED:
            replies = await control.broadcast(backend, workers.SCHEDULED_METHODS)
            return workers.scheduled_page(
                backend, replies, position=position, limit=limit, where=where
            )
        if place.where == JobSet.DEAD:
            return await results.entries(backend, position=position, limit=limit, where=where)
        raise NotProvided(NO_RETRY)

    async def count(self, backend: Backend, place: Place, where: EntryFilter) -> MatchCount:
        if place.where == QUEUE:
            return await queues.count(backend, place.queue or "", where)
        if place.where == JobSet.SCHEDULED:
            replies = await control.broadcast(backend, workers.SCHEDULED_METHODS)
            matched, total = workers.scheduled_count(replies, backend, where)
            return MatchCount(count=matched, scanned=total, total=total, complete=True)
        if place.where == JobSet.DEAD:
            return await results.count(backend, where)
        raise NotProvided(NO_RETRY)

    async def job(self, backend: Backend, place: Place, ref: str) -> JobDetail:
        if place.where == QUEUE:
            return await queues.job(backend, place.queue or "", ref)
        if place.where == JobSet.SCHEDULED:
            replies = await control.broadcast(backend, workers.SCHEDULED_METHODS)
            return workers.scheduled_job(backend, replies, ref)
        if place.where == JobSet.DEAD:
            return await results.job(backend, ref)
        raise NotProvided(NO_RETRY)

    async def act(self, backend: Backend, place: Place, action: Action, ref: str) -> ActionOutcome:
        if action not in self.actions.get(place.where, ()):
            raise NotProvided(f"{action.value} is not something a job in {place} can do here")
        if place.where == QUEUE:
            return await queues.delete(backend, place.queue or "", ref)
        return await results.act(backend, action, ref)

    async def bulk(
        self, backend: Backend, place: Place, action: Action, where: EntryFilter, expected: int
    ) -> BulkResult:
        if place.where != JobSet.DEAD or action not in self.actions[JobSet.DEAD]:
            raise NotProvided(f"{action.value} is not something jobs in {place} can do here")
        return await results.bulk(backend, action, where, expected)


def _tasks(by_worker: dict[str, object]) -> int:
    return sum(len(listed) for listed in by_worker.values() if isinstance(listed, list))
