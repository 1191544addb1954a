"""What Celery keeps in its workers' memory, read through the control protocol: the
workers themselves (``stats``, ``active_queues``), the tasks they run (``active``), the
tasks they prefetched (``reserved``) and those waiting for their ETA or countdown
(``scheduled``), Celery's own retries among them (celery/worker/control.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from gyrfalcon.jobs.backends import celery_messages as messages
from gyrfalcon.jobs.backends.base import Backend, JobMoved
from gyrfalcon.jobs.backends.celery_control import Replies
from gyrfalcon.jobs.schemas import EntryFilter, EntryPage, JobDetail, JobSummary, WorkerPool
from gyrfalcon.jobs.store import payloads

POOL_METHODS: dict[str, dict[str, Any]] = {
    "stats": {},
    "active": {"safe": None},
    "reserved": {},
    "scheduled": {},
    "active_queues": {},
}
SCHEDULED_METHODS: dict[str, dict[str, Any]] = {"scheduled": {}}
_MOST_PER_WORKER = 5000
_RESERVED_SHOWN = 100
"""Prefetched tasks listed per worker; the label counts them all."""


def _listed(value: Any) -> list[dict[str, Any]]:
    return (
        [item for item in value[:_MOST_PER_WORKER] if isinstance(item, dict)]
        if isinstance(value, list)
        else []
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def pools(backend: Backend, replies: Replies) -> list[WorkerPool]:
    found = []
    for hostname in replies.workers:
        stats = _mapping(replies.of("stats").get(hostname))
        pool = _mapping(stats.get("pool"))
        answered = replies.answered_at[hostname]
        uptime = payloads.integer(stats.get("uptime"))
        active = _listed(replies.of("active").get(hostname))
        reserved = _listed(replies.of("reserved").get(hostname))
        scheduled = _listed(replies.of("scheduled").get(hostname))
        queues = _listed(replies.of("active_queues").get(hostname))
        implementation = payloads.string(pool.get("implementation"), 200) or ""
        labels = [implementation.rpartition(".")[2].partition(":")[0]]
        if reserved:
            labels.append(f"{len(reserved)} reserved")
        if scheduled:
            labels.append(f"{len(scheduled)} scheduled (ETA)")
        busy = [messages.busy_worker(backend, hostname, request) for request in active]
        held = [
            messages.busy_worker(backend, hostname, request)
            for request in reserved[:_RESERVED_SHOWN]
        ]
        found.append(
            WorkerPool(
                id=hostname,
                host=hostname.partition("@")[2] or hostname,
                pid=payloads.integer(stats.get("pid")),
                concurrency=payloads.integer(pool.get("max-concurrency")),
                job_names=sorted(
                    {name for queue in queues if (name := payloads.string(queue.get("name"), 500))}
                ),
                started_at=answered - timedelta(seconds=uptime) if uptime is not None else None,
                heartbeat_at=answered,
                stale=False,
                quiet=None,
                labels=[label for label in labels if label],
                busy=busy,
                busy_count=len(busy),
                reserved=held,
            )
        )
    return found


def _scheduled(backend: Backend, replies: Replies) -> list[tuple[str, messages.Task, Any]]:
    found = []
    for hostname, listed in sorted(replies.of("scheduled").items()):
        for item in _listed(listed):
            request = item.get("request")
            task = messages.request_task(request if isinstance(request, dict) else {})
            task.eta = payloads.from_iso(item.get("eta"))
            found.append((hostname, task, item.get("priority")))
    far = datetime.max.replace(tzinfo=backend.now().tzinfo)
    found.sort(key=lambda one: (one[1].eta or far, one[1].id or ""))
    return found


def _matches(task: messages.Task, where: EntryFilter) -> bool:
    if where.id is not None and task.id != where.id:
        return False
    if where.name is not None and task.name != where.name:
        return False
    if where.q is not None:
        shown = json.dumps(
            [task.name, task.args, task.kwargs, task.args_text], ensure_ascii=False, default=str
        )
        return where.q.lower() in shown.lower()
    return True


def _summary(backend: Backend, task: messages.Task) -> JobSummary:
    return messages.message_summary(backend, task.id or "?", task, task.queue)


def scheduled_page(
    backend: Backend, replies: Replies, *, position: int, limit: int, where: EntryFilter
) -> EntryPage:
    listed = _scheduled(backend, replies)
    limit = min(limit, backend.limits.page_max)
    items: list[JobSummary] = []
    at = position
    while at < len(listed) and len(items) < limit:
        if _matches(listed[at][1], where):
            items.append(_summary(backend, listed[at][1]))
        at += 1
    return EntryPage(
        items=items,
        total=len(listed),
        position=position,
        next_position=at if at < len(listed) else None,
        scanned=at - position,
        filtered=not where.empty,
        complete=True,
    )


def scheduled_count(replies: Replies, backend: Backend, where: EntryFilter) -> tuple[int, int]:
    listed = _scheduled(backend, replies)
    return sum(_matches(task, where) for _host, task, _priority in listed), len(listed)


def scheduled_job(backend: Backend, replies: Replies, ref: str) -> JobDetail:
    for hostname, task, priority in _scheduled(backend, replies):
        if task.id == ref:
            summary = _summary(backend, task)
            args, args_cut = messages.arguments(task, backend.limits.payload_bytes)
            held = {"worker": hostname, "eta": task.eta.isoformat() if task.eta else None}
            shown = json.dumps({**held, "args": task.args, "kwargs": task.kwargs}, default=str)
            text, cut = payloads.text(shown.encode(), backend.limits.payload_bytes)
            return JobDetail(
                **summary.model_dump(),
                args=args,
                args_cut=args_cut,
                payload=text,
                payload_cut=cut,
                extra={**held, "timer_priority": priority},
            )
    raise JobMoved(
        "The task is not waiting in any worker that answered: it has run, was revoked, or "
        "its worker did not answer in time."
    )
